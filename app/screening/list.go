package screening

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/chekara/chekara/app"
)

// FormatVersion is the list file format this package reads and writes (the
// header's "chekara_list" field). A reader refuses any other value, so a booth
// never half-understands a newer file.
const FormatVersion = 1

// MaxLineBytes is the longest line a list file may have.
const MaxLineBytes = 64 << 10

// Kind says what a list entry is about.
type Kind string

const (
	KindPerson   Kind = "person"
	KindDocument Kind = "document"
)

// Person categories: what the border must do when the person is found.
const (
	DenyEntry = "deny_entry"
	DenyExit  = "deny_exit"
	Arrest    = "arrest"
	Notify    = "notify"
	Watch     = "watch"
)

// Document statuses.
const (
	Stolen  = "stolen"
	Lost    = "lost"
	Revoked = "revoked"
	Invalid = "invalid"
)

// Categories lists every person category, most severe first.
var Categories = []string{Arrest, DenyEntry, DenyExit, Notify, Watch}

// Statuses lists every document status.
var Statuses = []string{Stolen, Lost, Revoked, Invalid}

// FileType says whether a list file is a whole list or changes to one.
type FileType string

const (
	Snapshot  FileType = "snapshot"
	DeltaFile FileType = "delta"
)

// Header is the first line of every list file.
type Header struct {
	Format    int       `json:"chekara_list"`   // FormatVersion
	Version   int64     `json:"version"`        // the list version this file is (snapshot) or produces (delta)
	Type      FileType  `json:"type"`           // "snapshot" or "delta"
	Base      int64     `json:"base,omitempty"` // delta only: the version it applies to
	Published time.Time `json:"published"`      // when HQ published it (RFC 3339)
	Entries   int       `json:"entries"`        // number of lines after the header: detects truncation
}

// Person is one listed person. Names are written surname first, then given
// names, then (optionally) the patronymic; the first is usually Cyrillic as on
// the national list, others may be Latin spellings known from documents.
type Person struct {
	ID            string
	Names         []string
	BirthDate     string   // YYYY-MM-DD, YYYY-MM, YYYY or "" when unknown
	Nationalities []string // ICAO codes
	Sex           string   // "M", "F" or "" when unknown
	Category      string   // one of Categories
	Note          string
}

// Document is one listed travel document.
type Document struct {
	ID             string
	IssuingState   string // ICAO code
	DocumentNumber string // upper case, no fillers
	Status         string // one of Statuses
	Note           string
}

// List is a whole list at one version: what a snapshot file holds.
type List struct {
	Version   int64
	Published time.Time
	Persons   []Person
	Documents []Document
}

// Action is what one delta line does.
type Action string

const (
	Add    Action = "add"
	Change Action = "change" // replaces the whole entry with this id
	Remove Action = "remove"
)

// Op is one change of a delta. For Add and Change exactly one of Person and
// Document is set; for Remove only Kind and ID.
type Op struct {
	Action   Action
	Kind     Kind
	ID       string
	Person   *Person
	Document *Document
}

// Delta turns the list at version Base into the list at version Version.
type Delta struct {
	Version   int64
	Base      int64
	Published time.Time
	Ops       []Op
}

// File is a parsed list file: List is set for a snapshot, Delta for a delta.
type File struct {
	Header Header
	List   *List
	Delta  *Delta
}

// wireEntry is one entry line as JSON. Sex is a pointer so that null, absent and
// "" all mean unknown, and so writing gives the documented null.
type wireEntry struct {
	Op             Action   `json:"op,omitempty"`
	Kind           Kind     `json:"kind"`
	ID             string   `json:"id"`
	Names          []string `json:"names,omitempty"`
	BirthDate      *string  `json:"birth_date,omitempty"`
	Nationalities  []string `json:"nationalities,omitempty"`
	Sex            *string  `json:"sex,omitempty"`
	Category       string   `json:"category,omitempty"`
	IssuingState   string   `json:"issuing_state,omitempty"`
	DocumentNumber string   `json:"document_number,omitempty"`
	Status         string   `json:"status,omitempty"`
	Note           string   `json:"note,omitempty"`
}

// wirePersonOut is how a person line is written: the field order of
// docs/lists.md, with sex always present.
type wirePersonOut struct {
	Op            Action   `json:"op,omitempty"`
	Kind          Kind     `json:"kind"`
	ID            string   `json:"id"`
	Names         []string `json:"names"`
	BirthDate     *string  `json:"birth_date,omitempty"`
	Nationalities []string `json:"nationalities,omitempty"`
	Sex           *string  `json:"sex"`
	Category      string   `json:"category"`
	Note          string   `json:"note,omitempty"`
}

// ReadFile parses a list file, snapshot or delta, and checks every entry.
// Errors are EINVALID and name the line ("line 12: birth_date …"); a file that
// ends before the header's entry count is reported as truncated.
func ReadFile(r io.Reader) (*File, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var (
		f      File
		lineNo int
		seen   = map[string]int{} // id → line, snapshots only
	)
	haveHeader := false
	count := 0
	for {
		line, err := readLine(br)
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, app.Errorf(app.EINVALID, "line %d: %v", lineNo+1, err)
		}
		lineNo++
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		if !haveHeader {
			h, err := parseHeader(line)
			if err != nil {
				return nil, app.Errorf(app.EINVALID, "line %d: %v", lineNo, err)
			}
			f.Header = h
			haveHeader = true
			if h.Type == Snapshot {
				f.List = &List{Version: h.Version, Published: h.Published}
			} else {
				f.Delta = &Delta{Version: h.Version, Base: h.Base, Published: h.Published}
			}
			continue
		}
		count++
		if count > f.Header.Entries {
			return nil, app.Errorf(app.EINVALID, "line %d: more entries than the header's %d", lineNo, f.Header.Entries)
		}
		op, err := parseEntry(line, f.Header.Type)
		if err != nil {
			return nil, app.Errorf(app.EINVALID, "line %d: %v", lineNo, err)
		}
		if f.List != nil {
			if prev, dup := seen[op.ID]; dup {
				return nil, app.Errorf(app.EINVALID, "line %d: id %q already used on line %d", lineNo, op.ID, prev)
			}
			seen[op.ID] = lineNo
			if op.Person != nil {
				f.List.Persons = append(f.List.Persons, *op.Person)
			} else {
				f.List.Documents = append(f.List.Documents, *op.Document)
			}
		} else {
			f.Delta.Ops = append(f.Delta.Ops, op)
		}
	}
	if !haveHeader {
		return nil, app.Errorf(app.EINVALID, "empty list file: no header line")
	}
	if count != f.Header.Entries {
		return nil, app.Errorf(app.EINVALID, "line %d: file ends after %d entries but the header announces %d (truncated?)", lineNo, count, f.Header.Entries)
	}
	return &f, nil
}

// ReadList parses a snapshot file; a delta file is EINVALID.
func ReadList(r io.Reader) (*List, error) {
	f, err := ReadFile(r)
	if err != nil {
		return nil, err
	}
	if f.List == nil {
		return nil, app.Errorf(app.EINVALID, "expected a snapshot list file, got a delta (base %d → %d)", f.Delta.Base, f.Delta.Version)
	}
	return f.List, nil
}

// ReadDelta parses a delta file; a snapshot file is EINVALID.
func ReadDelta(r io.Reader) (*Delta, error) {
	f, err := ReadFile(r)
	if err != nil {
		return nil, err
	}
	if f.Delta == nil {
		return nil, app.Errorf(app.EINVALID, "expected a delta list file, got a snapshot (version %d)", f.List.Version)
	}
	return f.Delta, nil
}

// readLine returns the next line without its newline, refusing lines longer
// than MaxLineBytes rather than buffering without limit.
func readLine(br *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		buf = append(buf, chunk...)
		if len(buf) > MaxLineBytes+1 {
			return nil, fmt.Errorf("longer than %d bytes", MaxLineBytes)
		}
		switch {
		case err == nil:
			return buf[:len(buf)-1], nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF:
			if len(buf) == 0 {
				return nil, io.EOF
			}
			return buf, nil
		default:
			return nil, err
		}
	}
}

func parseHeader(line []byte) (Header, error) {
	var h Header
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return h, fmt.Errorf("header: %v", jsonErr(err))
	}
	if dec.More() {
		return h, errors.New("header: text after the JSON object")
	}
	switch {
	case h.Format == 0:
		return h, errors.New(`header: missing "chekara_list" (is this a list file?)`)
	case h.Format != FormatVersion:
		return h, fmt.Errorf("header: list format %d is not supported (this booth reads %d)", h.Format, FormatVersion)
	case h.Version < 1:
		return h, errors.New("header: version must be 1 or more")
	case h.Published.IsZero():
		return h, errors.New("header: published time missing")
	case h.Entries < 0:
		return h, errors.New("header: entries must not be negative")
	}
	switch h.Type {
	case Snapshot:
		if h.Base != 0 {
			return h, errors.New("header: a snapshot has no base version")
		}
	case DeltaFile:
		if h.Base < 0 || h.Base >= h.Version {
			return h, fmt.Errorf("header: delta base %d must be below its version %d", h.Base, h.Version)
		}
	default:
		return h, fmt.Errorf(`header: type %q must be "snapshot" or "delta"`, h.Type)
	}
	return h, nil
}

func parseEntry(line []byte, ft FileType) (Op, error) {
	var w wireEntry
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return Op{}, jsonErr(err)
	}
	if dec.More() {
		return Op{}, errors.New("text after the JSON object")
	}
	op := Op{Action: w.Op, Kind: w.Kind, ID: w.ID}
	if ft == Snapshot {
		if w.Op != "" {
			return op, fmt.Errorf("%q: a snapshot line has no op", w.Op)
		}
		op.Action = Add
	} else if w.Op != Add && w.Op != Change && w.Op != Remove {
		return op, fmt.Errorf(`op %q must be "add", "change" or "remove"`, w.Op)
	}
	if err := checkID(w.ID); err != nil {
		return op, err
	}
	if w.Kind != KindPerson && w.Kind != KindDocument {
		return op, fmt.Errorf(`kind %q must be "person" or "document"`, w.Kind)
	}
	if op.Action == Remove {
		if w.Names != nil || w.BirthDate != nil || w.Nationalities != nil || w.Sex != nil || w.Category != "" ||
			w.IssuingState != "" || w.DocumentNumber != "" || w.Status != "" || w.Note != "" {
			return op, errors.New("a remove line has only op, kind and id")
		}
		return op, nil
	}
	if w.Kind == KindPerson {
		p, err := personFromWire(w)
		if err != nil {
			return op, err
		}
		op.Person = &p
	} else {
		d, err := documentFromWire(w)
		if err != nil {
			return op, err
		}
		op.Document = &d
	}
	return op, nil
}

func personFromWire(w wireEntry) (Person, error) {
	if w.IssuingState != "" || w.DocumentNumber != "" || w.Status != "" {
		return Person{}, errors.New("a person has no issuing_state, document_number or status")
	}
	p := Person{ID: w.ID, Category: w.Category, Note: w.Note, Nationalities: w.Nationalities, Names: w.Names}
	if w.BirthDate != nil {
		p.BirthDate = *w.BirthDate
	}
	if w.Sex != nil {
		p.Sex = *w.Sex
	}
	err := checkPerson(&p)
	return p, err
}

// checkPerson checks a person entry and tidies it in place (name spacing, "X"
// sex); the error names the field.
func checkPerson(p *Person) error {
	if err := checkID(p.ID); err != nil {
		return err
	}
	names := p.Names
	p.Names = nil
	if len(names) == 0 {
		return errors.New("a person needs at least one name")
	}
	for i, n := range names {
		n = strings.Join(strings.Fields(n), " ")
		if err := checkText("name", n); err != nil {
			return err
		}
		if !strings.ContainsFunc(n, unicode.IsLetter) {
			return fmt.Errorf("name %d has no letters", i+1)
		}
		p.Names = append(p.Names, n)
	}
	if _, err := ParseDate(p.BirthDate); err != nil {
		return err
	}
	for _, c := range p.Nationalities {
		if !isStateCode(c) {
			return fmt.Errorf("nationality %q is not an ICAO code (1–3 capital letters)", c)
		}
	}
	switch p.Sex {
	case "", "M", "F":
	case "X":
		p.Sex = "" // ICAO's "unspecified" is unknown here
	default:
		return fmt.Errorf(`sex %q must be "M", "F" or null`, p.Sex)
	}
	if !slices.Contains(Categories, p.Category) {
		return fmt.Errorf("category %q must be one of %s", p.Category, strings.Join(Categories, ", "))
	}
	return checkText("note", p.Note)
}

func documentFromWire(w wireEntry) (Document, error) {
	if w.Names != nil || w.BirthDate != nil || w.Nationalities != nil || w.Sex != nil || w.Category != "" {
		return Document{}, errors.New("a document has no names, birth_date, nationalities, sex or category")
	}
	d := Document{ID: w.ID, IssuingState: w.IssuingState, DocumentNumber: w.DocumentNumber, Status: w.Status, Note: w.Note}
	err := checkDocument(&d)
	return d, err
}

// checkDocument checks a document entry; the error names the field.
func checkDocument(d *Document) error {
	if err := checkID(d.ID); err != nil {
		return err
	}
	if !isStateCode(d.IssuingState) {
		return fmt.Errorf("issuing_state %q is not an ICAO code (1–3 capital letters)", d.IssuingState)
	}
	if !isDocNumber(d.DocumentNumber) {
		return fmt.Errorf("document_number %q must be 1–20 capital letters and digits", d.DocumentNumber)
	}
	if !slices.Contains(Statuses, d.Status) {
		return fmt.Errorf("status %q must be one of %s", d.Status, strings.Join(Statuses, ", "))
	}
	return checkText("note", d.Note)
}

func checkID(id string) error {
	if id == "" {
		return errors.New("id missing")
	}
	if len(id) > 128 {
		return errors.New("id longer than 128 bytes")
	}
	for _, r := range id {
		if r <= ' ' || r == utf8.RuneError || unicode.IsControl(r) {
			return fmt.Errorf("id %q has a space or control character", id)
		}
	}
	return nil
}

func checkText(field, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s is not valid UTF-8", field)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Errorf("%s has a control character", field)
		}
	}
	return nil
}

func isStateCode(s string) bool {
	if len(s) < 1 || len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func isDocNumber(s string) bool {
	if len(s) < 1 || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// jsonErr turns encoding/json's messages into something an administrator can
// act on without knowing Go types.
func jsonErr(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("not valid JSON at byte %d: %v", se.Offset, se)
	case errors.As(err, &te):
		return fmt.Errorf("field %q has the wrong type (%s)", te.Field, te.Value)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("not valid JSON: incomplete object")
	}
	return fmt.Errorf("not valid JSON: %v", err)
}

// WriteList writes l as a snapshot file. Entries are checked as a reader would,
// so a written file always reads back; an invalid entry is EINVALID.
func WriteList(w io.Writer, l *List) error {
	h := Header{Format: FormatVersion, Version: l.Version, Type: Snapshot, Published: l.Published.UTC(),
		Entries: len(l.Persons) + len(l.Documents)}
	ops := make([]Op, 0, h.Entries)
	for i := range l.Persons {
		ops = append(ops, Op{Action: Add, Kind: KindPerson, ID: l.Persons[i].ID, Person: &l.Persons[i]})
	}
	for i := range l.Documents {
		ops = append(ops, Op{Action: Add, Kind: KindDocument, ID: l.Documents[i].ID, Document: &l.Documents[i]})
	}
	return writeFile(w, h, ops)
}

// WriteDelta writes d as a delta file; an invalid op is EINVALID.
func WriteDelta(w io.Writer, d *Delta) error {
	h := Header{Format: FormatVersion, Version: d.Version, Type: DeltaFile, Base: d.Base,
		Published: d.Published.UTC(), Entries: len(d.Ops)}
	return writeFile(w, h, d.Ops)
}

func writeFile(w io.Writer, h Header, ops []Op) error {
	if h.Version < 1 || h.Published.IsZero() {
		return app.Errorf(app.EINVALID, "list version must be 1 or more and published time set")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	hb, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("write list header: %w", err)
	}
	bw.Write(hb)
	bw.WriteByte('\n')
	snapshot := h.Type == Snapshot
	for i, op := range ops {
		line, err := marshalOp(op, snapshot)
		if err != nil {
			return app.Errorf(app.EINVALID, "entry %d (%s): %v", i+1, op.ID, err)
		}
		// The reader's checks: HQ must never publish a file a booth refuses.
		if err := checkOp(op, len(line)); err != nil {
			return app.Errorf(app.EINVALID, "entry %d (%s): %v", i+1, op.ID, err)
		}
		bw.Write(line)
		if err := bw.WriteByte('\n'); err != nil {
			return fmt.Errorf("write list: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write list: %w", err)
	}
	return nil
}

func marshalOp(op Op, snapshot bool) ([]byte, error) {
	w := wireEntry{Kind: op.Kind, ID: op.ID}
	if !snapshot {
		w.Op = op.Action
	}
	switch {
	case op.Action == Remove:
	case op.Person != nil:
		p := op.Person
		w.Kind, w.ID = KindPerson, p.ID
		w.Names, w.Nationalities, w.Category, w.Note = p.Names, p.Nationalities, p.Category, p.Note
		if p.BirthDate != "" {
			w.BirthDate = &p.BirthDate
		}
		// sex is always written (null when unknown), as the format shows it.
		var sex *string
		if p.Sex != "" {
			sex = &p.Sex
		}
		return json.Marshal(wirePersonOut{Op: w.Op, Kind: w.Kind, ID: w.ID, Names: w.Names, BirthDate: w.BirthDate,
			Nationalities: w.Nationalities, Sex: sex, Category: w.Category, Note: w.Note})
	case op.Document != nil:
		d := op.Document
		w.Kind, w.ID = KindDocument, d.ID
		w.IssuingState, w.DocumentNumber, w.Status, w.Note = d.IssuingState, d.DocumentNumber, d.Status, d.Note
	default:
		return nil, errors.New("add or change without a person or document")
	}
	return json.Marshal(w)
}

// Apply returns the list that d makes of l; l itself is not changed. The delta
// must apply to l's version (ECONFLICT otherwise, so a booth that missed a
// delta asks for a snapshot instead of drifting). Adding an id that exists, or
// changing or removing one that does not, is ECONFLICT naming the op.
func (l *List) Apply(d *Delta) (*List, error) {
	if d.Base != l.Version {
		return nil, app.Errorf(app.ECONFLICT, "delta %d→%d does not apply to list version %d", d.Base, d.Version, l.Version)
	}
	if d.Version <= d.Base {
		return nil, app.Errorf(app.EINVALID, "delta version %d must be above its base %d", d.Version, d.Base)
	}
	type where struct {
		kind Kind
		i    int
	}
	persons := slices.Clone(l.Persons)
	docs := slices.Clone(l.Documents)
	at := make(map[string]where, len(persons)+len(docs))
	for i, p := range persons {
		at[p.ID] = where{KindPerson, i}
	}
	for i, x := range docs {
		at[x.ID] = where{KindDocument, i}
	}
	removed := map[where]bool{}
	for n, op := range d.Ops {
		if err := opEntryID(n, op); err != nil {
			return nil, err
		}
		w, exists := at[op.ID]
		switch op.Action {
		case Add:
			if exists {
				return nil, app.Errorf(app.ECONFLICT, "op %d: add %s: id already listed", n+1, op.ID)
			}
			if op.Person != nil {
				at[op.ID] = where{KindPerson, len(persons)}
				persons = append(persons, *op.Person)
			} else if op.Document != nil {
				at[op.ID] = where{KindDocument, len(docs)}
				docs = append(docs, *op.Document)
			} else {
				return nil, app.Errorf(app.EINVALID, "op %d: add %s without an entry", n+1, op.ID)
			}
		case Change:
			if !exists {
				return nil, app.Errorf(app.ECONFLICT, "op %d: change %s: id not listed", n+1, op.ID)
			}
			switch {
			case op.Person != nil && w.kind == KindPerson:
				persons[w.i] = *op.Person
			case op.Document != nil && w.kind == KindDocument:
				docs[w.i] = *op.Document
			default:
				return nil, app.Errorf(app.EINVALID, "op %d: change %s: an entry cannot change its kind (remove and add it)", n+1, op.ID)
			}
		case Remove:
			if !exists {
				return nil, app.Errorf(app.ECONFLICT, "op %d: remove %s: id not listed", n+1, op.ID)
			}
			removed[w] = true
			delete(at, op.ID)
		default:
			return nil, app.Errorf(app.EINVALID, "op %d: unknown action %q", n+1, op.Action)
		}
	}
	out := &List{Version: d.Version, Published: d.Published}
	out.Persons = make([]Person, 0, len(persons))
	for i, p := range persons {
		if !removed[where{KindPerson, i}] {
			out.Persons = append(out.Persons, p)
		}
	}
	out.Documents = make([]Document, 0, len(docs))
	for i, x := range docs {
		if !removed[where{KindDocument, i}] {
			out.Documents = append(out.Documents, x)
		}
	}
	return out, nil
}

// Diff returns the delta that turns from into to: removes, then changes, then
// adds, each in to's order. HQ publishes it so booths need not fetch snapshots.
func Diff(from, to *List) *Delta {
	d := &Delta{Version: to.Version, Base: from.Version, Published: to.Published}
	oldP := make(map[string]*Person, len(from.Persons))
	for i := range from.Persons {
		oldP[from.Persons[i].ID] = &from.Persons[i]
	}
	oldD := make(map[string]*Document, len(from.Documents))
	for i := range from.Documents {
		oldD[from.Documents[i].ID] = &from.Documents[i]
	}
	newIDs := make(map[string]Kind, len(to.Persons)+len(to.Documents))
	for _, p := range to.Persons {
		newIDs[p.ID] = KindPerson
	}
	for _, x := range to.Documents {
		newIDs[x.ID] = KindDocument
	}
	for _, p := range from.Persons {
		if k, ok := newIDs[p.ID]; !ok || k != KindPerson {
			d.Ops = append(d.Ops, Op{Action: Remove, Kind: KindPerson, ID: p.ID})
		}
	}
	for _, x := range from.Documents {
		if k, ok := newIDs[x.ID]; !ok || k != KindDocument {
			d.Ops = append(d.Ops, Op{Action: Remove, Kind: KindDocument, ID: x.ID})
		}
	}
	var adds []Op
	for i := range to.Persons {
		p := &to.Persons[i]
		if o, ok := oldP[p.ID]; !ok {
			adds = append(adds, Op{Action: Add, Kind: KindPerson, ID: p.ID, Person: p})
		} else if !samePerson(o, p) {
			d.Ops = append(d.Ops, Op{Action: Change, Kind: KindPerson, ID: p.ID, Person: p})
		}
	}
	for i := range to.Documents {
		x := &to.Documents[i]
		if o, ok := oldD[x.ID]; !ok {
			adds = append(adds, Op{Action: Add, Kind: KindDocument, ID: x.ID, Document: x})
		} else if *o != *x {
			d.Ops = append(d.Ops, Op{Action: Change, Kind: KindDocument, ID: x.ID, Document: x})
		}
	}
	d.Ops = append(d.Ops, adds...)
	return d
}

func samePerson(a, b *Person) bool {
	return a.ID == b.ID && slices.Equal(a.Names, b.Names) && a.BirthDate == b.BirthDate &&
		slices.Equal(a.Nationalities, b.Nationalities) && a.Sex == b.Sex && a.Category == b.Category && a.Note == b.Note
}

// opEntryID checks that an add or change carries an entry with the op's id.
func opEntryID(n int, op Op) error {
	switch {
	case op.Person != nil && op.Person.ID != op.ID, op.Document != nil && op.Document.ID != op.ID:
		return app.Errorf(app.EINVALID, "op %d: %s %s carries an entry with another id", n+1, op.Action, op.ID)
	}
	return nil
}

// checkOp applies the reader's checks to an op about to be written.
func checkOp(op Op, lineLen int) error {
	if lineLen > MaxLineBytes {
		return fmt.Errorf("longer than %d bytes", MaxLineBytes)
	}
	if err := opEntryID(0, op); err != nil {
		return errors.New("the entry's id is not the op's")
	}
	switch {
	case op.Action == Remove:
		if err := checkID(op.ID); err != nil {
			return err
		}
		if op.Kind != KindPerson && op.Kind != KindDocument {
			return fmt.Errorf(`kind %q must be "person" or "document"`, op.Kind)
		}
		return nil
	case op.Action != Add && op.Action != Change:
		return fmt.Errorf(`op %q must be "add", "change" or "remove"`, op.Action)
	case op.Person != nil:
		p := *op.Person // checkPerson tidies in place
		return checkPerson(&p)
	case op.Document != nil:
		d := *op.Document
		return checkDocument(&d)
	}
	return errors.New("add or change without a person or document")
}
