package paper

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/internal/testenv"
)

// pdfText returns the text pdftotext (poppler-utils) reads from pdf: what a person
// reading the printed page sees, so tests check the form, not fpdf's encoding.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	testenv.Require(t, "pdftotext (Debian poppler-utils)", err)
	path := filepath.Join(t.TempDir(), "form.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestSheetPrintsCyrillicAndLatin(t *testing.T) {
	at := time.Date(2026, 12, 4, 10, 30, 0, 0, time.UTC)
	s := New("Отказ во въезде / Refusal of entry", at)
	s.Heading("Traveller")
	s.Field("Surname / Фамилия", "ИВАНОВ / IVANOV")
	s.Check(true, "A — has no valid travel document")
	s.Check(false, "B — has a false document")
	s.Table([]float64{40, 134}, []string{"code", "count"}, [][]string{{"admitted", "12"}})
	s.Signature("Traveller's signature")
	pdf, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:8])
	}
	text := pdfText(t, pdf)
	for _, want := range []string{"Отказ во въезде", "ИВАНОВ / IVANOV", "A — has no valid travel document", "admitted", "2026-12-04 10:30 UTC"} {
		if !strings.Contains(text, want) {
			t.Errorf("printed page lacks %q:\n%s", want, text)
		}
	}
	again, _ := New("Отказ во въезде / Refusal of entry", at).Bytes()
	if len(again) == 0 {
		t.Fatal("empty PDF")
	}
}
