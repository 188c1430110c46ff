package booth_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync"
	"github.com/chekara/chekara/sync/wire"
)

// TestOpenStaysWithHQStopped: the visitor enters at Manas; HQ publishes the
// open stays and the Dostuk booth pulls them; then HQ stops. Months later the
// visitor leaves through Dostuk, which never saw them and cannot ask HQ: the
// screen shows the Manas entry from the feed and the right overstay, and the
// crossing records that the decision saw the feed. HQ's overstayers count
// them by nationality and entry post.
func TestOpenStaysWithHQStopped(t *testing.T) {
	ctx := context.Background()
	h := startHQ(t)
	manas := postBooth(t, booth.Config{Enrolment: h.bundle(t, "MANAS-01", "MANAS")}, &clock{time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC)}, "MANAS", "MANAS-01", app.Entry)
	dostuk := postBooth(t, booth.Config{Enrolment: h.bundle(t, "DOSTUK-07", "DOSTUK")}, &clock{today}, "DOSTUK", "DOSTUK-07", app.Exit)

	v, err := manas.App.Present(ctx, td3(t, visitor))
	if err != nil {
		t.Fatal(err)
	}
	settle(t, v, watch(manas))
	entry, err := manas.App.Decide(ctx, app.DecisionRequest{Decision: app.Admit})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := manas.Link.Upload(ctx); err != nil {
		t.Fatal(err)
	}
	// A first empty version, then the delta that opens the visitor's stay.
	if _, _, err := h.PublishOpenStays(ctx); err != nil {
		t.Fatal(err)
	}
	if err := dostuk.Link.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	if got := dostuk.OpenStays.Len(); got != 1 {
		t.Fatalf("Dostuk holds %d open stays after the pull, want 1", got)
	}
	groups, err := h.Store().Overstayers(ctx, store.OverstayQuery{Today: "2026-12-04"})
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 1 || groups[0].Nationality != "GBR" || groups[0].EntryPost != "MANAS" || groups[0].Count != 1 || groups[0].Since != "2026-09-28" {
		t.Errorf("overstayers = %+v, want one GBR entered at MANAS, last permitted day 2026-09-28", groups)
	}

	h.Server.Close()
	dostuk.App.NationalWait = 200 * time.Millisecond
	ups := watch(dostuk)
	start := time.Now()
	v, err = dostuk.App.Present(ctx, td3(t, visitor))
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 150*time.Millisecond {
		t.Errorf("Present took %v with HQ stopped", el)
	}
	// The feed is local: the stay is right on the first screen, before HQ fails.
	check := func(v *app.InspectionView) {
		t.Helper()
		if len(v.History) != 1 || v.History[0].ID != entry.ID || v.History[0].Post != "MANAS" || v.SourceOf(v.History[0]) != app.SourceFeed {
			t.Fatalf("history = %+v, want Manas's entry %s from the feed", v.History, entry.ID)
		}
		if !v.StayKnown || !v.Stay.Overstay || v.Stay.DaysUsed != 148 || v.Stay.OverstayDays != 58 {
			t.Errorf("stay = %+v, want 148 days used, 58 overstayed", v.Stay)
		}
		if got, want := v.Verdict.Key, app.VerdictOverstay; got != want {
			t.Errorf("verdict = %s, want %s", got, want)
		}
	}
	check(v)
	v = settle(t, v, ups)
	if v.National != app.NationalUnavailable {
		t.Errorf("National = %q with HQ stopped", v.National)
	}
	check(v)
	c, err := dostuk.App.Decide(ctx, app.DecisionRequest{Decision: app.Admit, Ground: "overstay noted; fine issued"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(c.Sources, " "), "local feed"; got != want {
		t.Errorf("the crossing's sources = %q, want %q", got, want)
	}
}

// TestOpenStaysDeltas: successive versions reach the booth as deltas (several
// composed into one when the booth missed some) and the file it builds is
// HQ's, byte for byte (the digest); an exit closes the stay everywhere.
func TestOpenStaysDeltas(t *testing.T) {
	ctx := context.Background()
	h := startHQ(t)
	manas := postBooth(t, booth.Config{Enrolment: h.bundle(t, "MANAS-01", "MANAS")}, &clock{time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC)}, "MANAS", "MANAS-01", app.Entry)
	dostuk := postBooth(t, booth.Config{Enrolment: h.bundle(t, "DOSTUK-07", "DOSTUK")}, &clock{today}, "DOSTUK", "DOSTUK-07", app.Entry)
	publish := func() {
		t.Helper()
		if _, _, err := h.PublishOpenStays(ctx); err != nil {
			t.Fatal(err)
		}
	}
	publish() // version 1, empty
	if err := dostuk.Link.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	people := []string{"AAA", "BBB", "CCC"}
	for _, s := range people {
		f := visitor
		f.Surname, f.DocumentNumber = s, "X"+s
		v, err := manas.App.Present(ctx, td3(t, f))
		if err != nil {
			t.Fatal(err)
		}
		settle(t, v, watch(manas))
		if _, err := manas.App.Decide(ctx, app.DecisionRequest{Decision: app.Admit}); err != nil {
			t.Fatal(err)
		}
		if _, err := manas.Link.Upload(ctx); err != nil {
			t.Fatal(err)
		}
		publish()
	}
	if _, changed, err := h.PublishOpenStays(ctx); err != nil || changed {
		t.Errorf("nothing new, yet a version was published (%v)", err)
	}
	if err := dostuk.Link.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := dostuk.Link.Puller.Version(wire.KindOpenStays).Version, int64(4); got != want || dostuk.OpenStays.Len() != 3 {
		t.Fatalf("Dostuk holds open stays version %d with %d stays, want %d with 3", got, dostuk.OpenStays.Len(), want)
	}
	if s := dostuk.Link.Puller.Version(wire.KindOpenStays).Seal; s == nil || s.Mode != wire.Delta || s.BaseVersion != 1 {
		t.Errorf("versions 2..4 did not arrive as one delta from 1: %+v", s)
	}
	got := dostuk.OpenStays.OpenStay(app.DocumentKey{IssuingState: "GBR", Number: "XBBB"}, app.TravellerKey{})
	if len(got) != 1 || got[0].Traveller.Surname != "BBB" {
		t.Errorf("look-up by document = %+v", got)
	}

	// Sealed at rest: a stay removed from the file on disk is noticed at the
	// next start, and the next pull brings the whole version back.
	file := filepath.Join(filepath.Dir(dostuk.Store.Path()), sync.OpenStaysFile)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	if err := os.WriteFile(file, []byte(strings.Join(append(lines[:1], lines[2:]...), "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	var atRest *sync.AtRestError
	if err := dostuk.Link.Puller.LoadCurrent(); !errors.As(err, &atRest) {
		t.Fatalf("an edited open-stays file loads: %v", err)
	}
	if err := dostuk.Link.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(file); !bytes.Equal(again, data) || dostuk.OpenStays.Len() != 3 {
		t.Errorf("the pull after an edit at rest did not restore version 4 whole (%d stays)", dostuk.OpenStays.Len())
	}
}
