package ocr

import (
	"image"
	"math"
	"sort"
)

// Band is where the locator found the MRZ in a picture: a rotated rectangle in the
// picture's pixels. Angle is the direction of the text in radians (x right, y down);
// the text may still run the other way (a page upside down) — the reader decides
// that from the glyphs.
type Band struct {
	CX, CY  float64 // centre
	Angle   float64
	Length  float64 // along the text
	Height  float64 // across the lines, all lines together
	Lines   int     // text lines the locator saw (a hint; the reader counts again)
	LineGap float64 // distance between neighbouring lines, 0 if one line was seen
}

// locateWidth is the width pictures are shrunk to before the search: a document
// page then has its MRZ characters about 10–20 pixels high whatever its resolution.
const locateWidth = 640

type blob struct {
	n                 int
	sx, sy            float64
	sxx, syy, sxy     float64
	cx, cy            float64
	angle, len, thick float64
}

// Locate finds the MRZ band in g: black-top-hat to keep dark strokes on any
// lighting, threshold, a horizontal closing that fuses each MRZ line into one bar,
// then long, thin, parallel bars next to each other. It reports false when it sees
// no band.
func Locate(g *image.Gray) (Band, bool) {
	w := g.Bounds().Dx()
	f := max(1, float64(w)/locateWidth)
	s := shrink(g, f)
	b, ok := locateShrunk(s)
	if !ok {
		return Band{}, false
	}
	b.CX, b.CY = (b.CX+0.5)*f, (b.CY+0.5)*f
	b.Length *= f
	b.Height *= f
	b.LineGap *= f
	return b, true
}

func locateShrunk(s *image.Gray) (Band, bool) {
	w, h := s.Bounds().Dx(), s.Bounds().Dy()
	if w < 40 || h < 8 {
		return Band{}, false
	}
	pix := make([]uint8, w*h)
	for y := 0; y < h; y++ {
		copy(pix[y*w:(y+1)*w], s.Pix[y*s.Stride:])
	}
	// Black-top-hat: closing minus the picture; strokes thinner than the kernel
	// stand out, large dark areas (photo, desk, shadows) do not.
	closed := erode(dilate(pix, w, h, 7, 7), w, h, 7, 7)
	bh := make([]uint8, w*h)
	for i := range bh {
		bh[i] = closed[i] - pix[i]
	}
	th := otsu(bh)
	th = max(th, 12)
	mask := make([]uint8, w*h)
	for i, v := range bh {
		if v > th {
			mask[i] = 255
		}
	}
	// Fuse the characters of a line (gaps up to ~1 pitch) but not neighbouring lines.
	mask = erode(dilate(mask, w, h, 15, 3), w, h, 15, 3)
	blobs := components(mask, w, h)
	var cands []blob
	for _, b := range blobs {
		if b.len >= 0.22*float64(w) && b.len >= 8*b.thick && b.thick >= 3 {
			cands = append(cands, b)
		}
	}
	if len(cands) == 0 {
		return Band{}, false
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].len > cands[j].len })
	// Group parallel neighbours of each seed; the MRZ is the group with most text.
	bestScore := 0.0
	var best []blob
	for i, seed := range cands {
		ux, uy := math.Cos(seed.angle), math.Sin(seed.angle)
		group := []blob{seed}
		for j, c := range cands {
			if j == i {
				continue
			}
			da := math.Abs(math.Remainder(c.angle-seed.angle, math.Pi))
			if da > 4*math.Pi/180 || c.len < 0.6*seed.len || c.len > 1.6*seed.len {
				continue
			}
			dx, dy := c.cx-seed.cx, c.cy-seed.cy
			along, across := dx*ux+dy*uy, -dx*uy+dy*ux
			if math.Abs(along) > 0.25*seed.len || math.Abs(across) > 5*seed.thick {
				continue
			}
			group = append(group, c)
		}
		if len(group) > 3 {
			group = group[:3]
		}
		score := 0.0
		for _, c := range group {
			score += c.len
		}
		if score > bestScore {
			bestScore, best = score, group
		}
	}
	// The band's rectangle in the seed's frame.
	seed := best[0]
	ux, uy := math.Cos(seed.angle), math.Sin(seed.angle)
	minU, maxU, minV, maxV := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	vs := []float64{}
	for _, c := range best {
		dx, dy := c.cx-seed.cx, c.cy-seed.cy
		u, v := dx*ux+dy*uy, -dx*uy+dy*ux
		minU, maxU = math.Min(minU, u-c.len/2), math.Max(maxU, u+c.len/2)
		minV, maxV = math.Min(minV, v-c.thick/2), math.Max(maxV, v+c.thick/2)
		vs = append(vs, v)
	}
	sort.Float64s(vs)
	gap := 0.0
	if len(vs) > 1 {
		gap = (vs[len(vs)-1] - vs[0]) / float64(len(vs)-1)
	}
	mu, mv := (minU+maxU)/2, (minV+maxV)/2
	return Band{
		CX:      seed.cx + mu*ux - mv*uy,
		CY:      seed.cy + mu*uy + mv*ux,
		Angle:   seed.angle,
		Length:  maxU - minU,
		Height:  maxV - minV,
		Lines:   len(best),
		LineGap: gap,
	}, true
}

// components labels the 8-connected white regions of mask and returns their shape
// from second moments: orientation, length and thickness of the equivalent bar.
func components(mask []uint8, w, h int) []blob {
	labels := make([]int32, w*h)
	var out []blob
	stack := make([]int, 0, 1024)
	for start := range mask {
		if mask[start] == 0 || labels[start] != 0 {
			continue
		}
		id := int32(len(out) + 1)
		var b blob
		labels[start] = id
		stack = append(stack[:0], start)
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := float64(p%w), float64(p/w)
			b.n++
			b.sx += x
			b.sy += y
			b.sxx += x * x
			b.syy += y * y
			b.sxy += x * y
			px, py := p%w, p/w
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := px+dx, py+dy
					if nx < 0 || ny < 0 || nx >= w || ny >= h {
						continue
					}
					q := ny*w + nx
					if mask[q] != 0 && labels[q] == 0 {
						labels[q] = id
						stack = append(stack, q)
					}
				}
			}
		}
		n := float64(b.n)
		b.cx, b.cy = b.sx/n, b.sy/n
		mxx := b.sxx/n - b.cx*b.cx
		myy := b.syy/n - b.cy*b.cy
		mxy := b.sxy/n - b.cx*b.cy
		b.angle = 0.5 * math.Atan2(2*mxy, mxx-myy)
		d := math.Sqrt((mxx-myy)*(mxx-myy)/4 + mxy*mxy)
		l1, l2 := (mxx+myy)/2+d, math.Max((mxx+myy)/2-d, 0)
		b.len, b.thick = math.Sqrt(12*l1), math.Sqrt(12*l2)
		out = append(out, b)
	}
	return out
}
