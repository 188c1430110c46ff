package mrz

// The booth's view of a machine readable zone: Parser is app.MRZParser, so the
// booth's core receives app.Document straight from the engine, with no adapter
// between them.

import (
	"fmt"
	"strconv"
	"time"

	"github.com/chekara/chekara/app"
)

// Parser is the MRZ engine as the booth's app.MRZParser.
type Parser struct{}

var (
	_ app.MRZParser   = Parser{}
	_ app.CountryList = Parser{} // a typed data page's codes are checked against the same list
)

// KnownCountry reports whether code is on the ICAO 9303 part 3 list.
func (Parser) KnownCountry(code string) bool { return KnownCountry(code) }

// NearCountries lists the listed codes one misread letter from code.
func (Parser) NearCountries(code string) []string { return NearCountries(code) }

// ParseMRZ parses and validates lines as of today.
func (Parser) ParseMRZ(lines []string, today time.Time) app.Document {
	return Parse(lines, today).Document(today)
}

// Document is r in the booth's words. A partial birth date ("8807<<") comes
// out as "1988-07" or "1988", the forms the lists and the store use.
func (r Result) Document(today time.Time) app.Document {
	f := r.Fields
	d := app.Document{
		Format: string(r.Format), Valid: r.Valid, DocumentCode: f.DocumentCode, IssuingState: f.IssuingState,
		Surname: f.Surname, GivenNames: f.GivenNames, Number: f.DocumentNumber, Nationality: f.Nationality,
		BirthDate: f.BirthDateISO, Sex: f.Sex, Expiry: f.ExpiryDateISO, OptionalData: f.OptionalData,
	}
	if d.BirthDate == "" {
		d.BirthDate = partialBirth(f.BirthDate, today)
	}
	for _, p := range r.Errors {
		d.Errors = append(d.Errors, app.Problem{Code: p.Code, Message: p.Message, Line: p.Line, Start: p.Start, End: p.End})
	}
	for _, w := range r.Warnings {
		if w.Code == WarnNameTruncated {
			d.NameTruncated = true
		}
		p := app.Problem{Code: w.Code, Message: w.Message}
		if a := w.About; a != nil {
			p.Line, p.Start, p.End, p.Field, p.Value, p.Near = a.Line, a.Start, a.End, a.Field, a.Value, a.Near
		}
		d.Warnings = append(d.Warnings, p)
	}
	for _, s := range r.Suggestions {
		sg := app.Suggestion{Lines: s.Lines}
		for _, c := range s.Changes {
			sg.Changes = append(sg.Changes, app.Change{Line: c.Line, Column: c.Column, From: c.From, To: c.To})
		}
		d.Suggestions = append(d.Suggestions, sg)
	}
	return d
}

// partialBirth turns a raw MRZ birth date with an unknown day or month
// ("8807<<", "88<<<<") into "1988-07" or "1988", taking the century as policy
// 9 does: the latest year not after today.
func partialBirth(raw string, today time.Time) string {
	if len(raw) != 6 {
		return ""
	}
	yy, err := strconv.Atoi(raw[:2])
	if err != nil {
		return ""
	}
	year := today.Year()/100*100 + yy
	if year > today.Year() {
		year -= 100
	}
	if raw[2:4] == "<<" {
		return fmt.Sprintf("%04d", year)
	}
	mm, err := strconv.Atoi(raw[2:4])
	if err != nil || mm < 1 || mm > 12 || raw[4:6] != "<<" {
		return ""
	}
	return fmt.Sprintf("%04d-%02d", year, mm)
}
