package ocr

import (
	"errors"
	"fmt"
	"image"
	"math"
	"sort"
)

// P0 is the character pitch, in pixels, that every band is resampled to before it is
// read: the glyph templates are rendered at this pitch and Tesseract sees capitals
// about 20 pixels high, which its English model reads well.
const P0 = 20

// line is one MRZ text line inside a prepared band.
type line struct {
	top, bottom int     // rows of the line's ink
	base, slope float64 // baseline row at x = 0, and its slope
	x0          float64 // centre of the first character cell
	pitch       float64 // distance between cell centres (≈ P0)
}

// prepared is a band resampled so that the pitch is P0 and the text runs left to
// right, horizontally, with its lines found.
type prepared struct {
	gray  *image.Gray
	ink   []bool // local-threshold binarisation of gray
	lines []line
	n     int // characters per line: 30, 36 or 44
}

var errNoText = errors.New("no MRZ text lines in the band")

// comp is a connected ink component inside a band.
type comp struct {
	x0, y0, x1, y1 int // inclusive bounds
	n              int
	cx, cy         float64
}

// binarise marks ink where a pixel is clearly darker than its neighbourhood
// (Sauvola-style, with an integral image), so uneven light and faint backgrounds do
// not matter.
func binarise(g *image.Gray, win int) []bool {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	ii := make([]int64, (w+1)*(h+1))
	for y := 0; y < h; y++ {
		var row int64
		for x := 0; x < w; x++ {
			row += int64(g.Pix[y*g.Stride+x])
			ii[(y+1)*(w+1)+x+1] = ii[y*(w+1)+x+1] + row
		}
	}
	// The darkest and lightest levels decide whether a pixel can be ink at all, so
	// flat paper with noise stays paper.
	var hist [256]int
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			hist[g.Pix[y*g.Stride+x]]++
		}
	}
	lo, hi, acc := 0, 255, 0
	for i := 0; i < 256; i++ {
		acc += hist[i]
		if acc > w*h/100 {
			lo = i
			break
		}
	}
	acc = 0
	for i := 255; i >= 0; i-- {
		acc += hist[i]
		if acc > w*h/10 {
			hi = i
			break
		}
	}
	minDepth := float64(hi-lo) * 0.25
	out := make([]bool, w*h)
	r := win / 2
	for y := 0; y < h; y++ {
		y0, y1 := max(0, y-r), min(h, y+r+1)
		for x := 0; x < w; x++ {
			x0, x1 := max(0, x-r), min(w, x+r+1)
			sum := ii[y1*(w+1)+x1] - ii[y0*(w+1)+x1] - ii[y1*(w+1)+x0] + ii[y0*(w+1)+x0]
			mean := float64(sum) / float64((y1-y0)*(x1-x0))
			v := float64(g.Pix[y*g.Stride+x])
			out[y*w+x] = v < mean-minDepth*0.5 && v < float64(lo)+float64(hi-lo)*0.62
		}
	}
	return out
}

// inkComponents labels 8-connected ink inside rows [top, bottom).
func inkComponents(ink []bool, w, top, bottom int) []comp {
	cs, _ := labelInk(ink, w, top, bottom)
	sort.Slice(cs, func(i, j int) bool { return cs[i].cx < cs[j].cx })
	return cs
}

// labelInk labels 8-connected ink inside rows [top, bottom); labels[i] is the
// index+1 into the returned components of pixel i of that stripe.
func labelInk(ink []bool, w, top, bottom int) ([]comp, []int32) {
	h := bottom - top
	labels := make([]int32, w*h)
	var out []comp
	stack := []int{}
	for start := 0; start < w*h; start++ {
		if !ink[top*w+start] || labels[start] != 0 {
			continue
		}
		id := int32(len(out) + 1)
		c := comp{x0: w, y0: h, x1: -1, y1: -1}
		labels[start] = id
		stack = append(stack[:0], start)
		var sx, sy float64
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := p%w, p/w
			c.n++
			sx += float64(x)
			sy += float64(y)
			c.x0, c.x1 = min(c.x0, x), max(c.x1, x)
			c.y0, c.y1 = min(c.y0, y), max(c.y1, y)
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= w || ny >= h {
						continue
					}
					q := ny*w + nx
					if ink[top*w+q] && labels[q] == 0 {
						labels[q] = id
						stack = append(stack, q)
					}
				}
			}
		}
		c.cx, c.cy = sx/float64(c.n), sy/float64(c.n)+float64(top)
		c.y0 += top
		c.y1 += top
		out = append(out, c)
	}
	return out, labels
}

// glyphInk keeps only the ink of components shaped like MRZ characters at pitch P0
// (desk edges, photo borders, guilloche strokes and specks go), so the row profile
// sees text only.
func glyphInk(ink []bool, w, h int) []bool {
	cs, labels := labelInk(ink, w, 0, h)
	keep := make([]bool, len(cs))
	for i, c := range cs {
		cw, ch := c.x1-c.x0+1, c.y1-c.y0+1
		keep[i] = ch >= P0/4 && ch <= 2*P0 && cw >= 2 && cw <= 2*P0 && c.n >= 6
	}
	out := make([]bool, w*h)
	for i, l := range labels {
		out[i] = l != 0 && keep[l-1]
	}
	return out
}

// textRows finds the text lines of a binarised band from its row profile.
func textRows(ink []bool, w, h int) [][2]int {
	prof := make([]int, h)
	peak := 0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if ink[y*w+x] {
				prof[y]++
			}
		}
		peak = max(peak, prof[y])
	}
	var rows [][2]int
	in := false
	for y := 0; y <= h; y++ {
		on := y < h && prof[y] > peak/8
		switch {
		case on && !in:
			rows = append(rows, [2]int{y, y})
			in = true
		case !on && in:
			rows[len(rows)-1][1] = y
			in = false
		}
	}
	// Drop slivers (underlines, specks) much thinner than the tallest line.
	tallest := 0
	for _, r := range rows {
		tallest = max(tallest, r[1]-r[0])
	}
	var out [][2]int
	for _, r := range rows {
		if r[1]-r[0] >= tallest/2 {
			out = append(out, r)
		}
	}
	return out
}

// glyphs keeps the components that look like MRZ characters of a line of height lh.
func glyphs(cs []comp, lh int) []comp {
	var out []comp
	for _, c := range cs {
		ch, cw := c.y1-c.y0+1, c.x1-c.x0+1
		if ch >= lh/4 && cw >= 2 && c.n >= 6 && cw < 3*lh {
			out = append(out, c)
		}
	}
	return out
}

// fitCells fits character cells, centre = a + j·b, to a line's glyph components,
// left to right, refitting as it goes so a small pitch error cannot drift by a whole
// cell before the end of a 44-character line. Components wider than a cell (glyphs
// fused by blur) take no part. An MRZ line has a glyph in every cell (fillers are
// glyphs), so the line is the longest run of occupied cells: specks and stray print
// beside it are left out. It returns the fit with a on the run's first cell, and the
// index of its last cell.
func fitCells(gs []comp, pitch float64) (a, b float64, last int, ok bool) {
	var single []comp
	for _, c := range gs {
		if float64(c.x1-c.x0+1) <= 1.1*pitch {
			single = append(single, c)
		}
	}
	if len(single) < 5 {
		return 0, 0, 0, false
	}
	bestIn := -1
	for anchor := 0; anchor < min(4, len(single)); anchor++ {
		fa, fb, in := fitFrom(single, anchor, pitch)
		if in > bestIn {
			a, b, bestIn = fa, fb, in
		}
	}
	if b < 0.7*pitch || b > 1.3*pitch {
		return 0, 0, 0, false
	}
	// Occupied cells (fused glyphs occupy several), then the longest run with gaps
	// of at most two cells (a glyph lost to noise).
	occ := map[int]bool{}
	for _, c := range gs {
		j0 := int(math.Round((float64(c.x0) + pitch*0.35 - a) / b))
		j1 := int(math.Round((float64(c.x1) - pitch*0.35 - a) / b))
		for j := j0; j <= max(j0, j1); j++ {
			occ[j] = true
		}
	}
	var js []int
	for j := range occ {
		js = append(js, j)
	}
	sort.Ints(js)
	bestS, bestE, s := js[0], js[0], js[0]
	for k := 1; k < len(js); k++ {
		if js[k]-js[k-1] > 3 {
			s = js[k]
		}
		if js[k]-s > bestE-bestS {
			bestS, bestE = s, js[k]
		}
	}
	return a + float64(bestS)*b, b, bestE - bestS, true
}

// fitFrom runs the progressive fit anchored on single[anchor]; it returns the fit
// and how many components sit on its grid.
func fitFrom(single []comp, anchor int, pitch float64) (a, b float64, inliers int) {
	a, b = single[anchor].cx, pitch
	var n, sj, sx, sjj, sjx float64
	for _, c := range single[anchor:] {
		j := math.Round((c.cx - a) / b)
		if math.Abs(c.cx-(a+j*b)) > 0.35*b {
			continue // a speck or a piece of a glyph, not a cell centre
		}
		n++
		sj += j
		sx += c.cx
		sjj += j * j
		sjx += j * c.cx
		if n >= 3 && n*sjj-sj*sj > 0 {
			b = (n*sjx - sj*sx) / (n*sjj - sj*sj)
			a = (sx - b*sj) / n
		}
	}
	for _, c := range single {
		j := math.Round((c.cx - a) / b)
		if math.Abs(c.cx-(a+j*b)) <= 0.3*b {
			inliers++
		}
	}
	return a, b, inliers
}

// prepare cuts the band out of g at the scale and angle that make the pitch P0 and
// the text horizontal, in two passes: a rough cut to measure the lines, the pitch and
// the residual skew, then the exact cut.
func prepare(g *image.Gray, b Band, upsideDown bool) (*prepared, error) {
	pitch := b.Height * 0.45 // a single fused line: its thickness is about a character
	if b.Lines >= 2 && b.LineGap > 0 {
		pitch = b.LineGap * PitchPerLineGap
	}
	angle := b.Angle
	if upsideDown {
		angle += math.Pi
	}
	s := pitch / P0
	w := int((b.Length*1.15)/s) + 4*P0
	h := int(b.Height/s) + 4*P0
	if w <= 0 || h <= 0 || w > 4000 || h > 1000 {
		return nil, errNoText
	}
	g1 := warp(g, b.CX, b.CY, angle, s, w, h)
	ink := glyphInk(binarise(g1, 2*P0+1), w, h)
	rows := textRows(ink, w, h)
	if len(rows) == 0 || len(rows) > 4 {
		return nil, fmt.Errorf("%w: %d rows", errNoText, len(rows))
	}
	if len(rows) == 4 { // a stray line above or below: keep the three lowest
		rows = rows[1:]
	}
	// Pitch, extent and skew from the character components of every line.
	var slopes, pitches []float64
	first, last := math.Inf(1), math.Inf(-1)
	maxCells := 0
	for _, r := range rows {
		gs := glyphs(inkComponents(ink, w, max(0, r[0]-P0/4), min(h, r[1]+P0/4)), r[1]-r[0])
		if len(gs) < 8 {
			continue
		}
		spacing := []float64{}
		for i := 1; i < len(gs); i++ {
			if d := gs[i].cx - gs[i-1].cx; d > 0.5*P0 && d < 1.6*P0 {
				spacing = append(spacing, d)
			}
		}
		if len(spacing) < 5 {
			continue
		}
		sort.Float64s(spacing)
		a, bp, lastCell, ok := fitCells(gs, spacing[len(spacing)/2])
		if !ok {
			continue
		}
		pitches = append(pitches, bp)
		first, last = math.Min(first, a), math.Max(last, a+float64(lastCell)*bp)
		maxCells = max(maxCells, lastCell+1)
		// Least-squares slope of the bottoms of full-height glyphs.
		var n, sx, sy, sxx, sxy float64
		lh := r[1] - r[0]
		for _, c := range gs {
			if c.y1-c.y0+1 < lh*6/10 {
				continue
			}
			x, y := c.cx, float64(c.y1)
			n++
			sx += x
			sy += y
			sxx += x * x
			sxy += x * y
		}
		if n >= 5 {
			slopes = append(slopes, (n*sxy-sx*sy)/(n*sxx-sx*sx))
		}
	}
	if len(pitches) == 0 {
		return nil, fmt.Errorf("%w: no line of regular glyphs", errNoText)
	}
	sort.Float64s(pitches)
	exact := pitches[len(pitches)/2]
	n := 44
	switch {
	case len(rows) == 3:
		n = 30
	case maxCells <= 33:
		n = 30
	case maxCells <= 40:
		n = 36
	}
	skew := 0.0
	if len(slopes) > 0 {
		sort.Float64s(slopes)
		skew = math.Atan(slopes[len(slopes)/2])
	}
	// Second, exact cut: centre on the text, pitch exactly P0. The text's extent is
	// the fitted cells when the line is complete, else n cells from the left edge.
	if maxCells != n {
		last = first + float64(n-1)*exact
	}
	mx := (first+last)/2 - float64(w)/2
	my := float64(rows[0][0]+rows[len(rows)-1][1])/2 - float64(h)/2
	ca, sa := math.Cos(angle), math.Sin(angle)
	cx := b.CX + (mx*ca-my*sa)*s
	cy := b.CY + (mx*sa+my*ca)*s
	s2 := s * exact / P0
	lineSpan := float64(rows[len(rows)-1][1]-rows[0][0]) * s / s2
	w2 := n*P0 + 3*P0
	h2 := int(lineSpan) + 2*P0
	g2 := warp(g, cx, cy, angle+skew, s2, w2, h2)
	ink2 := glyphInk(binarise(g2, 2*P0+1), w2, h2)
	rows2 := textRows(ink2, w2, h2)
	if len(rows2) != len(rows) {
		return nil, fmt.Errorf("%w: pass 2 has %d rows, pass 1 %d (skew %.3f)", errNoText, len(rows2), len(rows), skew)
	}
	p := &prepared{gray: g2, ink: ink2, n: n}
	guess := float64(w2)/2 - float64(n-1)*P0/2
	for _, r := range rows2 {
		lh := r[1] - r[0]
		gs := glyphs(inkComponents(ink2, w2, max(0, r[0]-P0/4), min(h2, r[1]+P0/4)), lh)
		a, bp, _, ok := fitCells(gs, P0)
		if !ok {
			return nil, fmt.Errorf("%w: no regular glyphs in pass 2", errNoText)
		}
		// The fit's first glyph may not be cell 0 (a lost first character): anchor
		// the cell index on where the text was centred.
		a -= math.Round((a-guess)/bp) * bp
		// Baseline: a straight line through the bottoms of full-height glyphs, with
		// one pass of outlier rejection, so residual skew does not move the cells.
		var pts [][2]float64
		for _, c := range gs {
			if c.y1-c.y0+1 >= lh*6/10 && c.x1-c.x0+1 <= 3*P0/2 {
				pts = append(pts, [2]float64{c.cx, float64(c.y1)})
			}
		}
		if len(pts) == 0 {
			return nil, errNoText
		}
		bc, bm := fitLine(pts)
		var kept [][2]float64
		for _, q := range pts {
			if math.Abs(q[1]-(bc+bm*q[0])) <= 2 {
				kept = append(kept, q)
			}
		}
		if len(kept) >= 3 {
			bc, bm = fitLine(kept)
		}
		p.lines = append(p.lines, line{top: r[0], bottom: r[1], base: bc, slope: bm, x0: a, pitch: bp})
	}
	return p, nil
}

// PitchPerLineGap is the MRZ's character pitch (2.54 mm) over its line spacing
// (4.23 mm): the locator's line gap gives the pitch before any glyph is seen.
const PitchPerLineGap = 2.54 / 4.23

// fitLine is the least-squares y = c + m·x through pts (m = 0 with fewer than two
// distinct x).
func fitLine(pts [][2]float64) (c, m float64) {
	var n, sx, sy, sxx, sxy float64
	for _, p := range pts {
		n++
		sx += p[0]
		sy += p[1]
		sxx += p[0] * p[0]
		sxy += p[0] * p[1]
	}
	if d := n*sxx - sx*sx; d > 1e-9 {
		m = (n*sxy - sx*sy) / d
	}
	return (sy - m*sx) / n, m
}
