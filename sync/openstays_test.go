package sync_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync"
	"github.com/chekara/chekara/sync/wire"
)

// TestOpenStaysIndex: look-ups by person and by any document of the stay,
// newest first, each crossing once; nothing for a stranger or a
// near-namesake; a file that is not open stays leaves the index as it was.
func TestOpenStaysIndex(t *testing.T) {
	renewed := app.DocumentKey{IssuingState: "UZB", Number: "NEW1"}
	old := app.DocumentKey{IssuingState: "UZB", Number: "OLD1"}
	p := app.TravellerKey{Surname: "KARIMOV", GivenNames: "ALISHER", BirthDate: "1985-02-03", Nationality: "UZB"}
	day := func(n int) time.Time { return time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n) }
	stays := []wire.OpenStay{
		{Person: app.TravellerKey{Surname: "AA", BirthDate: "1990-01-01", Nationality: "KAZ"},
			Crossings: []wire.StayCrossing{{ID: "a1", At: day(0), Direction: app.Entry, Post: "P", Booth: "B", Document: app.DocumentKey{IssuingState: "KAZ", Number: "K1"}}}},
		{Person: p, Crossings: []wire.StayCrossing{
			{ID: "k1", At: day(1), Direction: app.Entry, Post: "DOSTUK", Booth: "D1", Document: old},
			{ID: "k2", At: day(20), Direction: app.Exit, Post: "DOSTUK", Booth: "D1", Document: old},
			{ID: "k3", At: day(40), Direction: app.Entry, Post: "MANAS", Booth: "M1", Document: renewed},
		}},
	}
	var buf bytes.Buffer
	w := wire.NewOpenStaysWriter(&buf, 9)
	for _, s := range stays {
		l, err := wire.MarshalOpenStay(s)
		if err != nil {
			t.Fatal(err)
		}
		w.Line(l)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var x sync.OpenStaysIndex
	if got := x.OpenStay(old, p); got != nil {
		t.Errorf("an empty index answers %+v", got)
	}
	if err := x.Load(buf.Bytes()); err != nil {
		t.Fatal(err)
	}
	if x.Version() != 9 || x.Len() != 2 {
		t.Errorf("version %d, %d stays", x.Version(), x.Len())
	}
	ids := func(cs []app.Crossing) string {
		var s string
		for _, c := range cs {
			s += c.ID + " "
		}
		return s
	}
	for name, tt := range map[string]struct {
		doc    app.DocumentKey
		person app.TravellerKey
		want   string
	}{
		"by person":                  {person: p, want: "k3 k2 k1 "},
		"by the old document":        {doc: old, want: "k3 k2 k1 "},
		"by both":                    {doc: renewed, person: p, want: "k3 k2 k1 "},
		"a stranger":                 {doc: app.DocumentKey{IssuingState: "UZB", Number: "X"}, person: app.TravellerKey{Surname: "X", BirthDate: "1990-01-01"}, want: ""},
		"another birth date":         {person: app.TravellerKey{Surname: p.Surname, GivenNames: p.GivenNames, BirthDate: "1985-02-04", Nationality: "UZB"}, want: ""},
		"the same number, elsewhere": {doc: app.DocumentKey{IssuingState: "KAZ", Number: "NEW1"}, want: ""},
	} {
		if got := ids(x.OpenStay(tt.doc, tt.person)); got != tt.want {
			t.Errorf("%s: %q, want %q", name, got, tt.want)
		}
	}
	if err := x.Load([]byte("not open stays\n")); app.ErrorCode(err) != app.EINVALID || x.Version() != 9 {
		t.Errorf("a bad file: %v, version %d", err, x.Version())
	}
}
