// Package synth makes synthetic travel-document images for the OCR tests, benchmarks
// and accuracy report: random but valid MRZs (TD1, TD2, TD3), rendered in OCR-B on a
// document page, then distorted the way scanners and webcams distort them (rotation,
// perspective, blur, noise, low contrast, JPEG, a printed background).
//
// Everything is generated from a seed, so a report is reproducible; no image in the
// repository comes from anywhere else. The MRZ composer here is deliberately
// independent of app/mrz: the generator is the oracle the OCR is measured against,
// so it must not share the engine's bugs.
package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Format is an ICAO 9303 MRZ layout.
type Format string

const (
	TD1 Format = "TD1" // 3 × 30, identity cards
	TD2 Format = "TD2" // 2 × 36
	TD3 Format = "TD3" // 2 × 44, passports
)

// Formats lists the layouts the generator makes.
var Formats = []Format{TD1, TD2, TD3}

// CheckDigit is ICAO 9303's check digit (weights 7, 3, 1; '<' = 0, A = 10 … Z = 35).
func CheckDigit(s string) byte {
	weights := [3]int{7, 3, 1}
	sum := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		v := 0
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		}
		sum += v * weights[i%3]
	}
	return byte('0' + sum%10)
}

var (
	surnames = []string{"ERIKSSON", "MUSTERMANN", "ABDRAKHMANOV", "OMURBEKOVA", "SMITH", "GARCIA<LOPEZ",
		"NGUYEN", "O<BRIEN", "VAN<DER<BERG", "TOKTOGULOV", "KIM", "MUELLER", "DUBOIS", "ROSSI",
		"IVANOVA", "ZHANG", "QUISPE", "JOHANSSON", "WOJCIK", "XU", "YILDIZ", "BAKIEVA", "LI"}
	givens = []string{"ANNA<MARIA", "ERIKA", "AIBEK", "JOHN<PAUL", "MARIA", "LINH", "SEAN", "AIGUL",
		"PIETER", "NURLAN", "JI<HOON", "HANS", "CLAIRE", "LUCA", "OLGA", "WEI", "ROSA", "SVEN",
		"ZOFIA", "BO", "EMRE", "GULNARA", "KAI", "QUENTIN", "XAVIER", "YVES"}
	states = []string{"UTO", "D<<", "KGZ", "KAZ", "FRA", "GBR", "USA", "NLD", "SWE", "CHN", "TUR",
		"RUS", "UZB", "TJK", "DEU", "ITA", "PER", "POL", "VNM", "KOR", "IRL", "ESP", "XXA", "UNO"}
	alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
)

func pick(r *rand.Rand, from []string) string { return from[r.IntN(len(from))] }

func randAlnum(r *rand.Rand, n int, digitsOnly bool) string {
	b := make([]byte, n)
	for i := range b {
		if digitsOnly {
			b[i] = byte('0' + r.IntN(10))
		} else {
			b[i] = alnum[r.IntN(len(alnum))]
		}
	}
	return string(b)
}

// pad fills s with '<' to n characters, cutting it if it is longer.
func pad(s string, n int) string {
	if len(s) >= n {
		return s[:n]
	}
	return s + strings.Repeat("<", n-len(s))
}

func randDate(r *rand.Rand, from, to time.Time) string {
	span := to.Sub(from).Hours() / 24
	d := from.AddDate(0, 0, r.IntN(int(span)+1))
	return d.Format("060102")
}

func names(r *rand.Rand, n int) string {
	s := pick(r, surnames) + "<<" + pick(r, givens)
	if r.IntN(4) == 0 {
		s += "<" + pick(r, givens)
	}
	if r.IntN(10) == 0 { // a long name that fills the field
		s += "<" + randLetters(r, n)
	}
	return pad(s, n)
}

func randLetters(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('A' + r.IntN(26))
	}
	return string(b)
}

// docNumber is nine characters: usually letters then digits, sometimes shorter with fillers.
func docNumber(r *rand.Rand) string {
	switch r.IntN(4) {
	case 0:
		return randAlnum(r, 9, true)
	case 1:
		return pad(randLetters(r, 2)+randAlnum(r, 5, true), 9)
	default:
		l := 1 + r.IntN(2)
		return randLetters(r, l) + randAlnum(r, 8-l, false) + randAlnum(r, 1, true)
	}
}

// RandomMRZ returns a valid MRZ of the given format with random fields: a birth date
// before today and an expiry within ten years after it.
func RandomMRZ(r *rand.Rand, f Format, today time.Time) []string {
	birth := randDate(r, today.AddDate(-90, 0, 0), today.AddDate(-1, 0, 0))
	expiry := randDate(r, today.AddDate(0, 0, 1), today.AddDate(10, 0, 0))
	sex := [3]string{"M", "F", "<"}[r.IntN(3)]
	state, nat := pick(r, states), pick(r, states)
	doc := docNumber(r)
	withCD := func(s string) string { return s + string(CheckDigit(s)) }
	switch f {
	case TD1:
		code := [3]string{"I<", "ID", "AC"}[r.IntN(3)]
		opt1 := pad(randAlnum(r, r.IntN(8), false), 15)
		opt2 := pad(randAlnum(r, r.IntN(6), true), 11)
		l1 := code + state + withCD(doc) + opt1
		l2 := withCD(birth) + sex + withCD(expiry) + nat + opt2
		comp := CheckDigit(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29])
		return []string{l1, l2 + string(comp), names(r, 30)}
	case TD2:
		code := [3]string{"I<", "IR", "AC"}[r.IntN(3)]
		opt := pad(randAlnum(r, r.IntN(5), false), 7)
		l2 := withCD(doc) + nat + withCD(birth) + sex + withCD(expiry) + opt
		comp := CheckDigit(l2[0:10] + l2[13:20] + l2[21:35])
		return []string{code + state + names(r, 31), l2 + string(comp)}
	case TD3:
		pn := "<<<<<<<<<<<<<<"
		pncd := "<"
		if r.IntN(2) == 0 {
			pn = pad(randAlnum(r, 6+r.IntN(8), false), 14)
			pncd = string(CheckDigit(pn))
		}
		l2 := withCD(doc) + nat + withCD(birth) + sex + withCD(expiry) + pn + pncd
		comp := CheckDigit(l2[0:10] + l2[13:20] + l2[21:43])
		return []string{"P<" + state + names(r, 39), l2 + string(comp)}
	}
	panic(fmt.Sprintf("synth: unknown format %q", f))
}
