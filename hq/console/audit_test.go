package console_test

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/console"
	"github.com/chekara/chekara/hq/store"
)

// TestAuditChain: the console's audit file is a hash chain that survives a
// reopen and a torn last line; altering, removing or reordering a line is
// found.
func TestAuditChain(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "console-audit.jsonl")
	a, err := console.OpenFileAudit(path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	for i, act := range []string{"sign_in", "view", "export"} {
		if err := a.Append(ctx, console.AuditEntry{At: at.Add(time.Duration(i) * time.Minute), Account: "aida", Action: act, Path: "/"}); err != nil {
			t.Fatal(err)
		}
	}
	a.Close()
	// A crash mid-write leaves half a line; reopening chains on from the last whole one.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"at":"2026-12-04T09:05:00Z","acc`)
	f.Close()
	if a, err = console.OpenFileAudit(path); err != nil {
		t.Fatal(err)
	}
	if err := a.Append(ctx, console.AuditEntry{At: at.Add(time.Hour), Account: "aida", Action: "sign_out", Path: "/signout"}); err != nil {
		t.Fatal(err)
	}
	es, err := a.Entries(ctx)
	a.Close()
	if err != nil {
		t.Fatal(err)
	}
	if c := console.VerifyAudit(es); c.Broken != 0 || c.Entries != 4 {
		t.Fatalf("chain after a torn line was cut: %+v", c)
	}
	whole := es[:3]
	if c := console.VerifyAudit(whole); c.Broken != 0 || c.Entries != 3 {
		t.Fatalf("intact chain: %+v", c)
	}
	for name, edit := range map[string]func([]console.AuditEntry) []console.AuditEntry{
		"altered": func(es []console.AuditEntry) []console.AuditEntry { es[1].Action = "api"; return es },
		"removed": func(es []console.AuditEntry) []console.AuditEntry { return append(es[:1:1], es[2]) },
		"swapped": func(es []console.AuditEntry) []console.AuditEntry { es[1], es[2] = es[2], es[1]; return es },
	} {
		t.Run(name, func(t *testing.T) {
			es := edit(append([]console.AuditEntry(nil), whole...))
			if c := console.VerifyAudit(es); c.Broken == 0 {
				t.Errorf("%s line not found: %+v", name, c)
			}
		})
	}
}

// TestAuditPage: an auditor sees who looked up whom at the booths, counted
// per officer, booth and traveller and filtered by each; the HQ
// administrators' changes with the chain checked; and the console's activity
// with its chain checked. An analyst may not open it.
func TestAuditPage(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	for i, l := range []store.Lookup{
		{Booth: "DOSTUK-01", OfficerID: "OFF-1", InspectionID: "i1", Person: app.TravellerKey{Surname: "ASANOV", BirthDate: "1990-01-01", Nationality: "KGZ"}},
		{Booth: "DOSTUK-01", OfficerID: "OFF-1", InspectionID: "i2", Document: app.DocumentKey{IssuingState: "UZB", Number: "AA1234567"}},
		{Booth: "TORUGART-01", OfficerID: "OFF-9", InspectionID: "i3", Person: app.TravellerKey{Surname: "ASANOV", BirthDate: "1990-01-01", Nationality: "KGZ"}},
	} {
		l.At = now.Add(time.Duration(i-3) * time.Hour)
		if _, err := r.store.AuditLookup(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	_, err := r.store.ChangeAccount(ctx, "OFF-9", now, "root", func(store.Account, bool) (store.Account, store.AdminEntry, error) {
		return store.Account{ID: "OFF-9", Name: "Nurlan", Role: app.RoleOfficer, Posts: []string{"TORUGART"}, Language: "ky", Password: "x"},
			store.AdminEntry{Action: "officer_add", Detail: `{"role":"officer"}`}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	an := r.browser()
	an.signIn("aida", "correct horse")
	if code, _ := an.get("/audit"); code != 403 {
		t.Errorf("an analyst opens the audit page: %d", code)
	}
	b := r.browser()
	b.signIn("timur", "battery staple")
	code, page := b.get("/audit")
	if code != 200 {
		t.Fatalf("audit page: %d\n%s", code, page)
	}
	for _, want := range []string{"by officer (3)", "<td>OFF-1</td><td class=\"num\">2</td>", "<td>DOSTUK-01</td><td class=\"num\">2</td>",
		"<td>ASANOV 1990-01-01 KGZ</td><td class=\"num\">2</td>", "UZB AA1234567", "officer_add", "Administrative chain: 1 changes, intact.",
		"chain intact", "refused"} {
		if !strings.Contains(page, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
	_, page = b.get("/audit?" + url.Values{"traveller": {"asanov"}, "booth": {"TORUGART-01"}}.Encode())
	if !strings.Contains(page, "by officer (1)") || !strings.Contains(page, "<td>OFF-9</td>") || strings.Contains(page, "<td>OFF-1</td>") {
		t.Errorf("filtered by traveller and booth:\n%s", page)
	}
	_, page = b.get("/audit?officer=OFF-9")
	if !strings.Contains(page, "by officer (1)") || !strings.Contains(page, "officer_add") {
		t.Error("filtered by officer: the look-up and the change about OFF-9 are missing")
	}
	if code, _ := b.get("/audit?from=yesterday"); code != 400 {
		t.Errorf("a malformed day: %d, want 400", code)
	}
}

// TestSignInThrottledPerAddress: failed sign-ins from one address across
// many accounts stop that address, right password or not, until the window
// ends; it is audited.
func TestSignInThrottledPerAddress(t *testing.T) {
	r := newRig(t, func(c *console.Config) { c.MaxPerIP = 3 })
	b := r.browser()
	for _, acc := range []string{"nobody", "aida", "timur"} {
		if code, _ := b.signIn(acc, "guess"); code != 401 {
			t.Fatalf("wrong password: %d", code)
		}
	}
	if code, page := b.signIn("aida", "correct horse"); code != 429 || !strings.Contains(page, "Too many failed sign-ins") {
		t.Fatalf("fourth try from the address: %d", code)
	}
	r.clock.Add(16 * time.Minute)
	if code, _ := b.signIn("aida", "correct horse"); code != 303 {
		t.Errorf("after the window: %d, want 303", code)
	}
	es, _ := r.audit.Entries(context.Background())
	var throttled int
	for _, e := range es {
		if e.Action == "throttled" {
			throttled++
		}
	}
	if throttled != 1 {
		raw, _ := json.Marshal(es)
		t.Errorf("throttled entries %d, want 1: %s", throttled, raw)
	}
}
