package booth_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/sync"
	"github.com/chekara/chekara/sync/wire"
)

var cheapHQ = hq.Config{Argon2: wire.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1}}

// TestOfficerFromHQ is issue 13's "done when", end to end over real mutual
// TLS: an officer added at HQ signs in at a freshly enrolled booth of their
// post, not at another post's booth, and not after being disabled; an HQ
// account never signs in at a booth.
func TestOfficerFromHQ(t *testing.T) {
	ctx := context.Background()
	h := testHQ{hqtest.Start(t, cheapHQ), t.TempDir()}
	dostuk := h.bundle(t, "DOSTUK-07", "DOSTUK")
	osh := h.bundle(t, "OSH-01", "OSH")
	const pw = "Zhibek-zholu-2026"
	for _, in := range []hq.OfficerInput{
		{ID: "K100", Name: "Kubat Osmonov", Role: app.RoleOfficer, Posts: []string{"DOSTUK"}, Language: "ky", Password: pw},
		{ID: "AN1", Name: "Aibek Analyst", Role: app.RoleAnalyst, Password: pw},
	} {
		if _, err := h.AddOfficer(ctx, "test", in); err != nil {
			t.Fatal(err)
		}
	}

	open := func(bundle string, clk *clock) *booth.Booth {
		t.Helper()
		b, err := booth.Open(ctx, booth.Config{DataDir: t.TempDir(), Enrolment: bundle, Clock: clk, Store: fastArgon})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		// Before the first round the booth has nobody who could sign in, and
		// the sign-in screen says why.
		if _, err := b.App.SignIn(ctx, "K100", pw); app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Fatalf("sign-in before reaching HQ: %v, want EUNAUTHORIZED", err)
		}
		if got, want := b.App.NotReady(ctx).Error(), "not reached HQ yet: no officers"; !strings.Contains(got, want) {
			t.Errorf("NotReady before the first sync = %q, want %q", got, want)
		}
		if err := b.Link.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		return b
	}
	clk := &clock{today}
	b := open(dostuk, clk)
	s, err := b.App.SignIn(ctx, "K100", pw)
	if err != nil {
		t.Fatalf("officer of the post at a fresh booth: %v", err)
	}
	if got := b.App.NotReady(ctx); got != nil {
		t.Errorf("NotReady with the post's officer = %q, want none", got)
	}
	if got, want := s.Officer.Language, "ky"; got != want {
		t.Errorf("language = %q, want %q", got, want)
	}
	if _, err := b.App.SignIn(ctx, "K100", "Wrong-password-1"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("wrong password: %v, want EUNAUTHORIZED", err)
	}
	if _, err := b.App.SignIn(ctx, "AN1", pw); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("analyst at a booth: %v, want EUNAUTHORIZED", err)
	}
	if got, want := b.Link.Puller.Version(wire.KindDirectory).Version, int64(2); got != want {
		t.Errorf("directory version %d, want %d", got, want)
	}

	other := open(osh, &clock{today})
	if _, err := other.App.SignIn(ctx, "K100", pw); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("officer of DOSTUK at OSH's booth: %v, want EUNAUTHORIZED", err)
	}
	if got, want := other.App.NotReady(ctx).Error(), "HQ has no officers for post OSH"; !strings.Contains(got, want) {
		t.Errorf("NotReady at a post without officers = %q, want %q", got, want)
	}

	// Disabled at HQ: the next round, one pull interval later, refuses them.
	if _, err := h.SetOfficerDisabled(ctx, "test", "K100", true); err != nil {
		t.Fatal(err)
	}
	clk.add(sync.DirectoryPullEvery)
	if err := b.Link.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.SignIn(ctx, "K100", pw); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("disabled officer: %v, want EUNAUTHORIZED", err)
	}

	// A booth reopened from its folder, HQ unreachable, keeps the directory
	// (and the refusal) it pulled.
	dir := t.TempDir()
	b2, err := booth.Open(ctx, booth.Config{DataDir: dir, Enrolment: dostuk, Clock: clk, Store: fastArgon})
	if err != nil {
		t.Fatal(err)
	}
	if err := b2.Link.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	b2.Close()
	if _, err := h.SetOfficerDisabled(ctx, "test", "K100", false); err != nil {
		t.Fatal(err)
	}
	h.Server.Close() // HQ down
	b3, err := booth.Open(ctx, booth.Config{DataDir: dir, Clock: clk, Store: fastArgon})
	if err != nil {
		t.Fatal(err)
	}
	defer b3.Close()
	if o, err := b3.Store.Officer(ctx, "K100"); err != nil || !o.Disabled {
		t.Errorf("offline booth holds K100 as %+v (%v), want disabled", o, err)
	}
	if _, err := b3.App.SignIn(ctx, "K100", pw); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("offline booth, officer disabled at its last pull: %v, want EUNAUTHORIZED", err)
	}
}
