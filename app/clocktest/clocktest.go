// Package clocktest is a clock for tests: time stands still until the test
// moves it, and timers fire when it passes their deadline. Tests of the
// booth's loops (the HQ link, the idle lock) step it instead of sleeping.
package clocktest

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/chekara/chekara/app"
)

// Clock is a fake app.Timers. The zero value is not usable; call New.
type Clock struct {
	mu      sync.Mutex
	now     time.Time
	timers  []*timer
	changed chan struct{} // closed and replaced when a timer is set or stopped
	made    int           // timers made so far
}

// New returns a clock standing at now.
func New(now time.Time) *Clock { return &Clock{now: now, changed: make(chan struct{})} }

var _ app.Timers = (*Clock)(nil)

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// NewTimer returns a timer that sends on C when the clock passes now+d.
func (c *Clock) NewTimer(d time.Duration) app.Timer {
	return c.add(d, &timer{ch: make(chan time.Time, 1)})
}

// AfterFunc returns a timer that runs f in its own goroutine when the clock
// passes now+d.
func (c *Clock) AfterFunc(d time.Duration, f func()) app.Timer {
	return c.add(d, &timer{f: f})
}

func (c *Clock) add(d time.Duration, t *timer) *timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t.c, t.at = c, c.now.Add(d)
	c.made++
	if d <= 0 {
		t.fire(c.now)
		return t
	}
	c.timers = append(c.timers, t)
	c.signal()
	return t
}

func (c *Clock) signal() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// Advance moves the clock by d, firing in order every timer whose deadline it
// passes (the clock reads each timer's deadline as it fires).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	end := c.now.Add(d)
	c.mu.Unlock()
	c.Set(end)
}

// Set moves the clock to t (never back), firing timers on the way.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		i := c.earliest()
		if i < 0 || c.timers[i].at.After(t) {
			break
		}
		tm := c.timers[i]
		c.timers = slices.Delete(c.timers, i, i+1)
		if tm.at.After(c.now) {
			c.now = tm.at
		}
		tm.fire(c.now)
	}
	if t.After(c.now) {
		c.now = t
	}
	c.signal()
}

func (c *Clock) earliest() int {
	best := -1
	for i, t := range c.timers {
		if best < 0 || t.at.Before(c.timers[best].at) {
			best = i
		}
	}
	return best
}

// Pending returns how many timers wait to fire.
func (c *Clock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// Made returns how many timers have been made since New.
func (c *Clock) Made() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.made
}

// Next waits until a timer is pending and returns how long from now the
// earliest one fires. It returns false when ctx ends first. A test of a loop
// calls Next, checks the wait the loop chose, and Advances by it.
func (c *Clock) Next(ctx context.Context) (time.Duration, bool) {
	return c.NextAfter(ctx, -1)
}

// NextAfter is Next for a timer made after the first made ones (see Made):
// it waits for the loop to arm its next timer rather than reporting an old one.
func (c *Clock) NextAfter(ctx context.Context, made int) (time.Duration, bool) {
	for {
		c.mu.Lock()
		i, ch := c.earliest(), c.changed
		if i >= 0 && c.made > made {
			d := c.timers[i].at.Sub(c.now)
			c.mu.Unlock()
			return d, true
		}
		c.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return 0, false
		}
	}
}

type timer struct {
	c     *Clock
	at    time.Time
	ch    chan time.Time
	f     func()
	fired bool
}

// fire runs with c.mu held.
func (t *timer) fire(now time.Time) {
	t.fired = true
	if t.f != nil {
		go t.f()
		return
	}
	select {
	case t.ch <- now:
	default:
	}
}

func (t *timer) C() <-chan time.Time { return t.ch }

func (t *timer) Stop() bool {
	c := t.c
	c.mu.Lock()
	defer c.mu.Unlock()
	i := slices.Index(c.timers, t)
	if i < 0 {
		return false
	}
	c.timers = slices.Delete(c.timers, i, i+1)
	c.signal()
	return true
}
