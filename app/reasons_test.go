package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/screening"
)

// evidenceList has entries that make the engine give every kind of reason.
const evidenceList = `{"chekara_list":1,"version":3,"type":"snapshot","published":"2026-11-20T06:00:00Z","entries":6}
{"kind":"person","id":"P-1","names":["ИВАНОВ Юрий Петрович"],"birth_date":"1975-03-14","nationalities":["RUS"],"sex":"M","category":"deny_entry","note":"Entry ban until 2029"}
{"kind":"person","id":"P-2","names":["ӨМҮРБЕКОВА Айгүл"],"birth_date":"1990","nationalities":["KGZ"],"sex":"F","category":"watch"}
{"kind":"person","id":"P-3","names":["MUELLER Hans Peter"],"birth_date":"1969-11","nationalities":["D"],"sex":"M","category":"notify"}
{"kind":"person","id":"P-4","names":["DZHUMABAEV CHINGIZ"],"birth_date":"1988-07-05","nationalities":["KGZ"],"sex":"M","category":"arrest"}
{"kind":"document","id":"D-1","issuing_state":"KGZ","document_number":"AC1234567","status":"stolen","note":"Reported stolen in Osh"}
{"kind":"document","id":"D-2","issuing_state":"KAZ","document_number":"N12345678","status":"lost"}
`

// TestEveryEngineReasonHasWords: every reason the real screening engine
// gives — agreements, differences, name details, documents — is read as a
// Reason with a key (so it reaches the screen translated), and a hit's
// evidence comes strongest first: birth date to the day and nationality
// before the name's details.
func TestEveryEngineReasonHasWords(t *testing.T) {
	l, err := screening.ReadList(strings.NewReader(evidenceList))
	if err != nil {
		t.Fatal(err)
	}
	idx, err := screening.Build(l)
	if err != nil {
		t.Fatal(err)
	}
	w := screening.NewWatchlist(idx, screening.Config{Default: 0.3})
	queries := []app.ScreeningQuery{
		{Surname: "IVANOV", GivenNames: "IURII", BirthDate: "1975-03-14", Nationality: "RUS", Sex: "M"},
		{Surname: "IVANOV", GivenNames: "YURIY PETROVICH", BirthDate: "1976-03-14", Nationality: "KAZ", Sex: "F"},
		{Surname: "IVANOV", GivenNames: "IURII", BirthDate: "1975-14-03", Nationality: "RUS"},
		{Surname: "IURII", GivenNames: "IVANOV", BirthDate: "1975-04-14", Nationality: "RUS"},
		{Surname: "IVANOV", GivenNames: "IURII", BirthDate: "1975-03-15"},
		{Surname: "IVANOV", GivenNames: "IURII", BirthDate: "1980-03-14"},
		{Surname: "IVANOVA", GivenNames: "IURII ALEX", BirthDate: "1975"},
		{Surname: "OMURBEKOVA", GivenNames: "AIGUL", BirthDate: "1990-05-05", Nationality: "KGZ", Sex: "F"},
		{Surname: "MUELLER", GivenNames: "HANS", BirthDate: "1969-11-02", Nationality: "D"},
		{Surname: "MULLER", GivenNames: "HANS PETER", Nationality: "D"},
		{Surname: "DZHUMABAEV", GivenNames: "CHINGIZ", BirthDate: "1988-07-05", Nationality: "KGZ"},
		{Surname: "DZHUMABAEV", GivenNames: "CHINGIZ", BirthDate: "88-07-05"},
		{Surname: "DZHUMABAE", GivenNames: "CHINGI", BirthDate: "1988-07-05"},
		{Surname: "IVANOV", GivenNames: "IURII A B", BirthDate: "1975-03-14", Nationality: "RUS", Sex: "M"}, // names added (issue 14)
		{IssuingState: "KGZ", DocumentNumber: "AC1234567"},
		{IssuingState: "KAZ", DocumentNumber: "N1234S678"},
	}
	seen := map[string]bool{}
	for _, q := range queries {
		s, err := w.Screen(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range s.Hits {
			ev := h.Evidence()
			for i, r := range ev {
				if r.Key == "" {
					t.Errorf("%+v: reason %q has no words", q, r.Text)
				}
				seen[r.Key] = true
				if i > 0 && r.Strength > ev[i-1].Strength {
					t.Errorf("%+v: evidence not strongest first: %+v", q, ev)
				}
			}
		}
	}
	for _, key := range []string{"reason.document_listed", "reason.document_look_alike", "reason.birth_day", "reason.birth_year",
		"reason.nationality_listed", "reason.nationality_differs", "reason.birth_year_one_off", "reason.sex_differs",
		"reason.name_score", "reason.token_exact", "reason.token_icao", "reason.name_added", "reason.listed_name_left_out"} {
		if !seen[key] {
			t.Errorf("no query gave %s (seen %v)", key, seen)
		}
	}
}

// TestEvidenceOrder: the decisive reasons come first whatever the engine's
// order; a sentence the booth has no words for is kept, in English.
func TestEvidenceOrder(t *testing.T) {
	h := app.Hit{Reasons: []string{
		`name score 0.97 against listed name "ИВАНОВ Юрий Петрович"`,
		"surname IVANOV matches listed surname ИВАНОВ: ICAO 9303 spelling",
		"listed patronymic ПЕТРОВИЧ is not on the document (optional)",
		"a reason from a newer engine",
		"birth date 1975-03-14 agrees with listed 1975-03-14 (to the day)",
		"nationality RUS is listed",
	}}
	var got []string
	for _, r := range h.Evidence() {
		got = append(got, r.Key)
	}
	want := []string{"reason.birth_day", "reason.nationality_listed", "reason.name_score", "", "reason.token_icao", "reason.listed_patronymic_absent"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("order %v, want %v", got, want)
	}
	r := app.ReasonOf("surname IVANOV matches listed surname ИВАНОВ: ICAO 9303 spelling")
	if r.Args[0] != app.ReasonWord("surname") || r.Args[1] != "IVANOV" || r.Args[2] != app.ReasonWord("surname") {
		t.Errorf("args %#v", r.Args)
	}
}
