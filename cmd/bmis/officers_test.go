package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/sync/wire"
)

func runBmisIn(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// TestOfficersHeadless: `bmis sync --once` creates the database of a freshly
// enrolled booth and pulls its post's officers; `bmis officers` lists them
// and `bmis officer check` answers as sign-in at this booth would, with the
// reason.
func TestOfficersHeadless(t *testing.T) {
	ctx := context.Background()
	h := hqtest.Start(t, hq.Config{Argon2: wire.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1}})
	bundle := writeBundle(t, h, "DOSTUK-07", t.TempDir())
	h.Enrol(t, "OSH-01", "OSH")
	const pw = "Zhibek-zholu-2026"
	for _, in := range []hq.OfficerInput{
		{ID: "K100", Name: "Kubat Osmonov", Role: app.RoleOfficer, Posts: []string{"DOSTUK"}, Language: "ky", Password: pw},
		{ID: "O200", Name: "Ormon Osh", Role: app.RoleSupervisor, Posts: []string{"OSH"}, Password: pw},
	} {
		if _, err := h.AddOfficer(ctx, "test", in); err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(t.TempDir(), "new", "booth.db")
	code, out, errs := runBmis(t, "sync", "--db", db, "--enrolment", bundle, "--once")
	var rep syncReport
	json.Unmarshal([]byte(out), &rep)
	if code != 0 || rep.Directory != 2 {
		t.Fatalf("first sync of a new booth: exit %d, %s\n%s", code, out, errs)
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("bmis sync did not create the database: %v", err)
	}

	code, out, errs = runBmis(t, "officers", "--db", db)
	if code != 0 {
		t.Fatal(errs)
	}
	var l officerLine
	if err := json.Unmarshal([]byte(out), &l); err != nil || strings.Count(out, "\n") != 1 {
		t.Fatalf("officers: %q %v", out, err)
	}
	if l.ID != "K100" || l.Role != "officer" || l.Language != "ky" || l.Disabled || l.Directory != 2 || len(l.Posts) != 1 || l.Posts[0] != "DOSTUK" {
		t.Errorf("officers line %+v", l)
	}

	check := []struct {
		name, id, password string
		code               int
		want               string
	}{
		{"the post's officer", "K100", pw, 0, "may sign in"},
		{"a wrong password", "K100", "Zhibek-zholu-2027", 1, "wrong password"},
		{"another post's officer", "O200", pw, 1, "unknown"},
	}
	for _, c := range check {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runBmisIn(t, c.password+"\n", "officer", "check", "--db", db, "--id", c.id)
			if code != c.code || !strings.Contains(out+errs, c.want) {
				t.Errorf("exit %d, %q %q; want %d with %q", code, out, errs, c.code, c.want)
			}
		})
	}
	if _, err := h.SetOfficerDisabled(ctx, "test", "K100", true); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runBmis(t, "sync", "--db", db, "--once"); code != 0 {
		t.Fatalf("sync: %s %s", out, errs)
	}
	if code, _, errs := runBmisIn(t, pw+"\n", "officer", "check", "--db", db, "--id", "K100"); code != 1 || !strings.Contains(errs, "disabled") {
		t.Errorf("disabled at HQ: exit %d, %q", code, errs)
	}
}

// TestSeedBoothPost: bmis seed --booth --post makes a database of that booth.
func TestSeedBoothPost(t *testing.T) {
	db := filepath.Join(t.TempDir(), "osh.db")
	if code, _, errs := runBmis(t, "seed", "--db", db, "--crossings", "10", "--booth", "OSH-01", "--post", "OSH"); code != 0 {
		t.Fatal(errs)
	}
	s, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	id, _ := s.BoothID(context.Background())
	post, _ := s.Post(context.Background())
	if id != "OSH-01" || post != "OSH" {
		t.Errorf("seeded database belongs to %s at %s", id, post)
	}
	if code, _, errs := runBmis(t, "seed", "--db", db, "--crossings", "1", "--booth", "DOSTUK-07"); code != 1 || !strings.Contains(errs, "belongs to booth OSH-01") {
		t.Errorf("seeding another booth's database: exit %d %q", code, errs)
	}
}
