package wire

// The records a booth uploads, each in an explicit, versioned format. A record's
// payload is audit-hashed at the booth and kept by HQ for decades, so its bytes
// are a contract: the Go names of app's types may change, these tags may not.
// Any change to a format's fields is a new format number (decoders refuse keys
// they do not know, so nothing is half-read), and DecodeCrossing keeps reading
// every older one.
// Golden files in testdata/ hold one record of every format.

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/chekara/chekara/app"
)

// Kinds of record a booth uploads. HQ counts KindCrossing and KindSetAside
// only: a trainee's decisions and reads, and any in a training scenario
// (app.Crossing.Training), travel as KindTrainingCrossing and
// KindTrainingSetAside, kept but never in the national figures.
const (
	KindCrossing         = "crossing"
	KindTrainingCrossing = "training_crossing"
	KindSetAside         = "set_aside"
	KindTrainingSetAside = "training_set_aside"
)

// CrossingFormat is the format EncodeCrossing writes. Format 1 is the untagged
// encoding/json of app.Crossing that booths wrote until 2026-12-04 (Go field
// names as keys, no "format" key); format 2 the tagged record of 2026-12-04
// without override, expired_citizen and sources; format 3 that of 2026-12-04
// (issue 12) without source; DecodeCrossing reads them all.
const CrossingFormat = 4

// KindOf returns the record kind c travels as.
func KindOf(c app.Crossing) string {
	if c.Training {
		return KindTrainingCrossing
	}
	return KindCrossing
}

// Crossing is a decided inspection as it is stored and uploaded (format 4).
type Crossing struct {
	crossing3
	// Source is how the document reached the booth: "reader", "camera",
	// "keyboard", "training", "headless" (bmis inspect), or "data_page" when
	// the officer typed the data page's fields because the MRZ could not be
	// read.
	Source string `json:"source,omitempty"`
	// Chip is the outcome of the document's chip read; absent when the booth
	// has no chip reader (and in every record written before chips were read).
	Chip *Chip `json:"chip,omitempty"`
}

// crossing3 is format 3 frozen (2026-12-04, issue 12); format 4 embeds it.
type crossing3 struct {
	crossing2
	// Override is set when the officer admitted against a STOP verdict.
	Override *Override `json:"override,omitempty"`
	// ExpiredCitizen: a citizen of the booth's country entered on an expired passport.
	ExpiredCitizen bool `json:"expired_citizen,omitempty"`
	// Sources: where the history the decision saw came from.
	Sources []string `json:"sources,omitempty"`
}

// Chip is what a crossing keeps of the ePassport chip: how it was opened and
// passive authentication's outcome, part by part, never the chip's data.
type Chip struct {
	State        string            `json:"state"` // absent, genuine, failed, mismatch, refused, unreadable
	Access       string            `json:"access,omitempty"`
	SODSignature string            `json:"sod_signature,omitempty"`
	DSChain      string            `json:"ds_chain,omitempty"`
	DGHashes     map[string]string `json:"dg_hashes,omitempty"`
	ActiveAuth   string            `json:"active_auth,omitempty"` // valid, failed, not_offered
}

// Override is an admission against a STOP verdict: the verdict key overridden
// and the officer's written ground.
type Override struct {
	Verdict string `json:"verdict"`
	Ground  string `json:"ground"`
}

// crossing2 is format 2 frozen (2026-12-04); format 3 embeds it, so its keys
// keep their order and spelling.
type crossing2 struct {
	Format          int       `json:"format"`
	ID              string    `json:"id"`
	InspectionID    string    `json:"inspection_id,omitempty"`
	ShiftID         string    `json:"shift_id,omitempty"`
	OfficerID       string    `json:"officer_id"`
	Post            string    `json:"post"`
	Booth           string    `json:"booth"`
	Direction       string    `json:"direction"`
	Decision        string    `json:"decision"`
	RefusalReason   string    `json:"refusal_reason,omitempty"`
	RefusalNote     string    `json:"refusal_note,omitempty"`
	ReferralNote    string    `json:"referral_note,omitempty"`
	ReferralOutcome string    `json:"referral_outcome,omitempty"`
	Document        Document  `json:"document"`
	Traveller       Traveller `json:"traveller"`
	Hits            []Hit     `json:"hits,omitempty"`
	BoothTime       time.Time `json:"booth_time"`
	ClockJump       bool      `json:"clock_jump,omitempty"`
	Training        bool      `json:"training,omitempty"`
}

// Document is the travel document of a crossing.
type Document struct {
	Code         string `json:"code"` // "P", "I", "AC", … fillers removed
	IssuingState string `json:"issuing_state"`
	Number       string `json:"number"`
	Expiry       string `json:"expiry,omitempty"` // YYYY-MM-DD
}

// Traveller is the person of a crossing, as the MRZ names them.
type Traveller struct {
	Surname     string `json:"surname"`
	GivenNames  string `json:"given_names"`
	BirthDate   string `json:"birth_date"` // YYYY-MM-DD, YYYY-MM or YYYY
	Nationality string `json:"nationality"`
	Sex         string `json:"sex,omitempty"` // "M", "F"; "" unspecified
}

// Hit is a watchlist hit of a crossing and how the officer resolved it.
type Hit struct {
	ListID    string  `json:"list_id"`
	Kind      string  `json:"kind"`
	Category  string  `json:"category"`
	Score     float64 `json:"score"`
	Confirmed bool    `json:"confirmed"`
	Note      string  `json:"note,omitempty"`
}

// EncodeCrossing returns c's payload in CrossingFormat.
func EncodeCrossing(c app.Crossing) []byte {
	w := Crossing{crossing3: crossing3{crossing2: crossing2{
		Format: CrossingFormat, ID: c.ID, InspectionID: c.InspectionID, ShiftID: c.ShiftID, OfficerID: c.OfficerID,
		Post: c.Post, Booth: c.Booth, Direction: string(c.Direction), Decision: string(c.Decision),
		RefusalReason: c.RefusalReason, RefusalNote: c.RefusalNote, ReferralNote: c.ReferralNote,
		ReferralOutcome: string(c.ReferralOutcome),
		Document:        Document{Code: c.DocumentCode, IssuingState: c.Document.IssuingState, Number: c.Document.Number, Expiry: c.Expiry},
		Traveller: Traveller{Surname: c.Traveller.Surname, GivenNames: c.Traveller.GivenNames,
			BirthDate: c.Traveller.BirthDate, Nationality: c.Traveller.Nationality, Sex: c.Sex},
		BoothTime: c.BoothTime, ClockJump: c.ClockJump, Training: c.Training,
	}, ExpiredCitizen: c.ExpiredCitizen, Sources: c.Sources}, Source: string(c.Source)}
	if c.Override != nil {
		w.Override = &Override{Verdict: c.Override.Verdict, Ground: c.Override.Ground}
	}
	if c.Chip != nil {
		w.Chip = &Chip{State: string(c.Chip.State), Access: c.Chip.Access, SODSignature: c.Chip.SODSignature,
			DSChain: c.Chip.DSChain, DGHashes: c.Chip.DGHashes, ActiveAuth: c.Chip.ActiveAuth}
	}
	for _, h := range c.Hits {
		w.Hits = append(w.Hits, Hit{ListID: h.ListID, Kind: h.Kind, Category: h.Category, Score: h.Score,
			Confirmed: h.Confirmed, Note: h.Note})
	}
	data, err := json.Marshal(w)
	if err != nil {
		panic("wire: crossing does not encode: " + err.Error()) // strings, numbers and a time: cannot happen
	}
	return data
}

// DecodeCrossing reads a crossing payload of any format. Errors: EINVALID when
// the bytes are not a crossing, or of a format newer than this code knows.
func DecodeCrossing(payload []byte) (app.Crossing, error) {
	var head struct {
		Format *int `json:"format"`
	}
	if err := json.Unmarshal(payload, &head); err != nil {
		return app.Crossing{}, app.Errorf(app.EINVALID, "The record is not a crossing: %v.", err)
	}
	switch {
	case head.Format == nil:
		return decodeCrossing1(payload)
	case *head.Format == 2:
		var w crossing2
		if err := strictUnmarshal(payload, &w); err != nil {
			return app.Crossing{}, app.Errorf(app.EINVALID, "The record is not a crossing of format 2: %v.", err)
		}
		return w.crossing(), nil
	case *head.Format == 3:
		var w crossing3
		if err := strictUnmarshal(payload, &w); err != nil {
			return app.Crossing{}, app.Errorf(app.EINVALID, "The record is not a crossing of format 3: %v.", err)
		}
		return w.crossing(), nil
	case *head.Format == 4:
		return decodeCrossing4(payload)
	default:
		return app.Crossing{}, app.Errorf(app.EINVALID, "Crossing format %d is newer than this software knows.", *head.Format)
	}
}

func decodeCrossing4(payload []byte) (app.Crossing, error) {
	var w Crossing
	if err := strictUnmarshal(payload, &w); err != nil {
		return app.Crossing{}, app.Errorf(app.EINVALID, "The record is not a crossing of format 4: %v.", err)
	}
	return w.Crossing(), nil
}

// Crossing returns the crossing w records, in the domain's terms.
func (w Crossing) Crossing() app.Crossing {
	c := w.crossing3.crossing()
	c.Source = app.DocumentSourceKind(w.Source)
	if w.Chip != nil {
		c.Chip = &app.ChipRecord{State: app.ChipState(w.Chip.State), Access: w.Chip.Access,
			SODSignature: w.Chip.SODSignature, DSChain: w.Chip.DSChain, DGHashes: w.Chip.DGHashes, ActiveAuth: w.Chip.ActiveAuth}
	}
	return c
}

// crossing maps the fields formats 3 and 4 share to the domain.
func (w crossing3) crossing() app.Crossing {
	c := w.crossing2.crossing()
	if w.Override != nil {
		c.Override = &app.Override{Verdict: w.Override.Verdict, Ground: w.Override.Ground}
	}
	c.ExpiredCitizen, c.Sources = w.ExpiredCitizen, w.Sources
	return c
}

// crossing maps the fields formats 1, 2 and 3 share to the domain: formats 1
// and 2 are read through it, so each field is converted in one place.
func (w crossing2) crossing() app.Crossing {
	c := app.Crossing{
		ID: w.ID, InspectionID: w.InspectionID, ShiftID: w.ShiftID, OfficerID: w.OfficerID, Post: w.Post, Booth: w.Booth,
		Direction: app.Direction(w.Direction), Decision: app.Decision(w.Decision),
		RefusalReason: w.RefusalReason, RefusalNote: w.RefusalNote, ReferralNote: w.ReferralNote,
		ReferralOutcome: app.ReferralOutcome(w.ReferralOutcome),
		Document:        app.DocumentKey{IssuingState: w.Document.IssuingState, Number: w.Document.Number},
		DocumentCode:    w.Document.Code, Expiry: w.Document.Expiry, Sex: w.Traveller.Sex,
		Traveller: app.TravellerKey{Surname: w.Traveller.Surname, GivenNames: w.Traveller.GivenNames,
			BirthDate: w.Traveller.BirthDate, Nationality: w.Traveller.Nationality},
		BoothTime: w.BoothTime, ClockJump: w.ClockJump, Training: w.Training,
	}
	for _, h := range w.Hits {
		c.Hits = append(c.Hits, app.HitResolution{ListID: h.ListID, Kind: h.Kind, Category: h.Category,
			Score: h.Score, Confirmed: h.Confirmed, Note: h.Note})
	}
	return c
}

// crossing1 is format 1 frozen: the Go names app.Crossing had on 2026-12-04,
// spelled out so that renaming app's fields never breaks an old record.
type crossing1 struct {
	ID, InspectionID, ShiftID, OfficerID, Post, Booth string
	Direction, Decision                               string
	RefusalReason, RefusalNote, ReferralNote          string
	ReferralOutcome                                   string
	Document                                          struct{ IssuingState, Number string }
	DocumentCode                                      string
	Traveller                                         struct{ Surname, GivenNames, BirthDate, Nationality string }
	Sex, Expiry                                       string
	Hits                                              []hit1
	BoothTime                                         time.Time
	ClockJump, Training                               bool
}

type hit1 struct {
	ListID, Kind, Category string
	Score                  float64
	Confirmed              bool
	Note                   string
}

func decodeCrossing1(payload []byte) (app.Crossing, error) {
	var w crossing1
	if err := strictUnmarshal(payload, &w); err != nil {
		return app.Crossing{}, app.Errorf(app.EINVALID, "The record is not a crossing of format 1: %v.", err)
	}
	// Format 1 holds the same facts as format 2 under other names.
	c := crossing2{
		Format: 1, ID: w.ID, InspectionID: w.InspectionID, ShiftID: w.ShiftID, OfficerID: w.OfficerID, Post: w.Post,
		Booth: w.Booth, Direction: w.Direction, Decision: w.Decision, RefusalReason: w.RefusalReason,
		RefusalNote: w.RefusalNote, ReferralNote: w.ReferralNote, ReferralOutcome: w.ReferralOutcome,
		Document: Document{Code: w.DocumentCode, IssuingState: w.Document.IssuingState, Number: w.Document.Number, Expiry: w.Expiry},
		Traveller: Traveller{Surname: w.Traveller.Surname, GivenNames: w.Traveller.GivenNames, BirthDate: w.Traveller.BirthDate,
			Nationality: w.Traveller.Nationality, Sex: w.Sex},
		BoothTime: w.BoothTime, ClockJump: w.ClockJump, Training: w.Training,
	}
	for _, h := range w.Hits {
		c.Hits = append(c.Hits, Hit(h))
	}
	return c.crossing(), nil
}

// strictUnmarshal refuses unknown keys: a record that carries data this code
// would drop is not silently half-read.
func strictUnmarshal(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	return d.Decode(v)
}

// KindOfSetAside returns the record kind a set-aside read travels as.
func KindOfSetAside(a app.SetAside) string {
	if a.Training {
		return KindTrainingSetAside
	}
	return KindSetAside
}

// SetAsideFormat is the format EncodeSetAside writes.
const SetAsideFormat = 1

// SetAside is a read that ended without a decision, as stored and uploaded
// (format 1).
type SetAside struct {
	Format       int       `json:"format"`
	ID           string    `json:"id"`
	InspectionID string    `json:"inspection_id"`
	ShiftID      string    `json:"shift_id,omitempty"`
	OfficerID    string    `json:"officer_id"`
	Post         string    `json:"post"`
	Booth        string    `json:"booth"`
	Direction    string    `json:"direction"`
	Document     Document  `json:"document"`
	Traveller    Traveller `json:"traveller"`
	Verdict      string    `json:"verdict,omitempty"`
	OpenHits     []string  `json:"open_hits,omitempty"`
	Hits         int       `json:"hits,omitempty"`
	Note         string    `json:"note"`
	BoothTime    time.Time `json:"booth_time"`
	Training     bool      `json:"training,omitempty"`
}

// EncodeSetAside returns a's payload in SetAsideFormat.
func EncodeSetAside(a app.SetAside) []byte {
	w := SetAside{Format: SetAsideFormat, ID: a.ID, InspectionID: a.InspectionID, ShiftID: a.ShiftID,
		OfficerID: a.OfficerID, Post: a.Post, Booth: a.Booth, Direction: string(a.Direction),
		Document: Document{Code: a.DocumentCode, IssuingState: a.Document.IssuingState, Number: a.Document.Number},
		Traveller: Traveller{Surname: a.Traveller.Surname, GivenNames: a.Traveller.GivenNames,
			BirthDate: a.Traveller.BirthDate, Nationality: a.Traveller.Nationality},
		Verdict: a.Verdict, OpenHits: a.OpenHits, Hits: a.Hits, Note: a.Note, BoothTime: a.At, Training: a.Training}
	data, err := json.Marshal(w)
	if err != nil {
		panic("wire: set-aside record does not encode: " + err.Error()) // strings, numbers and a time: cannot happen
	}
	return data
}

// DecodeSetAside reads a set-aside payload. Errors: EINVALID when the bytes
// are not a set-aside record, or of a format newer than this code knows.
func DecodeSetAside(payload []byte) (app.SetAside, error) {
	var head struct {
		Format int `json:"format"`
	}
	if err := json.Unmarshal(payload, &head); err != nil {
		return app.SetAside{}, app.Errorf(app.EINVALID, "The record is not a set-aside read: %v.", err)
	}
	if head.Format != 1 {
		return app.SetAside{}, app.Errorf(app.EINVALID, "Set-aside format %d is not one this software knows.", head.Format)
	}
	var w SetAside
	if err := strictUnmarshal(payload, &w); err != nil {
		return app.SetAside{}, app.Errorf(app.EINVALID, "The record is not a set-aside read of format 1: %v.", err)
	}
	return app.SetAside{ID: w.ID, InspectionID: w.InspectionID, ShiftID: w.ShiftID, OfficerID: w.OfficerID,
		Post: w.Post, Booth: w.Booth, Direction: app.Direction(w.Direction),
		Document: app.DocumentKey{IssuingState: w.Document.IssuingState, Number: w.Document.Number}, DocumentCode: w.Document.Code,
		Traveller: app.TravellerKey{Surname: w.Traveller.Surname, GivenNames: w.Traveller.GivenNames,
			BirthDate: w.Traveller.BirthDate, Nationality: w.Traveller.Nationality},
		Verdict: w.Verdict, OpenHits: w.OpenHits, Hits: w.Hits, Note: w.Note, At: w.BoothTime, Training: w.Training}, nil
}

// ValidateCrossing is ValidateRecord for a record of a crossing kind, and
// returns the crossing it decoded, so HQ decodes each crossing once.
func ValidateCrossing(booth string, r Record) (app.Crossing, error) {
	c, err := DecodeCrossing(r.Payload)
	if err != nil {
		return app.Crossing{}, err
	}
	if c.Decision != app.Admit && c.Decision != app.Refuse && c.Decision != app.Refer {
		return app.Crossing{}, app.Errorf(app.EINVALID, "The crossing's decision %q is not admit, refuse or refer.", c.Decision)
	}
	return c, recordFacts{"crossing", c.ID, c.Booth, KindOf(c), c.Direction, c.BoothTime}.check(booth, r)
}

// ValidateRecord checks an uploaded record against its kind's wire format and
// bounds before HQ stores it: a crossing or set-aside read (or their training
// kinds) must decode, carry the record's id, belong to booth, travel under the
// kind its Training flag names, and have a known direction (a crossing, a
// known decision) and a booth time. A kind HQ does not know is refused. Returns EINVALID naming the fault.
func ValidateRecord(booth string, r Record) error {
	switch r.Kind {
	case KindCrossing, KindTrainingCrossing:
		_, err := ValidateCrossing(booth, r)
		return err
	case KindSetAside, KindTrainingSetAside:
		a, err := DecodeSetAside(r.Payload)
		if err != nil {
			return err
		}
		return recordFacts{"set-aside read", a.ID, a.Booth, KindOfSetAside(a), a.Direction, a.At}.check(booth, r)
	case KindReferralOutcome, KindSignOff, KindRefusalConfirmation:
		return validateSupervision(booth, r) // supervision.go
	default:
		return app.Errorf(app.EINVALID, "Record kind %q is not one HQ knows.", r.Kind)
	}
}

// recordFacts are what every uploaded record must get right, whatever its
// kind: its own id, its booth, the kind it travels as, a direction and a
// booth time within bounds.
type recordFacts struct {
	what, id, booth, kind string
	direction             app.Direction
	at                    time.Time
}

func (f recordFacts) check(booth string, r Record) error {
	switch {
	case f.id != r.ID:
		return app.Errorf(app.EINVALID, "The %s's id %q is not its record's %q.", f.what, f.id, r.ID)
	case f.booth != booth:
		return app.Errorf(app.EINVALID, "The %s names booth %q, not %q.", f.what, f.booth, booth)
	case f.kind != r.Kind:
		return app.Errorf(app.EINVALID, "The %s travels as %q but is a %q.", f.what, r.Kind, f.kind)
	case f.direction != app.Entry && f.direction != app.Exit:
		return app.Errorf(app.EINVALID, "The %s's direction %q is neither entry nor exit.", f.what, f.direction)
	case f.at.Year() < 2000 || f.at.Year() > 2200:
		return app.Errorf(app.EINVALID, "The %s's booth time %s is out of bounds.", f.what, f.at.Format(time.RFC3339))
	}
	return nil
}
