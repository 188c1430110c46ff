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

// room starts a new page unless h millimetres fit above the page's foot, so
// that what must stay together (a field's label and value, a heading and its
// first line) does.
func (s *Sheet) room(h float64) {
	_, pageH := s.pdf.GetPageSize()
	if s.pdf.GetY()+h > pageH-(margin+4) {
		s.pdf.AddPage()
	}
}

// Heading starts a section, on the next page when its first lines would not
// fit under it.
func (s *Sheet) Heading(text string) {
	s.room(3 + 8 + 2*lineH)
	s.pdf.Ln(3)
	s.pdf.SetFont(family, "B", 12)
	s.pdf.MultiCell(bodyW, 7, text, "B", "L", false)
	s.pdf.Ln(1)
	s.pdf.SetFont(family, "", bodySize)
}

// Field prints one labelled value on a line of its own; a long value wraps under itself.
func (s *Sheet) Field(label, value string) {
	s.room(lineH)
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
// up to the body's width (174 mm). A cell too long for its column wraps onto more lines
// and its row grows with it: a refusal's note or a referral's is evidence, never cut. A
// row that would cross the page's foot starts the next page, under the header again.
func (s *Sheet) Table(widths []float64, header []string, rows [][]string) {
	const cellH = 5.0 // mm, one line in a cell (9 pt)
	_, pageH := s.pdf.GetPageSize()
	foot := pageH - (margin + 4) // where the automatic page break falls
	row := func(cells []string, style string) {
		size := 9.0
		if style == "B" {
			size = 8 // headers are words: smaller, so they break between words
		}
		s.pdf.SetFont(family, style, size)
		lines := make([][]string, len(widths))
		n := 1
		for i, w := range widths {
			text := ""
			if i < len(cells) {
				text = cells[i]
			}
			lines[i] = s.pdf.SplitText(text, w-2)
			n = max(n, len(lines[i]))
		}
		h := float64(n)*cellH + 1
		if _, y := s.pdf.GetXY(); y+h > foot {
			s.pdf.AddPage()
		}
		x0, y0 := s.pdf.GetXY()
		x := x0
		for i, w := range widths {
			fill := "D"
			if style == "B" {
				fill = "FD"
			}
			s.pdf.Rect(x, y0, w, h, fill)
			for j, l := range lines[i] {
				s.pdf.SetXY(x+1, y0+0.5+float64(j)*cellH)
				s.pdf.CellFormat(w-2, cellH, l, "", 0, "L", false, 0, "")
			}
			x += w
		}
		s.pdf.SetXY(x0, y0+h)
	}
	s.pdf.SetFillColor(230, 230, 230)
	row(header, "B")
	for _, r := range rows {
		if _, y := s.pdf.GetXY(); y+cellH+1 > foot {
			s.pdf.AddPage()
			row(header, "B")
		}
		row(r, "")
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
