package ui_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/mrz"
	stayrules "github.com/chekara/chekara/app/rules"
	"github.com/chekara/chekara/assets"
	"github.com/chekara/chekara/ui"
)

// TestUnknownNationality: a Kyrgyz passport whose nationality was read "KRZ"
// passes every check digit. The screen must say "check the nationality" next
// to the field with the codes one letter away, and the stay panel which rule
// it applied and why — in each of the booth's languages — and the verdict is
// not "clear" (issue 21).
func TestUnknownNationality(t *testing.T) {
	data, err := assets.FS.ReadFile("rules/kgz.json")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := stayrules.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	lines := compose(t, mrz.Fields{IssuingState: "KGZ", Surname: "ASANOV", GivenNames: "BAKYT", DocumentNumber: "AC1234567",
		Nationality: "KRZ", BirthDateISO: "1985-03-14", Sex: "M", ExpiryDateISO: "2031-01-01"})
	tests := []struct {
		lang         string
		field, why   string
		verdictLevel app.Level
	}{
		{"en", "KRZ · ⚠ check the nationality, printed KGZ / KAZ? · Sex M",
			"Nationality KRZ is not a known code: the rule for unlisted nationalities applies.", app.LevelCaution},
		{"ru", "KRZ · ⚠ проверьте гражданство, напечатано KGZ / KAZ? · Пол M",
			"Гражданство KRZ — неизвестный код: применяется правило для прочих гражданств.", app.LevelCaution},
		{"ky", "KRZ · ⚠ жарандыгын текшериңиз, басылганы KGZ / KAZ? · Жынысы M",
			"KRZ жарандыгы — белгисиз код: башка жарандыктар үчүн эреже колдонулат.", app.LevelCaution},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			b := newBooth(t, ui.Config{})
			b.booth.Rules = stayrules.NewLive(rs)
			b.ready(t)
			b.ui.SetLanguage(tt.lang)
			b.read(t, lines)
			v := b.booth.Current()
			if v == nil || !v.Document.Valid || v.Verdict.Level != tt.verdictLevel {
				t.Fatalf("view %+v: want a valid document with verdict %s", v, tt.verdictLevel)
			}
			field := label(t, b.w.Content(), tt.field)
			if field.Importance != widget.WarningImportance {
				t.Errorf("nationality row importance %v, want a warning", field.Importance)
			}
			if why := label(t, b.w.Content(), tt.why); why.Importance != widget.WarningImportance {
				t.Errorf("stay reason importance %v, want a warning", why.Importance)
			}
			if min := b.w.Content().MinSize(); min.Width > 1366 || min.Height > 768-30 {
				t.Errorf("inspection screen needs %v, more than 1366×768", min)
			}
		})
	}
}

// TestStayReasonForListedNationality: a listed nationality under a named rule
// says so too; nothing warns.
func TestStayReasonForListedNationality(t *testing.T) {
	data, err := assets.FS.ReadFile("rules/kgz.json")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := stayrules.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	b := newBooth(t, ui.Config{})
	b.booth.Rules = stayrules.NewLive(rs)
	b.ready(t)
	b.read(t, hitLines(t)) // RUS: EAEU free movement, through the group
	why := label(t, b.w.Content(), "Nationality RUS is in the group EAEU.")
	if why.Importance != widget.MediumImportance {
		t.Errorf("stay reason importance %v, want plain", why.Importance)
	}
	if l := findLabel(b.w.Content(), func(s string) bool { return strings.Contains(s, "check the nationality") }); l != nil {
		t.Errorf("a listed nationality shows %q", l.Text)
	}
}

func label(t *testing.T, o fyne.CanvasObject, text string) *widget.Label {
	t.Helper()
	l := findLabel(o, func(s string) bool { return s == text })
	if l == nil {
		var all []string
		walk(o, func(o fyne.CanvasObject) {
			if l, ok := o.(*widget.Label); ok {
				all = append(all, l.Text)
			}
		})
		t.Fatalf("no label %q among %q", text, all)
	}
	return l
}

func findLabel(o fyne.CanvasObject, match func(string) bool) *widget.Label {
	var found *widget.Label
	walk(o, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && found == nil && match(l.Text) {
			found = l
		}
	})
	return found
}

// TestUnknownIssuingState: a misread issuing state is flagged on the document
// row; the nationality, read right, still chooses its own rule.
func TestUnknownIssuingState(t *testing.T) {
	data, err := assets.FS.ReadFile("rules/kgz.json")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := stayrules.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	b := newBooth(t, ui.Config{})
	b.booth.Rules = stayrules.NewLive(rs)
	b.ready(t)
	b.read(t, compose(t, mrz.Fields{IssuingState: "KRZ", Surname: "ASANOV", GivenNames: "BAKYT", DocumentNumber: "AC1234567",
		Nationality: "KGZ", BirthDateISO: "1985-03-14", Sex: "M", ExpiryDateISO: "2031-01-01"}))
	row := label(t, b.w.Content(), "P · KRZ · ⚠ check the issuing state, printed KGZ / KAZ? · AC1234567")
	if row.Importance != widget.WarningImportance {
		t.Errorf("document row importance %v, want a warning", row.Importance)
	}
	if why := label(t, b.w.Content(), "The rule names nationality KGZ."); why.Importance != widget.MediumImportance {
		t.Errorf("stay reason importance %v, want plain", why.Importance)
	}
	if got := b.booth.Current().Verdict.Level; got != app.LevelCaution {
		t.Errorf("verdict %s, want caution", got)
	}
}
