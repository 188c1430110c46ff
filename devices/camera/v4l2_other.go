//go:build !linux

package camera

import (
	"context"
	"errors"
	"time"
)

// V4L2Config chooses the camera and its mode (Video4Linux2 exists on Linux only).
type V4L2Config struct {
	Device        string
	Width, Height int
	PreferYUYV    bool
	FrameTimeout  time.Duration
}

// V4L2 is not available on this system: a camera device cannot be opened,
// only a folder of pictures (OpenFiles). See docs/windows.md.
type V4L2 struct{}

var _ FrameSource = (*V4L2)(nil)

// ErrNoV4L2 says camera devices are not supported on this system.
var ErrNoV4L2 = errors.New("camera devices are supported on Linux only; give a folder of pictures instead")

// OpenV4L2 reports ErrNoV4L2.
func OpenV4L2(V4L2Config) (*V4L2, error) { return nil, ErrNoV4L2 }

// Frame reports ErrNoV4L2.
func (*V4L2) Frame(context.Context) (Frame, error) { return Frame{}, ErrNoV4L2 }

// Close does nothing.
func (*V4L2) Close() error { return nil }

// Size is 0 × 0: no device is open.
func (*V4L2) Size() (int, int) { return 0, 0 }
