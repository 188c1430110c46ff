package booth_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/training"
	"github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/store"
)

// openCentre opens a training centre in a temporary folder with a trainee
// (T1, "pw") and a trainer (TR1, "pw"), and the shipped packs imported.
func openCentre(t *testing.T) *booth.Centre {
	t.Helper()
	ctx := context.Background()
	c, err := booth.OpenCentre(ctx, booth.CentreConfig{DataDir: t.TempDir(),
		Store: store.Options{Argon2: store.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	for _, o := range []app.Officer{{ID: "T1", Name: "Trainee One", Role: app.RoleTrainee}, {ID: "TR1", Name: "Trainer One", Role: app.RoleTrainer}} {
		if err := c.Store.SaveOfficer(ctx, o, "pw"); err != nil {
			t.Fatal(err)
		}
	}
	packs, err := booth.ShippedPacks()
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range packs {
		if _, err := c.Store.SavePack(ctx, data); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	return c
}

// TestShippedPacks plays every shipped pack's key through the real booth,
// traveller by traveller: what the booth shows must bear out the key's
// findings (a lesson the booth contradicts is a broken lesson), and perfect
// play scores 100 %.
func TestShippedPacks(t *testing.T) {
	c := openCentre(t)
	ctx := context.Background()
	packs, _ := booth.ShippedPacks()
	if len(packs) < 4 {
		t.Fatalf("%d packs shipped, want 4", len(packs))
	}
	for name := range packs {
		t.Run(name, func(t *testing.T) {
			p, err := training.Parse(packs[name])
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Travellers) < 10 {
				t.Errorf("%d travellers, want at least 10", len(p.Travellers))
			}
			sim, err := c.Start(ctx, booth.SimConfig{PackID: p.ID, OfficerID: "T1", Password: "pw", Scripted: true})
			if err != nil {
				t.Fatal(err)
			}
			defer sim.Close()
			perfect := training.PerfectPlay(p)
			for i := 0; !sim.Done(); i++ {
				v, err := sim.Next(ctx)
				if err != nil {
					t.Fatal(err)
				}
				tr := p.Travellers[i]
				checkView(t, tr, v)
				sc := perfect.Decisions[i]
				for _, h := range v.Hits {
					if _, err := sim.App.Resolve(ctx, h.ListID, sc.Hits == "confirm", sc.Note); err != nil {
						t.Fatal(err)
					}
				}
				ts, err := sim.Decide(ctx, app.DecisionRequest{Decision: sc.Decision, Reason: sc.Reason, Note: sc.Note, Ground: sc.Ground}, sc.Found)
				if err != nil {
					t.Fatalf("%s: decide %s: %v (verdict %s)", tr.ID, sc.Decision, err, v.Verdict.Key)
				}
				if ts.Points != ts.Max {
					t.Errorf("%s: perfect play scores %d/%d: %+v", tr.ID, ts.Points, ts.Max, ts)
				}
			}
			s, err := sim.Finish(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if s.Score.Percent != 100 || s.Score.Missed != 0 || s.Score.FalseRefusals != 0 {
				t.Errorf("perfect play: %+v", s.Score)
			}
		})
	}
}

// checkView holds the booth's screen against the key.
func checkView(t *testing.T, tr training.Traveller, v *app.InspectionView) {
	t.Helper()
	has := func(f training.Finding) bool { return slices.Contains(tr.Key.Findings, f) }
	if v.Inspection.Source != app.FromTraining || v.Face == nil || v.Image == nil {
		t.Errorf("%s: source %s, face %v, page %v: the simulated reader and camera must bring both", tr.ID, v.Inspection.Source, v.Face != nil, v.Image != nil)
	}
	if got := v.Expired && !v.ExpiredCitizen(); got != has(training.FindExpired) {
		t.Errorf("%s: expired on screen %v, finding %v", tr.ID, got, has(training.FindExpired))
	}
	if got := !v.Document.Valid; got != has(training.FindCheckDigit) {
		t.Errorf("%s: invalid on screen %v, finding %v (%v)", tr.ID, got, has(training.FindCheckDigit), v.Document.Errors)
	}
	if got := v.StayKnown && v.Stay.Overstay || v.Verdict.Key == app.VerdictOverstay; got != has(training.FindOverstay) {
		t.Errorf("%s: overstay on screen %v (%+v), finding %v", tr.ID, got, v.Stay, has(training.FindOverstay))
	}
	kinds := map[string]bool{}
	for _, h := range v.Hits {
		kinds[h.Kind] = true
	}
	if has(training.FindListedPerson) && !kinds["person"] {
		t.Errorf("%s: a listed person, but no person hit: %+v", tr.ID, v.Hits)
	}
	if has(training.FindStolenDocument) && !kinds["document"] {
		t.Errorf("%s: a listed document, but no document hit: %+v", tr.ID, v.Hits)
	}
	if (tr.Key.Hits != "") != (len(v.Hits) > 0) {
		t.Errorf("%s: key hits %q, %d hits on screen: %+v", tr.ID, tr.Key.Hits, len(v.Hits), v.Hits)
	}
	if tr.Key.Decision == app.Admit && v.Verdict.Level == app.LevelStop && tr.Key.Hits == "" {
		t.Errorf("%s: the key admits, the booth says %s", tr.ID, v.Verdict.Key)
	}
}

// TestAdmitAllMissesEveryFinding: the trainee who admits everyone (waving
// hits through as false matches, overriding every STOP) misses every finding.
func TestAdmitAllMissesEveryFinding(t *testing.T) {
	c := openCentre(t)
	ctx := context.Background()
	for _, id := range []string{"basics", "watchlists", "stays", "fraud"} {
		t.Run(id, func(t *testing.T) {
			p, err := c.Store.Pack(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			sim, err := c.Start(ctx, booth.SimConfig{PackID: id, OfficerID: "T1", Password: "pw", Scripted: true})
			if err != nil {
				t.Fatal(err)
			}
			defer sim.Close()
			d := training.AdmitAll(p)
			s, err := sim.Play(ctx, &d)
			if err != nil {
				t.Fatal(err)
			}
			if s.Score.Findings == 0 || s.Score.Missed != s.Score.Findings {
				t.Errorf("admit all: missed %d of %d findings", s.Score.Missed, s.Score.Findings)
			}
			if s.Score.Percent >= 100 {
				t.Errorf("admit all scores %v %%", s.Score.Percent)
			}
		})
	}
}

// TestSessionIsWatchedLive: a session's score is saved after each traveller,
// so the trainer sees it fill before it ends; the session's crossings stay in
// its own database, marked training.
func TestSessionIsWatchedLive(t *testing.T) {
	c := openCentre(t)
	ctx := context.Background()
	sim, err := c.Start(ctx, booth.SimConfig{PackID: "basics", OfficerID: "T1", Password: "pw", Scripted: true})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	var heard []string
	sim.OnScored(func(tr training.Traveller, ts training.TravellerScore) {
		heard = append(heard, tr.ID)
		sim.Position() // a listener may ask the session: no lock is held
	})
	for range 2 {
		if _, err := sim.Next(ctx); err != nil {
			t.Fatal(err)
		}
		sim.Clock.Advance(20 * time.Second)
		if _, err := sim.Decide(ctx, app.DecisionRequest{Decision: app.Admit}, nil); err != nil {
			t.Fatal(err)
		}
	}
	ss, err := c.Sessions(ctx, "T1")
	if err != nil || len(ss) != 1 {
		t.Fatalf("sessions %+v, %v", ss, err)
	}
	if s := ss[0]; !s.Finished.IsZero() || len(s.Outcomes) != 2 || s.Outcomes[1].Seconds != 20 {
		t.Errorf("running session as the trainer sees it: %+v", s)
	}
	if len(heard) != 2 {
		t.Errorf("scores heard: %v", heard)
	}
	hist, err := sim.Store.History(ctx, app.DocumentKey{IssuingState: "KGZ", Number: "AC2045871"}, app.TravellerKey{}, 10)
	if err != nil || len(hist) != 1 || !hist[0].Training {
		t.Errorf("the session's crossing: %+v, %v", hist, err)
	}
	if p, err := c.Progress(ctx, "T1"); err != nil || p.Sessions != 0 {
		t.Errorf("a running session counts in progress: %+v, %v", p, err)
	}
}

// BenchmarkTrainingTraveller: one traveller at the simulation booth — the
// page and face drawn, the lines through the serial driver, the read
// presented, decided and scored — as a trainee waits for it after each
// decision. Reports ms per traveller.
func BenchmarkTrainingTraveller(b *testing.B) {
	ctx := context.Background()
	c, err := booth.OpenCentre(ctx, booth.CentreConfig{DataDir: b.TempDir(),
		Store: store.Options{Argon2: store.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1}}})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if err := c.Store.SaveOfficer(ctx, app.Officer{ID: "T1", Name: "T", Role: app.RoleTrainee}, "pw"); err != nil {
		b.Fatal(err)
	}
	if err := c.ImportShipped(ctx); err != nil {
		b.Fatal(err)
	}
	var sim *booth.Sim
	start := time.Now()
	n := 0
	for b.Loop() {
		if sim == nil || sim.Done() {
			if sim != nil {
				sim.Finish(ctx)
				sim.Close()
			}
			if sim, err = c.Start(ctx, booth.SimConfig{PackID: "stays", OfficerID: "T1", Password: "pw", Scripted: true}); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := sim.Next(ctx); err != nil {
			b.Fatal(err)
		}
		if _, err := sim.Decide(ctx, app.DecisionRequest{Decision: app.Refer, Note: "bench"}, nil); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(n), "ms/traveller")
	if sim != nil {
		sim.Close()
	}
}
