package hq_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/store"
)

// runIn runs an hq command in-process with stdin.
func runIn(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &hq.Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Logger: slog.New(slog.DiscardHandler)}
	code = m.Run(context.Background(), args)
	return code, out.String(), errb.String()
}

// TestOfficerCommands: every `hq officer` command, and every bad input the
// issue names refused with a sentence and nothing half-applied (the
// administrative chain grows only with the changes that were made).
func TestOfficerCommands(t *testing.T) {
	dir := t.TempDir()
	if err := hq.SaveSettings(dir, hq.Settings{Address: "https://hq.example:8443"}); err != nil {
		t.Fatal(err)
	}
	for _, b := range [][2]string{{"DOSTUK-07", "DOSTUK"}, {"OSH-01", "OSH"}} {
		if code, _, errs := run(t, "booth", "enrol", "--data", dir, "--booth", b[0], "--post", b[1], "--out", t.TempDir()+"/b.json"); code != 0 {
			t.Fatal(errs)
		}
	}
	const pw = "Zhibek-zholu-2026\n"
	steps := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string // in stdout (code 0) or stderr
	}{
		{"add an hq-admin", pw, []string{"add", "--id", "A1", "--name", "Aida Admin", "--role", "hq-admin", "--password-stdin"}, 0, `"role":"hq-admin"`},
		{"add an officer", pw, []string{"add", "--id", "K100", "--name", "Kubat Osmonov", "--role", "officer", "--posts", "DOSTUK,OSH", "--language", "ky", "--password-stdin"}, 0, `"posts":["DOSTUK","OSH"]`},
		{"a duplicate id", pw, []string{"add", "--id", "K100", "--name", "Other", "--role", "officer", "--posts", "DOSTUK", "--password-stdin"}, 1, "already exists"},
		{"an unknown role", pw, []string{"add", "--id", "K101", "--name", "Asel", "--role", "captain", "--posts", "DOSTUK", "--password-stdin"}, 1, "not a role"},
		{"an unknown post", pw, []string{"add", "--id", "K101", "--name", "Asel", "--role", "officer", "--posts", "NARYN", "--password-stdin"}, 1, "no booth enrolled"},
		{"a booth role without a post", pw, []string{"add", "--id", "K101", "--name", "Asel", "--role", "trainee", "--password-stdin"}, 1, "at least one post"},
		{"an HQ role with a post", pw, []string{"add", "--id", "AN1", "--name", "Aibek", "--role", "analyst", "--posts", "DOSTUK", "--password-stdin"}, 1, "no post"},
		{"a short password", "short1\n", []string{"add", "--id", "K101", "--name", "Asel", "--role", "officer", "--posts", "DOSTUK", "--password-stdin"}, 1, "12 to 128"},
		{"a password of letters only", "abcdefghijklmnop\n", []string{"add", "--id", "K101", "--name", "Asel", "--role", "officer", "--posts", "DOSTUK", "--password-stdin"}, 1, "digit or sign"},
		{"a password holding the name", "kubat-2026-border\n", []string{"reset-password", "--id", "K100", "--password-stdin"}, 1, "name"},
		{"a password on the command line", "", []string{"add", "--id", "K101", "--name", "Asel", "--role", "officer", "--posts", "DOSTUK"}, 2, "--password-stdin"},
		{"disable the last hq-admin", "", []string{"disable", "--id", "A1"}, 1, "last enabled hq-admin"},
		{"demote the last hq-admin", "", []string{"update", "--id", "A1", "--role", "auditor"}, 1, "last enabled hq-admin"},
		{"update an unknown officer", "", []string{"update", "--id", "NOBODY", "--name", "X"}, 1, "no officer"},
		{"move an officer to one post", "", []string{"update", "--id", "K100", "--posts", "OSH"}, 0, `"posts":["OSH"]`},
		{"disable", "", []string{"disable", "--id", "K100"}, 0, `"disabled":true`},
		{"enable", "", []string{"enable", "--id", "K100"}, 0, `"disabled":false`},
		{"reset a password", "Ala-Too-peaks-7\n", []string{"reset-password", "--id", "K100", "--password-stdin"}, 0, "reset"},
		{"clear an enabled officer's posts", "", []string{"update", "--id", "K100", "--posts", ""}, 1, "hq officer remove"},
		{"remove an unknown officer", "", []string{"remove", "--id", "NOBODY"}, 1, "no officer"},
		{"remove the last hq-admin", "", []string{"remove", "--id", "A1"}, 1, "last enabled hq-admin"},
		{"remove an officer", "", []string{"remove", "--id", "K100"}, 0, `"posts":[],"language":"ky","disabled":true,"removed":true`},
		{"enable a removed officer", "", []string{"enable", "--id", "K100"}, 1, "give them a post first"},
		{"give a removed officer a post", "", []string{"update", "--id", "K100", "--posts", "DOSTUK"}, 0, `"posts":["DOSTUK"]`},
		{"enable them again", "", []string{"enable", "--id", "K100"}, 0, `"disabled":false`},
		{"verify the chain", "", []string{"verify"}, 0, "9 changes"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			code, out, errs := runIn(t, s.stdin, append([]string{"officer", s.args[0], "--data", dir}, s.args[1:]...)...)
			got := out
			if s.code != 0 {
				got = errs
			}
			if code != s.code || !strings.Contains(got, s.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d with %q", code, out, errs, s.code, s.want)
			}
		})
	}

	code, out, errs := runIn(t, "", "officer", "list", "--data", dir)
	if code != 0 {
		t.Fatal(errs)
	}
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("list line %q: %v", l, err)
		}
		if _, leaked := m["password"]; leaked {
			t.Errorf("list shows a password hash: %s", l)
		}
		lines = append(lines, m)
	}
	if got, want := len(lines), 2; got != want {
		t.Fatalf("list has %d lines, want %d (refused adds must leave nothing)", got, want)
	}
	if got, want := lines[1]["id"], "K100"; got != want {
		t.Errorf("second line is %v, want %v", got, want)
	}
}

// TestAuthenticateAccount is the HQ console's sign-in: HQ roles only, the
// right password, and a lockout after MaxFailedSignIns wrong ones that even the
// right password does not pass until it ends.
func TestAuthenticateAccount(t *testing.T) {
	ctx := context.Background()
	clk := &fixedClock{time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)}
	s, err := hq.Open(ctx, hq.Config{DataDir: t.TempDir(), Clock: clk, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Enrol(ctx, "DOSTUK-07", "DOSTUK", "https://hq.example"); err != nil {
		t.Fatal(err)
	}
	const pw = "Zhibek-zholu-2026"
	for _, in := range []hq.OfficerInput{
		{ID: "AN1", Name: "Aibek Analyst", Role: app.RoleAnalyst, Password: pw},
		{ID: "K100", Name: "Kubat Osmonov", Role: app.RoleOfficer, Posts: []string{"DOSTUK"}, Password: pw},
	} {
		if _, err := s.AddOfficer(ctx, "test", in); err != nil {
			t.Fatal(err)
		}
	}
	a, err := s.AuthenticateAccount(ctx, "AN1", pw)
	if err != nil || a.Role != app.RoleAnalyst {
		t.Fatalf("analyst sign-in: %+v %v", a, err)
	}
	for _, tt := range []struct{ name, id, pw, code string }{
		{"a booth officer at HQ", "K100", pw, app.EUNAUTHORIZED},
		{"an unknown account", "NOBODY", pw, app.EUNAUTHORIZED},
	} {
		if _, err := s.AuthenticateAccount(ctx, tt.id, tt.pw); app.ErrorCode(err) != tt.code {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
		}
	}
	for i := 0; i < hq.MaxFailedSignIns; i++ {
		if _, err := s.AuthenticateAccount(ctx, "AN1", "wrong"); app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Fatalf("wrong password %d: %v", i+1, err)
		}
	}
	if _, err := s.AuthenticateAccount(ctx, "AN1", pw); app.ErrorCode(err) != app.ELOCKED {
		t.Fatalf("right password while locked: %v, want ELOCKED", err)
	}
	clk.t = clk.t.Add(hq.LockoutFor)
	if _, err := s.AuthenticateAccount(ctx, "AN1", pw); err != nil {
		t.Fatalf("after the lockout: %v", err)
	}
	if _, err := s.SetOfficerDisabled(ctx, "test", "AN1", true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AuthenticateAccount(ctx, "AN1", pw); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("disabled account: %v, want EUNAUTHORIZED", err)
	}
	log, err := s.Store().AdminLog(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.VerifyAdminLog(log); err != nil || len(log) != 3 {
		t.Errorf("chain of %d entries: %v; sign-ins are not administrative changes", len(log), err)
	}
}

type fixedClock struct{ t time.Time }

func (c *fixedClock) Now() time.Time { return c.t }
