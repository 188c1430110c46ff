package chip

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chekara/chekara/devices/chip/pa"
)

// KeyFromMRZ takes the access key from the printed MRZ lines (TD1, TD2 or TD3).
func KeyFromMRZ(lines []string) (Key, error) {
	l := make([]string, len(lines))
	for i, s := range lines {
		l[i] = strings.TrimSpace(s)
	}
	switch {
	case len(l) == 2 && len(l[0]) == len(l[1]) && (len(l[0]) == 44 || len(l[0]) == 36):
		return Key{Document: l[1][0:9], Birth: l[1][13:19], Expiry: l[1][21:27]}, nil
	case len(l) == 3 && len(l[0]) == 30 && len(l[1]) == 30 && len(l[2]) == 30:
		return Key{Document: l[0][5:14], Birth: l[1][0:6], Expiry: l[1][8:14]}, nil
	}
	return Key{}, fmt.Errorf("%w: the MRZ must be two lines of 44 or 36 characters or three of 30", ErrKey)
}

// Inspection is a chip read and checked: how it was opened, what it holds, and
// whether it is genuine and this passport's.
type Inspection struct {
	Access     string
	DG1        []string
	Face       *Face
	PA         *pa.Result
	MatchesMRZ bool
	// ActiveAuth is pa.AAValid, pa.AAFailed or pa.AANotOffered; AAProblem says why it failed.
	ActiveAuth string
	AAProblem  string
	Dump       *Dump
	Took       time.Duration
}

// Reader reads chips: PC/SC in a booth, the simulator in-process in tests.
type Reader interface {
	ReadPassport(ctx context.Context, k Key, o Options) (*Dump, error)
}

// CardReader reads a Card already at hand (the in-process simulator).
type CardReader struct{ Card Card }

// ReadPassport reads the card.
func (r CardReader) ReadPassport(ctx context.Context, k Key, o Options) (*Dump, error) {
	return ReadPassport(ctx, r.Card, k, o)
}

// Inspect reads the chip with the key of the printed MRZ, parses DG1 and DG2,
// runs passive authentication against trust at now, and compares DG1 with the
// printed lines. A DG2 that cannot be decoded leaves Face nil: its hash is still checked.
func Inspect(ctx context.Context, r Reader, printed []string, trust *pa.Trust, now time.Time, o Options) (*Inspection, error) {
	start := time.Now()
	k, err := KeyFromMRZ(printed)
	if err != nil {
		return nil, err
	}
	d, err := r.ReadPassport(ctx, k, o)
	if err != nil {
		return nil, err
	}
	in := &Inspection{Access: d.Access, Dump: d}
	if in.DG1, err = ParseDG1(d.DG[1]); err != nil {
		return nil, fmt.Errorf("DG1: %w", err)
	}
	if b, ok := d.DG[2]; ok {
		in.Face, _ = ParseDG2(b)
	}
	in.PA = pa.Check(d.SOD, d.DG, trust, now)
	in.ActiveAuth = pa.AANotOffered
	switch {
	case d.DG[15] != nil && d.AAError == nil:
		var err error
		if in.ActiveAuth, err = pa.ActiveAuth(d.DG[14], d.DG[15], d.AAChallenge, d.AAAnswer); err != nil {
			in.AAProblem = err.Error()
		}
	case d.AAError != nil:
		in.ActiveAuth, in.AAProblem = pa.AAFailed, "the chip lists DG15 but did not sign the challenge: "+d.AAError.Error()
	}
	want := make([]string, len(printed))
	for i, s := range printed {
		want[i] = strings.TrimSpace(s)
	}
	in.MatchesMRZ = slices.Equal(in.DG1, want)
	in.Took = time.Since(start)
	return in, nil
}
