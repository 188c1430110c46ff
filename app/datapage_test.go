package app_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/mrz"
)

// page is a typed data page with every field right.
var page = app.DataPage{DocumentCode: "p", IssuingState: "rus", Number: "75 400 0111", Surname: "Petrov",
	GivenNames: "Ivan-Ivanovich", BirthDate: "01.01.1970", Nationality: "RUS", Sex: "m", Expiry: "2030-01-01"}

// TestCheckDataPage: a typed data page is checked field by field — dates,
// country codes, number, names — and each mistake names its field; a good
// page becomes the document the MRZ would have given, marked as typed.
func TestCheckDataPage(t *testing.T) {
	d, probs := app.CheckDataPage(page, mrz.Parser{}, today)
	if len(probs) != 0 {
		t.Fatalf("problems %+v", probs)
	}
	want := app.Document{Valid: true, DocumentCode: "P", IssuingState: "RUS", Number: "754000111", Surname: "PETROV",
		GivenNames: "IVAN IVANOVICH", BirthDate: "1970-01-01", Nationality: "RUS", Sex: "M", Expiry: "2030-01-01"}
	if len(d.Warnings) != 1 || d.Warnings[0].Code != app.WarnTypedDataPage {
		t.Errorf("warnings %+v, want only %s", d.Warnings, app.WarnTypedDataPage)
	}
	d.Warnings = nil
	if !reflect.DeepEqual(d, want) {
		t.Errorf("document\n got %+v\nwant %+v", d, want)
	}

	tests := []struct {
		name        string
		edit        func(*app.DataPage)
		field, code string
	}{
		{"no type", func(p *app.DataPage) { p.DocumentCode = "" }, app.FieldDocumentCode, "typed.required"},
		{"type not ICAO", func(p *app.DataPage) { p.DocumentCode = "Z" }, app.FieldDocumentCode, "typed.bad_type"},
		{"state not a code", func(p *app.DataPage) { p.IssuingState = "R1" }, app.FieldIssuingState, "typed.bad_country"},
		{"nationality too long", func(p *app.DataPage) { p.Nationality = "RUSS" }, app.FieldNationality, "typed.bad_country"},
		{"no number", func(p *app.DataPage) { p.Number = " " }, app.FieldNumber, "typed.required"},
		{"number with a dash", func(p *app.DataPage) { p.Number = "AB-123" }, app.FieldNumber, "typed.bad_number"},
		{"number too long", func(p *app.DataPage) { p.Number = "12345678901234567890123" }, app.FieldNumber, "typed.bad_number"},
		{"no surname", func(p *app.DataPage) { p.Surname = " - " }, app.FieldSurname, "typed.required"},
		{"Cyrillic surname", func(p *app.DataPage) { p.Surname = "Петров" }, app.FieldSurname, "typed.bad_name"},
		{"digit in a name", func(p *app.DataPage) { p.GivenNames = "IVAN2" }, app.FieldGivenNames, "typed.bad_name"},
		{"no birth date", func(p *app.DataPage) { p.BirthDate = "" }, app.FieldBirthDate, "typed.required"},
		{"31 February", func(p *app.DataPage) { p.BirthDate = "31.02.1970" }, app.FieldBirthDate, "typed.bad_date"},
		{"born tomorrow", func(p *app.DataPage) { p.BirthDate = "26.11.2026" }, app.FieldBirthDate, "typed.future_birth"},
		{"partial expiry", func(p *app.DataPage) { p.Expiry = "2030-01" }, app.FieldExpiry, "typed.bad_date"},
		{"expires before birth", func(p *app.DataPage) { p.Expiry = "01.01.1969" }, app.FieldExpiry, "typed.expiry_before_birth"},
		{"sex", func(p *app.DataPage) { p.Sex = "Q" }, app.FieldSex, "typed.bad_sex"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := page
			tt.edit(&p)
			d, probs := app.CheckDataPage(p, mrz.Parser{}, today)
			if len(probs) != 1 || probs[0].Field != tt.field || probs[0].Code != tt.code {
				t.Fatalf("problems %+v, want one %s on %s", probs, tt.code, tt.field)
			}
			if d.Valid {
				t.Error("a page with a mistake is Valid")
			}
		})
	}

	t.Run("partial birth date, unspecified sex, expired", func(t *testing.T) {
		p := page
		p.BirthDate, p.Sex, p.Expiry = "1970", "X", "01.01.2020"
		d, probs := app.CheckDataPage(p, mrz.Parser{}, today)
		if len(probs) != 0 || d.BirthDate != "1970" || d.Sex != "" || d.Expiry != "2020-01-01" {
			t.Errorf("got %+v, %+v", d, probs)
		}
	})
	t.Run("unknown country is a warning with the near codes", func(t *testing.T) {
		p := page
		p.Nationality = "KRZ"
		d, probs := app.CheckDataPage(p, mrz.Parser{}, today)
		w, ok := d.UnknownCode("nationality")
		if len(probs) != 0 || !ok || len(w.Near) == 0 {
			t.Errorf("problems %+v, warning %+v (%v)", probs, w, ok)
		}
	})
}

// TestPresentDataPage: a typed data page is screened like any other
// document (the listed person is a hit), recorded as typed from the data
// page, and decided; the crossing says where its document came from. A page
// with a mistake is refused before anything is recorded.
func TestPresentDataPage(t *testing.T) {
	f := newFixture(t)
	f.ready(t, "K1")
	ctx := context.Background()

	bad := page
	bad.BirthDate = "1970-13-01"
	_, err := f.booth.Present(ctx, app.ReaderEvent{Kind: app.ReaderDocument, Page: &bad})
	var e *app.Error
	if app.ErrorCode(err) != app.EINVALID || !errors.As(err, &e) || e.Key != "err.data_page_invalid" {
		t.Fatalf("bad page: %v, want EINVALID err.data_page_invalid", err)
	}
	if len(f.records.inspections) != 0 || f.booth.Current() != nil {
		t.Fatalf("a page with a mistake was recorded: %+v", f.records.inspections)
	}

	v, err := f.booth.Present(ctx, app.ReaderEvent{Kind: app.ReaderDocument, Page: &page, Source: app.FromKeyboard})
	if err != nil {
		t.Fatal(err)
	}
	if !v.Screened || len(v.Hits) != 1 || v.Hits[0].ListID != "P-1" {
		t.Fatalf("typed PETROV screened %v, hits %+v; want the listed P-1", v.Screened, v.Hits)
	}
	if got, want := v.Verdict.Key, app.VerdictHitOpen; got != want {
		t.Errorf("verdict %q, want %q", got, want)
	}
	in := f.records.inspections[0]
	if in.Source != app.FromDataPage || len(in.Lines) != 0 || in.Document.Number != "754000111" || in.Traveller.Surname != "PETROV" {
		t.Errorf("recorded inspection %+v", in)
	}
	if _, err := f.booth.Resolve(ctx, "P-1", true, ""); err != nil {
		t.Fatal(err)
	}
	c, err := f.booth.Decide(ctx, app.DecisionRequest{Decision: app.Refuse, Reason: "A"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Source != app.FromDataPage || c.Document != (app.DocumentKey{IssuingState: "RUS", Number: "754000111"}) || c.DocumentCode != "P" {
		t.Errorf("crossing %+v, want source data_page and the typed document", c)
	}

	// A clean typed page is not CLEAR: no check digit vouches for it.
	clean := page
	clean.Surname, clean.Number = "SADYKOV", "AC7000001"
	v, err = f.booth.Present(ctx, app.ReaderEvent{Kind: app.ReaderDocument, Page: &clean})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := v.Verdict, (app.Verdict{Level: app.LevelCaution, Key: app.VerdictWarning}); got != want {
		t.Errorf("clean typed page: verdict %+v, want %+v", got, want)
	}
	if _, err := f.booth.Decide(ctx, app.DecisionRequest{Decision: app.Admit}); err != nil {
		t.Errorf("a clean typed page cannot be admitted: %v", err)
	}
}

// FuzzCheckDataPage: whatever the officer types, checking never panics, and a
// page without problems is a document the rest of the booth can trust: codes
// of letters, a number of letters and digits, names in Latin capitals, real
// dates, a birth before today and an expiry after the birth.
func FuzzCheckDataPage(f *testing.F) {
	f.Add("P", "KGZ", "AC1234567", "Asanov", "Bakyt", "14.03.1985", "KGZ", "M", "01.01.2031")
	f.Add("PO", "D", "C01X00T47", "Müller", "Hans-Peter", "1969-11", "D", "x", "2030-02-29")
	f.Add("", "", "", "", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, code, state, number, surname, given, birth, nat, sex, expiry string) {
		p := app.DataPage{DocumentCode: code, IssuingState: state, Number: number, Surname: surname, GivenNames: given,
			BirthDate: birth, Nationality: nat, Sex: sex, Expiry: expiry}
		d, probs := app.CheckDataPage(p, mrz.Parser{}, today)
		if len(probs) > 0 {
			if d.Valid {
				t.Fatal("Valid with problems")
			}
			return
		}
		for _, s := range []string{d.DocumentCode, d.IssuingState, d.Nationality} {
			if s == "" || strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
				t.Fatalf("code %q in %+v", s, d)
			}
		}
		if d.Number == "" || strings.Trim(d.Number, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" {
			t.Fatalf("number %q", d.Number)
		}
		if d.Surname == "" || strings.Trim(d.Surname+d.GivenNames, "ABCDEFGHIJKLMNOPQRSTUVWXYZ ") != "" {
			t.Fatalf("names %q %q", d.Surname, d.GivenNames)
		}
		e, err := time.Parse(time.DateOnly, d.Expiry)
		if err != nil {
			t.Fatalf("expiry %q", d.Expiry)
		}
		if d.BirthDate == "" || d.BirthDate > today.Format(time.DateOnly) || e.Format(time.DateOnly) <= d.BirthDate {
			t.Fatalf("birth %q, expiry %q", d.BirthDate, d.Expiry)
		}
	})
}
