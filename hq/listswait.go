package hq

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
)

// listsNews wakes every waiting long poll when lists are published in this
// process; a poll also looks at the store every listsPoll, for lists imported
// by another process (`hq lists import`).
type listsNews struct {
	mu      sync.Mutex
	ch      chan struct{}
	stopped bool // HQ is shutting down: no poll waits any more
}

// stop wakes every poll and keeps later ones from waiting.
func (n *listsNews) stop() {
	n.mu.Lock()
	n.stopped = true
	n.mu.Unlock()
	n.wake()
}

const listsPoll = time.Second

func (n *listsNews) wait() <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.stopped {
		return nil
	}
	if n.ch == nil {
		n.ch = make(chan struct{})
	}
	return n.ch
}

func (n *listsNews) wake() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch != nil {
		close(n.ch)
		n.ch = nil
	}
}

// handleListsWait is the long poll of wire.PathListsWait: it answers as soon
// as HQ's list version is above ?have, or with 204 after ?wait seconds
// (default and at most wire.MaxListsWait). An urgent entry reaches every
// linked booth within a second or two of its publication.
func (s *Server) handleListsWait(w http.ResponseWriter, r *http.Request) {
	have, err := strconv.ParseInt(r.URL.Query().Get(wire.QueryHave), 10, 64)
	if err != nil || have < 0 {
		s.fail(w, r, app.Errorf(app.EINVALID, "%s=%q is not a version number", wire.QueryHave, r.URL.Query().Get(wire.QueryHave)))
		return
	}
	wait := wire.MaxListsWait
	if v := r.URL.Query().Get("wait"); v != "" {
		sec, err := strconv.Atoi(v)
		if err != nil || sec < 0 {
			s.fail(w, r, app.Errorf(app.EINVALID, "wait=%q is not a number of seconds", v))
			return
		}
		wait = min(wait, time.Duration(sec)*time.Second)
	}
	ctx, cancel := context.WithTimeout(r.Context(), wait)
	defer cancel()
	for {
		woken := s.news.wait()
		if woken == nil { // shutting down: nothing new, ask again
			w.WriteHeader(http.StatusNoContent)
			return
		}
		latest, err := s.store.Latest(ctx, store.Lists)
		if err != nil {
			if ctx.Err() != nil {
				w.WriteHeader(http.StatusNoContent)
				return
			}
			s.fail(w, r, err)
			return
		}
		if latest > have {
			s.reply(w, http.StatusOK, wire.ListsNews{Version: latest})
			return
		}
		t := time.NewTimer(listsPoll)
		select {
		case <-ctx.Done():
			t.Stop()
			w.WriteHeader(http.StatusNoContent)
			return
		case <-woken:
		case <-t.C:
		}
		t.Stop()
	}
}
