package wire

// The national history: a booth asks HQ for one traveller's crossings at
// every post, at the swipe, on behalf of the officer on duty. HQ answers with
// the crossing records as the booths uploaded them (any format DecodeCrossing
// reads), so the answer carries no second encoding of a crossing to keep in
// step with records.go.

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/chekara/chekara/app"
)

// PathHistory: POST a HistoryQuery as JSON; 200 with a HistoryAnswer as JSON.
// HQ records every query in its audit: which officer, from which booth, asked
// about whom.
const PathHistory = "/v1/history"

// Bounds of a history exchange. A query is a few hundred bytes; an answer of
// MaxHistoryLimit crossings of at most a few KiB each fits MaxHistoryAnswer.
const (
	MaxHistoryLimit  = 500
	MaxHistoryQuery  = 4 << 10
	MaxHistoryAnswer = 4 << 20
)

// HistoryQuery is a booth's question about one traveller: their document, the
// person, or both (a renewed passport still finds the earlier crossings).
type HistoryQuery struct {
	OfficerID    string        `json:"officer_id"`
	InspectionID string        `json:"inspection_id,omitempty"`
	Document     *HistoryDoc   `json:"document,omitempty"`
	Person       *HistoryLooks `json:"person,omitempty"`
	Limit        int           `json:"limit"`
}

// HistoryDoc is the document key of a query.
type HistoryDoc struct {
	IssuingState string `json:"issuing_state"`
	Number       string `json:"number"`
}

// HistoryLooks is the person key of a query, as the MRZ names them.
type HistoryLooks struct {
	Surname     string `json:"surname"`
	GivenNames  string `json:"given_names"`
	BirthDate   string `json:"birth_date"`
	Nationality string `json:"nationality"`
}

// HistoryAnswer is HQ's answer: the crossing records, newest first.
type HistoryAnswer struct {
	Crossings []json.RawMessage `json:"crossings"`
	HQTime    time.Time         `json:"hq_time"`
}

// NewHistoryQuery is the query for q, with its keys set only when usable.
func NewHistoryQuery(q app.HistoryQuery) HistoryQuery {
	w := HistoryQuery{OfficerID: q.OfficerID, InspectionID: q.InspectionID, Limit: q.Limit}
	if q.Document.Number != "" && q.Document.IssuingState != "" {
		w.Document = &HistoryDoc{IssuingState: q.Document.IssuingState, Number: q.Document.Number}
	}
	if p := q.Person; p.Surname != "" && p.BirthDate != "" {
		w.Person = &HistoryLooks{Surname: p.Surname, GivenNames: p.GivenNames, BirthDate: p.BirthDate, Nationality: p.Nationality}
	}
	return w
}

// Query is the domain's form of the query.
func (w HistoryQuery) Query() app.HistoryQuery {
	q := app.HistoryQuery{OfficerID: w.OfficerID, InspectionID: w.InspectionID, Limit: w.Limit}
	if w.Document != nil {
		q.Document = app.DocumentKey{IssuingState: w.Document.IssuingState, Number: w.Document.Number}
	}
	if w.Person != nil {
		q.Person = app.TravellerKey{Surname: w.Person.Surname, GivenNames: w.Person.GivenNames,
			BirthDate: w.Person.BirthDate, Nationality: w.Person.Nationality}
	}
	return q
}

// DecodeHistoryQuery reads and checks a query. Errors: EINVALID for bytes that
// are not a query, a query without an officer or a key, or out of bounds.
func DecodeHistoryQuery(data []byte) (HistoryQuery, error) {
	if len(data) > MaxHistoryQuery {
		return HistoryQuery{}, app.Errorf(app.EINVALID, "history query of %d bytes exceeds %d", len(data), MaxHistoryQuery)
	}
	var q HistoryQuery
	if err := strictUnmarshal(data, &q); err != nil {
		return HistoryQuery{}, app.Errorf(app.EINVALID, "history query is not valid: %v", err)
	}
	switch {
	case q.OfficerID == "" || len(q.OfficerID) > 64:
		return HistoryQuery{}, app.Errorf(app.EINVALID, "history query names no officer")
	case len(q.InspectionID) > 64:
		return HistoryQuery{}, app.Errorf(app.EINVALID, "history query's inspection id is too long")
	case q.Document == nil && q.Person == nil:
		return HistoryQuery{}, app.Errorf(app.EINVALID, "history query needs a document or a person")
	case q.Document != nil && (q.Document.Number == "" || q.Document.IssuingState == ""):
		return HistoryQuery{}, app.Errorf(app.EINVALID, "history query's document needs a state and a number")
	case q.Person != nil && (q.Person.Surname == "" || q.Person.BirthDate == ""):
		return HistoryQuery{}, app.Errorf(app.EINVALID, "history query's person needs a surname and a birth date")
	case q.Limit < 1 || q.Limit > MaxHistoryLimit:
		return HistoryQuery{}, app.Errorf(app.EINVALID, "history query's limit %d is outside 1..%d", q.Limit, MaxHistoryLimit)
	}
	return q, nil
}

// DecodeHistoryAnswer reads HQ's answer into crossings, newest first. Every
// record must decode: an answer with one broken record is refused whole
// rather than shown in part. Training crossings are dropped (never history).
// Errors: EINVALID.
func DecodeHistoryAnswer(data []byte, limit int) ([]app.Crossing, error) {
	if len(data) > MaxHistoryAnswer {
		return nil, app.Errorf(app.EINVALID, "HQ's history answer of %d bytes exceeds %d", len(data), MaxHistoryAnswer)
	}
	var a HistoryAnswer
	d := json.NewDecoder(bytes.NewReader(data))
	if err := d.Decode(&a); err != nil {
		return nil, app.Errorf(app.EINVALID, "HQ's answer is not a travel history: %v", err)
	}
	if a.Crossings == nil {
		return nil, app.Errorf(app.EINVALID, "HQ's answer is not a travel history: no crossings key")
	}
	if limit > 0 && len(a.Crossings) > limit {
		return nil, app.Errorf(app.EINVALID, "HQ answered %d crossings, more than the %d asked", len(a.Crossings), limit)
	}
	out := make([]app.Crossing, 0, len(a.Crossings))
	for i, raw := range a.Crossings {
		c, err := DecodeCrossing(raw)
		if err != nil {
			return nil, app.Errorf(app.EINVALID, "HQ's history line %d is not a crossing: %s", i+1, app.ErrorMessage(err))
		}
		if c.ID == "" {
			return nil, app.Errorf(app.EINVALID, "HQ's history line %d has no id", i+1)
		}
		if !c.Training {
			out = append(out, c)
		}
	}
	return out, nil
}
