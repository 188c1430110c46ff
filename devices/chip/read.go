package chip

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"time"
)

// File identifiers (9303 part 10, 3.6).
const (
	FileCardAccess = 0x011C
	FileCOM        = 0x011E
	FileSOD        = 0x011D
	FileDG1        = 0x0101
	FileDG2        = 0x0102
)

// AID of the eMRTD application.
var aidMRTD = []byte{0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01}

// maxFile bounds one file: a DG2 with a face is 15–50 KB; READ BINARY with an
// even INS addresses at most 32 KB, which is also this package's limit.
const maxFile = 0x7FFF

// Access names how the chip was opened.
const (
	AccessBAC  = "bac"
	AccessPACE = "pace"
)

// Options tune a read. The zero value reads as a booth does.
type Options struct {
	// NoExtended keeps every READ BINARY in short form (223 bytes at a time) even
	// if the chip would take extended lengths.
	NoExtended bool
	// NoPACE skips PACE and goes straight to BAC.
	NoPACE bool
}

// Dump is what was read from a chip: the access used and the raw files.
type Dump struct {
	Access     string
	CardAccess []byte
	COM, SOD   []byte
	DG         map[int][]byte // data group number → file
	// AAChallenge and AAAnswer are active authentication's exchange, when
	// EF.COM lists DG15; AAError says why there is no answer.
	AAChallenge, AAAnswer []byte
	AAError               error
	Bytes                 int // bytes the chip sent, for the air-time estimate
	Commands              int
	Took                  time.Duration
}

// counter wraps a Card to count what crosses the air.
type counter struct {
	Card
	bytes, cmds int
}

func (c *counter) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	rsp, err := c.Card.Transmit(ctx, apdu)
	c.bytes += len(apdu) + len(rsp)
	c.cmds++
	return rsp, err
}

// ErrNoChip is returned when no chip answers: an older passport, or none on the reader.
var ErrNoChip = errors.New("chip: no chip answered")

// ReadPassport opens the chip with the MRZ key — PACE when EF.CardAccess offers a
// protocol this package runs, BAC otherwise — and reads EF.COM, EF.SOD, DG1 and DG2.
// It returns ErrAccessDenied when the chip refuses the key, a *StatusError or a
// wrapped ErrSM/ErrTLV when the chip answers something else than the standard says.
func ReadPassport(ctx context.Context, card Card, k Key, o Options) (*Dump, error) {
	start := time.Now()
	cc := &counter{Card: card}
	d := &Dump{DG: map[int][]byte{}}
	var sm *SM
	var err error
	if !o.NoPACE {
		if ca, err := readPlain(ctx, cc, FileCardAccess); err == nil {
			d.CardAccess = ca
			if ps, err := ParseCardAccess(ca); err == nil && len(ps) > 0 {
				sm, err = PACE(ctx, cc, k, ps[0])
				if err != nil {
					return nil, err
				}
				d.Access = AccessPACE
				if _, err := transmitSM(ctx, cc, sm, selectAID()); err != nil {
					return nil, fmt.Errorf("select application: %w", err)
				}
			}
		}
	}
	if sm == nil {
		if _, err := transmit(ctx, cc, selectAID()); err != nil {
			return nil, fmt.Errorf("select application: %w", err)
		}
		if sm, err = BAC(ctx, cc, k); err != nil {
			return nil, err
		}
		d.Access = AccessBAC
	}
	r := &fileReader{card: cc, sm: sm, ext: !o.NoExtended}
	if d.COM, err = r.read(ctx, FileCOM); err != nil {
		return nil, fmt.Errorf("EF.COM: %w", err)
	}
	if d.SOD, err = r.read(ctx, FileSOD); err != nil {
		return nil, fmt.Errorf("EF.SOD: %w", err)
	}
	for _, dg := range []int{1, 2} {
		b, err := r.read(ctx, 0x0100|dg)
		if err != nil {
			if dg != 1 && IsStatus(err, 0x6A82) {
				continue // a chip may lack DG2; the SOD check says whether it should have one
			}
			return nil, fmt.Errorf("DG%d: %w", dg, err)
		}
		d.DG[dg] = b
	}
	if dgs, err := ParseCOM(d.COM); err == nil && slices.Contains(dgs, 15) {
		if slices.Contains(dgs, 14) {
			if b, err := r.read(ctx, 0x010E); err == nil {
				d.DG[14] = b
			}
		}
		if b, err := r.read(ctx, 0x010F); err != nil {
			d.AAError = fmt.Errorf("DG15: %w", err)
		} else {
			d.DG[15] = b
			d.AAChallenge = make([]byte, 8)
			if _, err := rand.Read(d.AAChallenge); err != nil {
				return nil, err
			}
			d.AAAnswer, d.AAError = r.do(ctx, Command{INS: 0x88, Data: d.AAChallenge, Ne: 256})
		}
	}
	d.Bytes, d.Commands, d.Took = cc.bytes, cc.cmds, time.Since(start)
	return d, nil
}

// AirTime estimates how long the bytes read take at a contactless bit rate
// (424 kbit/s is what booth readers negotiate), not counting the chip's own work.
func (d *Dump) AirTime(bitsPerSecond int) time.Duration {
	return time.Duration(float64(d.Bytes*8) / float64(bitsPerSecond) * float64(time.Second))
}

func selectAID() Command {
	return Command{CLA: 0x00, INS: 0xA4, P1: 0x04, P2: 0x0C, Data: aidMRTD}
}

func selectFile(fid int) Command {
	return Command{CLA: 0x00, INS: 0xA4, P1: 0x02, P2: 0x0C, Data: []byte{byte(fid >> 8), byte(fid)}}
}

// readPlain reads a file without secure messaging (EF.CardAccess, before access).
func readPlain(ctx context.Context, card Card, fid int) ([]byte, error) {
	r := &fileReader{card: card}
	return r.read(ctx, fid)
}

type fileReader struct {
	card Card
	sm   *SM
	ext  bool
}

func (r *fileReader) do(ctx context.Context, c Command) ([]byte, error) {
	if r.sm == nil {
		return transmit(ctx, r.card, c)
	}
	return transmitSM(ctx, r.card, r.sm, c)
}

// short is the largest READ BINARY that fits a short response under secure messaging.
const short = 0xDF

// extended is the chunk asked for in extended form.
const extended = 0x1000

func (r *fileReader) read(ctx context.Context, fid int) ([]byte, error) {
	if _, err := r.do(ctx, selectFile(fid)); err != nil {
		return nil, err
	}
	head, err := r.do(ctx, Command{INS: 0xB0, Ne: 8})
	if err != nil {
		return nil, err
	}
	total, err := HeaderLength(head)
	if err != nil {
		return nil, err
	}
	if total > maxFile {
		return nil, fmt.Errorf("%w: file of %d bytes is larger than %d", ErrTLV, total, maxFile)
	}
	if len(head) > total {
		head = head[:total]
	}
	buf := append(make([]byte, 0, total), head...)
	for len(buf) < total {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n := min(total-len(buf), short)
		if r.ext {
			n = min(total-len(buf), extended)
		}
		off := len(buf)
		part, err := r.do(ctx, Command{INS: 0xB0, P1: byte(off >> 8), P2: byte(off), Ne: n})
		if err != nil && r.ext && n > short {
			var se *StatusError
			if errors.As(err, &se) {
				r.ext = false // the chip takes short lengths only
				continue
			}
		}
		if err != nil {
			return nil, err
		}
		if len(part) == 0 {
			return nil, fmt.Errorf("%w: empty READ BINARY at %d of %d", ErrTLV, off, total)
		}
		if len(part) > total-off {
			part = part[:total-off]
		}
		buf = append(buf, part...)
	}
	return buf, nil
}
