package ui

import (
	"fmt"
	"image"
	"image/color"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
)

// Limits that keep the inspection screen inside 1366×768 without scrolling.
const (
	maxHits     = 3
	maxHistory  = 5
	maxProblems = 3
)

// inspection is the primary inspection screen.
type inspection struct {
	u *UI

	header     *widget.Label
	dirButton  *widget.Button
	verdictBg  *canvas.Rectangle
	verdict    *canvas.Text
	verdictSub *widget.Label

	document *fyne.Container
	problems *fyne.Container
	photo    *canvas.Image
	docImage *canvas.Image
	photoMsg *widget.Label
	docMsg   *widget.Label
	lists    *fyne.Container
	history  *fyne.Container
	stay     *fyne.Container

	mrz     *widget.Entry
	mrzBuf  []string
	pending *widget.Label
	reason  *widget.Select
	codes   []string
	note    *widget.Entry
	message *widget.Label

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
	in.clear()
	in.focusMRZ()
}

func (in *inspection) build() fyne.CanvasObject {
	u := in.u
	in.header = widget.NewLabel("")
	in.header.TextStyle.Bold = true
	in.dirButton = widget.NewButton("", in.toggleDirection)
	in.verdictBg = canvas.NewRectangle(theme.Color(theme.ColorNameDisabledButton))
	in.verdictBg.CornerRadius = 4
	in.verdict = canvas.NewText("", color.White)
	in.verdict.TextStyle.Bold = true
	in.verdict.TextSize = 22
	in.verdictSub = widget.NewLabel("")
	in.verdictSub.Truncation = fyne.TextTruncateEllipsis
	verdict := container.NewStack(in.verdictBg, container.NewPadded(container.NewBorder(nil, nil, in.verdict, nil, in.verdictSub)))
	top := container.NewBorder(nil, nil, in.header, in.dirButton, verdict)

	in.document = container.New(layout.NewFormLayout())
	in.problems = container.NewVBox()
	docPanel := panel(u.t("panel.document"), container.NewVBox(in.document, in.problems))

	in.photo = canvas.NewImageFromImage(nil)
	in.photo.FillMode = canvas.ImageFillContain
	in.photo.SetMinSize(fyne.NewSize(120, 130))
	in.docImage = canvas.NewImageFromImage(nil)
	in.docImage.FillMode = canvas.ImageFillContain
	in.docImage.SetMinSize(fyne.NewSize(180, 130))
	// Every label here shrinks (ellipsis), so no language widens the column.
	short := func(text string) *widget.Label {
		l := widget.NewLabel(text)
		l.Truncation = fyne.TextTruncateEllipsis
		l.Alignment = fyne.TextAlignCenter
		return l
	}
	in.photoMsg, in.docMsg = short(u.t("photo.none")), short(u.t("docimage.none"))
	photos := container.NewGridWithColumns(2,
		container.NewBorder(nil, short(u.t("photo.traveller")), nil, nil, container.NewStack(in.photo, in.photoMsg)),
		container.NewBorder(nil, short(u.t("photo.document")), nil, nil, container.NewStack(in.docImage, in.docMsg)),
	)
	in.lists = container.NewVBox()
	middle := container.NewBorder(panel(u.t("panel.photo"), photos), nil, nil, nil, panel(u.t("panel.lists"), in.lists))

	in.history = container.NewVBox()
	in.stay = container.New(layout.NewFormLayout())
	right := container.NewBorder(panel(u.t("panel.stay"), in.stay), nil, nil, nil, panel(u.t("panel.history"), in.history))

	body := container.NewGridWithColumns(3, docPanel, middle, right)

	in.mrz = widget.NewEntry()
	in.mrz.SetPlaceHolder(u.t("mrz.placeholder"))
	in.mrz.TextStyle.Monospace = true
	in.mrz.OnSubmitted = in.mrzSubmitted
	in.mrz.OnChanged = func(string) { u.touch() }
	in.pending = widget.NewLabel("")
	mrzRow := container.NewBorder(nil, nil, widget.NewLabel(u.t("mrz.label")), in.pending, in.mrz)

	reasons := u.booth.Reasons.Reasons
	opts := make([]string, len(reasons))
	in.codes = make([]string, len(reasons))
	for i, r := range reasons {
		in.codes[i] = r.Code
		opts[i] = shorten(r.Code+" — "+r.TextIn(u.lang), 60)
	}
	in.reason = widget.NewSelect(opts, nil)
	in.reason.PlaceHolder = u.t("decide.reason")
	in.note = widget.NewEntry()
	in.note.SetPlaceHolder(u.t("decide.note"))
	in.note.OnChanged = func(string) { u.touch() }
	admit := widget.NewButtonWithIcon(u.t("decide.admit")+" (Alt+A)", theme.ConfirmIcon(), func() { in.decide(app.Admit) })
	admit.Importance = widget.SuccessImportance
	refuse := widget.NewButtonWithIcon(u.t("decide.refuse")+" (Alt+R)", theme.CancelIcon(), func() { in.decide(app.Refuse) })
	refuse.Importance = widget.DangerImportance
	refer := widget.NewButtonWithIcon(u.t("decide.refer")+" (Alt+S)", theme.QuestionIcon(), func() { in.decide(app.Refer) })
	refer.Importance = widget.WarningImportance
	right2 := []fyne.CanvasObject{refuse, refer}
	if u.cfg.NextTraveller != nil {
		right2 = append(right2, widget.NewButtonWithIcon(u.t("decide.next")+" (Alt+N)", theme.MediaSkipNextIcon(), func() {
			u.touch()
			u.cfg.NextTraveller()
		}))
	}
	// Two rows, so the bar fits 1366 wide in every language: what goes with a
	// decision (reason, note), then the decisions.
	decisions := container.NewVBox(
		container.NewGridWithColumns(2, in.reason, in.note),
		container.NewHBox(append([]fyne.CanvasObject{admit}, right2...)...),
	)
	in.message = widget.NewLabel("")
	in.message.Importance = widget.DangerImportance
	in.message.Truncation = fyne.TextTruncateEllipsis

	bottom := container.NewVBox(mrzRow, decisions, in.message, u.status.box)
	in.refreshHeader()
	in.root = container.NewBorder(top, bottom, nil, nil, body)
	return in.root
}

func panel(title string, content fyne.CanvasObject) fyne.CanvasObject {
	t := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewBorder(container.NewVBox(t, widget.NewSeparator()), nil, nil, nil, content)
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

func (in *inspection) toggleDirection() {
	u := in.u
	d := app.Exit
	if u.booth.Session().Shift.Direction == app.Exit {
		d = app.Entry
	}
	if err := u.booth.SetDirection(u.ctx(), d); err != nil {
		in.showMessage(u.errText(err))
		return
	}
	in.refreshHeader()
	in.focusMRZ()
}

func (in *inspection) focusMRZ() { in.u.focus(in.mrz) }

func (in *inspection) showMessage(s string) {
	in.u.message = s
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
	lines := in.mrzBuf
	in.mrzBuf = nil
	in.pending.SetText("")
	u.Present(app.ReaderEvent{Kind: app.ReaderDocument, Lines: lines, Source: app.FromKeyboard, At: time.Now()})
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

func (in *inspection) clear() {
	u := in.u
	in.view = nil
	in.setVerdict(app.LevelGood, u.t("verdict.waiting"), u.t("verdict.waiting_sub"), true)
	in.document.Objects = nil
	in.document.Refresh()
	in.problems.Objects = nil
	in.problems.Refresh()
	in.lists.Objects = []fyne.CanvasObject{widget.NewLabel(u.t("lists.waiting"))}
	in.lists.Refresh()
	in.history.Objects = nil
	in.history.Refresh()
	in.stay.Objects = nil
	in.stay.Refresh()
	in.docImage.Image = nil
	in.docImage.Refresh()
	in.docMsg.Show()
	in.setPhoto(nil)
	in.reason.ClearSelected()
	in.note.SetText("")
	in.message.SetText("")
	if in.root != nil {
		in.root.Refresh()
	}
}

func (in *inspection) setPhoto(img image.Image) {
	in.photo.Image = img
	in.photo.Refresh()
	if img == nil {
		in.photoMsg.Show()
	} else {
		in.photoMsg.Hide()
	}
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

// levelMark is the verdict's word-sign, so no verdict is told by colour alone.
func (in *inspection) levelMark(l app.Level) string {
	return in.u.t("level." + string(l))
}

func (in *inspection) setVerdict(l app.Level, text, sub string, idle bool) {
	in.verdictBg.FillColor = levelColour(l, idle)
	in.verdictBg.Refresh()
	in.verdict.Text = text
	if idle {
		in.verdict.Color = theme.Color(theme.ColorNameForeground)
	} else {
		in.verdict.Color = color.White
	}
	in.verdict.Refresh()
	in.verdictSub.SetText(sub)
}

// render draws one inspection.
func (in *inspection) render(v *app.InspectionView) {
	u := in.u
	if in.view == nil || in.view.Inspection.ID != v.Inspection.ID {
		// Every field of a decision belongs to its inspection only.
		in.reason.ClearSelected()
		in.note.SetText("")
	}
	in.view = v
	d := v.Document
	in.setPhoto(v.Face)
	in.setVerdict(v.Verdict.Level, in.levelMark(v.Verdict.Level)+": "+u.t(v.Verdict.Key), in.verdictDetail(v), false)

	val := func(s string) string {
		if s == "" {
			return "—"
		}
		return s
	}
	var rows []fyne.CanvasObject
	add := func(key, value string, imp widget.Importance) {
		l := widget.NewLabel(value)
		l.Importance = imp
		l.Truncation = fyne.TextTruncateEllipsis
		rows = append(rows, widget.NewLabelWithStyle(u.t(key), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}), l)
	}
	format := val(d.Format)
	if d.Valid {
		format += " · " + u.t("doc.valid")
	} else {
		format += " · " + u.t("doc.invalid")
	}
	validity := widget.MediumImportance
	if !d.Valid {
		validity = widget.DangerImportance
	} else if v.NeedsLook() {
		// Valid by its check digits, but not every character is vouched for:
		// never the plain "all checks pass".
		format = val(d.Format) + " · " + u.t("doc.valid_unvouched", len(v.Uncertain))
		validity = widget.WarningImportance
	}
	add("doc.format", format+" · "+u.t("source."+string(v.Inspection.Source)), validity)
	state, stateImp := in.countryCheck(d, "issuing_state", "doc.check_state")
	add("doc.type", val(d.DocumentCode)+" · "+val(d.IssuingState)+state+" · "+val(d.Number), stateImp)
	add("doc.surname", val(d.Surname), widget.MediumImportance)
	add("doc.given", val(d.GivenNames), widget.MediumImportance)
	nat, natImp := in.countryCheck(d, "nationality", "doc.check_nationality")
	add("doc.nationality", val(d.Nationality)+nat+" · "+u.t("doc.sex")+" "+val(d.Sex), natImp)
	birth := val(d.BirthDate)
	ageImp := widget.MediumImportance
	if v.AgeKnown {
		birth += " · " + u.t("doc.age", v.Age)
		if v.Minor {
			birth += " · " + u.t("doc.minor")
			ageImp = widget.WarningImportance
		}
	}
	add("doc.birth", birth, ageImp)
	expiry := val(d.Expiry)
	expImp := widget.MediumImportance
	if d.Expiry != "" {
		switch {
		case v.Expired:
			expiry += " · " + u.t("doc.expired_ago", -v.ExpiresIn)
			expImp = widget.DangerImportance
		case v.ExpiresIn < 30:
			expiry += " · " + u.t("doc.expires_in", v.ExpiresIn)
			expImp = widget.WarningImportance
		default:
			expiry += " · " + u.t("doc.expires_in", v.ExpiresIn)
		}
	}
	add("doc.expiry", expiry, expImp)
	in.document.Objects = rows
	in.document.Refresh()

	var probs []fyne.CanvasObject
	if len(v.Uncertain) > 0 {
		probs = append(probs, in.uncertainRows(v)...)
	}
	for i, p := range d.Errors {
		if i == maxProblems {
			probs = append(probs, widget.NewLabel(u.t("more", len(d.Errors)-maxProblems)))
			break
		}
		probs = append(probs, problemLabel(u.t("mark.error")+" "+in.problemText(p), widget.DangerImportance))
	}
	for i, p := range d.Warnings {
		if i == 2 {
			break
		}
		probs = append(probs, problemLabel(u.t("mark.warning")+" "+in.problemText(p), widget.WarningImportance))
	}
	if len(d.Suggestions) > 0 {
		probs = append(probs, problemLabel(u.t("mrz.suggestion", strings.Join(d.Suggestions[0].Lines, " ")), widget.MediumImportance))
	}
	in.problems.Objects = probs
	in.problems.Refresh()

	if v.Image != nil {
		in.docImage.Image = v.Image
		in.docMsg.Hide()
	} else {
		in.docImage.Image = nil
		in.docMsg.Show()
	}
	in.docImage.Refresh()

	in.renderHits(v)
	in.renderHistory(v)
	in.message.SetText("")
	in.u.message = ""
	in.root.Refresh() // panels changed size: lay the whole screen out again
}

// maxUncertain bounds the characters listed in words; the highlighted lines
// show them all.
const maxUncertain = 6

// uncertainRows says which characters of a camera read the check digits cannot
// vouch for — in words (line and position, 1-based as printed on the page) and
// highlighted in the MRZ lines that hold them — so the officer compares them
// with the document.
func (in *inspection) uncertainRows(v *app.InspectionView) []fyne.CanvasObject {
	u := in.u
	var where []string
	for i, c := range v.Uncertain {
		if i == maxUncertain {
			where = append(where, "…")
			break
		}
		where = append(where, u.t("doc.uncertain_at", c.Line+1, c.Column+1, c.Char))
	}
	note := problemLabel(u.t("mark.warning")+" "+u.t("doc.check_reading", strings.Join(where, ", ")), widget.WarningImportance)
	note.Truncation, note.Wrapping = fyne.TextTruncateOff, fyne.TextWrapWord // the positions are the point: never cut them off
	rows := []fyne.CanvasObject{note}
	lines := v.Inspection.Lines
	marked := map[int][]int{}
	for _, c := range v.Uncertain {
		marked[c.Line] = append(marked[c.Line], c.Column)
	}
	plain := widget.RichTextStyle{Inline: true, TextStyle: fyne.TextStyle{Monospace: true}}
	mark := widget.RichTextStyle{Inline: true, TextStyle: fyne.TextStyle{Monospace: true, Bold: true}, ColorName: theme.ColorNameError}
	for l, line := range lines {
		cols := marked[l]
		if len(cols) == 0 {
			continue
		}
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
			// Brackets as well as colour and weight: the mark is not told by colour alone.
			segs = append(segs, &widget.TextSegment{Style: mark, Text: "[" + line[c:c+1] + "]"})
			from = c + 1
		}
		if from < len(line) {
			segs = append(segs, &widget.TextSegment{Style: plain, Text: line[from:]})
		}
		rows = append(rows, widget.NewRichText(segs...))
	}
	return rows
}

// problemLabel is one line; what does not fit ends in an ellipsis (the
// audit log and the document panel keep the whole).
func problemLabel(text string, imp widget.Importance) *widget.Label {
	l := widget.NewLabel(text)
	l.Importance = imp
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// problemText is a problem in the officer's language: by code when the
// catalogue knows it, with where it is; the engine's English sentence otherwise.
// countryCheck is what the screen adds after a country code that is not on
// the ICAO list ("KRZ · check the nationality, printed KAZ / KGZ?"), and the
// row's importance; nothing for a listed code.
func (in *inspection) countryCheck(d app.Document, field, key string) (string, widget.Importance) {
	w, unknown := d.UnknownCode(field)
	if !unknown {
		return "", widget.MediumImportance
	}
	text := " · " + in.u.t("mark.warning") + " " + in.u.t(key)
	if len(w.Near) > 0 {
		text += ", " + in.u.t("doc.near", strings.Join(w.Near, " / "))
	}
	return text, widget.WarningImportance
}

func (in *inspection) problemText(p app.Problem) string {
	u := in.u
	key := "mrz." + p.Code
	text := p.Message
	if u.cat.Has(u.lang, key) || (text == "" && u.cat.Has("en", key)) {
		text = u.t(key)
		if p.Value != "" {
			text = u.t(key, p.Value) // a warning about one field names its value
		}
	}
	if p.Line > 0 {
		text += " " + u.t("mrz.where", p.Line, p.Start)
	}
	return text
}

func (in *inspection) verdictDetail(v *app.InspectionView) string {
	u := in.u
	var parts []string
	if open, _ := v.Blocking(); len(open) > 0 {
		parts = append(parts, u.t("verdict.open_hits", len(open)))
	}
	if !v.Document.Valid {
		parts = append(parts, u.t("verdict.failed_checks", len(v.Document.Errors)))
	}
	if v.StayKnown && v.Stay.Overstay {
		parts = append(parts, u.t("stay.overstay_days", v.Stay.OverstayDays))
	}
	if v.ScreenError != nil {
		parts = append(parts, u.t("lists.not_screened"))
	}
	return strings.Join(parts, " · ")
}

func (in *inspection) renderHits(v *app.InspectionView) {
	u := in.u
	var objs []fyne.CanvasObject
	switch {
	case v.ScreenError != nil:
		objs = append(objs, problemLabel(u.t("mark.warning")+" "+u.problem(v.ScreenError), widget.WarningImportance))
	case !v.Screened:
		// Nothing was screened (no name, no number read): never "no hits".
		objs = append(objs, problemLabel(u.t("mark.warning")+" "+u.t("lists.not_screened"), widget.WarningImportance))
	case len(v.Hits) == 0:
		l := widget.NewLabel(u.t("mark.ok") + " " + u.t("lists.none"))
		l.Importance = widget.SuccessImportance
		objs = append(objs, l)
	}
	open := ""
	for i, h := range v.Hits {
		if i == maxHits {
			objs = append(objs, widget.NewLabel(u.t("more", len(v.Hits)-maxHits)))
			break
		}
		objs = append(objs, in.hitCard(h, len(v.Hits)))
		if !h.Resolved && open == "" {
			open = h.ListID
		}
	}
	if open != "" { // the hotkeys work on the first open hit; so do the buttons
		objs = append(objs, container.NewHBox(
			widget.NewButton(u.t("hit.confirm")+" (Alt+C)", func() { in.resolve(open, true) }),
			widget.NewButton(u.t("hit.mark_false")+" (Alt+F)", func() { in.resolve(open, false) }),
		))
	}
	in.lists.Objects = objs
	in.lists.Refresh()
}

func (in *inspection) hitCard(h app.HitView, n int) fyne.CanvasObject {
	u := in.u
	state, imp := u.t("hit.open"), widget.DangerImportance
	switch {
	case h.Resolved && h.Confirmed:
		state = u.t("hit.confirmed")
	case h.Resolved:
		state, imp = u.t("hit.false_match", h.Note), widget.WarningImportance
	}
	title := widget.NewLabel(fmt.Sprintf("%s · %s · %s %.2f · %s", u.t("cat."+h.Category), u.t("kind."+h.Kind), u.t("hit.score"), h.Score, state))
	title.Importance = imp
	title.TextStyle.Bold = true
	title.Truncation = fyne.TextTruncateEllipsis
	card := []fyne.CanvasObject{title}
	if h.Hit.Note != "" {
		// The list entry's instruction ("Entry ban until 2029", "Report
		// crossing to HQ") is what the officer must act on: in full, in bold.
		instr := widget.NewLabel("⚑ " + h.Hit.Note)
		instr.Importance = imp
		instr.TextStyle.Bold = true
		instr.Wrapping = fyne.TextWrapWord
		card = append(card, instr)
	}
	card = append(card, in.earlierRows(h)...)
	detail := h.Listed
	reasons := h.Reasons
	if k := maxReasons(n); len(reasons) > k {
		reasons = append(reasons[:k:k], u.t("more", len(h.Reasons)-k))
	}
	if len(reasons) > 0 {
		if detail != "" {
			detail += " — "
		}
		detail += strings.Join(reasons, "; ")
	}
	why := widget.NewLabel(detail)
	if n == 1 {
		why.Wrapping = fyne.TextWrapWord // one hit: room for its reasons in full
	} else {
		why.Truncation = fyne.TextTruncateEllipsis
	}
	return container.NewVBox(append(card, why, widget.NewSeparator())...)
}

// maxReasons is how many of a hit's reasons fit when n hits share the panel;
// all of them are in the audit log. A hit alone shows every reason: the
// decisive ones (birth date to the day, nationality) come last.
func maxReasons(n int) int {
	if n <= 1 {
		return 1 << 10
	}
	return 2
}

// updated shows a newer view of the document on screen (HQ's national
// history arrived, or the booth gave up waiting): the verdict, the history and
// the stay; what the officer typed stays.
func (in *inspection) updated(v *app.InspectionView) {
	if in.view == nil || in.view.Inspection.ID != v.Inspection.ID {
		return // another document is on screen now
	}
	in.view = v
	in.setVerdict(v.Verdict.Level, in.levelMark(v.Verdict.Level)+": "+in.u.t(v.Verdict.Key), in.verdictDetail(v), false)
	in.renderHistory(v)
	if in.root != nil {
		in.root.Refresh()
	}
}

func (in *inspection) renderHistory(v *app.InspectionView) {
	u := in.u
	var hist []fyne.CanvasObject
	switch {
	case v.HistoryError != nil:
		hist = append(hist, problemLabel(u.t("mark.warning")+" "+u.problem(v.HistoryError), widget.WarningImportance))
	case len(v.History) == 0 && v.National != app.NationalAsking:
		hist = append(hist, widget.NewLabel(u.t("history.none")))
	}
	switch v.National {
	case app.NationalAsking:
		hist = append(hist, widget.NewLabel(u.t("history.asking")))
	case app.NationalUnavailable:
		hist = append(hist, problemLabel(u.t("mark.warning")+" "+u.t("history.unavailable"), widget.WarningImportance))
	}
	for i, c := range v.History {
		if i == maxHistory {
			hist = append(hist, widget.NewLabel(u.t("history.more", len(v.History)-maxHistory)))
			break
		}
		line := fmt.Sprintf("%s · %s · %s · %s", c.BoothTime.Format("2006-01-02"), u.t("dir."+string(c.Direction)), c.Post, u.t("decision."+string(c.Decision)))
		if v.National != app.NationalNone || v.SourceOf(c) != app.SourceLocal {
			// Where the line was recorded is the post; where this booth learnt
			// of it matters once there is more than its own store.
			line += " · " + u.t("history.source."+v.SourceOf(c))
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
	in.history.Objects = hist
	in.history.Refresh()

	var rows []fyne.CanvasObject
	add := func(key, value string, imp widget.Importance) {
		l := widget.NewLabel(value)
		l.Importance = imp
		rows = append(rows, widget.NewLabelWithStyle(u.t(key), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}), l)
	}
	st := v.Stay
	switch {
	case v.StayError != nil || !v.StayKnown:
		msg := u.t("stay.unknown")
		if v.StayError != nil {
			msg = u.problem(v.StayError)
		}
		add("stay.rule", msg, widget.WarningImportance)
	case st.Free:
		add("stay.rule", u.t("stay.free"), widget.SuccessImportance)
	case st.Rule == "":
		add("stay.rule", u.t("stay.no_rule"), widget.MediumImportance)
	default:
		add("stay.rule", st.Rule, widget.MediumImportance)
		if st.LimitDays > 0 {
			add("stay.limit", u.t("stay.limit_fmt", st.LimitDays, st.WindowDays), widget.MediumImportance)
		}
		add("stay.used", fmt.Sprint(st.DaysUsed), widget.MediumImportance)
		left := widget.MediumImportance
		if st.DaysLeft <= 0 {
			left = widget.DangerImportance
		} else if st.DaysLeft < 7 {
			left = widget.WarningImportance
		}
		add("stay.left", fmt.Sprint(st.DaysLeft), left)
		if !st.LastDay.IsZero() {
			add("stay.last_day", st.LastDay.Format("2006-01-02"), left)
		}
		if st.Overstay {
			add("stay.overstay", u.t("mark.error")+" "+u.t("stay.overstay_days", st.OverstayDays), widget.DangerImportance)
		}
		if st.VisaRequired {
			add("stay.visa", u.t("stay.visa_required"), widget.WarningImportance)
		}
	}
	if key, args := v.StayReason(); key != "" {
		// Which rule applied and why, always: a misread nationality must not
		// silently choose a foreigner's rule.
		imp := widget.MediumImportance
		if _, unknown := v.Document.UnknownCode("nationality"); unknown || st.Rule == "" {
			imp = widget.WarningImportance
		}
		add("stay.why", u.t(key, args...), imp)
		rows[len(rows)-1].(*widget.Label).Wrapping = fyne.TextWrapWord
	}
	for _, a := range st.Anomalies {
		add("stay.note", u.t("mark.warning")+" "+u.t("anomaly."+a), widget.WarningImportance)
	}
	in.stay.Objects = rows
	in.stay.Refresh()
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
	note := in.note.Text
	if !confirmed && strings.TrimSpace(note) == "" {
		in.showMessage(u.t("hit.need_note"))
		u.focus(in.note)
		return
	}
	v, err := u.booth.Resolve(u.ctx(), id, confirmed, note)
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

// decide records the officer's decision, then clears the screen and returns
// the focus to the MRZ field for the next traveller.
func (in *inspection) decide(d app.Decision) {
	u := in.u
	u.touch()
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

// decideWith records req, then clears the screen and returns the focus to
// the MRZ field for the next traveller.
func (in *inspection) decideWith(req app.DecisionRequest) {
	u := in.u
	d := req.Decision
	c, err := u.booth.Decide(u.ctx(), req)
	if err != nil {
		in.showMessage(u.errText(err))
		switch {
		case d == app.Refuse && req.Reason == "":
			u.focus(in.reason)
		case d == app.Refer && strings.TrimSpace(req.Note) == "":
			u.focus(in.note)
		}
		return
	}
	in.clear() // the traveller has gone: the next one's photo comes with their document
	in.verdictSub.SetText(u.t("decided", u.t("decision."+string(c.Decision)), c.Traveller.Surname))
	if c.Override != nil {
		in.verdictSub.SetText(u.t("decided_override", c.Traveller.Surname))
	}
	u.RefreshStatus()
	in.focusMRZ()
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
	return u.insp.verdict.Text
}

// Inspection returns what the inspection screen shows now, nil when no document is on it.
func (u *UI) Inspection() *app.InspectionView {
	if u.insp == nil {
		return nil
	}
	return u.insp.view
}
