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
	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/store"
)

// newOfficerStore makes a booth store at dir/booth.db with officer K1 active.
func newOfficerStore(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "booth.db")
	s, err := store.Open(db, store.Options{Argon2: store.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SaveOfficer(context.Background(), app.Officer{ID: "K1", Name: "K One", Role: app.RoleOfficer, Language: "en"}, "pw"); err != nil {
		t.Fatal(err)
	}
	return db
}

func runInspectCmd(t *testing.T, stdin string, args ...string) (int, inspectReport, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"inspect"}, args...), strings.NewReader(stdin), &out, &errb)
	var rep inspectReport
	if out.Len() > 0 {
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatalf("output is not one JSON object: %v\n%s", err, out.String())
		}
	}
	return code, rep, errb.String()
}

// TestInspectAcrossPosts: `bmis inspect` runs the booth's own path against a
// real HQ: an entry decided at Manas, and months later the exit at Dostuk
// shows it from HQ with the overstay; the decision is durable and its audit
// says headless. An officer not in the directory is refused; --offline
// shows the booth's own history only.
func TestInspectAcrossPosts(t *testing.T) {
	h := hqtest.Start(t, hq.Config{})
	bundle := func(booth, post string) string {
		data, err := h.Enrol(t, booth, post).Marshal()
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(t.TempDir(), booth+".json")
		os.WriteFile(p, data, 0o600)
		return p
	}
	lines, err := mrz.Compose(mrz.TD3, mrz.Fields{IssuingState: "GBR", Surname: "WALKER", GivenNames: "EMMA", DocumentNumber: "533401927",
		Nationality: "GBR", BirthDateISO: "1988-05-17", Sex: "F", ExpiryDateISO: "2033-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Join(lines, "\n") + "\n"

	manas := newOfficerStore(t)
	code, rep, stderr := runInspectCmd(t, doc, "--db", manas, "--officer", "K1", "--direction", "entry",
		"--at", "2026-07-01T10:00:00Z", "--enrolment", bundle("MANAS-01", "MANAS"), "--decide", "admit")
	if code != 0 || rep.CrossingID == nil || !rep.Valid || len(rep.History) != 0 {
		t.Fatalf("entry at Manas: exit %d, %+v, %s", code, rep, stderr)
	}
	var fields map[string]any
	if json.Unmarshal(rep.Document, &fields); fields["document_number"] != "533401927" || fields["surname"] != "WALKER" {
		t.Errorf("document = %s, want the fields of bmis mrz", rep.Document)
	}
	entryID := *rep.CrossingID

	dostuk := newOfficerStore(t)
	code, rep, stderr = runInspectCmd(t, doc, "--db", dostuk, "--officer", "K1", "--direction", "exit",
		"--at", "2026-11-25T09:00:00Z", "--enrolment", bundle("DOSTUK-07", "DOSTUK"), "--decide", "admit", "--note", "overstay: fined")
	if code != 0 || rep.CrossingID == nil {
		t.Fatalf("exit at Dostuk: exit %d, %+v, %s", code, rep, stderr)
	}
	if len(rep.History) != 1 || rep.History[0].Post != "MANAS" || rep.History[0].Source != app.SourceHQ || rep.History[0].Direction != "entry" {
		t.Errorf("history = %+v, want Manas's entry from HQ", rep.History)
	}
	if rep.Stay == nil || rep.Stay.DaysUsed != 148 || rep.Stay.OverstayDays != 58 || rep.Stay.LimitDays != 90 || rep.Stay.WindowDays != 180 {
		t.Errorf("stay = %+v, want 148 days used of 90 in 180, 58 overstayed", rep.Stay)
	}
	hc, err := h.Store().History(context.Background(), app.DocumentKey{IssuingState: "GBR", Number: "533401927"}, app.TravellerKey{}, 10)
	if err != nil || len(hc) != 2 || hc[1].ID != entryID {
		t.Errorf("HQ holds %d crossings of the traveller (%v), want the entry and the exit uploaded at once", len(hc), err)
	}

	s, err := store.Open(dostuk, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	entries, err := s.AuditEntries(context.Background(), 0, 1000)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	var signIn, decision bool
	for _, e := range entries {
		signIn = signIn || (e.Action == app.AuditSignIn && strings.Contains(e.Detail, `"headless":true`))
		decision = decision || (e.Action == app.AuditDecision && e.Subject == *rep.CrossingID && strings.Contains(e.Detail, `"headless":true`))
	}
	if !signIn || !decision {
		t.Errorf("audit marks the sign-in headless: %v, the decision: %v", signIn, decision)
	}

	if code, out, errOut := runBmis(t, "audit", "verify", "--db", dostuk); code != 0 {
		t.Errorf("bmis audit verify after a headless decision: exit %d, %s %s", code, out, errOut)
	}

	t.Run("offline", func(t *testing.T) {
		code, rep, stderr := runInspectCmd(t, doc, "--db", dostuk, "--officer", "K1", "--direction", "exit", "--at", "2026-11-25T09:05:00Z", "--offline")
		if code != 0 || rep.CrossingID != nil || rep.National != "" {
			t.Fatalf("exit %d, %+v, %s", code, rep, stderr)
		}
		if len(rep.History) != 1 || rep.History[0].Source != app.SourceLocal || rep.History[0].Direction != "exit" {
			t.Errorf("offline history = %+v, want this booth's exit only", rep.History)
		}
	})
	t.Run("officer not in the directory", func(t *testing.T) {
		code, _, stderr := runInspectCmd(t, doc, "--db", dostuk, "--officer", "NOBODY", "--direction", "exit")
		if code != 1 || !strings.Contains(stderr, "not in this booth's directory") {
			t.Errorf("exit %d, %q", code, stderr)
		}
	})
	t.Run("usage", func(t *testing.T) {
		if code, _, _ := runInspectCmd(t, doc, "--db", dostuk, "--officer", "K1", "--direction", "sideways"); code != 2 {
			t.Errorf("a bad direction exits %d, want 2", code)
		}
	})
}
