package wire_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
)

func TestHistoryAnswer(t *testing.T) {
	real := crossing
	real.Training = false
	good := wire.EncodeCrossing(real)
	training := crossing
	training.ID, training.Training = "t-1", true
	old := []byte(`{"ID":"old-1","Post":"MANAS","Booth":"MANAS-01","Direction":"entry","Decision":"admit","BoothTime":"2026-01-01T00:00:00Z"}`)
	answer := func(recs ...[]byte) []byte {
		a := wire.HistoryAnswer{}
		a.Crossings = []json.RawMessage{}
		for _, r := range recs {
			a.Crossings = append(a.Crossings, r)
		}
		data, _ := json.Marshal(a)
		return data
	}
	tests := []struct {
		name    string
		data    []byte
		limit   int
		wantIDs string
		wantErr string // "" for none
	}{
		{"formats 2 and 1, training dropped", answer(good, old, wire.EncodeCrossing(training)), 10, crossing.ID + " old-1", ""},
		{"none", answer(), 10, "", ""},
		{"one broken line refuses the whole", answer(good, []byte(`{"format":2,"id":"x","nonsense":1}`)), 10, "", "line 2"},
		{"more than asked", answer(good, old), 1, "", "more than the 1 asked"},
		{"not JSON", []byte("<html>proxy error</html>"), 10, "", "not a travel history"},
		{"no crossings key", []byte(`{"hq_time":"2026-01-01T00:00:00Z"}`), 10, "", "no crossings key"},
		{"a line without an id", answer([]byte(`{"format":2,"id":"","officer_id":"K","post":"P","booth":"B","direction":"entry","decision":"admit","document":{"code":"P","issuing_state":"D","number":"1"},"traveller":{"surname":"A","given_names":"B","birth_date":"1990-01-01","nationality":"D"},"booth_time":"2026-01-01T00:00:00Z"}`)), 10, "", "no id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, err := wire.DecodeHistoryAnswer(tt.data, tt.limit)
			if tt.wantErr != "" {
				if app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want EINVALID with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, c := range cs {
				ids = append(ids, c.ID)
			}
			if got := strings.Join(ids, " "); got != tt.wantIDs {
				t.Errorf("crossings = %q, want %q", got, tt.wantIDs)
			}
		})
	}
}

func TestHistoryQueryRoundTrip(t *testing.T) {
	q := app.HistoryQuery{OfficerID: "K1", InspectionID: "i-1", Limit: 200,
		Document: app.DocumentKey{IssuingState: "GBR", Number: "533401927"},
		Person:   app.TravellerKey{Surname: "WALKER", GivenNames: "EMMA", BirthDate: "1988-05-17", Nationality: "GBR"}}
	data, _ := json.Marshal(wire.NewHistoryQuery(q))
	w, err := wire.DecodeHistoryQuery(data)
	if err != nil {
		t.Fatal(err)
	}
	if got := w.Query(); got != q {
		t.Errorf("round trip = %+v, want %+v", got, q)
	}
	for _, bad := range []string{
		`{"officer_id":"K1","limit":10}`, // no key
		`{"officer_id":"","document":{"issuing_state":"D","number":"1"},"limit":10}`,
		`{"officer_id":"K1","document":{"issuing_state":"D","number":"1"},"limit":0}`,
		`{"officer_id":"K1","person":{"surname":"A","given_names":"","birth_date":"","nationality":""},"limit":10}`,
		`{"officer_id":"K1","document":{"issuing_state":"D","number":"1"},"limit":10,"extra":1}`,
	} {
		if _, err := wire.DecodeHistoryQuery([]byte(bad)); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("DecodeHistoryQuery(%s) = %v, want EINVALID", bad, err)
		}
	}
}

func FuzzDecodeHistoryQuery(f *testing.F) {
	f.Add([]byte(`{"officer_id":"K1","document":{"issuing_state":"D","number":"1"},"person":{"surname":"A","given_names":"B","birth_date":"1990","nationality":"D"},"limit":10}`))
	f.Add([]byte(`{"officer_id":"K1"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := wire.DecodeHistoryQuery(data)
		if err != nil {
			return
		}
		// What is accepted has an officer and a usable key, and survives a round trip.
		q := w.Query()
		if q.OfficerID == "" || (q.Document.Number == "" && q.Person.Surname == "") {
			t.Fatalf("accepted a query without officer or key: %+v", q)
		}
		again, _ := json.Marshal(wire.NewHistoryQuery(q))
		if _, err := wire.DecodeHistoryQuery(again); err != nil {
			t.Fatalf("re-encoded query refused: %v", err)
		}
	})
}

func FuzzDecodeHistoryAnswer(f *testing.F) {
	real := crossing
	real.Training = false
	one, _ := json.Marshal(wire.HistoryAnswer{Crossings: []json.RawMessage{wire.EncodeCrossing(real)}})
	f.Add(one, 10)
	f.Add([]byte(`{"crossings":[{"ID":"a"}]}`), 1)
	f.Add([]byte(`{"crossings":null}`), 0)
	f.Fuzz(func(t *testing.T, data []byte, limit int) {
		cs, err := wire.DecodeHistoryAnswer(data, limit)
		if err != nil {
			return
		}
		for _, c := range cs {
			if c.ID == "" || c.Training {
				t.Fatalf("accepted a crossing without id or of training: %+v", c)
			}
		}
		if limit > 0 && len(cs) > limit {
			t.Fatalf("%d crossings past the limit %d", len(cs), limit)
		}
	})
}
