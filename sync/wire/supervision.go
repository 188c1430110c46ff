package wire

// The records of supervision (issue 17), each format 1: a referral's outcome
// at secondary inspection (linked by the primary crossing's id), a
// supervisor's sign-off of a shift (by the shift's id), and a supervisor's
// confirmation of a refusal (by the crossing's id). HQ counts outcomes and
// keeps sign-offs; a crossing itself never changes.

import (
	"encoding/json"
	"time"

	"github.com/chekara/chekara/app"
)

// Kinds of the supervision records.
const (
	KindReferralOutcome     = "referral_outcome"
	KindSignOff             = "sign_off"
	KindRefusalConfirmation = "refusal_confirmation"
)

// SupervisionFormat is the format of each supervision record.
const SupervisionFormat = 1

// ReferralOutcome is app.Outcome as stored and uploaded (format 1).
type ReferralOutcome struct {
	Format     int       `json:"format"`
	ID         string    `json:"id"`
	CrossingID string    `json:"crossing_id"`
	ShiftID    string    `json:"shift_id,omitempty"`
	Post       string    `json:"post"`
	Booth      string    `json:"booth"`
	OfficerID  string    `json:"officer_id"`
	Direction  string    `json:"direction"`
	Outcome    string    `json:"outcome"`
	Reason     string    `json:"reason,omitempty"`
	Note       string    `json:"note,omitempty"`
	BoothTime  time.Time `json:"booth_time"`
}

// SignOff is app.SignOff as stored and uploaded (format 1).
type SignOff struct {
	Format       int         `json:"format"`
	ID           string      `json:"id"`
	ShiftID      string      `json:"shift_id"`
	Post         string      `json:"post"`
	Booth        string      `json:"booth"`
	ShiftBooth   string      `json:"shift_booth"`
	ShiftOfficer string      `json:"shift_officer"`
	SupervisorID string      `json:"supervisor_id"`
	Direction    string      `json:"direction"`
	Comment      string      `json:"comment"`
	Counts       ShiftCounts `json:"counts"`
	BoothTime    time.Time   `json:"booth_time"`
}

// ShiftCounts are a shift's counts in a sign-off.
type ShiftCounts struct {
	Inspections int `json:"inspections"`
	Admitted    int `json:"admitted"`
	Refused     int `json:"refused"`
	Referred    int `json:"referred"`
	Hits        int `json:"hits"`
	Overrides   int `json:"overrides"`
	SetAside    int `json:"set_aside"`
}

// RefusalConfirmation is app.RefusalConfirmation as stored and uploaded (format 1).
type RefusalConfirmation struct {
	Format       int       `json:"format"`
	ID           string    `json:"id"`
	CrossingID   string    `json:"crossing_id"`
	ShiftID      string    `json:"shift_id,omitempty"`
	Post         string    `json:"post"`
	Booth        string    `json:"booth"`
	SupervisorID string    `json:"supervisor_id"`
	Direction    string    `json:"direction"`
	Confirmed    bool      `json:"confirmed"`
	Note         string    `json:"note,omitempty"`
	BoothTime    time.Time `json:"booth_time"`
}

func mustMarshal(v any, what string) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		panic("wire: " + what + " does not encode: " + err.Error()) // strings, numbers and a time: cannot happen
	}
	return data
}

// decodeFormat1 reads a supervision payload of format 1 into v, strictly.
func decodeFormat1(payload []byte, what string, v any) error {
	var head struct {
		Format int `json:"format"`
	}
	if err := json.Unmarshal(payload, &head); err != nil {
		return app.Errorf(app.EINVALID, "The record is not a %s: %v.", what, err)
	}
	if head.Format != SupervisionFormat {
		return app.Errorf(app.EINVALID, "%s format %d is not one this software knows.", what, head.Format)
	}
	if err := strictUnmarshal(payload, v); err != nil {
		return app.Errorf(app.EINVALID, "The record is not a %s of format 1: %v.", what, err)
	}
	return nil
}

// EncodeOutcome returns o's payload.
func EncodeOutcome(o app.Outcome) []byte {
	return mustMarshal(ReferralOutcome{Format: SupervisionFormat, ID: o.ID, CrossingID: o.CrossingID, ShiftID: o.ShiftID,
		Post: o.Post, Booth: o.Booth, OfficerID: o.OfficerID, Direction: string(o.Direction), Outcome: string(o.Outcome),
		Reason: o.Reason, Note: o.Note, BoothTime: o.At}, "referral outcome")
}

// DecodeOutcome reads a referral outcome. Errors: EINVALID.
func DecodeOutcome(payload []byte) (app.Outcome, error) {
	var w ReferralOutcome
	if err := decodeFormat1(payload, "referral outcome", &w); err != nil {
		return app.Outcome{}, err
	}
	return app.Outcome{ID: w.ID, CrossingID: w.CrossingID, ShiftID: w.ShiftID, Post: w.Post, Booth: w.Booth,
		OfficerID: w.OfficerID, Direction: app.Direction(w.Direction), Outcome: app.ReferralOutcome(w.Outcome),
		Reason: w.Reason, Note: w.Note, At: w.BoothTime}, nil
}

// EncodeSignOff returns s's payload.
func EncodeSignOff(s app.SignOff) []byte {
	c := s.Counts
	return mustMarshal(SignOff{Format: SupervisionFormat, ID: s.ID, ShiftID: s.ShiftID, Post: s.Post, Booth: s.Booth,
		ShiftBooth: s.ShiftBooth, ShiftOfficer: s.ShiftOfficer, SupervisorID: s.SupervisorID, Direction: string(s.Direction),
		Comment: s.Comment, Counts: ShiftCounts{c.Inspections, c.Admitted, c.Refused, c.Referred, c.Hits, c.Overrides, c.SetAside},
		BoothTime: s.At}, "sign-off")
}

// DecodeSignOff reads a sign-off. Errors: EINVALID.
func DecodeSignOff(payload []byte) (app.SignOff, error) {
	var w SignOff
	if err := decodeFormat1(payload, "sign-off", &w); err != nil {
		return app.SignOff{}, err
	}
	c := w.Counts
	return app.SignOff{ID: w.ID, ShiftID: w.ShiftID, Post: w.Post, Booth: w.Booth, ShiftBooth: w.ShiftBooth,
		ShiftOfficer: w.ShiftOfficer, SupervisorID: w.SupervisorID, Direction: app.Direction(w.Direction), Comment: w.Comment,
		Counts: app.ShiftCounts{Inspections: c.Inspections, Admitted: c.Admitted, Refused: c.Refused, Referred: c.Referred,
			Hits: c.Hits, Overrides: c.Overrides, SetAside: c.SetAside}, At: w.BoothTime}, nil
}

// EncodeConfirmation returns c's payload.
func EncodeConfirmation(c app.RefusalConfirmation) []byte {
	return mustMarshal(RefusalConfirmation{Format: SupervisionFormat, ID: c.ID, CrossingID: c.CrossingID, ShiftID: c.ShiftID,
		Post: c.Post, Booth: c.Booth, SupervisorID: c.SupervisorID, Direction: string(c.Direction), Confirmed: c.Confirmed,
		Note: c.Note, BoothTime: c.At}, "refusal confirmation")
}

// DecodeConfirmation reads a refusal confirmation. Errors: EINVALID.
func DecodeConfirmation(payload []byte) (app.RefusalConfirmation, error) {
	var w RefusalConfirmation
	if err := decodeFormat1(payload, "refusal confirmation", &w); err != nil {
		return app.RefusalConfirmation{}, err
	}
	return app.RefusalConfirmation{ID: w.ID, CrossingID: w.CrossingID, ShiftID: w.ShiftID, Post: w.Post, Booth: w.Booth,
		SupervisorID: w.SupervisorID, Direction: app.Direction(w.Direction), Confirmed: w.Confirmed, Note: w.Note, At: w.BoothTime}, nil
}

// validateSupervision checks a supervision record as ValidateRecord does the
// others: it decodes, names what it links to, and its facts hold.
func validateSupervision(booth string, r Record) error {
	switch r.Kind {
	case KindReferralOutcome:
		o, err := DecodeOutcome(r.Payload)
		if err != nil {
			return err
		}
		switch {
		case o.CrossingID == "":
			return app.Errorf(app.EINVALID, "The referral outcome names no crossing.")
		case o.Outcome != app.ReferralAdmitted && o.Outcome != app.ReferralRefused:
			return app.Errorf(app.EINVALID, "The referral outcome %q is not admitted or refused.", o.Outcome)
		case o.Outcome == app.ReferralRefused && o.Reason == "":
			return app.Errorf(app.EINVALID, "The referral was refused without a ground.")
		}
		return recordFacts{"referral outcome", o.ID, o.Booth, KindReferralOutcome, o.Direction, o.At}.check(booth, r)
	case KindSignOff:
		s, err := DecodeSignOff(r.Payload)
		if err != nil {
			return err
		}
		if s.ShiftID == "" || s.SupervisorID == "" {
			return app.Errorf(app.EINVALID, "The sign-off names no shift or no supervisor.")
		}
		return recordFacts{"sign-off", s.ID, s.Booth, KindSignOff, s.Direction, s.At}.check(booth, r)
	case KindRefusalConfirmation:
		c, err := DecodeConfirmation(r.Payload)
		if err != nil {
			return err
		}
		if c.CrossingID == "" || c.SupervisorID == "" {
			return app.Errorf(app.EINVALID, "The refusal confirmation names no crossing or no supervisor.")
		}
		return recordFacts{"refusal confirmation", c.ID, c.Booth, KindRefusalConfirmation, c.Direction, c.At}.check(booth, r)
	}
	return app.Errorf(app.EINVALID, "Record kind %q is not one HQ knows.", r.Kind)
}
