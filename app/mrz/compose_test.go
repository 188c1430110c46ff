package mrz_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app/mrz"
)

func TestComposeSpecimens(t *testing.T) {
	tests := []struct {
		name   string
		format mrz.Format
		lines  []string
	}{
		{"ICAO TD3 specimen", mrz.TD3, specimenTD3},
		{"ICAO TD1 specimen", mrz.TD1, specimenTD1},
		{"ICAO TD1 long number specimen", mrz.TD1, specimenTD1Long},
		{"ICAO TD2 specimen", mrz.TD2, specimenTD2},
		{"ICAO MRV-A specimen", mrz.MRVA, specimenMRVA},
		{"ICAO MRV-B specimen", mrz.MRVB, specimenMRVB},
		{"French identity card", mrz.FrenchID, sampleFRA},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := compose(t, tt.format, mrz.Parse(tt.lines, today).Fields)
			if !slices.Equal(got, tt.lines) {
				t.Errorf("Compose =\n%q\nwant\n%q", got, tt.lines)
			}
		})
	}
}

func TestComposeErrors(t *testing.T) {
	tests := []struct {
		name   string
		format mrz.Format
		change func(*mrz.Fields)
	}{
		{"unknown format", "TD9", func(*mrz.Fields) {}},
		{"sex X", mrz.TD3, func(f *mrz.Fields) { f.Sex = "X" }},
		{"name too long", mrz.TD3, func(f *mrz.Fields) { f.Surname = strings.Repeat("A", 40) }},
		{"no name", mrz.TD3, func(f *mrz.Fields) { f.Surname, f.GivenNames = "", "" }},
		{"name with a digit", mrz.TD3, func(f *mrz.Fields) { f.Surname = "ERIK5SON" }},
		{"passport number of 10", mrz.TD3, func(f *mrz.Fields) { f.DocumentNumber = "L898902C31" }},
		{"empty document number", mrz.TD3, func(f *mrz.Fields) { f.DocumentNumber = "" }},
		{"document number with a filler", mrz.TD3, func(f *mrz.Fields) { f.DocumentNumber = "L89<02" }},
		{"month 13", mrz.TD3, func(f *mrz.Fields) { f.BirthDate = "741312" }},
		{"partial expiry", mrz.TD3, func(f *mrz.Fields) { f.ExpiryDate = "1204<<" }},
		{"bad ISO date", mrz.TD3, func(f *mrz.Fields) { f.ExpiryDate, f.ExpiryDateISO = "", "15/04/2012" }},
		{"state of digits", mrz.TD3, func(f *mrz.Fields) { f.IssuingState = "U7O" }},
		{"no nationality", mrz.TD3, func(f *mrz.Fields) { f.Nationality = "" }},
		{"visa code on a passport", mrz.TD3, func(f *mrz.Fields) { f.DocumentCode = "V" }},
		{"visa letter on a TD1 card", mrz.TD1, func(f *mrz.Fields) { f.DocumentCode = "IV" }},
		{"optional data too long", mrz.TD2, func(f *mrz.Fields) { f.DocumentCode = "I" }},
		{"second optional data on a passport", mrz.TD3, func(f *mrz.Fields) { f.OptionalData2 = "X" }},
		{"French card from another state", mrz.FrenchID, func(f *mrz.Fields) { f.OptionalData = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, err := mrz.Compose(tt.format, with(anna, tt.change))
			if !errors.Is(err, mrz.ErrCompose) {
				t.Errorf("Compose = %q, %v; want ErrCompose", lines, err)
			}
		})
	}
}

func TestComposeFromISODates(t *testing.T) {
	f := anna
	f.BirthDate, f.ExpiryDate = "", ""
	if got := compose(t, mrz.TD3, f); !slices.Equal(got, specimenTD3) {
		t.Errorf("Compose = %q, want the specimen", got)
	}
}

// TestComposeParseRoundTrip is the property of issue 2: random fields, composed
// and parsed, come back unchanged, in every format.
func TestComposeParseRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2026))
	formats := []mrz.Format{mrz.TD1, mrz.TD2, mrz.TD3, mrz.MRVA, mrz.MRVB, mrz.FrenchID}
	for i := range 5000 {
		format := formats[i%len(formats)]
		f := randomFields(rng, format)
		lines, err := mrz.Compose(format, f)
		if err != nil {
			t.Fatalf("case %d: Compose(%s, %+v): %v", i, format, f, err)
		}
		r := mrz.Parse(lines, today)
		if !r.Valid || r.Format != format || r.Fields != f {
			t.Fatalf("case %d: %s %+v\ncomposed %q\nparsed %s %v %+v\nerrors %v", i, format, f, lines, r.Format, r.Valid, r.Fields, r.Errors)
		}
	}
}

const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
const alnum = letters + "0123456789"

func randomString(rng *rand.Rand, set string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = set[rng.IntN(len(set))]
	}
	return string(b)
}

// randomOptional is optional data of up to n characters, fillers inside only.
func randomOptional(rng *rand.Rand, n int) string {
	if n <= 0 || rng.IntN(3) == 0 {
		return ""
	}
	s := []byte(randomString(rng, alnum+"<<<", 1+rng.IntN(n)))
	s[len(s)-1] = alnum[rng.IntN(len(alnum))]
	return string(s)
}

func randomWords(rng *rand.Rand, words, max int) string {
	var parts []string
	for range words {
		parts = append(parts, randomString(rng, letters, 1+rng.IntN(max)))
	}
	return strings.Join(parts, " ")
}

func randomFields(rng *rand.Rand, format mrz.Format) mrz.Fields {
	var f mrz.Fields
	width, nameRoom := 44, 39
	switch format {
	case mrz.TD1:
		width, nameRoom = 30, 30
		f.DocumentCode = string("ACI"[rng.IntN(3)]) + randomString(rng, strings.ReplaceAll(letters, "V", "")+"<", 1) // never V: that marks a visa (ICAO 9303-5)
	case mrz.TD2, mrz.MRVB:
		width, nameRoom = 36, 31
	}
	switch format {
	case mrz.TD2:
		f.DocumentCode = string("ACI"[rng.IntN(3)]) + randomString(rng, strings.ReplaceAll(letters, "V", "")+"<", 1)
	case mrz.TD3:
		f.DocumentCode = "P" + randomString(rng, letters+"<", 1)
	case mrz.MRVA, mrz.MRVB:
		f.DocumentCode = "V" + randomString(rng, letters+"<", 1)
	case mrz.FrenchID:
		f.DocumentCode = "ID"
	}
	f.DocumentCode = strings.TrimRight(f.DocumentCode, "<")
	f.IssuingState = randomString(rng, letters, 1+rng.IntN(3))
	f.Nationality = randomString(rng, letters, 1+rng.IntN(3))
	if format == mrz.TD2 && f.DocumentCode == "ID" && f.IssuingState == "FRA" {
		f.IssuingState = "FRB" // would start IDFRA, the French card's own layout
	}
	if format == mrz.FrenchID {
		f.IssuingState, f.Nationality = "FRA", "FRA"
		f.Surname = randomWords(rng, 1+rng.IntN(2), 10)
		f.GivenNames = randomWords(rng, rng.IntN(3), 4)
	} else {
		for {
			f.Surname = randomWords(rng, 1+rng.IntN(2), 12)
			f.GivenNames = randomWords(rng, rng.IntN(4), 8)
			if rng.IntN(20) == 0 {
				f.Surname = "" // holders without a surname exist
			}
			if n := len(f.Surname) + 2 + len(f.GivenNames); n <= nameRoom && f.Surname+f.GivenNames != "" {
				break
			}
		}
	}
	// Document number; TD1 and TD2 sometimes take the long form.
	n := 1 + rng.IntN(9)
	optRoom := map[mrz.Format]int{mrz.TD1: 15, mrz.TD2: 7, mrz.TD3: 14, mrz.MRVA: 16, mrz.MRVB: 8, mrz.FrenchID: 6}[format]
	switch format {
	case mrz.FrenchID:
		n = 12
	case mrz.TD1, mrz.TD2:
		if rng.IntN(3) == 0 {
			extra := 1 + rng.IntN(optRoom-1)
			n = 9 + extra
			optRoom -= extra + 2 // continuation, check digit, '<'
		}
	}
	f.DocumentNumber = randomString(rng, alnum, n)
	f.OptionalData = randomOptional(rng, optRoom)
	if format == mrz.TD1 {
		f.OptionalData2 = randomOptional(rng, 11)
	}
	f.Sex = []string{"M", "F", ""}[rng.IntN(3)]

	// Dates the century rules give back: birth within the last 100 years,
	// expiry within 50 years either side.
	birth := today.AddDate(0, 0, -rng.IntN(100*365))
	f.BirthDate, f.BirthDateISO = birth.Format("060102"), birth.Format("2006-01-02")
	switch rng.IntN(10) {
	case 0:
		f.BirthDate, f.BirthDateISO = birth.Format("0601")+"<<", ""
	case 1:
		f.BirthDate, f.BirthDateISO = birth.Format("06")+"<<<<", ""
	}
	if format != mrz.FrenchID {
		expiry := today.AddDate(0, 0, rng.IntN(98*365)-49*365)
		f.ExpiryDate, f.ExpiryDateISO = expiry.Format("060102"), expiry.Format("2006-01-02")
	}
	_ = width
	return f
}

func ExampleCompose() {
	lines, err := mrz.Compose(mrz.TD3, mrz.Fields{
		IssuingState: "D", Surname: "MUSTERMANN", GivenNames: "ERIKA", DocumentNumber: "C01X00T47",
		Nationality: "D", BirthDate: "640812", Sex: "F", ExpiryDate: "321031",
	})
	fmt.Println(lines[0])
	fmt.Println(lines[1])
	fmt.Println(err, mrz.Parse(lines, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)).Valid)
	// Output:
	// P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<
	// C01X00T478D<<6408125F3210318<<<<<<<<<<<<<<<2
	// <nil> true
}
