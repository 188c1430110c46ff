package wire_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
)

var (
	stayIvanov = wire.OpenStay{Person: app.TravellerKey{Surname: "IVANOV", GivenNames: "PETR", BirthDate: "1980-03-14", Nationality: "RUS"},
		Crossings: []wire.StayCrossing{
			{ID: "01a2407f-1500-773f-878d-0d2c06f6df31", At: time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC), Direction: app.Entry, Post: "DOSTUK", Booth: "DOSTUK-01", Document: app.DocumentKey{IssuingState: "RUS", Number: "7512345"}},
			{ID: "01a2407f-1500-773f-878d-0d2c06f6df2f", At: time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC), Direction: app.Entry, Post: "MANAS", Booth: "MANAS-03", Document: app.DocumentKey{IssuingState: "RUS", Number: "7512345"}},
			{ID: "01a2407f-1500-773f-878d-0d2c06f6df30", At: time.Date(2026, 7, 1, 18, 30, 0, 0, time.UTC), Direction: app.Exit, Post: "DOSTUK", Booth: "DOSTUK-01", Document: app.DocumentKey{IssuingState: "RUS", Number: "7512345"}},
		}}
	stayChen = wire.OpenStay{Person: app.TravellerKey{Surname: "CHEN", GivenNames: "LI NA", BirthDate: "1995-11-02", Nationality: "CHN"},
		Crossings: []wire.StayCrossing{
			{ID: "01a2407f-1500-773f-878d-0d2c06f6df40", At: time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC), Direction: app.Entry, Post: "TORUGART", Booth: "TORUGART-02", Document: app.DocumentKey{IssuingState: "CHN", Number: "E12345678"}},
		}}
)

func stayFile(t *testing.T, version int64, stays ...wire.OpenStay) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := wire.NewOpenStaysWriter(&buf, version)
	for _, s := range stays {
		l, err := wire.MarshalOpenStay(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Line(l); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestOpenStaysGolden: format 1 is written byte for byte as its golden file
// (a change is a new format number and a new golden file) and reads back.
func TestOpenStaysGolden(t *testing.T) {
	got := stayFile(t, 12, stayChen, stayIvanov)
	want := golden(t, "open_stays-1.txt", got)
	var stays []wire.OpenStay
	v, err := wire.ReadOpenStays(want, func(_ int, _ []byte, s wire.OpenStay) error {
		stays = append(stays, s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if v != 12 || len(stays) != 2 || stays[1].Person != stayIvanov.Person || len(stays[1].Crossings) != 3 {
		t.Fatalf("read back version %d, %+v", v, stays)
	}
	if got, want := stays[1].Crossings[0].At, time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("crossings not oldest first: first at %s, want %s", got, want)
	}
	cs := stays[1].AppCrossings()
	if cs[0].ID != "01a2407f-1500-773f-878d-0d2c06f6df31" || cs[0].Decision != app.Admit || cs[0].Traveller != stayIvanov.Person {
		t.Errorf("app crossings not newest first, admitted, of the traveller: %+v", cs[0])
	}
	delta, err := wire.OpenStaysDelta(12, 13, nil, []string{stayChen.Key()})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "open_stays-delta-1.txt", delta)
}

func TestOpenStaysDeltaApplies(t *testing.T) {
	sidorova := wire.OpenStay{Person: app.TravellerKey{Surname: "SIDOROVA", GivenNames: "ANNA", BirthDate: "1971-01-01", Nationality: "KAZ"},
		Crossings: []wire.StayCrossing{{ID: "x1", At: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Direction: app.Entry, Post: "AK-ZHOL", Booth: "AK-ZHOL-01"}}}
	chen2 := stayChen
	chen2.Crossings = append(chen2.Crossings[:1:1], wire.StayCrossing{ID: "x2", At: time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), Direction: app.Entry, Post: "MANAS", Booth: "MANAS-01"})
	base := stayFile(t, 4, stayChen, stayIvanov)
	want := stayFile(t, 5, chen2, sidorova)
	up1, _ := wire.MarshalOpenStay(chen2)
	up2, _ := wire.MarshalOpenStay(sidorova)
	delta, err := wire.OpenStaysDelta(4, 5, []string{up2, up1}, []string{stayIvanov.Key()})
	if err != nil {
		t.Fatal(err)
	}
	key := ed25519.NewKeyFromSeed(make([]byte, 32))
	sum := sha256.Sum256(want)
	e, err := wire.SignEnvelope(key, wire.Envelope{Format: wire.EnvelopeFormat, Kind: wire.KindOpenStays, Version: 5, BaseVersion: 4, Mode: wire.Delta,
		Published: time.Now(), Expires: time.Now().Add(time.Hour), Digest: sum[:], Payload: wire.Gzip(delta)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := wire.BuildOpenStays(base, e)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("delta applied:\n%s\nwant\n%s", got, want)
	}
	t.Run("does not fit", func(t *testing.T) {
		other := stayFile(t, 4, stayChen) // no Ivanov to close: a no-op
		if got, err := wire.BuildOpenStays(other, e); err != nil || !bytes.Equal(got, want) {
			t.Errorf("closing a stay the booth lacks: %v", err)
		}
		if _, err := wire.BuildOpenStays(stayFile(t, 3, stayChen, stayIvanov), e); app.ErrorCode(err) != app.ECONFLICT {
			t.Errorf("delta on another base: %v, want ECONFLICT", err)
		}
	})
}

func TestOpenStayRefusesUnwritable(t *testing.T) {
	for name, s := range map[string]wire.OpenStay{
		"tab in name":       {Person: app.TravellerKey{Surname: "A\tB", BirthDate: "1990-01-01"}, Crossings: stayChen.Crossings},
		"comma in post":     {Person: stayChen.Person, Crossings: []wire.StayCrossing{{ID: "1", Direction: app.Entry, Post: "A,B"}}},
		"no crossings":      {Person: stayChen.Person},
		"no birth date":     {Person: app.TravellerKey{Surname: "A"}, Crossings: stayChen.Crossings},
		"unknown direction": {Person: stayChen.Person, Crossings: []wire.StayCrossing{{ID: "1", Direction: "sideways"}}},
	} {
		if _, err := wire.MarshalOpenStay(s); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("%s: %v, want EINVALID", name, err)
		}
	}
}

// FuzzOpenStays: the booth reads the file and applies deltas from outside
// bytes; neither may panic, and a delta applied must leave a file that reads.
func FuzzOpenStays(f *testing.F) {
	base := []byte("chekara-open-stays\t1\t4\nCHEN\tLI NA\t1995-11-02\tCHN\tid1,1700000000,E,TORUGART,T-2,CHN,E1\n")
	f.Add(base, []byte("chekara-open-stays-delta\t1\t4\t5\n-CHEN\tLI NA\t1995-11-02\tCHN\n"))
	f.Add(base, []byte("chekara-open-stays-delta\t1\t4\t5\n+A\tB\t2000-01-01\tKAZ\tq,1,X,P,B,,\n"))
	f.Fuzz(func(t *testing.T, current, delta []byte) {
		wire.ReadOpenStays(current, nil)
		wire.ParseOpenStay(delta)
		out, err := wire.ApplyOpenStaysDelta(current, delta)
		if err == nil {
			if _, err := wire.ReadOpenStays(out, nil); err != nil && bytes.Equal(current, base) {
				t.Errorf("delta applied to a good file gives one that does not read: %v", err)
			}
		}
	})
}
