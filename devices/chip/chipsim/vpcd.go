package chipsim

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// DefaultVPCD is where Debian's vsmartcard-vpcd waits for its first virtual card.
const DefaultVPCD = "localhost:35963"

// vpcd's control messages: a one-byte payload instead of an APDU.
const (
	vpcdPowerOff = 0x00
	vpcdPowerOn  = 0x01
	vpcdReset    = 0x02
	vpcdATR      = 0x04
)

// Serve connects the chip to vpcd at addr (the driver inside pcscd listens; the
// card connects) and answers until ctx ends. The chip is "in the reader" while
// the connection stands; if vpcd is not there yet or drops the connection, Serve
// dials again every half second. It returns ctx's error.
func Serve(ctx context.Context, addr string, c Responder) error {
	for {
		err := ServeOnce(ctx, addr, c)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		_ = err // vpcd not up yet, or pcscd restarted: try again
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// ServeOnce serves one connection to vpcd; closing it takes the chip out of the reader.
func ServeOnce(ctx context.Context, addr string, c Responder) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrDial, err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	c.Reset()
	var hdr [2]byte
	for {
		quickAck(conn)
		if _, err := io.ReadFull(conn, hdr[:]); err != nil {
			if errors.Is(err, io.EOF) || ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("chipsim: vpcd: %w", err)
		}
		n := int(binary.BigEndian.Uint16(hdr[:]))
		msg := make([]byte, n) // the chip may keep parts of a command
		quickAck(conn)
		if _, err := io.ReadFull(conn, msg); err != nil {
			return fmt.Errorf("chipsim: vpcd: %w", err)
		}
		var out []byte
		if n == 1 {
			switch msg[0] {
			case vpcdPowerOff, vpcdPowerOn, vpcdReset:
				c.Reset()
				continue
			case vpcdATR:
				out = ATR
			default:
				continue
			}
		} else {
			out, _ = c.Transmit(ctx, msg)
		}
		frame := binary.BigEndian.AppendUint16(make([]byte, 0, 2+len(out)), uint16(len(out)))
		if _, err := conn.Write(append(frame, out...)); err != nil {
			return fmt.Errorf("chipsim: vpcd: %w", err)
		}
	}
}

// ErrDial is wrapped when vpcd is not there to take the card.
var ErrDial = errors.New("chipsim: vpcd not reachable")

// Responder is what sits in vpcd's reader: a Chip, or a Holder whose chip can be
// changed without taking the card out (pcscd notices a removal only after seconds).
type Responder interface {
	Transmit(ctx context.Context, apdu []byte) ([]byte, error)
	Reset()
}

// Holder holds one chip at a time in the reader; tests and training swap passports
// through it.
type Holder struct {
	mu sync.Mutex
	c  *Chip
}

// Set puts c in the holder (nil: a card that answers nothing useful).
func (h *Holder) Set(c *Chip) {
	h.mu.Lock()
	h.c = c
	h.mu.Unlock()
	if c != nil {
		c.Reset()
	}
}

// Transmit passes the APDU to the chip held.
func (h *Holder) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	h.mu.Lock()
	c := h.c
	h.mu.Unlock()
	if c == nil {
		return []byte{0x6F, 0x00}, nil
	}
	return c.Transmit(ctx, apdu)
}

// Reset resets the chip held.
func (h *Holder) Reset() {
	h.mu.Lock()
	c := h.c
	h.mu.Unlock()
	if c != nil {
		c.Reset()
	}
}
