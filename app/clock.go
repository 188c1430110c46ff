package app

import "time"

// Clock tells the booth the time. It is injected everywhere so tests, training
// scenarios and the demo can set "today".
type Clock interface {
	Now() time.Time
}

// SystemClock is the machine's clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }
