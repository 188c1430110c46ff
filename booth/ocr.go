package booth

import (
	"errors"
	"fmt"
	"image"
	"sync"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/devices/ocr"
)

// PageReader reads the MRZ from a picture of a document page (camera,
// scanner) and turns it into the same event the serial reader delivers, with
// the page attached for the photo panel.
type PageReader struct {
	mu sync.Mutex // one Tesseract client: one page at a time
	r  *ocr.Reader
	// GlyphOnly says Tesseract could not start and pages are read by the glyph
	// classifier alone (still check-digit repaired, never silently valid).
	GlyphOnly bool
}

// NewPageReader starts the OCR (Tesseract with Debian's eng data), falling back
// to the glyph classifier alone when Tesseract is missing.
func NewPageReader() (*PageReader, error) {
	r, err := ocr.NewReader(ocr.Options{})
	if errors.Is(err, ocr.ErrTesseract) {
		r, err = ocr.NewReader(ocr.Options{NoTesseract: true})
		if err != nil {
			return nil, err
		}
		return &PageReader{r: r, GlyphOnly: true}, nil
	} else if err != nil {
		return nil, err
	}
	return &PageReader{r: r}, nil
}

// Event reads img as of now. Returns ENOTFOUND with the reason when no MRZ is
// on the picture, so the officer can retake it or type the lines.
func (p *PageReader) Event(img image.Image, now time.Time) (app.ReaderEvent, error) {
	p.mu.Lock()
	rd, err := p.r.Read(img, now)
	p.mu.Unlock()
	if err != nil {
		return app.ReaderEvent{}, fmt.Errorf("ocr: %w", err)
	}
	if !rd.Found || len(rd.Lines) == 0 {
		e := app.Errork(app.ENOTFOUND, "err.no_mrz_on_page", "No MRZ was found on the page: retake it or type the lines.")
		e.Message = fmt.Sprintf("No MRZ was found on the page (%s): retake it or type the lines.", rd.Reason)
		return app.ReaderEvent{}, e
	}
	ev := app.ReaderEvent{Kind: app.ReaderDocument, Lines: rd.Lines, Source: app.FromCamera, Image: img, At: now}
	// The characters no check digit vouches for go with the lines, so a valid
	// reading that is not rd.Trusted() is shown as one to look at.
	for _, p := range rd.Uncertain {
		ev.Uncertain = append(ev.Uncertain, [2]int{p.Line, p.Column})
	}
	return ev, nil
}

// Close stops the OCR.
func (p *PageReader) Close() error { return p.r.Close() }
