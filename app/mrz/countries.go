package mrz

import (
	_ "embed"
	"strings"
)

// The ICAO 9303 part 3 list of country codes (policy 7). No check digit covers
// the issuing state or the nationality, so a misread code ("KGZ" read as
// "KRZ") passes every check; the list is what catches it. A code of the right
// form that is not on the list is a warning, never an error: lists change,
// and an officer must be able to admit the holder of a newly coded document.

//go:embed countries.tsv
var countriesTSV string

// Country is one entry of the code list.
type Country struct {
	Code string // as in the MRZ, fillers removed: "KGZ", "D", "XXA"
	Kind string // "iso", "icao", "former" or "specimen" (see countries.tsv)
	Name string // in English, as ISO 3166-1 or ICAO gives it
}

// countryIndex numbers the codes of one to three letters: each place is 0 for
// nothing (a shorter code) or 1–26 for A–Z. The list is a bitset over those
// numbers, so a lookup is a few shifts: no allocation, whatever the input.
const countrySlots = 27 * 27 * 27

var (
	knownCountries [countrySlots/64 + 1]uint64
	countries      []Country // in code order
)

func init() {
	for _, line := range strings.Split(countriesTSV, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		i, ok := countryIndex(f[0])
		if len(f) != 3 || !ok {
			panic("mrz: countries.tsv: malformed line " + line)
		}
		knownCountries[i/64] |= 1 << (i % 64)
		countries = append(countries, Country{Code: f[0], Kind: f[1], Name: f[2]})
	}
}

// countryIndex is code's place in the bitset; ok is false unless code is one to
// three letters A–Z. It runs twice on every parse, so it has no loop.
func countryIndex(code string) (i int, ok bool) {
	var a, b, c int
	switch len(code) {
	case 3:
		a, b, c = int(letterSlot[code[0]]), int(letterSlot[code[1]]), int(letterSlot[code[2]])
	case 2:
		a, b = int(letterSlot[code[0]]), int(letterSlot[code[1]])
	case 1:
		a = int(letterSlot[code[0]])
	default:
		return 0, false
	}
	if a|b|c < 0 {
		return 0, false
	}
	return a*27*27 + b*27 + c, true
}

// letterSlot is 1–26 for A–Z, -1 for every other byte.
var letterSlot = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = int8(c-'A') + 1
	}
	return t
}()

// KnownCountry reports whether code, fillers removed ("D", "KGZ"), is on the
// ICAO 9303 part 3 list. Any string is safe to ask about.
func KnownCountry(code string) bool {
	i, ok := countryIndex(code)
	return ok && listed(i)
}

func listed(i int) bool { return knownCountries[i/64]&(1<<(i%64)) != 0 }

// Countries returns the code list in code order; the caller may keep it but
// not change it.
func Countries() []Country { return countries }

// CountryName is the English name of a listed code, "" for any other string.
func CountryName(code string) string {
	if !KnownCountry(code) {
		return ""
	}
	for lo, hi := 0, len(countries); lo < hi; {
		m := (lo + hi) / 2
		switch c := countries[m].Code; {
		case c == code:
			return countries[m].Name
		case c < code:
			lo = m + 1
		default:
			hi = m
		}
	}
	return ""
}

// NearCountries lists the listed codes that one misread letter would turn into
// code ("KRZ" → "KAZ", "KGZ"): candidates for the officer to compare with the
// printed page, never a correction. A letter OCR-B readers confuse with the
// one read comes first; nil when code is listed or not a code.
func NearCountries(code string) []string {
	if KnownCountry(code) {
		return nil
	}
	if _, ok := countryIndex(code); !ok {
		return nil
	}
	var likely, other []string
	b := []byte(code)
	for k := range b {
		read := b[k]
		for c := byte('A'); c <= 'Z'; c++ {
			if c == read {
				continue
			}
			b[k] = c
			if KnownCountry(string(b)) {
				if confusable(read, c) {
					likely = append(likely, string(b))
				} else {
					other = append(other, string(b))
				}
			}
		}
		b[k] = read
	}
	return append(likely, other...)
}

// lookAlike pairs OCR-B letters whose shapes differ by a stroke or a curve, the
// confusions a worn or glared page produces.
var lookAlike = [][2]byte{
	{'O', 'Q'}, {'O', 'D'}, {'O', 'C'}, {'O', 'U'}, {'C', 'G'}, {'G', 'O'}, {'Q', 'D'},
	{'B', 'E'}, {'B', 'R'}, {'B', 'P'}, {'B', 'D'}, {'R', 'P'}, {'R', 'K'}, {'E', 'F'}, {'P', 'F'},
	{'I', 'L'}, {'I', 'T'}, {'I', 'J'}, {'L', 'E'}, {'T', 'Y'},
	{'M', 'N'}, {'N', 'H'}, {'M', 'W'}, {'U', 'V'}, {'V', 'Y'}, {'V', 'W'}, {'X', 'K'}, {'X', 'Y'},
}

func confusable(a, b byte) bool {
	for _, p := range lookAlike {
		if p[0] == a && p[1] == b || p[0] == b && p[1] == a {
			return true
		}
	}
	return false
}
