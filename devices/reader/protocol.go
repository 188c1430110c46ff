package reader

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chekara/chekara/app"
)

// Protocol names, as written on the command line and in the booth's configuration.
const (
	ProtocolLines   = "lines"   // generic text mode: MRZ lines ended by CR, LF or CR LF
	ProtocolThreeM  = "3m"      // 3M RTE6701 OEM serial framing
	ProtocolDesko   = "desko"   // DESKO CUTE interface
	ProtocolElyctis = "elyctis" // Elyctis IDBOX One binary protocol
)

// Protocols lists the protocol names in the order the help text shows them.
var Protocols = []string{ProtocolLines, ProtocolThreeM, ProtocolDesko, ProtocolElyctis}

// DefaultMaxFrame caps a frame (and a lines document) when Protocol.MaxFrame is 0.
// A TD1 MRZ with its framing is about 100 bytes; DESKO allows 1024 data bytes.
const DefaultMaxFrame = 2048

// Errors a Frame carries. Their text is a sentence an officer can act on; the
// frame's detail is wrapped around it. Test with errors.Is.
var (
	// ErrTorn: the line went quiet in the middle of a frame (inter-byte timeout,
	// or the reader was unplugged mid-read).
	ErrTorn = errors.New("the document read was cut off — read the document again")
	// ErrChecksum: a 3M frame whose BCC does not match its bytes.
	ErrChecksum = errors.New("the reader's data failed its checksum — read the document again")
	// ErrOversize: more bytes than a frame may hold.
	ErrOversize = errors.New("the reader sent more data than a document holds — read the document again")
	// ErrMalformed: a frame whose structure is broken (missing ETX, control bytes in the MRZ…).
	ErrMalformed = errors.New("the reader sent a damaged read — read the document again")
	// ErrEmpty: a well-formed frame without any MRZ line.
	ErrEmpty = errors.New("the reader sent an empty read — read the document again")
	// ErrNoise: bytes between frames that belong to no frame; they were skipped.
	ErrNoise = errors.New("the reader sent bytes that are not a document; they were skipped")
)

// Frame is what a Decoder makes of the bytes it was fed: a document or an error.
type Frame struct {
	Lines []string // the document's MRZ lines, top to bottom, padding removed; nil when Err is set
	Raw   []byte   // the frame's bytes as received (for ErrNoise: the skipped bytes)
	Err   error    // nil for a document; wraps one of the Err… values otherwise
}

// Event turns the frame into the event the booth core receives.
func (f Frame) Event(at time.Time) app.ReaderEvent {
	if f.Err != nil {
		return app.ReaderEvent{Kind: app.ReaderError, Raw: f.Raw, Message: f.Err.Error(), At: at}
	}
	return app.ReaderEvent{Kind: app.ReaderDocument, Lines: f.Lines, Raw: f.Raw, At: at}
}

// Decoder turns bytes from a reader into frames. It is not safe for concurrent use.
type Decoder interface {
	// Feed takes the bytes as they arrive, in any split, and returns the frames
	// they complete (usually none or one). It keeps no reference to p.
	Feed(p []byte) []Frame
	// Silence tells the decoder the line has been quiet for the inter-byte
	// timeout. A partial frame becomes an ErrTorn frame; a lines document ended by
	// the pause is returned.
	Silence() []Frame
	// Pending reports whether bytes are held that Silence would turn into a frame.
	Pending() bool
}

// ThreeMOptions settles what the public 3M RTE6701 material leaves open.
// Defaults (zero values) are described on each field; docs/readers.md explains them.
type ThreeMOptions struct {
	// LengthWidth is the size of the length field in bytes, 1 (default) or 2
	// (big-endian). The length counts the bytes after the length field up to and
	// including ETX: "OU", STX, flag, data, ETX.
	LengthWidth int
	// BCCFrom says where the XOR block check starts; it always ends with ETX:
	// "length" (default: the byte after SOH), "soh" (SOH included) or "data" (the
	// byte after STX).
	BCCFrom string
	// Flag is the flag byte the encoder writes (default '0'). The decoder accepts any flag.
	Flag byte
	// Slots is the number of line slots the data is bottom-aligned in (default 3):
	// a two-line document is sent as an empty line (its CR) and then its two lines.
	Slots int
}

// DeskoOptions holds DESKO's start/end-of-document bytes, which the public CUTE
// material names (SODn, EODn) without giving values. Both are required.
type DeskoOptions struct {
	SOD []byte // bytes before STX, 1–8
	EOD []byte // bytes after ETX, 1–8
}

// ElyctisOptions settles the Elyctis IDBOX One details.
type ElyctisOptions struct {
	// Read is the command byte of a frame that carries the MRZ (default 0x49, the
	// inquire command, whose answer is 49 L1 L2 + MRZ).
	Read byte
	// Continuous is the continuous-read command byte (default 0x43). The host sends
	// Continuous 00 01 01 to switch continuous reading on; the reader switches it off
	// after each read, so the driver sends it again after every document. Frames
	// with this command byte coming back from the reader are acknowledgements and
	// are ignored.
	Continuous byte
}

// LinesOptions settles the generic text mode.
type LinesOptions struct {
	// End is the line end the encoder writes: "cr" (default), "lf" or "crlf". The
	// decoder accepts all three. The encoder ends every document with an empty line.
	End string
}

// Protocol is a framer: one protocol with its settings. The zero values of the
// options are the defaults documented on them; Name is required.
type Protocol struct {
	Name     string
	MaxFrame int // bytes; 0 means DefaultMaxFrame
	Lines    LinesOptions
	ThreeM   ThreeMOptions
	Desko    DeskoOptions
	Elyctis  ElyctisOptions
}

// Validate checks the settings. Returns an EINVALID app.Error naming the setting.
func (p Protocol) Validate() error {
	if p.MaxFrame < 0 || (p.MaxFrame > 0 && p.MaxFrame < 128) {
		return app.Errorf(app.EINVALID, "reader: frame cap %d is too small (at least 128 bytes)", p.MaxFrame)
	}
	switch p.Name {
	case ProtocolLines:
		switch p.Lines.End {
		case "", "cr", "lf", "crlf":
		default:
			return app.Errorf(app.EINVALID, "reader: line end %q is not cr, lf or crlf", p.Lines.End)
		}
	case ProtocolThreeM:
		o := p.ThreeM
		if o.LengthWidth != 0 && o.LengthWidth != 1 && o.LengthWidth != 2 {
			return app.Errorf(app.EINVALID, "reader: 3m length width must be 1 or 2 bytes, not %d", o.LengthWidth)
		}
		switch o.BCCFrom {
		case "", "length", "soh", "data":
		default:
			return app.Errorf(app.EINVALID, "reader: 3m BCC start %q is not length, soh or data", o.BCCFrom)
		}
		if o.Slots < 0 || o.Slots > 3 {
			return app.Errorf(app.EINVALID, "reader: 3m line slots must be 1 to 3, not %d", o.Slots)
		}
	case ProtocolDesko:
		if len(p.Desko.SOD) == 0 || len(p.Desko.EOD) == 0 {
			return app.Errorf(app.EINVALID, "reader: desko needs its SOD and EOD bytes (from the reader's CUTE configuration)")
		}
		if len(p.Desko.SOD) > 8 || len(p.Desko.EOD) > 8 {
			return app.Errorf(app.EINVALID, "reader: desko SOD and EOD are at most 8 bytes each")
		}
	case ProtocolElyctis:
		r, c := p.elyctisRead(), p.elyctisContinuous()
		if r == c {
			return app.Errorf(app.EINVALID, "reader: elyctis read and continuous-read commands must differ")
		}
	default:
		return app.Errorf(app.EINVALID, "reader: unknown protocol %q (one of %s)", p.Name, strings.Join(Protocols, ", "))
	}
	return nil
}

func (p Protocol) maxFrame() int {
	if p.MaxFrame == 0 {
		return DefaultMaxFrame
	}
	return p.MaxFrame
}

// NewDecoder returns a decoder for the protocol. It panics on a Protocol that
// fails Validate: check the configuration first.
func (p Protocol) NewDecoder() Decoder {
	if err := p.Validate(); err != nil {
		panic(err)
	}
	switch p.Name {
	case ProtocolLines:
		return &linesDecoder{max: p.maxFrame()}
	case ProtocolThreeM:
		return &frameScanner{max: p.maxFrame(), m: threeMMatcher{p: p}}
	case ProtocolDesko:
		return &frameScanner{max: p.maxFrame(), m: deskoMatcher{p: p}}
	default:
		return &frameScanner{max: p.maxFrame(), m: elyctisMatcher{p: p}}
	}
}

// Encode turns MRZ lines into the bytes the reader would send for them. Returns
// an EINVALID error for a line with a byte the protocol cannot carry (CR, LF,
// control bytes, non-ASCII) or a document too big for the frame.
func (p Protocol) Encode(lines []string) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	for i, l := range lines {
		if j := strings.IndexFunc(l, func(r rune) bool { return !printable(r) }); j >= 0 {
			return nil, app.Errorf(app.EINVALID, "reader: line %d has a byte %q that a reader cannot send", i+1, l[j])
		}
	}
	var b []byte
	var err error
	switch p.Name {
	case ProtocolLines:
		b, err = p.encodeLines(lines)
	case ProtocolThreeM:
		b, err = p.encodeThreeM(lines)
	case ProtocolDesko:
		b, err = p.encodeDesko(lines)
	default:
		b, err = p.encodeElyctis(lines)
	}
	if err == nil && len(b) > p.maxFrame() {
		err = app.Errorf(app.EINVALID, "reader: the document needs %d bytes, more than the frame cap %d", len(b), p.maxFrame())
	}
	return b, err
}

// Arm returns the bytes the host sends to the reader when the port opens and
// again after every document, or nil when the protocol needs none. For Elyctis it
// is the continuous-read command, which the reader switches off after each read.
func (p Protocol) Arm() []byte {
	if p.Name != ProtocolElyctis {
		return nil
	}
	return []byte{p.elyctisContinuous(), 0x00, 0x01, 0x01}
}

// Inquire returns the Elyctis inquire command (49 00 00), nil for other protocols.
func (p Protocol) Inquire() []byte {
	if p.Name != ProtocolElyctis {
		return nil
	}
	return []byte{p.elyctisRead(), 0x00, 0x00}
}

// printable reports whether r may appear inside an MRZ line on the wire:
// printable ASCII and TAB (which the padding trim removes at the ends).
func printable(r rune) bool { return r == '\t' || (r >= 0x20 && r <= 0x7e) }

// trimLine removes what readers pad lines with: spaces and tabs around the line,
// '_' (3M) at its end. It is the one padding rule of every framer and of Typed.
func trimLine(s string) string {
	return strings.TrimLeft(strings.TrimRight(s, " \t_"), " \t")
}

// dataLines splits a frame's data into MRZ lines: CR, LF or CR LF end a line
// (a missing end on the last line is tolerated), padding is trimmed, empty
// lines at the top (3M's bottom alignment) and at the bottom are dropped.
// Control bytes or non-ASCII inside the data make it ErrMalformed.
func dataLines(data []byte) ([]string, error) {
	for i, c := range data {
		if c != '\r' && c != '\n' && !printable(rune(c)) {
			return nil, fmt.Errorf("%w (byte 0x%02x at data offset %d)", ErrMalformed, c, i)
		}
	}
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	parts := strings.Split(s, "\n")
	lines := make([]string, 0, len(parts))
	for _, l := range parts {
		lines = append(lines, trimLine(l))
	}
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return nil, ErrEmpty
	}
	return lines, nil
}
