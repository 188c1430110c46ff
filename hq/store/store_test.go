package store_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
)

// backends opens one fresh store per implementation; the contract tests run
// against each. PostgreSQL tests get their own schema, dropped afterwards.
func backends(t *testing.T) map[string]func(t *testing.T) store.Store {
	return map[string]func(t *testing.T) store.Store{
		"sqlite": func(t *testing.T) store.Store {
			t.Helper()
			s, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "hq.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		},
		"postgres": func(t *testing.T) store.Store {
			t.Helper()
			return OpenTestPostgres(t)
		},
	}
}

// OpenTestPostgres opens a PostgreSQL store in a schema of its own under
// CHEKARA_TEST_POSTGRES; skips (fails in CI) without it.
func OpenTestPostgres(tb testing.TB) *store.Postgres {
	tb.Helper()
	s, err := store.OpenPostgres(context.Background(), hqtest.PostgresURL(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

var t0 = time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)

func enrol(t *testing.T, s store.Store, booth, post string) {
	t.Helper()
	err := s.Enrol(context.Background(), store.Booth{ID: booth, Post: post, EnrolledAt: t0},
		store.Certificate{Serial: hex.EncodeToString(randomBytes(8)), IssuedAt: t0, NotAfter: t0.AddDate(10, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
}

func record(booth string, seq int64, kind, body string) store.Record {
	sum := sha256.Sum256([]byte(body))
	return store.Record{Booth: booth, Seq: seq, ID: fmt.Sprintf("%s-%08d", booth, seq), Kind: kind, Payload: []byte(body), SHA256: sum[:]}
}

func batch(booth string, from, to int64) store.Batch {
	b := store.Batch{Booth: booth, From: from, To: to, Source: "link"}
	for seq := from; seq <= to; seq++ {
		b.Records = append(b.Records, record(booth, seq, wire.KindCrossing, fmt.Sprintf(`{"seq":%d}`, seq)))
	}
	return b
}

func TestApply(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := open(t)
			enrol(t, s, "DOSTUK-07", "DOSTUK")

			res, err := s.Apply(ctx, batch("DOSTUK-07", 1, 10), t0)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := res, (store.Result{Mark: 10, Stored: 10}); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("first batch: got %+v, want %+v", got, want)
			}

			// The same batch again (acknowledgement lost): acknowledged, nothing stored.
			res, err = s.Apply(ctx, batch("DOSTUK-07", 1, 10), t0.Add(time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if !res.Replay || res.Stored != 0 || res.Duplicates != 10 || res.Mark != 10 {
				t.Fatalf("replay: got %+v", res)
			}

			// An overlapping batch stores only what is new.
			res, err = s.Apply(ctx, batch("DOSTUK-07", 6, 15), t0.Add(2*time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if res.Replay || res.Stored != 5 || res.Duplicates != 5 || res.Mark != 15 {
				t.Fatalf("overlap: got %+v", res)
			}

			// A gap is refused and leaves everything as it was.
			_, err = s.Apply(ctx, batch("DOSTUK-07", 17, 20), t0)
			if got, want := app.ErrorCode(err), app.ECONFLICT; got != want {
				t.Fatalf("gap: got %v, want %s", err, want)
			}

			recs, err := s.Records(ctx, "DOSTUK-07")
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(recs), 15; got != want {
				t.Fatalf("stored %d records, want %d", got, want)
			}
			for i, r := range recs {
				if want := record("DOSTUK-07", int64(i+1), wire.KindCrossing, fmt.Sprintf(`{"seq":%d}`, i+1)); !equalRecord(r, want) {
					t.Errorf("record %d: got %+v, want %+v", i, r, want)
				}
			}
			b, err := s.Booth(ctx, "DOSTUK-07")
			if err != nil {
				t.Fatal(err)
			}
			if b.Mark != 15 || b.Crossings != 15 || !b.LastSync.Equal(t0.Add(2*time.Minute)) {
				t.Fatalf("booth after batches: %+v", b)
			}
		})
	}
}

func equalRecord(a, b store.Record) bool {
	return a.Booth == b.Booth && a.Seq == b.Seq && a.ID == b.ID && a.Kind == b.Kind &&
		bytes.Equal(a.Payload, b.Payload) && bytes.Equal(a.SHA256, b.SHA256)
}

func TestApplyAlert(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := open(t)
			enrol(t, s, "B1", "DOSTUK")
			if _, err := s.Apply(ctx, batch("B1", 1, 3), t0); err != nil {
				t.Fatal(err)
			}
			altered := batch("B1", 1, 4)
			altered.Records[1] = record("B1", 2, wire.KindCrossing, `{"seq":2,"decision":"admit"}`)
			res, err := s.Apply(ctx, altered, t0.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if res.Stored != 1 || res.Duplicates != 2 || len(res.Alerts) != 1 || res.Mark != 4 {
				t.Fatalf("got %+v", res)
			}
			alerts, err := s.Alerts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(alerts) != 1 {
				t.Fatalf("got %d alerts, want 1", len(alerts))
			}
			a := alerts[0]
			if a.RecordID != "B1-00000002" || string(a.Payload) != `{"seq":2,"decision":"admit"}` || a.Source != "link" || !a.At.Equal(t0.Add(time.Hour)) {
				t.Errorf("alert: %+v", a)
			}
			// The stored copy is untouched.
			recs, _ := s.Records(ctx, "B1")
			if got, want := string(recs[1].Payload), `{"seq":2}`; got != want {
				t.Errorf("record 2 payload: got %s, want %s (never overwritten)", got, want)
			}
		})
	}
}

func TestApplyRefused(t *testing.T) {
	good := batch("B1", 1, 2)
	tests := []struct {
		name  string
		batch store.Batch
		code  string
	}{
		{"unknown booth", batch("NOBODY", 1, 2), app.ENOTFOUND},
		{"no records", store.Batch{Booth: "B1", From: 1, To: 2}, app.EINVALID},
		{"reversed range", store.Batch{Booth: "B1", From: 3, To: 2, Records: good.Records}, app.EINVALID},
		{"record of another booth", store.Batch{Booth: "B1", From: 1, To: 2, Records: []store.Record{good.Records[0], record("B2", 2, "crossing", "x")}}, app.EINVALID},
		{"seq outside range", store.Batch{Booth: "B1", From: 1, To: 1, Records: good.Records}, app.EINVALID},
		{"duplicate id", store.Batch{Booth: "B1", From: 1, To: 2, Records: []store.Record{good.Records[0], {Booth: "B1", Seq: 2, ID: good.Records[0].ID, Kind: "crossing", SHA256: good.Records[0].SHA256}}}, app.EINVALID},
		{"short hash", store.Batch{Booth: "B1", From: 1, To: 1, Records: []store.Record{{Booth: "B1", Seq: 1, ID: "x", Kind: "crossing", SHA256: []byte{1}}}}, app.EINVALID},
		{"gap", batch("B1", 5, 6), app.ECONFLICT},
		{"revoked booth", batch("GONE", 1, 2), app.EUNAUTHORIZED},
	}
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := open(t)
			enrol(t, s, "B1", "P")
			enrol(t, s, "GONE", "P")
			if err := s.Revoke(ctx, "GONE", t0); err != nil {
				t.Fatal(err)
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					_, err := s.Apply(ctx, tt.batch, t0)
					if got := app.ErrorCode(err); got != tt.code {
						t.Fatalf("got %v, want code %s", err, tt.code)
					}
				})
			}
			rep, err := s.Report(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Crossings != 0 {
				t.Fatalf("refused batches stored %d crossings", rep.Crossings)
			}
			for _, b := range []string{"B1", "GONE"} {
				if recs, _ := s.Records(ctx, b); len(recs) != 0 {
					t.Errorf("%s: %d records stored by refused batches", b, len(recs))
				}
			}
		})
	}
}

// Concurrent redeliveries of the same batches from several connections (a booth
// retrying while its first attempt is still in flight) store each record once.
func TestApplyConcurrent(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := open(t)
			enrol(t, s, "B1", "P")
			enrol(t, s, "B2", "P")
			var wg sync.WaitGroup
			errs := make(chan error, 40)
			for w := 0; w < 4; w++ {
				for _, booth := range []string{"B1", "B2"} {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for from := int64(1); from <= 100; from += 20 {
							if _, err := s.Apply(ctx, batch(booth, from, from+19), t0); err != nil {
								errs <- err
							}
						}
					}()
				}
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				// A worker may race ahead of the mark; that is a refused gap, never a double store.
				if app.ErrorCode(err) != app.ECONFLICT {
					t.Fatal(err)
				}
			}
			rep, err := s.Report(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Crossings != 200 {
				t.Fatalf("got %d crossings, want 200", rep.Crossings)
			}
			for _, b := range []string{"B1", "B2"} {
				recs, _ := s.Records(ctx, b)
				if len(recs) != 100 {
					t.Errorf("%s: %d records, want 100", b, len(recs))
				}
			}
		})
	}
}

func TestEnrolRevoke(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := open(t)
			c := store.Certificate{Serial: "1f", IssuedAt: t0, NotAfter: t0.AddDate(10, 0, 0)}
			if err := s.Enrol(ctx, store.Booth{ID: "B1", Post: "DOSTUK", EnrolledAt: t0}, c); err != nil {
				t.Fatal(err)
			}
			got, err := s.Certificate(ctx, "1f")
			if err != nil {
				t.Fatal(err)
			}
			if got.Booth != "B1" || !got.RevokedAt.IsZero() || !got.NotAfter.Equal(c.NotAfter) {
				t.Fatalf("certificate: %+v", got)
			}
			if _, err := s.Certificate(ctx, "2f"); app.ErrorCode(err) != app.ENOTFOUND {
				t.Fatalf("unknown serial: got %v", err)
			}
			err = s.Enrol(ctx, store.Booth{ID: "B1", Post: "OSH", EnrolledAt: t0}, store.Certificate{Serial: "20", IssuedAt: t0, NotAfter: t0})
			if app.ErrorCode(err) != app.ECONFLICT {
				t.Fatalf("enrol at another post: got %v", err)
			}
			if err := s.Revoke(ctx, "B1", t0.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if err := s.Revoke(ctx, "B1", t0.Add(2*time.Hour)); err != nil {
				t.Fatalf("revoking twice: %v", err)
			}
			got, _ = s.Certificate(ctx, "1f")
			if !got.RevokedAt.Equal(t0.Add(time.Hour)) {
				t.Fatalf("certificate revoked at %v", got.RevokedAt)
			}
			err = s.Enrol(ctx, store.Booth{ID: "B1", Post: "DOSTUK", EnrolledAt: t0}, store.Certificate{Serial: "21", IssuedAt: t0, NotAfter: t0})
			if app.ErrorCode(err) != app.ECONFLICT {
				t.Fatalf("re-enrol revoked booth: got %v", err)
			}
			if err := s.Revoke(ctx, "NOBODY", t0); app.ErrorCode(err) != app.ENOTFOUND {
				t.Fatalf("revoke unknown: got %v", err)
			}
		})
	}
}

func TestPublish(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := open(t)
			pub := func(version, base int64) error {
				_, err := s.Publish(ctx, store.Lists, func(latest int64) (store.Publication, error) {
					p := store.Publication{Version: version, Base: base, Delta: base != 0, Content: []byte(fmt.Sprintf("v%d", version)), SHA256: []byte{1}, CreatedAt: t0}
					if p.Delta {
						p.Snapshot = []byte(fmt.Sprintf("s%d", version))
					}
					return p, nil
				})
				return err
			}
			steps := []struct {
				version, base int64
				code          string
			}{
				{3, 1, app.ECONFLICT}, // delta before any snapshot
				{3, 0, ""},
				{4, 3, ""},
				{5, 4, ""},
				{5, 4, app.ECONFLICT}, // same version twice
				{6, 2, app.ECONFLICT}, // base never published
				{6, 3, app.ECONFLICT}, // base published but not the latest
				{7, 0, ""},
				{8, 7, ""},
			}
			for _, st := range steps {
				if got := app.ErrorCode(pub(st.version, st.base)); got != st.code {
					t.Fatalf("publish %d (base %d): got %q, want %q", st.version, st.base, got, st.code)
				}
			}
			if v, _ := s.Latest(ctx, store.Lists); v != 8 {
				t.Fatalf("latest %d, want 8", v)
			}
			if v, _ := s.Latest(ctx, store.Rules); v != 0 {
				t.Fatalf("rules latest %d, want 0", v)
			}
			next := []struct {
				have    int64
				want    int64
				content string
				code    string
			}{
				{0, 8, "s8", ""}, // the latest whole
				{3, 8, "s8", ""},
				{5, 8, "s8", ""},
				{7, 8, "v8", ""}, // the latest delta, from the booth's version
				{8, 0, "", app.ENOTFOUND},
				{9, 0, "", app.ENOTFOUND},
			}
			for _, n := range next {
				p, err := s.Next(ctx, store.Lists, n.have)
				if got := app.ErrorCode(err); got != n.code || p.Version != n.want || string(p.Content) != n.content {
					t.Errorf("next after %d: got v%d %q %v, want v%d %q %q", n.have, p.Version, p.Content, err, n.want, n.content, n.code)
				}
				if err == nil && p.Delta != (n.content[0] == 'v') {
					t.Errorf("next after %d: delta %v", n.have, p.Delta)
				}
			}
			ps, err := s.Publications(ctx, store.Lists, 4)
			if err != nil || len(ps) != 3 || ps[0].Version != 5 || !ps[0].Delta || ps[0].Base != 4 || !ps[0].CreatedAt.Equal(t0) {
				t.Fatalf("publications after 4: %+v %v", ps, err)
			}
		})
	}
}

// Trainees decide on simulated travellers; the booth sends those decisions as
// training_crossing records. HQ keeps them like every record, once, but the
// national figures count only real crossings — also when a batch comes again.
func TestReportCountsRealCrossingsOnly(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := open(t)
			enrol(t, s, "B1", "DOSTUK")
			want := []store.Record{
				record("B1", 1, wire.KindCrossing, `{"seq":1}`),
				record("B1", 2, wire.KindTrainingCrossing, `{"seq":2,"training":true}`),
				record("B1", 3, wire.KindTrainingCrossing, `{"seq":3,"training":true}`),
				record("B1", 4, wire.KindCrossing, `{"seq":4}`),
			}
			first := store.Batch{Booth: "B1", From: 1, To: 3, Source: "link", Records: want[:3]}
			again := store.Batch{Booth: "B1", From: 2, To: 4, Source: "media", Records: want[1:]}
			for _, b := range []store.Batch{first, again, first} {
				if _, err := s.Apply(ctx, b, t0); err != nil {
					t.Fatal(err)
				}
			}
			rep, err := s.Report(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := rep.Crossings, int64(2); got != want {
				t.Errorf("report crossings = %d, want %d", got, want)
			}
			if len(rep.Booths) != 1 || rep.Booths[0].Crossings != 2 {
				t.Errorf("report booths = %+v, want B1 with 2 crossings", rep.Booths)
			}
			recs, err := s.Records(ctx, "B1")
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != len(want) {
				t.Fatalf("stored %d records, want %d", len(recs), len(want))
			}
			for i := range want {
				if !equalRecord(recs[i], want[i]) {
					t.Errorf("record %d: got %+v, want %+v", i, recs[i], want[i])
				}
			}
		})
	}
}

func TestReport(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := open(t)
			enrol(t, s, "B2", "OSH")
			enrol(t, s, "B1", "DOSTUK")
			b := batch("B1", 1, 3)
			b.Records = append(b.Records, record("B1", 4, "inspection", "{}"))
			b.To = 4
			if _, err := s.Apply(ctx, b, t0); err != nil {
				t.Fatal(err)
			}
			rep, err := s.Report(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Crossings != 3 || len(rep.Booths) != 2 || rep.Booths[0].ID != "B1" || rep.Booths[0].Crossings != 3 ||
				rep.Booths[0].Post != "DOSTUK" || !rep.Booths[0].LastSync.Equal(t0) || rep.Booths[1].Crossings != 0 || !rep.Booths[1].LastSync.IsZero() {
				t.Fatalf("report: %+v", rep)
			}
			if err := s.Ping(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestReportCountsOverridesAndSetAsideReads: HQ counts the admissions against
// a STOP verdict and the reads that ended undecided, each record once (also
// when a batch comes again), and training ones never.
func TestReportCountsOverridesAndSetAsideReads(t *testing.T) {
	at := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	cross := func(id string, override, training bool) string {
		c := app.Crossing{ID: id, OfficerID: "K1", Post: "DOSTUK", Booth: "B1", Direction: app.Entry, Decision: app.Admit,
			Document: app.DocumentKey{IssuingState: "UZB", Number: "FA1"}, BoothTime: at, Training: training}
		if override {
			c.Override = &app.Override{Verdict: app.VerdictExpired, Ground: "renewal at the consulate"}
		}
		return string(wire.EncodeCrossing(c))
	}
	aside := func(id string, training bool) string {
		return string(wire.EncodeSetAside(app.SetAside{ID: id, InspectionID: "r-" + id, OfficerID: "K1", Direction: app.Entry,
			Note: "traveller left", At: at, Training: training}))
	}
	recs := []store.Record{
		record("B1", 1, wire.KindCrossing, cross("c1", true, false)),
		record("B1", 2, wire.KindCrossing, cross("c2", false, false)),
		record("B1", 3, wire.KindSetAside, aside("a1", false)),
		record("B1", 4, wire.KindTrainingCrossing, cross("c3", true, true)),
		record("B1", 5, wire.KindTrainingSetAside, aside("a2", true)),
		record("B1", 6, wire.KindCrossing, cross("c4", true, false)),
	}
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := open(t)
			enrol(t, s, "B1", "DOSTUK")
			first := store.Batch{Booth: "B1", From: 1, To: 4, Source: "link", Records: recs[:4]}
			again := store.Batch{Booth: "B1", From: 3, To: 6, Source: "media", Records: recs[2:]}
			for _, b := range []store.Batch{first, again, first} {
				if _, err := s.Apply(ctx, b, t0); err != nil {
					t.Fatal(err)
				}
			}
			rep, err := s.Report(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := [3]int64{rep.Crossings, rep.Overrides, rep.SetAside}, [3]int64{3, 2, 1}; got != want {
				t.Errorf("crossings, overrides, set aside = %v, want %v", got, want)
			}
			if len(rep.Booths) != 1 || rep.Booths[0].Overrides != 2 || rep.Booths[0].SetAside != 1 {
				t.Errorf("report booths = %+v, want B1 with 2 overrides and 1 set-aside read", rep.Booths)
			}
			stored, err := s.Records(ctx, "B1")
			if err != nil || len(stored) != len(recs) {
				t.Fatalf("stored %d records (%v), want %d", len(stored), err, len(recs))
			}
		})
	}
}
