// Command mrzinstr parses one of the benchmark documents n times and nothing
// else, so that an instruction count (valgrind --tool=cachegrind) of n = 100000
// minus that of n = 0 gives the instructions of one parse: a figure the load
// of a shared machine cannot move, unlike ns/op. See docs/benchmarks.md.
//
//	GOGC=off GOMAXPROCS=1 valgrind --tool=cachegrind --cache-sim=no go-build-output td3 100000
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/chekara/chekara/app/mrz"
)

// The documents of app/mrz's benchmarks.
var docs = map[string][]string{
	"td3":   {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"},
	"plain": {"P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<", "C01X00T478D<<6408125F3210318<<<<<<<<<<<<<<<2"},
	"td1":   {"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"},
}

var sink int

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: mrzinstr td3|plain|td1 N")
		os.Exit(2)
	}
	lines, ok := docs[os.Args[1]]
	n, err := strconv.Atoi(os.Args[2])
	if !ok || err != nil {
		fmt.Fprintln(os.Stderr, "usage: mrzinstr td3|plain|td1 N")
		os.Exit(2)
	}
	today := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		sink += len(mrz.Parse(lines, today).Warnings)
	}
}
