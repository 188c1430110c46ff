// Package training owns the training centre's domain: the scenario pack
// format (a queue of travellers with what the booth receives, the world they
// are checked against, and the key), its validation, and the scoring of a
// trainee's decisions per traveller and per session.
//
// It is pure: no files, SQLite, Fyne, devices or clocks. Playing a pack
// through the real booth is booth.Training's job; drawing it is ui's.
package training

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/app/rules"
	"github.com/chekara/chekara/app/screening"
)

// FormatVersion is the pack format this package reads (the "chekara_training"
// field). Any other value is refused, so a centre never half-understands a
// newer pack.
const FormatVersion = 1

// MaxPackBytes caps a pack file: a pack is a lesson, not a database.
const MaxPackBytes = 4 << 20

// MaxTravellers caps a pack's queue.
const MaxTravellers = 500

// Text is a sentence in the three languages of the booth; all three are
// required, because a trainee reads the debrief in their own.
type Text struct {
	En string `json:"en"`
	Ru string `json:"ru"`
	Ky string `json:"ky"`
}

// In returns the text in lang ("en", "ru", "ky"), English for another.
func (t Text) In(lang string) string {
	switch lang {
	case "ru":
		return t.Ru
	case "ky":
		return t.Ky
	}
	return t.En
}

// Finding is something a trainee must not miss about a traveller.
type Finding string

const (
	FindExpired        Finding = "expired"         // the document has expired
	FindCheckDigit     Finding = "check_digit"     // an altered MRZ: a check digit fails
	FindListedPerson   Finding = "listed_person"   // on a list, perhaps under another spelling
	FindStolenDocument Finding = "stolen_document" // the document is listed stolen, lost or revoked
	FindOverstay       Finding = "overstay"        // stayed (or would stay) beyond the stay rule
	FindImpostor       Finding = "impostor"        // the face is another person's than the page photo
	FindDataMismatch   Finding = "data_mismatch"   // the printed data page and the MRZ disagree
)

// Findings lists every finding, in the order a debrief names them.
var Findings = []Finding{FindExpired, FindCheckDigit, FindListedPerson, FindStolenDocument,
	FindOverstay, FindImpostor, FindDataMismatch}

// Skill is what a trainee's progress is followed by.
type Skill string

const (
	SkillValidity   Skill = "document_validity" // expiry, check digits, data page against MRZ
	SkillWatchlists Skill = "watchlists"        // listed persons and documents, transliteration
	SkillStay       Skill = "stay_rules"        // stays across posts and rules
	SkillImpostors  Skill = "impostors"         // the face against the page photo
)

// Skills lists every skill, in report order.
var Skills = []Skill{SkillValidity, SkillWatchlists, SkillStay, SkillImpostors}

// SkillOf is the skill a finding trains.
func SkillOf(f Finding) Skill {
	switch f {
	case FindListedPerson, FindStolenDocument:
		return SkillWatchlists
	case FindOverstay:
		return SkillStay
	case FindImpostor:
		return SkillImpostors
	}
	return SkillValidity
}

// FindingReasons are the refusal reason codes (assets/reasons/refusal.json)
// that name a finding: refusing with one of them shows the trainee saw it.
var FindingReasons = map[Finding][]string{
	FindExpired:        {"A"},
	FindCheckDigit:     {"A", "B"},
	FindListedPerson:   {"H", "I"},
	FindStolenDocument: {"A", "B"},
	FindOverstay:       {"F"},
	FindImpostor:       {"B"},
	FindDataMismatch:   {"B"},
}

// Pack is one scenario pack: a queue of travellers, the world they are
// checked against, and the key to every one of them.
type Pack struct {
	Format  int    `json:"chekara_training"`
	ID      string `json:"id"`
	Title   Text   `json:"title"`
	Summary Text   `json:"summary"`
	// Today is the scenario's date (YYYY-MM-DD): the booth's clock starts
	// there at 09:00 booth time, so expiry and stays read as the author meant.
	Today string `json:"today"`
	// Post and Booth name the simulated booth.
	Post  string `json:"post"`
	Booth string `json:"booth"`
	// Lists are the watchlist entries of the scenario, each as a line of a
	// list file (app/screening); empty: lists that list nobody.
	Lists []json.RawMessage `json:"lists,omitempty"`
	// Rules is a stay rule set (app/rules); absent: the shipped default.
	Rules      json.RawMessage `json:"rules,omitempty"`
	Travellers []Traveller     `json:"travellers"`
}

// Traveller is one traveller of the queue: what the booth receives and the key.
type Traveller struct {
	ID        string        `json:"id"`
	Direction app.Direction `json:"direction"`
	// Lines are the MRZ lines the simulated reader sends.
	Lines []string `json:"lines"`
	// Page is what the data page shows, for the camera's page image; the
	// fields left empty print as the MRZ says.
	Page Page `json:"page"`
	// Face is the traveller's face, by the seed of the synthetic face drawn
	// for the camera's photo; an impostor's differs from Page.Face.
	Face uint64 `json:"face"`
	// Earlier are crossings of this traveller before the scenario, at this
	// post or others, for the history and the stay.
	Earlier []Earlier `json:"earlier,omitempty"`
	Key     Key       `json:"key"`
}

// Page is the printed data page (the visual zone) and its photo.
type Page struct {
	Surname     string `json:"surname,omitempty"`
	GivenNames  string `json:"given_names,omitempty"`
	Nationality string `json:"nationality,omitempty"`
	BirthDate   string `json:"birth_date,omitempty"` // YYYY-MM-DD
	Sex         string `json:"sex,omitempty"`
	Expiry      string `json:"expiry,omitempty"` // YYYY-MM-DD
	Number      string `json:"number,omitempty"`
	Face        uint64 `json:"face"` // the seed of the photo printed on the page
}

// Earlier is one crossing before the scenario.
type Earlier struct {
	Date      string        `json:"date"` // YYYY-MM-DD, before Pack.Today
	Direction app.Direction `json:"direction"`
	Post      string        `json:"post"`
}

// Key is what a trainer expects for one traveller.
type Key struct {
	Decision app.Decision `json:"decision"`
	// Accept are other decisions that are not wrong (refer where refuse is
	// the key, for a case secondary inspection should see).
	Accept []app.Decision `json:"accept,omitempty"`
	// Reasons are the refusal reason codes accepted; required with refuse.
	Reasons  []string  `json:"reasons,omitempty"`
	Findings []Finding `json:"findings,omitempty"`
	// Hits is how the watchlist hits should be resolved: "confirm" (the
	// traveller is the listed one), "false_match" (a namesake), or "" when
	// the traveller brings none.
	Hits string `json:"hits,omitempty"`
	// Skill is what the traveller trains; absent: the first finding's skill,
	// or document validity for a traveller with none.
	Skill Skill `json:"skill,omitempty"`
	// Seconds is how long the traveller should take (default DefaultSeconds).
	Seconds int  `json:"seconds,omitempty"`
	Note    Text `json:"note"`
}

// DefaultSeconds is the time a traveller should take when the key says none.
const DefaultSeconds = 90

// SkillOf is the skill the traveller trains.
func (k Key) SkillOf() Skill {
	if k.Skill != "" {
		return k.Skill
	}
	if len(k.Findings) > 0 {
		return SkillOf(k.Findings[0])
	}
	return SkillValidity
}

// Acceptable reports whether d is the key's decision or one it accepts.
func (k Key) Acceptable(d app.Decision) bool {
	return d != "" && (d == k.Decision || slices.Contains(k.Accept, d))
}

// TodayTime is the scenario's starting moment: 09:00 at the rules' UTC
// offset is close enough for every booth; Parse has checked the date.
func (p *Pack) TodayTime() time.Time {
	t, _ := time.Parse(time.DateOnly, p.Today)
	return t.Add(9 * time.Hour)
}

// Traveller returns the traveller with id.
func (p *Pack) Traveller(id string) (Traveller, bool) {
	for _, t := range p.Travellers {
		if t.ID == id {
			return t, true
		}
	}
	return Traveller{}, false
}

// ListFile is the pack's lists as a list file (app/screening's snapshot
// format), published at the scenario's date.
func (p *Pack) ListFile() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"chekara_list":1,"version":1,"type":"snapshot","published":%q,"entries":%d}`+"\n",
		p.TodayTime().Add(-24*time.Hour).UTC().Format(time.RFC3339), len(p.Lists))
	for _, l := range p.Lists {
		var c bytes.Buffer
		if json.Compact(&c, l) != nil {
			c.Write(l) // Validate has refused this pack already; keep the bytes for its error
		}
		b.Write(c.Bytes())
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// Parse reads and validates a pack. Every problem comes back as one EINVALID
// error naming where it is ("traveller 3 (w03): key: decision \"admti\" …"),
// so an author fixes the file without guessing.
func Parse(data []byte) (*Pack, error) {
	if len(data) > MaxPackBytes {
		return nil, app.Errorf(app.EINVALID, "The pack is %d bytes; a pack may have at most %d.", len(data), MaxPackBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p Pack
	if err := dec.Decode(&p); err != nil {
		return nil, app.Errorf(app.EINVALID, "The pack is not valid JSON of the pack format: %v.", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, app.Errorf(app.EINVALID, "The pack has more after its JSON object.")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// Validate checks every rule of the format and returns the problems found,
// one per line, as an EINVALID error; nil for a good pack.
func (p *Pack) Validate() error {
	var probs []string
	bad := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	if p.Format != FormatVersion {
		bad(`"chekara_training" is %d; this booth reads format %d`, p.Format, FormatVersion)
	}
	if !goodID(p.ID) {
		bad("id %q: use 1 to 64 letters, digits, '-' or '_'", p.ID)
	}
	checkText(bad, "title", p.Title)
	checkText(bad, "summary", p.Summary)
	today, err := time.Parse(time.DateOnly, p.Today)
	if err != nil {
		bad("today %q is not a date YYYY-MM-DD", p.Today)
	}
	if strings.TrimSpace(p.Post) == "" || strings.TrimSpace(p.Booth) == "" {
		bad("post and booth are required")
	}
	var lists *screening.List
	if l, err := screening.ReadList(bytes.NewReader(p.ListFile())); err != nil {
		bad("lists: %v", err)
	} else {
		lists = l
	}
	if len(p.Rules) > 0 {
		if _, err := rules.Parse(p.Rules); err != nil {
			bad("rules: %v", err)
		}
	}
	switch n := len(p.Travellers); {
	case n == 0:
		bad("travellers: the queue is empty")
	case n > MaxTravellers:
		bad("travellers: %d; a pack may have at most %d", n, MaxTravellers)
	}
	seen := map[string]bool{}
	for i, t := range p.Travellers {
		at := fmt.Sprintf("traveller %d (%s)", i+1, t.ID)
		if !goodID(t.ID) {
			bad("%s: id: use 1 to 64 letters, digits, '-' or '_'", at)
		} else if seen[t.ID] {
			bad("%s: id is used twice", at)
		}
		seen[t.ID] = true
		checkTraveller(bad, at, t, today, lists)
	}
	if len(probs) == 0 {
		return nil
	}
	if len(probs) > 20 {
		probs = append(probs[:20], fmt.Sprintf("… and %d more", len(probs)-20))
	}
	return app.Errorf(app.EINVALID, "The pack %s is not valid (%d problems):\n%s", p.ID, len(probs), strings.Join(probs, "\n"))
}

func checkTraveller(bad func(string, ...any), at string, t Traveller, today time.Time, lists *screening.List) {
	if t.Direction != app.Entry && t.Direction != app.Exit {
		bad("%s: direction %q is not entry or exit", at, t.Direction)
	}
	if len(t.Lines) < 2 || len(t.Lines) > 3 {
		bad("%s: lines: an MRZ has 2 or 3 lines, not %d", at, len(t.Lines))
	} else {
		for j, l := range t.Lines {
			if len(l) != 30 && len(l) != 36 && len(l) != 44 {
				bad("%s: line %d has %d characters, not 30, 36 or 44", at, j+1, len(l))
			}
			if k := strings.IndexFunc(l, func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '<') }); k >= 0 {
				bad("%s: line %d: %q at column %d is not an MRZ character", at, j+1, l[k:k+1], k+1)
			}
		}
	}
	doc := mrz.Parser{}.ParseMRZ(t.Lines, today)
	if doc.Format != "" && doc.Format != "TD1" && doc.Format != "TD2" && doc.Format != "TD3" {
		bad("%s: lines: format %s has no data page the camera can show (use TD1, TD2 or TD3)", at, doc.Format)
	}
	for _, d := range []struct{ name, v string }{{"page.birth_date", t.Page.BirthDate}, {"page.expiry", t.Page.Expiry}} {
		if d.v != "" {
			if _, err := time.Parse(time.DateOnly, d.v); err != nil {
				bad("%s: %s %q is not a date YYYY-MM-DD", at, d.name, d.v)
			}
		}
	}
	if t.Page.Sex != "" && t.Page.Sex != "M" && t.Page.Sex != "F" && t.Page.Sex != "X" {
		bad("%s: page.sex %q is not M, F or X", at, t.Page.Sex)
	}
	for j, e := range t.Earlier {
		d, err := time.Parse(time.DateOnly, e.Date)
		switch {
		case err != nil:
			bad("%s: earlier %d: date %q is not a date YYYY-MM-DD", at, j+1, e.Date)
		case !today.IsZero() && !d.Before(today):
			bad("%s: earlier %d: %s is not before the scenario's day", at, j+1, e.Date)
		}
		if e.Direction != app.Entry && e.Direction != app.Exit {
			bad("%s: earlier %d: direction %q is not entry or exit", at, j+1, e.Direction)
		}
		if strings.TrimSpace(e.Post) == "" {
			bad("%s: earlier %d: post is required", at, j+1)
		}
	}
	k := t.Key
	for _, d := range append([]app.Decision{k.Decision}, k.Accept...) {
		if d != app.Admit && d != app.Refuse && d != app.Refer {
			bad("%s: key: decision %q is not admit, refuse or refer", at, d)
		}
	}
	if k.Decision == app.Refuse && len(k.Reasons) == 0 {
		bad("%s: key: a refusal needs the accepted reason codes (reasons)", at)
	}
	if k.Decision == app.Admit && len(k.Findings) > 0 {
		bad("%s: key: admitting a traveller with findings %v teaches the wrong thing", at, k.Findings)
	}
	if (k.Decision == app.Refuse || k.Decision == app.Refer) && len(k.Findings) == 0 {
		bad("%s: key: a %s needs the findings that call for it", at, k.Decision)
	}
	seen := map[Finding]bool{}
	for _, f := range k.Findings {
		if !slices.Contains(Findings, f) {
			bad("%s: key: finding %q is not one of %v", at, f, Findings)
		} else if seen[f] {
			bad("%s: key: finding %q is named twice", at, f)
		}
		seen[f] = true
	}
	if k.Hits != "" && k.Hits != "confirm" && k.Hits != "false_match" {
		bad("%s: key: hits %q is not confirm or false_match", at, k.Hits)
	}
	if (seen[FindListedPerson] || seen[FindStolenDocument]) && k.Hits != "confirm" {
		bad("%s: key: a list finding needs hits \"confirm\"", at)
	}
	if k.Skill != "" && !slices.Contains(Skills, k.Skill) {
		bad("%s: key: skill %q is not one of %v", at, k.Skill, Skills)
	}
	if k.Seconds < 0 || k.Seconds > 3600 {
		bad("%s: key: seconds %d is not between 0 and 3600", at, k.Seconds)
	}
	checkText(bad, at+": key: note", k.Note)
	// The key must agree with what the traveller brings: a finding the
	// booth's data cannot show is a broken lesson, not a hard one.
	if seen[FindImpostor] != (t.Page.Face != t.Face) {
		bad("%s: key: finding impostor needs page.face to differ from face, and only it", at)
	}
	if seen[FindCheckDigit] && (doc.Valid || len(doc.Errors) == 0) {
		bad("%s: key: finding check_digit, but the lines pass every check", at)
	}
	if !seen[FindCheckDigit] && !doc.Valid && len(t.Lines) >= 2 {
		bad("%s: lines fail a check (%s) but the key has no check_digit finding", at, firstProblem(doc))
	}
	if seen[FindExpired] && doc.Expiry != "" && doc.Expiry >= today.Format(time.DateOnly) {
		bad("%s: key: finding expired, but the document expires %s", at, doc.Expiry)
	}
	if seen[FindDataMismatch] && !pageDiffers(t.Page, doc) {
		bad("%s: key: finding data_mismatch, but the page says what the MRZ says", at)
	}
	if !seen[FindDataMismatch] && pageDiffers(t.Page, doc) {
		bad("%s: page differs from the MRZ but the key has no data_mismatch finding", at)
	}
	if (seen[FindListedPerson] || seen[FindStolenDocument]) && lists != nil && len(lists.Persons)+len(lists.Documents) == 0 {
		bad("%s: key: a list finding, but the pack lists nobody", at)
	}
}

func firstProblem(d app.Document) string {
	if len(d.Errors) > 0 {
		return d.Errors[0].Code
	}
	return "unreadable"
}

// pageDiffers reports whether a field the page prints disagrees with the MRZ.
func pageDiffers(p Page, d app.Document) bool {
	diff := func(page, mrz string) bool {
		return page != "" && normalName(page) != normalName(mrz)
	}
	return diff(p.Surname, d.Surname) || diff(p.GivenNames, d.GivenNames) || diff(p.Nationality, d.Nationality) ||
		diff(p.BirthDate, d.BirthDate) || diff(p.Sex, d.Sex) || diff(p.Expiry, d.Expiry) || diff(p.Number, d.Number)
}

func normalName(s string) string { return strings.Join(strings.Fields(strings.ToUpper(s)), " ") }

func checkText(bad func(string, ...any), what string, t Text) {
	var missing []string
	for _, l := range []struct{ lang, s string }{{"en", t.En}, {"ru", t.Ru}, {"ky", t.Ky}} {
		if strings.TrimSpace(l.s) == "" {
			missing = append(missing, l.lang)
		}
	}
	if len(missing) > 0 {
		bad("%s: missing in %s", what, strings.Join(missing, ", "))
	}
}

func goodID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
