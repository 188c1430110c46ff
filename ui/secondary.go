package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
)

// ScreenSecondary is the post's secondary queue: referred travellers
// waiting for the outcome of secondary inspection (issue 17).
const ScreenSecondary = "secondary"

// KeySecondary opens the secondary queue, and closes it again.
var KeySecondary = &desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierAlt}

// secondaryScreen is the queue's state: the referrals and the one chosen.
type secondaryScreen struct {
	sup     Supervisor
	queue   []app.Crossing
	chosen  int // index in queue; -1 none
	outcome *widget.RadioGroup
	reason  *widget.Select
	note    *widget.Entry
	result  string
	danger  bool
}

// toggleSecondary opens the secondary queue or, when it is showing, goes back.
func (u *UI) toggleSecondary() {
	if u.screen == ScreenSecondary {
		u.closeSupervision()
		return
	}
	u.openSecondary("", false)
}

// openSecondary reads the queue and shows it, with result as the last
// action's outcome.
func (u *UI) openSecondary(result string, danger bool) {
	sup := u.supervisor()
	if sup == nil || u.screen == ScreenSignIn || u.screen == ScreenLock {
		return
	}
	u.touch()
	u.background(func() func() {
		q, err := sup.SecondaryQueue(u.ctx())
		if err != nil {
			return func() { u.refuse(err) }
		}
		return func() {
			u.leaveAdmin()
			u.rev = nil
			u.sec = &secondaryScreen{sup: sup, queue: q, chosen: -1, result: result, danger: danger}
			if len(q) > 0 {
				u.sec.chosen = 0
			}
			u.showSecondary()
		}
	})
}

// showSecondary draws the queue on the left and the chosen referral's
// outcome form on the right.
func (u *UI) showSecondary() {
	sc := u.sec
	u.screen, u.insp, u.message = ScreenSecondary, nil, ""
	s := u.booth.Session()
	title := widget.NewLabelWithStyle(u.t("secondary.title", s.Officer.Name, s.Officer.ID), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	back := widget.NewButtonWithIcon(u.t("secondary.back"), theme.NavigateBackIcon(), u.closeSupervision)
	top := container.NewBorder(nil, nil, nil, back, title)

	list := container.NewVBox(heading(u.t("secondary.queue", len(sc.queue))))
	if len(sc.queue) == 0 {
		list.Add(widget.NewLabel(u.t("secondary.empty")))
	}
	for i, c := range sc.queue {
		i := i
		b := widget.NewButton(fmt.Sprintf("%s · %s · %s\n%s %s · %s %s", c.BoothTime.Format("02.01 15:04"), c.Booth, c.OfficerID,
			c.Document.IssuingState, c.Document.Number, c.Traveller.Surname, c.Traveller.GivenNames), func() {
			sc.chosen, sc.result = i, ""
			u.showSecondary()
		})
		b.Alignment = widget.ButtonAlignLeading
		if i == sc.chosen {
			b.Importance = widget.HighImportance
		}
		list.Add(b)
	}
	left := container.NewGridWrap(fyne.NewSize(420, 600), container.NewVScroll(list))

	form := container.NewVBox()
	sc.outcome, sc.reason, sc.note = nil, nil, nil
	if sc.chosen >= 0 && sc.chosen < len(sc.queue) {
		c := sc.queue[sc.chosen]
		form.Add(heading(u.t("secondary.traveller", c.Document.IssuingState, c.Document.Number, c.Traveller.Surname, c.Traveller.GivenNames)))
		add := func(text string) {
			l := widget.NewLabel(text)
			l.Wrapping = fyne.TextWrapWord
			form.Add(l)
		}
		add(u.t("secondary.referred", c.OfficerID, c.Booth, c.BoothTime.Format("02.01.2006 15:04")))
		add(u.t("secondary.note", c.ReferralNote))
		for _, h := range c.Hits {
			res := u.t("review.false_match")
			if h.Confirmed {
				res = u.t("review.confirmed")
			}
			add(u.t("review.hit", h.ListID, h.Category, h.Score, res))
		}
		admitted, refused := u.t("outcome.admitted"), u.t("outcome.refused")
		sc.outcome = widget.NewRadioGroup([]string{admitted, refused}, nil)
		sc.outcome.Horizontal = true
		var codes, labels []string
		for _, r := range u.booth.RefusalReasons().Reasons {
			text := r.Text[u.lang()]
			if text == "" {
				text = r.Text["en"]
			}
			codes = append(codes, r.Code)
			labels = append(labels, r.Code+" — "+shorten(text, 60))
		}
		sc.reason = widget.NewSelect(labels, nil)
		sc.reason.PlaceHolder = u.t("secondary.reason_choose")
		sc.reason.Disable()
		sc.outcome.OnChanged = func(v string) {
			if v == refused {
				sc.reason.Enable()
			} else {
				sc.reason.Disable()
			}
		}
		sc.note = widget.NewEntry()
		sc.note.SetPlaceHolder(u.t("secondary.note_hint"))
		record := func() {
			req := app.OutcomeRequest{CrossingID: c.ID, Note: sc.note.Text}
			switch sc.outcome.Selected {
			case admitted:
				req.Outcome = app.ReferralAdmitted
			case refused:
				req.Outcome = app.ReferralRefused
				if i := sc.reason.SelectedIndex(); i >= 0 {
					req.Reason = codes[i]
				}
			}
			u.recordOutcome(req)
		}
		sc.note.OnSubmitted = func(string) { record() }
		form.Add(widget.NewForm(
			widget.NewFormItem(u.t("secondary.outcome"), sc.outcome),
			widget.NewFormItem(u.t("secondary.reason"), sc.reason),
			widget.NewFormItem(u.t("secondary.notes"), sc.note),
		))
		form.Add(widget.NewButtonWithIcon(u.t("secondary.record"), theme.ConfirmIcon(), record))
	}
	result := widget.NewLabel(sc.result)
	result.Wrapping = fyne.TextWrapWord
	if sc.danger {
		result.Importance = widget.DangerImportance
	} else if sc.result != "" {
		result.Importance = widget.SuccessImportance
	}
	form.Add(result)
	u.buildMenu()
	u.win.SetContent(container.NewBorder(container.NewPadded(top), u.status.box, container.NewPadded(left), nil,
		container.NewPadded(container.NewVScroll(form))))
	if sc.note != nil {
		u.focus(sc.note)
	}
}

// recordOutcome records the outcome and reads the queue again.
func (u *UI) recordOutcome(req app.OutcomeRequest) {
	sc := u.sec
	if sc == nil {
		return
	}
	u.touch()
	u.background(func() func() {
		o, err := sc.sup.RecordOutcome(u.ctx(), req)
		return func() {
			if u.sec != sc {
				return
			}
			if err != nil {
				sc.result, sc.danger = u.errText(err), true
				u.showSecondary()
				return
			}
			u.openSecondary(u.t("secondary.recorded", u.t("outcome."+string(o.Outcome))), false)
		}
	})
}
