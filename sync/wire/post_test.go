package wire_test

import (
	"encoding/json"
	"testing"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
)

func TestDecodePostQuery(t *testing.T) {
	if q, err := wire.DecodePostQuery([]byte(`{"format":1,"post":"DOSTUK","officer_id":"S3","shift_id":"s1"}`)); err != nil || q.ShiftID != "s1" {
		t.Fatalf("%+v %v", q, err)
	}
	for name, body := range map[string]string{
		"not JSON":         `{"format":`,
		"future format":    `{"format":2,"post":"DOSTUK","officer_id":"S3"}`,
		"no post":          `{"format":1,"officer_id":"S3"}`,
		"no officer":       `{"format":1,"post":"DOSTUK"}`,
		"unknown key":      `{"format":1,"post":"DOSTUK","officer_id":"S3","all_posts":true}`,
		"shift and queue":  `{"format":1,"post":"DOSTUK","officer_id":"S3","shift_id":"s1","referrals":true}`,
		"trailing garbage": `{"format":1,"post":"DOSTUK","officer_id":"S3"} x`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := wire.DecodePostQuery([]byte(body)); app.ErrorCode(err) != app.EINVALID {
				t.Errorf("DecodePostQuery(%s) = %v, want EINVALID", body, err)
			}
		})
	}
}

func FuzzDecodePostQuery(f *testing.F) {
	f.Add([]byte(`{"format":1,"post":"DOSTUK","officer_id":"S3","referrals":true}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		q, err := wire.DecodePostQuery(data)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("code %q: %v", app.ErrorCode(err), err)
			}
			return
		}
		back, _ := json.Marshal(q)
		if _, err := wire.DecodePostQuery(back); err != nil {
			t.Fatalf("re-encoded query does not decode: %v", err)
		}
	})
}

func FuzzDecodePostAnswer(f *testing.F) {
	a := wire.PostAnswer{Shifts: []wire.PostShift{{ID: "s1", Post: "DOSTUK"}},
		Records: []wire.PostRecord{{Kind: wire.KindCrossing, Payload: wire.EncodeCrossing(crossing)},
			{Kind: wire.KindSignOff, Payload: wire.EncodeSignOff(signOff)}, {Kind: wire.KindReferralOutcome, Payload: wire.EncodeOutcome(outcome)}}}
	seed, _ := json.Marshal(a)
	f.Add(seed)
	f.Add([]byte(`{"records":[{"kind":"crossing","payload":{}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := wire.DecodePostAnswer(data)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("code %q: %v", app.ErrorCode(err), err)
			}
			return
		}
		a.ShiftInfos()
		if _, err := a.ShiftRecord(app.ShiftInfo{}); err != nil && app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("ShiftRecord code %q: %v", app.ErrorCode(err), err)
		}
		if _, err := a.Crossings(); err != nil && app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("Crossings code %q: %v", app.ErrorCode(err), err)
		}
	})
}
