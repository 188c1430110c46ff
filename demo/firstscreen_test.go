package demo_test

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/otiai10/gosseract/v2"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/demo"
	"github.com/chekara/chekara/internal/testenv"
	"github.com/chekara/chekara/store"
)

// TestDemoFirstScreen: the demo as it starts — HQ publishing its lists, a
// seeded population of 2000 crossings — shows no stale lists from the first
// second, and its decisions are not flagged as clock jumps (the population
// lies wholly in the past of the demo's clock).
func TestDemoFirstScreen(t *testing.T) {
	ctx := context.Background()
	h, err := demo.StartDemoHQ(ctx, t.TempDir(), "DOSTUK-07", "DOSTUK")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	b, err := booth.Open(ctx, booth.Config{DataDir: t.TempDir(), Enrolment: h.Bundle, Post: "DOSTUK", Booth: "DOSTUK-07",
		Store: store.Options{Argon2: store.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	queue, err := demo.DemoQueue()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := demo.SeedDemo(ctx, b, queue, 2000, now); err != nil {
		t.Fatal(err)
	}
	if err := b.Link.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	st := b.App.Status(ctx)
	if st.ListsStale || st.RulesStale || time.Since(st.Sync.Lists.At) > time.Minute {
		t.Errorf("first screen: lists %+v (stale %v), rules %+v (stale %v)", st.Sync.Lists, st.ListsStale, st.Sync.Rules, st.RulesStale)
	}
	o := demo.DemoOfficers[0]
	if _, err := b.App.SignIn(ctx, o.ID, o.Password); err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.OpenShift(ctx, "DOSTUK", "DOSTUK-07", app.Entry); err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.Present(ctx, app.ReaderEvent{Kind: app.ReaderDocument, Lines: queue[0].Lines}); err != nil {
		t.Fatal(err)
	}
	c, err := b.App.Decide(ctx, app.DecisionRequest{Decision: app.Admit})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := b.Store.Outbox(ctx, 0, 5000, 0)
	if err != nil {
		t.Fatal(err)
	}
	var flagged int
	for _, r := range recs {
		if strings.Contains(string(r.Payload), `"clock_jump":true`) {
			flagged++
		}
	}
	if flagged > 0 || len(recs) != 1 {
		t.Errorf("%d of %d records flagged as clock jumps; want the decision %s, not flagged", flagged, len(recs), c.ID)
	}
}

// TestDemoPageShowsItsTraveller: the camera traveller's page prints that
// traveller's own data — read back from the picture by Tesseract — and not
// the specimen's.
func TestDemoPageShowsItsTraveller(t *testing.T) {
	queue, err := demo.DemoQueue()
	if err != nil {
		t.Fatal(err)
	}
	c := gosseract.NewClient()
	defer c.Close()
	checked := 0
	for i, tr := range queue {
		if tr.Via != "camera" {
			continue
		}
		page, err := demo.DemoPage(tr, i+1)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, page); err != nil {
			t.Fatal(err)
		}
		if err := c.SetImageFromBytes(buf.Bytes()); err != nil {
			testenv.Require(t, "Tesseract", err)
		}
		text, err := c.Text()
		testenv.Require(t, "Tesseract", err)
		p := demo.PrintedOf(tr.Lines)
		for _, want := range []string{p.Surname, p.Number, p.BirthDate} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the page does not print %q; Tesseract read:\n%s", tr.Name, want, text)
			}
		}
		if strings.Contains(text, "ERIKSSON") || strings.Contains(text, "UTOPIA") {
			t.Errorf("%s: the page prints the specimen's data:\n%s", tr.Name, text)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no traveller comes via the camera")
	}
}
