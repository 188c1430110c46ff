package chip

import (
	"context"
	"errors"
	"fmt"
)

// Card carries one command APDU to a chip and returns its response APDU (data and
// the two status bytes). PC/SC is one Card; tests may use the simulator directly.
type Card interface {
	Transmit(ctx context.Context, apdu []byte) ([]byte, error)
}

// Command is an ISO/IEC 7816-4 command APDU. Ne is the number of bytes expected
// back: 0 for none, 256 for "up to 256" in short form, 65536 for the extended maximum.
type Command struct {
	CLA, INS, P1, P2 byte
	Data             []byte
	Ne               int
}

// Bytes encodes the command, in extended form when the data or Ne need it.
func (c Command) Bytes() []byte {
	ext := len(c.Data) > 255 || c.Ne > 256
	b := []byte{c.CLA, c.INS, c.P1, c.P2}
	if len(c.Data) > 0 {
		if ext {
			b = append(b, 0, byte(len(c.Data)>>8), byte(len(c.Data)))
		} else {
			b = append(b, byte(len(c.Data)))
		}
		b = append(b, c.Data...)
	}
	if c.Ne > 0 {
		switch {
		case !ext:
			b = append(b, byte(c.Ne)) // 256 encodes as 00
		case len(c.Data) > 0:
			b = append(b, byte(c.Ne>>8), byte(c.Ne)) // 65536 encodes as 00 00
		default:
			b = append(b, 0, byte(c.Ne>>8), byte(c.Ne))
		}
	}
	return b
}

// ParseCommand decodes a command APDU in short or extended form (the simulator's
// side). Errors wrap ErrAPDU.
func ParseCommand(b []byte) (Command, error) {
	if len(b) < 4 {
		return Command{}, fmt.Errorf("%w: %d bytes", ErrAPDU, len(b))
	}
	c := Command{CLA: b[0], INS: b[1], P1: b[2], P2: b[3]}
	body := b[4:]
	switch {
	case len(body) == 0:
	case len(body) == 1:
		c.Ne = int(body[0])
		if c.Ne == 0 {
			c.Ne = 256
		}
	case body[0] != 0: // short form with data
		lc := int(body[0])
		switch len(body) {
		case 1 + lc:
		case 2 + lc:
			c.Ne = int(body[1+lc])
			if c.Ne == 0 {
				c.Ne = 256
			}
		default:
			return Command{}, fmt.Errorf("%w: Lc %d with %d bytes", ErrAPDU, lc, len(body)-1)
		}
		c.Data = body[1 : 1+lc]
	case len(body) == 3: // extended, Le only
		c.Ne = int(body[1])<<8 | int(body[2])
		if c.Ne == 0 {
			c.Ne = 65536
		}
	default: // extended with data
		if len(body) < 3 {
			return Command{}, fmt.Errorf("%w: extended length cut short", ErrAPDU)
		}
		lc := int(body[1])<<8 | int(body[2])
		switch len(body) {
		case 3 + lc:
		case 5 + lc:
			c.Ne = int(body[3+lc])<<8 | int(body[4+lc])
			if c.Ne == 0 {
				c.Ne = 65536
			}
		default:
			return Command{}, fmt.Errorf("%w: extended Lc %d with %d bytes", ErrAPDU, lc, len(body)-3)
		}
		if lc == 0 {
			return Command{}, fmt.Errorf("%w: extended Lc of 0", ErrAPDU)
		}
		c.Data = body[3 : 3+lc]
	}
	return c, nil
}

// ErrAPDU is wrapped by errors about the shape of an APDU.
var ErrAPDU = errors.New("malformed APDU")

// StatusError is a status word other than 9000.
type StatusError struct{ SW uint16 }

func (e *StatusError) Error() string {
	switch e.SW {
	case 0x6A82:
		return "chip: file not found (6A82)"
	case 0x6982:
		return "chip: security status not satisfied (6982)"
	case 0x6988:
		return "chip: secure messaging data objects incorrect (6988)"
	case 0x6300:
		return "chip: authentication failed (6300)"
	}
	return fmt.Sprintf("chip: status %04X", e.SW)
}

// IsStatus reports whether err is a StatusError with the status word sw.
func IsStatus(err error, sw uint16) bool {
	var se *StatusError
	return errors.As(err, &se) && se.SW == sw
}

// split separates a response APDU into data and status word.
func split(rsp []byte) ([]byte, uint16, error) {
	if len(rsp) < 2 {
		return nil, 0, fmt.Errorf("%w: response of %d bytes", ErrAPDU, len(rsp))
	}
	n := len(rsp) - 2
	return rsp[:n], uint16(rsp[n])<<8 | uint16(rsp[n+1]), nil
}

// transmit sends c in plain and returns the data of a 9000 response.
func transmit(ctx context.Context, card Card, c Command) ([]byte, error) {
	rsp, err := card.Transmit(ctx, c.Bytes())
	if err != nil {
		return nil, err
	}
	data, sw, err := split(rsp)
	if err != nil {
		return nil, err
	}
	if sw != 0x9000 {
		return data, &StatusError{SW: sw}
	}
	return data, nil
}
