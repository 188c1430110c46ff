package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/sync"
	"github.com/chekara/chekara/sync/wire"
)

func init() {
	register(command{name: "sync", summary: "upload the booth's records to HQ and pull lists, rules and officers", run: runSync})
}

// syncReport is what `bmis sync --once` prints: one JSON object.
type syncReport struct {
	Booth         string `json:"booth"`
	Batches       int    `json:"batches"`           // batches acknowledged in this run
	Records       int    `json:"records"`           // records in them
	Sent          int64  `json:"sent"`              // the booth's sent mark afterwards
	Last          int64  `json:"last"`              // the last record the booth committed
	Complete      bool   `json:"complete"`          // everything committed is acknowledged by HQ
	Alerts        int    `json:"alerts"`            // records HQ holds with different content
	Missing       int64  `json:"missing"`           // records deleted from the booth before HQ got them
	Lists         int64  `json:"lists_version"`     // 0: none
	Rules         int64  `json:"rules_version"`     // 0: none
	Directory     int64  `json:"directory_version"` // HQ's officer directory; 0: none
	ClockOffsetMS int64  `json:"clock_offset_ms"`   // HQ's clock minus the booth's
	ClockWarning  string `json:"clock_warning,omitempty"`
	Error         string `json:"error,omitempty"`
}

// runSync runs the booth's sync headless: with --once one round (everything
// pending, then lists and rules), otherwise the loop until interrupted.
func runSync(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "booth database `FILE`")
	enrol := fs.String("enrolment", "", "enrolment bundle `FILE` written by hq booth enrol; imported into the database's folder (default: the one imported before)")
	hq := fs.String("hq", "", "HQ `URL`, overriding the bundle's address (e.g. through a proxy)")
	once := fs.Bool("once", false, "upload what is pending, pull lists and rules, and exit: 0 when everything committed is acknowledged, 1 otherwise")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bmis sync --db FILE --enrolment BUNDLE [--hq URL] [--once]")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *db == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "bmis sync: %s\n", app.ErrorMessage(err))
		if app.ErrorCode(err) == app.EINTERNAL {
			fmt.Fprintf(stderr, "bmis sync: %v\n", err)
		}
		return 1
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	// The same assembly as the desktop booth: the bundle imported once into
	// the database's folder, the store claimed for its booth.
	b, err := booth.Open(ctx, booth.Config{DataDir: filepath.Dir(*db), StoreFile: *db, Enrolment: *enrol, HQAddress: *hq, Log: log})
	if err != nil {
		return fail(err)
	}
	defer b.Close()
	if b.Link == nil {
		return fail(app.Errorf(app.ENOTFOUND, "This booth is not enrolled with HQ: give --enrolment BUNDLE once."))
	}
	link, bundle := b.Link, b.Bundle

	if !*once {
		link.Start(ctx)
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				link.Stop()
				return 0
			case <-t.C:
				st := link.SyncState()
				log.Info("sync status", "connected", st.Connected, "pending", st.Pending, "last_sync", st.LastSync, "error", st.LastError, "clock", sync.ClockWarning(st))
			}
		}
	}

	rep := syncReport{Booth: bundle.BoothID}
	res, err := link.Upload(ctx)
	rep.Batches, rep.Records, rep.Sent, rep.Last, rep.Complete, rep.Alerts, rep.Missing = res.Batches, res.Records, res.Sent, res.Last, res.Complete, res.Alerts, res.Missing
	if err == nil {
		err = link.Pull(ctx)
	}
	st := link.SyncState()
	if st.ClockKnown {
		rep.ClockOffsetMS = st.ClockOffset.Milliseconds()
		rep.ClockWarning = sync.ClockWarning(st)
	}
	rep.Lists = link.Puller.Version(wire.KindLists).Version
	rep.Rules = link.Puller.Version(wire.KindRules).Version
	rep.Directory = link.Puller.Version(wire.KindDirectory).Version
	if err != nil {
		rep.Error = app.ErrorMessage(err)
		log.Error("sync failed", "err", err)
	} else if rep.Missing > 0 {
		rep.Error = fmt.Sprintf("%d records are missing from this booth's database: they were deleted before HQ got them. Run bmis audit verify and call the administrator.", rep.Missing)
		log.Error("records missing from the booth's store", "missing", rep.Missing)
	}
	enc := json.NewEncoder(stdout)
	enc.Encode(rep)
	if err != nil || !rep.Complete {
		return 1
	}
	return 0
}
