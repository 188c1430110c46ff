package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"slices"
	"strings"
	"sync"
	"time"
)

// Level is how a verdict or a line on the screen should be read. The UI shows it
// in words and colour, never colour alone.
type Level string

const (
	LevelGood    Level = "good"    // nothing stands against admitting
	LevelCaution Level = "caution" // look closer: a warning, a resolved hit, a stay near its limit
	LevelStop    Level = "stop"    // do not admit as things stand
)

// Verdict is the booth's summary of one inspection: a level and a key the UI
// turns into words ("verdict.clear", "verdict.invalid", …).
type Verdict struct {
	Level Level
	Key   string
}

// Verdict keys, in order of precedence.
const (
	VerdictInvalid   = "verdict.invalid"    // the MRZ failed a check
	VerdictExpired   = "verdict.expired"    // the document has expired
	VerdictHitOpen   = "verdict.hit_open"   // a hit must be resolved
	VerdictHitBarred = "verdict.hit_barred" // a confirmed hit bars admitting
	VerdictOverstay  = "verdict.overstay"   // leaving after overstaying, or no days left on entry
	// VerdictCheckReading: a camera read that is valid by its check digits but
	// has characters no check digit vouches for (names, states, sex) read with a
	// thin margin; the officer compares them with the document.
	VerdictCheckReading = "verdict.check_reading"
	VerdictHitCleared   = "verdict.hit_cleared" // every hit resolved, none barring
	// VerdictCitizenExpired: a citizen of the booth's country entering on an
	// expired passport. A citizen is never refused entry for that; the booth
	// says so and the crossing records it (Crossing.ExpiredCitizen).
	VerdictCitizenExpired = "verdict.citizen_expired"
	VerdictWarning        = "verdict.warning" // an MRZ warning (specimen, under 18, truncated name)
	// VerdictStayCheck: the stay panel names an anomaly (an entry without a
	// recorded exit, …): never CLEAR beside a panel that says "ask about it".
	VerdictStayCheck = "verdict.stay_check"
	VerdictClear     = "verdict.clear"
)

// HitView is one hit and how the officer resolved it so far.
type HitView struct {
	Hit
	Resolved  bool
	Confirmed bool
	Note      string
	// Earlier are this entry's resolutions for this traveller at earlier
	// crossings (from the history shown), newest first: a traveller resolved
	// as a false match is not stopped again with no sign of it.
	Earlier []EarlierResolution
}

// EarlierResolution is how an officer resolved the same list entry for the
// same traveller at an earlier crossing.
type EarlierResolution struct {
	CrossingID string
	At         time.Time
	OfficerID  string
	Post       string
	Confirmed  bool
	Note       string
}

// InspectionView is everything the inspection screen shows for one document.
// The UI draws it as it is; every field is already decided here.
type InspectionView struct {
	Inspection Inspection
	Document   Document
	Image      image.Image // the document page, when the source had one
	// Face is the traveller's photo taken for this read (Inspection.Photo as
	// recorded, decoded), nil when none; FaceError says why there is none
	// when a camera should have given one.
	Face      image.Image
	FaceError *Error
	Verdict   Verdict
	Direction Direction

	Age       int  // completed years at today; valid when AgeKnown
	AgeKnown  bool // false when the birth date is impossible
	Minor     bool // under 18
	Expired   bool
	ExpiresIn int // days from today to expiry (negative: expired); valid when Expiry is set
	// Citizen: the traveller is a national of the booth's own country (the
	// stay rules' country), whom an expired passport does not bar from entry.
	Citizen bool

	// The problems below are nil when there is none. The officer reads them
	// by key; Message adds the cause in English, for the log.
	Screened    bool   // the lists were consulted
	ScreenError *Error // screening failed or was not done; the officer must know
	Hits        []HitView

	History      []Crossing // newest first: this booth's, HQ's and the open-stays feed's
	HistoryError *Error
	Stay         Stay
	StayKnown    bool
	StayError    *Error

	// Sources says where each history line came from, by crossing id
	// (SourceLocal when absent); see SourceOf.
	Sources map[string]string
	// National is where the question to HQ stands; NationalError says in
	// words why national history is unavailable.
	National      NationalState
	NationalError string

	// Uncertain lists, for a camera (OCR) read, the characters that no check
	// digit vouches for and that were read with a thin margin, in reading
	// order. A valid document with uncertain characters is not "clear": the
	// officer checks these against the document.
	Uncertain []UncertainChar

	// Chip is the document's ePassport chip read and checked (app/chip.go);
	// nil when the booth has no chip reader.
	Chip *ChipResult

	Elapsed time.Duration // from the event to this view, for the officer's trust and the benchmark
}

// Display thresholds: where a number on the screen starts to ask for the
// officer's attention. The UI shows the levels; it decides none of them.
const (
	ExpiresSoonDays = 30 // a document expiring within a month is worth a word
	StayNearDays    = 7  // fewer days left than this under a stay limit
)

// ExpiryLevel is how to read the document's expiry: stop when it has expired,
// caution when it expires within ExpiresSoonDays, good otherwise or when the
// document gives no expiry. A method, not a field, so a view updated after
// the read (a resolved hit, HQ's history) never shows a stale level.
func (v *InspectionView) ExpiryLevel() Level {
	switch {
	case !validDate(v.Document.Expiry): // none, or not a date: the MRZ checks say so
		return LevelGood
	case v.Expired:
		return LevelStop
	case v.ExpiresIn < ExpiresSoonDays:
		return LevelCaution
	}
	return LevelGood
}

// StayLevel is how to read the days left under the traveller's stay limit:
// stop with none left, caution with fewer than StayNearDays, good otherwise,
// with free movement or with no rule; caution when the stay is unknown.
func (v *InspectionView) StayLevel() Level {
	st := v.Stay
	switch {
	case !v.StayKnown:
		return LevelCaution
	case st.Free || st.Rule == "":
		return LevelGood
	case st.DaysLeft <= 0:
		return LevelStop
	case st.DaysLeft < StayNearDays:
		return LevelCaution
	}
	return LevelGood
}

// StayReasonLevel is how to read the reason StayReason gives: caution when
// the nationality is not a known code or no rule covers it, good otherwise.
func (v *InspectionView) StayReasonLevel() Level {
	if _, unknown := v.Document.UnknownCode("nationality"); unknown || v.Stay.Rule == "" {
		return LevelCaution
	}
	return LevelGood
}

func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// UncertainChar is one character of the MRZ as read (Line and Column 0-based)
// that the check digits cannot vouch for.
type UncertainChar struct {
	Line, Column int
	Char         string
}

// NeedsLook reports whether the document is valid by its check digits but was
// read by a camera with characters the check digits cannot vouch for.
func (v *InspectionView) NeedsLook() bool { return v.Document.Valid && len(v.Uncertain) > 0 }

// uncertain turns the source's [line, column] positions into characters of
// lines, in reading order, once each; positions outside the lines (a source's
// mistake) are dropped rather than trusted.
func uncertain(lines []string, pos [][2]int) []UncertainChar {
	var out []UncertainChar
	seen := map[[2]int]bool{}
	for _, p := range pos {
		l, c := p[0], p[1]
		if seen[p] || l < 0 || l >= len(lines) || c < 0 || c >= len(lines[l]) {
			continue
		}
		seen[p] = true
		out = append(out, UncertainChar{Line: l, Column: c, Char: lines[l][c : c+1]})
	}
	slices.SortFunc(out, func(a, b UncertainChar) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
	return out
}

// Blocking reports the hits that stop an Admit: unresolved hits, and confirmed
// hits of a barring category for this direction.
func (v *InspectionView) Blocking() (open, barred []HitView) {
	for _, h := range v.Hits {
		switch {
		case !h.Resolved:
			open = append(open, h)
		case h.Confirmed && barring(h.Hit, v.Direction):
			barred = append(barred, h)
		}
	}
	return open, barred
}

// barring reports whether a confirmed hit forbids admitting in direction d.
func barring(h Hit, d Direction) bool {
	switch h.Category {
	case "arrest", "stolen", "lost", "revoked", "invalid":
		return true
	case "deny_entry":
		return d == Entry
	case "deny_exit":
		return d == Exit
	}
	return false
}

// ExpiredCitizen reports whether this is a citizen of the booth's country
// entering on an expired passport: not a STOP, but said and recorded.
func (v *InspectionView) ExpiredCitizen() bool {
	return v.Expired && v.Citizen && v.Direction == Entry
}

// AdmitNeeds says what admitting the traveller on screen takes: nothing
// (both empty); an override with a written ground (override, the verdict key
// to override); or it is impossible (impossible, a sentence saying why): an
// unresolved hit must be resolved first, a confirmed barring hit cannot be
// overridden at the booth.
func (v *InspectionView) AdmitNeeds() (override string, impossible error) {
	open, barred := v.Blocking()
	if len(open) > 0 {
		return "", Errork(EINVALID, "err.resolve_hits_first", "Resolve every watchlist hit before admitting.")
	}
	if len(barred) > 0 {
		return "", Errork(EINVALID, "err.confirmed_hit", "A confirmed %s hit: refuse or refer.", barred[0].Category)
	}
	if v.Verdict.Level == LevelStop {
		return v.Verdict.Key, nil
	}
	return "", nil
}

// Home is implemented by stay rules that name the booth's own country (the
// rules file's "country"): its citizens are never refused entry for an
// expired passport.
type Home interface {
	Country() string
}

// Present takes one event from any document source — the serial reader, the
// camera with OCR, the officer's keyboard or a training scenario — and, for a
// document, builds the inspection screen: the MRZ read and checked, the read
// recorded and audited, the lists queried and the query audited, the history
// fetched and its view audited, the stay computed. Other events only update the
// device state the status bar shows, and return a nil view.
//
// Returns EUNAUTHORIZED when nobody is signed in or the booth is locked,
// ECONFLICT without an open shift, EINVALID for an event without lines.
func (b *Booth) Present(ctx context.Context, ev ReaderEvent) (*InspectionView, error) {
	start := time.Now()
	if ev.Kind != ReaderDocument {
		b.readerEvent(ev)
		return nil, nil
	}
	switch ev.Source {
	case "", FromReader, FromCamera: // a document read proves the device works
		b.readerEvent(ReaderEvent{Kind: ReaderConnected, At: ev.At, Source: ev.Source})
	}
	o, err := b.active()
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	s, has := b.shift, b.hasShift
	b.seq++
	seq := b.seq
	b.mu.Unlock()
	if !has {
		return nil, Errork(ECONFLICT, "err.open_shift_first", "Open a shift first.")
	}
	if b.Current() != nil {
		// No read is dropped: the officer decides or sets aside the one on
		// screen (SetAside) before the next is read.
		return nil, Errork(ECONFLICT, "err.decide_or_set_aside", "Decide on the document on screen or set it aside first.")
	}
	var lines []string
	var doc Document
	if ev.Page != nil {
		// Typed from the data page: checked before anything is recorded, so
		// a typing mistake is corrected in the form, not kept as a read.
		var probs []Problem
		if doc, probs = b.CheckDataPage(*ev.Page); len(probs) > 0 {
			return nil, dataPageError(probs)
		}
		ev.Source = FromDataPage
	} else if lines = cleanLines(ev.Lines); len(lines) == 0 {
		return nil, Errork(EINVALID, "err.no_mrz", "No MRZ lines were read.")
	}

	face, faceErr := b.face(ctx, &ev)
	if ev.Image != nil && ev.PageJPEG == nil {
		// Recorded with the read for the supervisor's review; a picture that
		// will not encode is read all the same, and reviewed without it.
		ev.PageJPEG, _ = PageJPEG(ev.Image)
	}
	now := b.now()
	if ev.Page == nil {
		doc = b.MRZ.ParseMRZ(lines, now)
	}
	in := b.inspection(o, s, ev, lines, doc, now)
	v := &InspectionView{Inspection: in, Document: doc, Image: ev.Image, Direction: s.Direction,
		Uncertain: uncertain(lines, ev.Uncertain), Face: face, FaceError: faceErr}
	v.dates(now)
	v.Citizen = b.citizen(doc.Nationality)

	fromHQ, err := b.lookUp(ctx, o, v, now)
	if err != nil {
		return nil, err
	}

	local := v.History
	if fromHQ != nil {
		select {
		case a := <-fromHQ: // HQ was quicker than the local look-up
			b.national(v, local, a)
			fromHQ = nil
		default:
		}
	}
	earlier(v)
	v.Verdict = verdict(v)
	v.Elapsed = time.Since(start)

	b.mu.Lock()
	defer b.mu.Unlock()
	if seq == b.seq {
		b.current = v
		if fromHQ != nil {
			go b.awaitHQ(fromHQ, seq, local)
		}
	}
	c := *v
	return &c, nil
}

// historyKeys are the keys a traveller's history is looked up by: the
// document when it has a number, the person when the MRZ names them and their
// birth date.
func historyKeys(in Inspection) (DocumentKey, TravellerKey) {
	person := in.Traveller
	if person.Surname == "" || person.BirthDate == "" {
		person = TravellerKey{}
	}
	doc := in.Document
	if doc.Number == "" {
		doc = DocumentKey{}
	}
	return doc, person
}

// lookUp screens the document and fetches the traveller's history — asking
// HQ for the national history first, without waiting for it — then records
// the read with the audit entries of both look-ups. The channel brings HQ's
// answer when it was asked.
func (b *Booth) lookUp(ctx context.Context, o Officer, v *InspectionView, now time.Time) (<-chan nationalAnswer, error) {
	doc, in := v.Document, v.Inspection
	// Lists and history do not depend on each other; the officer waits for the
	// slower of the two, not their sum. Nothing is shown before the read and
	// both look-ups are on record.
	var wg sync.WaitGroup
	var screenAudit, historyAudit *AuditEntry
	if b.Lists != nil && (doc.Surname != "" || doc.Number != "") {
		wg.Add(1)
		go func() {
			defer wg.Done()
			screenAudit = b.screen(ctx, o, v, now)
		}()
	} else if b.Lists == nil {
		v.ScreenError = Errork(EUNAVAILABLE, "view.no_lists", "No lists are loaded: screening was not done.")
	}
	var chipAudit *AuditEntry
	if b.Chip != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			chipAudit = b.readChip(ctx, o, v, now)
		}()
	}
	var fromHQ <-chan nationalAnswer
	if doc.Number != "" || doc.Surname != "" {
		if b.National != nil && o.Role != RoleTrainee && in.Source != FromTraining { // training stays apart from HQ's history
			// Asked first, so HQ works while the booth looks locally; the
			// screen never waits for it.
			if dk, pk := historyKeys(in); dk != (DocumentKey{}) || pk != (TravellerKey{}) {
				fromHQ = b.askHQ(o, in, dk, pk, b.limit())
				v.National = NationalAsking
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			historyAudit = b.history(ctx, o, v, now)
		}()
	}
	wg.Wait()
	if err := b.record(ctx, in, screenAudit, historyAudit, chipAudit); err != nil {
		return nil, fmt.Errorf("record inspection: %w", err)
	}
	return fromHQ, nil
}

// citizen reports whether nationality is the booth's own country's, as its
// stay rules name it (Home).
func (b *Booth) citizen(nationality string) bool {
	h, ok := b.Rules.(Home)
	return ok && nationality != "" && nationality == h.Country()
}

// inspection is the record of one read: who read which document, where, how.
func (b *Booth) inspection(o Officer, s Shift, ev ReaderEvent, lines []string, doc Document, now time.Time) Inspection {
	source := ev.Source
	if source == "" {
		source = FromReader
	}
	return Inspection{
		ID: b.newID(), ShiftID: s.ID, OfficerID: o.ID, Post: s.Post, Booth: s.Booth,
		Source: source, Lines: lines, Format: doc.Format, Valid: doc.Valid,
		Document:  DocumentKey{IssuingState: doc.IssuingState, Number: doc.Number},
		Traveller: TravellerKey{Surname: doc.Surname, GivenNames: doc.GivenNames, BirthDate: doc.BirthDate, Nationality: doc.Nationality},
		Sex:       doc.Sex, Expiry: doc.Expiry, ReadAt: now,
		Photo: ev.Photo, PhotoAt: ev.PhotoAt, PageImage: ev.PageJPEG,
	}
}

// dates decides what the birth and expiry dates mean on the day of the read.
func (v *InspectionView) dates(now time.Time) {
	v.Age, v.AgeKnown = age(v.Document.BirthDate, now)
	v.Minor = v.AgeKnown && v.Age < 18
	if t, err := time.Parse(time.DateOnly, v.Document.Expiry); err == nil {
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		v.ExpiresIn = int(t.Sub(today).Hours() / 24)
		v.Expired = v.ExpiresIn < 0
	}
}

// face makes sure ev carries the traveller's photo when there is one to take:
// a source that brings its own (a training scenario) keeps it; otherwise the
// booth's camera, if any, takes it now — for the reader, the camera's OCR and
// the keyboard alike. It returns the picture to show and, without one, why.
func (b *Booth) face(ctx context.Context, ev *ReaderEvent) (image.Image, *Error) {
	if len(ev.Photo) > 0 {
		// Recorded as the source gave it, whatever it is: it is what the
		// booth received. Only a picture that decodes is shown.
		img, err := jpeg.Decode(bytes.NewReader(ev.Photo))
		if err != nil {
			return nil, Errork(EINVALID, "view.photo_unreadable", "The traveller's photo cannot be shown.")
		}
		return img, nil
	}
	if b.Faces == nil {
		return nil, nil
	}
	jpg, shown, at, err := b.Faces.Face(ctx)
	if err != nil {
		e := Errork(ErrorCode(err), "view.no_photo", "The camera gave no photo of the traveller.")
		e.Message = ErrorMessage(err)
		return nil, e
	}
	ev.Photo, ev.PhotoAt = jpg, at
	return shown, nil
}

// record writes the read and the audit entries of its look-ups: in one
// transaction when the store can (InspectionLog), else one after the other.
func (b *Booth) record(ctx context.Context, in Inspection, audits ...*AuditEntry) error {
	var lookups []AuditEntry
	for _, a := range audits {
		if a != nil { // a failed look-up has no entry
			lookups = append(lookups, *a)
		}
	}
	if il, ok := b.Records.(InspectionLog); ok {
		return il.RecordInspectionWith(ctx, in, lookups)
	}
	if err := b.Records.RecordInspection(ctx, in); err != nil {
		return err
	}
	for _, e := range lookups {
		if err := b.Records.Audit(ctx, e); err != nil {
			return fmt.Errorf("audit %s: %w", e.Action, err)
		}
	}
	return nil
}

// screen asks the lists about the document on screen and returns the audit
// entry of the query, nil when it failed (the screen then says so).
func (b *Booth) screen(ctx context.Context, o Officer, v *InspectionView, now time.Time) *AuditEntry {
	d := v.Document
	q := ScreeningQuery{Surname: d.Surname, GivenNames: d.GivenNames, BirthDate: d.BirthDate,
		Nationality: d.Nationality, Sex: d.Sex, IssuingState: d.IssuingState, DocumentNumber: d.Number}
	res, err := b.Lists.Screen(ctx, q)
	if err != nil {
		v.ScreenError = Errork(ErrorCode(err), "view.screen_failed", "Screening failed: the traveller was not screened.")
		v.ScreenError.Message = "Screening failed: " + ErrorMessage(err)
		return nil
	}
	hits := res.Hits
	if hits == nil {
		hits = []Hit{} // the audit shows "no hits", not "unknown"
	}
	detail, _ := json.Marshal(struct {
		Purpose     string         `json:"purpose"`
		ListVersion string         `json:"list_version"`
		Query       ScreeningQuery `json:"query"`
		Hits        []Hit          `json:"hits"`
		Problem     string         `json:"problem,omitempty"`
	}{"border_check", res.ListVersion, q, hits, res.Problem})
	v.Screened = true
	v.Hits = make([]HitView, len(hits))
	for i, h := range hits {
		v.Hits[i] = HitView{Hit: h}
	}
	return &AuditEntry{At: now, OfficerID: o.ID, Action: AuditScreening, Subject: v.Inspection.ID, Detail: string(detail)}
}

// history fetches the traveller's crossings, computes the stay and returns the
// audit entry of the history view, nil when it failed.
func (b *Booth) history(ctx context.Context, o Officer, v *InspectionView, now time.Time) *AuditEntry {
	limit := b.limit()
	in := v.Inspection
	doc, person := historyKeys(in)
	hist, err := b.Records.History(ctx, doc, person, limit)
	if err != nil {
		v.HistoryError = Errork(ErrorCode(err), "view.history_failed", "Travel history is not available.")
		v.HistoryError.Message = "Travel history is not available: " + ErrorMessage(err)
		return nil
	}
	// Training is kept apart: a trainee, or a training document, sees only
	// training crossings, and real inspections never see training ones — in
	// the history shown and in the stay computed from it.
	training := o.Role == RoleTrainee || in.Source == FromTraining
	hist = slices.DeleteFunc(hist, func(c Crossing) bool { return c.Training != training })
	if b.OpenStays != nil && !training {
		// The feed is local data: merged at once, so a booth with its link
		// down still counts days spent since an entry at another post.
		hist, v.Sources = mergeFeed(hist, b.OpenStays.OpenStay(doc, person), limit)
	}
	detail, _ := json.Marshal(struct {
		Purpose  string       `json:"purpose"`
		Document DocumentKey  `json:"document"`
		Person   TravellerKey `json:"person"`
		Count    int          `json:"count"`
	}{"border_check", doc, person, len(hist)})
	v.History = hist
	b.stay(v)
	return &AuditEntry{At: now, OfficerID: o.ID, Action: AuditHistoryView, Subject: in.ID, Detail: string(detail)}
}

// earlier attaches to each hit the resolutions of the same entry found in the
// traveller's history (newest first, as the history is).
func earlier(v *InspectionView) {
	for i := range v.Hits {
		for _, c := range v.History {
			for _, r := range c.Hits {
				if r.ListID == v.Hits[i].ListID {
					v.Hits[i].Earlier = append(v.Hits[i].Earlier, EarlierResolution{CrossingID: c.ID, At: c.BoothTime,
						OfficerID: c.OfficerID, Post: c.Post, Confirmed: r.Confirmed, Note: r.Note})
				}
			}
		}
	}
}

// RelyOnEarlier resolves hit listID of the inspection on screen as its newest
// earlier resolution did (a false match with its note, or confirmed), and
// audits that the officer relied on it ("rely_on_resolution", naming the
// earlier crossing). Returns ENOTFOUND for an unknown hit or one without an
// earlier resolution.
func (b *Booth) RelyOnEarlier(ctx context.Context, listID string) (*InspectionView, error) {
	o, err := b.active()
	if err != nil {
		return nil, err
	}
	cur := b.Current()
	if cur == nil {
		return nil, Errork(ENOTFOUND, "err.no_document", "No document is on screen.")
	}
	var e *EarlierResolution
	for _, h := range cur.Hits {
		if h.ListID == listID && len(h.Earlier) > 0 {
			e = &h.Earlier[0]
			break
		}
	}
	if e == nil {
		return nil, Errork(ENOTFOUND, "err.no_earlier_resolution", "This hit has no earlier resolution to rely on.")
	}
	note := e.Note
	if !e.Confirmed {
		note = fmt.Sprintf("as resolved %s by %s: %s", e.At.Format(time.DateOnly), e.OfficerID, e.Note)
	}
	detail, _ := json.Marshal(struct {
		ListID    string `json:"list_id"`
		Crossing  string `json:"earlier_crossing"`
		Confirmed bool   `json:"confirmed"`
	}{listID, e.CrossingID, e.Confirmed})
	if err := b.audit(ctx, o.ID, AuditRelyOnResolution, cur.Inspection.ID, string(detail)); err != nil {
		return nil, err
	}
	return b.Resolve(ctx, listID, e.Confirmed, note)
}

func verdict(v *InspectionView) Verdict {
	open, barred := v.Blocking()
	if !v.Document.Valid {
		return Verdict{LevelStop, VerdictInvalid}
	}
	// A chip that fails passive authentication or holds another MRZ marks a
	// forgery: it outranks everything but an MRZ that does not even check.
	if cv, ok := chipVerdict(v); ok {
		return cv
	}
	switch {
	case v.Expired && !v.ExpiredCitizen():
		return Verdict{LevelStop, VerdictExpired}
	case len(open) > 0:
		return Verdict{LevelStop, VerdictHitOpen}
	case len(barred) > 0:
		return Verdict{LevelStop, VerdictHitBarred}
	case v.StayKnown && v.Stay.Overstay:
		return Verdict{LevelStop, VerdictOverstay}
	case v.ExpiredCitizen():
		return Verdict{LevelCaution, VerdictCitizenExpired}
	case v.NeedsLook():
		// Before a cleared hit: the hits were screened on the very names the
		// camera may have misread.
		return Verdict{LevelCaution, VerdictCheckReading}
	case len(v.Hits) > 0:
		return Verdict{LevelCaution, VerdictHitCleared}
	case chipCaution(v):
		return Verdict{LevelCaution, VerdictChipCheck}
	case len(v.Document.Warnings) > 0 || v.Minor || v.ScreenError != nil || v.HistoryError != nil:
		return Verdict{LevelCaution, VerdictWarning}
	case v.StayKnown && len(v.Stay.Anomalies) > 0:
		return Verdict{LevelCaution, VerdictStayCheck}
	}
	return Verdict{LevelGood, VerdictClear}
}

// Current returns the inspection on screen, nil when there is none.
func (b *Booth) Current() *InspectionView {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.current == nil {
		return nil
	}
	c := *b.current
	c.Hits = append([]HitView(nil), b.current.Hits...)
	return &c
}

// Resolve records how the officer judged one hit of the inspection on screen:
// confirmed (the traveller is the listed person or document), or a false match,
// which needs a note saying why. Returns ENOTFOUND for an unknown hit or no
// inspection on screen, EINVALID for a false match without a note.
func (b *Booth) Resolve(ctx context.Context, listID string, confirmed bool, note string) (*InspectionView, error) {
	if _, err := b.active(); err != nil {
		return nil, err
	}
	note = strings.TrimSpace(note)
	if !confirmed && note == "" {
		return nil, Errork(EINVALID, "err.need_false_match_reason", "Say why this is a false match.")
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.current == nil {
		return nil, Errork(ENOTFOUND, "err.no_document", "No document is on screen.")
	}
	hits := append([]HitView(nil), b.current.Hits...)
	found := false
	for i := range hits {
		if hits[i].ListID == listID {
			hits[i].Resolved, hits[i].Confirmed, hits[i].Note = true, confirmed, note
			found = true
		}
	}
	if !found {
		return nil, Errork(ENOTFOUND, "err.no_such_hit", "No such hit on screen.")
	}
	v := *b.current
	v.Hits = hits
	v.Verdict = verdict(&v)
	b.current = &v
	c := v
	return &c, nil
}

// RefusalReasons returns the refusal reasons the decision bar offers.
func (b *Booth) RefusalReasons() RefusalReasons { return b.Reasons }

// DecisionRequest is what the officer chose in the decision bar.
type DecisionRequest struct {
	Decision Decision
	Reason   string // refusal reason code; required for Refuse
	Note     string // referral note (required for Refer), or the refusal's ground in words
	// Ground is the officer's written ground for admitting against a STOP
	// verdict (an override); required then, ignored otherwise.
	Ground string
}

// Decide records the officer's decision on the inspection on screen as a
// crossing (with its outbox row and audit entry, in one transaction) and clears
// the screen for the next traveller. A trainee's decisions, and decisions on
// training documents, are marked Training.
//
// Admitting against a STOP verdict (invalid or expired document, overstay) is
// an override: it needs a written ground, and the crossing records the verdict
// overridden and the ground. Admitting with an unresolved or a confirmed
// barring hit is impossible.
//
// Returns ENOTFOUND with no inspection on screen; EINVALID when Admit meets an
// unresolved or barring hit, or a STOP verdict without a ground, Refuse has no
// known reason code, Refer has no note, or the decision is unknown; and the
// store's errors.
func (b *Booth) Decide(ctx context.Context, r DecisionRequest) (Crossing, error) {
	o, err := b.active()
	if err != nil {
		return Crossing{}, err
	}
	b.mu.Lock()
	v, s := b.current, b.shift
	b.mu.Unlock()
	if v == nil {
		return Crossing{}, Errork(ENOTFOUND, "err.no_document", "No document is on screen.")
	}
	r.Reason, r.Note, r.Ground = strings.TrimSpace(r.Reason), strings.TrimSpace(r.Note), strings.TrimSpace(r.Ground)
	var override *Override
	switch r.Decision {
	case Admit:
		overridden, err := v.AdmitNeeds()
		if err != nil {
			return Crossing{}, err
		}
		if overridden != "" {
			if r.Ground == "" {
				return Crossing{}, Errork(EINVALID, "err.override_needs_ground", "Admitting against a STOP verdict is an override: write its ground.")
			}
			override = &Override{Verdict: overridden, Ground: r.Ground}
		}
		r.Reason, r.Note = "", ""
	case Refuse:
		if err := b.checkRefusal(r); err != nil {
			return Crossing{}, err
		}
	case Refer:
		if r.Note == "" {
			return Crossing{}, Errork(EINVALID, "err.referral_needs_note", "Write a note for secondary inspection.")
		}
		r.Reason = ""
	default:
		return Crossing{}, Errork(EINVALID, "err.unknown_decision", "Unknown decision %q.", r.Decision)
	}

	in := v.Inspection
	if in.Document.IssuingState == "" || in.Document.Number == "" {
		// An unreadable MRZ: the data page typed by hand is recordable.
		return Crossing{}, Errork(EINVALID, "err.crossing_needs_document", "A crossing needs the document's issuing state and number: type the data page (Alt+T).")
	}
	now := b.now()
	c := Crossing{
		ID: b.newID(), InspectionID: in.ID, ShiftID: s.ID, OfficerID: o.ID,
		Post: s.Post, Booth: s.Booth, Direction: s.Direction,
		Decision: r.Decision, RefusalReason: r.Reason,
		Document: in.Document, DocumentCode: v.Document.DocumentCode, Traveller: in.Traveller,
		Sex: in.Sex, Expiry: in.Expiry, BoothTime: now,
		Training: o.Role == RoleTrainee || in.Source == FromTraining,
		Override: override, ExpiredCitizen: v.ExpiredCitizen() && r.Decision == Admit,
		Sources: sourcesSeen(v), Source: in.Source, Headless: b.isHeadless(),
	}
	if v.Chip != nil {
		c.Chip = v.Chip.Record()
	}
	switch r.Decision {
	case Refuse:
		c.RefusalNote = r.Note
	case Refer:
		c.ReferralNote = r.Note
	}
	c.Hits = resolutions(v.Hits)
	b.mu.Lock()
	c.ClockJump = !b.lastDecAt.IsZero() && now.Before(b.lastDecAt)
	b.mu.Unlock()

	if err := b.Records.Decide(ctx, c); err != nil {
		return Crossing{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.After(b.lastDecAt) {
		b.lastDecAt = now
	}
	if b.current != nil && b.current.Inspection.ID == v.Inspection.ID { // HQ's answer may have replaced the view
		b.current = nil
	}
	return c, nil
}

// SetAside records the read on screen as ended without a decision, with the
// officer's note saying why (the traveller left, a new read came first, …),
// and clears the screen. The record is audited, uploaded and counted.
// Returns ENOTFOUND with no inspection on screen, EINVALID without a note.
func (b *Booth) SetAside(ctx context.Context, note string) (SetAside, error) {
	o, err := b.active()
	if err != nil {
		return SetAside{}, err
	}
	note = strings.TrimSpace(note)
	if note == "" {
		return SetAside{}, Errork(EINVALID, "err.set_aside_needs_note", "Write a note saying why this read is set aside.")
	}
	b.mu.Lock()
	v, s := b.current, b.shift
	b.mu.Unlock()
	if v == nil {
		return SetAside{}, Errork(ENOTFOUND, "err.no_document", "No document is on screen.")
	}
	a := b.setAsideOf(o, s, v.Inspection, note)
	a.Verdict, a.DocumentCode, a.Hits = v.Verdict.Key, v.Document.DocumentCode, len(v.Hits)
	for _, h := range v.Hits {
		if !h.Resolved {
			a.OpenHits = append(a.OpenHits, h.ListID)
		}
	}
	if err := b.Records.SetAside(ctx, a); err != nil {
		return SetAside{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.current != nil && b.current.Inspection.ID == v.Inspection.ID { // HQ's answer may have replaced the view
		b.current = nil
	}
	return a, nil
}

func (b *Booth) setAsideOf(o Officer, s Shift, in Inspection, note string) SetAside {
	return SetAside{ID: b.newID(), InspectionID: in.ID, ShiftID: s.ID, OfficerID: o.ID,
		Post: s.Post, Booth: s.Booth, Direction: s.Direction, Document: in.Document, Traveller: in.Traveller,
		Note: note, At: b.now(), Training: o.Role == RoleTrainee || in.Source == FromTraining}
}

// checkRefusal says what a refusal lacks: a known reason code, and the ground
// in words where the reason needs it.
func (b *Booth) checkRefusal(r DecisionRequest) error {
	if r.Reason == "" {
		return Errork(EINVALID, "err.need_refusal_reason", "Choose a refusal reason.")
	}
	if len(b.Reasons.Reasons) == 0 {
		return nil // no list shipped: any code is accepted
	}
	reason, ok := b.Reasons.Lookup(r.Reason)
	if !ok {
		return Errork(EINVALID, "err.unknown_refusal_reason", "Unknown refusal reason %q.", r.Reason)
	}
	if reason.NoteRequired && r.Note == "" {
		return Errork(EINVALID, "err.refusal_needs_note", "Refusal reason %s needs the ground in words.", r.Reason)
	}
	return nil
}

// resolutions is how the officer resolved each hit, as the crossing records it.
func resolutions(hits []HitView) []HitResolution {
	var out []HitResolution
	for _, h := range hits {
		out = append(out, HitResolution{ListID: h.ListID, Kind: h.Kind, Category: h.Category,
			Score: h.Score, Confirmed: h.Confirmed, Note: h.Note})
	}
	return out
}

// Status is what the status bar shows.
type Status struct {
	Now    time.Time
	Reader DeviceState
	Camera DeviceState
	Sync   SyncState // Enrolled false: the booth works alone

	// What the officer must be told, decided here against the thresholds
	// below; the status bar only shows it.
	LinkStale  bool // enrolled, and no exchange with HQ for StaleLink
	ListsStale bool // the lists were published more than StaleData ago, or are unconfirmed
	RulesStale bool // so were the stay rules
	ClockOff   bool // HQ's clock differs from the booth's by more than ClockTolerance

	// HQ has not confirmed, within its signed word's expiry (Version.Until),
	// that the lists (rules) held are its latest: an HQ frozen in time, or
	// something answering "no change" in its place. Also counts as stale.
	ListsUnconfirmed, RulesUnconfirmed bool
}

// Thresholds at which the status bar asks the officer to look.
const (
	ClockTolerance = 2 * time.Minute
	StaleData      = 7 * 24 * time.Hour
	StaleLink      = 24 * time.Hour
)

// Status returns the booth's device and link state. Pending comes from the
// store when no sync is wired, so the officer always sees what waits for HQ.
func (b *Booth) Status(ctx context.Context) Status {
	b.mu.Lock()
	st := Status{Now: b.now(), Reader: b.reader, Camera: b.camera}
	b.mu.Unlock()
	if st.Reader.State == "" {
		st.Reader.State = "none"
	}
	if st.Camera.State == "" {
		st.Camera.State = "none"
	}
	if b.Sync != nil {
		st.Sync = b.Sync.SyncState()
	}
	if st.Sync.Lists.Name == "" {
		st.Sync.Lists = b.ListsVersion
	}
	if st.Sync.Rules.Name == "" {
		st.Sync.Rules = b.RulesVersion
	}
	if b.Sync == nil {
		st.Sync.Pending = -1
	}
	// The link counts what waits as of its last upload; a record decided
	// since is in the store's count (never below the link's).
	if n, err := b.Records.Pending(ctx); err == nil {
		st.Sync.Pending = max(st.Sync.Pending, n)
	}
	sy := st.Sync
	st.LinkStale = sy.Enrolled && !sy.LastSync.IsZero() && st.Now.Sub(sy.LastSync) > StaleLink
	st.ListsUnconfirmed = !sy.Lists.Until.IsZero() && st.Now.Sub(sy.Lists.Until) > ClockTolerance
	st.RulesUnconfirmed = !sy.Rules.Until.IsZero() && st.Now.Sub(sy.Rules.Until) > ClockTolerance
	st.ListsStale = !sy.Lists.At.IsZero() && st.Now.Sub(sy.Lists.At) > StaleData || st.ListsUnconfirmed
	st.RulesStale = !sy.Rules.At.IsZero() && st.Now.Sub(sy.Rules.At) > StaleData || st.RulesUnconfirmed
	st.ClockOff = sy.ClockKnown && (sy.ClockOffset > ClockTolerance || sy.ClockOffset < -ClockTolerance)
	return st
}

// SetCamera records the camera's state for the status bar.
func (b *Booth) SetCamera(state, message string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.camera.State != state {
		b.camera.Since = b.now()
	}
	b.camera.State, b.camera.Message, b.camera.Key = state, message, deviceKey("camera", state)
}

// deviceKey names what the officer reads about a device in trouble, "" when
// it works.
func deviceKey(device, state string) string {
	if state != "disconnected" && state != "error" {
		return ""
	}
	return "device." + device + "." + state
}

func (b *Booth) readerEvent(ev ReaderEvent) {
	state := map[ReaderEventKind]string{ReaderConnected: "connected", ReaderDisconnected: "disconnected", ReaderError: "error"}[ev.Kind]
	if state == "" {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	// A camera (with OCR) is a document source too, but the status bar shows
	// it apart from the reader: one may be unplugged while the other works.
	dev, name := &b.reader, "reader"
	if ev.Source == FromCamera {
		dev, name = &b.camera, "camera"
	}
	if dev.State != state {
		dev.Since = b.now()
	}
	dev.State, dev.Message, dev.Key = state, ev.Message, deviceKey(name, state)
}

// cleanLines strips surrounding whitespace and drops empty lines, so a
// keyboard-wedge reader's CR LF or a pasted block reads like the serial reader's.
func cleanLines(in []string) []string {
	var out []string
	for _, l := range in {
		for _, p := range strings.Split(strings.ReplaceAll(l, "\r", "\n"), "\n") {
			if p = strings.Trim(p, " \t"); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// age returns completed years at now for a YYYY-MM-DD, YYYY-MM or YYYY birth
// date; for a partial date the youngest possible age.
func age(birth string, now time.Time) (int, bool) {
	var y, m, d int
	switch len(birth) {
	case 10:
		t, err := time.Parse(time.DateOnly, birth)
		if err != nil {
			return 0, false
		}
		y, m, d = t.Year(), int(t.Month()), t.Day()
	case 7:
		t, err := time.Parse("2006-01", birth)
		if err != nil {
			return 0, false
		}
		y, m, d = t.Year(), int(t.Month()), 31
	case 4:
		t, err := time.Parse("2006", birth)
		if err != nil {
			return 0, false
		}
		y, m, d = t.Year(), 12, 31
	default:
		return 0, false
	}
	a := now.Year() - y
	if int(now.Month()) < m || (int(now.Month()) == m && now.Day() < d) {
		a--
	}
	if a < 0 {
		return 0, false
	}
	return a, true
}
