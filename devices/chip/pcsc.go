//go:build cgo && !windows

package chip

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/ebfe/scard"
)

// PCSC reaches chips through pcscd (PC/SC) with github.com/ebfe/scard. Each read
// connects afresh and re-resolves the reader by name, so a reader unplugged and
// plugged back, or pcscd restarted, is found again on the next passport.
type PCSC struct {
	// Reader is a reader's name, a part of it, or "auto" (the first reader
	// holding a card, else the first reader).
	Reader string

	mu  sync.Mutex
	ctx *scard.Context
}

// ErrNoReader is returned when pcscd lists no reader of the configured name.
var ErrNoReader = errors.New("chip: no PC/SC reader")

func (p *PCSC) context() (*scard.Context, error) {
	if p.ctx != nil {
		if ok, err := p.ctx.IsValid(); ok && err == nil {
			return p.ctx, nil
		}
		p.ctx.Release()
		p.ctx = nil
	}
	c, err := scard.EstablishContext()
	if err != nil {
		return nil, fmt.Errorf("chip: pcscd: %w", err)
	}
	p.ctx = c
	return c, nil
}

// serviceGone reports whether err says pcscd went away (restarted, stopped): the
// context is then dropped and established afresh next time. IsValid does not
// notice: it checks the handle on the client's side only.
func (p *PCSC) serviceGone(err error) {
	if errors.Is(err, scard.ErrNoService) || errors.Is(err, scard.ErrServiceStopped) ||
		errors.Is(err, scard.ErrInvalidHandle) || errors.Is(err, scard.ErrCommError) {
		if p.ctx != nil {
			p.ctx.Release()
			p.ctx = nil
		}
	}
}

// Readers lists the readers pcscd knows.
func (p *PCSC) Readers() ([]string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c, err := p.context()
	if err != nil {
		return nil, err
	}
	rs, err := c.ListReaders()
	if errors.Is(err, scard.ErrNoReadersAvailable) {
		return nil, nil
	}
	p.serviceGone(err)
	return rs, err
}

func (p *PCSC) pick(c *scard.Context) (string, error) {
	rs, err := c.ListReaders()
	if err != nil && !errors.Is(err, scard.ErrNoReadersAvailable) {
		return "", fmt.Errorf("chip: pcscd: %w", err)
	}
	want := p.Reader
	if want == "" {
		want = "auto"
	}
	var named []string
	for _, r := range rs {
		if want == "auto" || r == want || strings.Contains(strings.ToLower(r), strings.ToLower(want)) {
			named = append(named, r)
		}
	}
	if len(named) == 0 {
		return "", fmt.Errorf("%w named %q (pcscd lists %q)", ErrNoReader, want, rs)
	}
	if len(named) > 1 {
		states := make([]scard.ReaderState, len(named))
		for i, r := range named {
			states[i] = scard.ReaderState{Reader: r, CurrentState: scard.StateUnaware}
		}
		if err := c.GetStatusChange(states, 0); err == nil {
			for _, s := range states {
				if s.EventState&scard.StatePresent != 0 {
					return s.Reader, nil
				}
			}
		}
	}
	return named[0], nil
}

// Connect opens the chip on the reader. It returns ErrNoChip when the reader holds
// none (an older passport) and ErrNoReader when there is no such reader.
func (p *PCSC) Connect(ctx context.Context) (*PCSCCard, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c, err := p.context()
	if err != nil {
		return nil, err
	}
	name, err := p.pick(c)
	if err != nil {
		p.serviceGone(err)
		return nil, err
	}
	card, err := c.Connect(name, scard.ShareExclusive, scard.ProtocolAny)
	if err != nil {
		p.serviceGone(err)
		switch {
		case errors.Is(err, scard.ErrNoSmartcard), errors.Is(err, scard.ErrRemovedCard), errors.Is(err, scard.ErrUnpoweredCard), errors.Is(err, scard.ErrUnresponsiveCard):
			return nil, ErrNoChip
		case errors.Is(err, scard.ErrReaderUnavailable), errors.Is(err, scard.ErrUnknownReader):
			return nil, fmt.Errorf("%w %q: %v", ErrNoReader, name, err)
		}
		return nil, fmt.Errorf("chip: connect %q: %w", name, err)
	}
	return &PCSCCard{card: card, Reader: name}, nil
}

// Close releases the PC/SC context.
func (p *PCSC) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ctx == nil {
		return nil
	}
	err := p.ctx.Release()
	p.ctx = nil
	return err
}

// ReadPassport connects, reads the chip with the key and disconnects.
// A transmission that fails (a chip swapped since pcscd last looked, a chip
// brushed out of the field) is retried once on a fresh connection.
func (p *PCSC) ReadPassport(ctx context.Context, k Key, o Options) (*Dump, error) {
	for attempt := 0; ; attempt++ {
		card, err := p.Connect(ctx)
		if err != nil {
			return nil, err
		}
		d, err := ReadPassport(ctx, card, k, o)
		card.Close()
		if err != nil && attempt == 0 && errors.Is(err, errTransmit) {
			continue
		}
		return d, err
	}
}

// errTransmit is wrapped by failures of the link to the chip (not the chip's answers).
var errTransmit = errors.New("chip: transmit failed")

// PCSCCard is a connected chip.
type PCSCCard struct {
	Reader string
	card   *scard.Card
}

// Transmit sends one APDU. A card taken away mid-read is ErrNoChip.
func (c *PCSCCard) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rsp, err := c.card.Transmit(apdu)
	if err != nil {
		if errors.Is(err, scard.ErrRemovedCard) || errors.Is(err, scard.ErrNoSmartcard) || errors.Is(err, scard.ErrResetCard) {
			return nil, fmt.Errorf("%w: %v", ErrNoChip, err)
		}
		return nil, fmt.Errorf("%w: %w", errTransmit, err)
	}
	return rsp, nil
}

// Close ends the session; the chip is reset so no secure-messaging keys survive.
func (c *PCSCCard) Close() error { return c.card.Disconnect(scard.ResetCard) }
