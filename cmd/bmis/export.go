package main

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/sync"
	"github.com/chekara/chekara/sync/wire"
)

func init() {
	register(command{name: "export", summary: "write the records HQ has not acknowledged as signed batch files for removable media", run: runExport})
}

// exportReport is what `bmis export` prints: one JSON object.
type exportReport struct {
	Booth   string   `json:"booth"`
	Files   []string `json:"files"` // file names in DIR, in the order HQ must import them
	Records int      `json:"records"`
	First   int64    `json:"first"` // first and last sequence number exported; 0 when nothing was pending
	Last    int64    `json:"last"`
}

// runExport writes every record after the sent mark as signed batch files. It
// marks nothing sent: only HQ's acknowledgement does, the next time the booth
// reaches HQ (records HQ got from the files are then duplicates, harmless).
func runExport(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "booth database `FILE`")
	to := fs.String("to", "", "`DIR` to write the batch files to (created when missing), e.g. a USB stick")
	enrol := fs.String("enrolment", "", "enrolment bundle `FILE` (default: the one imported in the database's folder); its key signs the files")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bmis export --db FILE --to DIR [--enrolment BUNDLE]")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *db == "" || *to == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "bmis export: %s\n", app.ErrorMessage(err))
		if app.ErrorCode(err) == app.EINTERNAL {
			fmt.Fprintf(stderr, "bmis export: %v\n", err)
		}
		return 1
	}
	if _, err := os.Stat(*db); err != nil {
		return fail(app.Errorf(app.ENOTFOUND, "No booth database at %s.", *db))
	}
	s, err := store.Open(*db, store.Options{ReadOnly: true})
	if err != nil {
		return fail(err)
	}
	defer s.Close()
	var bundle wire.Bundle
	if *enrol != "" {
		data, rerr := os.ReadFile(*enrol)
		if rerr != nil {
			return fail(app.Errorf(app.EINVALID, "Cannot read the enrolment bundle: %v", rerr))
		}
		bundle, err = wire.ParseBundle(data)
	} else {
		bundle, err = booth.LoadBundle(filepath.Dir(*db))
	}
	if err != nil {
		return fail(err)
	}
	if id, err := s.BoothID(ctx); err != nil {
		return fail(err)
	} else if id != "" && id != bundle.BoothID {
		return fail(app.Errorf(app.ECONFLICT, "This database belongs to booth %s; the enrolment is for booth %s.", id, bundle.BoothID))
	}
	cert, err := bundle.Cert()
	if err != nil {
		return fail(err)
	}
	key, err := bundle.Signer()
	if err != nil {
		return fail(err)
	}
	rep, err := export(ctx, s, bundle.BoothID, *to, cert.Raw, key)
	if err != nil {
		return fail(err)
	}
	json.NewEncoder(stdout).Encode(rep)
	return 0
}

func export(ctx context.Context, ob sync.Outbox, booth, dir string, certDER []byte, key crypto.Signer) (exportReport, error) {
	rep := exportReport{Booth: booth, Files: []string{}}
	l := wire.DefaultLimits
	after, err := ob.SentMark(ctx)
	if err != nil {
		return rep, err
	}
	for {
		recs, err := ob.Outbox(ctx, after, l.MaxRecords, l.MaxBytes)
		if err != nil {
			return rep, err
		}
		if len(recs) == 0 {
			return rep, nil
		}
		b, err := wire.NewBatch(booth, after+1, recs, l)
		if err != nil {
			return rep, err
		}
		head, proof, err := ob.AuditHead(ctx)
		if err != nil {
			return rep, err
		}
		if b, err = b.Anchored(head, proof); err != nil {
			return rep, err
		}
		var buf bytes.Buffer
		if err := wire.WriteExport(&buf, b, certDER, key); err != nil {
			return rep, err
		}
		name := wire.ExportFileName(b)
		if err := sync.WriteFileAtomic(filepath.Join(dir, name), buf.Bytes()); err != nil {
			return rep, app.Errorf(app.EUNAVAILABLE, "Cannot write to %s: %v", dir, err)
		}
		if rep.First == 0 {
			rep.First = b.First
		}
		rep.Last = b.Last
		rep.Records += len(b.Records)
		rep.Files = append(rep.Files, name)
		after = b.Last
	}
}
