package clocktest_test

import (
	"context"
	"testing"
	"time"

	"github.com/chekara/chekara/app/clocktest"
)

// Timers fire in deadline order as the clock passes them, each seeing its own
// deadline as the time; a stopped timer never fires.
func TestTimersFireInOrder(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	clk := clocktest.New(t0)
	late := clk.NewTimer(3 * time.Second)
	early := clk.NewTimer(time.Second)
	stopped := clk.NewTimer(2 * time.Second)
	ran := make(chan time.Time, 1)
	clk.AfterFunc(2500*time.Millisecond, func() { ran <- clk.Now() })
	if !stopped.Stop() {
		t.Fatal("Stop of a pending timer returned false")
	}
	if got, want := clk.Pending(), 3; got != want {
		t.Fatalf("pending %d, want %d", got, want)
	}
	if d, ok := clk.Next(context.Background()); !ok || d != time.Second {
		t.Fatalf("next in %v, want 1s", d)
	}

	clk.Advance(2 * time.Second)
	select {
	case at := <-early.C():
		if got, want := at, t0.Add(time.Second); !got.Equal(want) {
			t.Errorf("early fired at %v, want %v", got, want)
		}
	default:
		t.Fatal("early did not fire")
	}
	select {
	case <-late.C():
		t.Fatal("late fired 1 s early")
	case <-stopped.C():
		t.Fatal("a stopped timer fired")
	default:
	}

	clk.Advance(time.Second)
	if at := <-ran; at.Before(t0.Add(2500 * time.Millisecond)) {
		t.Errorf("AfterFunc ran at %v", at)
	}
	if got, want := (<-late.C()), t0.Add(3*time.Second); !got.Equal(want) {
		t.Errorf("late fired at %v, want %v", got, want)
	}
	if late.Stop() {
		t.Error("Stop of a fired timer returned true")
	}
	if got, want := clk.Now(), t0.Add(3*time.Second); !got.Equal(want) {
		t.Errorf("now %v, want %v", got, want)
	}
}

// Next waits for a loop to arm its timer rather than returning at once.
func TestNextWaitsForATimer(t *testing.T) {
	clk := clocktest.New(time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC))
	go clk.NewTimer(42 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if d, ok := clk.Next(ctx); !ok || d != 42*time.Millisecond {
		t.Fatalf("Next = %v, %v", d, ok)
	}
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if _, ok := clk.NextAfter(ctx, 1); ok {
		t.Fatal("NextAfter returned a timer made before")
	}
}
