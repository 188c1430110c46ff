package screening_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/screening"
	"github.com/chekara/chekara/app/screening/testset"
)

// randomDelta changes a list: removes, changes and adds persons and documents,
// sometimes touching the same id twice.
func randomDelta(r *rand.Rand, l *screening.List, round int) *screening.Delta {
	d := &screening.Delta{Version: l.Version + 1, Base: l.Version, Published: l.Published.Add(time.Hour)}
	fresh := testset.Persons(uint64(1000+round), 40)
	docs := testset.Documents(uint64(1000+round), 40)
	used := map[string]bool{}
	for i := range 30 {
		switch r.IntN(3) {
		case 0:
			if len(l.Persons) > 0 {
				p := l.Persons[r.IntN(len(l.Persons))]
				if !used[p.ID] {
					used[p.ID] = true
					d.Ops = append(d.Ops, screening.Op{Action: screening.Remove, Kind: screening.KindPerson, ID: p.ID})
				}
			}
		case 1:
			if len(l.Persons) > 0 {
				p := l.Persons[r.IntN(len(l.Persons))]
				if !used[p.ID] {
					used[p.ID] = true
					p.Category = screening.Categories[r.IntN(len(screening.Categories))]
					p.Names = append([]string{fresh[i].Names[0]}, p.Names[1:]...)
					d.Ops = append(d.Ops, screening.Op{Action: screening.Change, Kind: screening.KindPerson, ID: p.ID, Person: &p})
				}
			}
		default:
			p := fresh[i]
			p.ID = fmt.Sprintf("R%d-%d", round, i)
			d.Ops = append(d.Ops, screening.Op{Action: screening.Add, Kind: screening.KindPerson, ID: p.ID, Person: &p})
		}
		if i%5 == 0 && len(l.Documents) > 0 {
			x := l.Documents[r.IntN(len(l.Documents))]
			if !used[x.ID] {
				used[x.ID] = true
				x.Status = screening.Revoked
				d.Ops = append(d.Ops, screening.Op{Action: screening.Change, Kind: screening.KindDocument, ID: x.ID, Document: &x})
			}
			y := docs[i]
			y.ID = fmt.Sprintf("RD%d-%d", round, i)
			d.Ops = append(d.Ops, screening.Op{Action: screening.Add, Kind: screening.KindDocument, ID: y.ID, Document: &y})
		}
	}
	return d
}

func sortedList(t *testing.T, l *screening.List) string {
	t.Helper()
	c := *l
	c.Persons = slices.Clone(l.Persons)
	c.Documents = slices.Clone(l.Documents)
	slices.SortFunc(c.Persons, func(a, b screening.Person) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(c.Documents, func(a, b screening.Document) int { return strings.Compare(a.ID, b.ID) })
	var buf bytes.Buffer
	if err := screening.WriteList(&buf, &c); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func screenAll(idx *screening.Index, ts []screening.Traveller) string {
	var b strings.Builder
	for _, t := range ts {
		for _, h := range idx.Screen(t, screening.DefaultConfig()) {
			fmt.Fprintf(&b, "%s %.3f|", h.ID, h.Score)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Index.Apply (a delta layer over the built arrays) must give the same list and
// the same hits as applying the delta to the list and building from scratch,
// also after the layered index is written and read back.
func TestIndexApplyMatchesRebuild(t *testing.T) {
	set := testset.Generate(11, 1500, 0, 0)
	set.List.Documents = testset.Documents(11, 500)
	idx, err := screening.Build(set.List)
	if err != nil {
		t.Fatal(err)
	}
	l := set.List
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 6 {
		d := randomDelta(r, l, round)
		next, err := l.Apply(d)
		if err != nil {
			t.Fatal(err)
		}
		if idx, err = idx.Apply(d); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		l = next
		rebuilt, err := screening.Build(l)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := sortedList(t, idx.List()), sortedList(t, l); got != want {
			t.Fatalf("round %d: layered index holds another list", round)
		}
		if got, want := idx.Persons(), len(l.Persons); got != want {
			t.Errorf("round %d: Persons() = %d, want %d", round, got, want)
		}
		if got, want := idx.Documents(), len(l.Documents); got != want {
			t.Errorf("round %d: Documents() = %d, want %d", round, got, want)
		}
		// Travellers: every listed person now, and the documents.
		var ts []screening.Traveller
		for _, p := range testset.Queries(uint64(round), l.Persons, 200) {
			ts = append(ts, p)
		}
		for i, x := range l.Documents {
			if i%10 == 0 {
				ts = append(ts, screening.Traveller{IssuingState: x.IssuingState, DocumentNumber: x.DocumentNumber})
			}
		}
		want := screenAll(rebuilt, ts)
		if got := screenAll(idx, ts); got != want {
			t.Fatalf("round %d: layered index screens differently", round)
		}
		var buf bytes.Buffer
		if _, err := idx.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		loaded, err := screening.ReadIndex(&buf)
		if err != nil {
			t.Fatalf("round %d: reading the layered index: %v", round, err)
		}
		if got := screenAll(loaded, ts); got != want {
			t.Fatalf("round %d: loaded layered index screens differently", round)
		}
		idx = loaded
	}
}

func TestIndexApplyConflicts(t *testing.T) {
	idx := demoIndex(t)
	pub := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	p := &screening.Person{ID: "DEMO-P-001", Names: []string{"A B"}, Category: "watch"}
	tests := []struct {
		name string
		ops  []screening.Op
		code string
	}{
		{"add listed", []screening.Op{{Action: screening.Add, Kind: screening.KindPerson, ID: p.ID, Person: p}}, app.ECONFLICT},
		{"remove twice", []screening.Op{{Action: screening.Remove, Kind: screening.KindPerson, ID: "DEMO-P-002"}, {Action: screening.Remove, Kind: screening.KindPerson, ID: "DEMO-P-002"}}, app.ECONFLICT},
		{"change unknown", []screening.Op{{Action: screening.Change, Kind: screening.KindPerson, ID: "X", Person: &screening.Person{ID: "X", Names: []string{"A B"}, Category: "watch"}}}, app.ECONFLICT},
		{"change kind", []screening.Op{{Action: screening.Change, Kind: screening.KindPerson, ID: "DEMO-D-001", Person: &screening.Person{ID: "DEMO-D-001", Names: []string{"A B"}, Category: "watch"}}}, app.EINVALID},
		{"bad entry", []screening.Op{{Action: screening.Add, Kind: screening.KindPerson, ID: "Y", Person: &screening.Person{ID: "Y", Names: []string{"A B"}, Category: "bad"}}}, app.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := idx.Apply(&screening.Delta{Version: 2, Base: 1, Published: pub, Ops: tt.ops})
			if got := app.ErrorCode(err); got != tt.code {
				t.Errorf("err = %v, want code %s", err, tt.code)
			}
		})
	}
	if _, err := idx.Apply(&screening.Delta{Version: 3, Base: 2, Published: pub}); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("wrong base: %v", err)
	}
	// Remove then add the same id in one delta is allowed.
	next, err := idx.Apply(&screening.Delta{Version: 2, Base: 1, Published: pub, Ops: []screening.Op{
		{Action: screening.Remove, Kind: screening.KindPerson, ID: p.ID},
		{Action: screening.Add, Kind: screening.KindPerson, ID: p.ID, Person: p}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := next.Persons(); got != idx.Persons() {
		t.Errorf("persons %d, want %d", got, idx.Persons())
	}
}

// Past compactAt changes, Apply rebuilds whole: no delta layer remains.
func TestIndexApplyCompacts(t *testing.T) {
	idx := demoIndex(t)
	d := &screening.Delta{Version: 2, Base: 1, Published: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	for i, p := range testset.Persons(5, 20_001) {
		p.ID = fmt.Sprintf("N%d", i)
		d.Ops = append(d.Ops, screening.Op{Action: screening.Add, Kind: screening.KindPerson, ID: p.ID, Person: &p})
	}
	next, err := idx.Apply(d)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := next.String(), "watchlist v2: 20006 persons, 4 documents (0 changed since built)"; got != want {
		t.Errorf("%s, want %s", got, want)
	}
}
