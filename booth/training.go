package booth

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"image/jpeg"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	gosync "sync"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/app/rules"
	"github.com/chekara/chekara/app/screening"
	"github.com/chekara/chekara/app/training"
	"github.com/chekara/chekara/assets"
	"github.com/chekara/chekara/devices/ocr/synth"
	"github.com/chekara/chekara/internal/safefile"
	"github.com/chekara/chekara/store"
)

// CentreConfig says where a training centre keeps its data.
type CentreConfig struct {
	// DataDir holds the centre's own database (training.db: accounts, packs,
	// assignments, scores) and one database per session under sessions/.
	// It is never a real booth's folder: nothing in it reaches real history.
	DataDir string
	Clock   app.Clock // the machine's clock for the centre's own records; nil: system
	Store   store.Options
}

// Centre is a training centre: its accounts, packs and results.
type Centre struct {
	Store *store.Store
	cfg   CentreConfig
}

// OpenCentre opens (creating when new) a training centre's database.
func OpenCentre(ctx context.Context, cfg CentreConfig) (*Centre, error) {
	if cfg.DataDir == "" {
		return nil, app.Errorf(app.EINVALID, "No training folder given.")
	}
	if cfg.Clock == nil {
		cfg.Clock = app.SystemClock{}
	}
	if cfg.Store.Clock == nil {
		cfg.Store.Clock = cfg.Clock
	}
	if err := safefile.PrivateDir(filepath.Join(cfg.DataDir, "sessions")); err != nil {
		return nil, fmt.Errorf("training folder: %w", err)
	}
	s, err := store.Open(filepath.Join(cfg.DataDir, "training.db"), cfg.Store)
	if err != nil {
		return nil, fmt.Errorf("training store: %w", err)
	}
	return &Centre{Store: s, cfg: cfg}, nil
}

// Close closes the centre's database.
func (c *Centre) Close() error { return c.Store.Close() }

// Progress is a trainee's standing by skill across their finished sessions.
func (c *Centre) Progress(ctx context.Context, trainee string) (training.Progress, error) {
	ss, err := c.Store.Sessions(ctx, trainee)
	if err != nil {
		return training.Progress{}, err
	}
	ss = slices.DeleteFunc(ss, func(s training.Session) bool { return s.Finished.IsZero() })
	return training.ProgressOf(trainee, ss), nil
}

// TrainingClock is a scenario's clock: it starts at the pack's day and runs
// on — with the machine's time for a trainee at the booth, or only as Advance
// moves it for a scripted play — so expiries and stays read as the author meant.
type TrainingClock struct {
	mu    gosync.Mutex
	base  time.Time
	start time.Time
	real  bool
	extra time.Duration
}

// NewTrainingClock starts at base; real: it runs with the machine's time.
func NewTrainingClock(base time.Time, real bool) *TrainingClock {
	return &TrainingClock{base: base, start: time.Now(), real: real}
}

// Now is the scenario's time.
func (c *TrainingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.base.Add(c.extra)
	if c.real {
		t = t.Add(time.Since(c.start))
	}
	return t
}

// Advance moves the scenario's time on by d.
func (c *TrainingClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.extra += d
}

// SimConfig starts one session.
type SimConfig struct {
	PackID    string
	OfficerID string
	Password  string
	Debrief   training.DebriefMode // "": the trainee's assignment's, else DebriefEnd
	// Scripted: the scenario clock moves only by Advance (bmis training
	// play); else it runs with the machine's.
	Scripted bool
}

// Sim is a simulation booth: the real booth (app.Booth) in training mode,
// with a database of its own for this session, fed the pack's travellers as a
// simulated reader and camera would, one at a time. Safe for concurrent use.
type Sim struct {
	App   *app.Booth
	Store *store.Store // this session's own database
	Pack  *training.Pack
	Clock *TrainingClock

	centre *Centre
	reader *simReader // the pack's documents reach the booth through it
	mu     gosync.Mutex
	sess   training.Session
	next   int                 // index of the next traveller
	cur    *training.Traveller // on screen, nil between travellers
	shown  time.Time
	marked []training.Finding // what the trainee named for the traveller on screen
	// onScored hears of every score (the window's debrief).
	onScored func(training.Traveller, training.TravellerScore)
	after    func()
}

// Start signs a trainee (or a trainer) in with their own account and opens a
// session of a pack: a fresh database seeded with the pack's earlier
// crossings, the pack's lists and stay rules, a shift at the pack's post.
// Errors: ENOTFOUND for an unknown pack; the sign-in's EUNAUTHORIZED or
// ELOCKED; EUNAUTHORIZED for a role that does not train.
func (c *Centre) Start(ctx context.Context, cfg SimConfig) (*Sim, error) {
	p, err := c.Store.Pack(ctx, cfg.PackID)
	if err != nil {
		return nil, err
	}
	o, err := c.Store.Authenticate(ctx, cfg.OfficerID, cfg.Password)
	if err != nil {
		return nil, err
	}
	if o.Role != app.RoleTrainee && o.Role != app.RoleTrainer {
		return nil, app.Errork(app.EUNAUTHORIZED, "err.training_role", "Only trainees and trainers work the simulation booth.")
	}
	if cfg.Debrief == "" {
		cfg.Debrief = training.DebriefEnd
		as, err := c.Store.Assignments(ctx, o.ID)
		if err != nil {
			return nil, err
		}
		for _, a := range as {
			if a.Pack == p.ID {
				cfg.Debrief = a.Debrief
			}
		}
	}
	clock := NewTrainingClock(p.TodayTime(), !cfg.Scripted)
	id := newSessionID()
	path := filepath.Join(c.cfg.DataDir, "sessions", id+".db")
	opts := c.cfg.Store
	opts.Clock = clock
	ss, err := store.Open(path, opts)
	if err != nil {
		return nil, fmt.Errorf("session store: %w", err)
	}
	sim, err := c.startIn(ctx, ss, p, o, clock, cfg)
	if err != nil {
		ss.Close()
		os.Remove(path)
		return nil, err
	}
	if sim.reader, err = openSimReader(clock); err != nil {
		ss.Close()
		os.Remove(path)
		return nil, err
	}
	sim.sess.ID = id
	return sim, nil
}

func (c *Centre) startIn(ctx context.Context, ss *store.Store, p *training.Pack, o app.Officer, clock *TrainingClock, cfg SimConfig) (*Sim, error) {
	// The session's shifts and crossings name the trainee; the account and
	// its password stay in the centre's database, which signs them in.
	if err := ss.SaveOfficer(ctx, o, randomPassword()); err != nil {
		return nil, err
	}
	l, err := screening.ReadList(bytes.NewReader(p.ListFile()))
	if err != nil {
		return nil, err
	}
	idx, err := screening.Build(l)
	if err != nil {
		return nil, err
	}
	rs, err := packRules(p)
	if err != nil {
		return nil, err
	}
	reasons, err := loadReasons("")
	if err != nil {
		return nil, err
	}
	if err := seedEarlier(ctx, ss, p, o.ID); err != nil {
		return nil, err
	}
	wl := screening.NewWatchlist(idx, screening.DefaultConfig())
	live := rules.NewLive(rs)
	b := &app.Booth{
		Clock: clock, Records: ss, Officers: centreOfficers{c.Store, o.ID}, Shifts: ss, MRZ: mrz.Parser{},
		Lists: wl, Rules: scenarioStays{live}, Reasons: reasons, Post: p.Post, BoothID: p.Booth, NewID: ss.NewID,
		ListsVersion: wl.Published(), RulesVersion: live.Version(),
	}
	if _, err := b.SignIn(ctx, cfg.OfficerID, cfg.Password); err != nil {
		return nil, err
	}
	if _, err := b.OpenShift(ctx, p.Post, p.Booth, p.Travellers[0].Direction); err != nil {
		return nil, err
	}
	sim := &Sim{App: b, Store: ss, Pack: p, Clock: clock, centre: c,
		sess: training.Session{Trainee: o.ID, Pack: p.ID, Started: c.cfg.Clock.Now(), DebriefAt: cfg.Debrief}}
	return sim, nil
}

// centreOfficers signs the session's trainee in against the centre's
// accounts (their own password, lockout and language), and keeps anyone
// else out of a session opened for one trainee.
type centreOfficers struct {
	*store.Store
	trainee string
}

func (o centreOfficers) Authenticate(ctx context.Context, id, password string) (app.Officer, error) {
	if id != o.trainee {
		return app.Officer{}, app.Errork(app.EUNAUTHORIZED, "err.training_other", "This session is another trainee's.")
	}
	return o.Store.Authenticate(ctx, id, password)
}

// scenarioStays computes stays in the scenario's world, where every
// crossing is a training one (a trainee is shown no other) and counts as a
// real one would there. rules.Live itself never counts a training crossing,
// so a real stay never does.
type scenarioStays struct{ *rules.Live }

func (s scenarioStays) Stay(t app.TravellerKey, crossings []app.Crossing, d app.Direction, at time.Time) (app.Stay, error) {
	cs := slices.Clone(crossings)
	for i := range cs {
		cs[i].Training = false
	}
	return s.Live.Stay(t, cs, d, at)
}

func packRules(p *training.Pack) (*rules.RuleSet, error) {
	if len(p.Rules) > 0 {
		return rules.Parse(p.Rules)
	}
	return loadRules("")
}

// seedEarlier writes the pack's earlier crossings into the session's
// database, as training crossings (the booth shows a trainee no other).
func seedEarlier(ctx context.Context, ss *store.Store, p *training.Pack, officer string) error {
	var cs []app.Crossing
	today := p.TodayTime()
	for _, t := range p.Travellers {
		doc := mrz.Parser{}.ParseMRZ(t.Lines, today)
		for _, e := range t.Earlier {
			d, _ := time.Parse(time.DateOnly, e.Date)
			cs = append(cs, app.Crossing{
				ShiftID: "earlier", OfficerID: officer, Post: e.Post, Booth: e.Post + "-1",
				Direction: e.Direction, Decision: app.Admit,
				Document:     app.DocumentKey{IssuingState: doc.IssuingState, Number: doc.Number},
				DocumentCode: doc.DocumentCode,
				Traveller:    app.TravellerKey{Surname: doc.Surname, GivenNames: doc.GivenNames, BirthDate: doc.BirthDate, Nationality: doc.Nationality},
				Sex:          doc.Sex, Expiry: doc.Expiry, BoothTime: d.Add(10 * time.Hour), Training: true,
			})
		}
	}
	if len(cs) == 0 {
		return nil
	}
	slices.SortFunc(cs, func(a, b app.Crossing) int { return a.BoothTime.Compare(b.BoothTime) })
	_, err := ss.DecideMany(ctx, cs)
	return err
}

// Debrief says when the trainee sees what they missed.
func (s *Sim) Debrief() training.DebriefMode { return s.sess.DebriefAt }

// ID is the session's id.
func (s *Sim) ID() string { return s.sess.ID }

// Position is how many travellers the booth has been sent (the one on
// screen included) and the length of the queue.
func (s *Sim) Position() (int, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.next, len(s.Pack.Travellers)
}

// Current is the traveller on screen, false between travellers.
func (s *Sim) Current() (training.Traveller, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return training.Traveller{}, false
	}
	return *s.cur, true
}

// Next sends the next traveller to the booth (NextEvent, then Present) and
// returns the inspection screen. Errors: NextEvent's and Present's.
func (s *Sim) Next(ctx context.Context) (*app.InspectionView, error) {
	ev, err := s.NextEvent(ctx)
	if err != nil {
		return nil, err
	}
	return s.Present(ctx, ev)
}

// NextEvent turns the booth to the next traveller's direction and returns
// what the simulated reader and camera send for them; Present hands it to
// the booth. Errors: ENOTFOUND when the queue is done; ECONFLICT while a
// traveller is undecided.
func (s *Sim) NextEvent(ctx context.Context) (app.ReaderEvent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur != nil {
		return app.ReaderEvent{}, app.Errork(app.ECONFLICT, "err.decide_or_set_aside", "Decide on the document on screen or set it aside first.")
	}
	if s.next >= len(s.Pack.Travellers) {
		return app.ReaderEvent{}, app.Errork(app.ENOTFOUND, "training.queue_done", "The queue is done.")
	}
	t := s.Pack.Travellers[s.next]
	if sess := s.App.Session(); sess.HasShift && sess.Shift.Direction != t.Direction {
		if err := s.App.SetDirection(ctx, t.Direction); err != nil {
			return app.ReaderEvent{}, err
		}
	}
	ev, err := Event(s.Pack, t, s.Clock.Now())
	if err != nil || s.reader == nil {
		return ev, err
	}
	// The lines go through the serial driver; the camera's page and face
	// come with them, and the read is marked a training scenario's.
	read, err := s.reader.read(ctx, t.Lines)
	if err != nil {
		return app.ReaderEvent{}, err
	}
	read.Source, read.Image, read.Photo, read.PhotoAt, read.At = app.FromTraining, ev.Image, ev.Photo, ev.PhotoAt, ev.At
	return read, nil
}

// Present hands a document to the booth; the pack's next traveller's
// becomes the traveller on screen, scored when decided.
func (s *Sim) Present(ctx context.Context, ev app.ReaderEvent) (*app.InspectionView, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, err := s.App.Present(ctx, ev)
	if err != nil || v == nil {
		return v, err
	}
	if s.next < len(s.Pack.Travellers) && slices.Equal(s.Pack.Travellers[s.next].Lines, ev.Lines) {
		t := s.Pack.Travellers[s.next]
		s.next++
		s.cur, s.shown = &t, s.Clock.Now()
		s.marked = nil
	}
	return v, nil
}

// Mark sets the findings the trainee names for the traveller on screen.
func (s *Sim) Mark(found []training.Finding) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.marked = slices.Clone(found)
}

// OnScored sets f to be called (on the deciding goroutine) with each
// traveller's score as it is decided or set aside.
func (s *Sim) OnScored(f func(training.Traveller, training.TravellerScore)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onScored = f
}

// Event is what the simulated reader and camera send for traveller t: the
// MRZ lines, the data page as the camera sees it (its printed data and photo
// as the pack says) and the traveller's face as the booth camera takes it.
func Event(p *training.Pack, t training.Traveller, at time.Time) (app.ReaderEvent, error) {
	today := p.TodayTime()
	doc := mrz.Parser{}.ParseMRZ(t.Lines, today)
	country := func(code string) string {
		if name := mrz.CountryName(code); name != "" {
			return strings.ToUpper(name)
		}
		return code
	}
	printed := &synth.Printed{Title: country(doc.IssuingState) + "   PASSPORT", Number: or(t.Page.Number, doc.Number),
		Surname: or(t.Page.Surname, doc.Surname), GivenNames: or(t.Page.GivenNames, doc.GivenNames),
		Nationality: country(or(t.Page.Nationality, doc.Nationality)), BirthDate: printedDate(or(t.Page.BirthDate, doc.BirthDate)),
		Sex: or(t.Page.Sex, or(doc.Sex, "X")), Expiry: printedDate(or(t.Page.Expiry, doc.Expiry)), Photo: t.Page.Face}
	format := synth.TD3
	switch doc.Format {
	case "TD1":
		format = synth.TD1
	case "TD2":
		format = synth.TD2
	}
	seed := uint64(len(t.ID))<<32 ^ t.Face
	page, err := synth.Render(mrand.New(mrand.NewPCG(seed, 18)), format, t.Lines, synth.Options{DPI: 150, Printed: printed})
	if err != nil {
		return app.ReaderEvent{}, fmt.Errorf("render page of %s: %w", t.ID, err)
	}
	var face bytes.Buffer
	if err := jpeg.Encode(&face, synth.Face(t.Face, 350, 450), &jpeg.Options{Quality: 85}); err != nil {
		return app.ReaderEvent{}, fmt.Errorf("face of %s: %w", t.ID, err)
	}
	return app.ReaderEvent{Kind: app.ReaderDocument, At: at, Source: app.FromTraining, Lines: t.Lines,
		Image: page, Photo: face.Bytes(), PhotoAt: at}, nil
}

// printedDate writes an ISO date as a data page prints it ("14 MAR 1985").
func printedDate(iso string) string {
	d, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return strings.ToUpper(d.Format("02 Jan 2006"))
}

func or(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

// Decide records the trainee's decision through the booth (all its rules
// hold: a trainee cannot admit over an open hit either) and scores it.
// found are the findings the trainee named. Errors: ENOTFOUND with nobody
// on screen; Decide's.
func (s *Sim) Decide(ctx context.Context, r app.DecisionRequest, found []training.Finding) (training.TravellerScore, error) {
	_, ts, err := s.decide(ctx, r, found)
	return ts, err
}

func (s *Sim) decide(ctx context.Context, r app.DecisionRequest, found []training.Finding) (app.Crossing, training.TravellerScore, error) {
	defer s.heard()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		// Not a pack's traveller (typed at the keyboard): the booth decides
		// it as any other, and it is not scored.
		c, err := s.App.Decide(ctx, r)
		return c, training.TravellerScore{}, err
	}
	c, err := s.App.Decide(ctx, r)
	if err != nil {
		return c, training.TravellerScore{}, err
	}
	if found == nil {
		found = s.marked
	}
	o := training.Outcome{Traveller: s.cur.ID, Decision: c.Decision, Reason: c.RefusalReason,
		Override: c.Override != nil, Marked: found, Seconds: c.BoothTime.Sub(s.shown).Seconds()}
	for _, h := range c.Hits {
		o.Confirmed = o.Confirmed || h.Confirmed
		o.FalseMatch = o.FalseMatch || !h.Confirmed
	}
	ts, err := s.scored(ctx, o)
	return c, ts, err
}

// SetAside ends the traveller on screen without a decision (recorded as the
// booth records every such read); it scores as undecided.
func (s *Sim) SetAside(ctx context.Context, note string) (training.TravellerScore, error) {
	_, ts, err := s.setAside(ctx, note)
	return ts, err
}

func (s *Sim) setAside(ctx context.Context, note string) (app.SetAside, training.TravellerScore, error) {
	defer s.heard()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		a, err := s.App.SetAside(ctx, note)
		return a, training.TravellerScore{}, err
	}
	a, err := s.App.SetAside(ctx, note)
	if err != nil {
		return a, training.TravellerScore{}, err
	}
	ts, err := s.scored(ctx, training.Outcome{Traveller: s.cur.ID, Seconds: a.At.Sub(s.shown).Seconds()})
	return a, ts, err
}

func (s *Sim) scored(ctx context.Context, o training.Outcome) (training.TravellerScore, error) {
	t := *s.cur
	s.cur = nil
	s.sess.Outcomes = append(s.sess.Outcomes, o)
	s.sess.Score = training.ScoreSession(s.Pack, s.sess.Outcomes)
	// Saved as it goes: a trainer sees the session live, and a crash loses
	// no decided traveller.
	if err := s.centre.Store.SaveSession(ctx, s.sess); err != nil {
		return training.TravellerScore{}, err
	}
	ts := training.Score(t, o)
	if f := s.onScored; f != nil {
		// Heard once the lock is released: the listener may ask the Sim.
		s.after = func() { f(t, ts) }
	}
	return ts, nil
}

// heard runs the score's listener, outside the lock.
func (s *Sim) heard() {
	s.mu.Lock()
	f := s.after
	s.after = nil
	s.mu.Unlock()
	if f != nil {
		f()
	}
}

// Done reports whether every traveller has been sent and settled.
func (s *Sim) Done() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur == nil && s.next >= len(s.Pack.Travellers)
}

// Finish ends the session: a traveller still on screen is set aside, the
// shift closed, the score saved with the session and returned. The
// session's database stays for the trainer's review.
func (s *Sim) Finish(ctx context.Context) (training.Session, error) {
	if _, ok := s.Current(); ok {
		if _, err := s.SetAside(ctx, "The training session ended."); err != nil {
			return training.Session{}, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.App.CloseShift(ctx, "The training session ended."); err != nil && app.ErrorCode(err) != app.ECONFLICT {
		return training.Session{}, err
	}
	s.sess.Score = training.ScoreSession(s.Pack, s.sess.Outcomes)
	s.sess.Finished = s.centre.cfg.Clock.Now()
	if err := s.centre.Store.SaveSession(ctx, s.sess); err != nil {
		return training.Session{}, err
	}
	return s.sess, nil
}

// Session is the session so far.
func (s *Sim) Session() training.Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.sess
	ss.Outcomes = slices.Clone(s.sess.Outcomes)
	return ss
}

// Close closes the session's reader and database (Finish first to keep its score).
func (s *Sim) Close() error {
	if s.reader != nil {
		s.reader.Close()
	}
	return s.Store.Close()
}

// Play plays scripted decisions through the booth, traveller after
// traveller, as a trainee would: hits resolved as each says, the scenario
// clock moved by its seconds, the decision taken (a decision the booth
// refuses — admitting over a confirmed barring hit — leaves the traveller
// set aside and undecided). Travellers without a decision are set aside.
func (s *Sim) Play(ctx context.Context, d *training.Decisions) (training.Session, error) {
	by := map[string]training.Scripted{}
	for _, sc := range d.Decisions {
		by[sc.Traveller] = sc
	}
	for !s.Done() {
		v, err := s.Next(ctx)
		if err != nil {
			return training.Session{}, err
		}
		t, _ := s.Current()
		sc, ok := by[t.ID]
		if !ok {
			if _, err := s.SetAside(ctx, "No decision was scripted."); err != nil {
				return training.Session{}, err
			}
			continue
		}
		s.Clock.Advance(time.Duration(sc.Seconds * float64(time.Second)))
		if sc.Hits != "" {
			for _, h := range v.Hits {
				if _, err := s.App.Resolve(ctx, h.ListID, sc.Hits == "confirm", or(sc.Note, "scripted")); err != nil {
					return training.Session{}, err
				}
			}
		}
		_, err = s.Decide(ctx, app.DecisionRequest{Decision: sc.Decision, Reason: sc.Reason, Note: sc.Note, Ground: sc.Ground}, sc.Found)
		if code := app.ErrorCode(err); code == app.EINVALID {
			if _, err := s.SetAside(ctx, "The booth did not take the scripted decision: "+app.ErrorMessage(err)); err != nil {
				return training.Session{}, err
			}
		} else if err != nil {
			return training.Session{}, err
		}
	}
	return s.Finish(ctx)
}

func newSessionID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return time.Now().UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b)
}

func randomPassword() string {
	b := make([]byte, 24)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// ShippedPacks are the scenario packs the centre ships (assets/training), by
// file name.
func ShippedPacks() (map[string][]byte, error) {
	entries, err := assets.FS.ReadDir("training")
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		data, err := assets.FS.ReadFile("training/" + e.Name())
		if err != nil {
			return nil, err
		}
		out[e.Name()] = data
	}
	return out, nil
}

// Window is a session as the training window drives it: the real booth's
// calls (ui.Booth), with reads, decisions and set-asides going through the
// Sim so that each of the pack's travellers is scored.
type Window struct {
	*app.Booth
	Sim *Sim
}

// Window returns the session for the training window.
func (s *Sim) Window() Window { return Window{Booth: s.App, Sim: s} }

// Present hands a document to the booth (Sim.Present).
func (w Window) Present(ctx context.Context, ev app.ReaderEvent) (*app.InspectionView, error) {
	return w.Sim.Present(ctx, ev)
}

// Decide decides and scores the traveller on screen.
func (w Window) Decide(ctx context.Context, r app.DecisionRequest) (app.Crossing, error) {
	c, _, err := w.Sim.decide(ctx, r, nil)
	return c, err
}

// SetAside sets the traveller on screen aside, scored as undecided.
func (w Window) SetAside(ctx context.Context, note string) (app.SetAside, error) {
	a, _, err := w.Sim.setAside(ctx, note)
	return a, err
}

// NextTraveller is what the simulated reader sends next (Sim.NextEvent).
func (w Window) NextTraveller(ctx context.Context) (app.ReaderEvent, error) {
	return w.Sim.NextEvent(ctx)
}

// Mark sets the findings the trainee names (Sim.Mark).
func (w Window) Mark(f []training.Finding) { w.Sim.Mark(f) }

// OnScored sets the listener of each traveller's score (Sim.OnScored).
func (w Window) OnScored(f func(training.Traveller, training.TravellerScore)) { w.Sim.OnScored(f) }

// Position is (Sim.Position).
func (w Window) Position() (int, int) { return w.Sim.Position() }

// Debrief is when the trainer wants the debrief.
func (w Window) Debrief() training.DebriefMode { return w.Sim.Debrief() }

// Pack is the session's pack.
func (w Window) Pack() *training.Pack { return w.Sim.Pack }

// Finish ends the session (Sim.Finish) and closes its database.
func (w Window) Finish(ctx context.Context) (training.Session, error) {
	s, err := w.Sim.Finish(ctx)
	if err != nil {
		return s, err
	}
	return s, w.Sim.Close()
}
