package booth_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/devices/chip/chipsim"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/sync/wire"
)

// A CSCA master list imported at HQ reaches an enrolled booth signed like the
// watchlists and joins the CSCA configured at the booth (the home country's);
// a booth that was offline keeps what it had at the next start.
func TestMasterListFromHQ(t *testing.T) {
	ctx := context.Background()
	h := testHQ{hqtest.Start(t, cheapHQ), t.TempDir()}
	bundle := h.bundle(t, "DOSTUK-07", "DOSTUK")
	lines := []string{"P<UZBKARIMOV<<JAVOHIR<<<<<<<<<<<<<<<<<<<<<<<", "FA11223344UZB9109171M2903015<<<<<<<<<<<<<<04"}
	foreign, err := chipsim.New(slices.Clone(lines), chipsim.Valid, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	home, err := chipsim.New(slices.Clone(lines), chipsim.Valid, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ml, err := foreign.Authority.MasterList(foreign.Authority.CSCA)
	if err != nil {
		t.Fatal(err)
	}
	p, err := h.ImportMasterList(ctx, ml)
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != 1 {
		t.Errorf("version %d", p.Version)
	}
	if _, err := h.ImportMasterList(ctx, ml); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("the same list twice: %v", err)
	}
	if _, err := h.ImportMasterList(ctx, []byte("not a list")); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("garbage: %v", err)
	}
	local := filepath.Join(t.TempDir(), "home-csca.pem")
	os.WriteFile(local, home.Authority.CSCAPEM(), 0o600)
	dir := t.TempDir()
	cfg := booth.Config{DataDir: dir, Enrolment: bundle, Clock: &clock{today}, Store: fastArgon, ChipReader: "auto", MasterList: local}
	b, err := booth.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.ChipTrust(); got != 1 {
		t.Errorf("before the first sync the booth trusts %d CSCAs, want the configured 1", got)
	}
	if err := b.Link.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := b.Link.Puller.Version(wire.KindMasterList).Version, int64(1); got != want {
		t.Errorf("master list version %d, want %d", got, want)
	}
	if got := b.ChipTrust(); got != 2 {
		t.Errorf("after the sync the booth trusts %d CSCAs, want HQ's and the configured one", got)
	}
	b.Close()

	// Offline at the next start: the list pulled before is still trusted.
	cfg.Enrolment = ""
	b, err = booth.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if got := b.ChipTrust(); got != 2 {
		t.Errorf("after a restart the booth trusts %d CSCAs, want 2", got)
	}
}
