package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/chekara/chekara/hq/store"
)

// TestBoothStates: each batch's state becomes the booth's latest; a clock
// that moves against HQ's by more than ClockJump between two batches is an
// alert; a batch without a state keeps the last one.
func TestBoothStates(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := open(t)
			enrol(t, s, "B1", "DOSTUK")
			enrol(t, s, "B2", "DOSTUK")
			b := batch("B1", 1, 3)
			b.State = &store.BoothState{BoothClock: t0.Add(40 * time.Second), Backlog: 7, OldestPending: t0.Add(-2 * time.Hour), Lists: 4, Rules: 2, Directory: 9}
			if _, err := s.Apply(ctx, b, t0); err != nil {
				t.Fatal(err)
			}
			// Ten minutes later by HQ, but the booth's clock jumped an hour back.
			b = batch("B1", 4, 5)
			b.State = &store.BoothState{BoothClock: t0.Add(10*time.Minute - time.Hour), Backlog: 2, Lists: 5, Rules: 2, Directory: 9}
			res, err := s.Apply(ctx, b, t0.Add(10*time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Alerts) != 1 || res.Alerts[0].Reason != store.AlertClockJump {
				t.Fatalf("alerts %+v, want one clock jump", res.Alerts)
			}
			// B2 sends without a state (an older booth).
			if _, err := s.Apply(ctx, batch("B2", 1, 1), t0); err != nil {
				t.Fatal(err)
			}
			// A later batch within the jump's tolerance raises nothing.
			b = batch("B1", 6, 6)
			b.State = &store.BoothState{BoothClock: t0.Add(20*time.Minute - time.Hour + 30*time.Second), Backlog: 1, Lists: 5, Rules: 2, Directory: 9}
			if res, err = s.Apply(ctx, b, t0.Add(20*time.Minute)); err != nil || len(res.Alerts) != 0 {
				t.Fatalf("steady clock: %+v, %v", res.Alerts, err)
			}
			got, err := s.BoothStates(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 {
				t.Fatalf("states %+v, want B1's only", got)
			}
			st := got[0]
			if st.Booth != "B1" || st.Backlog != 1 || st.Lists != 5 || st.Directory != 9 || !st.OldestPending.IsZero() || st.Source != "link" ||
				!st.ReceivedAt.Equal(t0.Add(20*time.Minute)) {
				t.Errorf("state %+v", st)
			}
			if got, want := st.ClockOffset(), -time.Hour+30*time.Second; got != want {
				t.Errorf("offset %v, want %v", got, want)
			}
			alerts, _ := s.Alerts(ctx)
			if len(alerts) != 1 || alerts[0].Reason != store.AlertClockJump || alerts[0].Booth != "B1" {
				t.Errorf("stored alerts %+v", alerts)
			}
		})
	}
}
