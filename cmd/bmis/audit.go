package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/store"
)

func init() {
	register(command{name: "audit", summary: "verify a booth database's audit chain (audit verify --db FILE)", run: runAudit})
}

// runAudit handles `bmis audit verify --db FILE`: it opens the store read-only,
// walks the hash chain and names the first entry that does not verify. Exit 0
// when the chain is intact, 1 when it is broken or cannot be read, 2 on usage.
func runAudit(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	usage := func() { fmt.Fprintln(stderr, "usage: bmis audit verify --db FILE") }
	if len(args) == 0 || (args[0] != "verify" && args[0] != "-h" && args[0] != "--help") {
		usage()
		return 2
	}
	if args[0] != "verify" {
		usage()
		return 0
	}
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "booth database `FILE` (opened read-only)")
	fs.Usage = func() {
		usage()
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args[1:]); !ok {
		return code
	}
	if *db == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	s, err := store.Open(*db, store.Options{ReadOnly: true})
	if err != nil {
		fmt.Fprintf(stderr, "bmis audit verify: %s\n", app.ErrorMessage(err))
		return 1
	}
	defer s.Close()
	check, err := s.CheckAudit(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "bmis audit verify: reading the audit log: %s\n", app.ErrorMessage(err))
		return 1
	}
	if check.FirstBroken != 0 {
		e := check.Entry
		fmt.Fprintf(stdout, "BROKEN: audit entry %d does not verify: %s.\n", check.FirstBroken, check.Reason)
		fmt.Fprintf(stdout, "  entry %d: %s %s officer %q subject %q\n", e.Seq, e.At.UTC().Format(time.RFC3339), e.Action, e.OfficerID, e.Subject)
		fmt.Fprintf(stdout, "  %d entries before it verify; everything from entry %d on is untrusted.\n", check.FirstBroken-1, check.FirstBroken)
	}
	if len(check.MissingTriggers) > 0 {
		fmt.Fprintf(stdout, "TAMPERED: the audit log's append-only triggers are missing: %s.\n", strings.Join(check.MissingTriggers, ", "))
	}
	for _, m := range check.Missing {
		sent := "never sent to HQ"
		if m.Purgeable {
			sent = "acknowledged by HQ"
		}
		fmt.Fprintf(stdout, "MISSING: crossing %s (seq %d, decided %s, audit entry %d, %s) is gone and no recorded purge covers it.\n",
			m.ID, m.Seq, m.At.Format(time.RFC3339), m.AuditSeq, sent)
	}
	if !check.Intact() {
		return 1
	}
	fmt.Fprintf(stdout, "OK: audit chain intact, %d entries.\n", check.Entries)
	return 0
}
