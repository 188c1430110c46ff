package wire_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
)

var at = time.Date(2026, 12, 4, 10, 2, 0, 0, time.FixedZone("", 6*3600))

var outcome = app.Outcome{ID: "01a2407f-1700-7000-8000-000000000011", CrossingID: "01a2407f-1500-773f-878d-0d2c06f6df2f",
	ShiftID: "01a2407f-0000-7000-8000-000000000002", Post: "DOSTUK", Booth: "DOSTUK-01", OfficerID: "K1002",
	Direction: app.Entry, Outcome: app.ReferralRefused, Reason: "C", Note: "no visa on the second passport", At: at}

var signOff = app.SignOff{ID: "01a2407f-1800-7000-8000-000000000012", ShiftID: "01a2407f-0000-7000-8000-000000000002",
	Post: "DOSTUK", Booth: "DOSTUK-01", ShiftBooth: "DOSTUK-07", ShiftOfficer: "K1001", SupervisorID: "S3001",
	Direction: app.Entry, Comment: "override at 09:14 checked with the duty officer",
	Counts: app.ShiftCounts{Inspections: 41, Admitted: 35, Refused: 2, Referred: 3, Hits: 4, Overrides: 1, SetAside: 1}, At: at}

var confirmation = app.RefusalConfirmation{ID: "01a2407f-1900-7000-8000-000000000013", CrossingID: "01a2407f-1500-773f-878d-0d2c06f6df2f",
	ShiftID: "01a2407f-0000-7000-8000-000000000002", Post: "DOSTUK", Booth: "DOSTUK-01", SupervisorID: "S3001",
	Direction: app.Entry, Confirmed: false, Note: "ground I not borne out: the hit is a namesake", At: at}

// TestSupervisionGolden: format 1 of each supervision record is written as
// its golden file says and reads back the same.
func TestSupervisionGolden(t *testing.T) {
	t.Run("referral_outcome", func(t *testing.T) {
		back, err := wire.DecodeOutcome(golden(t, "referral_outcome-1.json", wire.EncodeOutcome(outcome)))
		if err != nil {
			t.Fatal(err)
		}
		back.At = outcome.At
		if !reflect.DeepEqual(back, outcome) {
			t.Errorf("read back\n got %+v\nwant %+v", back, outcome)
		}
	})
	t.Run("sign_off", func(t *testing.T) {
		back, err := wire.DecodeSignOff(golden(t, "sign_off-1.json", wire.EncodeSignOff(signOff)))
		if err != nil {
			t.Fatal(err)
		}
		back.At = signOff.At
		if !reflect.DeepEqual(back, signOff) {
			t.Errorf("read back\n got %+v\nwant %+v", back, signOff)
		}
	})
	t.Run("refusal_confirmation", func(t *testing.T) {
		back, err := wire.DecodeConfirmation(golden(t, "refusal_confirmation-1.json", wire.EncodeConfirmation(confirmation)))
		if err != nil {
			t.Fatal(err)
		}
		back.At = confirmation.At
		if !reflect.DeepEqual(back, confirmation) {
			t.Errorf("read back\n got %+v\nwant %+v", back, confirmation)
		}
	})
}

func TestValidateSupervision(t *testing.T) {
	ok := func(kind, id string, p []byte) wire.Record { return wire.Record{Kind: kind, ID: id, Payload: p} }
	for _, r := range []wire.Record{
		ok(wire.KindReferralOutcome, outcome.ID, wire.EncodeOutcome(outcome)),
		ok(wire.KindSignOff, signOff.ID, wire.EncodeSignOff(signOff)),
		ok(wire.KindRefusalConfirmation, confirmation.ID, wire.EncodeConfirmation(confirmation)),
	} {
		if err := wire.ValidateRecord("DOSTUK-01", r); err != nil {
			t.Errorf("%s: %v", r.Kind, err)
		}
	}
	noGround := outcome
	noGround.Reason = ""
	pending := outcome
	pending.Outcome = app.ReferralPending
	unlinked := outcome
	unlinked.CrossingID = ""
	noShift := signOff
	noShift.ShiftID = ""
	for name, r := range map[string]wire.Record{
		"another booth":      ok(wire.KindSignOff, signOff.ID, wire.EncodeSignOff(signOff)),
		"refused, no ground": ok(wire.KindReferralOutcome, outcome.ID, wire.EncodeOutcome(noGround)),
		"pending outcome":    ok(wire.KindReferralOutcome, outcome.ID, wire.EncodeOutcome(pending)),
		"no crossing":        ok(wire.KindReferralOutcome, outcome.ID, wire.EncodeOutcome(unlinked)),
		"no shift":           ok(wire.KindSignOff, signOff.ID, wire.EncodeSignOff(noShift)),
		"wrong kind":         ok(wire.KindSignOff, outcome.ID, wire.EncodeOutcome(outcome)),
		"wrong id":           ok(wire.KindRefusalConfirmation, "x", wire.EncodeConfirmation(confirmation)),
		"future format":      ok(wire.KindSignOff, signOff.ID, []byte(`{"format":2}`)),
	} {
		t.Run(name, func(t *testing.T) {
			booth := "DOSTUK-01"
			if name == "another booth" {
				booth = "DOSTUK-02"
			}
			if err := wire.ValidateRecord(booth, r); app.ErrorCode(err) != app.EINVALID {
				t.Errorf("ValidateRecord = %v, want EINVALID", err)
			}
		})
	}
}

func FuzzDecodeSupervision(f *testing.F) {
	f.Add(wire.EncodeOutcome(outcome))
	f.Add(wire.EncodeSignOff(signOff))
	f.Add(wire.EncodeConfirmation(confirmation))
	f.Add([]byte(`{"format":1,"counts":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if o, err := wire.DecodeOutcome(data); err == nil {
			if _, err := wire.DecodeOutcome(wire.EncodeOutcome(o)); err != nil {
				t.Fatalf("re-encoded outcome does not decode: %v", err)
			}
		} else if app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("code %q: %v", app.ErrorCode(err), err)
		}
		if s, err := wire.DecodeSignOff(data); err == nil {
			if _, err := wire.DecodeSignOff(wire.EncodeSignOff(s)); err != nil {
				t.Fatalf("re-encoded sign-off does not decode: %v", err)
			}
		} else if app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("code %q: %v", app.ErrorCode(err), err)
		}
		if c, err := wire.DecodeConfirmation(data); err == nil {
			if _, err := wire.DecodeConfirmation(wire.EncodeConfirmation(c)); err != nil {
				t.Fatalf("re-encoded confirmation does not decode: %v", err)
			}
		} else if app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("code %q: %v", app.ErrorCode(err), err)
		}
		for _, kind := range []string{wire.KindReferralOutcome, wire.KindSignOff, wire.KindRefusalConfirmation} {
			if err := wire.ValidateRecord("DOSTUK-01", wire.Record{Kind: kind, ID: "x", Payload: data}); err != nil && app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("ValidateRecord code %q: %v", app.ErrorCode(err), err)
			}
		}
	})
}
