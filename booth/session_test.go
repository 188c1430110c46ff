package booth_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/clocktest"
	"github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/sync"
)

// enrolledBooth opens a fresh booth of bundle on clk and runs its first round
// with HQ.
func enrolledBooth(t *testing.T, bundle string, clk *clock) *booth.Booth {
	t.Helper()
	ctx := context.Background()
	b, err := booth.Open(ctx, booth.Config{DataDir: t.TempDir(), Enrolment: bundle, Clock: clk, Store: fastArgon})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	if err := b.Link.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	return b
}

// nextRound runs the booth's next link round one directory pull later, as
// the running loop does within 30 s (docs/officers.md).
func nextRound(t *testing.T, b *booth.Booth, clk *clock) {
	t.Helper()
	clk.add(sync.DirectoryPullEvery)
	if err := b.Link.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestDisabledOfficerSignedOut (issue 13): an officer signed in at the booth
// when HQ disables them loses the session at the next directory pull, over
// real mutual TLS — whether working or locked — with the sign-out audited and
// the window told why; their shift stays open, and they cannot sign in again.
func TestDisabledOfficerSignedOut(t *testing.T) {
	ctx := context.Background()
	h := testHQ{hqtest.Start(t, cheapHQ), t.TempDir()}
	dostuk := h.bundle(t, "DOSTUK-07", "DOSTUK")
	const pw = "Zhibek-zholu-2026"
	for _, in := range []hq.OfficerInput{
		{ID: "K100", Name: "Kubat Osmonov", Role: app.RoleOfficer, Posts: []string{"DOSTUK"}, Password: pw},
		{ID: "K200", Name: "Asel Bekova", Role: app.RoleOfficer, Posts: []string{"DOSTUK"}, Password: pw},
	} {
		if _, err := h.AddOfficer(ctx, "test", in); err != nil {
			t.Fatal(err)
		}
	}
	clk := &clock{today}
	b := enrolledBooth(t, dostuk, clk)
	var ended []*app.Error
	b.App.OnSessionEnded(func(e *app.Error) { ended = append(ended, e) })

	if _, err := b.App.SignIn(ctx, "K100", pw); err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.OpenShift(ctx, "DOSTUK", "DOSTUK-07", app.Entry); err != nil {
		t.Fatal(err)
	}
	// A change at HQ that leaves K100 allowed keeps the session.
	if _, err := h.UpdateOfficer(ctx, "test", hq.OfficerInput{ID: "K100", Name: "Kubat Osmonov-Uulu"}); err != nil {
		t.Fatal(err)
	}
	nextRound(t, b, clk)
	if s := b.App.Session(); !s.SignedIn || s.Officer.Name != "Kubat Osmonov-Uulu" {
		t.Fatalf("after a rename at HQ: session %+v, want K100 signed in under the new name", s)
	}
	if len(ended) != 0 {
		t.Fatalf("session ended by a rename: %v", ended)
	}

	if _, err := h.SetOfficerDisabled(ctx, "test", "K100", true); err != nil {
		t.Fatal(err)
	}
	nextRound(t, b, clk)
	if s := b.App.Session(); s.SignedIn {
		t.Fatalf("disabled at HQ, still signed in: %+v", s)
	}
	if len(ended) != 1 || ended[0].Key != "err.session_ended_disabled" {
		t.Fatalf("the window was told %v, want one err.session_ended_disabled", ended)
	}
	if got, want := ended[0].Error(), "K100 was disabled at HQ"; !strings.Contains(got, want) {
		t.Errorf("the officer reads %q, want %q", got, want)
	}
	entries, err := b.Store.AuditEntries(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	last := entries[len(entries)-1]
	if last.Action != app.AuditSignOut || last.OfficerID != "K100" || !strings.Contains(last.Detail, "officer_refused_by_hq") {
		t.Errorf("last audit entry %s %s %s, want K100's sign-out refused by HQ", last.Action, last.OfficerID, last.Detail)
	}
	if _, err := b.Store.OpenShiftOf(ctx, "K100"); err != nil {
		t.Errorf("K100's shift after the forced sign-out: %v, want still open", err)
	}
	if _, err := b.App.SignIn(ctx, "K100", pw); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("sign-in after the disable: %v, want EUNAUTHORIZED", err)
	}

	// A locked booth is no shelter: K200 locks, is disabled, and is signed out.
	if _, err := b.App.SignIn(ctx, "K200", pw); err != nil {
		t.Fatal(err)
	}
	if err := b.App.Lock(ctx, "on_demand"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.SetOfficerDisabled(ctx, "test", "K200", true); err != nil {
		t.Fatal(err)
	}
	nextRound(t, b, clk)
	if s := b.App.Session(); s.SignedIn || s.Locked {
		t.Errorf("locked and disabled at HQ: session %+v, want signed out", s)
	}
	if len(ended) != 2 {
		t.Errorf("the window was told %d times, want 2", len(ended))
	}
}

// TestOfficerLeavesPost (issue 13): an officer moved to another post at HQ is
// refused at their former post's booth and admitted at the new one's at the
// next pull; one removed from every post (hq officer remove) at both. The
// booth keeps them, disabled, for the shifts that name them.
func TestOfficerLeavesPost(t *testing.T) {
	ctx := context.Background()
	h := testHQ{hqtest.Start(t, cheapHQ), t.TempDir()}
	dostuk := h.bundle(t, "DOSTUK-07", "DOSTUK")
	osh := h.bundle(t, "OSH-01", "OSH")
	const pw = "Zhibek-zholu-2026"
	if _, err := h.AddOfficer(ctx, "test", hq.OfficerInput{ID: "K100", Name: "Kubat Osmonov", Role: app.RoleOfficer, Posts: []string{"DOSTUK"}, Password: pw}); err != nil {
		t.Fatal(err)
	}
	clk := &clock{today}
	bd, bo := enrolledBooth(t, dostuk, clk), enrolledBooth(t, osh, clk)
	signIn := func(b *booth.Booth) error {
		_, err := b.App.SignIn(ctx, "K100", pw)
		if err == nil {
			b.App.SignOut(ctx)
		}
		return err
	}
	if err := signIn(bd); err != nil {
		t.Fatalf("K100 at DOSTUK: %v", err)
	}

	if _, err := h.UpdateOfficer(ctx, "test", hq.OfficerInput{ID: "K100", Posts: []string{"OSH"}}); err != nil {
		t.Fatal(err)
	}
	nextRound(t, bd, clk)
	nextRound(t, bo, clk)
	if err := signIn(bd); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("K100 moved to OSH, at DOSTUK: %v, want EUNAUTHORIZED", err)
	}
	if o, err := bd.Store.Officer(ctx, "K100"); err != nil || !o.Disabled {
		t.Errorf("DOSTUK holds K100 as %+v (%v), want kept and disabled", o, err)
	}
	if err := signIn(bo); err != nil {
		t.Errorf("K100 moved to OSH, at OSH: %v", err)
	}

	if _, err := h.RemoveOfficer(ctx, "test", "K100"); err != nil {
		t.Fatal(err)
	}
	nextRound(t, bd, clk)
	nextRound(t, bo, clk)
	for name, b := range map[string]*booth.Booth{"DOSTUK": bd, "OSH": bo} {
		if err := signIn(b); app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Errorf("K100 removed, at %s: %v, want EUNAUTHORIZED", name, err)
		}
	}
}

// TestDisableReachesRunningBooth: with the link's loop running (its timers
// on a stepped clock, no sleeping), a disable at HQ ends the signed-in
// officer's session at the loop's next pull, which comes within 60 s.
func TestDisableReachesRunningBooth(t *testing.T) {
	ctx := context.Background()
	h := testHQ{hqtest.Start(t, cheapHQ), t.TempDir()}
	bundle := h.bundle(t, "DOSTUK-07", "DOSTUK")
	const pw = "Zhibek-zholu-2026"
	if _, err := h.AddOfficer(ctx, "test", hq.OfficerInput{ID: "K100", Name: "Kubat Osmonov", Role: app.RoleOfficer, Posts: []string{"DOSTUK"}, Password: pw}); err != nil {
		t.Fatal(err)
	}
	clk := clocktest.New(time.Now())
	b, err := booth.Open(ctx, booth.Config{DataDir: t.TempDir(), Enrolment: bundle, Clock: clk, Store: fastArgon})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Link.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.SignIn(ctx, "K100", pw); err != nil {
		t.Fatal(err)
	}
	ended := make(chan *app.Error, 1)
	b.App.OnSessionEnded(func(e *app.Error) { ended <- e })
	made := clk.Made()
	b.Link.Start(ctx)
	defer b.Link.Stop()
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	// Both loops (upload, pull) have run their first round and armed a timer.
	if _, ok := clk.NextAfter(wctx, made+1); !ok || clk.Pending() != 2 {
		t.Fatalf("the link's loops armed %d timers, want 2", clk.Pending())
	}
	if _, err := h.SetOfficerDisabled(ctx, "test", "K100", true); err != nil {
		t.Fatal(err)
	}
	var waited time.Duration
	for {
		d, ok := clk.Next(wctx)
		if !ok {
			t.Fatal("no timer armed")
		}
		clk.Advance(d)
		waited += d
		select {
		case e := <-ended:
			if waited > 60*time.Second {
				t.Errorf("session ended %v after the disable, want within 60 s", waited)
			}
			if e.Key != "err.session_ended_disabled" || b.App.Session().SignedIn {
				t.Errorf("ended with %v, session %+v", e, b.App.Session())
			}
			return
		case <-time.After(5 * time.Second): // the round fired by this step did not end it
		}
		if waited > 60*time.Second {
			t.Fatalf("still signed in %v after the disable", waited)
		}
	}
}
