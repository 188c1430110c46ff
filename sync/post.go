package sync

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
)

// PostRecords asks HQ about this booth's post on behalf of a supervisor
// (wire.PathPost): the shifts of its other booths, and one shift's records.
// Officer returns the id of the officer asking (the signed-in supervisor).
type PostRecords struct {
	Client  *Client
	Officer func() string
}

var _ app.PostRecords = PostRecords{}

func (p PostRecords) ask(ctx context.Context, post, shiftID string, referrals bool, since time.Time) (wire.PostAnswer, error) {
	officer := ""
	if p.Officer != nil {
		officer = p.Officer()
	}
	body, err := json.Marshal(wire.PostQuery{Format: 1, Post: post, OfficerID: officer, ShiftID: shiftID, Referrals: referrals, Since: since})
	if err != nil {
		return wire.PostAnswer{}, err
	}
	_, data, err := p.Client.do(ctx, http.MethodPost, wire.PathPost, nil, body, wire.ContentTypeJSON, wire.MaxPostAnswer)
	if err != nil {
		return wire.PostAnswer{}, err
	}
	return wire.DecodePostAnswer(data)
}

// PostShifts implements app.PostRecords. Errors: EUNAVAILABLE when HQ
// cannot be reached, HQ's refusals with their codes.
func (p PostRecords) PostShifts(ctx context.Context, post string) ([]app.ShiftInfo, error) {
	a, err := p.ask(ctx, post, "", false, time.Time{})
	if err != nil {
		return nil, err
	}
	return a.ShiftInfos(), nil
}

// PostShift implements app.PostRecords. Errors as PostShifts; ENOTFOUND.
func (p PostRecords) PostShift(ctx context.Context, post, shiftID string) (app.ShiftRecord, error) {
	a, err := p.ask(ctx, post, shiftID, false, time.Time{})
	if err != nil {
		return app.ShiftRecord{}, err
	}
	var info app.ShiftInfo
	if s := a.ShiftInfos(); len(s) > 0 {
		info = s[0]
	}
	return a.ShiftRecord(info)
}

// PostReferrals implements app.PostRecords: the post's referrals HQ holds
// without an outcome, oldest first. Errors as PostShifts.
func (p PostRecords) PostReferrals(ctx context.Context, post string, since time.Time) ([]app.Crossing, error) {
	a, err := p.ask(ctx, post, "", true, since)
	if err != nil {
		return nil, err
	}
	return a.Crossings()
}
