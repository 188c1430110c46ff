package store_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
)

// bishkek is UTC+6: a crossing at 23:30 local is on the local date, not on UTC's.
var bishkek = time.FixedZone("KGT", 6*3600)

// crossing makes a real crossing payload (format 2) decided at the booth's local time.
func crossing(booth, post string, seq int64, dir app.Direction, dec app.Decision, reason, nat, doc string, at time.Time, hits ...app.HitResolution) store.Record {
	c := app.Crossing{
		ID: fmt.Sprintf("%s-%08d", booth, seq), OfficerID: "OFF-1", Post: post, Booth: booth,
		Direction: dir, Decision: dec, RefusalReason: reason, DocumentCode: doc,
		Document:  app.DocumentKey{IssuingState: nat, Number: fmt.Sprintf("N%07d", seq)},
		Traveller: app.TravellerKey{Surname: "ASANOV", GivenNames: "BOLOT", BirthDate: "1990-01-01", Nationality: nat},
		Hits:      hits, BoothTime: at,
	}
	payload := wire.EncodeCrossing(c)
	sum := sha256.Sum256(payload)
	return store.Record{Booth: booth, Seq: seq, ID: c.ID, Kind: wire.KindOf(c), Payload: payload, SHA256: sum[:]}
}

func statsBatch(booth string, recs ...store.Record) store.Batch {
	b := store.Batch{Booth: booth, From: recs[0].Seq, To: recs[len(recs)-1].Seq, Source: "link", Records: recs}
	return b
}

// rows flattens stats rows into comparable strings.
func rows(rs []store.StatsRow, keys ...string) []string {
	out := []string{}
	for _, r := range rs {
		s := ""
		for _, k := range keys {
			s += r.Keys[k] + "|"
		}
		out = append(out, fmt.Sprintf("%s%d a%d r%d f%d", s, r.Count, r.Admitted, r.Refused, r.Referred))
	}
	return out
}

func TestStatistics(t *testing.T) {
	ctx := context.Background()
	day1 := time.Date(2026, 12, 1, 23, 30, 0, 0, bishkek) // 17:30 UTC: still 1 December at the post
	day2 := time.Date(2026, 12, 2, 0, 30, 0, 0, bishkek)  // 18:30 UTC on 1 December: 2 December at the post
	stolen := app.HitResolution{ListID: "L1", Kind: "document", Category: "stolen", Confirmed: true}
	lookalike := app.HitResolution{ListID: "L2", Kind: "person", Category: "deny_entry", Note: "other birth date"}
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			enrol(t, s, "DOSTUK-01", "DOSTUK")
			enrol(t, s, "TORUGART-01", "TORUGART")
			training := crossing("DOSTUK-01", "DOSTUK", 6, app.Entry, app.Admit, "", "KGZ", "P", day2)
			training = trainingOf(t, training)
			garbage := record("DOSTUK-01", 7, wire.KindCrossing, `{"format":2,"id":`) // stored, never counted
			dostuk := statsBatch("DOSTUK-01",
				crossing("DOSTUK-01", "DOSTUK", 1, app.Entry, app.Admit, "", "KGZ", "P", day1),
				crossing("DOSTUK-01", "DOSTUK", 2, app.Entry, app.Refuse, "C", "UZB", "P", day1, stolen),
				crossing("DOSTUK-01", "DOSTUK", 3, app.Exit, app.Admit, "", "KGZ", "ID", day1),
				crossing("DOSTUK-01", "DOSTUK", 4, app.Entry, app.Refer, "", "CHN", "P", day2, lookalike),
				crossing("DOSTUK-01", "DOSTUK", 5, app.Entry, app.Refuse, "E", "UZB", "P", day2),
				training, garbage,
			)
			if _, err := s.Apply(ctx, dostuk, t0); err != nil {
				t.Fatal(err)
			}
			// Sent again after a lost acknowledgement: counted once.
			if _, err := s.Apply(ctx, dostuk, t0); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Apply(ctx, statsBatch("TORUGART-01",
				crossing("TORUGART-01", "TORUGART", 1, app.Entry, app.Admit, "", "CHN", "P", day2)), t0); err != nil {
				t.Fatal(err)
			}

			tests := []struct {
				name string
				hits bool
				q    store.StatsQuery
				keys []string
				want []string
			}{
				{"totals", false, store.StatsQuery{}, nil, []string{"6 a3 r2 f1"}},
				{"by post and local day", false, store.StatsQuery{By: []string{"post", "day"}}, []string{"post", "day"}, []string{
					"DOSTUK|2026-12-01|3 a2 r1 f0", "DOSTUK|2026-12-02|2 a0 r1 f1", "TORUGART|2026-12-02|1 a1 r0 f0"}},
				{"by week and month", false, store.StatsQuery{By: []string{"month", "week"}}, []string{"month", "week"}, []string{"2026-12|2026-W49|6 a3 r2 f1"}},
				{"refusals by ground and nationality", false, store.StatsQuery{By: []string{"refusal_reason", "nationality"}, Where: map[string]string{"decision": "refuse"}},
					[]string{"refusal_reason", "nationality"}, []string{"C|UZB|1 a0 r1 f0", "E|UZB|1 a0 r1 f0"}},
				{"by direction and document type, one day", false, store.StatsQuery{By: []string{"direction", "document_type"}, From: "2026-12-01", To: "2026-12-01"},
					[]string{"direction", "document_type"}, []string{"entry|P|2 a1 r1 f0", "exit|ID|1 a1 r0 f0"}},
				{"whole months (month_counts)", false, store.StatsQuery{By: []string{"nationality", "month"}, From: "2026-12-01", To: "2026-12-31"},
					[]string{"nationality", "month"}, []string{"CHN|2026-12|2 a1 r0 f1", "KGZ|2026-12|2 a2 r0 f0", "UZB|2026-12|2 a0 r2 f0"}},
				{"by booth over whole months (booth_month_counts)", false, store.StatsQuery{By: []string{"booth", "nationality"}, From: "2026-12-01", To: "2026-12-31"},
					[]string{"booth", "nationality"}, []string{"DOSTUK-01|CHN|1 a0 r0 f1", "DOSTUK-01|KGZ|2 a2 r0 f0", "DOSTUK-01|UZB|2 a0 r2 f0", "TORUGART-01|CHN|1 a1 r0 f0"}},
				{"by booth and day (booth_day_counts)", false, store.StatsQuery{By: []string{"booth", "day"}},
					[]string{"booth", "day"}, []string{"DOSTUK-01|2026-12-01|3 a2 r1 f0", "DOSTUK-01|2026-12-02|2 a0 r1 f1", "TORUGART-01|2026-12-02|1 a1 r0 f0"}},
				{"part of a month (not month_counts)", false, store.StatsQuery{By: []string{"nationality"}, From: "2026-12-02", To: "2026-12-31"},
					[]string{"nationality"}, []string{"CHN|2 a1 r0 f1", "UZB|1 a0 r1 f0"}},
				{"hits over whole months (hit_month_counts)", true, store.StatsQuery{By: []string{"category", "resolution"}, From: "2026-12-01", To: "2026-12-31"},
					[]string{"category", "resolution"}, []string{"deny_entry|false_match|1 a0 r0 f0", "stolen|confirmed|1 a0 r0 f0"}},
				{"filtered to a post", false, store.StatsQuery{By: []string{"booth"}, Where: map[string]string{"post": "TORUGART"}}, []string{"booth"}, []string{"TORUGART-01|1 a1 r0 f0"}},
				{"hits by category and resolution", true, store.StatsQuery{By: []string{"category", "resolution", "post"}}, []string{"category", "resolution", "post"},
					[]string{"deny_entry|false_match|DOSTUK|1 a0 r0 f0", "stolen|confirmed|DOSTUK|1 a0 r0 f0"}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					get := s.CrossingStats
					if tt.hits {
						get = s.HitStats
					}
					rs, err := get(ctx, tt.q)
					if err != nil {
						t.Fatal(err)
					}
					if got, want := rows(rs, tt.keys...), tt.want; !reflect.DeepEqual(got, want) {
						t.Errorf("got %q, want %q", got, want)
					}
				})
			}
			for _, q := range []store.StatsQuery{{By: []string{"payload"}}, {Where: map[string]string{"1=1 OR post": "x"}}, {From: "yesterday"}, {By: []string{"category"}}} {
				if _, err := s.CrossingStats(ctx, q); app.ErrorCode(err) != app.EINVALID {
					t.Errorf("CrossingStats(%+v) = %v, want EINVALID", q, err)
				}
			}
		})
	}
}

func trainingOf(t *testing.T, r store.Record) store.Record {
	t.Helper()
	c, err := wire.DecodeCrossing(r.Payload)
	if err != nil {
		t.Fatal(err)
	}
	c.Training = true
	r.Payload = wire.EncodeCrossing(c)
	sum := sha256.Sum256(r.Payload)
	r.Kind, r.SHA256 = wire.KindOf(c), sum[:]
	return r
}

// TestStatisticsBackfill opens an HQ written before the summary tables existed
// (testdata/legacy-2026-12-04, format-1 crossings): opening it counts every
// crossing it holds, and the counts agree with the per-booth report.
func TestStatisticsBackfill(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hq.db")
	copyFile(t, filepath.Join("..", "..", "testdata", "legacy-2026-12-04", "hq", "hq.db"), path)
	s, err := store.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rep, err := s.Report(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := s.CrossingStats(ctx, store.StatsQuery{By: []string{"booth"}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Crossings == 0 {
		t.Fatal("the legacy HQ holds no crossings; the test proves nothing")
	}
	got := map[string]int64{}
	for _, r := range rs {
		got[r.Keys["booth"]] = r.Count
	}
	for _, b := range rep.Booths {
		if got[b.ID] != b.Crossings {
			t.Errorf("booth %s: statistics count %d, report %d", b.ID, got[b.ID], b.Crossings)
		}
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestMonthSummaryFilledOnOpen: a store of the first summary definition,
// made before month_counts, gets it summed from crossing_counts when it
// opens, with the same figures.
func TestMonthSummaryFilledOnOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hq.db")
	s, err := store.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	enrol(t, s, "DOSTUK-01", "DOSTUK")
	at := time.Date(2026, 11, 3, 10, 0, 0, 0, bishkek)
	if _, err := s.Apply(ctx, statsBatch("DOSTUK-01",
		crossing("DOSTUK-01", "DOSTUK", 1, app.Entry, app.Admit, "", "KGZ", "P", at),
		crossing("DOSTUK-01", "DOSTUK", 2, app.Entry, app.Refuse, "C", "UZB", "P", at,
			app.HitResolution{ListID: "L1", Kind: "document", Category: "stolen", Confirmed: true})), t0); err != nil {
		t.Fatal(err)
	}
	q := store.StatsQuery{By: []string{"nationality"}, Where: map[string]string{"month": "2026-11"}}
	want, err := s.CrossingStats(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	hq := store.StatsQuery{By: []string{"category"}, From: "2026-11-01", To: "2026-11-30"}
	wantHits, err := s.HitStats(ctx, hq)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DROP TABLE month_counts; DROP TABLE hit_month_counts; DROP TABLE booth_month_counts; DROP TABLE booth_day_counts`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if s, err = store.OpenSQLite(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.CrossingStats(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := rows(got, "nationality"), rows(want, "nationality"); !reflect.DeepEqual(g, w) || len(g) != 2 {
		t.Errorf("after filling month_counts: %q, want %q", g, w)
	}
	gotHits, err := s.HitStats(ctx, hq)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := rows(gotHits, "category"), rows(wantHits, "category"); !reflect.DeepEqual(g, w) || len(g) != 1 {
		t.Errorf("after filling hit_month_counts: %q, want %q", g, w)
	}
}
