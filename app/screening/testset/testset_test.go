package testset_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/chekara/chekara/app/screening"
	"github.com/chekara/chekara/app/screening/testset"
)

// The same seed gives the same set: reported figures must reproduce.
func TestGenerateDeterministic(t *testing.T) {
	a := testset.Generate(6, 200, 50, 300)
	b := testset.Generate(6, 200, 50, 300)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two sets from seed 6 differ")
	}
	c := testset.Generate(7, 200, 50, 300)
	if reflect.DeepEqual(a.List.Persons, c.List.Persons) {
		t.Fatal("seeds 6 and 7 give the same list")
	}
}

// Every kind of variant is generated, refers to a listed person, and the list
// is one the booth accepts.
func TestGenerateVariants(t *testing.T) {
	s := testset.Generate(6, 300, 300, 100)
	if _, err := screening.Build(s.List); err != nil {
		t.Fatalf("generated list does not build: %v", err)
	}
	ids := map[string]bool{}
	for _, p := range s.List.Persons {
		ids[p.ID] = true
	}
	kinds := map[string]int{}
	for _, v := range s.Variants {
		kinds[v.Kind]++
		if !ids[v.ListedID] {
			t.Errorf("variant of unknown %s", v.ListedID)
		}
		if v.Traveller.Surname == "" || v.Traveller.GivenNames == "" {
			t.Errorf("variant without names: %+v", v)
		}
	}
	for _, k := range testset.Kinds {
		if kinds[k] == 0 {
			t.Errorf("no %s variants", k)
		}
	}
	if got, want := len(s.Unrelated), 100; got != want {
		t.Errorf("%d unrelated, want %d", got, want)
	}
}

func TestTransliteration(t *testing.T) {
	tests := []struct{ in, icao, old string }{
		{"Юрий", "IURII", "YURIY"},
		{"Щербаков", "SHCHERBAKOV", "SHCHERBAKOV"},
		{"Елена", "ELENA", "YELENA"},
		{"Чыңгыз", "CHYNGYZ", "CHYNGYZ"},
		{"Өмүрбек", "OMURBEK", "OMURBEK"},
		{"Объедков", "OBIEEDKOV", "OBYEDKOV"}, // ICAO spells Ъ as IE, then Е as E
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := testset.ICAO(tt.in); got != tt.icao {
				t.Errorf("ICAO = %s, want %s", got, tt.icao)
			}
			if got := testset.Old(tt.in); got != tt.old {
				t.Errorf("Old = %s, want %s", got, tt.old)
			}
		})
	}
}

func TestPersonsAndDocuments(t *testing.T) {
	ps := testset.Persons(6, 1000)
	ds := testset.Documents(6, 1000)
	l := &screening.List{Version: 1, Persons: ps, Documents: ds}
	if _, err := screening.Build(l); err != nil {
		t.Fatalf("benchmark list does not build: %v", err)
	}
	if !slices.ContainsFunc(ps, func(p screening.Person) bool { return strings.ContainsAny(p.Names[0], "ҢӨҮ") }) {
		t.Error("no Kyrgyz letters among 1000 persons")
	}
	qs := testset.Queries(6, ps, 100)
	if len(qs) != 100 || qs[0].Surname == "" {
		t.Errorf("queries: %d, first %+v", len(qs), qs[0])
	}
}
