// Package paper prints what a border service hands over or files on paper: the refusal
// form given to a refused traveller, a shift's report, a trainee's results. Each form is
// a file of its own in this package; this file holds the sheet they are all printed on.
//
// Names on these forms are Cyrillic as often as Latin, so the sheet embeds DejaVu Sans
// (fonts/LICENSE) rather than relying on PDF's built-in fonts, which are Latin-1 only.
// The package writes bytes, never files: the caller decides where a form goes.
package paper

import (
	"bytes"
	_ "embed"
	"fmt"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

//go:embed fonts/DejaVuSans.ttf
var regular []byte

//go:embed fonts/DejaVuSans-Bold.ttf
var bold []byte

const (
	family   = "DejaVu"
	margin   = 18.0 // mm
	lineH    = 6.0  // mm, one line of body text
	labelW   = 55.0 // mm, the label column of a field
	pageW    = 210.0
	bodyW    = pageW - 2*margin
	bodySize = 10.0
)

// Sheet is one A4 document being written. Its methods add to it top to bottom; Bytes
// finishes it. A Sheet is not safe for concurrent use.
type Sheet struct {
	pdf *fpdf.Fpdf
}

// New starts a sheet whose every page carries title at its head and, at its foot, the
// page number and when it was printed (at, in the booth's clock — the caller's, so that
// tests print the same bytes twice).
func New(title string, at time.Time) *Sheet {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin+4)
	pdf.AddUTF8FontFromBytes(family, "", regular)
	pdf.AddUTF8FontFromBytes(family, "B", bold)
	pdf.SetTitle(title, true)
	pdf.SetCreator("Chekara", true)
	pdf.SetCreationDate(at)
	pdf.SetModificationDate(at)
	printed := at.Format("2006-01-02 15:04 MST")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-margin)
		pdf.SetFont(family, "", 8)
		pdf.CellFormat(bodyW/2, 4, printed, "", 0, "L", false, 0, "")
		pdf.CellFormat(bodyW/2, 4, fmt.Sprintf("%d", pdf.PageNo()), "", 0, "R", false, 0, "")
	})
	pdf.AddPage()
	pdf.SetFont(family, "B", 15)
	pdf.MultiCell(bodyW, 8, title, "", "L", false)
	pdf.Ln(2)
	pdf.SetFont(family, "", bodySize)
	return &Sheet{pdf: pdf}
}

// Heading starts a section.
func (s *Sheet) Heading(text string) {
	s.pdf.Ln(3)
	s.pdf.SetFont(family, "B", 12)
	s.pdf.MultiCell(bodyW, 7, text, "B", "L", false)
	s.pdf.Ln(1)
	s.pdf.SetFont(family, "", bodySize)
}

// Field prints one labelled value on a line of its own; a long value wraps under itself.
func (s *Sheet) Field(label, value string) {
	s.pdf.SetFont(family, "B", bodySize)
	y := s.pdf.GetY()
	s.pdf.MultiCell(labelW, lineH, label, "", "L", false)
	below := s.pdf.GetY()
	s.pdf.SetXY(margin+labelW, y)
	s.pdf.SetFont(family, "", bodySize)
	s.pdf.MultiCell(bodyW-labelW, lineH, value, "", "L", false)
	if s.pdf.GetY() < below {
		s.pdf.SetY(below)
	}
}

// Text prints a paragraph.
func (s *Sheet) Text(text string) {
	s.pdf.SetFont(family, "", bodySize)
	s.pdf.MultiCell(bodyW, lineH, text, "", "L", false)
}

// Check prints a box, ticked or not, before its text: a ground on a refusal form, an
// item of a checklist.
func (s *Sheet) Check(ticked bool, text string) {
	box := "☐"
	if ticked {
		box = "☒"
	}
	s.pdf.SetFont(family, "", bodySize)
	s.pdf.CellFormat(8, lineH, box, "", 0, "L", false, 0, "")
	s.pdf.MultiCell(bodyW-8, lineH, text, "", "L", false)
}

// Table prints a header row and rows under it; widths are in millimetres and should add
// up to the body's width (174 mm). A cell too long for its column is cut, not wrapped:
// tables are for figures and codes, Text for prose.
func (s *Sheet) Table(widths []float64, header []string, rows [][]string) {
	cell := func(i int, text string, style string) {
		s.pdf.SetFont(family, style, 9)
		w := widths[i]
		for text != "" && s.pdf.GetStringWidth(text) > w-2 {
			r := []rune(text)
			text = string(r[:len(r)-1])
		}
		s.pdf.CellFormat(w, lineH, text, "1", 0, "L", style == "B", 0, "")
	}
	s.pdf.SetFillColor(230, 230, 230)
	for i, h := range header {
		cell(i, h, "B")
	}
	s.pdf.Ln(-1)
	for _, row := range rows {
		for i := range widths {
			text := ""
			if i < len(row) {
				text = row[i]
			}
			cell(i, text, "")
		}
		s.pdf.Ln(-1)
	}
	s.pdf.SetFont(family, "", bodySize)
}

// Signature leaves room for a hand signature above a line with label under it.
func (s *Sheet) Signature(label string) {
	s.pdf.Ln(14)
	x, y := s.pdf.GetXY()
	s.pdf.Line(x, y, x+80, y)
	s.pdf.SetFont(family, "", 8)
	s.pdf.MultiCell(80, 4, label, "", "L", false)
	s.pdf.SetFont(family, "", bodySize)
}

// Bytes finishes the sheet and returns the PDF.
func (s *Sheet) Bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := s.pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("paper: %w", err)
	}
	return b.Bytes(), nil
}
