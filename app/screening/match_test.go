package screening_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app/screening"
)

// demoIndex builds the shipped demo list (assets/lists/demo.jsonl).
func demoIndex(tb testing.TB) *screening.Index {
	tb.Helper()
	l := demoList(tb)
	idx, err := screening.Build(l)
	if err != nil {
		tb.Fatal(err)
	}
	return idx
}

func hitIDs(hits []screening.Hit) []string {
	var ids []string
	for _, h := range hits {
		ids = append(ids, h.ID)
	}
	return ids
}

func TestScreenPersons(t *testing.T) {
	idx := demoIndex(t)
	cfg := screening.DefaultConfig()
	tests := []struct {
		name       string
		t          screening.Traveller
		want       string // first hit's id, "" for none
		wantReason string // a reason of the first hit must contain this
	}{
		{"ICAO spelling, patronymic missing", screening.Traveller{Surname: "IVANOV", GivenNames: "IURII", BirthDate: "1975-03-14", Nationality: "RUS", Sex: "M"},
			"DEMO-P-001", "ICAO 9303 spelling"},
		{"older passport spelling", screening.Traveller{Surname: "IVANOV", GivenNames: "YURIY", BirthDate: "1975-03-14"},
			"DEMO-P-001", "variant spelling YURIY"},
		{"English spelling YURY", screening.Traveller{Surname: "IVANOV", GivenNames: "YURY", BirthDate: "1975-03-14"},
			"DEMO-P-001", "variant spelling YURY"},
		{"names swapped", screening.Traveller{Surname: "IURII", GivenNames: "IVANOV", BirthDate: "1975-03-14"},
			"DEMO-P-001", ""},
		{"patronymic present", screening.Traveller{Surname: "IVANOV", GivenNames: "IURII PETROVICH", BirthDate: "1975"},
			"DEMO-P-001", "patronymic PETROVICH matches"},
		{"one typo", screening.Traveller{Surname: "IVANOW", GivenNames: "IURII", BirthDate: "1975-03-14"},
			"DEMO-P-001", ""},
		{"Cyrillic on the document", screening.Traveller{Surname: "Иванов", GivenNames: "Юрий", BirthDate: "1975-03-14"},
			"DEMO-P-001", ""},
		{"year-only birth date", screening.Traveller{Surname: "IVANOV", GivenNames: "IURII", BirthDate: "1975"},
			"DEMO-P-001", "to the year"},
		{"Kyrgyz Ң as NG, Ж as DZH", screening.Traveller{Surname: "DZHUMABAEV", GivenNames: "CHYNGYZ", BirthDate: "1988-07-03"},
			"DEMO-P-002", ""},
		{"Kyrgyz Ө Ү as O U", screening.Traveller{Surname: "OMURBEKOVA", GivenNames: "AIGUL", BirthDate: "1990-01-01", Sex: "F"},
			"DEMO-P-003", ""},
		{"Kyrgyz Ө Ү as OE UE", screening.Traveller{Surname: "OEMUERBEKOVA", GivenNames: "AIGUEL", BirthDate: "1990-01-01"},
			"DEMO-P-003", ""},
		{"Х as H, Ь silent", screening.Traveller{Surname: "HASANOV", GivenNames: "SHUKHRAT", BirthDate: "1982-05-05", Nationality: "UZB"},
			"DEMO-P-004", ""},
		{"Latin-listed name with diacritics on the document", screening.Traveller{Surname: "MÜLLER", GivenNames: "HANS", BirthDate: "1969-11-02"},
			"DEMO-P-005", ""},
		// Unrelated travellers and near misses.
		{"same surname, other given name", screening.Traveller{Surname: "IVANOV", GivenNames: "SERGEI", BirthDate: "1975-03-14"}, "", ""},
		{"same name, birth years apart", screening.Traveller{Surname: "IVANOV", GivenNames: "IURII", BirthDate: "1990-03-14"}, "", ""},
		{"same name, same year, other day", screening.Traveller{Surname: "IVANOV", GivenNames: "IURII", BirthDate: "1975-03-20"}, "", ""},
		{"other patronymic", screening.Traveller{Surname: "IVANOV", GivenNames: "IURII SERGEEVICH", BirthDate: "1975"}, "", ""},
		{"nothing alike", screening.Traveller{Surname: "SMITH", GivenNames: "JOHN", BirthDate: "1975-03-14"}, "", ""},
		{"no names", screening.Traveller{}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits := idx.Screen(tt.t, cfg)
			if tt.want == "" {
				if len(hits) > 0 {
					t.Fatalf("hits %v (%v), want none", hitIDs(hits), hits[0].Reasons)
				}
				return
			}
			if len(hits) == 0 {
				t.Fatalf("no hit, want %s", tt.want)
			}
			h := hits[0]
			if h.ID != tt.want {
				t.Fatalf("first hit %s, want %s", h.ID, tt.want)
			}
			if h.Kind != screening.KindPerson || h.Score < cfg.Threshold(h.Category) || h.Score > 1 {
				t.Errorf("hit = %+v", h)
			}
			if len(h.Reasons) < 2 {
				t.Errorf("reasons %q: want one per token and the birth date", h.Reasons)
			}
			if tt.wantReason != "" && !slices.ContainsFunc(h.Reasons, func(r string) bool { return strings.Contains(r, tt.wantReason) }) {
				t.Errorf("reasons %q: none contains %q", h.Reasons, tt.wantReason)
			}
		})
	}
}

// Nationality and sex lower the score; they never remove a hit by themselves.
func TestScreenNationalityLowersOnly(t *testing.T) {
	idx := demoIndex(t)
	base := screening.Traveller{Surname: "IVANOV", GivenNames: "IURII", BirthDate: "1975-03-14", Nationality: "RUS", Sex: "M"}
	other := base
	other.Nationality = "KGZ"
	a := idx.Screen(base, screening.Uniform(0.5))
	b := idx.Screen(other, screening.Uniform(0.5))
	if len(a) == 0 || len(b) == 0 {
		t.Fatalf("hits %v and %v, want one each", a, b)
	}
	if got, want := b[0].Score, a[0].Score-screening.NationalityAgrees-screening.NationalityDiffer; got < want-0.001 || got > want+0.001 {
		t.Errorf("score with another nationality %.3f, want %.3f", got, want)
	}
	if !slices.ContainsFunc(b[0].Reasons, func(r string) bool { return strings.Contains(r, "nationality KGZ is not the listed RUS") }) {
		t.Errorf("reasons %q do not mention the nationality", b[0].Reasons)
	}
}

func TestScreenDocuments(t *testing.T) {
	idx := demoIndex(t)
	tests := []struct {
		name, state, number string
		wantID              string
		wantScore           float64
	}{
		{"exact", "KGZ", "AC1234567", "DEMO-D-001", 1},
		{"exact, fillers and lower case", "kgz", "ac1234567<<", "DEMO-D-001", 1},
		{"I for 1", "KGZ", "ACI234567", "DEMO-D-001", screening.LookAlikeDocument},
		{"O for 0, S for 5", "UZB", "FAOO1234S", "DEMO-D-002", screening.LookAlikeDocument},
		{"B for 8", "KAZ", "N1234567B", "DEMO-D-003", screening.LookAlikeDocument},
		{"G for 6 is no look-alike", "KAZ", "N12345G78", "", 0},
		{"other state", "KAZ", "AC1234567", "", 0},
		{"other number", "KGZ", "AC1234568", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits := idx.Screen(screening.Traveller{IssuingState: tt.state, DocumentNumber: tt.number}, screening.DefaultConfig())
			if tt.wantID == "" {
				if len(hits) != 0 {
					t.Fatalf("hits %v, want none", hitIDs(hits))
				}
				return
			}
			if len(hits) != 1 {
				t.Fatalf("hits %v, want one", hitIDs(hits))
			}
			h := hits[0]
			if h.ID != tt.wantID || h.Score != tt.wantScore || h.Kind != screening.KindDocument || len(h.Reasons) == 0 {
				t.Errorf("hit = %+v, want %s with score %.2f", h, tt.wantID, tt.wantScore)
			}
		})
	}
}

// The look-alike hit alerts lower than an exact one, so a strict threshold
// keeps the exact hit and drops the look-alike one.
func TestScreenThreshold(t *testing.T) {
	idx := demoIndex(t)
	strict := screening.Uniform(0.9)
	if hits := idx.Screen(screening.Traveller{IssuingState: "KGZ", DocumentNumber: "ACI234567"}, strict); len(hits) != 0 {
		t.Errorf("look-alike hit at 0.9: %v", hitIDs(hits))
	}
	if hits := idx.Screen(screening.Traveller{IssuingState: "KGZ", DocumentNumber: "AC1234567"}, strict); len(hits) != 1 {
		t.Errorf("exact hit at 0.9: %v", hitIDs(hits))
	}
}

// Hits come best first, a person and a document together.
func TestScreenOrder(t *testing.T) {
	idx := demoIndex(t)
	hits := idx.Screen(screening.Traveller{Surname: "IVANOV", GivenNames: "YURIY", BirthDate: "1975", IssuingState: "KGZ", DocumentNumber: "ACI234567"}, screening.DefaultConfig())
	if got, want := strings.Join(hitIDs(hits), ","), "DEMO-P-001,DEMO-D-001"; got != want {
		t.Errorf("hits %s, want %s", got, want)
	}
	for i := 1; i < len(hits); i++ {
		if hits[i].Score > hits[i-1].Score {
			t.Errorf("hit %d scores above hit %d", i, i-1)
		}
	}
}

func TestBuildRejects(t *testing.T) {
	tests := []struct {
		name string
		l    screening.List
		want string
	}{
		{"duplicate id across kinds", screening.List{Version: 1,
			Persons:   []screening.Person{{ID: "X", Names: []string{"A B"}, Category: "watch"}},
			Documents: []screening.Document{{ID: "X", IssuingState: "KGZ", DocumentNumber: "A1", Status: "lost"}}}, `id "X" listed twice`},
		{"bad person", screening.List{Version: 1, Persons: []screening.Person{{ID: "P", Names: []string{"A"}, Category: "watch", BirthDate: "1980-1-1"}}}, `person "P"`},
		{"bad document", screening.List{Version: 1, Documents: []screening.Document{{ID: "D", IssuingState: "kgz", DocumentNumber: "A1", Status: "lost"}}}, `document "D"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := screening.Build(&tt.l)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// List gives back what was built, so deltas apply to a loaded index.
func TestIndexList(t *testing.T) {
	l := demoList(t)
	idx, err := screening.Build(l)
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := screening.WriteList(&a, l); err != nil {
		t.Fatal(err)
	}
	if err := screening.WriteList(&b, idx.List()); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Errorf("index gives back\n%s\nwant\n%s", b.String(), a.String())
	}
}

// Garbage of great length (a reader gone wild, a corrupt list line) costs
// time in proportion to its length, not its square.
func TestScreenLongInput(t *testing.T) {
	long := strings.Repeat("IVANOV", 20_000)
	l := &screening.List{Version: 1, Persons: []screening.Person{
		{ID: "P", Names: []string{strings.Repeat("Я", 30_000) + " Иван"}, Category: "watch"}}}
	idx, err := screening.Build(l)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	idx.Screen(screening.Traveller{Surname: long, GivenNames: long + " " + long, DocumentNumber: long, IssuingState: "KGZ"}, screening.DefaultConfig())
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("screening 360 kB of names took %v", d)
	}
}

// A name that fills an MRZ name field exactly was probably cut short: its last
// token may match the listed name it begins. Shorter names get no such leeway.
func TestScreenTruncatedMRZName(t *testing.T) {
	l := &screening.List{Version: 1, Persons: []screening.Person{{ID: "P-TRUNC",
		Names: []string{"ТОКТОГУЛОВА-АБДЫКАДЫРОВА Айжаркын Асановна"}, BirthDate: "1979", Category: "deny_entry"}}}
	idx, err := screening.Build(l)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, surname, given string
		want                 bool
	}{
		// TOKTOGULOVA<ABDYKADYROVA<<AIZH: 30 characters, a full TD1 field.
		{"full TD1 field", "TOKTOGULOVA ABDYKADYROVA", "AIZH", true},
		// ABDYKADYROVA<<AIZH: 18 characters, nothing was cut.
		{"short name", "ABDYKADYROVA", "AIZH", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits := idx.Screen(screening.Traveller{Surname: tt.surname, GivenNames: tt.given, BirthDate: "1979-06-01"}, screening.DefaultConfig())
			if got := len(hits) == 1; got != tt.want {
				t.Fatalf("hit: %v, want %v (%v)", got, tt.want, hits)
			}
			if tt.want && !slices.ContainsFunc(hits[0].Reasons, func(r string) bool { return strings.Contains(r, "cut short") }) {
				t.Errorf("reasons %q do not say the name was cut short", hits[0].Reasons)
			}
		})
	}
}
