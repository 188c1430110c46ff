package hq

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/store"
)

// officerLine is one line of `hq officer list`. The password hash stays at HQ's
// store and in the booths' directories, never on a terminal.
type officerLine struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Role        string   `json:"role"`
	Posts       []string `json:"posts"`
	Language    string   `json:"language"`
	Disabled    bool     `json:"disabled"`
	Removed     bool     `json:"removed,omitempty"` // off every post (hq officer remove)
	LockedUntil string   `json:"locked_until,omitempty"`
	Changed     string   `json:"changed"`
}

func lineOf(a store.Account) officerLine {
	l := officerLine{ID: a.ID, Name: a.Name, Role: string(a.Role), Posts: a.Posts, Language: a.Language, Disabled: a.Disabled,
		Removed: Removed(a), Changed: a.Changed.UTC().Format(time.RFC3339)}
	if l.Posts == nil {
		l.Posts = []string{}
	}
	if !a.LockedUntil.IsZero() {
		l.LockedUntil = a.LockedUntil.UTC().Format(time.RFC3339)
	}
	return l
}

// actor names who runs the command, for the administrative chain.
func actor() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "cli:" + u.Username
	}
	return "cli"
}

func (m *Main) officer(ctx context.Context, cmd string, args []string) error {
	var c common
	var in OfficerInput
	var role, posts string
	var passwordStdin bool
	fs := m.flags("officer "+cmd, &c)
	if cmd != "list" && cmd != "verify" {
		fs.StringVar(&in.ID, "id", "", "the officer's service number")
	}
	if cmd == "add" || cmd == "update" {
		fs.StringVar(&in.Name, "name", "", "full name")
		fs.StringVar(&role, "role", "", "officer, trainee, supervisor, trainer, post-admin, analyst, auditor or hq-admin")
		fs.StringVar(&posts, "posts", "", "comma-separated posts the officer works at (booth roles)")
		fs.StringVar(&in.Language, "language", "", "ky, ru or en (default en)")
	}
	if cmd == "add" || cmd == "reset-password" {
		fs.BoolVar(&passwordStdin, "password-stdin", false, "read the password from the first line of stdin")
	}
	if err := m.parse(fs, args, &c, 0); err != nil {
		return err
	}
	in.Role = app.Role(role)
	if posts != "" {
		in.Posts = strings.Split(posts, ",")
	} else if given(fs, "posts") {
		in.Posts = []string{} // --posts "": clear them (an HQ role; or refused with a sentence)
	}
	switch {
	case cmd != "list" && cmd != "verify" && in.ID == "":
		return usageError("--id is required")
	case cmd == "add" && (in.Name == "" || role == ""):
		return usageError("--name and --role are required")
	case (cmd == "add" || cmd == "reset-password") && !passwordStdin:
		return usageError("--password-stdin is required: give the password on stdin, never on the command line")
	}
	if passwordStdin {
		var err error
		if in.Password, err = m.readPassword(); err != nil {
			return err
		}
	}
	s, _, err := m.open(ctx, c, "")
	if err != nil {
		return err
	}
	defer s.Close()
	enc := json.NewEncoder(m.Stdout)
	var a store.Account
	switch cmd {
	case "add":
		a, err = s.AddOfficer(ctx, actor(), in)
	case "update":
		a, err = s.UpdateOfficer(ctx, actor(), in)
	case "remove":
		a, err = s.RemoveOfficer(ctx, actor(), in.ID)
	case "disable", "enable":
		a, err = s.SetOfficerDisabled(ctx, actor(), in.ID, cmd == "disable")
	case "reset-password":
		if err := s.ResetPassword(ctx, actor(), in.ID, in.Password); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "password of %s reset\n", in.ID)
		return nil
	case "list":
		all, err := s.Officers(ctx)
		if err != nil {
			return err
		}
		for _, a := range all {
			enc.Encode(lineOf(a))
		}
		return nil
	case "verify":
		log, err := s.Store().AdminLog(ctx, 0)
		if err != nil {
			return err
		}
		if _, err := store.VerifyAdminLog(log); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "administrative chain whole: %d changes\n", len(log))
		return nil
	}
	if err != nil {
		return err
	}
	return enc.Encode(lineOf(a))
}

// readPassword reads one line from stdin, without its line ending.
func (m *Main) readPassword() (string, error) {
	in := m.Stdin
	if in == nil {
		in = os.Stdin
	}
	line, err := bufio.NewReader(io.LimitReader(in, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// given reports whether flag name was on the command line (an empty value
// differs from none).
func given(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}
