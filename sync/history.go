package sync

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
)

// NationalHistory asks HQ for a traveller's crossings at every post
// (wire.PathHistory), on behalf of the officer the query names. It implements
// app.NationalHistory; the booth bounds each question with its context.
// Errors: EUNAVAILABLE when HQ cannot be reached in time, EINVALID for an
// answer that is not a travel history, HQ's refusals with their codes.
func (c *Client) NationalHistory(ctx context.Context, q app.HistoryQuery) ([]app.Crossing, error) {
	if q.Limit <= 0 || q.Limit > wire.MaxHistoryLimit {
		q.Limit = wire.MaxHistoryLimit
	}
	body, err := json.Marshal(wire.NewHistoryQuery(q))
	if err != nil {
		return nil, err
	}
	_, data, err := c.do(ctx, http.MethodPost, wire.PathHistory, nil, body, wire.ContentTypeJSON, wire.MaxHistoryAnswer)
	if err != nil {
		return nil, err
	}
	return wire.DecodeHistoryAnswer(data, q.Limit)
}

var _ app.NationalHistory = (*Client)(nil)
