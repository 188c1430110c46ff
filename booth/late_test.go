package booth_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/sync/wire"
)

// frontHQ serves HQ's own handler, with HQ's certificate and mutual TLS, on
// another address, and lets a test make its history answers late or garbage.
type frontHQ struct {
	addr  string
	delay atomic.Int64 // nanoseconds before a history answer
	junk  atomic.Value // a body answered to history queries instead of HQ's
}

func startFront(t *testing.T, h testHQ) *frontHQ {
	t.Helper()
	tc, err := h.TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	f := &frontHQ{}
	f.junk.Store("")
	inner := h.Handler()
	srv := &http.Server{TLSConfig: tc, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == wire.PathHistory {
			select {
			case <-time.After(time.Duration(f.delay.Load())):
			case <-r.Context().Done():
				return
			}
			if j := f.junk.Load().(string); j != "" {
				w.Header().Set("Content-Type", wire.ContentTypeJSON)
				w.Write([]byte(j))
				return
			}
		}
		inner.ServeHTTP(w, r)
	})}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.ServeTLS(l, "", "")
	t.Cleanup(func() { srv.Close() })
	f.addr = "https://" + l.Addr().String()
	return f
}

// TestNationalHistoryLateOrGarbage: a real HQ whose history answers come late
// or as garbage. Late within the budget: the screen comes at once with the
// booth's own history and is replaced by the right stay when HQ answers. Later
// than the budget: the screen says national history is unavailable, and the
// late answer never lands. Garbage: unavailable in words; the booth decides on.
func TestNationalHistoryLateOrGarbage(t *testing.T) {
	ctx := context.Background()
	h := startHQ(t)
	manas := postBooth(t, booth.Config{Enrolment: h.bundle(t, "MANAS-01", "MANAS")}, &clock{time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC)}, "MANAS", "MANAS-01", app.Entry)
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
	front := startFront(t, h)
	dostuk := postBooth(t, booth.Config{Enrolment: h.bundle(t, "DOSTUK-07", "DOSTUK"), HQAddress: front.addr}, &clock{today}, "DOSTUK", "DOSTUK-07", app.Exit)
	ups := watch(dostuk)
	present := func(asking bool) *app.InspectionView {
		t.Helper()
		start := time.Now()
		v, err := dostuk.App.Present(ctx, td3(t, visitor))
		if err != nil {
			t.Fatal(err)
		}
		if el := time.Since(start); el > 300*time.Millisecond {
			t.Errorf("Present took %v", el)
		}
		if (asking && v.National != app.NationalAsking) || v.National == app.NationalAnswered || len(v.History) != 0 {
			t.Errorf("first screen: National %q, history %+v; want asking with the booth's own (none)", v.National, v.History)
		}
		return v
	}
	setAside := func() {
		t.Helper()
		if _, err := dostuk.App.SetAside(ctx, "read again"); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("late, within the budget", func(t *testing.T) {
		front.delay.Store(int64(700 * time.Millisecond))
		dostuk.App.NationalWait = 3 * time.Second
		v := settle(t, present(true), ups)
		if v.National != app.NationalAnswered || len(v.History) != 1 || v.History[0].ID != entry.ID {
			t.Fatalf("after HQ's late answer: %q %+v", v.National, v.History)
		}
		if !v.Stay.Overstay || v.Stay.DaysUsed != 148 || v.Verdict.Key != app.VerdictOverstay {
			t.Errorf("stay %+v, verdict %s; want the overstay", v.Stay, v.Verdict.Key)
		}
		if cur := dostuk.App.Current(); cur == nil || cur.National != app.NationalAnswered {
			t.Errorf("the booth's current view was not replaced")
		}
		setAside()
	})
	t.Run("later than the budget", func(t *testing.T) {
		front.delay.Store(int64(1500 * time.Millisecond))
		dostuk.App.NationalWait = 300 * time.Millisecond
		v := settle(t, present(true), ups)
		if v.National != app.NationalUnavailable || !strings.Contains(v.NationalError, "National history unavailable") {
			t.Fatalf("National %q %q", v.National, v.NationalError)
		}
		time.Sleep(1500 * time.Millisecond) // HQ's answer would have come by now
		if cur := dostuk.App.Current(); cur == nil || cur.National != app.NationalUnavailable || len(cur.History) != 0 {
			t.Errorf("a late answer landed after the budget: %+v", cur)
		}
		setAside()
	})
	for name, junk := range map[string]string{
		"garbage":             "\x00\x01{{{ not json",
		"a broken crossing":   `{"crossings":[{"format":3,"id":1}],"hq_time":"2026-11-25T09:00:00Z"}`,
		"an answer too large": `{"crossings":[` + strings.Repeat(`"x",`, 400_000) + `"x"]}`,
	} {
		t.Run(name, func(t *testing.T) {
			front.delay.Store(0)
			front.junk.Store(junk)
			defer front.junk.Store("")
			dostuk.App.NationalWait = 2 * time.Second
			// HQ's garbage may come before the local look-up ends.
			v := settle(t, present(false), ups)
			if v.National != app.NationalUnavailable || !strings.Contains(v.NationalError, "National history unavailable") {
				t.Fatalf("National %q %q", v.National, v.NationalError)
			}
			setAside()
		})
	}
	if _, err := dostuk.App.Present(ctx, td3(t, visitor)); err != nil {
		t.Fatal(err)
	}
	if _, err := dostuk.App.Decide(ctx, app.DecisionRequest{Decision: app.Admit, Ground: "fined"}); err != nil {
		t.Errorf("the booth cannot decide after HQ's garbage: %v", err)
	}
}
