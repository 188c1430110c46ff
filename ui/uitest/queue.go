// Package uitest holds what headless tests of the window share. Tests only.
package uitest

import "sync"

// Queue stands in for the window's event loop. The headless driver's fyne.Do
// runs a function at once on the calling goroutine, which for the booth's
// results is a goroutine of their own, racing the test's; handed to a Queue
// (ui.Config.Do = q.Do), they run on the test's goroutine, one after the
// other, as on the UI goroutine of a real window.
type Queue struct {
	mu    sync.Mutex
	ready *sync.Cond
	fs    []func()
}

// NewQueue returns an empty queue.
func NewQueue() *Queue {
	q := &Queue{}
	q.ready = sync.NewCond(&q.mu)
	return q
}

// Do queues f; any goroutine.
func (q *Queue) Do(f func()) {
	q.mu.Lock()
	q.fs = append(q.fs, f)
	q.mu.Unlock()
	q.ready.Signal()
}

// Next waits for the next queued function and returns it.
func (q *Queue) Next() func() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.fs) == 0 {
		q.ready.Wait()
	}
	f := q.fs[0]
	q.fs = q.fs[1:]
	return f
}
