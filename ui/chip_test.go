package ui_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/devices/chip"
	"github.com/chekara/chekara/devices/chip/chipsim"
	"github.com/chekara/chekara/devices/chip/pa"
	"github.com/chekara/chekara/ui"
)

// chipOf is a booth chip reader holding one simulated chip for lines.
func chipOf(t *testing.T, lines []string, variant string) app.ChipReader {
	t.Helper()
	c, err := chipsim.New(append([]string(nil), lines...), variant, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	trust, err := pa.ParseTrust(c.Authority.CSCAPEM())
	if err != nil {
		t.Fatal(err)
	}
	return chip.NewBoothReader(chip.CardReader{Card: c}, trust)
}

type noChip struct{}

func (noChip) ReadChip(_ context.Context, _ []string, _ time.Time) app.ChipResult {
	return app.ChipResult{State: app.ChipAbsent}
}

// The chip's result is a row of the document panel and its photo stands beside
// the camera's; a failed or foreign chip is a STOP on the verdict bar.
func TestChipOnScreen(t *testing.T) {
	clean := cleanLines(t)
	other := compose(t, mrz.Fields{IssuingState: "KGZ", Surname: "TOKTOGULOV", GivenNames: "ERMEK", DocumentNumber: "AC1234567",
		Nationality: "KGZ", BirthDateISO: "1985-03-14", Sex: "M", ExpiryDateISO: "2031-01-01"})
	for _, c := range []struct {
		name     string
		reader   func(t *testing.T) app.ChipReader
		verdict  string
		row      string
		language string
	}{
		{"chip-genuine", func(t *testing.T) app.ChipReader { return chipOf(t, clean, chipsim.Valid) }, "OK: CLEAR", "Genuine — signed by the issuing state", "en"},
		{"chip-altered", func(t *testing.T) app.ChipReader { return chipOf(t, clean, chipsim.TamperedDG1) }, "STOP: CHIP FAILED ITS CHECK", "ALTERED — data differ from the signature", "en"},
		{"chip-mismatch", func(t *testing.T) app.ChipReader { return chipOf(t, other, chipsim.Valid) }, "STOP: CHIP DIFFERS FROM THE PAGE", "TOKTOGULOV, ERMEK", "en"},
		{"chip-clone", func(t *testing.T) app.ChipReader { return chipOf(t, clean, chipsim.Clone) }, "STOP: CHIP FAILED ITS CHECK", "CLONE? — the chip lacks its own signing key", "en"},
		{"chip-absent", func(*testing.T) app.ChipReader { return noChip{} }, "OK: CLEAR", "No chip (older passport) — normal", "en"},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := newBooth(t, ui.Config{Language: c.language})
			b.booth.Chip = c.reader(t)
			b.ready(t)
			b.read(t, clean)
			if got := b.ui.Verdict(); !strings.HasPrefix(got, c.verdict) {
				t.Errorf("verdict %q, want %q…", got, c.verdict)
			}
			if markup := test.RenderToMarkup(b.w.Canvas()); !strings.Contains(markup, c.row) {
				t.Errorf("the document panel does not say %q", c.row)
			}
			shot(t, b, c.name)
		})
	}
}
