package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/store"
)

func init() {
	register(command{name: "post", summary: "the post's settings (refusals need a supervisor's confirmation)", run: runPost})
}

// postLine is what `bmis post` prints.
type postLine struct {
	ConfirmRefusals bool `json:"confirm_refusals"`
}

// runPost prints the post's settings as this booth holds them or, with
// --confirm-refusals and --by, changes them as that supervisor (audited as
// "post_setting" in the booth's chain).
func runPost(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("post", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bmis post --db FILE [--confirm-refusals=true|false --by SUPERVISOR]")
		fmt.Fprintln(stderr, "Prints the post's settings as JSON; with --confirm-refusals, a supervisor of the booth changes them.")
		fs.PrintDefaults()
	}
	db := fs.String("db", "", "booth database `FILE`")
	confirm := fs.String("confirm-refusals", "", "`true` or false: a refusal is final only once a supervisor confirms it")
	by := fs.String("by", "", "the supervisor's service `NUMBER` (required to change a setting; audited)")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *db == "" || fs.NArg() > 0 || (*confirm != "" && *by == "") || (*confirm != "" && *confirm != "true" && *confirm != "false") {
		fs.Usage()
		return 2
	}
	s, err := store.Open(*db, store.Options{ReadOnly: *confirm == ""})
	if err != nil {
		fmt.Fprintf(stderr, "bmis post: %v\n", err)
		return 1
	}
	defer s.Close()
	if *confirm != "" {
		o, err := s.Officer(ctx, *by)
		if err != nil || o.Role != app.RoleSupervisor || o.Disabled {
			fmt.Fprintf(stderr, "bmis post: %s is not a supervisor of this booth; only a supervisor changes the post's settings\n", *by)
			return 1
		}
		if err := s.SetPostSettings(ctx, app.PostSettings{ConfirmRefusals: *confirm == "true"}, o.ID, time.Now()); err != nil {
			fmt.Fprintf(stderr, "bmis post: %v\n", err)
			return 1
		}
	}
	set, err := s.PostSettings(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "bmis post: %v\n", err)
		return 1
	}
	json.NewEncoder(stdout).Encode(postLine{ConfirmRefusals: set.ConfirmRefusals})
	return 0
}
