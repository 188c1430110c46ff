package chip

import (
	"bytes"
	"context"
	"errors"
	"image/jpeg"
	"sync"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/devices/chip/jp2"
	"github.com/chekara/chekara/devices/chip/pa"
)

// DefaultTimeout bounds one chip read at the booth: DG1 and DG2 take well under
// a second at 424 kbit/s, so a read still going after this is a chip in trouble.
const DefaultTimeout = 5 * time.Second

// BoothReader is the booth's chip reader (app.ChipReader): it reads the chip
// with the printed MRZ's key and checks it against the CSCAs it trusts, which
// can be replaced while it runs (a new master list from HQ).
type BoothReader struct {
	Reader  Reader
	Options Options
	Timeout time.Duration // 0: DefaultTimeout

	mu    sync.RWMutex
	trust *pa.Trust
}

var _ app.ChipReader = (*BoothReader)(nil)

// NewBoothReader reads through r and trusts the CSCAs of trust (nil: none yet).
func NewBoothReader(r Reader, trust *pa.Trust) *BoothReader {
	return &BoothReader{Reader: r, trust: trust}
}

// SetTrust replaces the CSCAs trusted from the next read on.
func (b *BoothReader) SetTrust(t *pa.Trust) {
	b.mu.Lock()
	b.trust = t
	b.mu.Unlock()
}

// ReadChip reads and checks the chip; every failure is a result, never an error.
func (b *BoothReader) ReadChip(ctx context.Context, lines []string, now time.Time) app.ChipResult {
	start := time.Now()
	t := b.Timeout
	if t <= 0 {
		t = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, t)
	defer cancel()
	b.mu.RLock()
	trust := b.trust
	b.mu.RUnlock()
	in, err := Inspect(ctx, b.Reader, lines, trust, now, b.Options)
	r := Result(in, err)
	r.Took = time.Since(start)
	return r
}

// Result turns an inspection, or the error that ended it, into the booth's terms.
func Result(in *Inspection, err error) app.ChipResult {
	switch {
	case errors.Is(err, ErrNoChip):
		return app.ChipResult{State: app.ChipAbsent}
	case errors.Is(err, ErrAccessDenied):
		return app.ChipResult{State: app.ChipRefused, Message: err.Error()}
	case errors.Is(err, ErrNoReader):
		return app.ChipResult{State: app.ChipUnreadable, Message: "the chip reader is not connected: " + err.Error()}
	case err != nil:
		return app.ChipResult{State: app.ChipUnreadable, Message: err.Error()}
	}
	r := app.ChipResult{
		Access: in.Access, DG1: in.DG1, SODSignature: in.PA.SODSignature, DSChain: in.PA.DSChain,
		DGHashes: in.PA.DGHashes, Signer: in.PA.Signer, CSCA: in.PA.CSCA, ActiveAuth: in.ActiveAuth,
	}
	if in.Face != nil {
		r.Face, r.FaceFormat, r.FaceWidth, r.FaceHeight = in.Face.Image, in.Face.Format, in.Face.Width, in.Face.Height
		// A face that does not decode is recorded as read and shown as
		// none: the chip's other checks stand.
		switch in.Face.Format {
		case "jpeg":
			r.FaceImage, _ = jpeg.Decode(bytes.NewReader(in.Face.Image))
		case "jpeg2000":
			r.FaceImage, _ = jp2.Decode(in.Face.Image)
		}
	}
	switch {
	case !in.MatchesMRZ:
		r.State, r.Message = app.ChipMismatch, "the chip's DG1 differs from the printed MRZ"
	case !in.PA.OK():
		r.State, r.Message = app.ChipFailed, in.PA.Words()
		for _, p := range in.PA.Problems {
			r.Message += " " + p + "."
		}
	case in.ActiveAuth == pa.AAFailed:
		r.State, r.Message = app.ChipFailed, "active authentication failed: "+in.AAProblem
	default:
		r.State = app.ChipGenuine
	}
	return r
}

// TrustCount is how many CSCA certificates the reader trusts now.
func (b *BoothReader) TrustCount() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.trust == nil {
		return 0
	}
	return len(b.trust.CSCAs)
}
