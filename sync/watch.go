package sync

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
)

// ListsWait is how long one long poll for new lists asks HQ to hold it
// (below the client's 2-minute wait for an answer's headers).
const ListsWait = 50 * time.Second

// WaitLists is a long poll: HQ answers as soon as its list version is above
// have (true, with that version), or after wait with nothing new (false).
// Errors as Fetch.
func (c *Client) WaitLists(ctx context.Context, have int64, wait time.Duration) (int64, bool, error) {
	q := url.Values{wire.QueryHave: {strconv.FormatInt(have, 10)}, "wait": {strconv.Itoa(int(wait / time.Second))}}
	status, data, err := c.do(ctx, http.MethodGet, wire.PathListsWait, q, nil, "", maxAnswer)
	if err != nil || status == http.StatusNoContent {
		return 0, false, err
	}
	var n wire.ListsNews
	if err := json.Unmarshal(data, &n); err != nil {
		return 0, false, app.Errorf(app.EINVALID, "HQ's list news is not valid JSON: %v", err)
	}
	return n.Version, n.Version > have, nil
}

// watchLists long-polls HQ for new lists and pulls at once when there are
// (an urgent entry reaches the booth within seconds, not at the next
// round). A failure backs off as the other loops do.
func (l *Link) watchLists(ctx context.Context) {
	minB, maxB := orDefault(l.MinBackoff, time.Second), orDefault(l.MaxBackoff, 5*time.Minute)
	backoff := time.Duration(0)
	for ctx.Err() == nil {
		have := l.Puller.Version(wire.KindLists).Version
		_, news, err := l.HQ.WaitLists(ctx, have, ListsWait)
		if err == nil && news {
			err = l.Pull(ctx)
		}
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			backoff = 0
			continue
		}
		backoff = min(max(backoff*2, minB), maxB)
		l.Log.Warn("list long poll failed", "err", err, "retry_in", backoff)
		t := app.NewTimer(l.Clock, backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C():
		}
	}
}
