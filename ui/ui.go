// Package ui is the booth's Fyne front: sign-in, lock, shifts, the inspection
// screen and the status bar. It draws what the booth's core (Booth, which
// *app.Booth satisfies) decides and hands the officer's actions back to it; it
// never touches SQLite, a serial port or HTTP, and decides no threshold. The
// UI goroutine never waits on the core: calls that may touch the disk run on
// another goroutine, and their results, like all work from other goroutines
// (the reader, the status ticker, the idle lock), reach the widgets only
// through fyne.Do.
package ui

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/i18n"
)

// Screens the booth window shows, as Screen reports them.
const (
	ScreenSignIn      = "sign_in"
	ScreenLock        = "lock"
	ScreenShift       = "shift"
	ScreenInspect     = "inspect"
	ScreenShiftClosed = "shift_closed"
)

// Config is how the booth window behaves at this post.
type Config struct {
	// Language before anyone signs in ("ky", "ru", "en"); officers then use their own.
	Language string
	// Post and Booth prefill the open-shift form.
	Post, Booth string
	// DemoHint is shown on the sign-in screen (demo mode: the demo officers).
	DemoHint string
	// NextTraveller, when set, adds "Next traveller" (Alt+N): the demo's
	// simulated reader presents the next document of its queue. It is called
	// on a goroutine of its own, never the UI's.
	NextTraveller func()
	// PrintRefusal, when set, offers "Print refusal form" (Alt+P) after a
	// refusal: it saves the form of refusal c, refused by officer o, in lang
	// beside English, and returns where (booth.PrintRefusal). Called off the
	// UI goroutine.
	PrintRefusal func(c app.Crossing, o app.Officer, lang string) (path string, err error)
	// PrintShift, when set, offers "Print shift report" in the shift review:
	// it saves the end-of-shift report of r in lang and returns where
	// (booth.PrintShiftReport). Called off the UI goroutine.
	PrintShift func(r app.ShiftReview, lang string) (path string, err error)
	// Training, when set, is shown above the inspection screen: the
	// training booth's strip (ui/training.go).
	Training fyne.CanvasObject
	// StatusEvery is how often the status bar refreshes (default 2 s); 0 keeps
	// the default, negative refreshes only on demand (tests).
	StatusEvery time.Duration
	// Log receives what the officer is not shown in full (default slog.Default).
	Log *slog.Logger
	// Do hands a function to the UI goroutine (default fyne.Do): every result
	// of the booth's calls, and all work from other goroutines, reaches the
	// widgets through it. The headless tests, whose fyne.Do runs the function
	// at once on the calling goroutine, queue it and run it on their own.
	Do func(func())
}

// UI is the booth window and its screens.
type UI struct {
	booth Booth
	cat   *i18n.Catalog
	words *words // the language every widget draws in
	cfg   Config
	win   fyne.Window
	log   *slog.Logger
	jobs  jobs

	screen  string
	message string
	insp    *inspection
	prompt  *prompt // the open question, nil when none (safety.go)
	// waiting are reads that came while one was undecided, oldest first:
	// each comes on screen in turn, none is dropped (safety.go).
	waiting  []app.ReaderEvent
	formPath string // where the last refusal form was saved (safety.go)
	status   *statusBar
	stop     chan struct{}
	stopOnce sync.Once
	adm      *adminScreen                // the administration on show, nil otherwise (admin.go)
	rev      *reviewScreen               // the shift review on show, nil otherwise (review.go)
	sec      *secondaryScreen            // the secondary queue on show, nil otherwise (secondary.go)
	testing  atomic.Pointer[adminScreen] // the reader test running: reads go to it, not to the inspection
}

// New builds the booth UI in window w. Call Start to run its background work.
// The status bar fills in once the booth has answered; Wait waits for it.
func New(w fyne.Window, b Booth, cat *i18n.Catalog, cfg Config) *UI {
	if cfg.Language == "" {
		cfg.Language = "en"
	}
	if cfg.StatusEvery == 0 {
		cfg.StatusEvery = 2 * time.Second
	}
	if cfg.Do == nil {
		cfg.Do = fyne.Do
	}
	u := &UI{booth: b, cat: cat, words: &words{cat: cat, lang: cfg.Language}, cfg: cfg, win: w, log: cfg.Log, stop: make(chan struct{})}
	u.jobs.idle = sync.NewCond(&u.jobs.mu)
	if u.log == nil {
		u.log = slog.Default()
	}
	if a := fyne.CurrentApp(); a != nil {
		UseTheme(a)
	}
	u.status = newStatusBar(u.words)
	// The core decides when the booth is idle (app.Booth.IdleLock on its
	// clock); the window only shows the lock screen.
	b.OnIdleLock(func(err error) { u.apply(func() { u.idleLocked(err) }) })
	// HQ disabled the signed-in officer: the core has signed them out; the
	// window goes back to sign-in and says why.
	b.OnSessionEnded(func(e *app.Error) { u.apply(func() { u.showSignIn(u.problem(e)) }) })
	// HQ's national history, or the booth's giving up on it, comes later.
	b.OnUpdate(func(v *app.InspectionView) {
		u.apply(func() {
			if u.insp != nil && u.screen == ScreenInspect {
				u.insp.updated(v)
			}
		})
	})
	u.touch()
	u.showSignIn("")
	u.RefreshStatus()
	return u
}

// Start runs the status ticker until Stop.
func (u *UI) Start() {
	if u.cfg.StatusEvery > 0 {
		go u.loop(u.cfg.StatusEvery, func() { u.refreshStatus() })
	}
}

// Stop ends the background work.
func (u *UI) Stop() { u.stopOnce.Do(func() { close(u.stop) }) }

func (u *UI) loop(every time.Duration, f func()) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-u.stop:
			return
		case <-t.C:
			f()
		}
	}
}

// Window returns the booth window.
func (u *UI) Window() fyne.Window { return u.win }

// Screen says which screen is showing (ScreenSignIn, …).
func (u *UI) Screen() string { return u.screen }

// Message returns the last sentence shown to the officer for an error or a
// refused action, "" when none.
func (u *UI) Message() string { return u.message }

// Language returns the language the screens are drawn in.
func (u *UI) Language() string { return u.lang() }

func (u *UI) lang() string { return u.words.lang }

// t returns key's words in the current language.
func (u *UI) t(key string, args ...any) string { return u.words.t(key, args...) }

// touch reports the officer's action to the core's idle lock.
func (u *UI) touch() { u.booth.Touch() }

// idleLocked shows the lock screen after the core locked an idle booth.
func (u *UI) idleLocked(err error) {
	if err != nil {
		u.setMessage(u.errText(err))
		return
	}
	if u.screen != ScreenSignIn && u.screen != ScreenLock {
		u.showLock("")
	}
}

// errText is the officer-facing sentence for err in their language, logged in
// full when it is not one of the booth's own errors.
func (u *UI) errText(err error) string {
	if app.ErrorCode(err) == app.EINTERNAL {
		u.log.Error("booth", "err", err)
	}
	return u.cat.Error(u.lang(), err)
}

// problem is what the officer reads for a problem the view shows, in their language.
func (u *UI) problem(e *app.Error) string {
	if e == nil {
		return ""
	}
	return u.cat.Error(u.lang(), e)
}

func (u *UI) ctx() context.Context { return context.Background() }

// Present shows one document event from any source. Call it from any
// goroutine but the UI's: the booth's work runs on the caller's goroutine and
// the result reaches the window through Config.Do (fyne.Do).
func (u *UI) Present(ev app.ReaderEvent) { u.apply(u.present(ev)) }

// present hands ev to the booth and returns how to show the result. A new
// read while one is undecided is not handed on: the officer is asked first
// (safety.go), so no read vanishes under the next.
func (u *UI) present(ev app.ReaderEvent) (apply func()) {
	if a := u.testing.Load(); a != nil {
		return u.testRead(a, ev)
	}
	if ev.Kind == app.ReaderDocument {
		if cur := u.booth.Current(); cur != nil {
			return func() { u.askSetAside(cur, ev) }
		}
	}
	v, err := u.booth.Present(u.ctx(), ev)
	var st app.Status
	if err == nil && v == nil { // a device event: the status bar shows it
		st = u.booth.Status(u.ctx())
	}
	return func() {
		switch {
		case err != nil:
			u.setMessage(u.errText(err))
		case v == nil:
			u.status.render(st)
		default:
			u.touch()
			if cur := u.booth.Current(); cur != nil && cur.Inspection.ID == v.Inspection.ID {
				v = cur // HQ's answer may have come before this ran
			}
			if u.insp != nil && u.screen == ScreenInspect {
				u.insp.render(v)
			}
		}
	}
}

func (u *UI) refreshStatus() {
	st := u.booth.Status(u.ctx())
	u.apply(func() { u.status.render(st) })
}

// RefreshStatus redraws the status bar as soon as the booth has answered (the
// UI goroutine; the booth is asked on another).
func (u *UI) RefreshStatus() {
	u.background(func() func() {
		st := u.booth.Status(u.ctx())
		return func() { u.status.render(st) }
	})
}

func (u *UI) setMessage(s string) {
	u.message = s
	if u.insp != nil && u.screen == ScreenInspect {
		u.insp.showMessage(s)
	}
}

// Notify shows a sentence to the officer on the inspection screen (the UI goroutine).
func (u *UI) Notify(s string) { u.setMessage(s) }

// SetDirection changes the shift's direction and redraws the header. Call it
// from any goroutine but the UI's: the change is on record when it returns,
// and the header follows through Config.Do. (Alt+D uses the UI's own path.)
func (u *UI) SetDirection(d app.Direction) {
	err := u.booth.SetDirection(u.ctx(), d)
	u.apply(func() {
		if err != nil {
			u.setMessage(u.errText(err))
			return
		}
		if u.insp != nil {
			u.insp.refreshHeader()
		}
	})
}

// Lock locks the booth (reason "idle" or "on_demand") and shows the lock
// screen once the lock is on record (the UI goroutine).
func (u *UI) Lock(reason string) {
	u.background(func() func() {
		err := u.booth.Lock(u.ctx(), reason)
		return func() {
			if err != nil {
				u.setMessage(u.errText(err))
				return
			}
			u.showLock("")
		}
	})
}

// signOut ends the officer's session and shows the sign-in form.
func (u *UI) signOut() {
	u.background(func() func() {
		err := u.booth.SignOut(u.ctx())
		return func() {
			if err != nil {
				u.setMessage(u.errText(err))
				return
			}
			u.showSignIn("")
		}
	})
}

// nextTraveller asks the demo's reader for the next document, off the UI
// goroutine: the document comes back through Present like any other.
func (u *UI) nextTraveller() {
	u.touch()
	go u.cfg.NextTraveller()
}

// The booth's hotkeys. They live in the main menu, because the window gives menu
// shortcuts precedence over the focused Entry (canvas shortcuts never fire while
// the MRZ field has focus).
var (
	KeyAdmit       = &desktop.CustomShortcut{KeyName: fyne.KeyA, Modifier: fyne.KeyModifierAlt}
	KeyRefuse      = &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierAlt}
	KeyRefer       = &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierAlt}
	KeyConfirm     = &desktop.CustomShortcut{KeyName: fyne.KeyC, Modifier: fyne.KeyModifierAlt}
	KeyFalse       = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierAlt}
	KeyNext        = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierAlt}
	KeyLock        = &desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierAlt}
	KeyDir         = &desktop.CustomShortcut{KeyName: fyne.KeyD, Modifier: fyne.KeyModifierAlt}
	KeyMRZFocus    = &desktop.CustomShortcut{KeyName: fyne.KeyM, Modifier: fyne.KeyModifierAlt}
	KeySetAside    = &desktop.CustomShortcut{KeyName: fyne.KeyX, Modifier: fyne.KeyModifierAlt}
	KeyRelyEarlier = &desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: fyne.KeyModifierAlt}
	KeyDataPage    = &desktop.CustomShortcut{KeyName: fyne.KeyT, Modifier: fyne.KeyModifierAlt}
	KeyPrintForm   = &desktop.CustomShortcut{KeyName: fyne.KeyP, Modifier: fyne.KeyModifierAlt}
)

func (u *UI) buildMenu() {
	inspect := func(f func()) func() {
		return func() {
			if u.screen == ScreenInspect {
				u.touch()
				f()
			}
		}
	}
	item := func(key string, sc fyne.Shortcut, f func()) *fyne.MenuItem {
		it := fyne.NewMenuItem(u.t(key), f)
		it.Shortcut = sc
		return it
	}
	boothMenu := fyne.NewMenu(u.t("menu.booth"),
		item("menu.lock", KeyLock, func() {
			if u.screen != ScreenSignIn && u.screen != ScreenLock {
				u.Lock("on_demand")
			}
		}),
		item("menu.direction", KeyDir, inspect(func() { u.insp.toggleDirection() })),
		fyne.NewMenuItem(u.t("menu.switch"), func() {
			if u.screen != ScreenSignIn {
				u.showSignIn("")
			}
		}),
		fyne.NewMenuItem(u.t("menu.close_shift"), inspect(func() { u.closeShift() })),
		item("menu.admin", KeyAdmin, func() { u.toggleAdmin() }),
		item("menu.review", KeyReview, func() { u.toggleReview() }),
		item("menu.secondary", KeySecondary, func() { u.toggleSecondary() }),
		fyne.NewMenuItem(u.t("menu.sign_out"), func() {
			if u.screen != ScreenSignIn && u.screen != ScreenLock {
				u.signOut()
			}
		}),
	)
	// Quit in the officer's language: Fyne adds an English one to the first
	// menu unless its last item is a quit item (its action Fyne's own).
	quit := fyne.NewMenuItem(u.t("menu.quit"), nil)
	quit.IsQuit = true
	boothMenu.Items = append(boothMenu.Items, fyne.NewMenuItemSeparator(), quit)
	decide := fyne.NewMenu(u.t("menu.decide"),
		item("menu.admit", KeyAdmit, inspect(func() { u.insp.decide(app.Admit) })),
		item("menu.refuse", KeyRefuse, inspect(func() { u.insp.decide(app.Refuse) })),
		item("menu.refer", KeyRefer, inspect(func() { u.insp.decide(app.Refer) })),
		fyne.NewMenuItemSeparator(),
		item("menu.confirm_hit", KeyConfirm, inspect(func() { u.insp.resolveFirst(true) })),
		item("menu.false_match", KeyFalse, inspect(func() { u.insp.resolveFirst(false) })),
		item("menu.mrz", KeyMRZFocus, inspect(func() { u.insp.focusMRZ() })),
		item("menu.data_page", KeyDataPage, inspect(u.askDataPage)),
		item("menu.print_refusal", KeyPrintForm, inspect(func() { u.insp.printRefusal() })),
		item("menu.set_aside", KeySetAside, inspect(func() { u.SetAside() })),
		item("menu.rely_earlier", KeyRelyEarlier, inspect(func() { u.insp.relyOnEarlier("") })),
	)
	if u.cfg.NextTraveller != nil {
		decide.Items = append(decide.Items, fyne.NewMenuItemSeparator(),
			item("menu.next", KeyNext, func() {
				// The demo's reader feeds the reader test too (admin.go).
				if u.screen == ScreenInspect || u.screen == ScreenAdmin && u.testing.Load() != nil {
					u.nextTraveller()
				}
			}))
	}
	var langItems []*fyne.MenuItem
	for _, l := range u.cat.Languages() {
		l := l
		it := fyne.NewMenuItem(u.cat.T(l, "language.name"), func() { u.SetLanguage(l) })
		it.Checked = l == u.lang()
		langItems = append(langItems, it)
	}
	u.win.SetMainMenu(fyne.NewMainMenu(boothMenu, decide, fyne.NewMenu(u.t("menu.language"), langItems...)))
}

// Shortcut fires the menu item bound to s, as the window does for a key press;
// it reports whether one was bound. Tests and the demo automation use it.
func (u *UI) Shortcut(s fyne.Shortcut) bool {
	m := u.win.MainMenu()
	if m == nil {
		return false
	}
	for _, menu := range m.Items {
		for _, it := range menu.Items {
			if it.Shortcut != nil && it.Shortcut.ShortcutName() == s.ShortcutName() && it.Action != nil {
				it.Action()
				return true
			}
		}
	}
	return false
}

// SetLanguage redraws the booth in lang and, when an officer is signed in,
// keeps it as their language (the UI goroutine; the booth records it on another).
func (u *UI) SetLanguage(lang string) {
	s := u.booth.Session()
	if !s.SignedIn || s.Locked {
		u.redraw(lang)
		return
	}
	u.background(func() func() {
		err := u.booth.SetLanguage(u.ctx(), lang)
		return func() {
			if err != nil {
				u.setMessage(u.errText(err))
				return
			}
			u.redraw(lang)
		}
	})
}

// redraw draws the screen on show again in lang.
func (u *UI) redraw(lang string) {
	u.words.lang = lang
	defer u.RefreshStatus()
	switch u.screen {
	case ScreenInspect:
		cur := u.booth.Current()
		u.showInspect()
		if cur != nil {
			u.insp.render(cur)
		}
	case ScreenShift:
		u.showShift("")
	case ScreenLock:
		u.showLock("")
	case ScreenShiftClosed:
		u.buildMenu()
	case ScreenAdmin:
		u.openAdmin()
	case ScreenReview:
		u.showReview()
	case ScreenSecondary:
		u.showSecondary()
	default:
		u.showSignIn("")
	}
}

// afterSignIn goes where the officer works next: their open shift, or the form
// to open one.
func (u *UI) afterSignIn(s app.Session) {
	if s.Officer.Language != "" {
		u.words.lang = s.Officer.Language
	}
	if s.HasShift {
		u.showInspect()
		if cur := u.booth.Current(); cur != nil {
			u.insp.render(cur)
		}
		return
	}
	u.showShift("")
}

// focus puts the keyboard focus on w.
func (u *UI) focus(w fyne.Focusable) {
	if w != nil {
		u.win.Canvas().Focus(w)
	}
}

var _ fyne.Focusable = (*widget.Entry)(nil)
