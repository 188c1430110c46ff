//go:build cgo && !windows

package ocr

import (
	"image"
	"os"

	"github.com/otiai10/gosseract/v2"
)

// gosseractClient is one gosseract client, set up for MRZ text.
type gosseractClient struct{ c *gosseract.Client }

func newTess() (tessClient, error) {
	// Tesseract's OpenMP threads fight over the booth's cores; one is faster here.
	if os.Getenv("OMP_THREAD_LIMIT") == "" {
		os.Setenv("OMP_THREAD_LIMIT", "1")
	}
	c := gosseract.NewClient()
	if err := c.SetLanguage("eng"); err != nil {
		c.Close()
		return nil, err
	}
	if err := c.SetPageSegMode(gosseract.PSM_SINGLE_BLOCK); err != nil {
		c.Close()
		return nil, err
	}
	if err := c.SetWhitelist(Charset); err != nil {
		c.Close()
		return nil, err
	}
	// Initialise now, on a blank picture, so a missing eng.traineddata fails here.
	blank := image.NewGray(image.Rect(0, 0, 40, 20))
	for i := range blank.Pix {
		blank.Pix[i] = 255
	}
	t := &gosseractClient{c}
	if _, err := t.read(pgm(blank)); err != nil {
		c.Close()
		return nil, err
	}
	return t, nil
}

func (t *gosseractClient) read(pgm []byte) (string, error) {
	if err := t.c.SetImageFromBytes(pgm); err != nil {
		return "", err
	}
	return t.c.Text()
}

func (t *gosseractClient) Close() error { return t.c.Close() }
