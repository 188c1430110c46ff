package ui

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
)

// Prompts: the questions the booth asks before it goes on, so that nothing an
// officer does by one key is silent (an override) or lost (a read left
// undecided, a shift closed over one). Prompt reports which is open.
const (
	PromptOverride   = "override"    // the written ground for admitting against a STOP verdict
	PromptSetAside   = "set_aside"   // a new read while one is undecided
	PromptCloseShift = "close_shift" // the shift's summary and its undecided reads
)

// prompt is one open question: a modal pop-up with a text the officer writes.
type prompt struct {
	name  string
	entry *widget.Entry
	ok    func(text string)
	pop   *widget.PopUp
	page  *dataPageForm // the data page form (PromptDataPage); nil for the others
	body  *widget.Label // the set-aside prompt's question, which counts the reads waiting
}

// ask opens prompt name over the window: a title, body above an entry,
// confirm and dismiss buttons. ok gets the entry's text on confirm; dismiss
// changes nothing. (A modal pop-up, not fyne's dialog package, which would
// bring a file-system module the booth does not need.)
func (u *UI) ask(name, title string, body fyne.CanvasObject, placeholder, confirm, dismiss string, ok func(string)) {
	u.DismissPrompt()
	e := widget.NewMultiLineEntry()
	e.SetPlaceHolder(placeholder)
	e.Wrapping = fyne.TextWrapWord
	e.SetMinRowsVisible(2)
	p := &prompt{name: name, entry: e, ok: ok}
	yes := widget.NewButton(confirm, func() {
		if u.prompt == p {
			u.AnswerPrompt(e.Text)
		}
	})
	yes.Importance = widget.HighImportance
	no := widget.NewButton(dismiss, u.DismissPrompt)
	head := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	content := container.NewVBox(head, widget.NewSeparator(), body, e, container.NewHBox(layout.NewSpacer(), no, yes))
	p.pop = widget.NewModalPopUp(container.NewPadded(content), u.win.Canvas())
	p.pop.Resize(fyne.NewSize(640, content.MinSize().Height+16))
	u.prompt = p
	p.pop.Show()
	u.focus(e)
}

// Prompt returns the name of the open prompt, "" when none is open.
func (u *UI) Prompt() string {
	if u.prompt == nil {
		return ""
	}
	return u.prompt.name
}

// AnswerPrompt writes text into the open prompt and confirms it (tests and the
// demo automation; officers type and press the button). False when no prompt
// is open.
func (u *UI) AnswerPrompt(text string) bool {
	p := u.prompt
	if p == nil || p.page != nil { // the data page form is answered by TypeDataPage
		return false
	}
	p.entry.SetText(text)
	u.prompt = nil
	p.pop.Hide()
	p.ok(text)
	return true
}

// DismissPrompt closes the open prompt without acting. Reads waiting behind
// the set-aside question keep their place in line.
func (u *UI) DismissPrompt() {
	if p := u.prompt; p != nil {
		u.prompt = nil
		p.pop.Hide()
		u.showWaiting()
	}
}

func wrapped(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// askOverride asks the ground for admitting against the STOP verdict key.
func (in *inspection) askOverride(key string) {
	u := in.u
	body := wrapped(u.t("override.body", u.t(key)))
	body.Importance = widget.DangerImportance
	u.ask(PromptOverride, u.t("override.title"), body, u.t("override.ground"), u.t("override.confirm"), u.t("prompt.back"),
		func(ground string) {
			in.decideWith(app.DecisionRequest{Decision: app.Admit, Ground: ground})
		})
}

// askSetAside asks, when a new read comes while cur is undecided, whether to
// set cur aside (with a note) and read the new document. The new read waits
// in line meanwhile: another read during the question joins the line (the
// question says how many wait) and each comes on screen in turn — after this
// one is set aside, or decided when the officer goes back to it. No read is
// dropped.
func (u *UI) askSetAside(cur *app.InspectionView, ev app.ReaderEvent) {
	u.waiting = append(u.waiting, ev)
	if p := u.prompt; p != nil && p.name == PromptSetAside && p.body != nil {
		p.body.SetText(u.setAsideBody(cur))
		p.pop.Resize(fyne.NewSize(640, p.pop.Content.MinSize().Height))
		return
	}
	body := wrapped(u.setAsideBody(cur))
	u.ask(PromptSetAside, u.t("set_aside.title"), body, u.t("set_aside.note"), u.t("set_aside.confirm"), u.t("prompt.back"),
		func(note string) {
			u.background(func() func() {
				if _, err := u.booth.SetAside(u.ctx(), note); err != nil {
					return func() { u.setMessage(u.errText(err)) }
				}
				return func() {
					if u.insp != nil {
						u.insp.render(nil)
					}
					u.presentWaiting()
				}
			})
		})
	u.prompt.body = body
	if ev.Page != nil { // the MRZ could not be read, so the page was typed: say so for the officer
		u.prompt.entry.SetText(u.t("set_aside.typed_instead"))
	}
}

// setAsideBody is the set-aside question about cur, with the reads waiting.
func (u *UI) setAsideBody(cur *app.InspectionView) string {
	who := strings.TrimSpace(cur.Document.Surname + " " + cur.Document.GivenNames)
	if who == "" {
		who = "—"
	}
	text := u.t("set_aside.body", who, cur.Document.Number, u.t(cur.Verdict.Key))
	if n := len(u.waiting); n > 1 {
		text += " " + u.t("set_aside.waiting", n)
	}
	return text
}

// presentWaiting brings the oldest waiting read on screen, once the screen is
// free (a decision, a read set aside); nothing when none waits.
func (u *UI) presentWaiting() {
	u.showWaiting()
	if len(u.waiting) == 0 {
		return
	}
	ev := u.waiting[0]
	u.waiting = u.waiting[1:]
	u.showWaiting()
	u.background(func() func() { return u.present(ev) })
}

// showWaiting says beside the MRZ field how many reads wait their turn.
func (u *UI) showWaiting() {
	if u.insp == nil || len(u.insp.mrzBuf) > 0 {
		return
	}
	text := ""
	if n := len(u.waiting); n > 0 {
		text = u.t("mrz.waiting", n)
	}
	u.insp.pending.SetText(text)
}

// Waiting returns how many reads wait for the screen (tests).
func (u *UI) Waiting() int { return len(u.waiting) }

// SetAside asks for a note and sets the read on screen aside, for a read that
// ends without a decision with no new one waiting (the traveller walked away).
func (u *UI) SetAside() {
	cur := u.booth.Current()
	if cur == nil {
		u.setMessage(u.t("set_aside.nothing"))
		return
	}
	who := strings.TrimSpace(cur.Document.Surname + " " + cur.Document.GivenNames)
	body := wrapped(u.t("set_aside.body_alone", who, cur.Document.Number, u.t(cur.Verdict.Key)))
	u.ask(PromptSetAside, u.t("set_aside.title"), body, u.t("set_aside.note"), u.t("set_aside.confirm_alone"), u.t("prompt.back"),
		func(note string) {
			u.background(func() func() {
				_, err := u.booth.SetAside(u.ctx(), note)
				return func() {
					if err != nil {
						u.setMessage(u.errText(err))
						return
					}
					if u.insp != nil {
						u.insp.render(nil)
						u.insp.verdict.sub.SetText(u.t("set_aside.done"))
						u.insp.focusMRZ()
					}
					u.RefreshStatus()
					u.presentWaiting()
				}
			})
		})
}

// closeShift shows the shift's summary — times, decisions, overrides,
// set-aside reads, hits and every read still undecided — and closes it only
// when the officer confirms (with a note when reads are undecided).
func (u *UI) closeShift() {
	u.background(func() func() {
		sum, err := u.booth.ShiftSummary(u.ctx())
		return func() {
			if err != nil {
				u.setMessage(u.errText(err))
				return
			}
			u.askCloseShift(sum)
		}
	})
}

// askCloseShift shows the shift's summary and closes the shift on confirm.
func (u *UI) askCloseShift(sum app.ShiftSummary) {
	c := sum.Counts
	local := func(t time.Time) string { return t.Local().Format("2006-01-02 15:04") }
	row := func(key string, value string) []fyne.CanvasObject {
		return []fyne.CanvasObject{widget.NewLabelWithStyle(u.t(key), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}), widget.NewLabel(value)}
	}
	var rows []fyne.CanvasObject
	for _, r := range [][]fyne.CanvasObject{
		row("summary.opened", local(sum.Shift.OpenedAt)),
		row("summary.now", fmt.Sprintf("%s (%s)", local(sum.Now), sum.Now.Sub(sum.Shift.OpenedAt).Round(time.Minute))),
		row("counts.inspections", fmt.Sprint(c.Inspections)),
		row("counts.admitted", fmt.Sprint(c.Admitted)),
		row("counts.refused", fmt.Sprint(c.Refused)),
		row("counts.referred", fmt.Sprint(c.Referred)),
		row("counts.overrides", fmt.Sprint(c.Overrides)),
		row("counts.set_aside", fmt.Sprint(c.SetAside)),
		row("counts.hits", fmt.Sprint(c.Hits)),
		row("counts.undecided", fmt.Sprint(len(sum.Undecided))),
	} {
		rows = append(rows, r...)
	}
	body := container.NewVBox(container.NewGridWithColumns(4, rows...))
	placeholder := u.t("summary.note_optional")
	if len(sum.Undecided) > 0 {
		body.Add(widget.NewLabelWithStyle(u.t("summary.undecided"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		for i, in := range sum.Undecided {
			if i == 6 {
				body.Add(widget.NewLabel(u.t("summary.more", len(sum.Undecided)-i)))
				break
			}
			l := widget.NewLabel(fmt.Sprintf("%s  %s %s  %s %s", in.ReadAt.Local().Format("15:04"),
				in.Document.IssuingState, in.Document.Number, in.Traveller.Surname, in.Traveller.GivenNames))
			l.Importance = widget.WarningImportance
			l.Truncation = fyne.TextTruncateEllipsis
			body.Add(l)
		}
		placeholder = u.t("summary.note")
	}
	u.ask(PromptCloseShift, u.t("summary.title"), body, placeholder, u.t("menu.close_shift"), u.t("prompt.back"),
		func(note string) {
			u.background(func() func() {
				counts, err := u.booth.CloseShift(u.ctx(), note)
				return func() {
					if err != nil {
						u.setMessage(u.errText(err))
						return
					}
					u.showShiftClosed(counts)
				}
			})
		})
}

// DecisionBar returns the refusal reason code selected and the note typed in
// the decision bar (tests: a decision's fields belong to its inspection only).
func (u *UI) DecisionBar() (reason, note string) {
	if u.insp == nil {
		return "", ""
	}
	if i := u.insp.reason.SelectedIndex(); i >= 0 {
		reason = u.insp.codes[i]
	}
	return reason, u.insp.note.Text
}

// T returns key in the language on screen (the demo's notices).
func (u *UI) T(key string, args ...any) string { return u.t(key, args...) }

// relyOnEarlier resolves hit id as its earlier resolution did; with id ""
// the first open hit that has one (Alt+E).
func (in *inspection) relyOnEarlier(id string) {
	u := in.u
	u.touch()
	if id == "" && in.view != nil {
		for _, h := range in.view.Hits {
			if !h.Resolved && len(h.Earlier) > 0 {
				id = h.ListID
				break
			}
		}
	}
	if id == "" {
		in.showMessage(u.t("earlier.none"))
		return
	}
	if in.busy {
		return
	}
	in.setBusy(true)
	u.background(func() func() {
		v, err := u.booth.RelyOnEarlier(u.ctx(), id)
		return func() {
			in.setBusy(false)
			if u.insp != in {
				return
			}
			if err != nil {
				in.showMessage(u.errText(err))
				return
			}
			in.render(v)
			in.focusMRZ()
		}
	})
}

// offerForm offers the refusal form of c after a refusal (the button beside
// the decisions, Alt+P); a zero c withdraws the offer.
func (in *inspection) offerForm(c app.Crossing) {
	in.refused = nil
	if c.Decision == app.Refuse {
		in.refused = &c
	}
	if in.printForm == nil {
		return
	}
	if in.refused != nil {
		in.printForm.Show()
	} else {
		in.printForm.Hide()
	}
}

// printRefusal prints the last refusal's form (Alt+P) off the UI goroutine
// and says where it was saved; the system's viewer opens it when it can.
func (in *inspection) printRefusal() {
	u := in.u
	if u.cfg.PrintRefusal == nil || in.refused == nil {
		in.showMessage(u.t("form.nothing"))
		return
	}
	c, o, lang := *in.refused, u.booth.Session().Officer, u.lang()
	u.background(func() func() {
		path, err := u.cfg.PrintRefusal(c, o, lang)
		return func() {
			if err != nil {
				in.showMessage(u.errText(err))
				return
			}
			u.formPath = path
			in.showMessage(u.t("form.saved", path))
			in.message.Importance = widget.SuccessImportance // news, not a problem
			in.message.Refresh()
			if a := fyne.CurrentApp(); a != nil {
				if err := a.OpenURL(&url.URL{Scheme: "file", Path: path}); err != nil {
					u.log.Warn("open refusal form", "path", path, "err", err)
				}
			}
		}
	})
}

// FormPath returns where the last refusal form was saved, "" when none was (tests).
func (u *UI) FormPath() string { return u.formPath }
