package ui_test

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/ui"
)

// several is lists that answer three hits, each with an instruction and the
// real engine's reasons in its order (the name's details first, the decisive
// birth date and nationality last).
type several struct{}

func (several) Screen(context.Context, app.ScreeningQuery) (app.Screening, error) {
	person := func(id, cat, note string, score float64, birth, nat string) app.Hit {
		return app.Hit{ListID: id, Kind: "person", Category: cat, Score: score, Note: note, Listed: "АСАНОВ Бакыт",
			Reasons: []string{`name score 1.00 against listed name "АСАНОВ Бакыт"`,
				"surname ASANOV matches listed surname АСАНОВ: ICAO 9303 spelling",
				"given name BAKYT matches listed given name БАКЫТ: ICAO 9303 spelling",
				"listed patronymic ТОКТОГУЛОВИЧ is not on the document (optional)", birth, nat}}
	}
	return app.Screening{ListVersion: "42", Hits: []app.Hit{
		person("P-1", "deny_entry", "Entry ban until 2029", 0.97, "birth date 1985-03-14 agrees with listed 1985-03-14 (to the day)", "nationality KGZ is listed"),
		person("P-2", "watch", "Report crossing to HQ", 0.80, "birth year 1985 differs from listed 1979 (−0.25)", "nationality KGZ is not the listed KAZ (−0.20)"),
		{ListID: "D-1", Kind: "document", Category: "stolen", Score: 1, Note: "Reported stolen in Osh",
			Reasons: []string{"document KGZ AC1234567 is listed as stolen"}},
	}}, nil
}

func labels(o fyne.CanvasObject) string {
	var s string
	walk(o, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok {
			s += l.Text + "\n"
		}
	})
	return s
}

// TestSeveralHitsEveryReason: with several hits each shows its instruction
// and its strongest evidence first — birth date to the day and nationality
// before the name's details — and opens every reason with one button; the
// reasons are in the officer's language.
func TestSeveralHitsEveryReason(t *testing.T) {
	b := newBooth(t, ui.Config{})
	b.booth.Lists = several{}
	b.ready(t)
	b.read(t, cleanLines(t))
	m := labels(b.w.Content())
	for _, want := range []string{"Entry ban until 2029", "Report crossing to HQ", "Reported stolen in Osh",
		"Birth date 1985-03-14 agrees with listed 1985-03-14 to the day", "Nationality KGZ is listed",
		"Birth year 1985 differs from listed 1979 (−0.25)", "Nationality KGZ is not the listed KAZ (−0.20)",
		"Document KGZ AC1234567 is listed as stolen"} {
		if !strings.Contains(m, want) {
			t.Errorf("the lists panel does not show %q:\n%s", want, m)
		}
	}
	if i, j := strings.Index(m, "to the day"), strings.Index(m, "Name score"); i < 0 || j < 0 || i > j {
		t.Errorf("the birth date to the day is not before the name score")
	}
	if strings.Contains(m, "ТОКТОГУЛОВИЧ") {
		t.Error("the weakest reason is open before the officer asks")
	}
	more := findButton(t, b.w.Content(), "Show all 6 reasons")
	test.Tap(more)
	if m := labels(b.w.Content()); !strings.Contains(m, "Listed patronymic ТОКТОГУЛОВИЧ is not on the document (optional)") {
		t.Errorf("Show all did not open every reason:\n%s", m)
	}
	if min := b.w.Content().MinSize(); min.Width > 1366 || min.Height > 768-30 {
		t.Errorf("the screen needs %v, more than 1366×768", min)
	}
	shot(t, b, "safety-hits-all-reasons")

	for lang, want := range map[string]string{"ky": "күнүнө чейин дал келет", "ru": "совпадает с внесённой 1985-03-14 до дня"} {
		b.ui.SetLanguage(lang)
		b.settle()
		if m := labels(b.w.Content()); !strings.Contains(m, want) {
			t.Errorf("%s: the reasons are not translated (want %q):\n%s", lang, want, m)
		}
	}
	shot(t, b, "safety-hits-all-reasons-ru")
}
