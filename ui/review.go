package ui

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
)

// ScreenReview is the supervisor's review of the post's shifts (issue 17).
const ScreenReview = "review"

// KeyReview opens the shift review, and closes it again.
var KeyReview = &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierAlt}

// Supervisor is what the review and the secondary queue ask of the booth's
// core; *app.Booth satisfies it. The core checks the role and the post at
// every call: the screens only spare others what they could not use.
type Supervisor interface {
	ReviewShifts(ctx context.Context) (app.PostShiftList, error)
	ReviewShift(ctx context.Context, shiftID string) (app.ShiftReview, error)
	ReviewPhoto(ctx context.Context, inspectionID string) ([]byte, error)
	ReviewPage(ctx context.Context, inspectionID string) ([]byte, error)
	SignOffShift(ctx context.Context, shiftID, comment string) (app.SignOff, error)
	ConfirmRefusal(ctx context.Context, crossingID string, confirmed bool, note string) (app.RefusalConfirmation, error)
	SecondaryQueue(ctx context.Context) ([]app.Crossing, error)
	RecordOutcome(ctx context.Context, r app.OutcomeRequest) (app.Outcome, error)
}

// maxReviewPhotos bounds the photos loaded with one shift's review (the
// items that need attention come first, so theirs are loaded).
const maxReviewPhotos = 60

// reviewScreen is the review's state: the post's shifts, the shift on show
// and its photos.
type reviewScreen struct {
	sup    Supervisor
	list   app.PostShiftList
	shift  *app.ShiftReview
	photos map[string]image.Image
	// pageOf is the read whose document page is open, page its picture
	// (loaded when the supervisor asks: pages are large, photos small).
	pageOf  string
	page    image.Image
	comment *widget.Entry
	result  string
	danger  bool
}

func (u *UI) supervisor() Supervisor {
	s, _ := u.booth.(Supervisor)
	return s
}

// toggleReview opens the review or, when it is showing, goes back.
func (u *UI) toggleReview() {
	if u.screen == ScreenReview {
		u.closeSupervision()
		return
	}
	u.openReview("")
}

// closeSupervision leaves the review or the secondary queue for the
// officer's shift or its form.
func (u *UI) closeSupervision() {
	u.rev, u.sec = nil, nil
	u.afterSignIn(u.booth.Session())
}

// openReview asks the core for the post's shifts and, when the officer is a
// supervisor, shows them; shiftID, when set, is opened at once.
func (u *UI) openReview(shiftID string) {
	sup := u.supervisor()
	if sup == nil || u.screen == ScreenSignIn || u.screen == ScreenLock {
		return
	}
	u.touch()
	u.background(func() func() {
		list, err := sup.ReviewShifts(u.ctx())
		if err != nil {
			return func() { u.refuse(err) }
		}
		if shiftID == "" && len(list.Shifts) > 0 {
			shiftID = list.Shifts[0].ID
		}
		r, photos, rerr := u.loadShift(sup, shiftID)
		return func() {
			u.leaveAdmin()
			u.sec = nil
			u.rev = &reviewScreen{sup: sup, list: list, shift: r, photos: photos}
			if rerr != nil {
				u.rev.result, u.rev.danger = u.errText(rerr), true
			}
			u.showReview()
		}
	})
}

// loadShift reads one shift's review and its photos (off the UI goroutine).
func (u *UI) loadShift(sup Supervisor, shiftID string) (*app.ShiftReview, map[string]image.Image, error) {
	if shiftID == "" {
		return nil, nil, nil
	}
	r, err := sup.ReviewShift(u.ctx(), shiftID)
	if err != nil {
		return nil, nil, err
	}
	photos := map[string]image.Image{}
	for _, it := range r.Items {
		if !it.HasPhoto || len(photos) >= maxReviewPhotos {
			continue
		}
		jpg, err := sup.ReviewPhoto(u.ctx(), it.Inspection.ID)
		if err != nil {
			continue
		}
		if img, err := jpeg.Decode(bytes.NewReader(jpg)); err == nil {
			photos[it.Inspection.ID] = img
		}
	}
	return &r, photos, nil
}

// selectShift shows another shift of the list.
func (u *UI) selectShift(id string) {
	rv := u.rev
	if rv == nil {
		return
	}
	u.touch()
	u.background(func() func() {
		r, photos, err := u.loadShift(rv.sup, id)
		return func() {
			if u.rev != rv {
				return
			}
			rv.result, rv.danger = "", false
			if err != nil {
				rv.result, rv.danger = u.errText(err), true
			} else {
				rv.shift, rv.photos = r, photos
				rv.pageOf, rv.page = "", nil
			}
			u.showReview()
		}
	})
}

// showReview draws the review: the post's shifts on the left, the chosen
// shift's inspections (attention first) on the right, the sign-off below.
func (u *UI) showReview() {
	rv := u.rev
	u.screen, u.insp, u.message = ScreenReview, nil, ""
	s := u.booth.Session()
	title := widget.NewLabelWithStyle(u.t("review.title", s.Officer.Name, s.Officer.ID), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	back := widget.NewButtonWithIcon(u.t("review.back"), theme.NavigateBackIcon(), u.closeSupervision)
	top := container.NewBorder(nil, nil, nil, back, title)

	shifts := container.NewVBox(heading(u.t("review.shifts")))
	switch {
	case rv.list.NoHQ:
		shifts.Add(widget.NewLabel(u.t("review.alone")))
	case rv.list.HQ != nil:
		l := widget.NewLabel(u.problem(rv.list.HQ))
		l.Importance = widget.WarningImportance
		shifts.Add(l)
	}
	if len(rv.list.Shifts) == 0 {
		shifts.Add(widget.NewLabel(u.t("review.no_shifts")))
	}
	for _, sh := range rv.list.Shifts {
		sh := sh
		b := widget.NewButton(u.shiftLine(sh), func() { u.selectShift(sh.ID) })
		b.Alignment = widget.ButtonAlignLeading
		if rv.shift != nil && rv.shift.Info.ID == sh.ID {
			b.Importance = widget.HighImportance
		}
		shifts.Add(b)
	}
	left := container.NewGridWrap(fyne.NewSize(400, 600), container.NewVScroll(shifts))

	var body fyne.CanvasObject = widget.NewLabel(u.t("review.choose"))
	var bottom fyne.CanvasObject = layout.NewSpacer()
	if r := rv.shift; r != nil {
		items := container.NewVBox(u.reviewHeader(r))
		for i, it := range r.Items {
			if i == r.Attention && r.Attention > 0 {
				items.Add(heading(u.t("review.others")))
			} else if i == 0 && r.Attention > 0 {
				items.Add(heading(u.t("review.needs_attention", r.Attention)))
			}
			items.Add(u.reviewItem(r, it, rv.photos[it.Inspection.ID]))
			items.Add(widget.NewSeparator())
		}
		body = container.NewVScroll(items)
		bottom = u.signOffBar(r)
	}
	result := widget.NewLabel(rv.result)
	result.Wrapping = fyne.TextWrapWord
	if rv.danger {
		result.Importance = widget.DangerImportance
	}
	right := container.NewBorder(nil, container.NewVBox(result, bottom), nil, nil, body)
	u.buildMenu()
	u.win.SetContent(container.NewBorder(container.NewPadded(top), u.status.box, container.NewPadded(left), nil, container.NewPadded(right)))
	if rv.comment != nil {
		u.focus(rv.comment)
	}
}

// shiftLine is one shift in the list: officer, booth, times, counts, state.
func (u *UI) shiftLine(s app.ShiftInfo) string {
	who := s.OfficerID
	if s.OfficerName != "" {
		who = s.OfficerName + " (" + s.OfficerID + ")"
	}
	state := u.t("review.state_closed")
	switch {
	case s.SignedOff:
		state = u.t("review.state_signed")
	case s.FromHQ:
		state = u.t("review.state_hq")
	case s.Open():
		state = u.t("review.state_open")
	}
	return fmt.Sprintf("%s · %s\n%s – %s · %s\n%s", who, s.Booth, clockOf(s.OpenedAt), clockOf(s.ClosedAt), state,
		u.t("review.counts_short", s.Counts.Inspections, s.Counts.Refused, s.Counts.Referred))
}

func clockOf(t time.Time) string {
	if t.IsZero() {
		return "…"
	}
	return t.Format("02.01 15:04")
}

// reviewHeader is the shift's line above its inspections.
func (u *UI) reviewHeader(r *app.ShiftReview) fyne.CanvasObject {
	c := r.Info.Counts
	h := heading(u.shiftLine(r.Info))
	h.Wrapping = fyne.TextWrapWord
	counts := widget.NewLabel(u.t("review.counts", c.Inspections, c.Admitted, c.Refused, c.Referred, c.Overrides, c.SetAside, c.Hits))
	counts.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(h, counts)
	if r.Info.FromHQ {
		l := widget.NewLabel(u.t("review.from_hq"))
		l.Wrapping = fyne.TextWrapWord
		box.Add(l)
	}
	return box
}

// reviewItem draws one inspection: what needs attention, the document, the
// decision and how long it took, every hit and its resolution, the grounds,
// the referral's outcome, the override, the read set aside, and the photo.
func (u *UI) reviewItem(r *app.ShiftReview, it app.ReviewItem, photo image.Image) fyne.CanvasObject {
	lines := container.NewVBox()
	add := func(text string, imp widget.Importance) {
		l := widget.NewLabel(text)
		l.Wrapping, l.Importance = fyne.TextWrapWord, imp
		lines.Add(l)
	}
	if len(it.Attention) > 0 {
		var words []string
		for _, a := range it.Attention {
			words = append(words, u.t(string(a)))
		}
		add("⚠ "+strings.Join(words, " · "), widget.DangerImportance)
	}
	doc, tr := it.Inspection.Document, it.Inspection.Traveller
	switch {
	case it.Crossing != nil:
		doc, tr = it.Crossing.Document, it.Crossing.Traveller
	case it.SetAside != nil && doc.Number == "":
		doc, tr = it.SetAside.Document, it.SetAside.Traveller
	}
	decision := u.t("review.undecided")
	if c := it.Crossing; c != nil {
		decision = u.t("decision." + string(c.Decision))
	} else if it.SetAside != nil {
		decision = u.t("review.set_aside")
	}
	took := ""
	if it.Took > 0 {
		took = " · " + u.t("review.took", it.Took.Round(time.Second).String())
	}
	head := widget.NewLabelWithStyle(fmt.Sprintf("%s · %s %s · %s %s · %s%s", it.At().Format("15:04:05"), doc.IssuingState, doc.Number,
		tr.Surname, tr.GivenNames, decision, took), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.Wrapping = fyne.TextWrapWord
	lines.Add(head)
	if c := it.Crossing; c != nil {
		for _, h := range c.Hits {
			res := u.t("review.false_match")
			if h.Confirmed {
				res = u.t("review.confirmed")
			}
			text := u.t("review.hit", h.ListID, h.Category, h.Score, res)
			if h.Note != "" {
				text += ": " + h.Note
			}
			add(text, widget.MediumImportance)
		}
		if c.Decision == app.Refuse {
			add(u.t("review.refusal", u.groundWords(c.RefusalReason), c.RefusalNote), widget.MediumImportance)
			switch cf := it.Confirmation; {
			case cf != nil && cf.Confirmed:
				add(u.t("review.refusal_confirmed", cf.SupervisorID), widget.SuccessImportance)
			case cf != nil:
				add(u.t("review.refusal_not_confirmed", cf.SupervisorID, cf.Note), widget.WarningImportance)
			case r.Settings.ConfirmRefusals && !r.Info.FromHQ:
				note := widget.NewEntry()
				note.SetPlaceHolder(u.t("review.confirm_note"))
				id := c.ID
				lines.Add(container.NewBorder(nil, nil, nil, container.NewHBox(
					widget.NewButtonWithIcon(u.t("review.confirm"), theme.ConfirmIcon(), func() { u.confirmRefusal(id, true, note.Text) }),
					widget.NewButtonWithIcon(u.t("review.not_confirm"), theme.CancelIcon(), func() { u.confirmRefusal(id, false, note.Text) }),
				), note))
			}
		}
		if c.Decision == app.Refer {
			add(u.t("review.referral", c.ReferralNote), widget.MediumImportance)
			if o := it.Outcome; o != nil {
				parts := []string{u.t("outcome." + string(o.Outcome))}
				if o.Reason != "" {
					parts = append(parts, u.groundWords(o.Reason))
				}
				if o.Note != "" {
					parts = append(parts, o.Note)
				}
				add(u.t("review.outcome", strings.Join(parts, " · "), o.OfficerID), widget.MediumImportance)
			} else {
				add(u.t("review.no_outcome"), widget.WarningImportance)
			}
		}
		if o := c.Override; o != nil {
			add(u.t("review.override", u.t(o.Verdict), o.Ground), widget.WarningImportance)
		}
	}
	if a := it.SetAside; a != nil {
		add(u.t("review.set_aside_note", a.Note), widget.WarningImportance)
	}
	if it.HasPage {
		id := it.Inspection.ID
		if rv := u.rev; rv != nil && rv.pageOf == id && rv.page != nil {
			page := canvas.NewImageFromImage(rv.page)
			page.FillMode = canvas.ImageFillContain
			page.SetMinSize(fyne.NewSize(640, 450))
			lines.Add(container.NewHBox(widget.NewButtonWithIcon(u.t("review.hide_page"), theme.VisibilityOffIcon(), func() { u.showPage("") })))
			lines.Add(page)
		} else {
			lines.Add(container.NewHBox(widget.NewButtonWithIcon(u.t("review.show_page"), theme.FileImageIcon(), func() { u.showPage(id) })))
		}
	}
	var pic fyne.CanvasObject
	switch {
	case photo != nil:
		img := canvas.NewImageFromImage(photo)
		img.FillMode = canvas.ImageFillContain
		img.SetMinSize(fyne.NewSize(70, 90))
		pic = img
	case it.Inspection.ID == "":
		pic = container.NewGridWrap(fyne.NewSize(70, 90), widget.NewLabel(""))
	default:
		l := widget.NewLabel(u.t("review.no_photo"))
		l.Wrapping = fyne.TextWrapWord
		pic = container.NewGridWrap(fyne.NewSize(70, 90), l)
	}
	return container.NewBorder(nil, nil, pic, nil, lines)
}

// groundWords is a refusal ground as the refusal form words it ("A — Has no
// valid travel document(s)."), the bare code when the booth's list lacks it.
func (u *UI) groundWords(code string) string {
	if r, ok := u.booth.RefusalReasons().Lookup(code); ok {
		return code + " — " + r.TextIn(u.lang())
	}
	return code
}

// showPage opens the document page recorded with read id (off the UI
// goroutine), or with id "" closes the one open.
func (u *UI) showPage(id string) {
	rv := u.rev
	if rv == nil {
		return
	}
	u.touch()
	if id == "" {
		rv.pageOf, rv.page = "", nil
		u.showReview()
		return
	}
	u.background(func() func() {
		jpg, err := rv.sup.ReviewPage(u.ctx(), id)
		var img image.Image
		if err == nil {
			if img, err = jpeg.Decode(bytes.NewReader(jpg)); err != nil {
				err = app.Errork(app.EINVALID, "review.page_unreadable", "The recorded page image cannot be shown.")
			}
		}
		return func() {
			if u.rev != rv {
				return
			}
			if err != nil {
				rv.result, rv.danger = u.errText(err), true
			} else {
				rv.pageOf, rv.page, rv.result, rv.danger = id, img, "", false
			}
			u.showReview()
		}
	})
}

// signOffBar is the shift's sign-off: done, why not yet, or the comment and
// the button; and the end-of-shift report.
func (u *UI) signOffBar(r *app.ShiftReview) fyne.CanvasObject {
	rv := u.rev
	rv.comment = nil
	var row fyne.CanvasObject
	switch {
	case r.SignOff != nil:
		l := widget.NewLabel(u.t("review.signed_off", r.SignOff.SupervisorID, r.SignOff.At.Format("02.01.2006 15:04"), r.SignOff.Comment))
		l.Wrapping, l.Importance = fyne.TextWrapWord, widget.SuccessImportance
		row = l
	case r.CanSignOff != nil:
		l := widget.NewLabel(u.problem(r.CanSignOff))
		l.Wrapping, l.Importance = fyne.TextWrapWord, widget.WarningImportance
		row = l
	default:
		rv.comment = widget.NewEntry()
		rv.comment.SetPlaceHolder(u.t("review.comment"))
		rv.comment.OnSubmitted = func(string) { u.signOff() }
		row = container.NewBorder(nil, nil, widget.NewLabel(u.t("review.comment_label")),
			widget.NewButtonWithIcon(u.t("review.sign_off"), theme.ConfirmIcon(), u.signOff), rv.comment)
	}
	if u.cfg.PrintShift == nil {
		return row
	}
	print := widget.NewButtonWithIcon(u.t("review.print"), theme.DocumentPrintIcon(), u.printShift)
	return container.NewBorder(nil, nil, nil, print, row)
}

// signOff signs the shift on show off with the comment typed.
func (u *UI) signOff() {
	rv := u.rev
	if rv == nil || rv.shift == nil || rv.comment == nil {
		return
	}
	u.touch()
	id, comment := rv.shift.Info.ID, rv.comment.Text
	u.background(func() func() {
		_, err := rv.sup.SignOffShift(u.ctx(), id, comment)
		if err != nil {
			return func() {
				if u.rev == rv {
					rv.result, rv.danger = u.errText(err), true
					u.showReview()
				}
			}
		}
		list, _ := rv.sup.ReviewShifts(u.ctx())
		r, photos, _ := u.loadShift(rv.sup, id)
		return func() {
			if u.rev != rv {
				return
			}
			rv.list, rv.shift, rv.photos = list, r, photos
			rv.result, rv.danger = u.t("review.signed"), false
			u.showReview()
		}
	})
}

// confirmRefusal records the supervisor's word on a refusal.
func (u *UI) confirmRefusal(crossingID string, confirmed bool, note string) {
	rv := u.rev
	if rv == nil || rv.shift == nil {
		return
	}
	u.touch()
	id := rv.shift.Info.ID
	u.background(func() func() {
		_, err := rv.sup.ConfirmRefusal(u.ctx(), crossingID, confirmed, note)
		r, photos, _ := u.loadShift(rv.sup, id)
		return func() {
			if u.rev != rv {
				return
			}
			if err != nil {
				rv.result, rv.danger = u.errText(err), true
			} else {
				rv.shift, rv.photos, rv.result, rv.danger = r, photos, u.t("review.refusal_recorded"), false
			}
			u.showReview()
		}
	})
}

// printShift saves the end-of-shift report of the shift on show.
func (u *UI) printShift() {
	rv := u.rev
	if rv == nil || rv.shift == nil || u.cfg.PrintShift == nil {
		return
	}
	r, lang := *rv.shift, u.lang()
	u.background(func() func() {
		path, err := u.cfg.PrintShift(r, lang)
		return func() {
			if u.rev != rv {
				return
			}
			if err != nil {
				rv.result, rv.danger = u.errText(err), true
			} else {
				rv.result, rv.danger = u.t("review.printed", path), false
			}
			u.showReview()
		}
	})
}
