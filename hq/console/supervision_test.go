package console_test

import (
	"context"

	"crypto/sha256"
	"github.com/chromedp/chromedp"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
)

// TestInBrowserSupervision: the supervision page in Chromium, with a
// sign-off and the post's referral (screenshot console-supervision.png).
func TestInBrowserSupervision(t *testing.T) {
	r := newRig(t)
	r.seed()
	signOffAt(t, r, "S300", "override at 09:14 checked with the duty officer")
	c := newChrome(t, r.srv)
	c.signIn("aida", "correct horse")
	c.do(chromedp.Navigate(c.base+"/supervision"), chromedp.WaitVisible(chromedp.CSS("table")), c.shot("supervision"))
	contains(t, "supervision", c.text("main"), "Sign-offs of shifts", "S300", "override at 09:14", "DOSTUK\t1\t0\t0\t1")
	c.signOut()
}

// signOffAt uploads a sign-off of DOSTUK-01's shift by supervisor.
func signOffAt(t *testing.T, r *rig, supervisor, comment string) {
	t.Helper()
	so := app.SignOff{ID: "so-" + supervisor, ShiftID: "shift-1", Post: "DOSTUK", Booth: "DOSTUK-01", ShiftBooth: "DOSTUK-01", ShiftOfficer: "OFF-1",
		SupervisorID: supervisor, Direction: app.Entry, Comment: comment,
		Counts: app.ShiftCounts{Inspections: 41, Refused: 2, Referred: 1, Overrides: 1}, At: now.Add(-time.Hour)}
	p := wire.EncodeSignOff(so)
	sum := sha256.Sum256(p)
	r.seq["DOSTUK-01"]++
	n := r.seq["DOSTUK-01"]
	if _, err := r.store.Apply(context.Background(), store.Batch{Booth: "DOSTUK-01", From: n, To: n, Source: "link",
		Records: []store.Record{{Booth: "DOSTUK-01", Seq: n, ID: so.ID, Kind: wire.KindSignOff, Payload: p, SHA256: sum[:]}}}, r.clock.Now()); err != nil {
		t.Fatal(err)
	}
}

// TestSupervisionPage: a sign-off uploaded by a booth is on the console's
// supervision page with its post, supervisor and comment, and the post's
// referral is counted with its outcome, in Russian too.
func TestSupervisionPage(t *testing.T) {
	r := newRig(t)
	r.seed() // one referral at DOSTUK
	signOffAt(t, r, "S300", "override checked with the duty officer")
	b := r.browser()
	b.signIn("aida", "correct horse")
	code, body := b.get("/supervision")
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	for _, want := range []string{"Sign-offs of shifts", "S300", "override checked with the duty officer", "Referrals to secondary inspection", "Without outcome"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	code, body = b.get("/supervision?post=TORUGART")
	if code != 200 || strings.Contains(body, "S300") {
		t.Errorf("TORUGART's page shows DOSTUK's sign-off (status %d)", code)
	}
	b.get("/lang?to=ru")
	if _, body = b.get("/supervision"); !strings.Contains(body, "Утверждение смен руководителем") {
		t.Errorf("the Russian page lacks its title")
	}
}
