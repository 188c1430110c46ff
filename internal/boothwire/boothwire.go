// Package boothwire builds a working app.Booth from the real parts: the SQLite
// store, the MRZ engine, the watchlist and the stay rules, each adapted to the
// small interfaces app declares. The booth binary (main.go), its demo and the
// booth benchmarks all open a booth here, so what is measured is what ships.
//
// It holds no Fyne. The desk camera (camera.go: OCR document source and face
// photo) and the demo's HQ and pty reader are built here; main.go starts them.
package boothwire

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/app/rules"
	"github.com/chekara/chekara/app/screening"
	"github.com/chekara/chekara/assets"
	"github.com/chekara/chekara/store"
)

// MRZ is app/mrz as the booth's app.MRZParser.
type MRZ struct{}

var _ app.MRZParser = MRZ{}

// ParseMRZ parses and validates lines as of today.
func (MRZ) ParseMRZ(lines []string, today time.Time) app.Document {
	r := mrz.Parse(lines, today)
	f := r.Fields
	d := app.Document{
		Format: string(r.Format), Valid: r.Valid, DocumentCode: f.DocumentCode, IssuingState: f.IssuingState,
		Surname: f.Surname, GivenNames: f.GivenNames, Number: f.DocumentNumber, Nationality: f.Nationality,
		BirthDate: f.BirthDateISO, Sex: f.Sex, Expiry: f.ExpiryDateISO, OptionalData: f.OptionalData,
	}
	if d.BirthDate == "" {
		d.BirthDate = partialBirth(f.BirthDate, today)
	}
	for _, p := range r.Errors {
		d.Errors = append(d.Errors, app.Problem{Code: p.Code, Message: p.Message, Line: p.Line, Start: p.Start, End: p.End})
	}
	for _, w := range r.Warnings {
		if w.Code == mrz.WarnNameTruncated {
			d.NameTruncated = true
		}
		d.Warnings = append(d.Warnings, app.Problem{Code: w.Code, Message: w.Message})
	}
	for _, s := range r.Suggestions {
		sg := app.Suggestion{Lines: s.Lines}
		for _, c := range s.Changes {
			sg.Changes = append(sg.Changes, app.Change{Line: c.Line, Column: c.Column, From: c.From, To: c.To})
		}
		d.Suggestions = append(d.Suggestions, sg)
	}
	return d
}

// partialBirth turns a raw MRZ birth date with an unknown day or month
// ("8807<<", "88<<<<") into "1988-07" or "1988", the forms the lists and the
// store use, taking the century as policy 9 does: the latest year not after today.
func partialBirth(raw string, today time.Time) string {
	if len(raw) != 6 {
		return ""
	}
	yy, err := strconv.Atoi(raw[:2])
	if err != nil {
		return ""
	}
	year := today.Year()/100*100 + yy
	if year > today.Year() {
		year -= 100
	}
	if raw[2:4] == "<<" {
		return fmt.Sprintf("%04d", year)
	}
	mm, err := strconv.Atoi(raw[2:4])
	if err != nil || mm < 1 || mm > 12 || raw[4:6] != "<<" {
		return ""
	}
	return fmt.Sprintf("%04d-%02d", year, mm)
}

// Lists is a screening.Watchlist as the booth's app.Screener.
type Lists struct{ Watchlist *screening.Watchlist }

var _ app.Screener = Lists{}

// Screen checks q against the watchlist's current index.
// Before any list has been loaded (version 0) it answers EUNAVAILABLE, so the
// officer is told the traveller was not screened instead of seeing "no hits".
func (l Lists) Screen(_ context.Context, q app.ScreeningQuery) (app.Screening, error) {
	if l.Watchlist.Version() == 0 {
		return app.Screening{}, app.Errorf(app.EUNAVAILABLE, "No watchlist is loaded yet.")
	}
	s := l.Watchlist.Check(screening.Traveller{Surname: q.Surname, GivenNames: q.GivenNames, BirthDate: q.BirthDate,
		Nationality: q.Nationality, Sex: q.Sex, IssuingState: q.IssuingState, DocumentNumber: q.DocumentNumber})
	out := app.Screening{ListVersion: strconv.FormatInt(s.ListVersion, 10), Problem: s.Problem}
	for _, h := range s.Hits {
		out.Hits = append(out.Hits, app.Hit{ListID: h.ID, Kind: string(h.Kind), Category: h.Category,
			Score: h.Score, Reasons: h.Reasons, Note: h.Note})
	}
	return out, nil
}

// Version is the watchlist's version for the status bar.
func (l Lists) Version() app.Version {
	idx := l.Watchlist.Index()
	if idx.Version() == 0 {
		return app.Version{}
	}
	return app.Version{Name: strconv.FormatInt(idx.Version(), 10), At: idx.Published()}
}

// Rules is a stay rule set as the booth's app.StayRules; Set swaps in a new set
// (pushed by HQ) atomically.
type Rules struct{ set atomic.Pointer[rules.RuleSet] }

var _ app.StayRules = (*Rules)(nil)

// NewRules serves rs.
func NewRules(rs *rules.RuleSet) *Rules {
	r := &Rules{}
	r.set.Store(rs)
	return r
}

// Set replaces the rule set.
func (r *Rules) Set(rs *rules.RuleSet) { r.set.Store(rs) }

// Stay evaluates the rule for t's nationality. A nationality no rule covers is
// no error: the stay comes back without a rule and the screen says so.
func (r *Rules) Stay(t app.TravellerKey, crossings []app.Crossing, d app.Direction, at time.Time) (app.Stay, error) {
	m := rules.Entering
	if d == app.Exit {
		m = rules.Leaving
	}
	s, err := r.set.Load().Evaluate(t.Nationality, crossings, at, m)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return app.Stay{}, nil
	} else if err != nil {
		return app.Stay{}, err
	}
	name := s.Rule.Name
	if name == "" {
		name = s.Rule.ID
	}
	out := app.Stay{Rule: name, Free: s.Rule.FreeMovement, WindowDays: s.Rule.WindowDays, LimitDays: s.Rule.LimitDays,
		DaysUsed: s.DaysUsed, DaysLeft: s.DaysLeft, LastDay: s.LastPermittedDay,
		Overstay: s.OverstayDays > 0, OverstayDays: s.OverstayDays, VisaRequired: s.Rule.VisaRequired}
	for _, a := range s.Anomalies {
		out.Anomalies = append(out.Anomalies, a.Kind)
	}
	return out, nil
}

// Version is the rule set's version for the status bar.
func (r *Rules) Version() app.Version { return app.Version{Name: r.set.Load().Version} }

// Config says where a booth keeps its data and what it screens against.
type Config struct {
	// DataDir holds the booth's store (booth.db). Required.
	DataDir string
	// StoreFile overrides DataDir/booth.db (benchmarks reuse a cached store).
	StoreFile string
	// ListsFile is a snapshot list file or a persisted screening index; ""
	// starts without lists (until HQ sends some, the screen says the traveller
	// was not screened).
	ListsFile string
	// RulesFile is a stay rule set; "" uses the shipped default (assets/rules/kgz.json).
	RulesFile string
	// ReasonsFile is the refusal reason list; "" uses assets/reasons/refusal.json.
	ReasonsFile string
	Post, Booth string
	Clock       app.Clock
	Store       store.Options
}

// Booth is an opened booth: the workflow and the parts under it.
type Booth struct {
	App       *app.Booth
	Store     *store.Store
	Watchlist *screening.Watchlist
	Lists     Lists
	Rules     *Rules
}

// Open opens (creating when new) the booth's store in cfg.DataDir and loads its
// lists, stay rules and refusal reasons. Errors name the file at fault.
func Open(cfg Config) (*Booth, error) {
	if cfg.DataDir == "" {
		return nil, app.Errorf(app.EINVALID, "No data folder given.")
	}
	if cfg.Clock == nil {
		cfg.Clock = app.SystemClock{}
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	reasons, err := loadReasons(cfg.ReasonsFile)
	if err != nil {
		return nil, err
	}
	rs, err := loadRules(cfg.RulesFile)
	if err != nil {
		return nil, err
	}
	idx, err := LoadIndex(cfg.ListsFile)
	if err != nil {
		return nil, err
	}
	if cfg.Store.Clock == nil {
		cfg.Store.Clock = cfg.Clock
	}
	if cfg.StoreFile == "" {
		cfg.StoreFile = filepath.Join(cfg.DataDir, "booth.db")
	}
	s, err := store.Open(cfg.StoreFile, cfg.Store)
	if err != nil {
		return nil, fmt.Errorf("booth store: %w", err)
	}
	w := screening.NewWatchlist(idx, screening.DefaultConfig())
	b := &Booth{Store: s, Watchlist: w, Lists: Lists{w}, Rules: NewRules(rs)}
	b.App = &app.Booth{
		Clock: cfg.Clock, Records: s, Officers: s, Shifts: s, MRZ: MRZ{}, Lists: b.Lists, Rules: b.Rules,
		Reasons: reasons, Post: cfg.Post, BoothID: cfg.Booth, NewID: s.NewID,
		ListsVersion: b.Lists.Version(), RulesVersion: b.Rules.Version(),
	}
	return b, nil
}

// Close closes the store.
func (b *Booth) Close() error { return b.Store.Close() }

// LoadIndex reads a snapshot list file or a persisted screening index (told
// apart by its first bytes); "" gives nil, an empty list.
func LoadIndex(path string) (*screening.Index, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("lists: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	head, _ := br.Peek(8)
	if string(head) == "CHKSCRN\x00" {
		idx, err := screening.ReadIndex(br)
		if err != nil {
			return nil, fmt.Errorf("lists index %s: %w", path, err)
		}
		return idx, nil
	}
	l, err := screening.ReadList(br)
	if err != nil {
		return nil, fmt.Errorf("lists %s: %w", path, err)
	}
	return screening.Build(l)
}

func readAsset(path, embedded string) ([]byte, error) {
	if path == "" {
		return assets.FS.ReadFile(embedded)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, 16<<20))
}

func loadRules(path string) (*rules.RuleSet, error) {
	data, err := readAsset(path, "rules/kgz.json")
	if err != nil {
		return nil, fmt.Errorf("stay rules: %w", err)
	}
	rs, err := rules.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("stay rules %s: %w", orDefault(path, "rules/kgz.json"), err)
	}
	return rs, nil
}

func loadReasons(path string) (app.RefusalReasons, error) {
	data, err := readAsset(path, "reasons/refusal.json")
	if err != nil {
		return app.RefusalReasons{}, fmt.Errorf("refusal reasons: %w", err)
	}
	r, err := app.ParseRefusalReasons(data)
	if err != nil {
		return app.RefusalReasons{}, fmt.Errorf("refusal reasons %s: %w", orDefault(path, "reasons/refusal.json"), err)
	}
	return r, nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
