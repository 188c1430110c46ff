package ui

import (
	"context"
	"sync"

	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/i18n"
)

// Booth is what the window asks of the booth's core: exactly the calls the
// screens make. *app.Booth satisfies it; every call but Session, Current and
// RefusalReasons may wait on the disk (an fsync, argon2), so the screens make
// them off the UI goroutine.
type Booth interface {
	Session() app.Session
	SignIn(ctx context.Context, officerID, password string) (app.Session, error)
	// NotReady says why nobody can sign in yet (no officers from HQ), nil when someone can.
	NotReady(ctx context.Context) *app.Error
	SignOut(ctx context.Context) error
	Lock(ctx context.Context, reason string) error
	Unlock(ctx context.Context, password string) (app.Session, error)
	SetLanguage(ctx context.Context, lang string) error
	OpenShift(ctx context.Context, post, booth string, d app.Direction) (app.Shift, error)
	SetDirection(ctx context.Context, d app.Direction) error
	ShiftSummary(ctx context.Context) (app.ShiftSummary, error)
	CloseShift(ctx context.Context, note string) (app.ShiftCounts, error)
	SetAside(ctx context.Context, note string) (app.SetAside, error)
	RelyOnEarlier(ctx context.Context, listID string) (*app.InspectionView, error)
	Present(ctx context.Context, ev app.ReaderEvent) (*app.InspectionView, error)
	// CheckDataPage checks a typed data page (pure: the form calls it as the officer submits).
	CheckDataPage(p app.DataPage) (app.Document, []app.Problem)
	Current() *app.InspectionView
	Resolve(ctx context.Context, listID string, confirmed bool, note string) (*app.InspectionView, error)
	Decide(ctx context.Context, r app.DecisionRequest) (app.Crossing, error)
	Status(ctx context.Context) app.Status
	Touch()
	OnIdleLock(func(error))
	// OnSessionEnded: the core signed the officer out itself (HQ disabled them).
	OnSessionEnded(func(*app.Error))
	OnUpdate(func(*app.InspectionView))
	RefusalReasons() app.RefusalReasons
}

// words is the officer's language as the widgets need it: the screens share
// one, so a change of language reaches every widget's next render.
type words struct {
	cat  *i18n.Catalog
	lang string
}

// t returns key's words in the current language.
func (w *words) t(key string, args ...any) string { return w.cat.T(w.lang, key, args...) }

// problem is what the officer reads for a problem a view shows.
func (w *words) problem(e *app.Error) string {
	if e == nil {
		return ""
	}
	return w.cat.Error(w.lang, e)
}

// has reports whether key is translated in the current language (or, with
// fallback, in English).
func (w *words) has(key string, fallback bool) bool {
	return w.cat.Has(w.lang, key) || fallback && w.cat.Has("en", key)
}

// importance is how a line is drawn at level l; its words always say the same.
func importance(l app.Level) widget.Importance {
	switch l {
	case app.LevelStop:
		return widget.DangerImportance
	case app.LevelCaution:
		return widget.WarningImportance
	}
	return widget.MediumImportance
}

// jobs counts the booth calls started from the window whose results are not
// yet on screen, so Wait can tell when the screen has caught up.
type jobs struct {
	mu      sync.Mutex
	idle    *sync.Cond
	pending int
}

func (j *jobs) add() {
	j.mu.Lock()
	j.pending++
	j.mu.Unlock()
}

func (j *jobs) done() {
	j.mu.Lock()
	if j.pending--; j.pending == 0 {
		j.idle.Broadcast()
	}
	j.mu.Unlock()
}

func (j *jobs) wait() {
	j.mu.Lock()
	for j.pending > 0 {
		j.idle.Wait()
	}
	j.mu.Unlock()
}

// background runs work — a call into the booth that may wait on the disk —
// off the UI goroutine, then applies what it returns on the UI goroutine
// through Config.Do (fyne.Do). Callbacks of the window use it, so the window
// keeps drawing and taking keys while an fsync or argon2 runs.
func (u *UI) background(work func() (apply func())) {
	u.jobs.add()
	go func() {
		apply := work()
		u.cfg.Do(func() {
			defer u.jobs.done()
			if apply != nil {
				apply()
			}
		})
	}()
}

// apply runs f on the UI goroutine through Config.Do, counted like the
// results of background, so Wait and Busy cover work from other goroutines
// (the reader, the status ticker) too.
func (u *UI) apply(f func()) {
	u.jobs.add()
	u.cfg.Do(func() {
		defer u.jobs.done()
		f()
	})
}

// Wait blocks until the results of the booth calls the window has started
// are on screen. Automation calls it after an action, instead of sleeping;
// never call it from the UI goroutine (it would wait for itself).
func (u *UI) Wait() { u.jobs.wait() }

// Busy reports whether a booth call the window started has a result not yet
// on screen. Tests that pass their own Config.Do run its queue while Busy.
func (u *UI) Busy() bool {
	u.jobs.mu.Lock()
	defer u.jobs.mu.Unlock()
	return u.jobs.pending > 0
}
