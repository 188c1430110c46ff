package ocr

import (
	"image"
	"image/draw"
	"math"
)

// Grey-level image helpers. Everything works on *image.Gray (one byte a pixel,
// ink dark), so the locator and the classifier touch each pixel a few times only.

// Gray converts any image to 8-bit luminance, taking the Y plane of JPEG and camera
// frames directly.
func Gray(img image.Image) *image.Gray {
	b := img.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	switch src := img.(type) {
	case *image.Gray:
		for y := 0; y < b.Dy(); y++ {
			copy(out.Pix[y*out.Stride:y*out.Stride+b.Dx()], src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.YCbCr:
		for y := 0; y < b.Dy(); y++ {
			copy(out.Pix[y*out.Stride:y*out.Stride+b.Dx()], src.Y[src.YOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.RGBA:
		for y := 0; y < b.Dy(); y++ {
			row := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):]
			o := out.Pix[y*out.Stride:]
			for x := 0; x < b.Dx(); x++ {
				r, g, bl := int(row[4*x]), int(row[4*x+1]), int(row[4*x+2])
				o[x] = uint8((19595*r + 38470*g + 7471*bl + 1<<15) >> 16)
			}
		}
	default:
		draw.Draw(out, out.Bounds(), img, b.Min, draw.Src)
	}
	return out
}

// shrink scales g down by a factor f ≥ 1 (not necessarily whole) with box averaging.
func shrink(g *image.Gray, f float64) *image.Gray {
	if f <= 1 {
		return g
	}
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	nw, nh := max(1, int(float64(w)/f)), max(1, int(float64(h)/f))
	out := image.NewGray(image.Rect(0, 0, nw, nh))
	for y := 0; y < nh; y++ {
		y0, y1 := int(float64(y)*f), min(h, int(float64(y+1)*f))
		if y1 <= y0 {
			y1 = y0 + 1
		}
		for x := 0; x < nw; x++ {
			x0, x1 := int(float64(x)*f), min(w, int(float64(x+1)*f))
			if x1 <= x0 {
				x1 = x0 + 1
			}
			s := 0
			for yy := y0; yy < y1; yy++ {
				row := g.Pix[yy*g.Stride:]
				for xx := x0; xx < x1; xx++ {
					s += int(row[xx])
				}
			}
			out.Pix[y*out.Stride+x] = uint8(s / ((y1 - y0) * (x1 - x0)))
		}
	}
	return out
}

// minMax1D runs a sliding minimum (or maximum) of width k along rows (horiz) or
// columns. k is small (≤ 15), so a plain loop over clamped slices is fast; the
// column pass works a whole row at a time to stay in cache.
func minMax1D(src []uint8, w, h, k int, horiz, isMax bool) []uint8 {
	out := make([]uint8, len(src))
	r := k / 2
	if horiz {
		for y := 0; y < h; y++ {
			row, o := src[y*w:(y+1)*w], out[y*w:(y+1)*w]
			for x := range o {
				win := row[max(x-r, 0):min(x+k-r, w)]
				b := win[0]
				if isMax {
					for _, v := range win[1:] {
						b = max(b, v)
					}
				} else {
					for _, v := range win[1:] {
						b = min(b, v)
					}
				}
				o[x] = b
			}
		}
		return out
	}
	for y := 0; y < h; y++ {
		o := out[y*w : (y+1)*w]
		y0, y1 := max(y-r, 0), min(y+k-r, h)
		copy(o, src[y0*w:(y0+1)*w])
		for yy := y0 + 1; yy < y1; yy++ {
			row := src[yy*w : (yy+1)*w]
			if isMax {
				for x, v := range row {
					o[x] = max(o[x], v)
				}
			} else {
				for x, v := range row {
					o[x] = min(o[x], v)
				}
			}
		}
	}
	return out
}

// dilate/erode with a kx × ky rectangle (grey-level max/min), separably.
func dilate(p []uint8, w, h, kx, ky int) []uint8 {
	return minMax1D(minMax1D(p, w, h, kx, true, true), w, h, ky, false, true)
}

func erode(p []uint8, w, h, kx, ky int) []uint8 {
	return minMax1D(minMax1D(p, w, h, kx, true, false), w, h, ky, false, false)
}

// otsu returns the threshold that best splits the histogram of p into two classes.
func otsu(p []uint8) uint8 {
	var hist [256]int
	for _, v := range p {
		hist[v]++
	}
	total := len(p)
	sum := 0.0
	for i, c := range hist {
		sum += float64(i * c)
	}
	var sumB, wB float64
	best, th := -1.0, 0
	for t := 0; t < 256; t++ {
		wB += float64(hist[t])
		if wB == 0 {
			continue
		}
		wF := float64(total) - wB
		if wF == 0 {
			break
		}
		sumB += float64(t * hist[t])
		mB, mF := sumB/wB, (sum-sumB)/wF
		v := wB * wF * (mB - mF) * (mB - mF)
		if v > best {
			best, th = v, t
		}
	}
	return uint8(th)
}

// sample reads g at (u, v) with bilinear interpolation; outside is white.
func sample(g *image.Gray, u, v float64) float64 {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	x0, y0 := int(math.Floor(u)), int(math.Floor(v))
	fx, fy := u-float64(x0), v-float64(y0)
	at := func(x, y int) float64 {
		if x < 0 || y < 0 || x >= w || y >= h {
			return 255
		}
		return float64(g.Pix[y*g.Stride+x])
	}
	top := at(x0, y0)*(1-fx) + at(x0+1, y0)*fx
	bot := at(x0, y0+1)*(1-fx) + at(x0+1, y0+1)*fx
	return top*(1-fy) + bot*fy
}

// warp cuts a w × h image out of g: output pixel (x, y) comes from
// centre + (x - w/2)·ux·s + (y - h/2)·uy·s, where (ux, uy) is the unit text direction.
// When s > 1 each output pixel averages a small grid of input pixels, so shrinking a
// 600-dpi page does not alias the strokes away.
func warp(g *image.Gray, cx, cy, angle, s float64, w, h int) *image.Gray {
	out := image.NewGray(image.Rect(0, 0, w, h))
	ca, sa := math.Cos(angle), math.Sin(angle)
	n := 1
	if s > 1.5 {
		n = int(math.Ceil(s))
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			acc := 0.0
			for j := 0; j < n; j++ {
				for i := 0; i < n; i++ {
					dx := (float64(x) - float64(w)/2 + (float64(i)+0.5)/float64(n) - 0.5) * s
					dy := (float64(y) - float64(h)/2 + (float64(j)+0.5)/float64(n) - 0.5) * s
					acc += sample(g, cx+dx*ca-dy*sa, cy+dx*sa+dy*ca)
				}
			}
			v := acc / float64(n*n)
			out.Pix[y*out.Stride+x] = uint8(v + 0.5)
		}
	}
	return out
}

// pgm encodes g as binary PGM, which Leptonica reads from memory without a codec.
func pgm(g *image.Gray) []byte {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	head := []byte("P5\n" + itoa(w) + " " + itoa(h) + "\n255\n")
	out := make([]byte, 0, len(head)+w*h)
	out = append(out, head...)
	for y := 0; y < h; y++ {
		out = append(out, g.Pix[y*g.Stride:y*g.Stride+w]...)
	}
	return out
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
