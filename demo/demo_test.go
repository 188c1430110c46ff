package demo_test

import (
	"context"
	"errors"
	"fmt"
	"image"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/demo"
	"github.com/chekara/chekara/internal/testenv"
	"github.com/chekara/chekara/store"
)

// TestDemoQueueThroughPty works the whole scripted queue as the demo does:
// seeded store, the real serial driver on a pty pair, frames in the 3M
// protocol, every traveller decided as the script says.
func TestDemoQueueThroughPty(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	now := time.Now()
	b, err := booth.Open(context.Background(), booth.Config{DataDir: t.TempDir(), ListsFile: "../assets/lists/demo.jsonl", Post: "DOSTUK", Booth: "DOSTUK-07",
		Store: store.Options{Argon2: store.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	queue, err := demo.DemoQueue()
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.SeedDemo(ctx, b, queue, 2000, now); err != nil {
		t.Fatal(err)
	}
	sim, err := demo.NewSimReader("3m", nil)
	testenv.Require(t, "pty", err)
	defer sim.Close()
	events := make(chan app.ReaderEvent, 8)
	go sim.Reader.Run(ctx, func(ev app.ReaderEvent) { events <- ev })

	o := demo.DemoOfficers[0]
	if _, err := b.App.SignIn(ctx, o.ID, o.Password); err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.OpenShift(ctx, "DOSTUK", "DOSTUK-07", app.Entry); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"valid-citizen": app.VerdictClear, "valid-visitor": app.VerdictClear, "expired-passport": app.VerdictExpired,
		"bad-check-digit": app.VerdictInvalid, "list-hit": app.VerdictHitOpen, "false-look-alike": app.VerdictHitOpen,
		"stolen-document": app.VerdictHitOpen, "overstayer-leaving": app.VerdictOverstay,
	}
	q := &demo.Queue{Travellers: queue, Reader: sim}
	for range queue {
		tr, ok, err := q.Next()
		if err != nil || !ok {
			t.Fatalf("Next: %v %v", ok, err)
		}
		if tr.Direction != b.App.Session().Shift.Direction {
			if err := b.App.SetDirection(ctx, tr.Direction); err != nil {
				t.Fatal(err)
			}
		}
		var v *app.InspectionView
		for v == nil {
			select {
			case ev := <-events:
				if v, err = b.App.Present(ctx, ev); err != nil {
					t.Fatalf("%s: %v", tr.Name, err)
				}
			case <-ctx.Done():
				t.Fatalf("%s: no document from the reader", tr.Name)
			}
		}
		if got := v.Verdict.Key; got != want[tr.Name] {
			t.Errorf("%s: verdict %q, want %q (hits %+v, stay %+v %s)", tr.Name, got, want[tr.Name], v.Hits, v.Stay, v.StayError)
		}
		if tr.Name == "valid-visitor" && len(v.History) != 2 {
			t.Errorf("valid-visitor: history %d, want 2", len(v.History))
		}
		for _, h := range v.Hits {
			if _, err := b.App.Resolve(ctx, h.ListID, tr.Resolve == "confirm", tr.Note); err != nil {
				t.Fatalf("%s: resolve: %v", tr.Name, err)
			}
		}
		if _, err := b.App.Decide(ctx, app.DecisionRequest{Decision: tr.Decision, Reason: tr.Reason, Note: tr.Note}); err != nil {
			t.Fatalf("%s: decide: %v", tr.Name, err)
		}
	}
	counts, err := b.App.CloseShift(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if counts.Admitted != 3 || counts.Refused != 3 || counts.Referred != 2 {
		t.Errorf("shift counts %+v, want 3 admitted, 3 refused, 2 referred", counts)
	}
}

// TestDemoHQSync links a booth to the demo's in-process HQ over mutual TLS on
// loopback: lists and rules come down, a decided crossing goes up, and the
// status the booth shows says so.
func TestDemoHQSync(t *testing.T) {
	ctx := context.Background()
	h, err := demo.StartDemoHQ(ctx, t.TempDir(), "DOSTUK-07", "DOSTUK")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	for _, w := range h.Warnings {
		t.Log(w)
	}
	dir := t.TempDir()
	b, err := booth.Open(context.Background(), booth.Config{DataDir: dir, Enrolment: h.Bundle,
		Store: store.Options{Argon2: store.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	link := b.Link
	if err := demo.SeedDemo(ctx, b, nil, 0, time.Now()); err != nil {
		t.Fatal(err)
	}
	o := demo.DemoOfficers[0]
	if _, err := b.App.SignIn(ctx, o.ID, o.Password); err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.OpenShift(ctx, "DOSTUK", "DOSTUK-07", app.Entry); err != nil {
		t.Fatal(err)
	}
	queue, err := demo.DemoQueue()
	if err != nil {
		t.Fatal(err)
	}
	v, err := b.App.Present(ctx, app.ReaderEvent{Kind: app.ReaderDocument, Lines: queue[4].Lines}) // the list hit
	if err != nil {
		t.Fatal(err)
	}
	if v.ScreenError == nil {
		t.Errorf("screened before any list was loaded")
	}
	if _, err := b.App.SetAside(ctx, "read again once the lists arrive"); err != nil {
		t.Fatal(err)
	}
	if err := link.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	v, err = b.App.Present(ctx, app.ReaderEvent{Kind: app.ReaderDocument, Lines: queue[4].Lines})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Hits) == 0 || v.Hits[0].Category != "deny_entry" {
		t.Fatalf("lists from HQ not applied: hits %+v, %s", v.Hits, v.ScreenError)
	}
	if _, err := b.App.Resolve(ctx, v.Hits[0].ListID, true, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.Decide(ctx, app.DecisionRequest{Decision: app.Refuse, Reason: "H"}); err != nil {
		t.Fatal(err)
	}
	if err := link.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	st := b.App.Status(ctx).Sync
	if !st.Enrolled || !st.Connected || st.LastSync.IsZero() || st.Pending != 0 || st.Lists.Name == "" || st.Rules.Name == "" || !st.ClockKnown {
		// Rules.Name is the shipped set's when HQ could not publish its own (h.Warnings).
		t.Errorf("sync state %+v", st)
	}
	rep, err := h.Server.Report(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Crossings != 1 || rep.SetAside != 1 {
		t.Errorf("HQ has %d crossings and %d set-aside reads, want 1 and 1", rep.Crossings, rep.SetAside)
	}
}

// TestDemoHQReusesFolder starts the demo HQ twice on one data folder, as
// `--demo --data DIR` run a second time does: the lists and rules are already
// published (HQ answers ECONFLICT), which must not stop the HQ, and a booth
// enrolled by the second start still pulls both.
func TestDemoHQReusesFolder(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for run := 1; run <= 2; run++ {
		t.Run(fmt.Sprintf("start %d", run), func(t *testing.T) {
			h, err := demo.StartDemoHQ(ctx, dir, "DOSTUK-07", "DOSTUK")
			if err != nil {
				t.Fatalf("start %d on the same folder: %v", run, err)
			}
			defer h.Close()
			if len(h.Warnings) != 0 {
				t.Errorf("warnings %q, want none", h.Warnings)
			}
			bdir := t.TempDir()
			b, err := booth.Open(context.Background(), booth.Config{DataDir: bdir, Enrolment: h.Bundle, Post: "DOSTUK", Booth: "DOSTUK-07",
				Store: store.Options{Argon2: store.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1}}})
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			link := b.Link
			if err := link.Sync(ctx); err != nil {
				t.Fatal(err)
			}
			st := b.App.Status(ctx).Sync
			if !st.Connected || st.Lists.Name == "" || st.Rules.Name == "" {
				t.Errorf("sync state after start %d: %+v", run, st)
			}
		})
	}
}

// TestDemoPageThroughOCR renders the camera traveller's page and reads it back
// through the OCR into the booth's document event.
func TestDemoPageThroughOCR(t *testing.T) {
	queue, err := demo.DemoQueue()
	if err != nil {
		t.Fatal(err)
	}
	p, err := booth.NewPageReader()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if p.GlyphOnly {
		testenv.Require(t, "Tesseract", errors.New("the OCR runs without Tesseract"))
	}
	n := 0
	for i, tr := range queue {
		if tr.Via != "camera" {
			continue
		}
		n++
		page, err := demo.DemoPage(tr, i+1)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := p.Event(page, time.Now())
		if err != nil {
			t.Fatalf("%s: %v", tr.Name, err)
		}
		if got, want := strings.Join(ev.Lines, "\n"), strings.Join(tr.Lines, "\n"); got != want {
			t.Errorf("%s: OCR read\n%s\nwant\n%s", tr.Name, got, want)
		}
		if ev.Source != app.FromCamera || ev.Image == nil {
			t.Errorf("%s: event %+v", tr.Name, ev)
		}
	}
	if n == 0 {
		t.Fatal("no traveller comes via the camera")
	}
	if _, err := p.Event(image.NewGray(image.Rect(0, 0, 400, 300)), time.Now()); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("a blank picture: %v", err)
	}
}
