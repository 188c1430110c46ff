package ui

import (
	"fmt"
	"image"
	"image/color"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
)

// The inspection screen's panels. Each draws one part of an
// app.InspectionView (nil: no document on screen) and holds nothing of the
// booth: what they show comes in through render, what the officer does goes
// out through the funcs they are given.

// Limits that keep the inspection screen inside 1366×768 without scrolling.
const (
	maxHistory   = 5
	maxProblems  = 3
	maxWarnings  = 2
	maxUncertain = 6 // characters listed in words; the highlighted lines show them all
)

func panel(title string, content fyne.CanvasObject) fyne.CanvasObject {
	t := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewBorder(container.NewVBox(t, widget.NewSeparator()), nil, nil, nil, content)
}

// problemLabel is one line; what does not fit ends in an ellipsis (the
// audit log and the document panel keep the whole).
func problemLabel(text string, imp widget.Importance) *widget.Label {
	l := widget.NewLabel(text)
	l.Importance = imp
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// formRows builds the rows of a two-column form: a bold key, then its value.
type formRows struct {
	w    *words
	rows []fyne.CanvasObject
}

func (f *formRows) add(key, value string, imp widget.Importance, truncate bool) *widget.Label {
	l := widget.NewLabel(value)
	l.Importance = imp
	if truncate {
		l.Truncation = fyne.TextTruncateEllipsis
	}
	f.rows = append(f.rows, widget.NewLabelWithStyle(f.w.t(key), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}), l)
	return l
}

func setObjects(c *fyne.Container, objs []fyne.CanvasObject) {
	c.Objects = objs
	c.Refresh()
}

// verdictPanel is the band across the top: the verdict in words and colour.
type verdictPanel struct {
	w   *words
	bg  *canvas.Rectangle
	txt *canvas.Text
	sub *widget.Label
	obj fyne.CanvasObject
}

func newVerdictPanel(w *words) *verdictPanel {
	p := &verdictPanel{w: w}
	p.bg = canvas.NewRectangle(theme.Color(theme.ColorNameDisabledButton))
	p.bg.CornerRadius = 4
	p.txt = canvas.NewText("", color.White)
	p.txt.TextStyle.Bold = true
	p.txt.TextSize = 22
	p.sub = widget.NewLabel("")
	p.sub.Truncation = fyne.TextTruncateEllipsis
	p.obj = container.NewStack(p.bg, container.NewPadded(container.NewBorder(nil, nil, p.txt, nil, p.sub)))
	return p
}

// levelColour is the verdict's colour; the verdict's words always go with it.
func levelColour(l app.Level, idle bool) color.Color {
	switch {
	case idle:
		return theme.Color(theme.ColorNameDisabledButton)
	case l == app.LevelStop:
		return theme.Color(theme.ColorNameError)
	case l == app.LevelCaution:
		return theme.Color(theme.ColorNameWarning)
	}
	return theme.Color(theme.ColorNameSuccess)
}

func (p *verdictPanel) render(v *app.InspectionView) {
	w := p.w
	if v == nil {
		p.set(app.LevelGood, w.t("verdict.waiting"), w.t("verdict.waiting_sub"), true)
		return
	}
	// The level's word-sign leads, so no verdict is told by colour alone.
	p.set(v.Verdict.Level, w.t("level."+string(v.Verdict.Level))+": "+w.t(v.Verdict.Key), p.detail(v), false)
}

// decided says, on the empty screen, what became of the last traveller.
func (p *verdictPanel) decided(c app.Crossing) {
	p.sub.SetText(p.w.t("decided", p.w.t("decision."+string(c.Decision)), c.Traveller.Surname))
}

func (p *verdictPanel) set(l app.Level, text, sub string, idle bool) {
	p.bg.FillColor = levelColour(l, idle)
	p.bg.Refresh()
	p.txt.Text = text
	p.txt.Color = color.Color(color.White)
	if idle {
		p.txt.Color = theme.Color(theme.ColorNameForeground)
	}
	p.txt.Refresh()
	p.sub.SetText(sub)
}

func (p *verdictPanel) detail(v *app.InspectionView) string {
	w := p.w
	var parts []string
	if open, _ := v.Blocking(); len(open) > 0 {
		parts = append(parts, w.t("verdict.open_hits", len(open)))
	}
	if !v.Document.Valid {
		parts = append(parts, w.t("verdict.failed_checks", len(v.Document.Errors)))
	}
	if v.StayKnown && v.Stay.Overstay {
		parts = append(parts, w.t("stay.overstay_days", v.Stay.OverstayDays))
	}
	if v.ScreenError != nil {
		parts = append(parts, w.t("lists.not_screened"))
	}
	return strings.Join(parts, " · ")
}

// documentPanel is the document's fields as read, with their checks.
type documentPanel struct {
	w    *words
	form *fyne.Container
}

func newDocumentPanel(w *words) *documentPanel {
	return &documentPanel{w: w, form: container.New(layout.NewFormLayout())}
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func (p *documentPanel) render(v *app.InspectionView) {
	if v == nil {
		setObjects(p.form, nil)
		return
	}
	w, d := p.w, v.Document
	f := &formRows{w: w}
	format, validity := orDash(d.Format)+" · "+w.t("doc.valid"), widget.MediumImportance
	switch {
	case v.Inspection.Source == app.FromDataPage:
		// No MRZ, so no check digit: never "all checks pass".
		format, validity = w.t("doc.no_mrz"), widget.WarningImportance
	case !d.Valid:
		format, validity = orDash(d.Format)+" · "+w.t("doc.invalid"), widget.DangerImportance
	case v.NeedsLook():
		// Valid by its check digits, but not every character is vouched for:
		// never the plain "all checks pass".
		format, validity = orDash(d.Format)+" · "+w.t("doc.valid_unvouched", len(v.Uncertain)), widget.WarningImportance
	}
	if v.Inspection.Source != app.FromDataPage { // doc.no_mrz says it was typed
		format += " · " + w.t("source."+string(v.Inspection.Source))
	}
	f.add("doc.format", format, validity, true)
	state, stateImp := p.countryCheck(d, "issuing_state", "doc.check_state")
	f.add("doc.type", orDash(d.DocumentCode)+" · "+orDash(d.IssuingState)+state+" · "+orDash(d.Number), stateImp, true)
	f.add("doc.surname", orDash(d.Surname), widget.MediumImportance, true)
	f.add("doc.given", orDash(d.GivenNames), widget.MediumImportance, true)
	nat, natImp := p.countryCheck(d, "nationality", "doc.check_nationality")
	f.add("doc.nationality", orDash(d.Nationality)+nat+" · "+w.t("doc.sex")+" "+orDash(d.Sex), natImp, true)
	birth, ageImp := orDash(d.BirthDate), widget.MediumImportance
	if v.AgeKnown {
		birth += " · " + w.t("doc.age", v.Age)
		if v.Minor {
			birth, ageImp = birth+" · "+w.t("doc.minor"), widget.WarningImportance
		}
	}
	f.add("doc.birth", birth, ageImp, true)
	expiry := orDash(d.Expiry)
	switch {
	case d.Expiry == "":
	case v.Expired:
		expiry += " · " + w.t("doc.expired_ago", -v.ExpiresIn)
	default:
		expiry += " · " + w.t("doc.expires_in", v.ExpiresIn)
	}
	f.add("doc.expiry", expiry, importance(v.ExpiryLevel()), true)
	if c := v.Chip; c != nil { // the chip's result in words, when the booth reads chips
		imp := widget.SuccessImportance
		switch {
		case c.Stop():
			imp = widget.DangerImportance
		case c.State == app.ChipRefused || c.State == app.ChipUnreadable:
			imp = widget.WarningImportance
		case c.State == app.ChipAbsent:
			imp = widget.MediumImportance
		}
		f.add("doc.chip", w.t(c.Key()), imp, true)
		if c.State == app.ChipMismatch && c.DG1Name() != "" {
			f.add("doc.chip_says", c.DG1Name(), widget.DangerImportance, true)
		}
	}
	setObjects(p.form, f.rows)
}

// countryCheck is what the screen adds after a country code that is not on
// the ICAO list ("KRZ · check the nationality, printed KAZ / KGZ?"), and the
// row's importance; nothing for a listed code.
func (p *documentPanel) countryCheck(d app.Document, field, key string) (string, widget.Importance) {
	w, unknown := d.UnknownCode(field)
	if !unknown {
		return "", widget.MediumImportance
	}
	text := " · " + p.w.t("mark.warning") + " " + p.w.t(key)
	if len(w.Near) > 0 {
		text += ", " + p.w.t("doc.near", strings.Join(w.Near, " / "))
	}
	return text, widget.WarningImportance
}

// problemsPanel lists what the checks found, under the document's fields.
type problemsPanel struct {
	w   *words
	box *fyne.Container
}

func newProblemsPanel(w *words) *problemsPanel {
	return &problemsPanel{w: w, box: container.NewVBox()}
}

func (p *problemsPanel) render(v *app.InspectionView) {
	if v == nil {
		setObjects(p.box, nil)
		return
	}
	w, d := p.w, v.Document
	var probs []fyne.CanvasObject
	if len(v.Uncertain) > 0 {
		probs = append(probs, p.uncertainRows(v)...)
	}
	for i, pr := range d.Errors {
		if i == maxProblems {
			probs = append(probs, widget.NewLabel(w.t("more", len(d.Errors)-maxProblems)))
			break
		}
		probs = append(probs, problemLabel(w.t("mark.error")+" "+p.text(pr), widget.DangerImportance))
	}
	for i, pr := range d.Warnings {
		if i == maxWarnings {
			break
		}
		probs = append(probs, problemLabel(w.t("mark.warning")+" "+p.text(pr), widget.WarningImportance))
	}
	if len(d.Suggestions) > 0 {
		probs = append(probs, problemLabel(w.t("mrz.suggestion", strings.Join(d.Suggestions[0].Lines, " ")), widget.MediumImportance))
	}
	setObjects(p.box, probs)
}

// text is a problem in the officer's language: by code when the catalogue
// knows it, with where it is; the engine's English sentence otherwise.
func (p *problemsPanel) text(pr app.Problem) string {
	key := "mrz." + pr.Code
	text := pr.Message
	if p.w.has(key, text == "") {
		text = p.w.t(key)
		if pr.Value != "" {
			text = p.w.t(key, pr.Value) // a warning about one field names its value
		}
	}
	if pr.Line > 0 {
		text += " " + p.w.t("mrz.where", pr.Line, pr.Start)
	}
	return text
}

// uncertainRows says which characters of a camera read the check digits cannot
// vouch for — in words (line and position, 1-based as printed on the page) and
// highlighted in the MRZ lines that hold them — so the officer compares them
// with the document.
func (p *problemsPanel) uncertainRows(v *app.InspectionView) []fyne.CanvasObject {
	var where []string
	for i, c := range v.Uncertain {
		if i == maxUncertain {
			where = append(where, "…")
			break
		}
		where = append(where, p.w.t("doc.uncertain_at", c.Line+1, c.Column+1, c.Char))
	}
	note := problemLabel(p.w.t("mark.warning")+" "+p.w.t("doc.check_reading", strings.Join(where, ", ")), widget.WarningImportance)
	note.Truncation, note.Wrapping = fyne.TextTruncateOff, fyne.TextWrapWord // the positions are the point: never cut them off
	rows := []fyne.CanvasObject{note}
	marked := map[int][]int{}
	for _, c := range v.Uncertain {
		marked[c.Line] = append(marked[c.Line], c.Column)
	}
	for l, line := range v.Inspection.Lines {
		if cols := marked[l]; len(cols) > 0 {
			rows = append(rows, markedLine(line, cols))
		}
	}
	return rows
}

// markedLine is an MRZ line with the characters at cols in brackets, bold
// and red: the mark is not told by colour alone.
func markedLine(line string, cols []int) *widget.RichText {
	plain := widget.RichTextStyle{Inline: true, TextStyle: fyne.TextStyle{Monospace: true}}
	mark := widget.RichTextStyle{Inline: true, TextStyle: fyne.TextStyle{Monospace: true, Bold: true}, ColorName: theme.ColorNameError}
	var segs []widget.RichTextSegment
	from := 0
	slices.Sort(cols)
	for _, c := range cols {
		if c < from || c >= len(line) {
			continue
		}
		if c > from {
			segs = append(segs, &widget.TextSegment{Style: plain, Text: line[from:c]})
		}
		segs = append(segs, &widget.TextSegment{Style: mark, Text: "[" + line[c:c+1] + "]"})
		from = c + 1
	}
	if from < len(line) {
		segs = append(segs, &widget.TextSegment{Style: plain, Text: line[from:]})
	}
	return widget.NewRichText(segs...)
}

// photoPanel is the traveller's photo beside the document's page, and the
// chip's photo with the chip's result in words when the booth reads chips.
type photoPanel struct {
	w                         *words
	face, page, chip          *canvas.Image
	faceMsg, pageMsg, chipMsg *widget.Label
	chipState                 *widget.Label
	faceCol, chipCol, pageCol fyne.CanvasObject
	grid                      *fyne.Container
	obj                       fyne.CanvasObject
}

func newPhotoPanel(w *words) *photoPanel {
	p := &photoPanel{w: w}
	p.face = canvas.NewImageFromImage(nil)
	p.face.FillMode = canvas.ImageFillContain
	p.face.SetMinSize(fyne.NewSize(110, 130))
	p.page = canvas.NewImageFromImage(nil)
	p.page.FillMode = canvas.ImageFillContain
	p.page.SetMinSize(fyne.NewSize(120, 130))
	// Every label here shrinks (ellipsis), so no language widens the column.
	short := func(text string) *widget.Label {
		l := widget.NewLabel(text)
		l.Truncation = fyne.TextTruncateEllipsis
		l.Alignment = fyne.TextAlignCenter
		return l
	}
	// What stands in for a missing picture has the picture's height: it
	// wraps there instead ("No picture of the traveller" was cut to "No
	// picture of the tr…" three columns wide).
	inPlace := func(text string) *widget.Label {
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		l.Alignment = fyne.TextAlignCenter
		return l
	}
	p.faceMsg, p.pageMsg = inPlace(w.t("photo.none")), inPlace(w.t("docimage.none"))
	p.chip = canvas.NewImageFromImage(nil)
	p.chip.FillMode = canvas.ImageFillContain
	p.chip.SetMinSize(fyne.NewSize(110, 130))
	// The chip's result is a row of the document panel; here only its photo.
	p.chipMsg, p.chipState = inPlace(w.t("chip.none")), short(w.t("chip.photo"))
	p.chipCol = container.NewBorder(nil, p.chipState, nil, nil, container.NewStack(p.chip, p.chipMsg))
	p.faceCol = container.NewBorder(nil, short(w.t("photo.traveller")), nil, nil, container.NewStack(p.face, p.faceMsg))
	p.pageCol = container.NewBorder(nil, short(w.t("photo.document")), nil, nil, container.NewStack(p.page, p.pageMsg))
	p.grid = container.NewGridWithColumns(2, p.faceCol, p.pageCol)
	p.obj = p.grid
	return p
}

func (p *photoPanel) render(v *app.InspectionView) {
	var face, page image.Image
	if v != nil {
		face, page = v.Face, v.Image
	}
	show(p.face, p.faceMsg, face)
	show(p.page, p.pageMsg, page)
	// The chip's photo stands beside the camera's, its result in words under it.
	if v == nil || v.Chip == nil {
		p.columns(p.faceCol, p.pageCol)
		return
	}
	p.columns(p.faceCol, p.chipCol, p.pageCol)
	show(p.chip, p.chipMsg, v.Chip.FaceImage)
	if v.Chip.Stop() {
		p.chipState.Importance = widget.DangerImportance
	} else {
		p.chipState.Importance = widget.MediumImportance
	}
	p.chipState.Refresh()
}

// columns lays the photos out side by side, a column each.
func (p *photoPanel) columns(cols ...fyne.CanvasObject) {
	if len(p.grid.Objects) == len(cols) {
		return
	}
	p.grid.Layout = layout.NewGridLayoutWithColumns(len(cols))
	p.grid.Objects = cols
	p.grid.Refresh()
}

// show puts img in c, or says there is none.
func show(c *canvas.Image, none *widget.Label, img image.Image) {
	c.Image = img
	c.Refresh()
	if img == nil {
		none.Show()
	} else {
		none.Hide()
	}
}

// hitsPanel is the lists' answer: every hit, how it was resolved, its
// instruction and its evidence strongest first, and the buttons that resolve
// the first open one. The panel scrolls, so several hits each show in full.
type hitsPanel struct {
	w       *words
	box     *fyne.Container
	resolve func(listID string, confirmed bool)
	rely    func(listID string) // resolve as an earlier resolution did
	buttons []*widget.Button
	// expanded are the hits whose every reason is open, for the inspection
	// shown (shown); another inspection starts with the strongest only.
	expanded map[string]bool
	shown    string
	last     *app.InspectionView
}

func newHitsPanel(w *words, resolve func(listID string, confirmed bool), rely func(listID string)) *hitsPanel {
	return &hitsPanel{w: w, box: container.NewVBox(), resolve: resolve, rely: rely, expanded: map[string]bool{}}
}

func (p *hitsPanel) render(v *app.InspectionView) {
	w := p.w
	p.buttons = nil
	p.last = v
	if v == nil {
		setObjects(p.box, []fyne.CanvasObject{widget.NewLabel(w.t("lists.waiting"))})
		return
	}
	if v.Inspection.ID != p.shown {
		p.shown, p.expanded = v.Inspection.ID, map[string]bool{}
	}
	var objs []fyne.CanvasObject
	switch {
	case v.ScreenError != nil:
		objs = append(objs, problemLabel(w.t("mark.warning")+" "+w.problem(v.ScreenError), widget.WarningImportance))
	case !v.Screened:
		// Nothing was screened (no name, no number read): never "no hits".
		objs = append(objs, problemLabel(w.t("mark.warning")+" "+w.t("lists.not_screened"), widget.WarningImportance))
	case len(v.Hits) == 0:
		l := widget.NewLabel(w.t("mark.ok") + " " + w.t("lists.none"))
		l.Importance = widget.SuccessImportance
		objs = append(objs, l)
	}
	open := ""
	for _, h := range v.Hits {
		if !h.Resolved && open == "" {
			open = h.ListID
		}
	}
	if open != "" { // the hotkeys work on the first open hit; so do the buttons, above the hits
		confirm := widget.NewButton(w.t("hit.confirm")+" (Alt+C)", func() { p.resolve(open, true) })
		falseMatch := widget.NewButton(w.t("hit.mark_false")+" (Alt+F)", func() { p.resolve(open, false) })
		p.buttons = append(p.buttons, confirm, falseMatch)
		objs = append(objs, container.NewHBox(confirm, falseMatch))
	}
	for _, h := range v.Hits {
		objs = append(objs, p.card(h, len(v.Hits)))
	}
	setObjects(p.box, objs)
}

// setBusy disables the resolve buttons while a resolution is being recorded.
func (p *hitsPanel) setBusy(busy bool) {
	for _, b := range p.buttons {
		enable(b, !busy)
	}
}

// strongestShown is how many reasons a hit shows, strongest first, while
// other hits share the panel; the rest open with one button.
const strongestShown = 3

func (p *hitsPanel) card(h app.HitView, n int) fyne.CanvasObject {
	w := p.w
	state, imp := w.t("hit.open"), widget.DangerImportance
	switch {
	case h.Resolved && h.Confirmed:
		state = w.t("hit.confirmed")
	case h.Resolved:
		state, imp = w.t("hit.false_match", h.Note), widget.WarningImportance
	}
	title := widget.NewLabel(fmt.Sprintf("%s · %s · %s %.2f · %s", w.t("cat."+h.Category), w.t("kind."+h.Kind), w.t("hit.score"), h.Score, state))
	title.Importance = imp
	title.TextStyle.Bold = true
	title.Wrapping = fyne.TextWrapWord
	card := []fyne.CanvasObject{title}
	if h.Hit.Note != "" {
		// The list entry's instruction ("Entry ban until 2029", "Reported
		// stolen in Osh") is what the officer must act on: in full, in bold.
		instr := widget.NewLabel("⚑ " + h.Hit.Note)
		instr.Importance = imp
		instr.TextStyle.Bold = true
		instr.Wrapping = fyne.TextWrapWord
		card = append(card, instr)
	}
	if h.Listed != "" {
		listed := widget.NewLabel(w.t("hit.listed", h.Listed))
		listed.Wrapping = fyne.TextWrapWord
		card = append(card, listed)
	}
	card = append(card, p.earlierRows(h)...)
	ev := h.Evidence()
	shown := ev
	folded := n > 1 && len(ev) > strongestShown && !p.expanded[h.ListID]
	if folded {
		shown = ev[:strongestShown]
	}
	for _, r := range shown {
		l := widget.NewLabel("• " + p.reason(r))
		l.Wrapping = fyne.TextWrapWord
		card = append(card, l)
	}
	if n > 1 && len(ev) > strongestShown {
		id, text := h.ListID, w.t("hit.more_reasons", len(ev))
		if !folded {
			text = w.t("hit.fewer_reasons")
		}
		toggle := widget.NewButton(text, func() {
			p.expanded[id] = !p.expanded[id]
			p.render(p.last)
		})
		toggle.Importance = widget.LowImportance
		card = append(card, container.NewHBox(toggle))
	}
	return container.NewVBox(append(card, widget.NewSeparator())...)
}

// reason is one reason in the officer's language: by its key, its words
// translated; the engine's English when the booth has no words for it.
func (p *hitsPanel) reason(r app.Reason) string {
	if r.Key == "" || !p.w.has(r.Key, true) {
		return r.Text
	}
	args := make([]any, len(r.Args))
	for i, a := range r.Args {
		if word, ok := a.(app.ReasonWord); ok {
			a = p.w.t("reason.word." + string(word))
		}
		args[i] = a
	}
	return p.w.t(r.Key, args...)
}

// earlierRows shows the newest earlier resolution of hit h for this
// traveller and, while h is open, a button to rely on it (Alt+E).
func (p *hitsPanel) earlierRows(h app.HitView) []fyne.CanvasObject {
	if len(h.Earlier) == 0 {
		return nil
	}
	w := p.w
	e := h.Earlier[0]
	how := w.t("earlier.false_match")
	if e.Confirmed {
		how = w.t("earlier.confirmed")
	}
	text := w.t("earlier.line", how, e.At.Format("2006-01-02"), e.OfficerID, e.Post, e.Note)
	if len(h.Earlier) > 1 {
		text += " " + w.t("more", len(h.Earlier)-1)
	}
	l := widget.NewLabel(text)
	l.Importance = widget.WarningImportance
	l.Wrapping = fyne.TextWrapWord
	rows := []fyne.CanvasObject{l}
	if !h.Resolved {
		id := h.ListID
		b := widget.NewButton(w.t("earlier.rely")+" (Alt+E)", func() { p.rely(id) })
		p.buttons = append(p.buttons, b)
		rows = append(rows, b)
	}
	return rows
}

// historyPanel is the traveller's crossings, newest first.
type historyPanel struct {
	w   *words
	box *fyne.Container
}

func newHistoryPanel(w *words) *historyPanel {
	return &historyPanel{w: w, box: container.NewVBox()}
}

func (p *historyPanel) render(v *app.InspectionView) {
	if v == nil {
		setObjects(p.box, nil)
		return
	}
	w := p.w
	var hist []fyne.CanvasObject
	switch {
	case v.HistoryError != nil:
		hist = append(hist, problemLabel(w.t("mark.warning")+" "+w.problem(v.HistoryError), widget.WarningImportance))
	case len(v.History) == 0 && v.National != app.NationalAsking:
		hist = append(hist, widget.NewLabel(w.t("history.none")))
	}
	switch v.National {
	case app.NationalAsking:
		hist = append(hist, widget.NewLabel(w.t("history.asking")))
	case app.NationalUnavailable:
		hist = append(hist, problemLabel(w.t("mark.warning")+" "+w.t("history.unavailable"), widget.WarningImportance))
	}
	for i, c := range v.History {
		if i == maxHistory {
			hist = append(hist, widget.NewLabel(w.t("history.more", len(v.History)-maxHistory)))
			break
		}
		line := fmt.Sprintf("%s · %s · %s · %s", c.BoothTime.Format("2006-01-02"), w.t("dir."+string(c.Direction)), c.Post, w.t("decision."+string(c.Decision)))
		if v.National != app.NationalNone || v.SourceOf(c) != app.SourceLocal {
			// Where the line was recorded is the post; where this booth learnt
			// of it matters once there is more than its own store.
			line += " · " + w.t("history.source."+v.SourceOf(c))
		}
		if c.RefusalReason != "" {
			line += " (" + c.RefusalReason + ")"
		}
		l := widget.NewLabel(line)
		l.Truncation = fyne.TextTruncateEllipsis
		if c.Decision == app.Refuse {
			l.Importance = widget.DangerImportance
		}
		hist = append(hist, l)
	}
	setObjects(p.box, hist)
}

// stayPanel is the stay under the traveller's rule: days used and left.
type stayPanel struct {
	w    *words
	form *fyne.Container
}

func newStayPanel(w *words) *stayPanel {
	return &stayPanel{w: w, form: container.New(layout.NewFormLayout())}
}

func (p *stayPanel) render(v *app.InspectionView) {
	if v == nil {
		setObjects(p.form, nil)
		return
	}
	w, st := p.w, v.Stay
	f := &formRows{w: w}
	switch {
	case v.StayError != nil || !v.StayKnown:
		msg := w.t("stay.unknown")
		if v.StayError != nil {
			msg = w.problem(v.StayError)
		}
		f.add("stay.rule", msg, widget.WarningImportance, false)
	case st.Free:
		f.add("stay.rule", w.t("stay.free"), widget.SuccessImportance, false)
	case st.Rule == "":
		f.add("stay.rule", w.t("stay.no_rule"), widget.MediumImportance, false)
	default:
		// The rule in the officer's words, from what it says (the rules
		// file names it in one language only).
		rule := st.Rule
		switch {
		case st.LimitDays > 0:
			rule = w.t("rule.limited", st.LimitDays, st.WindowDays)
		case st.VisaRequired:
			rule = w.t("rule.visa_required")
		}
		f.add("stay.rule", rule, widget.MediumImportance, false).Wrapping = fyne.TextWrapWord
		f.add("stay.used", fmt.Sprint(st.DaysUsed), widget.MediumImportance, false)
		left := importance(v.StayLevel())
		f.add("stay.left", fmt.Sprint(st.DaysLeft), left, false)
		if !st.LastDay.IsZero() {
			f.add("stay.last_day", st.LastDay.Format("2006-01-02"), left, false)
		}
		if st.Overstay {
			f.add("stay.overstay", w.t("mark.error")+" "+w.t("stay.overstay_days", st.OverstayDays), widget.DangerImportance, false)
		}
		if st.VisaRequired {
			f.add("stay.visa", w.t("stay.visa_required"), widget.WarningImportance, false)
		}
	}
	if key, args := v.StayReason(); key != "" {
		// Which rule applied and why, always: a misread nationality must not
		// silently choose a foreigner's rule.
		f.add("stay.why", w.t(key, args...), importance(v.StayReasonLevel()), false).Wrapping = fyne.TextWrapWord
	}
	for _, a := range st.Anomalies {
		f.add("stay.note", w.t("mark.warning")+" "+w.t("anomaly."+a), widget.WarningImportance, false)
	}
	setObjects(p.form, f.rows)
}

// enable enables or disables a button.
func enable(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}
