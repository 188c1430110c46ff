package sync

import (
	"context"
	"time"

	"github.com/chekara/chekara/sync/wire"
)

// PendingAger is what an Outbox may add for HQ's booth health page: when the
// oldest record HQ has not acknowledged was written (store.Store has it).
type PendingAger interface {
	// OldestPending returns the time, zero when nothing is pending.
	OldestPending(ctx context.Context) (time.Time, error)
}

// boothState is the state every batch of the link carries (batch format 3):
// the booth's clock, its backlog after the sent mark, the age of the oldest
// pending record, and the list, rule and directory versions it holds. HQ
// computes the clock offset from the clock and its own time of arrival.
func (l *Link) boothState(ctx context.Context, sent int64) (wire.BoothState, error) {
	st := wire.BoothState{Clock: l.Clock.Now()}
	last, err := l.Outbox.LastSeq(ctx)
	if err != nil {
		return st, err
	}
	st.Backlog = max(last-sent, 0)
	if a, ok := l.Outbox.(PendingAger); ok {
		at, err := a.OldestPending(ctx)
		if err != nil {
			return st, err
		}
		st.OldestPending = at
	}
	if l.Puller != nil {
		st.Lists = l.Puller.Version(wire.KindLists).Version
		st.Rules = l.Puller.Version(wire.KindRules).Version
		st.Directory = l.Puller.Version(wire.KindDirectory).Version
	}
	return st, nil
}
