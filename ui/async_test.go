package ui_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/ui"
)

// held is the booth's real store with one of its calls held until the test
// lets it go, as a slow disk (an fsync) or argon2 holds it at a real booth.
type held struct {
	*store.Store
	call    string
	calls   atomic.Int32
	entered chan struct{}
	release chan struct{}
}

func (h *held) hold(call string) {
	if call == h.call {
		h.calls.Add(1)
		h.entered <- struct{}{}
		<-h.release
	}
}

func (h *held) Decide(ctx context.Context, c app.Crossing) error {
	h.hold("Decide")
	return h.Store.Decide(ctx, c)
}

func (h *held) RecordInspectionWith(ctx context.Context, in app.Inspection, lookups []app.AuditEntry) error {
	h.hold("RecordInspectionWith")
	return h.Store.RecordInspectionWith(ctx, in, lookups)
}

func (h *held) Authenticate(ctx context.Context, id, password string) (app.Officer, error) {
	h.hold("Authenticate")
	return h.Store.Authenticate(ctx, id, password)
}

// press types s into the focused widget and presses Enter, without waiting
// for what the booth makes of it.
func (b *booth) press(s string) {
	f := b.w.Canvas().Focused()
	test.Type(f, s)
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

// TestWindowNeverWaits: while the booth's core is busy on the disk — argon2
// at sign-in, the fsync of a read or of a decision — the window's callback
// has already returned, so the window keeps drawing and taking keys; a second
// press meanwhile records nothing twice; and once the work is done its result
// is on screen with the focus where the officer types next.
func TestWindowNeverWaits(t *testing.T) {
	tests := []struct {
		name  string
		call  string                   // the store call held
		setup func(*testing.T, *booth) // up to the officer's action
		act   func(*booth)             // the officer's action
		again func(*testing.T, *booth) // the same action, pressed again while held
		check func(*testing.T, *booth)
	}{
		{
			name: "sign in", call: "Authenticate",
			setup: func(t *testing.T, b *booth) { b.press("K1001") },
			act:   func(b *booth) { b.press("pass-K1001") },
			again: func(t *testing.T, b *booth) { test.Tap(findButton(t, b.w.Content(), "Sign in")) },
			check: func(t *testing.T, b *booth) {
				if got, want := b.ui.Screen(), ui.ScreenShift; got != want {
					t.Errorf("screen %q, want %q (%s)", got, want, b.ui.Message())
				}
			},
		},
		{
			name: "keyboard read", call: "RecordInspectionWith",
			setup: func(t *testing.T, b *booth) { b.ready(t); b.typeLine(t, cleanLines(t)[0]) },
			act:   func(b *booth) { b.press(cleanLines(t)[1]) },
			check: func(t *testing.T, b *booth) {
				if got, want := b.ui.Verdict(), "OK: CLEAR — no objection found"; got != want {
					t.Errorf("verdict %q, want %q (%s)", got, want, b.ui.Message())
				}
				b.mrzFocused(t)
			},
		},
		{
			name: "decision", call: "Decide",
			setup: func(t *testing.T, b *booth) { b.ready(t); b.read(t, cleanLines(t)) },
			act:   func(b *booth) { b.ui.Shortcut(ui.KeyAdmit) },
			again: func(t *testing.T, b *booth) {
				b.ui.Shortcut(ui.KeyAdmit)
				test.Tap(findButton(t, b.w.Content(), "Admit (Alt+A)"))
			},
			check: func(t *testing.T, b *booth) {
				if cs := b.crossings(t); len(cs) != 1 {
					t.Errorf("%d crossings recorded, want 1", len(cs))
				}
				if b.ui.Inspection() != nil {
					t.Errorf("the document stays on screen after the decision")
				}
				b.mrzFocused(t)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBooth(t, ui.Config{})
			h := &held{Store: b.store, call: tt.call, entered: make(chan struct{}, 4), release: make(chan struct{})}
			b.booth.Records, b.booth.Officers = h, h
			tt.setup(t, b)
			returned := make(chan struct{})
			go func() { // as the window's event loop would call it
				defer close(returned)
				tt.act(b)
			}()
			<-h.entered
			select {
			case <-returned:
			case <-time.After(10 * time.Second): // only reached when the callback waits for the store
				t.Errorf("the window's callback waits for %s", tt.call)
			}
			if tt.again != nil {
				tt.again(t, b)
			}
			close(h.release)
			<-returned
			b.settle()
			if got := h.calls.Load(); got != 1 {
				t.Errorf("%s called %d times, want 1", tt.call, got)
			}
			tt.check(t, b)
		})
	}
}

// BenchmarkDecisionCallback measures how long the officer's Alt+A holds the
// UI goroutine (the window cannot draw or take a key meanwhile) against how
// long the decision takes to be on record and on screen, with the real
// SQLite store (an fsync per decision).
func BenchmarkDecisionCallback(b *testing.B) {
	bo := newBooth(b, ui.Config{})
	bo.ready(b)
	lines := cleanLines(b)
	var held, done time.Duration
	for b.Loop() {
		bo.read(b, lines)
		start := time.Now()
		bo.ui.Shortcut(ui.KeyAdmit)
		held += time.Since(start)
		bo.settle()
		done += time.Since(start)
	}
	b.ReportMetric(float64(held.Microseconds())/float64(b.N), "µs-ui-held/decision")
	b.ReportMetric(float64(done.Microseconds())/float64(b.N), "µs-recorded/decision")
}
