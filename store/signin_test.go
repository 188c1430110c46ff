package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/store"
)

// TestSignInDoesNotTellWhoExists: wrong passwords under a known and an
// unknown service number get the same answers in the same order, "locked"
// included (issue 14, item 12: "locked" told that an id exists).
func TestSignInDoesNotTellWhoExists(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 5, 1, 8, 0, 0, 0, bishkek)}
	s, _ := openStore(t, store.Options{Clock: clk, MaxFailedSignIns: 3, LockoutFor: 10 * time.Minute})
	if err := s.SaveOfficer(ctx, app.Officer{ID: "1001", Name: "Aibek Asanov", Role: app.RoleOfficer}, "correct horse"); err != nil {
		t.Fatal(err)
	}
	answers := func(id string) []string {
		var out []string
		for range 5 {
			_, err := s.Authenticate(ctx, id, "battery staple")
			out = append(out, app.ErrorCode(err)+": "+app.ErrorMessage(err))
		}
		return out
	}
	known, unknown := answers("1001"), answers("7777")
	if strings.Join(known, "\n") != strings.Join(unknown, "\n") {
		t.Fatalf("a known id answers\n%s\nan unknown one\n%s", strings.Join(known, "\n"), strings.Join(unknown, "\n"))
	}
	if !strings.HasPrefix(known[4], app.ELOCKED) {
		t.Fatalf("no lockout: %v", known)
	}
	clk.t = clk.t.Add(11 * time.Minute)
	if _, err := s.Authenticate(ctx, "7777", "x"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("after the lockout: %v", err)
	}
}

// TestSignInAuditBoundsTheID: an unknown 50 MB service number costs the audit
// log a bounded entry, not 50 MB.
func TestSignInAuditBoundsTheID(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t, store.Options{})
	huge := strings.Repeat("A", 50<<20)
	if _, err := s.Authenticate(ctx, huge, "x"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("got %v", err)
	}
	es, err := s.AuditEntries(ctx, 0, 10)
	if err != nil || len(es) == 0 {
		t.Fatalf("audit: %v %v", es, err)
	}
	e := es[len(es)-1]
	if e.Action != app.AuditSignInFailed || len(e.Subject) > 200 || len(e.OfficerID) > 200 || !strings.Contains(e.Subject, "52428800 bytes") {
		t.Fatalf("audit entry of %d+%d bytes: %.120q", len(e.Subject), len(e.OfficerID), e.Subject)
	}
	if id := "1001"; !strings.Contains(func() string {
		s.Authenticate(ctx, id, "x")
		es, _ := s.AuditEntries(ctx, e.Seq, 10)
		return es[0].Subject
	}(), id) {
		t.Fatal("a short id is not kept whole")
	}
}
