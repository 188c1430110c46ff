package sync_test

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/sync/wire"
)

// A trainee works the same booth as the officers: their decision goes to HQ
// with everything else (HQ keeps every record), but HQ's report, the national
// figure, counts only the real traveller. End to end: booth SQLite store,
// upload over mutual TLS, HQ's store, `hq report`'s JSON.
func TestTrainingCrossingsReachHQButAreNotCounted(t *testing.T) {
	ctx := context.Background()
	h := hqtest.Start(t, hq.Config{})
	s, err := store.Open(filepath.Join(t.TempDir(), "booth.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })

	at := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	crossing := func(doc string, training bool, at time.Time) app.Crossing {
		return app.Crossing{
			OfficerID: "1001", Post: "DOSTUK", Booth: "DOSTUK-07", Training: training,
			Direction: app.Entry, Decision: app.Admit, DocumentCode: "P",
			Document:  app.DocumentKey{IssuingState: "UZB", Number: doc},
			Traveller: app.TravellerKey{Surname: "KARIMOV", GivenNames: "JAVOHIR", BirthDate: "1990-04-12", Nationality: "UZB"},
			Sex:       "M", Expiry: "2031-01-01", BoothTime: at,
		}
	}
	admitted, err := s.RecordCrossing(ctx, crossing("FA1", false, at))
	if err != nil {
		t.Fatal(err)
	}
	simulated, err := s.RecordCrossing(ctx, crossing("TR1", true, at.Add(time.Minute)))
	if err != nil {
		t.Fatal(err)
	}

	l := newLink(t, h.Enrol(t, "DOSTUK-07", "DOSTUK"), s, "")
	res, err := l.Upload(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Complete || res.Sent != 2 {
		t.Fatalf("upload %+v: want complete at 2", res)
	}

	recs, err := h.Store().Records(ctx, "DOSTUK-07")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ id, kind string }{
		{admitted.ID, wire.KindCrossing},
		{simulated.ID, wire.KindTrainingCrossing},
	}
	if len(recs) != len(want) {
		t.Fatalf("HQ holds %d records, want %d", len(recs), len(want))
	}
	for i, w := range want {
		if recs[i].ID != w.id || recs[i].Kind != w.kind {
			t.Errorf("HQ record %d: %s %q, want %s %q", i, recs[i].ID, recs[i].Kind, w.id, w.kind)
		}
	}

	rep, err := h.Server.Report(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := hq.WriteReport(&out, rep); err != nil {
		t.Fatal(err)
	}
	// No field for training records: they are never counted, also not as
	// overrides or set-aside reads.
	wantJSON := regexp.MustCompile(`^\{"crossings":1,"overrides":0,"set_aside":0,"booths":\[\{"id":"DOSTUK-07","post":"DOSTUK","crossings":1,"overrides":0,"set_aside":0,"last_sync":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"\}\]\}\n$`)
	if !wantJSON.Match(out.Bytes()) {
		t.Fatalf("report %q", out.String())
	}
}
