package booth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/devices/camera"
	"github.com/chekara/chekara/devices/ocr"
	xdraw "golang.org/x/image/draw"
)

// Camera is the booth's one desk camera — a V4L2 device, or a folder of
// pictures standing in for one (a scanner's output folder, tests) — shared by
// its two users: the OCR, which reads a page laid under it and presents it
// through the same path as the serial reader (Source, an ocr.CameraSource),
// and the traveller's face photo, taken before a document is presented and
// recorded with its read (FaceFor).
// Frames are taken one at a time under a lock, so the two never read the
// device at once.
type Camera struct {
	// Spec is what --camera named: the device or the folder.
	Spec string
	// Source reads documents from the camera; run it like any
	// app.DocumentSource. Its events carry Source app.FromCamera, so the
	// status bar shows the camera's state apart from the reader's.
	Source *ocr.CameraSource
	// GlyphOnly says Tesseract could not start: pages are read by the glyph
	// classifier alone (still check-digit repaired, never silently valid).
	GlyphOnly bool

	open   func() (camera.FrameSource, error)
	live   bool      // a device: a face photo must be a new frame, never an old one
	clock  app.Clock // stamps the photo; nil means the system clock
	reader *ocr.Reader

	mu   sync.Mutex
	src  camera.FrameSource // nil while closed (unplugged, or the folder read)
	last image.Image        // the latest frame, for a face photo when no new one comes
}

// OpenCamera prepares the camera named by spec: a folder or an image file is
// read as a sequence of frames (camera.OpenFiles); a path under /dev (or any
// character device) is a V4L2 camera asked for 1280 × 720 (the size at which
// a passport page's MRZ is above the OCR's resolution floor). The device
// itself is opened by Source.Run, which retries while it is missing, so a
// camera plugged in after the booth starts is taken up. Returns EINVALID for
// a spec that is neither.
func OpenCamera(spec string, clock app.Clock) (*Camera, error) {
	c := &Camera{Spec: spec, clock: clock}
	st, err := os.Stat(spec)
	switch {
	case err == nil && (st.IsDir() || st.Mode().IsRegular()):
		c.open = func() (camera.FrameSource, error) { return camera.OpenFiles(spec) }
	case err == nil && st.Mode()&os.ModeCharDevice != 0, strings.HasPrefix(spec, "/dev/"):
		c.live = true
		c.open = func() (camera.FrameSource, error) {
			return camera.OpenV4L2(camera.V4L2Config{Device: spec, Width: 1280, Height: 720})
		}
	default:
		return nil, app.Errorf(app.EINVALID, "camera %q: give a video device (/dev/video0) or a folder of pictures", spec)
	}
	r, err := ocr.NewReader(ocr.Options{})
	if errors.Is(err, ocr.ErrTesseract) {
		r, err = ocr.NewReader(ocr.Options{NoTesseract: true})
		c.GlyphOnly = true
	}
	if err != nil {
		return nil, fmt.Errorf("camera OCR: %w", err)
	}
	c.reader = r
	c.Source = &ocr.CameraSource{Open: c.openShared, Reader: r, Clock: clock}
	return c, nil
}

// openShared opens the device for Source (again after a failure) and hands it
// out behind the lock.
func (c *Camera) openShared() (camera.FrameSource, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.src == nil {
		src, err := c.open()
		if err != nil {
			return nil, err
		}
		c.src = src
	}
	return shared{c}, nil
}

// shared is the camera as Source sees it: every frame taken under the lock.
type shared struct{ c *Camera }

func (s shared) Frame(ctx context.Context) (camera.Frame, error) {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	return s.c.frameLocked(ctx)
}

// Close lets go of the device (Source does so when it fails, to reopen it).
func (s shared) Close() error {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	return s.c.closeLocked()
}

func (c *Camera) frameLocked(ctx context.Context) (camera.Frame, error) {
	if c.src == nil {
		return camera.Frame{}, camera.ErrNoMoreFrames
	}
	f, err := c.src.Frame(ctx)
	if err != nil {
		return f, err
	}
	c.last = f.Image
	return f, nil
}

func (c *Camera) closeLocked() error {
	if c.src == nil {
		return nil
	}
	err := c.src.Close()
	c.src = nil
	return err
}

// capture takes the traveller's photo: the ICAO 35:45 centred crop
// (camera.CaptureFace, JPEG and image) of a new frame; for a folder read to
// its end, of its last picture. A device that gives no frame now gives no
// photo: an earlier traveller's face must never be shown for this one. There
// is no face detection: the officer frames the traveller. Returns
// EUNAVAILABLE when the camera gives no picture.
func (c *Camera) capture(ctx context.Context) ([]byte, image.Image, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	if c.src != nil {
		var jpg []byte
		var img image.Image
		if jpg, img, err = camera.CaptureFace(ctx, frameOnce{c}); err == nil {
			return jpg, img, nil
		}
	}
	if c.live || c.last == nil {
		return nil, nil, app.Errorf(app.EUNAVAILABLE, "No picture of the traveller from the camera (%v).", orNone(err))
	}
	return camera.CaptureFace(ctx, camera.Still{Image: c.last})
}

var _ app.FaceCamera = (*Camera)(nil)

// Face takes the traveller's photo for a document about to be presented
// (app.Booth.Present asks, so the photo is recorded with the read, in the
// read's transaction: a read on record has the photo the officer saw, and a
// read that was not recorded leaves no photo behind). The picture shown is the
// JPEG as stored, decoded, so the screen and the record are the same picture.
// A photo over app.MaxPhotoBytes (a camera giving far more than the 1280 × 720
// asked for) is scaled down until it fits. Errors: EUNAVAILABLE without a
// picture from the camera.
func (c *Camera) Face(ctx context.Context) ([]byte, image.Image, time.Time, error) {
	jpg, img, err := c.capture(ctx)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	at := time.Now()
	if c.clock != nil {
		at = c.clock.Now()
	}
	for len(jpg) > app.MaxPhotoBytes {
		b := img.Bounds()
		small := image.NewRGBA(image.Rect(0, 0, b.Dx()*7/10, b.Dy()*7/10))
		xdraw.ApproxBiLinear.Scale(small, small.Bounds(), img, b, xdraw.Src, nil)
		img = small
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
			return nil, nil, time.Time{}, fmt.Errorf("face photo: %w", err)
		}
		jpg = buf.Bytes()
	}
	shown, err := jpeg.Decode(bytes.NewReader(jpg))
	if err != nil {
		return nil, nil, time.Time{}, fmt.Errorf("face photo: %w", err)
	}
	return jpg, shown, at, nil
}

// frameOnce reads one frame for Face, which already holds the lock.
type frameOnce struct{ c *Camera }

func (f frameOnce) Frame(ctx context.Context) (camera.Frame, error) { return f.c.frameLocked(ctx) }
func (f frameOnce) Close() error                                    { return nil }

// Close lets go of the device and stops the OCR; stop Source.Run first.
func (c *Camera) Close() error {
	c.mu.Lock()
	err := c.closeLocked()
	c.mu.Unlock()
	if c.reader != nil {
		if rerr := c.reader.Close(); err == nil {
			err = rerr
		}
	}
	return err
}

func orNone(err error) string {
	if err == nil {
		return "camera not open"
	}
	return err.Error()
}
