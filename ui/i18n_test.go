package ui_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/i18n"
	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/assets"
	"github.com/chekara/chekara/ui"
)

// TestEveryScreenKeyTranslated: every key the screens name as a literal —
// t("…"), w.t("…"), u.t("…") and the keys of the tables the screens read
// (the data page's fields) — and every reason key the core gives exists in
// en, ru and ky; Kyrgyz and Russian are not the English copied (a few
// symbols and codes excepted).
func TestEveryScreenKeyTranslated(t *testing.T) {
	cat, err := i18n.Load(assets.FS, "i18n")
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok || (sel.Sel.Name != "t" && sel.Sel.Name != "T") || len(n.Args) == 0 {
					return true
				}
				if lit, ok := n.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					k, _ := strconv.Unquote(lit.Value)
					keys[k] = fset.Position(n.Pos()).String()
				}
			case *ast.CompositeLit: // {field, "page.type", "page.date_hint"}
				for _, e := range n.Elts {
					if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						if k, _ := strconv.Unquote(lit.Value); strings.HasPrefix(k, "page.") {
							keys[k] = fset.Position(lit.Pos()).String()
						}
					}
				}
			}
			return true
		})
	}
	for _, code := range []string{mrz.CodeLineCount, mrz.CodeLineLength, mrz.CodeCharset, mrz.CodeDocumentCode, mrz.CodeIssuingState,
		mrz.CodeNationality, mrz.CodeName, mrz.CodeDocumentNumber, mrz.CodeBirthDate, mrz.CodeSex, mrz.CodeExpiryDate,
		mrz.CodeDocumentNumberCheck, mrz.CodeBirthDateCheck, mrz.CodeExpiryDateCheck, mrz.CodeOptionalDataCheck, mrz.CodeCompositeCheck,
		mrz.WarnSpecimen, mrz.WarnNameTruncated, mrz.WarnExpired, mrz.WarnMinor, app.WarnUnknownCountry} {
		keys["mrz."+code] = "the problems panel (app/mrz codes)"
	}
	for _, k := range app.ReasonKeys() {
		keys[k] = "app.ReasonKeys"
	}
	for _, typed := range []string{"typed.required", "typed.bad_type", "typed.bad_country", "typed.bad_number", "typed.bad_name",
		"typed.bad_date", "typed.future_birth", "typed.expiry_before_birth", "typed.bad_sex", "mrz." + app.WarnTypedDataPage,
		"source." + string(app.FromDataPage)} {
		keys[typed] = "app/datapage.go"
	}
	if len(keys) < 150 {
		t.Fatalf("found only %d keys: is the scan broken?", len(keys))
	}
	same := map[string]bool{"page.sex_hint": true, "page.type": false}
	for k, where := range keys {
		for _, lang := range []string{"en", "ru", "ky"} {
			if !cat.Has(lang, k) {
				t.Errorf("%s: %q has no %s text", where, k, lang)
			}
		}
		if !same[k] && cat.Has("ru", k) && cat.Has("ky", k) && strings.ContainsAny(verbs.ReplaceAllString(cat.T("en", k), ""), "abcdefghijklmnopqrstuvwxyz") &&
			(cat.T("ru", k) == cat.T("en", k) || cat.T("ky", k) == cat.T("en", k)) {
			t.Errorf("%s: %q is the English text in ru or ky", where, k)
		}
	}
}

// verbs are the format verbs of a catalogue text (%s, %d, %.1f).
var verbs = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)

// TestStatusNeverCut: at 1366×768 the status bar's every part is as wide as
// its words in every language, whatever HQ's state — not enrolled,
// never synced, connected, unreachable.
func TestStatusNeverCut(t *testing.T) {
	b := newBooth(t, ui.Config{})
	b.ready(t)
	states := map[string]syncState{
		"alone":     {Pending: 3},
		"never":     {Enrolled: true, Pending: 3},
		"connected": {Enrolled: true, Connected: true, LastSync: today.Add(-3 * time.Minute), ClockKnown: true, Pending: 1234},
		"down": {Enrolled: true, LastSync: today.Add(-50 * time.Hour), ClockKnown: true, ClockOffset: 5 * time.Minute,
			Lists: app.Version{Name: "7", At: today.Add(-9 * 24 * time.Hour)}, Rules: app.Version{Name: "kgz-2026-12-04.1", At: today.Add(-time.Hour)}},
	}
	checked := 0
	for name, st := range states {
		for _, lang := range []string{"en", "ru", "ky"} {
			b.booth.Sync = st
			b.ui.SetLanguage(lang)
			b.ui.RefreshStatus()
			b.settle()
			walk(b.w.Content(), func(o fyne.CanvasObject) {
				l, ok := o.(*widget.Label)
				if !ok || !l.Visible() || l.SizeName != theme.SizeNameCaptionText || l.Text == "" {
					return
				}
				need := fyne.MeasureText(l.Text, theme.Size(l.SizeName), l.TextStyle).Width + 2*theme.InnerPadding()
				checked++
				if l.Size().Width < need {
					t.Errorf("%s, %s: %q is cut (%.0f of %.0f px)", name, lang, l.Text, l.Size().Width, need)
				}
			})
		}
	}
	if checked < 4*3*7 {
		t.Fatalf("checked %d status parts, want every one of 7 in 12 cases", checked)
	}
}

// TestQuitTranslated: the booth menu ends with Quit in the officer's
// language (Fyne would add an English one).
func TestQuitTranslated(t *testing.T) {
	b := newBooth(t, ui.Config{})
	b.ready(t)
	for lang, want := range map[string]string{"en": "Quit", "ru": "Закрыть программу", "ky": "Программаны жабуу"} {
		b.ui.SetLanguage(lang)
		b.settle()
		items := b.w.MainMenu().Items[0].Items
		last := items[len(items)-1]
		if !last.IsQuit || last.Label != want {
			t.Errorf("%s: the booth menu ends with %q (quit %v), want %q", lang, last.Label, last.IsQuit, want)
		}
	}
}
