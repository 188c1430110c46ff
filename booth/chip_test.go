package booth_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/devices/chip/chipsim"
	"github.com/chekara/chekara/devices/chip/chiptest"
	"github.com/chekara/chekara/store"
)

// The booth reads the chip after the MRZ through the real pcscd (the simulated
// chip in vpcd's reader): a genuine chip leaves the verdict alone, a tampered
// one is a STOP; the outcome is in the audit chain and in the stored crossing.
func TestChipInTheBooth(t *testing.T) {
	addr := chiptest.PCSCD(t)
	holder := chiptest.Insert(t, addr)
	now := time.Now().UTC()
	f := mrz.Fields{IssuingState: "KGZ", Surname: "SADYKOV", GivenNames: "NURLAN", DocumentNumber: "AC7000001",
		Nationality: "KGZ", BirthDateISO: "1984-06-01", Sex: "M", ExpiryDateISO: "2031-06-01"}
	lines, err := mrz.Compose(mrz.TD3, f)
	if err != nil {
		t.Fatal(err)
	}
	genuine, err := chipsim.New(append([]string(nil), lines...), chipsim.Valid, now)
	if err != nil {
		t.Fatal(err)
	}
	tampered, err := chipsim.New(append([]string(nil), lines...), chipsim.TamperedDG1, now)
	if err != nil {
		t.Fatal(err)
	}
	jpeg2000, err := chipsim.New(append([]string(nil), lines...), chipsim.JPEG2000, now)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ml := filepath.Join(dir, "csca.pem")
	os.WriteFile(ml, slices.Concat(genuine.Authority.CSCAPEM(), tampered.Authority.CSCAPEM(), jpeg2000.Authority.CSCAPEM()), 0o600)
	clk := &clock{now}
	b, err := booth.Open(context.Background(), booth.Config{
		DataDir: filepath.Join(dir, "booth"), Clock: clk, ChipReader: "auto", MasterList: ml,
		ListsFile: filepath.Join("..", "assets", "lists", "demo.jsonl"),
		Store:     store.Options{Argon2: store.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	b.Store.SaveOfficer(ctx, app.Officer{ID: "K1", Name: "K One", Role: app.RoleOfficer, Language: "en"}, "pw")
	if _, err := b.App.SignIn(ctx, "K1", "pw"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.OpenShift(ctx, "DOSTUK", "DOSTUK-07", app.Entry); err != nil {
		t.Fatal(err)
	}

	present := func(c *chipsim.Chip) *app.InspectionView {
		t.Helper()
		holder.Set(c)
		deadline := time.Now().Add(20 * time.Second)
		for {
			v, err := b.App.Present(ctx, app.ReaderEvent{Kind: app.ReaderDocument, Lines: lines})
			if err != nil {
				t.Fatal(err)
			}
			if v.Chip.State != app.ChipAbsent || time.Now().After(deadline) {
				return v
			}
			// pcscd has not seen the card yet: set the read aside and swipe again.
			if _, err := b.App.SetAside(ctx, "chip not yet in the reader"); err != nil {
				t.Fatal(err)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}

	v := present(genuine)
	if v.Chip.State != app.ChipGenuine || v.Verdict.Key != app.VerdictClear || v.Chip.FaceImage == nil {
		t.Fatalf("genuine chip: %s %s %v, verdict %s", v.Chip.State, v.Chip.Message, v.Chip.DGHashes, v.Verdict.Key)
	}
	if v.Chip.Took > 3*time.Second {
		t.Errorf("the chip took %v", v.Chip.Took)
	}
	if _, err := b.App.Decide(ctx, app.DecisionRequest{Decision: app.Admit}); err != nil {
		t.Fatal(err)
	}

	v = present(tampered)
	if v.Chip.State != app.ChipFailed || v.Verdict.Key != app.VerdictChipFailed || v.Verdict.Level != app.LevelStop {
		t.Fatalf("tampered chip: %s %s %v, verdict %+v", v.Chip.State, v.Chip.Message, v.Chip.DGHashes, v.Verdict)
	}
	if _, err := b.App.Decide(ctx, app.DecisionRequest{Decision: app.Refuse, Reason: "A"}); err != nil {
		t.Fatal(err)
	}

	// A chip whose face is JPEG 2000: decoded (OpenJPEG) and shown beside
	// the camera's.
	v = present(jpeg2000)
	if v.Chip.State != app.ChipGenuine || v.Chip.FaceFormat != "jpeg2000" || v.Chip.FaceImage == nil ||
		v.Chip.FaceImage.Bounds().Dx() != 240 || v.Chip.FaceImage.Bounds().Dy() != 320 {
		t.Fatalf("JPEG 2000 chip: %s %s face %s %v", v.Chip.State, v.Chip.Message, v.Chip.FaceFormat, v.Chip.FaceImage != nil)
	}
	if _, err := b.App.Decide(ctx, app.DecisionRequest{Decision: app.Admit}); err != nil {
		t.Fatal(err)
	}

	hist, err := b.Store.History(ctx, app.DocumentKey{IssuingState: "KGZ", Number: "AC7000001"}, app.TravellerKey{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	states := map[app.Decision]app.ChipState{}
	for _, c := range hist {
		if c.Chip != nil {
			states[c.Decision] = c.Chip.State
		}
	}
	if states[app.Admit] != app.ChipGenuine || states[app.Refuse] != app.ChipFailed {
		t.Errorf("stored crossings' chips %v", states)
	}
	entries, err := b.Store.AuditEntries(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var audited []string
	for _, e := range entries {
		if e.Action == app.AuditChipRead {
			audited = append(audited, e.Detail)
		}
	}
	if s := strings.Join(audited, "\n"); !strings.Contains(s, `"state":"genuine"`) || !strings.Contains(s, `"DG1":"mismatch"`) {
		t.Errorf("chip reads audited: %s", s)
	}
	if _, err := b.Store.VerifyAudit(ctx); err != nil {
		t.Errorf("audit chain: %v", err)
	}
}
