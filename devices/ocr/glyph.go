package ocr

import (
	"image"
	"image/color"
	"math"
	"sort"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"

	"github.com/chekara/chekara/devices/ocr/ocrb"
)

// Charset is the MRZ alphabet, in the order of the classifier's scores.
const Charset = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"

// The glyph classifier is the second opinion next to Tesseract. The MRZ is one
// known, monospaced font, so each character cell is compared with our own renders
// of every OCR-B glyph at the same pitch (normalised cross-correlation, which does
// not care about contrast or brightness). It is fast, knows exactly where each of the
// 30/36/44 characters sits, and gives a score for every alternative — what the
// check-digit repair needs.

const (
	tplW    = P0     // template width: exactly one character cell
	tplH    = P0 + 6 // cap height (≈ 0.98 P0) plus margins
	tplBase = P0 + 3 // baseline row inside a template
)

type template struct {
	v    []float32 // zero-mean pixel values (ink positive)
	norm float64
}

// shortlistLen is how many glyphs are tried at every shift of a cell.
const shortlistLen = 6

var allGlyphs = func() (a [len(Charset)]int) {
	for i := range a {
		a[i] = i
	}
	return a
}()

// topK returns the indexes of the k best scores.
func topK(sc *cellScores, k int) []int {
	idx := allGlyphs
	out := idx[:]
	sort.Slice(out, func(a, b int) bool { return sc[out[a]] > sc[out[b]] })
	return append([]int(nil), out[:k]...)
}

// fillWindow copies the tplW × tplH window at (left, top) of g into win, ink
// positive (white outside the picture), and returns its zero-mean norm.
func fillWindow(win []float32, g *image.Gray, w, h, left, top int) float64 {
	var sum, sum2 float64
	for y := 0; y < tplH; y++ {
		yy := top + y
		row := win[y*tplW : (y+1)*tplW]
		if yy < 0 || yy >= h {
			clear(row)
			continue
		}
		src := g.Pix[yy*g.Stride:]
		for x := range row {
			xx := left + x
			v := float32(0)
			if xx >= 0 && xx < w {
				v = 255 - float32(src[xx])
			}
			row[x] = v
			sum += float64(v)
			sum2 += float64(v) * float64(v)
		}
	}
	n := float64(len(win))
	return math.Sqrt(math.Max(sum2-sum*sum/n, 1e-9))
}

var (
	tplOnce sync.Once
	tpls    [len(Charset)]template
	tplErr  error
)

// templates renders the 37 glyphs once, slightly blurred, as a scan would be.
func templates() ([len(Charset)]template, error) {
	tplOnce.Do(func() {
		face, err := ocrb.Face(P0)
		if err != nil {
			tplErr = err
			return
		}
		for i, r := range Charset {
			img := image.NewGray(image.Rect(0, 0, tplW, tplH))
			for k := range img.Pix {
				img.Pix[k] = 255
			}
			d := font.Drawer{Dst: img, Src: image.NewUniform(color.Gray{0}), Face: face,
				Dot: fixed.Point26_6{X: 0, Y: fixed.I(tplBase)}}
			d.DrawString(string(r))
			tpls[i] = makeTemplate(blur3(img))
		}
	})
	return tpls, tplErr
}

func makeTemplate(g *image.Gray) template {
	v := make([]float64, tplW*tplH)
	mean := 0.0
	for y := 0; y < tplH; y++ {
		for x := 0; x < tplW; x++ {
			v[y*tplW+x] = 255 - float64(g.Pix[y*g.Stride+x])
			mean += v[y*tplW+x]
		}
	}
	mean /= float64(len(v))
	norm := 0.0
	v32 := make([]float32, len(v))
	for i := range v {
		v[i] -= mean
		norm += v[i] * v[i]
		v32[i] = float32(v[i])
	}
	return template{v: v32, norm: math.Sqrt(norm)}
}

// blur3 is a 3×3 binomial blur.
func blur3(g *image.Gray) *image.Gray {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	out := image.NewGray(g.Bounds())
	k := [3]int{1, 2, 1}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			s, n := 0, 0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					xx, yy := x+dx, y+dy
					if xx < 0 || yy < 0 || xx >= w || yy >= h {
						continue
					}
					wt := k[dx+1] * k[dy+1]
					s += wt * int(g.Pix[yy*g.Stride+xx])
					n += wt
				}
			}
			out.Pix[y*out.Stride+x] = uint8(s / n)
		}
	}
	return out
}

// cellScores are the classifier's scores (−1…1) for one cell, one per Charset entry.
type cellScores [len(Charset)]float64

// classify scores every cell of every line of p.
func classify(p *prepared, only int) ([][]cellScores, error) {
	ts, err := templates()
	if err != nil {
		return nil, err
	}
	g := p.gray
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	win := make([]float32, tplW*tplH)
	out := make([][]cellScores, len(p.lines))
	for li, ln := range p.lines {
		cells := p.n
		if only > 0 {
			cells = min(cells, only)
		}
		out[li] = make([]cellScores, cells)
		// The best offset of the previous cell centres the next search, so a slow
		// drift (residual skew or scale) is followed along the line.
		trackX, trackY := 0, 0
		for j := 0; j < cells; j++ {
			sc := &out[li][j]
			for k := range sc {
				sc[k] = -1
			}
			cx := ln.x0 + float64(j)*ln.pitch
			left := int(math.Round(cx-float64(tplW)/2)) + trackX
			top := int(math.Round(ln.base+ln.slope*cx)) - tplBase + trackY
			bestAll, bdx, bdy := -2.0, 0, 0
			// The first cells have no track to follow yet: search them wider.
			// Score every glyph at the tracked position, then search the shifts for
			// the few best only: the same decision at a fraction of the work (the
			// others keep their best score so far, which only makes them less likely).
			// The first cells of a line have no track yet: there every glyph is tried
			// on a coarse grid of shifts (±8 × ±4 px, step 2) before the fine search.
			try := func(dx, dy int, list []int) {
				wn := fillWindow(win, g, w, h, left+dx, top+dy)
				for _, k := range list {
					t := ts[k].v
					var dot float32
					for i, v := range win {
						dot += v * t[i]
					}
					s := float64(dot) / (wn * ts[k].norm)
					if s > sc[k] {
						sc[k] = s
					}
					if s > bestAll {
						bestAll, bdx, bdy = s, dx, dy
					}
				}
			}
			if j < 2 {
				for dy := -4; dy <= 4; dy += 2 {
					for dx := -8; dx <= 8; dx += 2 {
						try(dx, dy, allGlyphs[:])
					}
				}
			} else {
				try(0, 0, allGlyphs[:])
			}
			cx0, cy0 := bdx, bdy
			shortlist := topK(sc, shortlistLen)
			rx, ry := 2, 1
			if j < 2 {
				rx, ry = 1, 1
			}
			for dy := cy0 - ry; dy <= cy0+ry; dy++ {
				for dx := cx0 - rx; dx <= cx0+rx; dx++ {
					if dx != cx0 || dy != cy0 {
						try(dx, dy, shortlist)
					}
				}
			}
			if bestAll > 0.6 {
				trackX += bdx
				trackY += bdy
				trackX, trackY = min(max(trackX, -6), 6), min(max(trackY, -6), 6)
			}
		}
	}
	return out, nil
}
