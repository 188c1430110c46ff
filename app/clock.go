package app

import "time"

// Clock tells the booth the time. It is injected everywhere so tests, training
// scenarios and the demo can set "today".
type Clock interface {
	Now() time.Time
}

// Timers is a Clock that also makes timers, so the loops that wait (the HQ
// link's interval and backoff, the idle lock) run on the injected time and
// tests step them instead of sleeping. A Clock without timers gets the
// machine's (see NewTimer and AfterFunc).
type Timers interface {
	Clock
	NewTimer(d time.Duration) Timer
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending event of a Timers clock, as time.Timer.
type Timer interface {
	// C receives the time once the timer fires (nil for an AfterFunc timer).
	C() <-chan time.Time
	// Stop stops the timer; false when it had already fired or stopped.
	Stop() bool
}

// NewTimer returns a timer on c that sends on C after d; a machine timer when
// c has no timers of its own.
func NewTimer(c Clock, d time.Duration) Timer {
	if tc, ok := c.(Timers); ok {
		return tc.NewTimer(d)
	}
	return SystemClock{}.NewTimer(d)
}

// AfterFunc calls f in its own goroutine after d on c; on a machine timer
// when c has no timers of its own.
func AfterFunc(c Clock, d time.Duration, f func()) Timer {
	if tc, ok := c.(Timers); ok {
		return tc.AfterFunc(d, f)
	}
	return SystemClock{}.AfterFunc(d, f)
}

// SystemClock is the machine's clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// NewTimer returns a time.NewTimer.
func (SystemClock) NewTimer(d time.Duration) Timer { return sysTimer{time.NewTimer(d)} }

// AfterFunc returns a time.AfterFunc.
func (SystemClock) AfterFunc(d time.Duration, f func()) Timer { return sysTimer{time.AfterFunc(d, f)} }

type sysTimer struct{ t *time.Timer }

func (s sysTimer) C() <-chan time.Time { return s.t.C }
func (s sysTimer) Stop() bool          { return s.t.Stop() }

var _ Timers = SystemClock{}
