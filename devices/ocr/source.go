package ocr

import (
	"context"
	"errors"
	"fmt"
	"image"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/devices/camera"
)

// CameraSource is the camera and OCR as an app.DocumentSource: the booth gets MRZ
// lines from a webcam or a scanner folder exactly as from a serial reader (one path
// from event to screen), with the page picture and the uncertain characters.
type CameraSource struct {
	// Open opens the frame source; it is called again after the camera fails
	// (unplugged), every Retry.
	Open   func() (camera.FrameSource, error)
	Reader *Reader
	Clock  app.Clock
	// Timeout bounds one reading attempt (frames voted together); default 5 s.
	Timeout time.Duration
	// Retry is the pause before reopening a failed camera; default 2 s.
	Retry time.Duration
	// Gone is how many frames in a row without an MRZ band mean the document was
	// taken away, so the next one can be read; default 3.
	Gone int
}

var _ app.DocumentSource = (*CameraSource)(nil)

// Run reads documents until ctx is done: each document is delivered once (a valid
// reading, or the best reading when the attempt times out with an MRZ in view),
// then Run waits until it leaves the picture.
func (s *CameraSource) Run(ctx context.Context, deliver func(app.ReaderEvent)) error {
	if s.Open == nil || s.Reader == nil {
		return fmt.Errorf("camera source: %w", errors.New("no camera or no reader configured"))
	}
	timeout, retry, gone := s.Timeout, s.Retry, s.Gone
	if timeout == 0 {
		timeout = 5 * time.Second
	}
	if retry == 0 {
		retry = 2 * time.Second
	}
	if gone == 0 {
		gone = 3
	}
	clock := s.Clock
	if clock == nil {
		clock = app.SystemClock{}
	}
	wait := func() error {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(retry):
			return nil
		}
	}
	for {
		src, err := s.Open()
		if err != nil {
			deliver(app.ReaderEvent{Kind: app.ReaderError, Message: "Camera not available — retrying: " + err.Error(), At: clock.Now(), Source: app.FromCamera})
			if err := wait(); err != nil {
				return err
			}
			continue
		}
		deliver(app.ReaderEvent{Kind: app.ReaderConnected, At: clock.Now(), Source: app.FromCamera})
		err = s.session(ctx, src, clock, timeout, gone, deliver)
		src.Close()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		deliver(app.ReaderEvent{Kind: app.ReaderDisconnected, Message: "Camera stopped — reconnecting", At: clock.Now(), Source: app.FromCamera})
		if errors.Is(err, camera.ErrNoMoreFrames) {
			// A folder of pictures has been read: nothing to reconnect to.
			<-ctx.Done()
			return ctx.Err()
		}
		if err := wait(); err != nil {
			return err
		}
	}
}

// session reads documents from one open source until it fails.
func (s *CameraSource) session(ctx context.Context, src camera.FrameSource, clock app.Clock, timeout time.Duration, gone int, deliver func(app.ReaderEvent)) error {
	var last image.Image
	var lastErr error
	next := func(ctx context.Context) (image.Image, error) {
		f, err := src.Frame(ctx)
		if err != nil {
			lastErr = err
			return nil, err
		}
		last = f.Image
		return f.Image, nil
	}
	for {
		lastErr = nil
		res, err := s.Reader.ReadStream(ctx, next, clock.Now(), timeout)
		if err != nil {
			return err
		}
		if lastErr != nil && !errors.Is(lastErr, context.DeadlineExceeded) && !errors.Is(lastErr, context.Canceled) {
			return lastErr
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !res.Found {
			continue
		}
		ev := app.ReaderEvent{Kind: app.ReaderDocument, Lines: res.Lines, At: clock.Now(), Source: app.FromCamera, Image: last}
		for _, p := range res.Uncertain {
			ev.Uncertain = append(ev.Uncertain, [2]int{p.Line, p.Column})
		}
		deliver(ev)
		// Wait for the document to leave before reading the next one.
		missing := 0
		for missing < gone {
			img, err := next(ctx)
			if err != nil {
				return err
			}
			if _, inView := Locate(Gray(img)); inView {
				missing = 0
			} else {
				missing++
			}
		}
	}
}
