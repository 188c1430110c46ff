package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/sync"
	"github.com/chekara/chekara/sync/wire"
)

func init() {
	register(command{name: "officers", summary: "the booth's officers as JSON lines", run: runOfficers})
	register(command{name: "officer", summary: "officer check: would this booth let an officer sign in now", run: runOfficer})
}

// officerLine is one line of `bmis officers`.
type officerLine struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Role      string   `json:"role"`
	Posts     []string `json:"posts"`
	Language  string   `json:"language"`
	Disabled  bool     `json:"disabled"`
	Directory int64    `json:"directory_version"` // 0: the officer was not in HQ's directory (made at the booth)
}

// directory reads the officer directory the booth pulled from HQ, beside its
// database (zero when it holds none).
func directory(db string) (wire.Directory, error) {
	data, err := os.ReadFile(filepath.Join(filepath.Dir(db), sync.DirectoryFile))
	if errors.Is(err, os.ErrNotExist) {
		return wire.Directory{}, nil
	} else if err != nil {
		return wire.Directory{}, err
	}
	return wire.ParseDirectory(data)
}

func runOfficers(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("officers", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "booth database `FILE`")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *db == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: bmis officers --db FILE")
		return 2
	}
	s, err := store.Open(*db, store.Options{ReadOnly: true})
	if err != nil {
		fmt.Fprintf(stderr, "bmis officers: %s\n", app.ErrorMessage(err))
		return 1
	}
	defer s.Close()
	os, err := s.Officers(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "bmis officers: %s\n", app.ErrorMessage(err))
		return 1
	}
	d, err := directory(*db)
	if err != nil {
		fmt.Fprintf(stderr, "bmis officers: the officer directory: %s\n", app.ErrorMessage(err))
		return 1
	}
	fromHQ := map[string]wire.DirectoryOfficer{}
	for _, o := range d.Officers {
		fromHQ[o.ID] = o
	}
	enc := json.NewEncoder(stdout)
	for _, o := range os {
		l := officerLine{ID: o.ID, Name: o.Name, Role: string(o.Role), Posts: []string{}, Language: o.Language, Disabled: o.Disabled}
		if h, ok := fromHQ[o.ID]; ok {
			l.Posts, l.Directory = h.Posts, d.Version
		}
		enc.Encode(l)
	}
	return 0
}

// runOfficer is `bmis officer check --db FILE --id ID` with the password on
// stdin: exit 0 when this booth would let the officer sign in now, 1 with the
// reason on stderr (unknown, other post, disabled, wrong password, locked). It
// signs in for real, through the store's Authenticate, so the attempt is
// audited and counts toward the lockout as one at the booth would.
func runOfficer(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "check" {
		fmt.Fprintln(stderr, "usage: bmis officer check --db FILE --id ID   (password on stdin)")
		return 2
	}
	fs := flag.NewFlagSet("officer check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "booth database `FILE`")
	id := fs.String("id", "", "the officer's service `NUMBER`")
	if code, ok := parseFlags(fs, args[1:]); !ok {
		return code
	}
	if *db == "" || *id == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: bmis officer check --db FILE --id ID   (password on stdin)")
		return 2
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		fmt.Fprintf(stderr, "bmis officer check: read password: %v\n", err)
		return 1
	}
	password := strings.TrimRight(line, "\r\n")
	if _, err := os.Stat(*db); err != nil {
		fmt.Fprintf(stderr, "bmis officer check: no booth database %s\n", *db)
		return 1
	}
	s, err := store.Open(*db, store.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "bmis officer check: %s\n", app.ErrorMessage(err))
		return 1
	}
	defer s.Close()
	reason, err := checkOfficer(ctx, s, *db, *id, password)
	if err != nil {
		fmt.Fprintf(stderr, "bmis officer check: %s\n", app.ErrorMessage(err))
		return 1
	}
	if reason != "" {
		fmt.Fprintf(stderr, "%s: %s\n", *id, reason)
		return 1
	}
	fmt.Fprintf(stdout, "%s may sign in at this booth\n", *id)
	return 0
}

// checkOfficer returns why the officer would be refused ("" when not).
func checkOfficer(ctx context.Context, s *store.Store, db, id, password string) (string, error) {
	o, err := s.Officer(ctx, id)
	if app.ErrorCode(err) == app.ENOTFOUND {
		post, _ := s.Post(ctx)
		return fmt.Sprintf("unknown: this booth (post %s) holds no officer %s; an officer of another post is not sent here", post, id), nil
	} else if err != nil {
		return "", err
	}
	if o.Disabled {
		d, _ := directory(db)
		for _, h := range d.Officers {
			if h.ID == id {
				return fmt.Sprintf("disabled at HQ (directory version %d)", d.Version), nil
			}
		}
		if d.Version > 0 {
			return fmt.Sprintf("disabled: no longer in HQ's directory for this post (version %d): other post, or removed", d.Version), nil
		}
		return "disabled", nil
	}
	if !o.Role.AtBooth() {
		return fmt.Sprintf("role %s signs in at HQ, not at a booth", o.Role), nil
	}
	_, err = s.Authenticate(ctx, id, password)
	switch app.ErrorCode(err) {
	case "":
		return "", nil
	case app.ELOCKED:
		return "locked: " + app.ErrorMessage(err), nil
	case app.EUNAUTHORIZED:
		return "wrong password", nil
	}
	return "", err
}
