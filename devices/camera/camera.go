// Package camera delivers pictures to the booth: the traveller's face for the record
// and the document page for OCR. Every source — a V4L2 webcam, an image file or a
// folder of them, a synthetic document stream for tests and training — sits behind
// one interface, FrameSource, and yields image.Image.
//
// It owns frames and their decoding (MJPEG, YUYV); it does not read MRZs (that is
// devices/ocr) and does not store photos (that is the store).
package camera

import (
	"context"
	"errors"
	"image"
	"time"
)

// Frame is one picture from a source.
type Frame struct {
	Image  image.Image
	At     time.Time
	Source string // device path, file name or "synthetic"
}

// FrameSource is anything that yields pictures.
type FrameSource interface {
	// Frame returns the next picture. It blocks until one is ready or ctx is done;
	// a finite source (files) returns ErrNoMoreFrames at its end.
	Frame(ctx context.Context) (Frame, error)
	// Close releases the device or files.
	Close() error
}

// ErrNoMoreFrames ends a finite source.
var ErrNoMoreFrames = errors.New("camera: no more frames")
