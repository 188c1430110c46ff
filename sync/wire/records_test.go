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

// crossing3 is crossing with what format 3 added: an override, the
// citizen's expired passport and the history's sources.
var crossing3 = func() app.Crossing {
	c := crossing
	c.Decision, c.RefusalReason, c.RefusalNote = app.Admit, "", ""
	c.Override = &app.Override{Verdict: app.VerdictExpired, Ground: "returning resident, new passport applied for"}
	c.ExpiredCitizen = true
	c.Sources = []string{"booth", "hq"}
	return c
}()

// crossing4 is crossing3 with what format 4 added: how the document reached
// the booth (typed from its data page).
var crossing4 = func() app.Crossing {
	c := crossing3
	c.Source = app.FromDataPage
	return c
}()

// crossingChip is crossing4 with the outcome of a chip read (issue 19): an
// optional key of format 4, so records without it are byte for byte as before.
var crossingChip = func() app.Crossing {
	c := crossing4
	c.Chip = &app.ChipRecord{State: app.ChipFailed, Access: "pace", SODSignature: "valid", DSChain: "valid",
		DGHashes: map[string]string{"DG1": "mismatch", "DG2": "match", "DG15": "match"}, ActiveAuth: "valid"}
	return c
}()

// TestCrossingChipGolden: a crossing with a chip outcome is written as
// testdata/crossing-4-chip.json and reads back to the same crossing.
func TestCrossingChipGolden(t *testing.T) {
	got := wire.EncodeCrossing(crossingChip)
	want := golden(t, "crossing-4-chip.json", got)
	back, err := wire.DecodeCrossing(want)
	if err != nil {
		t.Fatal(err)
	}
	back.BoothTime = crossingChip.BoothTime
	if !reflect.DeepEqual(back, crossingChip) {
		t.Errorf("read back\n got %+v\nwant %+v", back, crossingChip)
	}
}

// TestCrossingGolden: the current format is written byte for byte as its
// golden file says, and reads back to the same crossing. A change to the
// format must be a new format number and a new golden file, never an edit of
// this one.
func TestCrossingGolden(t *testing.T) {
	got := wire.EncodeCrossing(crossing4)
	want := golden(t, "crossing-4.json", got)
	back, err := wire.DecodeCrossing(want)
	if err != nil {
		t.Fatal(err)
	}
	if !back.BoothTime.Equal(crossing4.BoothTime) {
		t.Errorf("booth time %v, want %v", back.BoothTime, crossing4.BoothTime)
	}
	back.BoothTime = crossing4.BoothTime
	if !reflect.DeepEqual(back, crossing4) {
		t.Errorf("read back\n got %+v\nwant %+v", back, crossing4)
	}
}

// TestCrossingFormat3: a record of format 3 (booths of 2026-12-04 with
// overrides, before the source was recorded) still reads.
func TestCrossingFormat3(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "crossing-3.json"))
	if err != nil {
		t.Fatal(err)
	}
	back, err := wire.DecodeCrossing(data)
	if err != nil {
		t.Fatal(err)
	}
	back.BoothTime = crossing3.BoothTime
	if !reflect.DeepEqual(back, crossing3) {
		t.Errorf("format 3 read as\n %+v\nwant %+v", back, crossing3)
	}
}

// TestCrossingFormat2: a record of format 2 (booths of 2026-12-04, before
// overrides were recorded) still reads, to the crossing it was written from.
func TestCrossingFormat2(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "crossing-2.json"))
	if err != nil {
		t.Fatal(err)
	}
	back, err := wire.DecodeCrossing(data)
	if err != nil {
		t.Fatal(err)
	}
	back.BoothTime = crossing.BoothTime
	if !reflect.DeepEqual(back, crossing) {
		t.Errorf("format 2 read as\n %+v\nwant %+v", back, crossing)
	}
}

// setAside is a set-aside read with every field set.
var setAside = app.SetAside{
	ID: "01a2407f-1600-7000-8000-000000000009", InspectionID: "01a2407f-14ff-7000-8000-000000000001",
	ShiftID: "01a2407f-0000-7000-8000-000000000002", OfficerID: "K1001", Post: "DOSTUK", Booth: "DOSTUK-07",
	Direction: app.Entry, Document: app.DocumentKey{IssuingState: "UZB", Number: "FA0104729"}, DocumentCode: "P",
	Traveller: app.TravellerKey{Surname: "NAZAROV", GivenNames: "FERUZA", BirthDate: "1964-05-20", Nationality: "UZB"},
	Verdict:   app.VerdictHitOpen, OpenHits: []string{"L328706"}, Hits: 2,
	Note: "traveller walked back to the queue", At: time.Date(2026, 12, 4, 9, 17, 0, 0, time.FixedZone("", 6*3600)), Training: true,
}

// TestSetAsideGolden: format 1 of a set-aside read is written as its golden
// file says and reads back the same.
func TestSetAsideGolden(t *testing.T) {
	got := wire.EncodeSetAside(setAside)
	want := golden(t, "set_aside-1.json", got)
	back, err := wire.DecodeSetAside(want)
	if err != nil {
		t.Fatal(err)
	}
	back.At = setAside.At
	if !reflect.DeepEqual(back, setAside) {
		t.Errorf("read back\n got %+v\nwant %+v", back, setAside)
	}
	if got, want := wire.KindOfSetAside(setAside), wire.KindTrainingSetAside; got != want {
		t.Errorf("kind %q, want %q", got, want)
	}
}

func TestSetAsideRefused(t *testing.T) {
	for name, payload := range map[string]string{
		"not JSON":      `{"id":`,
		"no format":     `{"id":"x"}`,
		"future format": `{"format":2,"id":"x"}`,
		"unknown key":   `{"format":1,"id":"x","decision":"admit"}`,
		"a crossing":    string(wire.EncodeCrossing(crossing)),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := wire.DecodeSetAside([]byte(payload)); app.ErrorCode(err) != app.EINVALID {
				t.Errorf("DecodeSetAside(%s) = %v, want EINVALID", payload, err)
			}
		})
	}
}

func FuzzDecodeSetAside(f *testing.F) {
	f.Add(wire.EncodeSetAside(setAside))
	f.Add([]byte(`{"format":1,"open_hits":[""]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := wire.DecodeSetAside(data)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("code %q: %v", app.ErrorCode(err), err)
			}
			return
		}
		if _, err := wire.DecodeSetAside(wire.EncodeSetAside(a)); err != nil {
			t.Fatalf("re-encoded set-aside does not decode: %v", err)
		}
	})
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
		"not JSON":              `{"ID":`,
		"future format":         `{"format":5,"id":"x"}`,
		"format 2 with 3's key": `{"format":2,"id":"x","override":{"verdict":"v","ground":"g"}}`,
		"format 3 with 4's key": `{"format":3,"id":"x","source":"data_page"}`,
		"unknown key":           `{"format":2,"id":"x","fingerprint":"…"}`,
		"format 1 extra":        `{"ID":"x","Fingerprint":"…"}`,
		"wrong type":            `{"format":2,"id":7}`,
		"format a string":       `{"format":"2"}`,
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
	f.Add(wire.EncodeCrossing(crossing3))
	f.Add(wire.EncodeCrossing(crossing4))
	for _, name := range []string{"crossing-1.json", "crossing-2.json", "crossing-3.json"} {
		if data, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(data)
		}
	}
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

// golden compares got with testdata/name (rewritten with -update) and returns
// the file's bytes. A golden file may end with a newline its bytes lack.
func golden(t *testing.T, name string, got []byte) []byte {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		os.WriteFile(path, got, 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) && !bytes.Equal(got, bytes.TrimSuffix(want, []byte("\n"))) {
		t.Errorf("%s changed (a new format needs a new golden file):\n got %.400q\nwant %.400q", name, got, want)
	}
	return want
}
