package hq_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/sync/wire"
)

// TestListsWaitEndsAtShutdown: a booth's long poll neither outlives HQ's
// graceful shutdown nor holds it up.
func TestListsWaitEndsAtShutdown(t *testing.T) {
	h := hqtest.Start(t, hq.Config{})
	c := hqtest.Client(t, h.Enrol(t, "DOSTUK-07", "DOSTUK"))
	done := make(chan int, 1)
	go func() {
		resp, err := c.Get(h.URL + wire.PathListsWait + "?have=0&wait=60")
		if err != nil {
			done <- 0
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	time.Sleep(300 * time.Millisecond) // the poll is waiting
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("shutdown waited %v for a long poll", el)
	}
	if got := <-done; got != http.StatusNoContent {
		t.Errorf("the poll ended with %d, want 204", got)
	}
}
