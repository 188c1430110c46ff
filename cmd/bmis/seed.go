package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/store/synth"
)

func init() {
	register(command{name: "seed", summary: "fill a booth database with synthetic crossings", run: runSeed})
}

// runSeed writes N synthetic crossings through the store's decision path
// (crossing, outbox row and audit entry together), thousands per transaction.
func runSeed(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "booth database `FILE` (created when missing)")
	n := fs.Int("crossings", 10000, "how many crossings to write")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same travellers")
	batch := fs.Int("batch", 5000, "crossings per transaction")
	boothID := fs.String("booth", "DOSTUK-07", "the booth `ID` a new database belongs to and its crossings name")
	post := fs.String("post", "DOSTUK", "the booth's `POST`")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bmis seed --db FILE --crossings N [--seed S] [--booth ID --post P]")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *db == "" || *n < 0 || *batch <= 0 || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	s, err := store.Open(*db, store.Options{CacheKiB: 256 << 10})
	if err != nil {
		fmt.Fprintf(stderr, "bmis seed: %s\n", app.ErrorMessage(err))
		return 1
	}
	defer s.Close()
	start := time.Now()
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "booth" })
	id, err := s.BoothID(ctx)
	switch {
	case err != nil:
	case id == "":
		err = s.SetBooth(ctx, *boothID, *post)
	case given && id != *boothID:
		err = app.Errorf(app.ECONFLICT, "%s belongs to booth %s, not %s.", *db, id, *boothID)
	default: // a database that has its booth already seeds as that booth
		*boothID = id
		*post, err = s.Post(ctx)
	}
	if err != nil {
		fmt.Fprintf(stderr, "bmis seed: %s\n", app.ErrorMessage(err))
		return 1
	}
	written, err := s.Seed(ctx, synth.New(synth.Config{Seed: *seed, Crossings: *n, Booth: *boothID, Post: *post}).Next, *batch, func(done int) {
		fmt.Fprintf(stderr, "\r%d crossings", done)
	})
	fmt.Fprintln(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "bmis seed: after %d crossings: %s\n", written, app.ErrorMessage(err))
		return 1
	}
	el := time.Since(start)
	fmt.Fprintf(stdout, "wrote %d crossings to %s in %s (%.0f/s)\n", written, s.Path(), el.Round(time.Millisecond), float64(written)/max(el.Seconds(), 1e-9))
	return 0
}
