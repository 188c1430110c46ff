package wire

// The post's other booths (issue 17): a supervisor at one booth asks HQ for
// the shifts of its post that HQ knows from the other booths' records, and
// for the records of one of them. HQ answers only about the post of the
// booth's certificate, and audits every question first.

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"time"

	"github.com/chekara/chekara/app"
)

// PathPost: POST a PostQuery as JSON; 200 with a PostAnswer as JSON.
const PathPost = "/v1/post"

// Bounds of a post exchange.
const (
	MaxPostQuery  = 4 << 10
	MaxPostAnswer = 16 << 20
	MaxPostShifts = 500
)

// PostQuery asks for the post's shifts (ShiftID empty), one shift's records,
// or (Referrals) the post's referrals still without an outcome at HQ, for the
// secondary queue.
type PostQuery struct {
	Format    int    `json:"format"`
	Post      string `json:"post"`
	OfficerID string `json:"officer_id"`
	ShiftID   string `json:"shift_id,omitempty"`
	Referrals bool   `json:"referrals,omitempty"`
	// Since bounds the referrals asked for: those decided at or after it.
	Since time.Time `json:"since,omitzero"`
}

// PostShift is one shift as HQ knows it from its records.
type PostShift struct {
	ID        string    `json:"id"`
	Post      string    `json:"post"`
	Booth     string    `json:"booth"`
	Officer   string    `json:"officer"`
	Direction string    `json:"direction"`
	FirstAt   time.Time `json:"first_at"`
	LastAt    time.Time `json:"last_at"`
	Crossings int       `json:"crossings"`
	Admitted  int       `json:"admitted"`
	Refused   int       `json:"refused"`
	Referred  int       `json:"referred"`
	SetAside  int       `json:"set_aside"`
	Overrides int       `json:"overrides"`
	SignedOff bool      `json:"signed_off"`
}

// PostRecord is one record of a shift, as its booth uploaded it.
type PostRecord struct {
	Kind    string          `json:"kind"`
	Payload json.RawMessage `json:"payload"`
}

// PostAnswer is HQ's answer.
type PostAnswer struct {
	Shifts  []PostShift  `json:"shifts,omitempty"`
	Records []PostRecord `json:"records,omitempty"`
	HQTime  time.Time    `json:"hq_time"`
}

// strictWhole decodes data into v refusing unknown keys and anything after
// the one JSON value.
func strictWhole(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if _, err := d.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}

// DecodePostQuery reads a booth's question. Errors: EINVALID.
func DecodePostQuery(data []byte) (PostQuery, error) {
	var q PostQuery
	if len(data) > MaxPostQuery {
		return q, app.Errorf(app.EINVALID, "post query is larger than %d bytes", MaxPostQuery)
	}
	if err := strictWhole(data, &q); err != nil {
		return q, app.Errorf(app.EINVALID, "post query: %v", err)
	}
	switch {
	case q.Format != 1:
		return q, app.Errorf(app.EINVALID, "post query format %d is not one HQ knows", q.Format)
	case q.Post == "" || len(q.Post) > 64:
		return q, app.Errorf(app.EINVALID, "post query names no usable post")
	case q.OfficerID == "" || len(q.OfficerID) > 64:
		return q, app.Errorf(app.EINVALID, "post query names no officer")
	case len(q.ShiftID) > 64:
		return q, app.Errorf(app.EINVALID, "post query's shift id is too long")
	case q.Referrals && q.ShiftID != "":
		return q, app.Errorf(app.EINVALID, "post query asks for a shift and the referrals at once")
	}
	return q, nil
}

// DecodePostAnswer reads HQ's answer into the domain's shift lines, or, for
// a query about one shift, its record. Errors: EINVALID.
func DecodePostAnswer(data []byte) (PostAnswer, error) {
	var a PostAnswer
	if len(data) > MaxPostAnswer {
		return a, app.Errorf(app.EINVALID, "post answer is larger than %d bytes", MaxPostAnswer)
	}
	if err := strictWhole(data, &a); err != nil {
		return PostAnswer{}, app.Errorf(app.EINVALID, "post answer: %v", err)
	}
	if len(a.Shifts) > MaxPostShifts {
		return PostAnswer{}, app.Errorf(app.EINVALID, "post answer holds %d shifts, more than %d", len(a.Shifts), MaxPostShifts)
	}
	return a, nil
}

// ShiftInfos are the answer's shifts in the domain's form.
func (a PostAnswer) ShiftInfos() []app.ShiftInfo {
	out := make([]app.ShiftInfo, 0, len(a.Shifts))
	for _, s := range a.Shifts {
		out = append(out, app.ShiftInfo{Shift: app.Shift{ID: s.ID, OfficerID: s.Officer, Post: s.Post, Booth: s.Booth,
			Direction: app.Direction(s.Direction), OpenedAt: s.FirstAt, ClosedAt: s.LastAt},
			Counts: app.ShiftCounts{Inspections: s.Crossings + s.SetAside, Admitted: s.Admitted, Refused: s.Refused,
				Referred: s.Referred, Overrides: s.Overrides, SetAside: s.SetAside},
			SignedOff: s.SignedOff, FromHQ: true})
	}
	return out
}

// Crossings are the answer's crossing records (the referrals), decoded.
// Errors: EINVALID for a record that does not decode.
func (a PostAnswer) Crossings() ([]app.Crossing, error) {
	var out []app.Crossing
	for _, r := range a.Records {
		if r.Kind != KindCrossing {
			continue
		}
		c, err := DecodeCrossing(r.Payload)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// ShiftRecord is the answer's records of one shift, decoded; info is the
// shift's line. Errors: EINVALID for a record that does not decode.
func (a PostAnswer) ShiftRecord(info app.ShiftInfo) (app.ShiftRecord, error) {
	rec := app.ShiftRecord{Info: info}
	for _, r := range a.Records {
		switch r.Kind {
		case KindCrossing:
			c, err := DecodeCrossing(r.Payload)
			if err != nil {
				return rec, err
			}
			rec.Crossings = append(rec.Crossings, c)
		case KindSetAside:
			s, err := DecodeSetAside(r.Payload)
			if err != nil {
				return rec, err
			}
			rec.SetAsides = append(rec.SetAsides, s)
		case KindReferralOutcome:
			o, err := DecodeOutcome(r.Payload)
			if err != nil {
				return rec, err
			}
			rec.Outcomes = append(rec.Outcomes, o)
		case KindRefusalConfirmation:
			c, err := DecodeConfirmation(r.Payload)
			if err != nil {
				return rec, err
			}
			rec.Confirmations = append(rec.Confirmations, c)
		case KindSignOff:
			s, err := DecodeSignOff(r.Payload)
			if err != nil {
				return rec, err
			}
			rec.SignOff = &s
		}
	}
	return rec, nil
}
