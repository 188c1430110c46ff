package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/devices/reader"
)

func init() {
	register(command{
		name:    "reader-sim",
		summary: "act as a document reader on a serial port: write documents in a reader protocol, with faults",
		run:     runReaderSim,
	})
}

// runReaderSim writes the documents of --docs (or stdin) through the protocol's
// framer to the port and exits 0 when all are written; 1 when the port fails, 2
// for bad flags or documents the protocol cannot carry.
func runReaderSim(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("reader-sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	settings := addReaderFlags(fs)
	docsPath := fs.String("docs", "", "`file` of MRZ documents, one line per MRZ line, a blank line between documents (default: stdin)")
	interval := fs.Duration("interval", reader.DefaultInterval, "pause between documents; keep it above the reading side's --silence")
	faults := fs.String("faults", "", "comma `list` of faults: split, slow, garbage, bad-bcc (3m), truncate, disconnect")
	seed := fs.Uint64("seed", 1, "seed of the faults' randomness; the same seed writes the same bytes")
	byteDelay := fs.Duration("byte-delay", reader.DefaultByteDelay, "slow: the gap between bytes")
	armWait := fs.Duration("arm-wait", reader.DefaultArmWait, "elyctis: how long to wait for the host's continuous-read command before each document")
	quiet := fs.Bool("quiet", false, "do not report progress on stderr")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bmis reader-sim --protocol P --port PATH [--docs FILE] [--interval D] [--faults LIST] [flags]")
		fmt.Fprintln(stderr, "Writes the documents as the reader would send them, then exits.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "bmis reader-sim: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	rc, err := readerConfig(settings)
	if err == nil {
		err = errors.Join(readerNonNegative("interval", *interval), readerNonNegative("byte-delay", *byteDelay), readerNonNegative("arm-wait", *armWait))
	}
	var fl []string
	if err == nil {
		fl, err = reader.ParseFaults(*faults)
	}
	if err != nil {
		fmt.Fprintf(stderr, "bmis reader-sim: %s\n", readerMessage(err))
		return 2
	}
	in := stdin
	if *docsPath != "" {
		f, err := os.Open(*docsPath)
		if err != nil {
			fmt.Fprintf(stderr, "bmis reader-sim: %v\n", err)
			return 2
		}
		defer f.Close()
		in = f
	}
	docs, err := reader.ReadDocuments(in)
	if err != nil {
		fmt.Fprintf(stderr, "bmis reader-sim: %s\n", readerMessage(err))
		return 2
	}
	cfg := reader.SimConfig{Protocol: rc.Protocol, Serial: rc.Serial, Interval: *interval, Faults: fl, Seed: *seed,
		ByteDelay: *byteDelay, ArmWait: *armWait, Log: stderr}
	if *quiet {
		cfg.Log = nil
	}
	if *interval == 0 {
		cfg.Interval = 1 // zero means the default in SimConfig; on the command line it means no pause
	}
	if err := reader.Simulate(ctx, cfg, docs); err != nil {
		if errors.Is(err, context.Canceled) {
			return 0
		}
		fmt.Fprintf(stderr, "bmis reader-sim: %s\n", readerMessage(err))
		if app.ErrorCode(err) == app.EINVALID {
			return 2
		}
		return 1
	}
	return 0
}

// readerMessage is the sentence of an app.Error, or the error's text for others.
func readerMessage(err error) string {
	if app.ErrorCode(err) != app.EINTERNAL {
		return app.ErrorMessage(err)
	}
	return err.Error()
}
