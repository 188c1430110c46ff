// Package testset generates watchlists and travellers for measuring the
// screening matcher: listed persons written in Cyrillic as national lists
// write them, the spellings their passports may carry, and unrelated
// travellers drawn from the same name pools. Everything is a function of the
// seed, so a reported figure can be reproduced exactly.
//
// Its transliteration is written here independently of app/screening's, from
// the table in REFERENCE §4, so the matcher is not measured against itself.
package testset

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode"

	"github.com/chekara/chekara/app/screening"
)

// Variant is a traveller who is a listed person, spelled as a document may
// spell them.
type Variant struct {
	Traveller screening.Traveller
	ListedID  string
	Kind      string // what differs from the list: see Kinds
}

// Kinds of variants, in the order the report lists them.
var Kinds = []string{
	"icao",             // ICAO 9303 spelling, patronymic left out as in most MRZs
	"transliteration",  // one letter spelled by another variant of the table (Й→Y, Х→H, Ң→NG …)
	"older-spelling",   // the whole name in the pre-2012 Russian scheme (Y, YU, YA, KH, ZH, TS)
	"patronymic-kept",  // the listed patronymic also on the document
	"patronymic-added", // a patronymic on the document that the list does not have
	"swapped",          // surname and given names exchanged
	"typo",             // one letter wrong, missing, extra or transposed
	"year-only",        // the document gives only the birth year
	// Evasions (issue 14 item 8): what a listed person may do to slip past.
	"extra-names",       // given names added to the document (IVANOV / IURII A B C D)
	"other-nationality", // a passport of another nationality (and issuing state)
	"evasion-typo",      // one letter wrong, on top of the listed birth date and nationality
	"all-three",         // extra names, another nationality's passport and a typo together
}

// Set is a generated test set.
type Set struct {
	List      *screening.List
	Variants  []Variant
	Unrelated []screening.Traveller
}

// person is a listed person before it becomes a list entry.
type person struct {
	id         string
	surname    string
	given      string
	patronymic string // "" when the list has none
	birth      string // as listed: YYYY-MM-DD, YYYY-MM or YYYY
	fullBirth  string // the real date, for documents
	nat        string
	sex        string
	category   string
	latinForm  bool // the list also carries the ICAO Latin form
}

type gen struct {
	r *rand.Rand
}

func newGen(seed uint64) *gen { return &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

func (g *gen) pick(s []string) string { return s[g.r.IntN(len(s))] }

func (g *gen) date() time.Time {
	start := time.Date(1945, 1, 1, 0, 0, 0, 0, time.UTC)
	return start.AddDate(0, 0, g.r.IntN(60*365))
}

// name draws a person's names from one group.
func (g *gen) name() (gr *group, sex, surname, given, patro string) {
	gr = &groups[g.r.IntN(len(groups))]
	female := g.r.IntN(2) == 0
	if female {
		sex = "F"
		given = g.pick(gr.female)
		surname = feminine(g.pick(gr.surnames))
	} else {
		sex = "M"
		given = g.pick(gr.male)
		surname = g.pick(gr.surnames)
	}
	patro = patronymic(g.pick(gr.male), female)
	return
}

func (g *gen) person(id string) person {
	gr, sex, sur, given, patro := g.name()
	p := person{id: id, surname: sur, given: given, nat: gr.nationality, sex: sex}
	if g.r.IntN(10) < 7 {
		p.patronymic = patro
	}
	d := g.date()
	p.fullBirth = d.Format("2006-01-02")
	switch n := g.r.IntN(10); {
	case n < 7:
		p.birth = p.fullBirth
	case n < 8:
		p.birth = d.Format("2006-01")
	default:
		p.birth = d.Format("2006")
	}
	p.category = screening.Categories[g.r.IntN(len(screening.Categories))]
	p.latinForm = g.r.IntN(5) == 0
	return p
}

func (p person) entry() screening.Person {
	cyr := strings.ToUpper(p.surname) + " " + p.given
	if p.patronymic != "" {
		cyr += " " + p.patronymic
	}
	e := screening.Person{ID: p.id, Names: []string{cyr}, BirthDate: p.birth, Nationalities: []string{p.nat},
		Sex: p.sex, Category: p.category}
	if p.latinForm {
		e.Names = append(e.Names, ICAO(p.surname)+" "+ICAO(p.given))
	}
	return e
}

// Persons returns n listed persons (ids P0000001 …) for benchmarks.
func Persons(seed uint64, n int) []screening.Person {
	g := newGen(seed)
	out := make([]screening.Person, n)
	for i := range out {
		out[i] = g.person(fmt.Sprintf("P%07d", i+1)).entry()
	}
	return out
}

var states = []string{"KGZ", "KAZ", "UZB", "RUS", "TJK", "TUR", "CHN", "D", "USA", "IND"}

// Documents returns n listed documents (ids D00000001 …): numbers of two
// letters and seven digits, as Kyrgyz passports have.
func Documents(seed uint64, n int) []screening.Document {
	g := newGen(seed + 1)
	out := make([]screening.Document, n)
	for i := range out {
		out[i] = screening.Document{ID: fmt.Sprintf("D%08d", i+1), IssuingState: g.pick(states),
			DocumentNumber: DocumentNumber(g.r), Status: screening.Statuses[g.r.IntN(len(screening.Statuses))]}
	}
	return out
}

// DocumentNumber draws a number of two letters and seven digits.
func DocumentNumber(r *rand.Rand) string {
	return fmt.Sprintf("%c%c%07d", 'A'+r.IntN(26), 'A'+r.IntN(26), r.IntN(10_000_000))
}

// Generate builds a list of listed persons, variants of the first
// min(listed, withVariants) of them (every kind that applies), and
// unrelated travellers.
func Generate(seed uint64, listed, withVariants, unrelated int) *Set {
	g := newGen(seed)
	s := &Set{List: &screening.List{Version: 1, Published: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}}
	ps := make([]person, listed)
	for i := range ps {
		ps[i] = g.person(fmt.Sprintf("P%07d", i+1))
		s.List.Persons = append(s.List.Persons, ps[i].entry())
	}
	for i := 0; i < listed && i < withVariants; i++ {
		s.Variants = append(s.Variants, g.variants(ps[i])...)
	}
	for range unrelated {
		gr, sex, sur, given, patro := g.name()
		t := screening.Traveller{Surname: ICAO(sur), GivenNames: ICAO(given), BirthDate: g.date().Format("2006-01-02"),
			Nationality: gr.nationality, Sex: sex, IssuingState: gr.nationality, DocumentNumber: DocumentNumber(g.r)}
		if g.r.IntN(3) == 0 {
			t.GivenNames += " " + ICAO(patro)
		}
		if g.r.IntN(10) == 0 {
			t.Nationality = g.pick(states)
		}
		s.Unrelated = append(s.Unrelated, t)
	}
	return s
}

func (g *gen) variants(p person) []Variant {
	base := screening.Traveller{Surname: ICAO(p.surname), GivenNames: ICAO(p.given), BirthDate: p.fullBirth,
		Nationality: p.nat, Sex: p.sex, IssuingState: p.nat, DocumentNumber: DocumentNumber(g.r)}
	var out []Variant
	add := func(kind string, t screening.Traveller) {
		out = append(out, Variant{Traveller: t, ListedID: p.id, Kind: kind})
	}
	add("icao", base)
	// One letter at a time in its other spellings.
	for _, field := range []int{0, 1} {
		word := p.surname
		if field == 1 {
			word = p.given
		}
		for _, alt := range oneLetterVariants(word) {
			t := base
			if field == 0 {
				t.Surname = alt
			} else {
				t.GivenNames = alt
			}
			add("transliteration", t)
		}
	}
	if t := base; Old(p.surname) != t.Surname || Old(p.given) != t.GivenNames {
		t.Surname, t.GivenNames = Old(p.surname), Old(p.given)
		add("older-spelling", t)
	}
	if p.patronymic != "" {
		t := base
		t.GivenNames += " " + ICAO(p.patronymic)
		add("patronymic-kept", t)
	} else {
		t := base
		gr := groupOf(p.nat)
		t.GivenNames += " " + ICAO(patronymic(g.pick(gr.male), p.sex == "F"))
		add("patronymic-added", t)
	}
	t := base
	t.Surname, t.GivenNames = base.GivenNames, base.Surname
	add("swapped", t)
	t = base
	if g.r.IntN(2) == 0 && len(t.Surname) >= 4 || len(t.GivenNames) < 4 {
		t.Surname = g.typo(t.Surname)
	} else {
		t.GivenNames = g.typo(t.GivenNames)
	}
	add("typo", t)
	t = base
	t.BirthDate = p.fullBirth[:4]
	add("year-only", t)
	// The evasions draw from a generator of their own, so the kinds above and
	// the unrelated travellers stay what earlier reports measured.
	e := &gen{r: rand.New(rand.NewPCG(g.r.Uint64(), 0x5eed_e7a5))}
	add("extra-names", e.extraNames(base, p))
	add("other-nationality", e.otherNationality(base))
	add("evasion-typo", e.typoIn(base))
	add("all-three", e.typoIn(e.otherNationality(e.extraNames(base, p))))
	return out
}

// extraNames adds one to four given names to the document: initials, as in
// "IURII A B C D", or other names of the person's tradition.
func (g *gen) extraNames(t screening.Traveller, p person) screening.Traveller {
	gr := groupOf(p.nat)
	pool := gr.male
	if p.sex == "F" {
		pool = gr.female
	}
	for range 1 + g.r.IntN(4) {
		if g.r.IntN(2) == 0 {
			t.GivenNames += " " + string(rune('A'+g.r.IntN(26)))
		} else {
			t.GivenNames += " " + ICAO(g.pick(pool))
		}
	}
	return t
}

// otherNationality puts the person on another state's passport.
func (g *gen) otherNationality(t screening.Traveller) screening.Traveller {
	n := g.pick(states)
	for n == t.Nationality {
		n = g.pick(states)
	}
	t.Nationality, t.IssuingState = n, n
	return t
}

// typoIn makes one mistake in the surname or the first given name.
func (g *gen) typoIn(t screening.Traveller) screening.Traveller {
	given := strings.Fields(t.GivenNames)
	if g.r.IntN(2) == 0 && len(t.Surname) >= 4 || len(given) == 0 || len(given[0]) < 4 {
		t.Surname = g.typo(t.Surname)
	} else {
		given[0] = g.typo(given[0])
		t.GivenNames = strings.Join(given, " ")
	}
	return t
}

func groupOf(nat string) *group {
	for i := range groups {
		if groups[i].nationality == nat {
			return &groups[i]
		}
	}
	return &groups[0]
}

// typo makes one keyboard or reading mistake in a Latin name.
func (g *gen) typo(s string) string {
	b := []byte(s)
	i := g.r.IntN(len(b))
	switch g.r.IntN(4) {
	case 0: // substitute
		c := byte('A' + g.r.IntN(26))
		for c == b[i] {
			c = byte('A' + g.r.IntN(26))
		}
		b[i] = c
	case 1: // delete
		b = append(b[:i], b[i+1:]...)
	case 2: // insert
		b = append(b[:i], append([]byte{byte('A' + g.r.IntN(26))}, b[i:]...)...)
	default: // transpose
		if i == len(b)-1 {
			i--
		}
		b[i], b[i+1] = b[i+1], b[i]
	}
	return string(b)
}

// The transliteration table of REFERENCE §4: ICAO 9303 first, then the
// variants. Letters without variants have one spelling.
var table = map[rune][]string{
	'А': {"A"}, 'Б': {"B"}, 'В': {"V"}, 'Г': {"G"}, 'Д': {"D"}, 'Е': {"E"}, 'Ё': {"E", "YO", "IO"},
	'Ж': {"ZH", "J", "DZH"}, 'З': {"Z"}, 'И': {"I"}, 'Й': {"I", "Y", "J"}, 'К': {"K"}, 'Л': {"L"},
	'М': {"M"}, 'Н': {"N"}, 'О': {"O"}, 'П': {"P"}, 'Р': {"R"}, 'С': {"S"}, 'Т': {"T"}, 'У': {"U"},
	'Ф': {"F"}, 'Х': {"KH", "H", "X"}, 'Ц': {"TS", "C"}, 'Ч': {"CH"}, 'Ш': {"SH"}, 'Щ': {"SHCH"},
	'Ъ': {"IE", ""}, 'Ы': {"Y", "I"}, 'Ь': {""}, 'Э': {"E"}, 'Ю': {"IU", "YU", "JU"}, 'Я': {"IA", "YA", "JA"},
	'Ң': {"N", "NG"}, 'Ө': {"O", "OE"}, 'Ү': {"U", "UE"},
	// Kazakh and Uzbek letters, as their passports print them.
	'Ә': {"A", "AE"}, 'Ғ': {"G", "GH"}, 'Қ': {"K", "Q"}, 'Ұ': {"U"}, 'Һ': {"H"}, 'І': {"I"},
	'Ў': {"O", "U"}, 'Ҳ': {"H", "KH"},
}

func letters(word string) []rune { return []rune(strings.ToUpper(word)) }

func isVowel(r rune) bool { return strings.ContainsRune("АЕЁИОУЫЭЮЯӨҮӘҰІЪЬ", r) }

// ICAO spells a Cyrillic word as ICAO 9303 does (Kyrgyz, Kazakh and Uzbek
// letters by their plain Latin letter).
func ICAO(word string) string {
	var b strings.Builder
	for _, r := range letters(word) {
		if o, ok := table[r]; ok {
			b.WriteString(o[0])
		} else if unicode.IsLetter(r) && r < 128 || r == ' ' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Old spells a word in the scheme of Russian passports before 2012: Й as Y,
// Ю as YU, Я as YA, Е as YE at the start of a word and after a vowel, -ИЙ as
// IY, Ъ and Ь silent.
func Old(word string) string {
	rs := letters(word)
	var b strings.Builder
	for i, r := range rs {
		switch {
		case r == 'Й':
			b.WriteString("Y")
		case r == 'Ю':
			b.WriteString("YU")
		case r == 'Я':
			b.WriteString("YA")
		case r == 'Ъ':
		case r == 'Е' && (i == 0 || isVowel(rs[i-1])):
			b.WriteString("YE")
		default:
			if o, ok := table[r]; ok {
				b.WriteString(o[0])
			}
		}
	}
	return b.String()
}

// oneLetterVariants spells the word in ICAO except for one letter, once per
// other spelling of each letter that has one.
func oneLetterVariants(word string) []string {
	rs := letters(word)
	var out []string
	seen := map[string]bool{ICAO(word): true}
	for i, r := range rs {
		alts := table[r]
		if r == 'Е' && (i == 0 || isVowel(rs[i-1])) {
			alts = []string{"E", "YE"}
		}
		for _, alt := range alts[min(1, len(alts)):] {
			var b strings.Builder
			for j, r2 := range rs {
				if j == i {
					b.WriteString(alt)
				} else if o, ok := table[r2]; ok {
					b.WriteString(o[0])
				}
			}
			if s := b.String(); !seen[s] && s != "" {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// Queries returns n travellers for timing: every other one a listed person in
// the ICAO spelling of their document, the rest unrelated travellers.
func Queries(seed uint64, listed []screening.Person, n int) []screening.Traveller {
	g := newGen(seed + 2)
	out := make([]screening.Traveller, 0, n)
	for i := range n {
		if i%2 == 0 && len(listed) > 0 {
			p := listed[g.r.IntN(len(listed))]
			f := strings.Fields(p.Names[0])
			t := screening.Traveller{Surname: ICAO(f[0]), BirthDate: p.BirthDate, Sex: p.Sex, DocumentNumber: DocumentNumber(g.r)}
			if len(f) > 1 {
				t.GivenNames = ICAO(f[1])
			}
			if len(p.Nationalities) > 0 {
				t.Nationality, t.IssuingState = p.Nationalities[0], p.Nationalities[0]
			}
			out = append(out, t)
			continue
		}
		gr, sex, sur, given, _ := g.name()
		out = append(out, screening.Traveller{Surname: ICAO(sur), GivenNames: ICAO(given), BirthDate: g.date().Format("2006-01-02"),
			Nationality: gr.nationality, Sex: sex, IssuingState: gr.nationality, DocumentNumber: DocumentNumber(g.r)})
	}
	return out
}
