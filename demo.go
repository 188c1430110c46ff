package main

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/demo"
	"github.com/chekara/chekara/internal/xwd"
	"github.com/chekara/chekara/ui"
)

// drive is --demo-auto, the documented automation hook the end-to-end test
// uses: it works the booth through its own window as an officer would — typing
// into the focused field and pressing Enter, the hotkeys of the menu — with the
// documents arriving from the simulated reader over the pty. Every step that
// does not go as the script says is logged; the status is 0 only when all did.
// With --screenshots it saves each main screen.
func (m *Main) drive() int {
	d := &driver{m: m}
	d.run()
	if d.failed > 0 {
		fmt.Fprintf(os.Stderr, "chekara: demo-auto: %d step(s) failed\n", d.failed)
		return 1
	}
	fmt.Println("demo-auto: done, every traveller decided as scripted")
	return 0
}

type driver struct {
	m      *Main
	failed int
	shot   int
}

func (d *driver) failf(format string, args ...any) {
	d.failed++
	fmt.Fprintf(os.Stderr, "chekara: demo-auto: "+format+"\n", args...)
}

// ui runs f on the UI goroutine and waits (never from a UI callback).
func (d *driver) ui(f func()) { fyne.DoAndWait(f) }

// typeLine types s into the focused widget and presses Enter.
func (d *driver) typeLine(s string) {
	d.ui(func() {
		f := d.m.win.Canvas().Focused()
		if f == nil {
			d.failf("nothing has focus on %s", d.m.ui.Screen())
			return
		}
		for _, r := range s {
			f.TypedRune(r)
		}
		f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
}

func (d *driver) screen() (s string) {
	d.ui(func() { s = d.m.ui.Screen() })
	return s
}

// capture saves the window as NN-name.png when --screenshots is set.
func (d *driver) capture(name string) {
	dir := d.m.cfg.Screenshots
	if dir == "" {
		return
	}
	time.Sleep(300 * time.Millisecond) // let the frame with the change be drawn
	var img image.Image
	var size, min fyne.Size
	d.ui(func() {
		img = d.m.win.Canvas().Capture()
		size, min = d.m.win.Canvas().Size(), d.m.win.Content().MinSize()
	})
	if min.Width > 1366 || min.Height > 768 || size.Width > 1366 || size.Height > 768 {
		d.failf("%s: the screen needs %v in a %v window, more than 1366×768", name, min, size)
	}
	if xwd.Blank(img) {
		x, err := xwd.CaptureRoot()
		if err != nil {
			d.failf("screenshot %s: the window capture is blank and %v", name, err)
			return
		}
		img = x
	}
	d.shot++
	path := filepath.Join(dir, fmt.Sprintf("%02d-%s.png", d.shot, name))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		d.failf("screenshots: %v", err)
		return
	}
	f, err := os.Create(path)
	if err != nil {
		d.failf("screenshot: %v", err)
		return
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		d.failf("screenshot %s: %v", path, err)
	}
}

func (d *driver) shortcut(s fyne.Shortcut) {
	d.ui(func() {
		if !d.m.ui.Shortcut(s) {
			d.failf("shortcut %s is not bound", s.ShortcutName())
		}
	})
}

func (d *driver) message() (s string) {
	d.ui(func() { s = d.m.ui.Message() })
	return s
}

func (d *driver) run() {
	officer := demo.DemoOfficers[0]
	d.capture("sign-in")
	d.typeLine(officer.ID)
	d.typeLine(officer.Password)
	if s := d.screen(); s == ui.ScreenShift {
		d.capture("open-shift")
		d.typeLine("") // the post and booth are prefilled: Enter opens the shift
	}
	if s := d.screen(); s != ui.ScreenInspect {
		d.failf("after sign-in the booth shows %q (%s)", s, d.message())
		return
	}
	d.capture("waiting")
	for {
		t, ok, _ := d.m.queue.Peek()
		if !ok {
			break
		}
		if s := d.m.booth.App.Session(); s.Shift.Direction != t.Direction {
			d.shortcut(ui.KeyDir) // the officer turns the booth; the queue never does
		}
		d.m.nextTraveller()
		v := d.waitFor(t)
		if v == nil {
			d.failf("%s: the document never reached the screen", t.Name)
			continue
		}
		d.capture(t.Name)
		if t.Name == "list-hit" { // the same screen in the officers' other languages
			for _, lang := range []string{"ky", "ru", "en"} {
				d.ui(func() { d.m.ui.SetLanguage(lang) })
				if lang != "en" {
					d.capture(t.Name + "-" + lang)
				}
			}
		}
		d.resolve(t, v)
		d.decide(t)
	}
	// Lock on demand and unlock.
	d.shortcut(ui.KeyLock)
	if d.screen() != ui.ScreenLock {
		d.failf("Alt+L did not lock the booth")
	}
	d.capture("locked")
	d.typeLine(officer.Password)
	if d.screen() != ui.ScreenInspect {
		d.failf("unlocking failed: %s", d.message())
	}
	// With the demo's HQ next door every record should reach it within seconds.
	if d.m.booth.Link != nil {
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) && d.m.booth.App.Status(d.m.ctx).Sync.Pending != 0 {
			d.m.booth.Link.Wake()
			time.Sleep(200 * time.Millisecond)
		}
		if st := d.m.booth.App.Status(d.m.ctx).Sync; st.Pending != 0 {
			d.failf("%d records still wait for HQ: %s", st.Pending, st.LastError)
		}
	}
	d.ui(func() { d.m.ui.RefreshStatus() })
	d.capture("status-after-sync")
	d.ui(func() {
		for _, it := range d.m.win.MainMenu().Items[0].Items {
			if it.Label == "Close shift" {
				it.Action()
			}
		}
	})
	d.capture("close-shift-summary")
	d.ui(func() { d.m.ui.AnswerPrompt("") })
	if d.screen() != ui.ScreenShiftClosed {
		d.failf("closing the shift failed: %s", d.message())
	}
	d.capture("shift-closed")
}

// waitFor waits until t's document is on the inspection screen.
func (d *driver) waitFor(t demo.DemoTraveller) *app.InspectionView {
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		var v *app.InspectionView
		d.ui(func() { v = d.m.ui.Inspection() })
		if v != nil && strings.Join(v.Inspection.Lines, "\n") == strings.Join(t.Lines, "\n") {
			return v
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil
}

func (d *driver) resolve(t demo.DemoTraveller, v *app.InspectionView) {
	for range v.Hits {
		switch t.Resolve {
		case "confirm":
			d.shortcut(ui.KeyConfirm)
		case "false":
			d.ui(func() { d.m.ui.SetNote(t.Note) })
			d.shortcut(ui.KeyFalse)
		default:
			d.failf("%s: a hit the script does not expect", t.Name)
			return
		}
		if msg := d.message(); msg != "" {
			d.failf("%s: resolving: %s", t.Name, msg)
		}
	}
	if len(v.Hits) > 0 {
		d.capture(t.Name + "-resolved")
	}
}

func (d *driver) decide(t demo.DemoTraveller) {
	switch t.Decision {
	case app.Admit:
		d.shortcut(ui.KeyAdmit)
	case app.Refuse:
		d.ui(func() {
			if !d.m.ui.SetRefusalReason(t.Reason) {
				d.failf("%s: refusal reason %s not offered", t.Name, t.Reason)
			}
		})
		d.shortcut(ui.KeyRefuse)
	case app.Refer:
		d.ui(func() { d.m.ui.SetNote(t.Note) })
		d.shortcut(ui.KeyRefer)
	}
	var still bool
	d.ui(func() { still = d.m.ui.Inspection() != nil })
	if still {
		d.failf("%s: %s was not recorded: %s", t.Name, t.Decision, d.message())
	}
}
