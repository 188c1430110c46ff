package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"io"
	"os"
	"time"

	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/devices/camera"
	"github.com/chekara/chekara/devices/ocr"
)

func init() {
	register(command{
		name:    "ocr",
		summary: "find and read the MRZ in images, one JSON object per image",
		run:     runOCR,
	})
}

// ocrMaxBytes bounds what bmis ocr reads of one file; a 600-dpi colour scan of a
// passport page is a few MB.
const ocrMaxBytes = 64 << 20

// ocrResult is one line of bmis ocr's output (the contract of issue 5).
type ocrResult struct {
	File      string         `json:"file"`
	Found     *bool          `json:"found,omitempty"`
	Reason    string         `json:"reason,omitempty"`
	Lines     []string       `json:"lines,omitempty"`
	MRZ       *mrz.Result    `json:"mrz,omitempty"`
	MS        *int64         `json:"ms,omitempty"`
	Trusted   *bool          `json:"trusted,omitempty"`   // valid and nothing uncertain: no need for a look
	Uncertain []ocr.Position `json:"uncertain,omitempty"` // unprotected characters read with a thin margin
	Repaired  []ocr.Position `json:"repaired,omitempty"`  // characters changed because the check digits proved it
	Engine    string         `json:"engine,omitempty"`    // "ocrb+tesseract", or "ocrb" without Tesseract
	Error     string         `json:"error,omitempty"`
}

// runOCR reads each image argument and writes one JSON object per image. It exits
// 0 when every image was processed (found or not), 1 when any could not be read.
func runOCR(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ocr", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asOf := fs.String("as-of", "", "judge centuries and expiry as of this date, `YYYY-MM-DD` (default: today)")
	glyphOnly := fs.Bool("no-tesseract", false, "read with the OCR-B glyph classifier alone")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bmis ocr [--as-of YYYY-MM-DD] IMAGE...")
		fmt.Fprintln(stderr, "Finds and reads the MRZ in each image (PNG, JPEG, GIF, BMP, TIFF); one JSON object per image.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	today, ok := asOfDate("ocr", *asOf, stderr)
	if !ok {
		return 2
	}
	ocr.OneThread() // re-executes with OMP_THREAD_LIMIT=1 unless it is set
	engine := "ocrb+tesseract"
	r, err := ocr.NewReader(ocr.Options{NoTesseract: *glyphOnly})
	if err != nil {
		if !errors.Is(err, ocr.ErrTesseract) {
			fmt.Fprintf(stderr, "bmis ocr: %v\n", err)
			return 1
		}
		fmt.Fprintf(stderr, "bmis ocr: %v; reading with the OCR-B glyph classifier alone\n", err)
		engine = "ocrb"
		if r, err = ocr.NewReader(ocr.Options{NoTesseract: true}); err != nil {
			fmt.Fprintf(stderr, "bmis ocr: %v\n", err)
			return 1
		}
	}
	if *glyphOnly {
		engine = "ocrb"
	}
	defer r.Close()
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	status := 0
	for _, file := range fs.Args() {
		if ctx.Err() != nil {
			return 1
		}
		res := ocrFile(r, file, today)
		if res.Error != "" {
			status = 1
		} else {
			res.Engine = engine
		}
		if err := enc.Encode(res); err != nil {
			fmt.Fprintf(stderr, "bmis ocr: %v\n", err)
			return 1
		}
	}
	return status
}

func ocrFile(r *ocr.Reader, file string, today time.Time) (res ocrResult) {
	res.File = file
	start := time.Now()
	img, err := decodeImageFile(file)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	rd, err := r.Read(img, today)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	ms := time.Since(start).Milliseconds()
	res.MS = &ms
	found := rd.Found
	res.Found = &found
	if !found {
		res.Reason = rd.Reason
		return res
	}
	res.Lines, res.Uncertain, res.Repaired = rd.Lines, rd.Uncertain, rd.Repaired
	trusted := rd.Trusted()
	res.Trusted = &trusted
	m := rd.MRZ
	res.MRZ = &m
	return res
}

// decodeImageFile reads and decodes one image, refusing huge or foreign files with
// a sentence instead of a crash.
func decodeImageFile(file string) (image.Image, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("cannot open: %v", errors.Unwrap(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, ocrMaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read: %v", err)
	}
	if len(data) > ocrMaxBytes {
		return nil, fmt.Errorf("larger than %d MB: not a document picture", ocrMaxBytes>>20)
	}
	return decodeImage(data)
}

// decodeImage decodes PNG, JPEG, GIF, BMP or TIFF bytes (camera.DecodeImage:
// size-checked before decoding, panics turned into errors).
func decodeImage(data []byte) (image.Image, error) { return camera.DecodeImage(data) }
