package screening_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/screening"
	"github.com/chekara/chekara/assets"
)

func demoList(tb testing.TB) *screening.List {
	tb.Helper()
	f, err := assets.FS.Open("lists/demo.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	l, err := screening.ReadList(f)
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

func demoDelta(tb testing.TB) *screening.Delta {
	tb.Helper()
	f, err := assets.FS.Open("lists/demo-delta.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	d, err := screening.ReadDelta(f)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func TestIndexFileRoundTrip(t *testing.T) {
	idx := demoIndex(t)
	var buf bytes.Buffer
	if _, err := idx.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	loaded, err := screening.ReadIndex(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := loaded.Version(), idx.Version(); got != want {
		t.Errorf("version %d, want %d", got, want)
	}
	if !loaded.Published().Equal(idx.Published()) {
		t.Errorf("published %v, want %v", loaded.Published(), idx.Published())
	}
	for _, tr := range []screening.Traveller{
		{Surname: "IVANOV", GivenNames: "YURIY", BirthDate: "1975"},
		{Surname: "DZHUMABAEV", GivenNames: "CHINGIZ"},
		{IssuingState: "KGZ", DocumentNumber: "ACI234567"},
	} {
		a, _ := json.Marshal(idx.Screen(tr, screening.DefaultConfig()))
		b, _ := json.Marshal(loaded.Screen(tr, screening.DefaultConfig()))
		if string(a) != string(b) || string(a) == "null" {
			t.Errorf("%+v: loaded index gives %s, built gives %s", tr, b, a)
		}
	}
	// An empty list writes and loads too (a booth before its first snapshot).
	empty, err := screening.Build(&screening.List{})
	if err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if _, err := empty.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := screening.ReadIndex(&buf); err != nil {
		t.Errorf("empty index: %v", err)
	}
}

func TestIndexFileCorrupt(t *testing.T) {
	var buf bytes.Buffer
	if _, err := demoIndex(t).WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	flip := func(i int) []byte {
		b := bytes.Clone(good)
		b[i] ^= 0x40
		return b
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "too short for a header"},
		{"list file", []byte(strings.Repeat(`{"chekara_list":1}`, 3)), "not a screening index file"},
		{"other format", func() []byte { b := bytes.Clone(good); b[8] = 9; return b }(), "index format 9"},
		{"truncated", good[:len(good)/2], "truncated"},
		{"no checksum", good[:len(good)-4], "checksum missing"},
		{"flipped payload bit", flip(len(good) / 2), "checksum mismatch"},
		{"flipped checksum bit", flip(len(good) - 1), "checksum mismatch"},
		{"lying length", func() []byte { b := bytes.Clone(good); b[23] = 0x7f; return b }(), "impossible"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := screening.ReadIndex(bytes.NewReader(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if got, want := app.ErrorCode(err), app.EINVALID; got != want {
				t.Errorf("code %q, want %q", got, want)
			}
		})
	}
}

// FuzzReadIndex: the index file sits on the booth's disk, where power cuts
// and failing sectors damage files. Nothing read may panic, and an index
// that loads must answer queries without panicking.
func FuzzReadIndex(f *testing.F) {
	var buf bytes.Buffer
	idx, _ := screening.Build(&screening.List{Version: 1, Persons: []screening.Person{{ID: "P", Names: []string{"ИВАНОВ Иван"}, Category: "watch"}},
		Documents: []screening.Document{{ID: "D", IssuingState: "KGZ", DocumentNumber: "A1", Status: "lost"}}})
	idx.WriteTo(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte("CHKSCRN\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		idx, err := screening.ReadIndex(bytes.NewReader(data))
		if err != nil {
			return
		}
		idx.Screen(screening.Traveller{Surname: "IVANOV", GivenNames: "IVAN", IssuingState: "KGZ", DocumentNumber: "A1"}, screening.DefaultConfig())
		idx.List()
	})
}

// FuzzScreen: traveller fields come from OCR and keyboards; no input may
// panic, and hits are always ordered with scores in 0–1 and reasons given.
func FuzzScreen(f *testing.F) {
	idx := demoIndex(f)
	f.Add("IVANOV", "IURII PETROVICH", "1975-03-14", "KGZ", "ACI234567")
	f.Add("Иванов", "Юрий", "1975", "KGZ", "AC1234567")
	f.Add("", "", "19", "", "")
	f.Add(strings.Repeat("A ", 100), strings.Repeat("Я", 100), "1975-02-30", "\x00", "<<<")
	f.Fuzz(func(t *testing.T, sur, given, birth, state, number string) {
		hits := idx.Screen(screening.Traveller{Surname: sur, GivenNames: given, BirthDate: birth, IssuingState: state, DocumentNumber: number}, screening.Uniform(0.3))
		for i, h := range hits {
			if h.Score < 0 || h.Score > 1 || len(h.Reasons) == 0 || (i > 0 && h.Score > hits[i-1].Score) {
				t.Fatalf("hit %d = %+v", i, h)
			}
		}
	})
}

func TestWatchlistApplyReplace(t *testing.T) {
	idx := demoIndex(t)
	w := screening.NewWatchlist(idx, screening.DefaultConfig())
	bakieva := screening.Traveller{Surname: "BAKIEVA", GivenNames: "ZHYLDYZ", BirthDate: "1985-02-28"}
	if got := w.Hits(bakieva); len(got) != 0 {
		t.Fatalf("before the delta: %v", hitIDs(got))
	}
	d := demoDelta(t)
	if err := w.Apply(d); err != nil {
		t.Fatal(err)
	}
	if got, want := w.Version(), int64(2); got != want {
		t.Errorf("version %d, want %d", got, want)
	}
	if got := hitIDs(w.Hits(bakieva)); len(got) != 1 || got[0] != "DEMO-P-006" {
		t.Errorf("added person: hits %v", got)
	}
	if got := w.Hits(screening.Traveller{Surname: "MUELLER", GivenNames: "HANS", BirthDate: "1969-11-02"}); len(got) != 0 {
		t.Errorf("removed person still hits: %v", hitIDs(got))
	}
	if got := w.Hits(screening.Traveller{IssuingState: "KAZ", DocumentNumber: "N12345678"}); len(got) != 1 || got[0].Category != screening.Revoked {
		t.Errorf("changed document: %+v", got)
	}
	// The same delta again no longer applies.
	if err := w.Apply(d); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("second apply: %v, want ECONFLICT", err)
	}
	// An older snapshot is refused; the same version is accepted.
	if err := w.Replace(demoList(t)); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("older snapshot: %v, want ECONFLICT", err)
	}
	if err := w.ReplaceIndex(w.Index()); err != nil {
		t.Errorf("same version: %v", err)
	}
}

// Queries running while deltas are applied see one list version or the next,
// never a mix: a hit on the added person only ever comes with version 2.
func TestWatchlistConcurrent(t *testing.T) {
	w := screening.NewWatchlist(demoIndex(t), screening.DefaultConfig())
	d := demoDelta(t)
	bakieva := screening.Traveller{Surname: "BAKIEVA", GivenNames: "ZHYLDYZ", BirthDate: "1985-02-28", IssuingState: "KAZ", DocumentNumber: "N12345678"}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 300 {
				s := w.Check(bakieva)
				person := false
				var docStatus string
				for _, h := range s.Hits {
					if h.ID == "DEMO-P-006" {
						person = true
					}
					if h.ID == "DEMO-D-003" {
						docStatus = h.Category
					}
				}
				if s.ListVersion == 1 && (person || docStatus != screening.Lost) || s.ListVersion == 2 && (!person || docStatus != screening.Revoked) {
					t.Errorf("version %d with hits %+v", s.ListVersion, s.Hits)
					return
				}
			}
		}()
	}
	if err := w.Apply(d); err != nil {
		t.Error(err)
	}
	wg.Wait()
}

// Check gives the audit record: what was asked, of which list version, and
// the answer, also when nothing was found.
func TestWatchlistCheckAudit(t *testing.T) {
	w := screening.NewWatchlist(demoIndex(t), screening.DefaultConfig())
	s := w.Check(screening.Traveller{Surname: "SMITH", GivenNames: "JOHN", BirthDate: "1970-13-01"})
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{`"list_version":1`, `"surname":"SMITH"`, `"hits":[]`, `"problem":"birth date \"1970-13-01\"`} {
		if !strings.Contains(got, want) {
			t.Errorf("audit record %s lacks %s", got, want)
		}
	}
}

func TestTravellerOf(t *testing.T) {
	in := app.Inspection{Sex: "M", Document: app.DocumentKey{IssuingState: "KGZ", Number: "ACI234567"},
		Traveller: app.TravellerKey{Surname: "IVANOV", GivenNames: "IURII", BirthDate: "1975-03-14", Nationality: "RUS"}}
	w := screening.NewWatchlist(demoIndex(t), screening.DefaultConfig())
	if got, want := strings.Join(hitIDs(w.Hits(screening.TravellerOf(in))), ","), "DEMO-P-001,DEMO-D-001"; got != want {
		t.Errorf("hits %s, want %s", got, want)
	}
}
