//go:build linux

package camera

import (
	"context"
	"errors"
	"fmt"
	"image"
	"sort"
	"time"

	"github.com/blackjack/webcam"
)

// V4L2 pixel formats (fourcc codes) the booth decodes.
const (
	FormatMJPEG webcam.PixelFormat = 'M' | 'J'<<8 | 'P'<<16 | 'G'<<24
	FormatYUYV  webcam.PixelFormat = 'Y' | 'U'<<8 | 'Y'<<16 | 'V'<<24
)

// V4L2Config chooses the camera and its mode.
type V4L2Config struct {
	Device string // e.g. /dev/video0
	// Width and Height ask for a frame size; the nearest the camera offers at or
	// above it is taken (0 × 0: the largest). A 1280 × 720 frame of a passport
	// page held 20–30 cm away gives the MRZ about 150 dpi, the reader's floor.
	Width, Height int
	// PreferYUYV takes uncompressed YUYV over MJPEG when both exist (sharper MRZ
	// glyphs, lower frame rate at high resolutions). MJPEG otherwise.
	PreferYUYV bool
	// FrameTimeout is how long Frame waits for the driver before reporting it.
	FrameTimeout time.Duration
}

// V4L2 is a webcam or document camera through Video4Linux2 (pure Go,
// github.com/blackjack/webcam, memory-mapped buffers).
type V4L2 struct {
	cfg    V4L2Config
	cam    *webcam.Webcam
	format webcam.PixelFormat
	w, h   int
}

var _ FrameSource = (*V4L2)(nil)

// OpenV4L2 opens the device, picks MJPEG or YUYV and a frame size, and starts
// streaming. Errors name the device and what the officer can do.
func OpenV4L2(cfg V4L2Config) (*V4L2, error) {
	if cfg.Device == "" {
		cfg.Device = "/dev/video0"
	}
	if cfg.FrameTimeout == 0 {
		cfg.FrameTimeout = 2 * time.Second
	}
	cam, err := webcam.Open(cfg.Device)
	if err != nil {
		return nil, fmt.Errorf("camera %s cannot be opened (unplugged, or used by another program?): %w", cfg.Device, err)
	}
	formats := cam.GetSupportedFormats()
	order := []webcam.PixelFormat{FormatMJPEG, FormatYUYV}
	if cfg.PreferYUYV {
		order = []webcam.PixelFormat{FormatYUYV, FormatMJPEG}
	}
	var format webcam.PixelFormat
	for _, f := range order {
		if _, ok := formats[f]; ok {
			format = f
			break
		}
	}
	if format == 0 {
		cam.Close()
		return nil, fmt.Errorf("camera %s offers neither MJPEG nor YUYV frames", cfg.Device)
	}
	w, h := chooseSize(cam.GetSupportedFrameSizes(format), cfg.Width, cfg.Height)
	f, gw, gh, err := cam.SetImageFormat(format, uint32(w), uint32(h))
	if err != nil {
		cam.Close()
		return nil, fmt.Errorf("camera %s: set %d×%d: %w", cfg.Device, w, h, err)
	}
	if err := cam.StartStreaming(); err != nil {
		cam.Close()
		return nil, fmt.Errorf("camera %s: start streaming: %w", cfg.Device, err)
	}
	return &V4L2{cfg: cfg, cam: cam, format: f, w: int(gw), h: int(gh)}, nil
}

// chooseSize picks the smallest discrete size at least w × h, or the largest.
func chooseSize(sizes []webcam.FrameSize, w, h int) (int, int) {
	type wh struct{ w, h int }
	var all []wh
	for _, s := range sizes {
		if s.StepWidth == 0 || s.MinWidth == s.MaxWidth {
			all = append(all, wh{int(s.MaxWidth), int(s.MaxHeight)})
			continue
		}
		// Stepwise range: clamp the request into it.
		cw := min(max(w, int(s.MinWidth)), int(s.MaxWidth))
		ch := min(max(h, int(s.MinHeight)), int(s.MaxHeight))
		if w == 0 {
			cw, ch = int(s.MaxWidth), int(s.MaxHeight)
		}
		all = append(all, wh{cw, ch})
	}
	if len(all) == 0 {
		return max(w, 640), max(h, 480)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].w*all[i].h < all[j].w*all[j].h })
	if w > 0 && h > 0 {
		for _, s := range all {
			if s.w >= w && s.h >= h {
				return s.w, s.h
			}
		}
	}
	return all[len(all)-1].w, all[len(all)-1].h
}

// Frame waits for the next frame and decodes it.
func (c *V4L2) Frame(ctx context.Context) (Frame, error) {
	deadline := time.Now().Add(c.cfg.FrameTimeout)
	for {
		if err := ctx.Err(); err != nil {
			return Frame{}, err
		}
		// Wait in one-second slices so ctx is honoured.
		err := c.cam.WaitForFrame(1)
		var timeout *webcam.Timeout
		if errors.As(err, &timeout) {
			if time.Now().After(deadline) {
				return Frame{}, fmt.Errorf("camera %s sent no frame for %v", c.cfg.Device, c.cfg.FrameTimeout)
			}
			continue
		}
		if err != nil {
			return Frame{}, fmt.Errorf("camera %s: %w", c.cfg.Device, err)
		}
		data, err := c.cam.ReadFrame()
		if err != nil {
			return Frame{}, fmt.Errorf("camera %s: read frame: %w", c.cfg.Device, err)
		}
		if len(data) == 0 {
			continue
		}
		var img image.Image
		switch c.format {
		case FormatYUYV:
			img, err = DecodeYUYV(data, c.w, c.h)
		default:
			img, err = DecodeMJPEG(data)
		}
		if err != nil {
			return Frame{}, err
		}
		return Frame{Image: img, At: time.Now(), Source: c.cfg.Device}, nil
	}
}

// Size is the frame size the camera agreed to.
func (c *V4L2) Size() (int, int) { return c.w, c.h }

// Close stops streaming and closes the device.
func (c *V4L2) Close() error {
	_ = c.cam.StopStreaming()
	return c.cam.Close()
}
