package app

import (
	"context"
	"image"
	"time"
)

// Problem is one thing wrong with, or worth noting about, a machine readable
// zone: a failed check (an error) or a warning such as "specimen".
type Problem struct {
	Code    string // REFERENCE.md §1 error codes, or warning codes ("expired", "specimen", …)
	Message string // an English sentence; the UI translates by Code when it can
	Line    int    // 1-based; 0 when the problem is not tied to a place
	Start   int    // 1-based column, inclusive
	End     int    // exclusive
	// A warning about one field (unknown_country) names it by its error code
	// ("issuing_state", "nationality") and gives its value as read; Near lists
	// the listed codes one misread letter away, for the officer to compare.
	Field string
	Value string
	Near  []string
}

// WarnUnknownCountry is the warning of a country code that has the form of one
// but is not on the ICAO 9303 part 3 list (REFERENCE.md §1 policy 7).
const WarnUnknownCountry = "unknown_country"

// UnknownCode returns the unknown_country warning about field
// ("nationality", "issuing_state"), if d has one.
func (d Document) UnknownCode(field string) (Problem, bool) {
	for _, w := range d.Warnings {
		if w.Code == WarnUnknownCountry && w.Field == field {
			return w, true
		}
	}
	return Problem{}, false
}

// ReaderEventKind is what happened at a document source.
type ReaderEventKind string

const (
	ReaderConnected    ReaderEventKind = "connected"
	ReaderDocument     ReaderEventKind = "document"
	ReaderError        ReaderEventKind = "error"
	ReaderDisconnected ReaderEventKind = "disconnected"
)

// Change is one character a suggested OCR repair would change.
type Change struct {
	Line, Column int
	From, To     string
}

// ReaderEvent is one event from a document source.
type ReaderEvent struct {
	Kind    ReaderEventKind
	Lines   []string // ReaderDocument: the MRZ lines, top to bottom, padding removed
	Raw     []byte   // ReaderDocument and ReaderError: the frame's bytes as received
	Message string   // ReaderError and ReaderDisconnected: a sentence for the officer
	At      time.Time
	// Source says where a ReaderDocument came from; "" means FromReader. The
	// booth treats every source alike: one path from event to screen.
	Source DocumentSourceKind
	// Image is the document page the lines were read from (camera and OCR), nil
	// when the source only gives text.
	Image image.Image
	// Uncertain lists, for an OCR read, the characters ([line, column], 0-based)
	// that no check digit vouches for and that were read with a thin margin: even
	// a valid MRZ must then be looked at by the officer. Nil for readers.
	Uncertain [][2]int
	// Photo is the traveller's face photo (JPEG) the booth took for this
	// document, taken before it is presented so that it is recorded with the
	// read (Inspection.Photo); nil when there is none. PhotoAt is when.
	Photo   []byte
	PhotoAt time.Time
	// PageJPEG is Image as it is recorded with the read (JPEG, at most
	// MaxPageBytes), so a supervisor reviews the page the officer saw; nil
	// when the source gives text only (a serial reader, typed lines).
	PageJPEG []byte
	// Page is the data page the officer typed when the MRZ could not be read
	// (Source FromDataPage); Lines are then empty. Nil for every other read.
	Page *DataPage
}

// Suggestion is a repaired reading the officer may accept; it is never applied
// silently.
type Suggestion struct {
	Lines   []string
	Changes []Change
}

// Document is a machine readable zone as the MRZ engine read it.
type Document struct {
	Format        string // "TD1", "TD2", "TD3", "MRVA", "MRVB", "FRA_ID"; "" when unknown
	Valid         bool   // no errors
	DocumentCode  string // "P", "I", "AC", … fillers removed
	IssuingState  string
	Surname       string
	GivenNames    string
	Number        string
	Nationality   string
	BirthDate     string // YYYY-MM-DD; YYYY-MM or YYYY when partial; "" when impossible
	Sex           string // "M", "F" or ""
	Expiry        string // YYYY-MM-DD; "" when impossible
	OptionalData  string
	NameTruncated bool
	Errors        []Problem
	Warnings      []Problem
	Suggestions   []Suggestion
}

// DocumentKey identifies a travel document: the same issuing state and number are
// the same document, whatever else was read.
type DocumentKey struct {
	IssuingState string // ICAO code as in the MRZ, fillers removed ("D", "KGZ")
	Number       string // document number, fillers removed, long TD1 numbers whole
}

// TravellerKey identifies a person across documents, so a renewed passport still
// finds the earlier crossings. Names are the MRZ's Latin forms, upper case, single
// spaces.
type TravellerKey struct {
	Surname     string
	GivenNames  string
	BirthDate   string // YYYY-MM-DD, or a partial form (YYYY-MM, YYYY) when the MRZ gives "<<"
	Nationality string // ICAO code
}

// MRZParser reads and checks machine readable zones.
type MRZParser interface {
	// ParseMRZ parses and validates lines as of today. It never fails: a broken
	// MRZ comes back with Errors.
	ParseMRZ(lines []string, today time.Time) Document
}

// DocumentSourceKind says how a document's MRZ reached the booth.
type DocumentSourceKind string

const (
	FromReader   DocumentSourceKind = "reader"   // serial document reader
	FromCamera   DocumentSourceKind = "camera"   // camera or scanner image, read by OCR
	FromKeyboard DocumentSourceKind = "keyboard" // typed, or a keyboard-wedge reader
	FromTraining DocumentSourceKind = "training" // a training scenario's simulated reader
)

// DocumentSource is a document reader (or a simulator standing in for one).
type DocumentSource interface {
	// Run delivers the source's events, in order, until ctx is done. It reconnects
	// by itself after an unplug, reporting ReaderDisconnected and ReaderConnected.
	// It returns ctx.Err() when ctx is done, or an EINVALID error at once when its
	// configuration cannot work (unknown protocol, bad serial settings).
	Run(ctx context.Context, deliver func(ReaderEvent)) error
}

// FaceCamera takes the traveller's face photo at the booth. Present asks it for
// every document read from any source that did not bring a photo of its own,
// so the photo is recorded with the read, in its transaction.
type FaceCamera interface {
	// Face returns the photo as it is recorded (JPEG, at most MaxPhotoBytes),
	// the picture the screen shows (decoded from that JPEG, so screen and
	// record agree) and when it was taken. EUNAVAILABLE when the camera gives
	// no picture: the document is then presented without one.
	Face(ctx context.Context) (jpeg []byte, shown image.Image, at time.Time, err error)
}

// MaxPhotoBytes caps a recorded face photo (512 KiB). The booth's 35:45 crop
// of a 1280 × 720 frame is far smaller; anything bigger is not a booth photo,
// and a cap keeps a million inspections' photos within a booth's disk.
const MaxPhotoBytes = 512 << 10

// MaxPageBytes caps a recorded page image (768 KiB): the booth records the
// page at most 1400 pixels wide (booth.PageJPEG), a few hundred KiB; only
// camera reads have one, so a busy shift's pages stay within a booth's disk.
const MaxPageBytes = 768 << 10
