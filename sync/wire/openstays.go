package wire

// The open stays HQ publishes to every booth (issue 15, point 3): for each
// traveller who is not a citizen and whose last admitted crossing was an
// entry, the admitted crossings the stay rules need (those inside the rules'
// longest window, and the last entry however old). An exit booth with its link
// down computes the right stay from it.
//
// The booth's file is text, one traveller a line, sorted by key, so that HQ
// and every booth build byte for byte the same file from the same stays and
// the envelope's Digest verifies it at rest:
//
//	chekara-open-stays<TAB>1<TAB>VERSION
//	SURNAME<TAB>GIVEN NAMES<TAB>YYYY-MM-DD<TAB>NAT<TAB>CROSSING[<TAB>CROSSING…]
//
// where CROSSING is ID,UNIX-SECONDS,E|X,POST,BOOTH,DOC-STATE,DOC-NUMBER (oldest
// first). A delta (format 1) turns version BASE into VERSION:
//
//	chekara-open-stays-delta<TAB>1<TAB>BASE<TAB>VERSION
//	+LINE      a traveller's stay, new or replacing the one held
//	-KEY       the four key fields: the stay is closed (an exit, a citizen)
//
// operations sorted by key, each key once. An envelope's payload is the file
// or the delta, gzip-compressed (the file a booth keeps is not).

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chekara/chekara/app"
)

// KindOpenStays carries the open stays (openstays.go): a snapshot, or a delta
// from the version the booth holds.
const KindOpenStays EnvelopeKind = "open_stays"

// PathOpenStays: as PathLists, for the open stays (KindOpenStays: a delta
// from the version the booth holds when HQ has the chain, else a snapshot).
const PathOpenStays = "/v1/open-stays"

// PathListsWait: GET ?have=N, a long poll: HQ answers 200 with a ListsNews as
// soon as its list version is above N (at once if it already is), or 204
// after wait seconds (?wait=S, at most MaxListsWait) with nothing new.
const PathListsWait = "/v1/lists/wait"

// ListsNews is HQ's answer to a long poll of PathListsWait.
type ListsNews struct {
	Version int64 `json:"version"` // HQ's newest list version
}

// MaxListsWait bounds how long HQ holds a long poll.
const MaxListsWait = 60 * time.Second

// OpenStaysFormat is the format of the open-stays file and its deltas.
const OpenStaysFormat = 1

const (
	openStaysMagic = "chekara-open-stays"
	openDeltaMagic = "chekara-open-stays-delta"
	// MaxOpenStays bounds the uncompressed open-stays file or delta a booth
	// accepts: 2 M stays take about 300 MB.
	MaxOpenStays = 1 << 30
	// MaxStayCrossings bounds the crossings on one line.
	MaxStayCrossings = 500
)

// OpenStay is one traveller's open stay: the person and their admitted
// crossings the stay rules need, oldest first.
type OpenStay struct {
	Person    app.TravellerKey
	Crossings []StayCrossing
}

// StayCrossing is one admitted crossing of an open stay.
type StayCrossing struct {
	ID        string
	At        time.Time // the booth's time of the decision, to the second
	Direction app.Direction
	Post      string
	Booth     string
	Document  app.DocumentKey
}

// StayKey is the key a stay is filed under: the person's four fields, tab-separated.
func StayKey(p app.TravellerKey) string {
	return p.Surname + "\t" + p.GivenNames + "\t" + p.BirthDate + "\t" + p.Nationality
}

// Key is the stay's StayKey.
func (s OpenStay) Key() string { return StayKey(s.Person) }

// plain reports whether a field can be written in a line: no tab, comma,
// newline or other control character.
func plain(s string, comma bool) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || (comma && c == ',') {
			return false
		}
	}
	return true
}

// MarshalOpenStay writes s as one line, without its newline, crossings oldest
// first. Returns EINVALID for a stay without a usable person or crossings, or
// a field that cannot be written (a control character; a comma in a crossing).
func MarshalOpenStay(s OpenStay) (string, error) {
	p := s.Person
	switch {
	case p.Surname == "" || p.BirthDate == "":
		return "", app.Errorf(app.EINVALID, "open stay without surname or birth date")
	case len(s.Crossings) == 0 || len(s.Crossings) > MaxStayCrossings:
		return "", app.Errorf(app.EINVALID, "open stay of %s with %d crossings", p.Surname, len(s.Crossings))
	}
	for _, f := range []string{p.Surname, p.GivenNames, p.BirthDate, p.Nationality} {
		if !plain(f, false) {
			return "", app.Errorf(app.EINVALID, "open stay key field %q cannot be written", f)
		}
	}
	cs := slices.Clone(s.Crossings)
	slices.SortStableFunc(cs, func(a, b StayCrossing) int { return a.At.Compare(b.At) })
	var sb strings.Builder
	sb.WriteString(s.Key())
	for _, c := range cs {
		f, err := FormatStayCrossing(c)
		if err != nil {
			return "", err
		}
		sb.WriteByte('\t')
		sb.WriteString(f)
	}
	return sb.String(), nil
}

// ParseOpenStay reads one line (without its newline). Returns EINVALID.
func ParseOpenStay(line []byte) (OpenStay, error) {
	fields := strings.Split(string(line), "\t")
	if len(fields) < 5 {
		return OpenStay{}, app.Errorf(app.EINVALID, "open stay line has %d fields, want at least 5", len(fields))
	}
	if len(fields)-4 > MaxStayCrossings {
		return OpenStay{}, app.Errorf(app.EINVALID, "open stay line has %d crossings", len(fields)-4)
	}
	s := OpenStay{Person: app.TravellerKey{Surname: fields[0], GivenNames: fields[1], BirthDate: fields[2], Nationality: fields[3]}}
	if s.Person.Surname == "" || s.Person.BirthDate == "" {
		return OpenStay{}, app.Errorf(app.EINVALID, "open stay line without surname or birth date")
	}
	for _, f := range fields[:4] {
		if !plain(f, false) {
			return OpenStay{}, app.Errorf(app.EINVALID, "open stay key field %q has a control character", f)
		}
	}
	s.Crossings = make([]StayCrossing, 0, len(fields)-4)
	for _, f := range fields[4:] {
		c, err := ParseStayCrossing(f)
		if err != nil {
			return OpenStay{}, err
		}
		s.Crossings = append(s.Crossings, c)
	}
	return s, nil
}

// FormatStayCrossing writes one crossing of a stay line:
// ID,UNIX-SECONDS,E|X,POST,BOOTH,DOC-STATE,DOC-NUMBER. HQ keeps it in its
// history index for every admitted crossing. Returns EINVALID for a crossing
// without id or direction, or a field with a comma or a control character.
func FormatStayCrossing(c StayCrossing) (string, error) {
	d := "E"
	switch c.Direction {
	case app.Entry:
	case app.Exit:
		d = "X"
	default:
		return "", app.Errorf(app.EINVALID, "crossing %s has direction %q", c.ID, c.Direction)
	}
	if c.ID == "" {
		return "", app.Errorf(app.EINVALID, "crossing without id")
	}
	for _, f := range []string{c.ID, c.Post, c.Booth, c.Document.IssuingState, c.Document.Number} {
		if !plain(f, true) {
			return "", app.Errorf(app.EINVALID, "crossing %s field %q cannot be written", c.ID, f)
		}
	}
	return c.ID + "," + strconv.FormatInt(c.At.Unix(), 10) + "," + d + "," + c.Post + "," + c.Booth + "," +
		c.Document.IssuingState + "," + c.Document.Number, nil
}

// ParseStayCrossing reads FormatStayCrossing's text. Returns EINVALID.
func ParseStayCrossing(f string) (StayCrossing, error) {
	parts := strings.Split(f, ",")
	if len(parts) != 7 || parts[0] == "" {
		return StayCrossing{}, app.Errorf(app.EINVALID, "open stay crossing %q is not ID,TIME,E|X,POST,BOOTH,STATE,NUMBER", f)
	}
	sec, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || sec < 0 || sec > 1<<40 {
		return StayCrossing{}, app.Errorf(app.EINVALID, "open stay crossing %s has time %q", parts[0], parts[1])
	}
	c := StayCrossing{ID: parts[0], At: time.Unix(sec, 0).UTC(), Post: parts[3], Booth: parts[4],
		Document: app.DocumentKey{IssuingState: parts[5], Number: parts[6]}}
	switch parts[2] {
	case "E":
		c.Direction = app.Entry
	case "X":
		c.Direction = app.Exit
	default:
		return StayCrossing{}, app.Errorf(app.EINVALID, "open stay crossing %s has direction %q", parts[0], parts[2])
	}
	for _, p := range parts {
		if !plain(p, true) {
			return StayCrossing{}, app.Errorf(app.EINVALID, "open stay crossing %s has a control character", parts[0])
		}
	}
	return c, nil
}

// AppCrossings returns the stay's crossings as the booth's history shows them:
// admitted, newest first, each with the traveller of the stay.
func (s OpenStay) AppCrossings() []app.Crossing {
	out := make([]app.Crossing, len(s.Crossings))
	for i, c := range s.Crossings {
		out[len(out)-1-i] = app.Crossing{ID: c.ID, Post: c.Post, Booth: c.Booth, Direction: c.Direction, Decision: app.Admit,
			Document: c.Document, Traveller: s.Person, BoothTime: c.At}
	}
	return out
}

// lineKey returns the key of a line: its first four fields.
func lineKey(line []byte) ([]byte, bool) {
	n, i := 0, 0
	for ; i < len(line); i++ {
		if line[i] == '\t' {
			if n++; n == 4 {
				return line[:i], true
			}
		}
	}
	if n == 3 {
		return line, true // a bare key (a removal)
	}
	return nil, false
}

// OpenStaysWriter writes an open-stays file: the header, then the lines given
// in key order.
type OpenStaysWriter struct {
	w    *bufio.Writer
	last string
	err  error
}

// NewOpenStaysWriter starts a file of version on w.
func NewOpenStaysWriter(w io.Writer, version int64) *OpenStaysWriter {
	ow := &OpenStaysWriter{w: bufio.NewWriterSize(w, 1<<16)}
	fmt.Fprintf(ow.w, "%s\t%d\t%d\n", openStaysMagic, OpenStaysFormat, version)
	return ow
}

// Line adds one stay line (MarshalOpenStay's). Lines must come in increasing
// key order: EINVALID otherwise.
func (ow *OpenStaysWriter) Line(line string) error {
	if ow.err != nil {
		return ow.err
	}
	k, ok := lineKey([]byte(line))
	if !ok || strings.ContainsRune(line, '\n') {
		ow.err = app.Errorf(app.EINVALID, "not an open stay line: %.60q", line)
		return ow.err
	}
	if ow.last != "" && string(k) <= ow.last {
		ow.err = app.Errorf(app.EINVALID, "open stay lines out of key order at %.60q", line)
		return ow.err
	}
	ow.last = string(k)
	ow.w.WriteString(line)
	ow.w.WriteByte('\n')
	return nil
}

// Close flushes the file.
func (ow *OpenStaysWriter) Close() error {
	if ow.err != nil {
		return ow.err
	}
	return ow.w.Flush()
}

// OpenStaysDelta writes the delta from base to version: upserts are stay
// lines, removals keys; together in key order, each key once (EINVALID
// otherwise).
func OpenStaysDelta(base, version int64, upserts, removals []string) ([]byte, error) {
	type op struct {
		key, text string
	}
	ops := make([]op, 0, len(upserts)+len(removals))
	for _, l := range upserts {
		k, ok := lineKey([]byte(l))
		if !ok || len(k) == len(l) {
			return nil, app.Errorf(app.EINVALID, "not an open stay line: %.60q", l)
		}
		ops = append(ops, op{string(k), "+" + l})
	}
	for _, k := range removals {
		if kk, ok := lineKey([]byte(k)); !ok || len(kk) != len(k) {
			return nil, app.Errorf(app.EINVALID, "not an open stay key: %.60q", k)
		}
		ops = append(ops, op{k, "-" + k})
	}
	slices.SortFunc(ops, func(a, b op) int { return strings.Compare(a.key, b.key) })
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "%s\t%d\t%d\t%d\n", openDeltaMagic, OpenStaysFormat, base, version)
	for i, o := range ops {
		if i > 0 && ops[i-1].key == o.key {
			return nil, app.Errorf(app.EINVALID, "open stay %q twice in one delta", o.key)
		}
		buf.WriteString(o.text)
		buf.WriteByte('\n')
	}
	return buf.Bytes(), nil
}

// Gzip compresses an open-stays payload for its envelope.
func Gzip(data []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	zw.Write(data)
	zw.Close()
	return buf.Bytes()
}

// Gunzip decompresses an envelope's payload, at most max bytes. Returns EINVALID.
func Gunzip(data []byte, max int64) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "open stays payload is not gzip: %v", err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, max+1))
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "open stays payload does not decompress: %v", err)
	}
	if int64(len(out)) > max {
		return nil, app.Errorf(app.EINVALID, "open stays payload is larger than %d bytes", max)
	}
	return out, nil
}

// header reads a first line of magic and its numbers.
func header(data []byte, magic string, nums int) ([]int64, []byte, error) {
	nl := bytes.IndexByte(data, '\n')
	if nl < 0 {
		return nil, nil, app.Errorf(app.EINVALID, "%s: no header line", magic)
	}
	f := strings.Split(string(data[:nl]), "\t")
	if len(f) != 2+nums || f[0] != magic {
		return nil, nil, app.Errorf(app.EINVALID, "not a %s file", magic)
	}
	if f[1] != strconv.Itoa(OpenStaysFormat) {
		return nil, nil, app.Errorf(app.EINVALID, "%s format %s is not one this booth reads (%d)", magic, f[1], OpenStaysFormat)
	}
	out := make([]int64, nums)
	for i := range out {
		v, err := strconv.ParseInt(f[2+i], 10, 64)
		if err != nil || v < 0 {
			return nil, nil, app.Errorf(app.EINVALID, "%s header number %q", magic, f[2+i])
		}
		out[i] = v
	}
	return out, data[nl+1:], nil
}

// OpenStaysVersion reads an open-stays file's header only. Returns EINVALID.
func OpenStaysVersion(data []byte) (int64, error) {
	h, _, err := header(data, openStaysMagic, 1)
	if err != nil {
		return 0, err
	}
	return h[0], nil
}

// eachLine calls fn with every newline-terminated line of body.
func eachLine(body []byte, fn func([]byte) error) error {
	for len(body) > 0 {
		nl := bytes.IndexByte(body, '\n')
		if nl < 0 {
			return app.Errorf(app.EINVALID, "open stays: last line has no newline")
		}
		if err := fn(body[:nl]); err != nil {
			return err
		}
		body = body[nl+1:]
	}
	return nil
}

// ReadOpenStays checks an open-stays file — header, every line parses, keys
// strictly increasing — and calls fn, when set, with each line, its offset in
// data and its stay. It returns the file's version. Returns EINVALID.
func ReadOpenStays(data []byte, fn func(off int, line []byte, s OpenStay) error) (int64, error) {
	h, body, err := header(data, openStaysMagic, 1)
	if err != nil {
		return 0, err
	}
	var last []byte
	off := len(data) - len(body)
	err = eachLine(body, func(line []byte) error {
		s, err := ParseOpenStay(line)
		if err != nil {
			return err
		}
		k, _ := lineKey(line)
		if last != nil && bytes.Compare(k, last) <= 0 {
			return app.Errorf(app.EINVALID, "open stays out of key order at %.60q", line)
		}
		last = k
		if fn != nil {
			if err := fn(off, line, s); err != nil {
				return err
			}
		}
		off += len(line) + 1
		return nil
	})
	return h[0], err
}

// ApplyOpenStaysDelta turns the file current into the file delta produces.
// Returns EINVALID for a delta that does not read, ECONFLICT for one that does
// not fit current (another base).
func ApplyOpenStaysDelta(current, delta []byte) ([]byte, error) {
	dh, dbody, err := header(delta, openDeltaMagic, 2)
	if err != nil {
		return nil, err
	}
	ch, cbody, err := header(current, openStaysMagic, 1)
	if err != nil {
		return nil, app.Errorf(app.ECONFLICT, "the booth's open stays do not read: %v", err)
	}
	if ch[0] != dh[0] || dh[1] <= dh[0] {
		return nil, app.Errorf(app.ECONFLICT, "open stays delta %d→%d does not apply to version %d", dh[0], dh[1], ch[0])
	}
	var out bytes.Buffer
	out.Grow(len(current) + len(delta))
	fmt.Fprintf(&out, "%s\t%d\t%d\n", openStaysMagic, OpenStaysFormat, dh[1])
	cur := cbody
	next := func() ([]byte, []byte) { // the current file's next line and key
		if len(cur) == 0 {
			return nil, nil
		}
		nl := bytes.IndexByte(cur, '\n')
		if nl < 0 {
			return nil, nil
		}
		l := cur[:nl]
		k, _ := lineKey(l)
		return l, k
	}
	var last []byte
	err = eachLine(dbody, func(op []byte) error {
		if len(op) < 2 || (op[0] != '+' && op[0] != '-') {
			return app.Errorf(app.EINVALID, "open stays delta line %.60q is neither +LINE nor -KEY", op)
		}
		body := op[1:]
		key, ok := lineKey(body)
		if !ok || (op[0] == '-' && len(key) != len(body)) || (op[0] == '+' && len(key) == len(body)) {
			return app.Errorf(app.EINVALID, "open stays delta line %.60q is malformed", op)
		}
		if last != nil && bytes.Compare(key, last) <= 0 {
			return app.Errorf(app.EINVALID, "open stays delta out of key order at %.60q", op)
		}
		last = key
		if op[0] == '+' {
			if _, err := ParseOpenStay(body); err != nil {
				return err
			}
		}
		// Copy the current lines before key.
		for {
			l, k := next()
			if l == nil || bytes.Compare(k, key) >= 0 {
				break
			}
			out.Write(l)
			out.WriteByte('\n')
			cur = cur[len(l)+1:]
		}
		l, k := next()
		if l != nil && bytes.Equal(k, key) {
			cur = cur[len(l)+1:]
		}
		if op[0] == '-' {
			// Closing a stay the booth lacks is a no-op: HQ composes the
			// deltas of several versions into one, and a stay opened and
			// closed within them is closed though the booth never had it.
			// The envelope's digest still checks the file built.
			return nil
		}
		out.Write(body)
		out.WriteByte('\n')
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.Write(cur)
	if out.Len() > MaxOpenStays {
		return nil, app.Errorf(app.EINVALID, "open stays file would be larger than %d bytes", MaxOpenStays)
	}
	return out.Bytes(), nil
}

// BuildOpenStays builds the booth's open-stays file from the one it holds
// (nil for none) and a verified envelope: a snapshot is checked whole and
// kept; a delta is applied. The file's version must be the envelope's.
// Returns EINVALID, or ECONFLICT for a delta that does not fit (the puller
// then asks for a snapshot).
func BuildOpenStays(current []byte, e Envelope) ([]byte, error) {
	data, err := Gunzip(e.Payload, MaxOpenStays)
	if err != nil {
		return nil, err
	}
	var v int64
	if e.Mode == Delta {
		if current == nil {
			return nil, app.Errorf(app.ECONFLICT, "an open stays delta arrived but the booth has none")
		}
		// The delta's lines are checked as they are applied; the lines kept
		// are the file held, which was checked when it came and verifies
		// against HQ's signature; the digest checks the result whole.
		if data, err = ApplyOpenStaysDelta(current, data); err != nil {
			return nil, err
		}
		v, err = OpenStaysVersion(data)
	} else {
		v, err = ReadOpenStays(data, nil)
	}
	if err != nil {
		return nil, err
	}
	if v != e.Version {
		return nil, app.Errorf(app.EINVALID, "open stays file says version %d, its envelope %d", v, e.Version)
	}
	return data, nil
}
