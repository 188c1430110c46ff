//go:build !cgo || windows

package jp2

import "image"

func decode([]byte, bool) (image.Image, error) { return nil, ErrNotSupported }
