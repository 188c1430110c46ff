package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
)

// ScreenAdmin is the booth's administration (post-admin only).
const ScreenAdmin = "admin"

// KeyAdmin opens the booth's administration, and closes it again.
var KeyAdmin = &desktop.CustomShortcut{KeyName: fyne.KeyB, Modifier: fyne.KeyModifierAlt}

// Admin is what the administration screen asks of the booth's core;
// *app.Booth satisfies it. The core checks the role at every call: the screen
// only spares others a screen they could not use.
type Admin interface {
	Administer() error
	Devices(ctx context.Context) (app.DeviceSettings, error)
	SaveDevices(ctx context.Context, d app.DeviceSettings) error
	LinkDetail(ctx context.Context) (app.LinkDetail, error)
	SyncNow(ctx context.Context) error
	BackUp(ctx context.Context, folder string) (app.Backup, error)
	VerifyAudit(ctx context.Context) (app.AuditReport, error)
	CheckRead(ctx context.Context, ev app.ReaderEvent) (app.ReaderCheck, error)
}

// adminScreen is the administration screen's state: the widgets its results
// are drawn into, and the reader test's lines.
type adminScreen struct {
	adm     Admin
	port    *widget.Entry
	proto   *widget.Select
	baud    *widget.Entry
	camera  *widget.Entry
	folder  *widget.Entry
	link    *widget.Form
	result  *widget.Label // the last action's outcome
	testLog *widget.Label
	test    *widget.Button
	lines   []string
	testing bool
}

// maxTestLines is how many of the reader test's events stay on screen.
const maxTestLines = 8

// admin returns the booth's administration, nil when the booth has none.
func (u *UI) admin() Admin {
	a, _ := u.booth.(Admin)
	return a
}

// toggleAdmin opens the administration or, when it is showing, goes back to
// where the officer was.
func (u *UI) toggleAdmin() {
	if u.screen == ScreenAdmin {
		u.closeAdmin()
		return
	}
	u.openAdmin()
}

// openAdmin asks the core whether the officer may administer the booth and,
// when they may, shows the administration with the saved devices and the link.
func (u *UI) openAdmin() {
	adm := u.admin()
	if adm == nil || u.screen == ScreenSignIn || u.screen == ScreenLock {
		return
	}
	u.touch()
	u.background(func() func() {
		if err := adm.Administer(); err != nil {
			return func() { u.refuse(err) }
		}
		d, derr := adm.Devices(u.ctx())
		l, lerr := adm.LinkDetail(u.ctx())
		st := u.booth.Status(u.ctx())
		return func() {
			u.status.render(st)
			u.showAdmin(adm, d, l)
			if err := firstErr(derr, lerr); err != nil {
				u.adminResult(u.errText(err), true)
			}
		}
	})
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// refuse says why an action was refused on the screen the officer is on.
func (u *UI) refuse(err error) {
	if u.screen == ScreenShift {
		u.showShift(u.errText(err))
		return
	}
	u.setMessage(u.errText(err))
}

// closeAdmin leaves the administration for the officer's shift or its form.
func (u *UI) closeAdmin() {
	u.leaveAdmin()
	u.afterSignIn(u.booth.Session())
}

// leaveAdmin ends the reader test and forgets the administration's widgets;
// every other screen calls it, so reads go to the inspection again.
func (u *UI) leaveAdmin() {
	u.testing.Store(nil)
	u.adm = nil
	u.rev, u.sec = nil, nil // the review and the secondary queue too (review.go, secondary.go)
}

// showAdmin draws the administration: devices on the left, the HQ link and
// the store's actions on the right. Enter in a field does its section's
// action; Tab walks the fields and buttons; Alt+B goes back.
func (u *UI) showAdmin(adm Admin, d app.DeviceSettings, l app.LinkDetail) {
	u.leaveAdmin()
	u.screen, u.insp, u.message = ScreenAdmin, nil, ""
	a := &adminScreen{adm: adm}
	u.adm = a

	a.port = widget.NewEntry()
	a.port.SetPlaceHolder("/dev/serial/by-id/usb-…")
	a.port.SetText(d.ReaderPort)
	a.proto = widget.NewSelect(readerProtocols, nil)
	a.proto.PlaceHolder = u.t("admin.protocol_choose")
	if d.ReaderProtocol != "" {
		a.proto.SetSelected(d.ReaderProtocol)
	}
	a.baud = widget.NewEntry()
	a.baud.SetPlaceHolder("9600")
	if d.ReaderBaud > 0 {
		a.baud.SetText(strconv.Itoa(d.ReaderBaud))
	}
	a.camera = widget.NewEntry()
	a.camera.SetPlaceHolder("/dev/video0")
	a.camera.SetText(d.Camera)
	save := widget.NewButtonWithIcon(u.t("admin.save_devices"), theme.DocumentSaveIcon(), u.saveDevices)
	for _, e := range []*widget.Entry{a.port, a.baud, a.camera} {
		e.OnSubmitted = func(string) { u.saveDevices() }
	}
	a.test = widget.NewButtonWithIcon(u.t("admin.test_reader"), theme.MediaPlayIcon(), u.toggleReaderTest)
	a.testLog = widget.NewLabel(u.t("admin.test_off"))
	a.testLog.Wrapping = fyne.TextWrapWord
	a.testLog.TextStyle = fyne.TextStyle{Monospace: true}

	devices := container.NewVBox(
		heading(u.t("admin.reader")),
		widget.NewForm(
			widget.NewFormItem(u.t("admin.port"), a.port),
			widget.NewFormItem(u.t("admin.protocol"), a.proto),
			widget.NewFormItem(u.t("admin.baud"), a.baud),
		),
		heading(u.t("admin.camera")),
		widget.NewForm(widget.NewFormItem(u.t("admin.camera_device"), a.camera)),
		widget.NewLabel(u.t("admin.devices_note")),
		container.NewHBox(save, a.test),
		a.testLog,
	)

	a.link = widget.NewForm()
	a.folder = widget.NewEntry()
	a.folder.SetPlaceHolder("/media/usb")
	a.folder.OnSubmitted = func(string) { u.backUp() }
	a.result = widget.NewLabel("")
	a.result.Wrapping = fyne.TextWrapWord
	store := container.NewVBox(
		heading(u.t("admin.link")),
		a.link,
		container.NewHBox(
			widget.NewButtonWithIcon(u.t("admin.sync_now"), theme.ViewRefreshIcon(), u.syncNow),
			widget.NewButtonWithIcon(u.t("admin.verify_audit"), theme.ConfirmIcon(), u.verifyAudit),
		),
		heading(u.t("admin.backup")),
		widget.NewForm(widget.NewFormItem(u.t("admin.backup_folder"), a.folder)),
		widget.NewButtonWithIcon(u.t("admin.back_up"), theme.DownloadIcon(), u.backUp),
		a.result,
	)
	u.renderLink(l)

	s := u.booth.Session()
	title := widget.NewLabelWithStyle(u.t("admin.title", s.Officer.Name, s.Officer.ID), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	back := widget.NewButtonWithIcon(u.t("admin.back"), theme.NavigateBackIcon(), u.closeAdmin)
	top := container.NewBorder(nil, nil, nil, back, title)
	body := container.NewGridWithColumns(2, container.NewVScroll(devices), container.NewVScroll(store))
	u.buildMenu()
	u.win.SetContent(container.NewBorder(container.NewPadded(top), u.status.box, nil, nil, container.NewPadded(body)))
	u.focus(a.port)
}

// readerProtocols are the reader protocols the booth speaks (devices/reader).
var readerProtocols = []string{"lines", "3m", "desko", "elyctis"}

func heading(s string) *widget.Label {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return l
}

// renderLink draws the HQ link in detail.
func (u *UI) renderLink(l app.LinkDetail) {
	a := u.adm
	if a == nil {
		return
	}
	when := func(t time.Time) string {
		if t.IsZero() {
			return u.t("admin.never")
		}
		return fmt.Sprintf("%s (%s)", t.Local().Format("2006-01-02 15:04:05"), u.status.age(l.Now, t))
	}
	version := func(v app.Version) string {
		switch {
		case v.Name == "":
			return u.t("version.none")
		case v.At.IsZero():
			return v.Name
		}
		return fmt.Sprintf("%s (%s)", v.Name, u.status.age(l.Now, v.At))
	}
	state := u.t("hq.alone")
	switch {
	case !l.Enrolled:
	case l.LastAttempt.IsZero():
		state = u.t("hq.never")
	case l.Connected:
		state = u.t("hq.up")
	default:
		state = u.t("hq.down")
	}
	lastErr := u.t("admin.no_error")
	if l.Problem != nil {
		lastErr = u.problem(l.Problem)
	}
	pending, oldest := "?", u.t("admin.none_waiting")
	if l.Pending >= 0 {
		pending = strconv.Itoa(l.Pending)
	}
	if !l.OldestPending.IsZero() {
		oldest = when(l.OldestPending)
	}
	row := func(key, v string) *widget.FormItem {
		lab := widget.NewLabel(v)
		lab.Wrapping = fyne.TextWrapWord
		return widget.NewFormItem(u.t(key), lab)
	}
	a.link.Items = []*widget.FormItem{
		row("admin.link_state", state),
		row("admin.last_attempt", when(l.LastAttempt)),
		row("admin.last_sync", when(l.LastSync)),
		row("admin.last_error", lastErr),
		row("admin.pending", pending),
		row("admin.oldest_pending", oldest),
		row("status.lists", version(l.Lists)),
		row("status.rules", version(l.Rules)),
		row("admin.officers", version(l.Officers)),
		row("status.clock", u.clockText(l.SyncState)),
	}
	a.link.Refresh()
}

// adminResult shows the last action's outcome under the actions.
func (u *UI) adminResult(s string, bad bool) {
	if u.adm == nil {
		return
	}
	u.message = s
	u.adm.result.Importance = widget.SuccessImportance
	if bad {
		u.adm.result.Importance = widget.DangerImportance
	}
	u.adm.result.SetText(s)
}

// adminDo runs an administrative call off the UI goroutine, then the link
// detail, and draws both.
func (u *UI) adminDo(work func(Admin) (string, error)) {
	a := u.adm
	if a == nil {
		return
	}
	u.touch()
	u.adminResult(u.t("admin.working"), false)
	u.background(func() func() {
		msg, err := work(a.adm)
		l, lerr := a.adm.LinkDetail(u.ctx())
		st := u.booth.Status(u.ctx())
		return func() {
			if u.adm != a {
				return // the officer left the screen meanwhile
			}
			if lerr == nil {
				u.renderLink(l)
			}
			u.status.render(st)
			if err != nil {
				u.adminResult(u.errText(err), true)
				return
			}
			u.adminResult(msg, false)
		}
	})
}

func (u *UI) saveDevices() {
	a := u.adm
	if a == nil {
		return
	}
	d := app.DeviceSettings{ReaderPort: a.port.Text, ReaderProtocol: a.proto.Selected, Camera: a.camera.Text}
	if b := strings.TrimSpace(a.baud.Text); b != "" {
		n, err := strconv.Atoi(b)
		if err != nil || n <= 0 {
			u.adminResult(u.t("err.admin_baud"), true)
			return
		}
		d.ReaderBaud = n
	}
	u.adminDo(func(adm Admin) (string, error) {
		return u.t("admin.devices_saved"), adm.SaveDevices(u.ctx(), d)
	})
}

func (u *UI) syncNow() {
	u.adminDo(func(adm Admin) (string, error) { return u.t("admin.synced"), adm.SyncNow(u.ctx()) })
}

func (u *UI) backUp() {
	a := u.adm
	if a == nil {
		return
	}
	folder := a.folder.Text
	u.adminDo(func(adm Admin) (string, error) {
		b, err := adm.BackUp(u.ctx(), folder)
		return u.t("admin.backed_up", b.File, float64(b.Bytes)/(1<<20), b.Crossings, b.AuditEntries), err
	})
}

func (u *UI) verifyAudit() {
	u.adminDo(func(adm Admin) (string, error) {
		r, err := adm.VerifyAudit(u.ctx())
		if err != nil || r.Intact() {
			return u.t("admin.audit_whole", r.Entries), err
		}
		if r.FirstBroken != 0 {
			return "", app.Errork(app.EINVALID, "admin.audit_broken", "The audit chain is broken at entry %d: %s. Call HQ; do not repair it here.", r.FirstBroken, r.Reason)
		}
		return "", app.Errork(app.EINVALID, "admin.audit_missing", "%d decided crossings are gone from the store without a recorded purge. Call HQ.", r.Missing)
	})
}

// toggleReaderTest starts or stops the reader test: while it runs, every
// event of the booth's reader and camera is shown here, checked but never
// recorded as an inspection.
func (u *UI) toggleReaderTest() {
	a := u.adm
	if a == nil {
		return
	}
	u.touch()
	a.testing = !a.testing
	if a.testing {
		u.testing.Store(a)
		a.lines = nil
		a.testLog.SetText(u.t("admin.test_waiting"))
		a.test.SetText(u.t("admin.test_stop"))
		a.test.SetIcon(theme.MediaStopIcon())
	} else {
		u.testing.Store(nil)
		a.testLog.SetText(u.t("admin.test_off"))
		a.test.SetText(u.t("admin.test_reader"))
		a.test.SetIcon(theme.MediaPlayIcon())
	}
}

// testRead checks one reader event for the reader test a (the reader's
// goroutine) and returns how to show it.
func (u *UI) testRead(a *adminScreen, ev app.ReaderEvent) (apply func()) {
	c, err := a.adm.CheckRead(u.ctx(), ev)
	st := u.booth.Status(u.ctx())
	return func() {
		u.status.render(st)
		if u.adm != a || !a.testing {
			return
		}
		line := ""
		if err != nil {
			line = u.errText(err)
		} else {
			line = c.At.Local().Format("15:04:05") + "  " + u.describeRead(c)
		}
		a.lines = append([]string{line}, a.lines...)
		if len(a.lines) > maxTestLines {
			a.lines = a.lines[:maxTestLines]
		}
		a.testLog.SetText(strings.Join(a.lines, "\n"))
	}
}

// describeRead says what the reader sent, in the officer's words.
func (u *UI) describeRead(c app.ReaderCheck) string {
	switch c.Kind {
	case app.ReaderConnected:
		return u.t("admin.test_connected")
	case app.ReaderDisconnected:
		return u.t("admin.test_disconnected", c.Message)
	case app.ReaderError:
		return u.t("admin.test_error", c.Message)
	}
	src := string(c.Source)
	if src == "" {
		src = string(app.FromReader)
	}
	from := ""
	if u.words.has("source."+src, true) {
		from = " — " + u.t("source."+src)
	}
	if c.Valid {
		return u.t("admin.test_valid", c.DocumentCode, len(c.Lines)) + from
	}
	var ps []string
	for _, p := range c.Problems {
		if u.words.has("mrz."+p, true) {
			p = u.t("mrz." + p)
		}
		ps = append(ps, p)
	}
	return u.t("admin.test_invalid", c.DocumentCode, len(c.Lines), strings.Join(ps, " ")) + from
}

// AdminField types s into the administration's field named by key
// (admin.port, admin.baud, admin.camera_device, admin.backup_folder) or picks
// the protocol (admin.protocol) — for tests and the demo's automation.
func (u *UI) AdminField(key, s string) bool {
	a := u.adm
	if a == nil {
		return false
	}
	switch key {
	case "admin.port":
		a.port.SetText(s)
	case "admin.baud":
		a.baud.SetText(s)
	case "admin.camera_device":
		a.camera.SetText(s)
	case "admin.backup_folder":
		a.folder.SetText(s)
	case "admin.protocol":
		a.proto.SetSelected(s)
	default:
		return false
	}
	return true
}

// AdminResult is the last administrative action's outcome as shown.
func (u *UI) AdminResult() string {
	if u.adm == nil {
		return ""
	}
	return u.adm.result.Text
}

// ReaderTestLog is the reader test's lines as shown, newest first.
func (u *UI) ReaderTestLog() string {
	if u.adm == nil {
		return ""
	}
	return u.adm.testLog.Text
}

// AdminLink is the HQ link's detail as shown: label → value.
func (u *UI) AdminLink() map[string]string {
	out := map[string]string{}
	if u.adm == nil {
		return out
	}
	for _, it := range u.adm.link.Items {
		if l, ok := it.Widget.(*widget.Label); ok {
			out[it.Text] = l.Text
		}
	}
	return out
}

// clockText says how the booth's clock stands against HQ's.
func (u *UI) clockText(sy app.SyncState) string {
	if !sy.ClockKnown {
		return u.t("clock.unknown")
	}
	off := sy.ClockOffset.Round(time.Second)
	if off > app.ClockTolerance || off < -app.ClockTolerance {
		return u.t("clock.off", off.String())
	}
	return u.t("clock.ok") + " (" + off.String() + ")"
}
