package wire

import (
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"github.com/chekara/chekara/app"
)

// BoothState is how a booth stood when it built a batch: what HQ's booth
// health page shows. It travels in batch format 3 as an optional block after
// the audit points, covered by the batch hash:
//
//	uvarint length L (0: no state), then L bytes:
//	varint  clock           booth clock, Unix nanoseconds
//	uvarint backlog         records not yet acknowledged by HQ (this batch's included)
//	varint  oldest_pending  booth-clock time the oldest of them was written, Unix ns; 0: none
//	uvarint lists, rules, directory   the versions the booth holds (0: none)
//
// A block with bytes after its last field is refused: a new field is a new
// batch format.
type BoothState struct {
	Clock         time.Time // the booth's clock when it built the batch
	Backlog       int64     // records waiting for HQ's acknowledgement
	OldestPending time.Time // when the oldest of them was written (booth clock); zero when none
	Lists         int64     // list version held
	Rules         int64     // stay rules version held
	Directory     int64     // officer directory version held
}

// maxStateBlock bounds the state block (six varints fit in 60 bytes).
const maxStateBlock = 128

// WithState returns b in format 3 carrying st, its hash recomputed. Returns
// EINVALID for a state out of bounds.
func (b Batch) WithState(st BoothState) (Batch, error) {
	if err := st.check(); err != nil {
		return Batch{}, err
	}
	b.Format, b.State = max(b.Format, 3), &st
	b.Hash = BatchHash(b)
	return b, nil
}

func (st *BoothState) check() error {
	if st == nil {
		return nil
	}
	if st.Clock.IsZero() {
		return app.Errorf(app.EINVALID, "booth state has no clock")
	}
	if st.Backlog < 0 || st.Backlog > 1<<62 || st.Lists < 0 || st.Lists > 1<<62 || st.Rules < 0 || st.Rules > 1<<62 ||
		st.Directory < 0 || st.Directory > 1<<62 {
		return app.Errorf(app.EINVALID, "booth state has a count or version out of bounds")
	}
	return nil
}

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// appendState appends the length-prefixed state block (length 0 for nil).
func appendState(buf []byte, st *BoothState) []byte {
	if st == nil {
		return binary.AppendUvarint(buf, 0)
	}
	var blk []byte
	blk = binary.AppendVarint(blk, unixNano(st.Clock))
	blk = binary.AppendUvarint(blk, uint64(st.Backlog))
	blk = binary.AppendVarint(blk, unixNano(st.OldestPending))
	blk = binary.AppendUvarint(blk, uint64(st.Lists))
	blk = binary.AppendUvarint(blk, uint64(st.Rules))
	blk = binary.AppendUvarint(blk, uint64(st.Directory))
	buf = binary.AppendUvarint(buf, uint64(len(blk)))
	return append(buf, blk...)
}

// state reads a state block; nil for an empty one.
func (d *decoder) state() *BoothState {
	n := d.uvarint()
	if d.err != nil || n == 0 {
		return nil
	}
	if n > maxStateBlock {
		d.err = fmt.Errorf("state block of %d bytes, more than %d", n, maxStateBlock)
		return nil
	}
	blk := make([]byte, n)
	if _, err := io.ReadFull(d.r, blk); err != nil {
		d.err = err
		return nil
	}
	var st BoothState
	next := func(signed bool) int64 {
		if d.err != nil {
			return 0
		}
		var v int64
		var k int
		if signed {
			v, k = binary.Varint(blk)
		} else {
			var u uint64
			u, k = binary.Uvarint(blk)
			if u > 1<<62 {
				k = -1
			}
			v = int64(u)
		}
		if k <= 0 {
			d.err = fmt.Errorf("state block field does not read")
			return 0
		}
		blk = blk[k:]
		return v
	}
	clock := next(true)
	st.Backlog = next(false)
	oldest := next(true)
	st.Lists, st.Rules, st.Directory = next(false), next(false), next(false)
	if d.err != nil {
		return nil
	}
	if len(blk) != 0 {
		d.err = fmt.Errorf("state block has %d bytes after its last field", len(blk))
		return nil
	}
	if clock == 0 {
		d.err = fmt.Errorf("state block has no clock")
		return nil
	}
	st.Clock = time.Unix(0, clock).UTC()
	if oldest != 0 {
		st.OldestPending = time.Unix(0, oldest).UTC()
	}
	return &st
}
