package demo

import (
	"context"
	"sync"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/devices/chip"
	"github.com/chekara/chekara/devices/chip/chipsim"
	"github.com/chekara/chekara/devices/chip/pa"
)

// ChipDesk is the demo's chip reader: each document presented carries a
// simulated ePassport chip (devices/chip/chipsim) made for its MRZ, read in
// process with the same code as a PC/SC reader's chip and checked against the
// CSCAs the desk made. TD1 identity cards have no chip in the demo.
type ChipDesk struct {
	// Variant names the chip a document carries (chipsim's variants, or "none");
	// nil: every passport's chip is genuine.
	Variant func(lines []string) string

	mu    sync.Mutex
	trust pa.Trust
}

var _ app.ChipReader = (*ChipDesk)(nil)

// ReadChip makes the document's chip and reads it.
func (d *ChipDesk) ReadChip(ctx context.Context, lines []string, now time.Time) app.ChipResult {
	start := time.Now()
	variant := chipsim.Valid
	if d.Variant != nil {
		variant = d.Variant(lines)
	}
	if len(lines) == 3 || variant == "none" {
		return app.ChipResult{State: app.ChipAbsent}
	}
	c, err := chipsim.New(append([]string(nil), lines...), variant, now)
	if err != nil {
		return app.ChipResult{State: app.ChipUnreadable, Message: err.Error()}
	}
	csca, err := pa.ParseCertificate(c.Authority.CSCA.Raw)
	if err != nil {
		return app.ChipResult{State: app.ChipUnreadable, Message: err.Error()}
	}
	d.mu.Lock()
	d.trust.CSCAs = append(d.trust.CSCAs, csca)
	trust := &pa.Trust{CSCAs: append([]*pa.Certificate(nil), d.trust.CSCAs...)}
	d.mu.Unlock()
	r := chip.NewBoothReader(chip.CardReader{Card: c}, trust)
	res := r.ReadChip(ctx, lines, now)
	res.Took = time.Since(start)
	return res
}
