package app

import (
	"regexp"
	"slices"
)

// Reason is one reason the lists gave for a hit, in words the officer's
// language can carry: Key names the sentence in the catalogues ("reason.*"),
// Args fill it (a ReasonWord is itself translated); Text is the engine's
// English sentence, shown as it is when Key is "" (a reason this booth does
// not know yet). Strength orders the evidence: the decisive first.
type Reason struct {
	Key      string
	Args     []any
	Text     string
	Strength int
}

// ReasonWord is an argument of a Reason that is a word to translate
// ("surname", "given name", "patronymic"), under "reason.word.*".
type ReasonWord string

// How strong a reason is as evidence, for or against the match: the
// officer reads the decisive ones first.
const (
	StrengthDocument     = 100 // the document itself is listed
	StrengthLookAlike    = 90  // the number differs only in look-alike characters
	StrengthBirthDay     = 80  // the birth date agrees to the day
	StrengthNationality  = 70  // the nationality is the listed one
	StrengthDiffers      = 60  // birth date, nationality or sex differ from the listed
	StrengthNameScore    = 50
	StrengthBirthPartial = 45 // the birth date agrees to the month or the year only
	StrengthUnknown      = 35 // a reason this booth has no words for: in the middle, never hidden
	StrengthToken        = 30 // one name token matched
	StrengthMissing      = 20 // a name on one side only
	StrengthWeak         = 10 // nothing to compare, order of names, optional patronymics
)

var reasonPatterns = func() []struct {
	re       *regexp.Regexp
	key      string
	strength int
	words    []int // submatches that are ReasonWords
} {
	type p = struct {
		re       *regexp.Regexp
		key      string
		strength int
		words    []int
	}
	role := `(surname|given name|patronymic)`
	tok := role + ` (\S+) matches listed ` + role + ` (\S+): `
	ps := []p{
		{regexp.MustCompile(`^document (\S+) (\S+) is listed as (\S+)$`), "reason.document_listed", StrengthDocument, []int{3}},
		{regexp.MustCompile(`^document number (\S+) differs from (\S+) (\S+), listed as (\S+), only in look-alike characters \((.+)\)$`), "reason.document_look_alike", StrengthLookAlike, []int{4}},
		{regexp.MustCompile(`^birth date (\S+) agrees with listed (\S+) \(to the day\)$`), "reason.birth_day", StrengthBirthDay, nil},
		{regexp.MustCompile(`^birth date (\S+) agrees with listed (\S+) \(to the month, the finest both have\)$`), "reason.birth_month", StrengthBirthPartial, nil},
		{regexp.MustCompile(`^birth date (\S+) agrees with listed (\S+) \(to the year, the finest both have\)$`), "reason.birth_year", StrengthBirthPartial, nil},
		{regexp.MustCompile(`^nationality (\S+) is listed$`), "reason.nationality_listed", StrengthNationality, nil},
		{regexp.MustCompile(`^nationality (\S+) is not the listed (\S+) \((\S+)\)$`), "reason.nationality_differs", StrengthDiffers, nil},
		{regexp.MustCompile(`^birth year (\d+) is one off listed (\S+) \((\S+)\)$`), "reason.birth_year_one_off", StrengthDiffers, nil},
		{regexp.MustCompile(`^birth year (\d+) differs from listed (\S+) \((\S+)\)$`), "reason.birth_year_differs", StrengthDiffers, nil},
		{regexp.MustCompile(`^birth date (\S+) is listed (\S+) with day and month swapped \((\S+)\)$`), "reason.birth_swapped", StrengthDiffers, nil},
		{regexp.MustCompile(`^birth month of (\S+) differs from listed (\S+) \((\S+)\)$`), "reason.birth_month_differs", StrengthDiffers, nil},
		{regexp.MustCompile(`^birth day of (\S+) differs from listed (\S+) \((\S+)\)$`), "reason.birth_day_differs", StrengthDiffers, nil},
		{regexp.MustCompile(`^sex (\S) differs from listed (\S) \((\S+)\)$`), "reason.sex_differs", StrengthDiffers, nil},
		{regexp.MustCompile(`^name score ([\d.]+) against listed name "(.*)"$`), "reason.name_score", StrengthNameScore, nil},
		{regexp.MustCompile(`^` + tok + `exact$`), "reason.token_exact", StrengthToken, []int{1, 3}},
		{regexp.MustCompile(`^` + tok + `ICAO 9303 spelling$`), "reason.token_icao", StrengthToken, []int{1, 3}},
		{regexp.MustCompile(`^` + tok + `ICAO 9303 spelling, plain letters for (.+)$`), "reason.token_icao_plain", StrengthToken, []int{1, 3}},
		{regexp.MustCompile(`^` + tok + `variant spelling (.+)$`), "reason.token_variant", StrengthToken, []int{1, 3}},
		{regexp.MustCompile(`^` + tok + `([\d.]+) edits from (.+)$`), "reason.token_edits", StrengthToken, []int{1, 3}},
		{regexp.MustCompile(`^` + tok + `close in folded form \(([\d.]+) edits\)$`), "reason.token_folded", StrengthToken, []int{1, 3}},
		{regexp.MustCompile(`^` + tok + `cut short, as a full MRZ name field cuts names, from (.+)$`), "reason.token_cut", StrengthToken, []int{1, 3}},
		{regexp.MustCompile(`^patronymic (\S+) is not on the list \(optional\)$`), "reason.patronymic_not_listed", StrengthWeak, nil},
		{regexp.MustCompile(`^` + role + ` (\S+) is not on the list$`), "reason.name_not_listed", StrengthMissing, []int{1}},
		{regexp.MustCompile(`^` + role + ` (\S+) is not on the list: a name added to the listed name \((\S+)\)$`), "reason.name_added", StrengthWeak, []int{1}},
		{regexp.MustCompile(`^listed patronymic (\S+) is not on the document \(optional\)$`), "reason.listed_patronymic_absent", StrengthWeak, nil},
		{regexp.MustCompile(`^listed ` + role + ` (\S+) is not on the document$`), "reason.listed_name_absent", StrengthMissing, []int{1}},
		{regexp.MustCompile(`^listed ` + role + ` (\S+) is not on the document, which leaves out a listed name \((\S+)\)$`), "reason.listed_name_left_out", StrengthWeak, []int{1}},
		{regexp.MustCompile(`^names are in a different order than listed$`), "reason.name_order", StrengthWeak, nil},
		{regexp.MustCompile(`^no birth date to compare$`), "reason.no_birth_date", StrengthWeak, nil},
		{regexp.MustCompile(`^traveller's birth date could not be read: (.+)$`), "reason.birth_unreadable", StrengthWeak, nil},
	}
	return ps
}()

// ReasonOf reads one of the screening engine's reasons (app/screening
// writes them in English for the audit log) as a Reason the screen can
// translate and order. A sentence it does not know keeps its text, no key,
// and StrengthUnknown: shown as it is, never dropped.
func ReasonOf(text string) Reason {
	for _, p := range reasonPatterns {
		m := p.re.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		args := make([]any, len(m)-1)
		for i, s := range m[1:] {
			args[i] = s
		}
		for _, w := range p.words {
			args[w-1] = ReasonWord(m[w])
		}
		return Reason{Key: p.key, Args: args, Text: text, Strength: p.strength}
	}
	return Reason{Text: text, Strength: StrengthUnknown}
}

// Evidence returns every reason of h, strongest first (the engine's order
// among equals): the decisive evidence — the document, the birth date to the
// day, the nationality, what differs — before the name's details.
func (h Hit) Evidence() []Reason {
	out := make([]Reason, len(h.Reasons))
	for i, r := range h.Reasons {
		out[i] = ReasonOf(r)
	}
	slices.SortStableFunc(out, func(a, b Reason) int { return b.Strength - a.Strength })
	return out
}

// ReasonKeys lists every key ReasonOf gives and every ReasonWord it passes
// ("reason.word.*"), for the test that holds the catalogues complete.
func ReasonKeys() []string {
	keys := []string{"reason.word.surname", "reason.word.given name", "reason.word.patronymic",
		"reason.word.stolen", "reason.word.lost", "reason.word.revoked", "reason.word.invalid"}
	for _, p := range reasonPatterns {
		keys = append(keys, p.key)
	}
	return keys
}
