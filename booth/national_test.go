package booth_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/booth"
)

// visitor is a British traveller: visa-free, 90 days in any 180 under the
// default rules of 2026.
var visitor = mrz.Fields{IssuingState: "GBR", Surname: "WALKER", GivenNames: "EMMA", DocumentNumber: "533401927",
	Nationality: "GBR", BirthDateISO: "1988-05-17", Sex: "F", ExpiryDateISO: "2033-01-01"}

// postBooth opens an enrolled booth at post with officer K1 on a shift in
// direction d.
func postBooth(t *testing.T, cfg booth.Config, clk *clock, post, id string, d app.Direction) *booth.Booth {
	t.Helper()
	ctx := context.Background()
	cfg.DataDir, cfg.Clock, cfg.Store = t.TempDir(), clk, fastArgon
	b, err := booth.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	if err := b.Store.SaveOfficer(ctx, app.Officer{ID: "K1", Name: "K One", Role: app.RoleOfficer, Language: "en"}, "pw"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.SignIn(ctx, "K1", "pw"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.OpenShift(ctx, post, id, d); err != nil {
		t.Fatal(err)
	}
	return b
}

// settle returns the view once HQ's answer (or the booth's giving up) is in.
func settle(t *testing.T, v *app.InspectionView, ups <-chan *app.InspectionView) *app.InspectionView {
	t.Helper()
	for v.National == app.NationalAsking {
		select {
		case v = <-ups:
		case <-time.After(10 * time.Second):
			t.Fatal("the booth never settled its question to HQ")
		}
	}
	return v
}

func watch(b *booth.Booth) <-chan *app.InspectionView {
	ch := make(chan *app.InspectionView, 8)
	b.App.OnUpdate(func(v *app.InspectionView) { ch <- v })
	return ch
}

// TestNationalHistoryAcrossPosts: a real HQ and two booths at two posts. The
// visitor enters at Manas and leaves months later through Dostuk: the exit
// booth, which never saw them, shows the entry recorded at Manas and the
// overstay; HQ's audit says who looked them up from where. With HQ gone the
// screen still comes at once, saying national history is unavailable.
func TestNationalHistoryAcrossPosts(t *testing.T) {
	ctx := context.Background()
	h := startHQ(t)
	entryDay := time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC)
	manasClock, dostukClock := &clock{entryDay}, &clock{today} // today: 2026-11-25, 147 days later
	manas := postBooth(t, booth.Config{Enrolment: h.bundle(t, "MANAS-01", "MANAS")}, manasClock, "MANAS", "MANAS-01", app.Entry)
	dostuk := postBooth(t, booth.Config{Enrolment: h.bundle(t, "DOSTUK-07", "DOSTUK")}, dostukClock, "DOSTUK", "DOSTUK-07", app.Exit)

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

	ups := watch(dostuk)
	start := time.Now()
	v, err = dostuk.App.Present(ctx, td3(t, visitor))
	if err != nil {
		t.Fatal(err)
	}
	first := time.Since(start)
	v = settle(t, v, ups)
	if got, want := v.National, app.NationalAnswered; got != want {
		t.Fatalf("National = %q (%s), want %q", got, v.NationalError, want)
	}
	if len(v.History) != 1 || v.History[0].ID != entry.ID || v.History[0].Post != "MANAS" || v.SourceOf(v.History[0]) != app.SourceHQ {
		t.Fatalf("history = %+v, want Manas's entry %s from HQ", v.History, entry.ID)
	}
	if !v.StayKnown || !v.Stay.Overstay || v.Stay.DaysUsed != 148 || v.Stay.OverstayDays != 58 {
		t.Errorf("stay = %+v, want 148 days used, 58 overstayed", v.Stay)
	}
	if got, want := v.Verdict.Key, app.VerdictOverstay; got != want {
		t.Errorf("verdict = %s, want %s", got, want)
	}
	t.Logf("screen in %v, national history in %v", first, time.Since(start))

	lookups, err := h.Store().Lookups(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var asked []string
	for _, l := range lookups {
		asked = append(asked, l.Booth+"/"+l.OfficerID+"/"+l.Document.Number+"/"+l.Person.Surname)
	}
	if got, want := strings.Join(asked, " "), "MANAS-01/K1/533401927/WALKER DOSTUK-07/K1/533401927/WALKER"; got != want {
		t.Errorf("HQ's audit of history queries = %q, want %q", got, want)
	}

	// HQ gone: the screen comes without waiting and says so in words.
	if _, err := dostuk.App.SetAside(ctx, "read again"); err != nil {
		t.Fatal(err)
	}
	h.Server.Close()
	dostuk.App.NationalWait = 300 * time.Millisecond
	start = time.Now()
	v, err = dostuk.App.Present(ctx, td3(t, visitor))
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 250*time.Millisecond {
		t.Errorf("Present took %v with HQ down", el)
	}
	v = settle(t, v, ups)
	if v.National != app.NationalUnavailable || !strings.Contains(v.NationalError, "National history unavailable") {
		t.Errorf("with HQ down: %q %q", v.National, v.NationalError)
	}
}

// TestNationalHistoryHQHangs: an HQ that accepts the connection and never
// answers neither blocks the screen nor crashes the booth.
func TestNationalHistoryHQHangs(t *testing.T) {
	ctx := context.Background()
	h := startHQ(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() { // accepts and holds every connection, says nothing
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	b := postBooth(t, booth.Config{Enrolment: h.bundle(t, "DOSTUK-07", "DOSTUK"), HQAddress: "https://" + l.Addr().String()},
		&clock{today}, "DOSTUK", "DOSTUK-07", app.Exit)
	b.App.NationalWait = 200 * time.Millisecond
	ups := watch(b)
	start := time.Now()
	v, err := b.App.Present(ctx, td3(t, visitor))
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 150*time.Millisecond {
		t.Errorf("Present took %v while HQ hangs", el)
	}
	if v.National != app.NationalAsking {
		t.Errorf("National = %q at the swipe, want asking", v.National)
	}
	v = settle(t, v, ups)
	if v.National != app.NationalUnavailable || !strings.Contains(v.NationalError, "did not answer in time") {
		t.Errorf("National = %q %q, want unavailable in words", v.National, v.NationalError)
	}
	c, err := b.App.Decide(ctx, app.DecisionRequest{Decision: app.Admit})
	if err != nil {
		t.Fatalf("deciding after HQ hung: %v", err)
	}
	// The stored record (crossing format 3) says the decision saw this booth's history only.
	hist, err := b.Store.History(ctx, c.Document, c.Traveller, 10)
	if err != nil || len(hist) != 1 {
		t.Fatalf("stored history %+v, %v", hist, err)
	}
	if got, want := strings.Join(hist[0].Sources, " "), "local"; got != want {
		t.Errorf("stored crossing's sources = %q, want %q", got, want)
	}
}
