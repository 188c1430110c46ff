package ui_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/i18n"
	"github.com/chekara/chekara/assets"
	"github.com/chekara/chekara/paper"
	"github.com/chekara/chekara/ui"
)

// TestPrintRefusalForm: after a refusal the booth offers its form (Alt+P),
// saves it where the window says, in the officer's language; the next
// traveller's screen no longer offers the last one's form.
func TestPrintRefusalForm(t *testing.T) {
	dir := t.TempDir()
	cat, err := i18n.Load(assets.FS, "i18n")
	if err != nil {
		t.Fatal(err)
	}
	var printed []string
	var b *booth
	cfg := ui.Config{PrintRefusal: func(c app.Crossing, o app.Officer, lang string) (string, error) {
		pdf, err := paper.RefusalForm(paper.Refusal{Crossing: c, Officer: o, Reasons: b.booth.Reasons, Lang: lang, Words: cat, At: today})
		if err != nil {
			return "", err
		}
		path := filepath.Join(dir, fmt.Sprintf("refusal-%s.pdf", c.ID))
		printed = append(printed, lang)
		return path, os.WriteFile(path, pdf, 0o600)
	}}
	b = newBooth(t, cfg)
	b.ready(t)
	b.key(ui.KeyPrintForm)
	if len(printed) != 0 || !strings.Contains(b.ui.Message(), "refuse first") {
		t.Fatalf("Alt+P with no refusal: printed %v, message %q", printed, b.ui.Message())
	}
	b.read(t, hitLines(t))
	b.key(ui.KeyConfirm)
	b.ui.SetRefusalReason("H")
	b.key(ui.KeyRefuse)
	if findButton(t, b.w.Content(), "Print refusal form (Alt+P)").Hidden {
		t.Fatal("no print button after the refusal")
	}
	b.key(ui.KeyPrintForm)
	path := b.ui.FormPath()
	pdf, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) || len(printed) != 1 || printed[0] != "en" {
		t.Fatalf("form at %q: %v, printed %v", path, err, printed)
	}
	if m := test.RenderToMarkup(b.w.Canvas()); !strings.Contains(m, "Refusal form saved: ") || b.ui.Message() != "Refusal form saved: "+path {
		t.Error("the window does not say where the form is")
	}
	b.read(t, cleanLines(t))
	if !findButton(t, b.w.Content(), "Print refusal form (Alt+P)").Hidden {
		t.Error("the next traveller's screen offers the last refusal's form")
	}
}
