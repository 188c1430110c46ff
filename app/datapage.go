package app

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// FromDataPage: the officer typed the data page's printed fields because the
// MRZ could not be read. No check digit vouches for them; the document is
// screened and recorded like any other and its records say how it came.
const FromDataPage DocumentSourceKind = "data_page"

// WarnTypedDataPage is the warning every typed data page carries: the officer
// compares each field with the document, since no check digit can.
const WarnTypedDataPage = "typed_data_page"

// DataPage is what the officer typed from a travel document's data page when
// its MRZ could not be read. Dates are written as on the page (DD.MM.YYYY) or
// as YYYY-MM-DD; a birth date may be partial (YYYY-MM, YYYY) as on some
// documents. Letters may be typed in either case.
type DataPage struct {
	DocumentCode string // "P", "PO", "I", "AC", "V", …
	IssuingState string // ICAO code ("KGZ", "D")
	Number       string
	Surname      string
	GivenNames   string
	BirthDate    string
	Nationality  string // ICAO code
	Sex          string // "M", "F", "X" or "" (unspecified)
	Expiry       string
}

// Data page fields, as Problem.Field names them (the form marks the field).
const (
	FieldDocumentCode = "document_code"
	FieldIssuingState = "issuing_state"
	FieldNumber       = "number"
	FieldSurname      = "surname"
	FieldGivenNames   = "given_names"
	FieldBirthDate    = "birth_date"
	FieldNationality  = "nationality"
	FieldSex          = "sex"
	FieldExpiry       = "expiry"
)

// CountryList is implemented by an MRZParser that knows the ICAO 9303 part 3
// code list (mrz.Parser): a typed code of the right form that is not on it is
// the warning unknown_country, as for a read one.
type CountryList interface {
	KnownCountry(code string) bool
	NearCountries(code string) []string
}

// CheckDataPage checks and normalises a typed data page as of today: the
// document it describes, and the problems that keep it from being presented
// (each names its Field; Code is the key the form shows, "typed.required",
// "typed.bad_date", …). Never fails otherwise; pure, so the form calls it as
// the officer types.
func CheckDataPage(p DataPage, countries CountryList, today time.Time) (Document, []Problem) {
	var probs []Problem
	bad := func(field, code, format string, args ...any) {
		probs = append(probs, Problem{Code: code, Field: field, Message: fmt.Sprintf(format, args...)})
	}
	d := Document{Valid: true}
	var warns []Problem

	d.DocumentCode = upper(p.DocumentCode)
	switch {
	case d.DocumentCode == "":
		bad(FieldDocumentCode, "typed.required", "The document type is missing.")
	case !letters(d.DocumentCode, 1, 2) || !strings.ContainsRune("PIACV", rune(d.DocumentCode[0])):
		bad(FieldDocumentCode, "typed.bad_type", "Document type %q is not P, I, A, C or V (and one more letter at most).", d.DocumentCode)
	}
	country := func(field, value string) string {
		code := upper(value)
		switch {
		case code == "":
			bad(field, "typed.required", "The %s is missing.", field)
		case !letters(code, 1, 3):
			bad(field, "typed.bad_country", "%q is not a country code (one to three letters).", code)
		case countries != nil && !countries.KnownCountry(code):
			warns = append(warns, Problem{Code: WarnUnknownCountry, Field: field, Value: code, Near: countries.NearCountries(code),
				Message: fmt.Sprintf("%s %s is not on the ICAO list of codes.", field, code)})
		}
		return code
	}
	d.IssuingState = country(FieldIssuingState, p.IssuingState)
	d.Nationality = country(FieldNationality, p.Nationality)

	d.Number = strings.ReplaceAll(upper(p.Number), " ", "")
	switch {
	case d.Number == "":
		bad(FieldNumber, "typed.required", "The document number is missing.")
	case len(d.Number) > 22 || strings.IndexFunc(d.Number, func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') }) >= 0:
		bad(FieldNumber, "typed.bad_number", "Document number %q: letters A–Z and digits only, 22 at most.", d.Number)
	}

	var ok bool
	if d.Surname, ok = name(p.Surname); !ok {
		bad(FieldSurname, "typed.bad_name", "The surname: Latin letters as printed on the page.")
	} else if d.Surname == "" {
		bad(FieldSurname, "typed.required", "The surname is missing.")
	}
	if d.GivenNames, ok = name(p.GivenNames); !ok {
		bad(FieldGivenNames, "typed.bad_name", "The given names: Latin letters as printed on the page.")
	}

	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	birth, birthAt, err := pageDate(p.BirthDate, true)
	switch {
	case strings.TrimSpace(p.BirthDate) == "":
		bad(FieldBirthDate, "typed.required", "The birth date is missing.")
	case err != nil:
		bad(FieldBirthDate, "typed.bad_date", "Birth date %q: write DD.MM.YYYY or YYYY-MM-DD.", p.BirthDate)
	case birthAt.After(today):
		bad(FieldBirthDate, "typed.future_birth", "Birth date %s is after today.", birth)
	default:
		d.BirthDate = birth
	}
	expiry, expiryAt, err := pageDate(p.Expiry, false)
	switch {
	case strings.TrimSpace(p.Expiry) == "":
		bad(FieldExpiry, "typed.required", "The expiry date is missing.")
	case err != nil:
		bad(FieldExpiry, "typed.bad_date", "Expiry %q: write DD.MM.YYYY or YYYY-MM-DD.", p.Expiry)
	case d.BirthDate != "" && !expiryAt.After(birthAt):
		bad(FieldExpiry, "typed.expiry_before_birth", "Expiry %s is not after the birth date.", expiry)
	default:
		d.Expiry = expiry
	}

	switch s := upper(p.Sex); s {
	case "M", "F":
		d.Sex = s
	case "", "X", "<":
	default:
		bad(FieldSex, "typed.bad_sex", "Sex %q: M, F or X.", s)
	}

	d.Warnings = append([]Problem{{Code: WarnTypedDataPage,
		Message: "Typed from the data page: no check digit vouches for it; compare every field with the document."}}, warns...)
	if len(probs) > 0 {
		d.Valid = false
	}
	return d, probs
}

// CheckDataPage checks p as of the booth's today against the MRZ engine's
// code list (when it has one). See app.CheckDataPage.
func (b *Booth) CheckDataPage(p DataPage) (Document, []Problem) {
	countries, _ := b.MRZ.(CountryList)
	return CheckDataPage(p, countries, b.now())
}

// dataPageError is what Present returns for a typed page with problems.
func dataPageError(probs []Problem) *Error {
	fields := make([]string, len(probs))
	for i, p := range probs {
		fields[i] = p.Field
	}
	e := Errork(EINVALID, "err.data_page_invalid", "Correct the typed fields marked in the form (%d).", len(probs))
	e.Message += " " + strings.Join(fields, ", ")
	return e
}

func upper(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// letters reports whether s is min to max letters A–Z.
func letters(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// name writes a typed name as the MRZ would: upper case, a hyphen as a space,
// apostrophes dropped, single spaces. Only Latin letters: the page's Latin
// line is the one the lists and the records use.
func name(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == '<' || unicode.IsSpace(r):
			return ' '
		case r == '\'' || r == '’':
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	for _, r := range s {
		if r != ' ' && (r < 'A' || r > 'Z') {
			return "", false
		}
	}
	return s, true
}

// pageDate reads a date as printed on a data page ("15.03.1985",
// "15/03/1985") or as YYYY-MM-DD; with partial, also YYYY-MM and YYYY (a
// birth date the page gives in part). It returns the date as the records
// write it and the earliest day it can be.
func pageDate(s string, partial bool) (string, time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"02.01.2006", "02/01/2006", "2.1.2006", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.DateOnly), t, nil
		}
	}
	if partial {
		if t, err := time.Parse("2006-01", s); err == nil {
			return t.Format("2006-01"), t, nil
		}
		if t, err := time.Parse("01.2006", s); err == nil {
			return t.Format("2006-01"), t, nil
		}
		if t, err := time.Parse("2006", s); err == nil && len(s) == 4 {
			return s, t, nil
		}
	}
	return "", time.Time{}, fmt.Errorf("not a date: %q", s)
}
