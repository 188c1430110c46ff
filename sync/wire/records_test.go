package wire_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
)

var update = flag.Bool("update", false, "rewrite the golden files of the current record formats")

// crossing is a crossing with every field set.
var crossing = app.Crossing{
	ID: "01a2407f-1500-773f-878d-0d2c06f6df2f", InspectionID: "01a2407f-14ff-7000-8000-000000000001",
	ShiftID: "01a2407f-0000-7000-8000-000000000002", OfficerID: "K1001", Post: "DOSTUK", Booth: "DOSTUK-07",
	Direction: app.Entry, Decision: app.Refuse, RefusalReason: "I", RefusalNote: "listed: deny entry",
	ReferralOutcome: app.ReferralPending,
	Document:        app.DocumentKey{IssuingState: "UZB", Number: "FA0104729"}, DocumentCode: "P",
	Traveller: app.TravellerKey{Surname: "NAZAROV", GivenNames: "FERUZA", BirthDate: "1964-05", Nationality: "UZB"},
	Sex:       "F", Expiry: "2029-01-16",
	Hits: []app.HitResolution{{ListID: "L328706", Kind: "person", Category: "deny_entry", Score: 0.92, Confirmed: true},
		{ListID: "D-77", Kind: "document", Category: "stolen", Score: 1, Note: "other issuing state"}},
	BoothTime: time.Date(2026, 12, 4, 9, 15, 0, 123, time.FixedZone("", 6*3600)), ClockJump: true, Training: true,
}

// TestCrossingGolden: format 2 is written byte for byte as its golden file
// says, and reads back to the same crossing. A change to the format must be
// a new format number and a new golden file, never an edit of this one.
func TestCrossingGolden(t *testing.T) {
	golden := filepath.Join("testdata", "crossing-2.json")
	got := wire.EncodeCrossing(crossing)
	if *update {
		os.WriteFile(golden, got, 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("format 2 changed:\n got %s\nwant %s", got, want)
	}
	back, err := wire.DecodeCrossing(want)
	if err != nil {
		t.Fatal(err)
	}
	if !back.BoothTime.Equal(crossing.BoothTime) {
		t.Errorf("booth time %v, want %v", back.BoothTime, crossing.BoothTime)
	}
	back.BoothTime = crossing.BoothTime
	if !reflect.DeepEqual(back, crossing) {
		t.Errorf("read back\n got %+v\nwant %+v", back, crossing)
	}
}

// TestCrossingFormat1: a record as booths wrote it until 2026-12-04 (taken from
// testdata/legacy-2026-12-04) still reads.
func TestCrossingFormat1(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "crossing-1.json"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := wire.DecodeCrossing(bytes.TrimSpace(data))
	if err != nil {
		t.Fatal(err)
	}
	want := app.Crossing{ID: "01a2407f-1500-773f-878d-0d2c06f6df2f", OfficerID: "1021", Post: "DOSTUK", Booth: "DOSTUK-07",
		Direction: app.Entry, Decision: app.Admit, Document: app.DocumentKey{IssuingState: "UZB", Number: "FA0104729"},
		DocumentCode: "P", Traveller: app.TravellerKey{Surname: "NAZAROV", GivenNames: "FERUZA", BirthDate: "1964-05-20", Nationality: "UZB"},
		Sex: "M", Expiry: "2029-01-16",
		Hits: []app.HitResolution{{ListID: "L328706", Kind: "person", Category: "deny_entry", Score: 0.72, Note: "different birth date"}}}
	wantAt := time.Date(2024, 1, 16, 17, 52, 23, 0, time.FixedZone("", 6*3600))
	if !c.BoothTime.Equal(wantAt) {
		t.Errorf("booth time %v, want %v", c.BoothTime, wantAt)
	}
	c.BoothTime = time.Time{}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("format 1 read as\n %+v\nwant %+v", c, want)
	}
}

// TestCrossingRefused: what is not a crossing of a known format is EINVALID,
// never half-read.
func TestCrossingRefused(t *testing.T) {
	for name, payload := range map[string]string{
		"not JSON":        `{"ID":`,
		"future format":   `{"format":3,"id":"x"}`,
		"unknown key":     `{"format":2,"id":"x","fingerprint":"…"}`,
		"format 1 extra":  `{"ID":"x","Fingerprint":"…"}`,
		"wrong type":      `{"format":2,"id":7}`,
		"format a string": `{"format":"2"}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := wire.DecodeCrossing([]byte(payload)); app.ErrorCode(err) != app.EINVALID {
				t.Errorf("DecodeCrossing(%s) = %v, want EINVALID", payload, err)
			}
		})
	}
}

func FuzzDecodeCrossing(f *testing.F) {
	f.Add(wire.EncodeCrossing(crossing))
	f.Add([]byte(`{"ID":"a","Hits":[{}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := wire.DecodeCrossing(data)
		if err != nil {
			return
		}
		// Whatever decodes re-encodes in the current format and reads back the same.
		back, err := wire.DecodeCrossing(wire.EncodeCrossing(c))
		if err != nil {
			t.Fatalf("re-encoded crossing does not decode: %v", err)
		}
		if !back.BoothTime.Equal(c.BoothTime) {
			t.Fatalf("booth time %v became %v", c.BoothTime, back.BoothTime)
		}
	})
}
