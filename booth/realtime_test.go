package booth_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/booth"
)

// TestRealTime (issue 15, point 4): a real HQ and two booths at two posts,
// their links running as in the field (30-second rounds). A crossing decided
// at Manas is in Dostuk's national history within 10 s — the link uploads a
// decision at once — and a list entry published at HQ is on both booths'
// watchlists within 10 s, through the long poll.
func TestRealTime(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h := startHQ(t)
	manas := postBooth(t, booth.Config{Enrolment: h.bundle(t, "MANAS-01", "MANAS")}, &clock{today}, "MANAS", "MANAS-01", app.Entry)
	dostuk := postBooth(t, booth.Config{Enrolment: h.bundle(t, "DOSTUK-07", "DOSTUK")}, &clock{today}, "DOSTUK", "DOSTUK-07", app.Exit)
	for _, b := range []*booth.Booth{manas, dostuk} {
		b.Link.Start(ctx)
	}
	// Let the first rounds (upload, pull) pass, so what follows waits on
	// nothing but the wake-ups being measured.
	time.Sleep(500 * time.Millisecond)

	v, err := manas.App.Present(ctx, td3(t, visitor))
	if err != nil {
		t.Fatal(err)
	}
	settle(t, v, watch(manas))
	c, err := manas.App.Decide(ctx, app.DecisionRequest{Decision: app.Admit})
	if err != nil {
		t.Fatal(err)
	}
	decided := time.Now()
	var seen time.Duration
	for seen == 0 {
		if time.Since(decided) > 10*time.Second {
			t.Fatal("the crossing decided at Manas is not in Dostuk's national history after 10 s")
		}
		cs, err := dostuk.Link.HQ.NationalHistory(ctx, app.HistoryQuery{OfficerID: "K1", InspectionID: "poll", Document: c.Document, Person: c.Traveller})
		if err == nil && len(cs) == 1 && cs[0].ID == c.ID {
			seen = time.Since(decided)
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("decided at Manas → in Dostuk's national history: %v", seen)

	held := dostuk.Watchlist.Version()
	list := fmt.Sprintf(`{"chekara_list":1,"version":%d,"type":"snapshot","published":"2026-11-25T08:00:00Z","entries":1}
{"kind":"document","id":"URGENT-1","issuing_state":"GBR","document_number":"533401927","status":"stolen","note":"urgent: reported stolen an hour ago"}
`, held+1)
	if _, err := h.ImportLists(ctx, []byte(list)); err != nil {
		t.Fatal(err)
	}
	published := time.Now()
	for _, b := range []*booth.Booth{manas, dostuk} {
		for b.Watchlist.Version() != held+1 {
			if time.Since(published) > 10*time.Second {
				t.Fatalf("booth %s holds list version %d 10 s after version %d was published", b.Bundle.BoothID, b.Watchlist.Version(), held+1)
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Logf("list published → on %s's watchlist: %v", b.Bundle.BoothID, time.Since(published))
	}
}
