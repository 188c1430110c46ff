package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
)

// centred puts a form in the middle of the window with a title above it.
func (u *UI) centred(title string, parts ...fyne.CanvasObject) fyne.CanvasObject {
	head := widget.NewLabelWithStyle(title, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	head.SizeName = theme.SizeNameSubHeadingText
	box := container.NewVBox(append([]fyne.CanvasObject{head}, parts...)...)
	return container.NewBorder(nil, u.status.box, nil, nil,
		container.NewCenter(container.NewGridWrap(fyne.NewSize(460, box.MinSize().Height), box)))
}

func errorLabel(msg string) *widget.Label {
	l := widget.NewLabel(msg)
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	return l
}

// showSignIn shows the sign-in form; Enter in the id moves to the password,
// Enter in the password signs in.
func (u *UI) showSignIn(msg string) {
	u.leaveAdmin()
	u.screen, u.insp, u.message = ScreenSignIn, nil, msg
	id := widget.NewEntry()
	id.SetPlaceHolder(u.t("signin.id"))
	pw := widget.NewPasswordEntry()
	pw.SetPlaceHolder(u.t("signin.password"))
	var button *widget.Button
	submit := func() {
		u.touch()
		if button.Disabled() { // argon2 is checking the password already
			return
		}
		button.Disable()
		officer, password := id.Text, pw.Text
		u.background(func() func() {
			s, err := u.booth.SignIn(u.ctx(), officer, password)
			return func() {
				if err != nil {
					u.showSignIn(u.signInError(err))
					return
				}
				u.afterSignIn(s)
			}
		})
	}
	id.OnSubmitted = func(string) { u.focus(pw) }
	pw.OnSubmitted = func(string) { submit() }
	button = widget.NewButton(u.t("signin.submit"), submit)
	parts := []fyne.CanvasObject{
		widget.NewLabel(u.t("signin.prompt")),
		widget.NewForm(widget.NewFormItem(u.t("signin.id"), id), widget.NewFormItem(u.t("signin.password"), pw)),
		button,
	}
	if msg != "" {
		parts = append(parts, errorLabel(msg))
	}
	// Why nobody can sign in yet (no officers from HQ) is a read of the
	// store: asked off the UI goroutine, shown when it comes.
	notReady := errorLabel("")
	notReady.Hide()
	parts = append(parts, notReady)
	u.background(func() func() {
		missing := u.booth.NotReady(u.ctx())
		return func() {
			if missing != nil {
				notReady.SetText(u.problem(missing))
				notReady.Show()
			}
		}
	})
	if s := u.booth.Session(); s.SignedIn {
		parts = append(parts, widget.NewLabel(u.t("signin.switching", s.Officer.Name)))
	}
	if u.cfg.DemoHint != "" {
		hint := widget.NewLabel(u.t("signin.demo_hint") + "\n" + u.cfg.DemoHint)
		hint.Importance = widget.MediumImportance
		hint.Wrapping = fyne.TextWrapWord
		parts = append(parts, widget.NewSeparator(), hint)
	}
	u.buildMenu()
	u.win.SetContent(u.centred(u.t("signin.title"), parts...))
	u.focus(id)
}

func (u *UI) signInError(err error) string {
	switch app.ErrorCode(err) {
	case app.EUNAUTHORIZED:
		return u.t("signin.wrong")
	case app.ELOCKED:
		return u.t("signin.locked_out")
	case app.EINVALID:
		return u.t("signin.need_id")
	}
	return u.errText(err)
}

// showLock shows the lock screen: the same officer types the password; another
// officer switches.
func (u *UI) showLock(msg string) {
	u.leaveAdmin()
	u.screen, u.insp, u.message = ScreenLock, nil, msg
	s := u.booth.Session()
	pw := widget.NewPasswordEntry()
	pw.SetPlaceHolder(u.t("signin.password"))
	unlock := widget.NewButton(u.t("lock.unlock"), func() { pw.OnSubmitted(pw.Text) })
	pw.OnSubmitted = func(password string) {
		u.touch()
		if unlock.Disabled() { // argon2 is checking the password already
			return
		}
		unlock.Disable()
		u.background(func() func() {
			s, err := u.booth.Unlock(u.ctx(), password)
			return func() {
				if err != nil {
					u.showLock(u.signInError(err))
					return
				}
				u.afterSignIn(s)
			}
		})
	}
	parts := []fyne.CanvasObject{
		widget.NewLabel(u.t("lock.by", s.Officer.Name, s.Officer.ID)),
		pw,
		container.NewHBox(
			unlock,
			layout.NewSpacer(),
			widget.NewButton(u.t("menu.switch"), func() { u.showSignIn("") }),
		),
	}
	if msg != "" {
		parts = append(parts, errorLabel(msg))
	}
	u.buildMenu()
	u.win.SetContent(u.centred(u.t("lock.title"), parts...))
	u.focus(pw)
}

// showShift shows the form that opens a shift: post, booth, direction.
func (u *UI) showShift(msg string) {
	u.leaveAdmin()
	u.screen, u.insp, u.message = ScreenShift, nil, msg
	s := u.booth.Session()
	post := widget.NewEntry()
	post.SetText(u.cfg.Post)
	booth := widget.NewEntry()
	booth.SetText(u.cfg.Booth)
	dirs := []string{u.t("dir.entry"), u.t("dir.exit")}
	dir := widget.NewRadioGroup(dirs, nil)
	dir.Horizontal = true
	dir.SetSelected(dirs[0])
	var button *widget.Button
	open := func() {
		u.touch()
		if button.Disabled() { // the shift is being opened already
			return
		}
		button.Disable()
		d := app.Entry
		if dir.Selected == dirs[1] {
			d = app.Exit
		}
		at, in := post.Text, booth.Text
		u.background(func() func() {
			_, err := u.booth.OpenShift(u.ctx(), at, in, d)
			return func() {
				if err != nil {
					u.showShift(u.errText(err))
					return
				}
				u.showInspect()
			}
		})
	}
	post.OnSubmitted = func(string) { u.focus(booth) }
	booth.OnSubmitted = func(string) { open() }
	button = widget.NewButton(u.t("shift.open"), open)
	parts := []fyne.CanvasObject{
		widget.NewLabel(u.t("shift.officer", s.Officer.Name, s.Officer.ID)),
		widget.NewForm(
			widget.NewFormItem(u.t("shift.post"), post),
			widget.NewFormItem(u.t("shift.booth"), booth),
			widget.NewFormItem(u.t("shift.direction"), dir),
		),
		button,
	}
	if msg != "" {
		parts = append(parts, errorLabel(msg))
	}
	u.buildMenu()
	u.win.SetContent(u.centred(u.t("shift.title"), parts...))
	if post.Text == "" {
		u.focus(post)
	} else {
		u.focus(booth)
	}
}

// showShiftClosed shows the closed shift's counts.
func (u *UI) showShiftClosed(c app.ShiftCounts) {
	u.leaveAdmin()
	u.screen, u.insp, u.message = ScreenShiftClosed, nil, ""
	row := func(key string, n int) *widget.FormItem {
		return widget.NewFormItem(u.t(key), widget.NewLabel(fmt.Sprint(n)))
	}
	again := widget.NewButton(u.t("shift.open_new"), func() { u.showShift("") })
	parts := []fyne.CanvasObject{
		widget.NewForm(
			row("counts.inspections", c.Inspections),
			row("counts.admitted", c.Admitted),
			row("counts.refused", c.Refused),
			row("counts.referred", c.Referred),
			row("counts.overrides", c.Overrides),
			row("counts.set_aside", c.SetAside),
			row("counts.hits", c.Hits),
		),
		container.NewHBox(again, layout.NewSpacer(), widget.NewButton(u.t("menu.sign_out"), u.signOut)),
	}
	u.buildMenu()
	u.win.SetContent(u.centred(u.t("shift.closed"), parts...))
	u.focus(again)
}
