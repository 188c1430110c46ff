package reader

import (
	"bytes"
	"fmt"

	"github.com/chekara/chekara/app"
)

// Control bytes of the framed protocols.
const (
	soh = 0x01
	stx = 0x02
	etx = 0x03
)

// verdict is what a matcher says about the bytes at a candidate frame start.
type verdict int

const (
	needMore   verdict = iota // could still be a frame: wait for bytes
	falseStart                // the first byte does not start a frame
	complete                  // a frame of n bytes (a document, an error, or nothing to report)
)

// matcher knows one framed protocol's layout. The frameScanner does the rest:
// buffering, skipping noise, resynchronising after a false start, torn frames.
type matcher interface {
	isStart(b byte) bool
	// match looks at buf, whose first byte is a start byte. For complete it
	// returns the frame's length n and its lines or error; both nil means a frame
	// that carries no event (an acknowledgement).
	match(buf []byte, max int) (v verdict, n int, lines []string, err error)
}

// frameScanner is the Decoder of the framed protocols (3m, desko, elyctis).
// A false start gives back only its first byte to the noise, so a real frame
// hidden behind a stray start byte is still found (resynchronisation).
type frameScanner struct {
	buf   []byte // from a candidate frame start on
	noise []byte // skipped bytes not yet reported
	max   int
	m     matcher
}

func (s *frameScanner) Feed(p []byte) []Frame {
	s.buf = append(s.buf, p...)
	var out []Frame
	for len(s.buf) > 0 {
		i := 0
		for i < len(s.buf) && !s.m.isStart(s.buf[i]) {
			i++
		}
		s.noise = append(s.noise, s.buf[:i]...)
		s.buf = s.buf[i:]
		if len(s.buf) == 0 {
			break
		}
		v, n, lines, err := s.m.match(s.buf, s.max)
		if v == needMore && len(s.buf) >= s.max {
			// Matchers refuse lengths over the cap; this guards a matcher without one.
			v, n, lines, err = complete, len(s.buf), nil, fmt.Errorf("%w (over %d bytes)", ErrOversize, s.max)
		}
		if v == needMore {
			break
		}
		if v == falseStart {
			s.noise = append(s.noise, s.buf[0])
			s.buf = s.buf[1:]
			continue
		}
		out = s.flushNoise(out)
		if lines != nil || err != nil {
			out = append(out, Frame{Lines: lines, Raw: bytes.Clone(s.buf[:n]), Err: err})
		}
		s.buf = s.buf[n:]
	}
	if len(s.noise) >= s.max {
		out = s.flushNoise(out)
	}
	// Keep the buffer from creeping through memory as frames are cut off its front.
	if cap(s.buf) > 4*s.max && len(s.buf) < s.max {
		s.buf = append([]byte(nil), s.buf...)
	}
	return out
}

func (s *frameScanner) flushNoise(out []Frame) []Frame {
	if len(s.noise) == 0 {
		return out
	}
	out = append(out, Frame{Raw: bytes.Clone(s.noise), Err: fmt.Errorf("%w (%d bytes)", ErrNoise, len(s.noise))})
	s.noise = s.noise[:0]
	return out
}

func (s *frameScanner) Silence() []Frame {
	out := s.flushNoise(nil)
	if len(s.buf) > 0 {
		out = append(out, Frame{Raw: bytes.Clone(s.buf), Err: fmt.Errorf("%w (%d bytes, then silence)", ErrTorn, len(s.buf))})
		s.buf = s.buf[:0]
	}
	return out
}

func (s *frameScanner) Pending() bool { return len(s.buf) > 0 || len(s.noise) > 0 }

// dataByte reports whether c may appear in a frame's MRZ data.
func dataByte(c byte) bool { return c == '\r' || c == '\n' || printable(rune(c)) }

// 3M RTE6701: SOH, length, "OU", STX, flag, data, ETX, BCC.

type threeMMatcher struct{ p Protocol }

func (o ThreeMOptions) width() int {
	if o.LengthWidth == 0 {
		return 1
	}
	return o.LengthWidth
}

func (o ThreeMOptions) slots() int {
	if o.Slots == 0 {
		return 3
	}
	return o.Slots
}

func (o ThreeMOptions) flag() byte {
	if o.Flag == 0 {
		return '0'
	}
	return o.Flag
}

// bccStart is the index in the frame where the XOR starts.
func (o ThreeMOptions) bccStart() int {
	switch o.BCCFrom {
	case "soh":
		return 0
	case "data":
		return 1 + o.width() + 3 // after SOH, length, "OU", STX
	default:
		return 1
	}
}

func (threeMMatcher) isStart(b byte) bool { return b == soh }

func (m threeMMatcher) match(buf []byte, max int) (verdict, int, []string, error) {
	o := m.p.ThreeM
	w := o.width()
	hdr := 1 + w
	if len(buf) < hdr {
		return needMore, 0, nil, nil
	}
	l := int(buf[1])
	if w == 2 {
		l = l<<8 | int(buf[2])
	}
	total := hdr + l + 1
	if l < 5 || total > max {
		return falseStart, 0, nil, nil
	}
	// Check what has arrived so far, so garbage is given up on early.
	for i := hdr; i < len(buf) && i < total-1; i++ {
		c := buf[i]
		switch {
		case i == hdr && c != 'O', i == hdr+1 && c != 'U', i == hdr+2 && c != stx:
			return falseStart, 0, nil, nil
		case i >= hdr+4 && i < total-2 && !dataByte(c):
			return falseStart, 0, nil, nil
		case i == total-2 && c != etx:
			return falseStart, 0, nil, nil
		}
	}
	if len(buf) < total {
		return needMore, 0, nil, nil
	}
	frame := buf[:total]
	want := xor(frame[o.bccStart() : total-1])
	if got := frame[total-1]; got != want {
		return complete, total, nil, fmt.Errorf("%w (3m BCC 0x%02x, computed 0x%02x)", ErrChecksum, got, want)
	}
	lines, err := dataLines(frame[hdr+4 : total-2])
	return complete, total, lines, err
}

func xor(b []byte) byte {
	var x byte
	for _, c := range b {
		x ^= c
	}
	return x
}

func (p Protocol) encodeThreeM(lines []string) ([]byte, error) {
	o := p.ThreeM
	var data []byte
	for i := len(lines); i < o.slots(); i++ {
		data = append(data, '\r') // bottom alignment: a missing top line still sends its CR
	}
	for _, l := range lines {
		data = append(data, l...)
		pad := 30
		if len(l) > 30 {
			pad = 44
		}
		for i := len(l); i < pad; i++ {
			data = append(data, '_')
		}
		data = append(data, '\r')
	}
	w := o.width()
	l := 2 + 1 + 1 + len(data) + 1 // "OU", STX, flag, data, ETX
	if l > 0xff && w == 1 || l > 0xffff {
		return nil, app.Errorf(app.EINVALID, "reader: the document needs a 3m length of %d, more than its %d-byte field holds", l, w)
	}
	b := make([]byte, 0, 1+w+l+1)
	b = append(b, soh)
	if w == 2 {
		b = append(b, byte(l>>8))
	}
	b = append(b, byte(l), 'O', 'U', stx, o.flag())
	b = append(b, data...)
	b = append(b, etx)
	return append(b, xor(b[o.bccStart():])), nil
}

// DESKO CUTE: SODn, STX, up to 1024 ASCII bytes, ETX, EODn.

const deskoMaxData = 1024

type deskoMatcher struct{ p Protocol }

func (m deskoMatcher) isStart(b byte) bool { return b == m.p.Desko.SOD[0] }

func (m deskoMatcher) match(buf []byte, max int) (verdict, int, []string, error) {
	sod, eod := m.p.Desko.SOD, m.p.Desko.EOD
	n := min(len(buf), len(sod))
	if !bytes.Equal(buf[:n], sod[:n]) {
		return falseStart, 0, nil, nil
	}
	if len(buf) <= len(sod) {
		return needMore, 0, nil, nil
	}
	if buf[len(sod)] != stx {
		return falseStart, 0, nil, nil
	}
	start := len(sod) + 1
	limit := min(deskoMaxData, max-start-1-len(eod))
	end := -1
	for i := start; i < len(buf); i++ {
		if buf[i] == etx {
			end = i
			break
		}
		if !dataByte(buf[i]) {
			return falseStart, 0, nil, nil
		}
		if i-start >= limit {
			return complete, i + 1, nil, fmt.Errorf("%w (desko data over %d bytes)", ErrOversize, limit)
		}
	}
	if end < 0 {
		return needMore, 0, nil, nil
	}
	total := end + 1 + len(eod)
	n = min(len(buf), total)
	if !bytes.Equal(buf[end+1:n], eod[:n-end-1]) {
		return complete, end + 1, nil, fmt.Errorf("%w (desko frame without its EOD bytes)", ErrMalformed)
	}
	if len(buf) < total {
		return needMore, 0, nil, nil
	}
	lines, err := dataLines(buf[start:end])
	return complete, total, lines, err
}

func (p Protocol) encodeDesko(lines []string) ([]byte, error) {
	var data []byte
	for _, l := range lines {
		data = append(data, l...)
		data = append(data, '\r')
	}
	if len(data) > deskoMaxData {
		return nil, app.Errorf(app.EINVALID, "reader: the document needs %d data bytes, desko carries at most %d", len(data), deskoMaxData)
	}
	b := append([]byte(nil), p.Desko.SOD...)
	b = append(b, stx)
	b = append(b, data...)
	b = append(b, etx)
	return append(b, p.Desko.EOD...), nil
}

// Elyctis IDBOX One: command byte, length MSB, length LSB, data.

type elyctisMatcher struct{ p Protocol }

func (p Protocol) elyctisRead() byte {
	if p.Elyctis.Read == 0 {
		return 0x49
	}
	return p.Elyctis.Read
}

func (p Protocol) elyctisContinuous() byte {
	if p.Elyctis.Continuous == 0 {
		return 0x43
	}
	return p.Elyctis.Continuous
}

func (m elyctisMatcher) isStart(b byte) bool {
	return b == m.p.elyctisRead() || b == m.p.elyctisContinuous()
}

// elyctisMaxAck is the longest continuous-read acknowledgement accepted; a longer
// length behind that command byte is taken for garbage.
const elyctisMaxAck = 4

func (m elyctisMatcher) match(buf []byte, max int) (verdict, int, []string, error) {
	if len(buf) < 3 {
		return needMore, 0, nil, nil
	}
	l := int(buf[1])<<8 | int(buf[2])
	total := 3 + l
	read := buf[0] == m.p.elyctisRead()
	if total > max || (!read && l > elyctisMaxAck) {
		return falseStart, 0, nil, nil
	}
	if read {
		for i := 3; i < len(buf) && i < total; i++ {
			if !dataByte(buf[i]) {
				return falseStart, 0, nil, nil
			}
		}
	}
	if len(buf) < total {
		return needMore, 0, nil, nil
	}
	if !read || l == 0 {
		// An acknowledgement of the continuous-read command, or the answer to an
		// inquire with no document on the reader: nothing to report.
		return complete, total, nil, nil
	}
	lines, err := elyctisLines(buf[3:total])
	return complete, total, lines, err
}

// elyctisLines accepts the MRZ with line ends, or as one run of characters whose
// length is that of a TD1 (90), TD2/MRV-B (72) or TD3/MRV-A (88) zone.
func elyctisLines(data []byte) ([]string, error) {
	if bytes.IndexAny(data, "\r\n") < 0 {
		width := map[int]int{90: 30, 72: 36, 88: 44}[len(data)]
		if width > 0 {
			var lines []string
			for i := 0; i < len(data); i += width {
				lines = append(lines, string(data[i:i+width]))
			}
			return dataLines([]byte(joinCR(lines)))
		}
	}
	return dataLines(data)
}

func joinCR(lines []string) string {
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\r')
	}
	return b.String()
}

func (p Protocol) encodeElyctis(lines []string) ([]byte, error) {
	data := joinCR(lines)
	if len(data) > 0xffff {
		return nil, app.Errorf(app.EINVALID, "reader: the document needs %d bytes, elyctis carries at most 65535", len(data))
	}
	b := []byte{p.elyctisRead(), byte(len(data) >> 8), byte(len(data))}
	return append(b, data...), nil
}

// Generic text mode: lines ended by CR, LF or CR LF; a document ends with an
// empty line or a pause.

type linesDecoder struct {
	max    int
	raw    []byte   // the current document's bytes
	cur    []byte   // the current line, not yet ended
	lines  []string // the current document's ended lines
	bad    int      // offset+1 in raw of the first byte a line may not hold, 0 if none
	lastCR bool     // the previous byte was CR: an LF now completes CR LF
}

func (d *linesDecoder) Feed(p []byte) []Frame {
	var out []Frame
	for _, c := range p {
		if c == '\n' && d.lastCR {
			d.lastCR = false
			if len(d.raw) > 0 {
				d.raw = append(d.raw, c)
			}
			continue
		}
		d.lastCR = c == '\r'
		if c != '\r' && c != '\n' {
			d.raw = append(d.raw, c)
			d.cur = append(d.cur, c)
			if !printable(rune(c)) && d.bad == 0 {
				d.bad = len(d.raw)
			}
			if len(d.raw) > d.max {
				out = append(out, Frame{Raw: bytes.Clone(d.raw), Err: fmt.Errorf("%w (a text document over %d bytes)", ErrOversize, d.max)})
				d.reset()
			}
			continue
		}
		if len(d.raw) == 0 {
			continue // line ends between documents
		}
		d.raw = append(d.raw, c)
		line := trimLine(string(d.cur))
		d.cur = d.cur[:0]
		if line != "" {
			d.lines = append(d.lines, line)
			continue
		}
		out = d.end(out) // an empty line ends the document
	}
	return out
}

func (d *linesDecoder) end(out []Frame) []Frame {
	switch {
	case d.bad > 0:
		out = append(out, Frame{Raw: bytes.Clone(d.raw), Err: fmt.Errorf("%w (byte 0x%02x in a text line)", ErrMalformed, d.raw[d.bad-1])})
	case len(d.lines) > 0:
		out = append(out, Frame{Lines: d.lines, Raw: bytes.Clone(d.raw)})
	}
	d.reset()
	return out
}

func (d *linesDecoder) reset() {
	d.raw, d.cur, d.lines, d.bad = d.raw[:0], d.cur[:0], nil, 0
}

func (d *linesDecoder) Silence() []Frame {
	d.lastCR = false
	if len(d.cur) > 0 {
		f := Frame{Raw: bytes.Clone(d.raw), Err: fmt.Errorf("%w (a text line without its line end)", ErrTorn)}
		d.reset()
		return []Frame{f}
	}
	return d.end(nil)
}

func (d *linesDecoder) Pending() bool { return len(d.raw) > 0 }

func (p Protocol) encodeLines(lines []string) ([]byte, error) {
	for i, l := range lines {
		if trimLine(l) == "" {
			return nil, app.Errorf(app.EINVALID, "reader: line %d is empty, which ends a text document early", i+1)
		}
	}
	eol := map[string]string{"": "\r", "cr": "\r", "lf": "\n", "crlf": "\r\n"}[p.Lines.End]
	var b []byte
	for _, l := range lines {
		b = append(b, l...)
		b = append(b, eol...)
	}
	return append(b, eol...), nil
}
