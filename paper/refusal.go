package paper

import (
	"strings"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/i18n"
)

// The refusal form handed to a refused traveller, laid out like the standard form of
// refusal of entry at the border (Regulation (EU) 2016/399, Schengen Borders Code,
// Annex V, Part B): who refuses whom, where and when; the grounds by letter, ticked;
// the officer; and room for the traveller's and the officer's signatures. It is printed
// in the officer's language with English beside it, as the traveller may read neither.

// Grounds are the letter grounds of the standard form, A to I, and J: another ground
// under national law, written out by the officer.
var Grounds = []string{"A", "B", "C", "D", "E", "F", "G", "H", "I", "J"}

// Ground returns the letter ground a refusal reason code stands for. The shipped
// reasons (assets/reasons/refusal.json) are the standard form's A–I and the national
// J; a list that refines them ("F2", "H-court") keeps the ground in its first letter;
// any other code is J, another ground under national law.
func Ground(code string) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code != "" && code[0] >= 'A' && code[0] <= 'I' {
		return code[:1]
	}
	return "J"
}

// Refusal is what a refusal form says.
type Refusal struct {
	Crossing app.Crossing       // the refusal as recorded (Decision Refuse)
	Officer  app.Officer        // who refused
	Reasons  app.RefusalReasons // the list the reason code is from; its texts print the grounds
	Lang     string             // the officer's language ("ru", "ky"); English is always beside it
	Words    *i18n.Catalog      // the form's labels (assets/i18n "form.*")
	At       time.Time          // when it is printed, by the booth's clock
}

// RefusalForm prints r. The labels are in r.Lang and English ("Фамилия / Surname");
// with r.Lang "en" in English only. Errors: EINVALID for a crossing that is not a
// refusal.
func RefusalForm(r Refusal) ([]byte, error) {
	c := r.Crossing
	if c.Decision != app.Refuse {
		return nil, app.Errorf(app.EINVALID, "A refusal form is for a refusal, not %q.", c.Decision)
	}
	two := func(key string, args ...any) string {
		en := r.Words.T("en", key, args...)
		if r.Lang == "" || r.Lang == "en" {
			return en
		}
		if own := r.Words.T(r.Lang, key, args...); own != en {
			return own + " / " + en
		}
		return en
	}
	titleKey := "form.refusal_entry"
	if c.Direction == app.Exit {
		titleKey = "form.refusal_exit"
	}
	s := New(two(titleKey), r.At)
	when := c.BoothTime.Format("2006-01-02 15:04 MST")
	s.Field(two("form.post"), c.Post+" · "+c.Booth)
	s.Field(two("form.date"), when)
	s.Field(two("form.reference"), c.ID)

	s.Heading(two("form.traveller"))
	t := c.Traveller
	s.Field(two("form.surname"), t.Surname)
	s.Field(two("form.given_names"), orDash(t.GivenNames))
	s.Field(two("form.birth_date"), orDash(t.BirthDate))
	s.Field(two("form.nationality"), orDash(t.Nationality))
	s.Field(two("form.sex"), orDash(c.Sex))
	doc := strings.TrimSpace(c.DocumentCode + " " + c.Document.IssuingState + " " + c.Document.Number)
	s.Field(two("form.document"), doc)
	s.Field(two("form.expiry"), orDash(c.Expiry))
	if c.Source == app.FromDataPage {
		s.Text(two("form.typed"))
	}

	s.Heading(two("form.grounds"))
	s.Text(two("form.grounds_intro"))
	chosen := Ground(c.RefusalReason)
	for _, g := range Grounds {
		text := g + " — " + groundText(r, g)
		if g == chosen && c.RefusalNote != "" {
			text += "\n" + two("form.officer_note") + ": " + c.RefusalNote
		}
		s.Check(g == chosen, text)
	}

	s.Heading(two("form.officer"))
	s.Field(two("form.officer_name"), r.Officer.Name+" ("+r.Officer.ID+")")
	s.Field(two("form.post"), c.Post)
	s.Text(two("form.appeal"))
	s.Signature(two("form.officer_signature"))
	s.Signature(two("form.traveller_signature"))
	s.Text(two("form.refused_to_sign"))
	return s.Bytes()
}

// groundText is ground g's text from the reasons list: the officer's language and
// English when they differ; the list's own code for it, when it has one.
func groundText(r Refusal, g string) string {
	reason, ok := r.Reasons.Lookup(g)
	if !ok {
		return r.Words.T("en", "form.ground_unlisted")
	}
	en, own := reason.TextIn("en"), reason.TextIn(r.Lang)
	if own == en || r.Lang == "" {
		return en
	}
	return own + " / " + en
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
