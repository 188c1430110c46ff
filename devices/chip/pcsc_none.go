//go:build !cgo || windows

package chip

import (
	"context"
	"errors"
	"runtime"
)

// PC/SC is reached through github.com/ebfe/scard, which needs cgo, and whose pinned
// version does not build for Windows (its Windows file lacks the string buffer type
// the rest of it uses). A build without it — the booth for Windows, or a bmis built
// with CGO_ENABLED=0 — has no chip reader: asking for one is an error in words, never
// a crash (docs/windows.md).

// PCSC is the chip reader; in this build every call says it is not supported.
type PCSC struct {
	Reader string
}

// ErrNoReader is returned when no PC/SC reader of the configured name exists.
var ErrNoReader = errors.New("chip: no PC/SC reader")

var errUnsupported = func() error {
	if runtime.GOOS == "windows" {
		return errors.New("chip: smart-card readers are not supported by the Windows booth yet")
	}
	return errors.New("chip: this build has no smart-card support (built without cgo; build with CGO_ENABLED=1 and libpcsclite-dev)")
}()

// PCSCCard is a connected chip.
type PCSCCard struct{ Reader string }

// Readers implements nothing in this build.
func (p *PCSC) Readers() ([]string, error) { return nil, errUnsupported }

// Connect implements nothing in this build.
func (p *PCSC) Connect(ctx context.Context) (*PCSCCard, error) { return nil, errUnsupported }

// Close does nothing.
func (p *PCSC) Close() error { return nil }

// ReadPassport implements nothing in this build.
func (p *PCSC) ReadPassport(ctx context.Context, k Key, o Options) (*Dump, error) {
	return nil, errUnsupported
}

// Transmit implements nothing in this build.
func (c *PCSCCard) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	return nil, errUnsupported
}

// Close does nothing.
func (c *PCSCCard) Close() error { return nil }
