package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/i18n"
	"github.com/chekara/chekara/app/training"
)

// Screens of the training window, as TrainingUI.Screen reports them. During a
// session the booth's own screens show (TrainingSession; UI.Screen says which).
const (
	TrainingSignIn  = "training_sign_in"
	TrainingHome    = "training_home"    // a trainee's assigned packs
	TrainingSession = "training_session" // the simulation booth
	TrainingDebrief = "training_debrief" // the session's debrief
	TrainerConsole  = "trainer_console"
	TrainerEditor   = "trainer_editor" // a pack's file, edited in place
)

// Centre is what the training window asks of the training centre (its own
// accounts, packs, assignments and results); booth.Centre satisfies it.
// Every call may wait on the disk: the window makes them off its goroutine.
type Centre interface {
	SignIn(ctx context.Context, id, password string) (app.Officer, error)
	Trainees(ctx context.Context) ([]app.Officer, error)
	Packs(ctx context.Context) ([]training.PackInfo, error)
	Pack(ctx context.Context, id string) (*training.Pack, error)
	ImportPackFile(ctx context.Context, path string) (*training.Pack, error)
	PackFile(ctx context.Context, id string) ([]byte, error)
	SavePackFile(ctx context.Context, data []byte) (*training.Pack, error)
	Assign(ctx context.Context, a training.Assignment) error
	Assignments(ctx context.Context, trainee string) ([]training.Assignment, error)
	Sessions(ctx context.Context, trainee string) ([]training.Session, error)
	Progress(ctx context.Context, trainee string) (training.Progress, error)
	Export(ctx context.Context, path string, words func(string, ...any) string) error
}

// Simulation is one session at the simulation booth: the real booth in
// training mode (Booth, so the booth's own screens drive it) and the pack's
// queue, whose travellers are scored as they are decided.
type Simulation interface {
	Booth
	// NextTraveller is what the simulated reader and camera send next;
	// ENOTFOUND when the queue is done.
	NextTraveller(ctx context.Context) (app.ReaderEvent, error)
	Mark(found []training.Finding)
	OnScored(func(training.Traveller, training.TravellerScore))
	Position() (sent, total int)
	Debrief() training.DebriefMode
	Pack() *training.Pack
	Finish(ctx context.Context) (training.Session, error)
}

// TrainingConfig is how the training window behaves.
type TrainingConfig struct {
	Config // the booth window's settings, for the sessions too
	// Start opens a session of a pack for the signed-in trainee, who signs
	// into the booth with their own password.
	Start func(ctx context.Context, packID, officerID, password string) (Simulation, error)
}

// TrainingUI is the training centre's window: trainees sign in, play the
// packs their trainer assigned at the real booth in training mode and read
// their debrief; trainers import and assign packs, follow progress and export.
type TrainingUI struct {
	centre Centre
	cfg    TrainingConfig
	cat    *i18n.Catalog
	words  *words
	win    fyne.Window
	jobs   jobs

	screen   string
	message  string
	officer  app.Officer
	password string // kept while signed in: each session signs into its booth
	booth    *UI
	sim      Simulation
	strip    *trainingStrip
	popup    *widget.PopUp // the debrief after a traveller, while it shows
	last     training.Session
	lastPack *training.Pack
	gen      atomic.Int64 // bumped at each screen change: the console's watch stops
}

// NewTraining builds the training window in w.
func NewTraining(w fyne.Window, c Centre, cat *i18n.Catalog, cfg TrainingConfig) *TrainingUI {
	if cfg.Language == "" {
		cfg.Language = "en"
	}
	if cfg.Do == nil {
		cfg.Do = fyne.Do
	}
	t := &TrainingUI{centre: c, cfg: cfg, cat: cat, words: &words{cat: cat, lang: cfg.Language}, win: w}
	t.jobs.idle = sync.NewCond(&t.jobs.mu)
	if a := fyne.CurrentApp(); a != nil {
		UseTheme(a)
	}
	t.showSignIn("")
	return t
}

// Screen says which screen is showing (TrainingSignIn, …).
func (t *TrainingUI) Screen() string { return t.screen }

// Booth is the simulation booth's window during a session, nil otherwise.
func (t *TrainingUI) Booth() *UI { return t.booth }

// Message is the last sentence shown for an error, "" when none.
func (t *TrainingUI) Message() string { return t.message }

// Continue closes the debrief shown after a traveller, as its button does;
// false when none shows.
func (t *TrainingUI) Continue() bool {
	if t.popup == nil {
		return false
	}
	// The button is the popup's only one.
	for _, o := range walk(t.popup.Content) {
		if b, ok := o.(*widget.Button); ok && b.OnTapped != nil {
			b.OnTapped()
			return true
		}
	}
	return false
}

// Last is the last finished session, as its debrief shows it.
func (t *TrainingUI) Last() training.Session { return t.last }

// Wait blocks until the window's calls, and the session booth's, are on screen.
func (t *TrainingUI) Wait() {
	for {
		t.jobs.wait()
		if b := t.booth; b != nil {
			b.Wait()
		}
		t.jobs.mu.Lock()
		idle := t.jobs.pending == 0
		t.jobs.mu.Unlock()
		if idle {
			return
		}
	}
}

// Busy reports whether a call has a result not yet on screen.
func (t *TrainingUI) Busy() bool {
	t.jobs.mu.Lock()
	defer t.jobs.mu.Unlock()
	return t.jobs.pending > 0 || t.booth != nil && t.booth.Busy()
}

func (t *TrainingUI) tr(key string, args ...any) string { return t.words.t(key, args...) }

func (t *TrainingUI) ctx() context.Context { return context.Background() }

// background runs work off the UI goroutine and applies its result through
// Config.Do, as the booth window does.
func (t *TrainingUI) background(work func() func()) {
	t.jobs.add()
	go func() {
		apply := work()
		t.cfg.Do(func() {
			defer t.jobs.done()
			if apply != nil {
				apply()
			}
		})
	}()
}

func (t *TrainingUI) errText(err error) string { return t.cat.Error(t.words.lang, err) }

func (t *TrainingUI) centred(title string, parts ...fyne.CanvasObject) fyne.CanvasObject {
	head := widget.NewLabelWithStyle(title, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	head.SizeName = theme.SizeNameSubHeadingText
	box := container.NewVBox(append([]fyne.CanvasObject{head}, parts...)...)
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(560, box.MinSize().Height), box))
}

func (t *TrainingUI) menu() {
	t.gen.Add(1)
	var langs []*fyne.MenuItem
	for _, l := range t.cat.Languages() {
		l := l
		it := fyne.NewMenuItem(t.cat.T(l, "language.name"), func() {
			t.words.lang = l
			t.redraw()
		})
		it.Checked = l == t.words.lang
		langs = append(langs, it)
	}
	items := []*fyne.MenuItem{}
	if t.officer.ID != "" {
		items = append(items, fyne.NewMenuItem(t.tr("menu.sign_out"), t.signOut))
	}
	t.win.SetMainMenu(fyne.NewMainMenu(fyne.NewMenu(t.tr("training.menu"), items...), fyne.NewMenu(t.tr("menu.language"), langs...)))
}

func (t *TrainingUI) redraw() {
	switch t.screen {
	case TrainingHome:
		t.showHome("")
	case TrainerConsole:
		t.showConsole("")
	case TrainingDebrief:
		t.showDebrief(t.last)
	case TrainingSignIn:
		t.showSignIn("")
	}
}

// showSignIn: trainees and trainers sign in with their own accounts.
func (t *TrainingUI) showSignIn(msg string) {
	t.screen, t.message = TrainingSignIn, msg
	id := widget.NewEntry()
	id.SetPlaceHolder(t.tr("signin.id"))
	pw := widget.NewPasswordEntry()
	pw.SetPlaceHolder(t.tr("signin.password"))
	var button *widget.Button
	submit := func() {
		if button.Disabled() {
			return
		}
		button.Disable()
		officer, password := id.Text, pw.Text
		t.background(func() func() {
			o, err := t.centre.SignIn(t.ctx(), officer, password)
			return func() {
				if err != nil {
					t.showSignIn(t.errText(err))
					return
				}
				t.officer, t.password = o, password
				if o.Language != "" {
					t.words.lang = o.Language
				}
				if o.Role == app.RoleTrainer {
					t.showConsole("")
					return
				}
				t.showHome("")
			}
		})
	}
	id.OnSubmitted = func(string) { t.win.Canvas().Focus(pw) }
	pw.OnSubmitted = func(string) { submit() }
	button = widget.NewButton(t.tr("signin.submit"), submit)
	parts := []fyne.CanvasObject{widget.NewLabel(t.tr("training.signin_prompt")),
		widget.NewForm(widget.NewFormItem(t.tr("signin.id"), id), widget.NewFormItem(t.tr("signin.password"), pw)), button}
	if msg != "" {
		parts = append(parts, errorLabel(msg))
	}
	t.menu()
	t.win.SetContent(t.centred(t.tr("training.title"), parts...))
	t.win.Canvas().Focus(id)
}

// SignOut signs the trainee or trainer out (the menu's Sign out).
func (t *TrainingUI) SignOut() { t.signOut() }

func (t *TrainingUI) signOut() {
	if t.booth != nil {
		t.booth.Stop()
	}
	t.officer, t.password, t.booth, t.sim = app.Officer{}, "", nil, nil
	t.showSignIn("")
}

// showHome lists the trainee's assigned packs, each with its start button.
func (t *TrainingUI) showHome(msg string) {
	t.screen, t.message = TrainingHome, msg
	box := container.NewVBox(widget.NewLabel(t.tr("training.home_prompt", t.officer.Name)))
	if msg != "" {
		box.Add(errorLabel(msg))
	}
	t.menu()
	t.win.SetContent(t.centred(t.tr("training.home_title"), box))
	t.background(func() func() {
		as, err := t.centre.Assignments(t.ctx(), t.officer.ID)
		titles := map[string]string{}
		packs, perr := t.centre.Packs(t.ctx())
		for _, p := range packs {
			titles[p.ID] = p.Title
		}
		var progress training.Progress
		if err == nil && perr == nil {
			progress, err = t.centre.Progress(t.ctx(), t.officer.ID)
		}
		return func() {
			if t.screen != TrainingHome {
				return
			}
			if err == nil {
				err = perr
			}
			if err != nil {
				box.Add(errorLabel(t.errText(err)))
				return
			}
			if len(as) == 0 {
				box.Add(widget.NewLabel(t.tr("training.no_assignments")))
			}
			for _, a := range as {
				a := a
				mode := t.tr("training.debrief_" + string(a.Debrief))
				start := widget.NewButtonWithIcon(t.tr("training.start"), theme.MediaPlayIcon(), func() { t.start(a.Pack) })
				start.Importance = widget.HighImportance
				box.Add(container.NewBorder(nil, nil, nil, start,
					widget.NewLabel(fmt.Sprintf("%s (%s) · %s", titles[a.Pack], a.Pack, mode))))
			}
			if progress.Sessions > 0 {
				box.Add(widget.NewSeparator())
				box.Add(widget.NewLabel(t.tr("training.my_progress", progress.Sessions, progress.Percent)))
				for _, sk := range progress.Skills {
					box.Add(widget.NewLabel(fmt.Sprintf("  %s: %.1f %%", t.tr("training.skill."+string(sk.Skill)), sk.Percent)))
				}
			}
			t.win.SetContent(t.centred(t.tr("training.home_title"), box))
		}
	})
}

// start opens a session and shows the simulation booth: the booth's own
// inspection screen, with the training strip above it.
func (t *TrainingUI) start(pack string) {
	officer, password := t.officer.ID, t.password
	t.background(func() func() {
		sim, err := t.cfg.Start(t.ctx(), pack, officer, password)
		return func() {
			if err != nil {
				t.showHome(t.errText(err))
				return
			}
			t.session(sim)
		}
	})
}

func (t *TrainingUI) session(sim Simulation) {
	t.screen, t.sim = TrainingSession, sim
	t.gen.Add(1)
	t.strip = newTrainingStrip(t, sim)
	cfg := t.cfg.Config
	cfg.Language = t.words.lang
	cfg.Training = t.strip.obj
	cfg.NextTraveller = func() { t.next() }
	t.booth = New(t.win, sim, t.cat, cfg)
	sim.OnScored(func(tr training.Traveller, ts training.TravellerScore) {
		t.booth.apply(func() { t.scored(tr, ts) })
	})
	t.booth.afterSignIn(sim.Session())
	t.strip.refresh()
	t.next()
}

// next asks the simulated reader for the next traveller (off the UI
// goroutine); at the end of the queue the session finishes.
func (t *TrainingUI) next() {
	sim, b := t.sim, t.booth
	if sim == nil || b == nil || t.popup != nil { // the debrief first: Continue brings the next
		return
	}
	t.jobs.add()
	go func() {
		defer t.cfg.Do(t.jobs.done)
		ev, err := sim.NextTraveller(t.ctx())
		switch {
		case app.ErrorCode(err) == app.ENOTFOUND:
			t.cfg.Do(t.finish)
		case err != nil:
			b.apply(func() { b.setMessage(b.errText(err)) })
		default:
			b.Present(ev)
			b.apply(t.strip.refresh)
		}
	}()
}

// scored follows each decided traveller: the strip moves on; with the
// debrief after each traveller, it shows now; at the queue's end, the session's.
func (t *TrainingUI) scored(tr training.Traveller, ts training.TravellerScore) {
	if t.strip == nil || t.sim == nil { // the session is ending: its debrief follows
		return
	}
	t.strip.reset()
	sent, total := t.sim.Position()
	last := sent >= total
	if t.sim.Debrief() == training.DebriefEach {
		var pop *widget.PopUp
		cont := widget.NewButton(t.tr("training.continue"), func() {
			pop.Hide()
			t.popup = nil
			if last {
				t.finish()
				return
			}
			t.next() // the next traveller steps up
		})
		cont.Importance = widget.HighImportance
		title := widget.NewLabelWithStyle(t.tr("training.debrief_traveller", tr.ID), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		body := container.NewBorder(title, container.NewHBox(layout.NewSpacer(), cont), nil, nil,
			container.NewVScroll(t.debriefCard(tr, ts)))
		pop = widget.NewModalPopUp(body, t.win.Canvas())
		pop.Resize(fyne.NewSize(640, 440))
		t.popup = pop
		pop.Show()
		t.win.Canvas().Focus(nil)
		return
	}
	if last {
		t.finish()
		return
	}
	t.next()
}

// compare shows the traveller's face beside the document page, large: the
// booth's photo panel is sized for a glance, an impostor needs a look.
func (t *TrainingUI) compare() {
	if t.sim == nil || t.popup != nil {
		return
	}
	v := t.sim.Current()
	if v == nil {
		return
	}
	face := canvas.NewImageFromImage(v.Face)
	face.FillMode = canvas.ImageFillContain
	face.SetMinSize(fyne.NewSize(300, 386))
	page := canvas.NewImageFromImage(v.Image)
	page.FillMode = canvas.ImageFillContain
	page.SetMinSize(fyne.NewSize(620, 436))
	var pop *widget.PopUp
	closeBtn := widget.NewButton(t.tr("training.continue"), func() {
		pop.Hide()
		t.popup = nil
	})
	closeBtn.Importance = widget.HighImportance
	body := container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), closeBtn), nil, nil,
		container.NewHBox(
			container.NewBorder(nil, widget.NewLabel(t.tr("photo.traveller")), nil, nil, face),
			container.NewBorder(nil, widget.NewLabel(t.tr("photo.document")), nil, nil, page)))
	pop = widget.NewModalPopUp(body, t.win.Canvas())
	t.popup = pop
	pop.Show()
}

// finish ends the session and shows its debrief.
func (t *TrainingUI) finish() {
	sim := t.sim
	if sim == nil {
		return
	}
	t.sim = nil
	t.background(func() func() {
		s, err := sim.Finish(t.ctx())
		return func() {
			if t.booth != nil {
				t.booth.Stop()
				t.booth = nil
			}
			if err != nil {
				t.showHome(t.errText(err))
				return
			}
			t.last, t.lastPack = s, sim.Pack()
			t.showDebrief(s)
		}
	})
}

// debriefCard says, for one traveller, what the key expected, what the
// trainee did, what they missed and why (the teaching note).
func (t *TrainingUI) debriefCard(tr training.Traveller, ts training.TravellerScore) fyne.CanvasObject {
	mark := func(ok bool) string {
		if ok {
			return "✓ "
		}
		return "✗ "
	}
	decision := t.tr("training.undecided")
	if ts.Decision != "" {
		decision = t.tr("decision." + string(ts.Decision))
		if ts.Reason != "" {
			decision += " (" + ts.Reason + ")"
		}
	}
	lines := []fyne.CanvasObject{
		widget.NewLabelWithStyle(t.tr("training.points", ts.Points, ts.Max), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabel(mark(ts.DecisionOK) + t.tr("training.expected", t.tr("decision."+string(ts.Expected)), decision)),
	}
	if ts.Decision == app.Refuse || len(tr.Key.Reasons) > 0 {
		lines = append(lines, widget.NewLabel(mark(ts.DecisionOK && ts.ReasonOK)+t.tr("training.reasons", strings.Join(tr.Key.Reasons, ", "))))
	}
	for _, f := range ts.Caught {
		lines = append(lines, widget.NewLabel("✓ "+t.tr("training.caught", t.tr("training.finding."+string(f)))))
	}
	for _, f := range ts.Missed {
		l := widget.NewLabel("✗ " + t.tr("training.missed", t.tr("training.finding."+string(f))))
		l.Importance = widget.DangerImportance
		lines = append(lines, l)
	}
	if ts.FalseRefusal {
		l := widget.NewLabel("✗ " + t.tr("training.false_refusal"))
		l.Importance = widget.WarningImportance
		lines = append(lines, l)
	}
	if !ts.Undecided {
		lines = append(lines, widget.NewLabel(t.tr("training.seconds", ts.Seconds)))
	}
	note := widget.NewLabel(tr.Key.Note.In(t.words.lang))
	note.Wrapping = fyne.TextWrapWord
	lines = append(lines, widget.NewSeparator(), note)
	return container.NewVBox(lines...)
}

// showDebrief shows a finished session: the score, by skill, and every
// traveller with what was missed and why.
func (t *TrainingUI) showDebrief(s training.Session) {
	t.screen, t.strip = TrainingDebrief, nil
	sc := s.Score
	head := widget.NewLabelWithStyle(t.tr("training.session_score", sc.Percent, sc.Correct, len(sc.Travellers), sc.Missed, sc.Findings, sc.FalseRefusals),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.Wrapping = fyne.TextWrapWord
	var skills []string
	for _, sk := range sc.Skills {
		skills = append(skills, fmt.Sprintf("%s %.1f %%", t.tr("training.skill."+string(sk.Skill)), sk.Percent))
	}
	items := []fyne.CanvasObject{head, widget.NewLabel(strings.Join(skills, " · "))}
	if sc.Undecided < len(sc.Travellers) {
		items = append(items, widget.NewLabel(t.tr("training.time", sc.MedianSeconds, sc.Slow)))
	}
	p := t.lastPack
	for _, ts := range sc.Travellers {
		ok := ts.Points == ts.Max
		if ok {
			continue // a debrief names what went wrong; the score says the rest
		}
		tr := training.Traveller{ID: ts.Traveller}
		if p != nil {
			tr, _ = p.Traveller(ts.Traveller)
		}
		items = append(items, widget.NewSeparator(),
			widget.NewLabelWithStyle(t.tr("training.debrief_traveller", ts.Traveller), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			t.debriefCard(tr, ts))
	}
	if sc.Points == sc.Max {
		items = append(items, widget.NewLabel(t.tr("training.all_right")))
	}
	back := widget.NewButton(t.tr("training.back"), func() { t.showHome("") })
	back.Importance = widget.HighImportance
	title := widget.NewLabelWithStyle(t.tr("training.debrief_title", s.Pack), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	t.menu()
	t.win.SetContent(container.NewBorder(title, container.NewHBox(layout.NewSpacer(), back), nil, nil,
		container.NewVScroll(container.NewVBox(items...))))
}

// trainingStrip is what the training booth shows above the inspection screen:
// the pack and the traveller's place in the queue, the findings the trainee
// names, the next traveller and the end of the session.
type trainingStrip struct {
	t        *TrainingUI
	sim      Simulation
	obj      fyne.CanvasObject
	place    *widget.Label
	findings *widget.CheckGroup
	byLabel  map[string]training.Finding
}

func newTrainingStrip(t *TrainingUI, sim Simulation) *trainingStrip {
	s := &trainingStrip{t: t, sim: sim, byLabel: map[string]training.Finding{}}
	var labels []string
	for _, f := range training.Findings {
		l := t.tr("training.finding." + string(f))
		labels = append(labels, l)
		s.byLabel[l] = f
	}
	s.place = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.findings = widget.NewCheckGroup(labels, func(sel []string) {
		var fs []training.Finding
		for _, l := range sel {
			fs = append(fs, s.byLabel[l])
		}
		slices.Sort(fs)
		sim.Mark(fs)
	})
	s.findings.Horizontal = true
	end := widget.NewButton(t.tr("training.end"), func() { t.finish() })
	compare := widget.NewButtonWithIcon(t.tr("training.compare"), theme.VisibilityIcon(), func() { t.compare() })
	next := widget.NewButtonWithIcon(t.tr("menu.next"), theme.MediaSkipNextIcon(), func() { t.next() })
	s.obj = container.NewVBox(
		container.NewBorder(nil, nil, s.place, container.NewHBox(compare, next, end)),
		container.NewBorder(nil, nil, widget.NewLabel(t.tr("training.found")), nil, container.NewHScroll(s.findings)),
		widget.NewSeparator(),
	)
	return s
}

func (s *trainingStrip) refresh() {
	sent, total := s.sim.Position()
	s.place.SetText(s.t.tr("training.place", s.sim.Pack().Title.In(s.t.words.lang), sent, total))
}

// reset clears the findings for the next traveller.
func (s *trainingStrip) reset() {
	s.findings.SetSelected(nil)
	s.refresh()
}

// walk lists a widget tree, for Continue.
func walk(o fyne.CanvasObject) []fyne.CanvasObject {
	out := []fyne.CanvasObject{o}
	if c, ok := o.(*fyne.Container); ok {
		for _, k := range c.Objects {
			out = append(out, walk(k)...)
		}
	}
	return out
}
