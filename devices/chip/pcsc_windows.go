package chip

import (
	"context"
	"errors"
)

// On Windows the pinned github.com/ebfe/scard does not build (its Windows file lacks
// the string buffer type the rest of it uses), so the booth for Windows has no chip
// reader yet: asking for one is an error in words, never a crash (docs/windows.md).

// PCSC is the chip reader; on Windows every call says it is not supported.
type PCSC struct {
	Reader string
}

// ErrNoReader is returned when no PC/SC reader of the configured name exists.
var ErrNoReader = errors.New("chip: no PC/SC reader")

var errWindows = errors.New("chip: smart-card readers are not supported by the Windows booth yet")

// PCSCCard is a connected chip.
type PCSCCard struct{ Reader string }

// Readers implements nothing on Windows.
func (p *PCSC) Readers() ([]string, error) { return nil, errWindows }

// Connect implements nothing on Windows.
func (p *PCSC) Connect(ctx context.Context) (*PCSCCard, error) { return nil, errWindows }

// Close does nothing.
func (p *PCSC) Close() error { return nil }

// ReadPassport implements nothing on Windows.
func (p *PCSC) ReadPassport(ctx context.Context, k Key, o Options) (*Dump, error) {
	return nil, errWindows
}

// Transmit implements nothing on Windows.
func (c *PCSCCard) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	return nil, errWindows
}

// Close does nothing.
func (c *PCSCCard) Close() error { return nil }
