package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
)

// inspection is the primary inspection screen: the panels that draw the
// document on screen, the MRZ field and the decision bar.
type inspection struct {
	u *UI

	header    *widget.Label
	dirButton *widget.Button
	verdict   *verdictPanel
	document  *documentPanel
	problems  *problemsPanel
	photo     *photoPanel
	hits      *hitsPanel
	history   *historyPanel
	stay      *stayPanel

	mrz       *widget.Entry
	mrzBuf    []string
	pending   *widget.Label
	reason    *widget.Select
	codes     []string
	note      *widget.Entry
	message   *widget.Label
	decisions []*widget.Button
	// busy is set while a decision or a resolution is being recorded: a
	// second key press then does nothing, so nothing is recorded twice.
	busy bool
	// refused is the last refusal decided on this screen, whose form Alt+P
	// prints; nil once another document is on screen.
	refused   *app.Crossing
	printForm *widget.Button

	view *app.InspectionView
	root *fyne.Container
}

// showInspect shows the primary inspection screen with no document on it.
func (u *UI) showInspect() {
	u.screen, u.message = ScreenInspect, ""
	in := &inspection{u: u}
	u.insp = in
	u.buildMenu()
	u.win.SetContent(in.build())
	in.render(nil)
	in.focusMRZ()
}

func (in *inspection) build() fyne.CanvasObject {
	u := in.u
	w := u.words
	in.header = widget.NewLabel("")
	in.header.TextStyle.Bold = true
	in.dirButton = widget.NewButton("", in.toggleDirection)
	in.verdict = newVerdictPanel(w)
	top := container.NewBorder(nil, nil, in.header, in.dirButton, in.verdict.obj)
	if u.cfg.Training != nil {
		top = container.NewVBox(u.cfg.Training, top)
	}

	in.document, in.problems = newDocumentPanel(w), newProblemsPanel(w)
	docPanel := panel(w.t("panel.document"), container.NewVBox(in.document.form, in.problems.box))
	in.photo, in.hits = newPhotoPanel(w), newHitsPanel(w, in.resolve, in.relyOnEarlier)
	middle := container.NewBorder(panel(w.t("panel.photo"), in.photo.obj), nil, nil, nil, panel(w.t("panel.lists"), container.NewVScroll(in.hits.box)))
	in.history, in.stay = newHistoryPanel(w), newStayPanel(w)
	right := container.NewBorder(panel(w.t("panel.stay"), in.stay.form), nil, nil, nil, panel(w.t("panel.history"), in.history.box))
	body := container.NewGridWithColumns(3, docPanel, middle, right)

	in.message = widget.NewLabel("")
	in.message.Importance = widget.DangerImportance
	in.message.Truncation = fyne.TextTruncateEllipsis
	bottom := container.NewVBox(in.buildMRZ(), in.buildDecisions(), in.message, u.status.box)
	in.refreshHeader()
	in.root = container.NewBorder(top, bottom, nil, nil, body)
	return in.root
}

// buildMRZ is the row where the officer (or a keyboard-wedge reader) types.
func (in *inspection) buildMRZ() fyne.CanvasObject {
	u := in.u
	in.mrz = widget.NewEntry()
	in.mrz.SetPlaceHolder(u.t("mrz.placeholder"))
	in.mrz.TextStyle.Monospace = true
	in.mrz.OnSubmitted = in.mrzSubmitted
	in.mrz.OnChanged = func(string) { u.touch() }
	in.pending = widget.NewLabel("")
	return container.NewBorder(nil, nil, widget.NewLabel(u.t("mrz.label")), in.pending, in.mrz)
}

// buildDecisions is the decision bar: what goes with a decision (reason,
// note), then the decisions — two rows, so it fits 1366 wide in every language.
func (in *inspection) buildDecisions() fyne.CanvasObject {
	u := in.u
	reasons := u.booth.RefusalReasons().Reasons
	opts := make([]string, len(reasons))
	in.codes = make([]string, len(reasons))
	for i, r := range reasons {
		in.codes[i] = r.Code
		opts[i] = shorten(r.Code+" — "+r.TextIn(u.lang()), 60)
	}
	in.reason = widget.NewSelect(opts, nil)
	in.reason.PlaceHolder = u.t("decide.reason")
	in.note = widget.NewEntry()
	in.note.SetPlaceHolder(u.t("decide.note"))
	in.note.OnChanged = func(string) { u.touch() }
	button := func(key, hotkey string, icon fyne.Resource, imp widget.Importance, d app.Decision) *widget.Button {
		b := widget.NewButtonWithIcon(u.t(key)+" ("+hotkey+")", icon, func() { in.decide(d) })
		b.Importance = imp
		in.decisions = append(in.decisions, b)
		return b
	}
	row := []fyne.CanvasObject{
		button("decide.admit", "Alt+A", theme.ConfirmIcon(), widget.SuccessImportance, app.Admit),
		button("decide.refuse", "Alt+R", theme.CancelIcon(), widget.DangerImportance, app.Refuse),
		button("decide.refer", "Alt+S", theme.QuestionIcon(), widget.WarningImportance, app.Refer),
	}
	if u.cfg.NextTraveller != nil {
		row = append(row, widget.NewButtonWithIcon(u.t("decide.next")+" (Alt+N)", theme.MediaSkipNextIcon(), u.nextTraveller))
	}
	if u.cfg.PrintRefusal != nil {
		in.printForm = widget.NewButtonWithIcon(u.t("form.print")+" (Alt+P)", theme.DocumentPrintIcon(), in.printRefusal)
		in.printForm.Hide() // offered after a refusal
		row = append(row, in.printForm)
	}
	return container.NewVBox(container.NewGridWithColumns(2, in.reason, in.note), container.NewHBox(row...))
}

func (in *inspection) refreshHeader() {
	u := in.u
	s := u.booth.Session()
	head := u.t("header.officer", s.Officer.Name, s.Officer.ID, s.Shift.Post, s.Shift.Booth)
	if s.Training {
		head += " · " + u.t("header.training")
	}
	in.header.SetText(head)
	in.dirButton.SetText(u.t("dir."+string(s.Shift.Direction)) + " (Alt+D)")
}

// toggleDirection turns the shift round (Alt+D); the header follows once the
// change is on record.
func (in *inspection) toggleDirection() {
	u := in.u
	d := app.Exit
	if u.booth.Session().Shift.Direction == app.Exit {
		d = app.Entry
	}
	u.background(func() func() {
		err := u.booth.SetDirection(u.ctx(), d)
		return func() {
			if u.insp != in {
				return
			}
			if err != nil {
				in.showMessage(u.errText(err))
				return
			}
			in.refreshHeader()
			in.focusMRZ()
		}
	})
}

func (in *inspection) focusMRZ() { in.u.focus(in.mrz) }

func (in *inspection) showMessage(s string) {
	in.u.message = s
	in.message.Importance = widget.DangerImportance
	in.message.SetText(s)
}

// mrzSubmitted gathers lines typed or sent by a keyboard-wedge reader (which
// ends each line with Enter) until they form a whole MRZ, then presents them
// through the same path as the serial reader. Enter on an empty field presents
// what was gathered, for a damaged document the officer must still record.
func (in *inspection) mrzSubmitted(text string) {
	u := in.u
	u.touch()
	in.mrz.SetText("")
	text = strings.ToUpper(strings.TrimSpace(text))
	if text != "" {
		in.mrzBuf = append(in.mrzBuf, splitRun(text)...)
	}
	if len(in.mrzBuf) == 0 {
		return
	}
	if text != "" && !complete(in.mrzBuf) {
		in.pending.SetText(u.t("mrz.pending", len(in.mrzBuf)))
		return
	}
	ev := app.ReaderEvent{Kind: app.ReaderDocument, Lines: in.mrzBuf, Source: app.FromKeyboard, At: time.Now()}
	in.mrzBuf = nil
	in.pending.SetText("")
	u.background(func() func() { return u.present(ev) })
	in.focusMRZ()
}

// shorten cuts s to n runes with an ellipsis: a refusal reason's full text is
// on the refusal form; the list only needs to tell the reasons apart.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// splitRun cuts a whole MRZ typed as one run (88, 72 or 90 characters) into its
// lines; anything else is one line.
func splitRun(s string) []string {
	s = strings.ReplaceAll(s, " ", "")
	for _, f := range []struct{ lines, width int }{{2, 44}, {2, 36}, {3, 30}} {
		if len(s) == f.lines*f.width {
			var out []string
			for i := 0; i < f.lines; i++ {
				out = append(out, s[i*f.width:(i+1)*f.width])
			}
			return out
		}
	}
	return []string{s}
}

// complete reports whether lines have the shape of a whole MRZ.
func complete(lines []string) bool {
	if len(lines) < 2 {
		return false
	}
	w := len(lines[0])
	for _, l := range lines {
		if len(l) != w {
			return false
		}
	}
	return (w == 44 || w == 36) && len(lines) == 2 || w == 30 && len(lines) == 3
}

// render draws one inspection on every panel; nil empties the screen for the
// next traveller, the decision bar included.
func (in *inspection) render(v *app.InspectionView) {
	if v == nil || in.view == nil || in.view.Inspection.ID != v.Inspection.ID {
		// Every field of a decision belongs to its inspection only.
		in.reason.ClearSelected()
		in.note.SetText("")
	}
	in.view = v
	if v != nil {
		in.offerForm(app.Crossing{}) // the refusal's form belongs to its traveller
	}
	for _, p := range []interface{ render(*app.InspectionView) }{
		in.verdict, in.document, in.problems, in.photo, in.hits, in.history, in.stay,
	} {
		p.render(v)
	}
	in.message.SetText("")
	in.u.message = ""
	in.root.Refresh() // panels changed size: lay the whole screen out again
}

// updated shows a newer view of the document on screen (HQ's national
// history arrived, or the booth gave up waiting): the verdict, the history and
// the stay; what the officer typed stays.
func (in *inspection) updated(v *app.InspectionView) {
	if in.view == nil || in.view.Inspection.ID != v.Inspection.ID {
		return // another document is on screen now
	}
	in.view = v
	in.verdict.render(v)
	in.history.render(v)
	in.stay.render(v)
	in.root.Refresh()
}

// setBusy guards the decision bar and the hit buttons while the booth records
// a decision or a resolution.
func (in *inspection) setBusy(busy bool) {
	in.busy = busy
	for _, b := range in.decisions {
		enable(b, !busy)
	}
	in.hits.setBusy(busy)
}

// resolveFirst resolves the first open hit (the Alt+C / Alt+F hotkeys). A
// false match takes its reason from the note field.
func (in *inspection) resolveFirst(confirmed bool) {
	if in.view == nil {
		return
	}
	for _, h := range in.view.Hits {
		if !h.Resolved {
			in.resolve(h.ListID, confirmed)
			return
		}
	}
	in.showMessage(in.u.t("hit.none_open"))
}

func (in *inspection) resolve(id string, confirmed bool) {
	u := in.u
	u.touch()
	if in.busy {
		return
	}
	note := in.note.Text
	if !confirmed && strings.TrimSpace(note) == "" {
		in.showMessage(u.t("hit.need_note"))
		u.focus(in.note)
		return
	}
	in.setBusy(true)
	u.background(func() func() {
		v, err := u.booth.Resolve(u.ctx(), id, confirmed, note)
		return func() {
			in.setBusy(false)
			if u.insp != in {
				return
			}
			if err != nil {
				in.showMessage(u.errText(err))
				return
			}
			if !confirmed {
				in.note.SetText("")
			}
			in.render(v)
			in.focusMRZ()
		}
	})
}

// decide records the officer's decision, then clears the screen and returns
// the focus to the MRZ field for the next traveller.
func (in *inspection) decide(d app.Decision) {
	u := in.u
	u.touch()
	if in.busy {
		return
	}
	if d == app.Admit && in.view != nil {
		// Admitting against a STOP verdict is never one key: it is an
		// override with a written ground, or impossible (safety.go).
		key, err := in.view.AdmitNeeds()
		if err != nil {
			in.showMessage(u.errText(err))
			return
		}
		if key != "" {
			in.askOverride(key)
			return
		}
	}
	req := app.DecisionRequest{Decision: d, Note: in.note.Text}
	if d == app.Refuse && in.reason.SelectedIndex() >= 0 {
		req.Reason = in.codes[in.reason.SelectedIndex()]
	}
	in.decideWith(req)
}

// decideWith records req off the UI goroutine, then clears the screen and
// returns the focus to the MRZ field for the next traveller.
func (in *inspection) decideWith(req app.DecisionRequest) {
	u := in.u
	if in.busy {
		return
	}
	decided := in.view
	in.setBusy(true)
	u.background(func() func() {
		c, err := u.booth.Decide(u.ctx(), req)
		return func() {
			in.setBusy(false)
			if u.insp != in {
				return
			}
			if err != nil {
				in.decideFailed(req, u.errText(err))
				return
			}
			if in.view == decided { // not when the next document came in meanwhile
				in.render(nil) // the traveller has gone: the next one's photo comes with their document
				in.verdict.decided(c)
				if c.Decision == app.Refuse {
					in.offerForm(c)
				}
				if c.Override != nil {
					in.verdict.sub.SetText(u.t("decided_override", c.Traveller.Surname))
				}
			}
			u.RefreshStatus()
			in.focusMRZ()
			u.presentWaiting()
		}
	})
}

// decideFailed says why a decision was not recorded and puts the focus where
// the officer supplies what was missing.
func (in *inspection) decideFailed(req app.DecisionRequest, msg string) {
	in.showMessage(msg)
	switch {
	case req.Decision == app.Refuse && req.Reason == "":
		in.u.focus(in.reason)
	case req.Decision == app.Refer && strings.TrimSpace(req.Note) == "":
		in.u.focus(in.note)
	}
}

// SetRefusalReason selects a refusal reason by code in the decision bar; false
// when the code is not offered. Tests and the demo automation use it; officers
// use the list.
func (u *UI) SetRefusalReason(code string) bool {
	if u.insp == nil {
		return false
	}
	for i, c := range u.insp.codes {
		if c == code {
			u.insp.reason.SetSelectedIndex(i)
			return true
		}
	}
	return false
}

// SetNote types into the decision bar's note field (tests and the demo automation).
func (u *UI) SetNote(s string) {
	if u.insp != nil {
		u.insp.note.SetText(s)
	}
}

// Verdict returns the verdict line on screen.
func (u *UI) Verdict() string {
	if u.insp == nil {
		return ""
	}
	return u.insp.verdict.txt.Text
}

// Inspection returns what the inspection screen shows now, nil when no document is on it.
func (u *UI) Inspection() *app.InspectionView {
	if u.insp == nil {
		return nil
	}
	return u.insp.view
}
