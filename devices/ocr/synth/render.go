package synth

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/chekara/chekara/devices/ocr/ocrb"
)

// Geometry of the three layouts (ICAO 9303 parts 4–6), in millimetres. The MRZ font is
// OCR-B at 10 characters per inch; lines are 4.23 mm (1/6 inch) apart.
const (
	PitchMM   = 25.4 / 10
	lineGapMM = 25.4 / 6
)

type layout struct{ w, h, bottomMM float64 }

var layouts = map[Format]layout{
	TD1: {85.6, 53.98, 4.0},
	TD2: {105, 74, 4.5},
	TD3: {125, 88, 5.0},
}

// PageSize is the page of format f in pixels at dpi.
func PageSize(f Format, dpi float64) (w, h int) {
	l := layouts[f]
	return int(math.Round(l.w / 25.4 * dpi)), int(math.Round(l.h / 25.4 * dpi))
}

// Options are the distortions of one rendering. The zero value (with DPI set) is a
// clean, upright, straight-on scan of the page.
type Options struct {
	DPI         float64 // pixels per inch of the page; 300 when 0
	RotateDeg   float64 // clockwise rotation of the page in the picture
	UpsideDown  bool    // the page turned 180°
	Perspective float64 // largest corner displacement, as a fraction of the page width
	Margin      float64 // desk around the page, as a fraction of the page width
	Blur        float64 // Gaussian sigma in pixels
	Noise       float64 // standard deviation of Gaussian noise, in grey levels
	Contrast    float64 // 1 (or 0) full; 0.35 makes ink grey on grey paper
	Light       float64 // 0 even; 0.5 darkens one side to half the light
	Background  bool    // a tinted, printed guilloche under the whole page, MRZ included
	JPEGQuality int     // 0 = no compression; else encode and decode at this quality
	BandOnly    bool    // crop the picture to the MRZ zone (what a band reader delivers)
	// Printed is the holder's data printed above the MRZ, from the same data
	// as the MRZ, so the page shows its own traveller; nil prints a fixed
	// specimen (the OCR's training and test pictures).
	Printed *Printed
}

// Printed is what a data page prints in its visual zone.
type Printed struct {
	Title       string // "KYRGYZ REPUBLIC  PASSPORT", printed across the top
	Number      string // the document number, after the title
	Surname     string
	GivenNames  string
	Nationality string
	BirthDate   string // as printed: "14 MAR 1985"
	Sex         string
	Expiry      string // as printed
	// Photo is the seed of the holder's photo (Face), so the page shows its
	// traveller's face (the training booth's impostors have another's); 0
	// prints the plain portrait.
	Photo uint64
}

// Sample is one synthetic picture and the MRZ printed on it.
type Sample struct {
	Format Format
	Lines  []string
	Image  image.Image
}

var (
	fontsOnce sync.Once
	regular   *opentype.Font
	fontsErr  error
)

func loadFonts() error {
	fontsOnce.Do(func() {
		if _, err := ocrb.Font(); err != nil {
			fontsErr = err
			return
		}
		var err error
		if regular, err = opentype.Parse(goregular.TTF); err != nil {
			fontsErr = fmt.Errorf("synth: parse Go font: %w", err)
		}
	})
	return fontsErr
}

// Render draws lines as the MRZ of a format-f document page and applies opt. r drives
// the page decoration and the noise, so a seed fixes the picture.
func Render(r *rand.Rand, f Format, lines []string, opt Options) (image.Image, error) {
	if err := loadFonts(); err != nil {
		return nil, err
	}
	if opt.DPI == 0 {
		opt.DPI = 300
	}
	page, band, err := drawPage(r, f, lines, opt)
	if err != nil {
		return nil, err
	}
	pw, ph := page.Bounds().Dx(), page.Bounds().Dy()
	var img *image.Gray
	if opt.BandOnly {
		img = image.NewGray(image.Rect(0, 0, band.Dx(), band.Dy()))
		draw.Draw(img, img.Bounds(), page, band.Min, draw.Src)
		if opt.UpsideDown {
			rotate180(img)
		}
	} else {
		img = transform(r, page, pw, ph, opt)
	}
	if opt.Light > 0 {
		light(r, img, opt.Light)
	}
	if opt.Blur > 0 {
		img = blur(img, opt.Blur)
	}
	if opt.Noise > 0 {
		for i := range img.Pix {
			img.Pix[i] = clamp(float64(img.Pix[i]) + r.NormFloat64()*opt.Noise)
		}
	}
	if opt.JPEGQuality > 0 {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: opt.JPEGQuality}); err != nil {
			return nil, fmt.Errorf("synth: jpeg: %w", err)
		}
		return jpeg.Decode(&buf)
	}
	return img, nil
}

func clamp(v float64) uint8 {
	switch {
	case v < 0:
		return 0
	case v > 255:
		return 255
	}
	return uint8(v + 0.5)
}

// drawPage renders the upright page and returns it with the MRZ zone's rectangle.
func drawPage(r *rand.Rand, f Format, lines []string, opt Options) (*image.Gray, image.Rectangle, error) {
	l, ok := layouts[f]
	if !ok {
		return nil, image.Rectangle{}, fmt.Errorf("synth: unknown format %q", f)
	}
	mm := opt.DPI / 25.4
	w, h := PageSize(f, opt.DPI)
	paper, ink := 245.0, 25.0
	if opt.Contrast > 0 && opt.Contrast < 1 {
		mid := (paper + ink) / 2
		paper, ink = mid+(paper-mid)*opt.Contrast, mid-(mid-ink)*opt.Contrast
	}
	page := image.NewGray(image.Rect(0, 0, w, h))
	for i := range page.Pix {
		page.Pix[i] = uint8(paper)
	}
	if opt.Background {
		guilloche(r, page, paper, ink, mm)
	}
	// The holder's photo: a smooth synthetic portrait, made here.
	// Nothing but the MRZ below its clear zone (ICAO keeps it free of other print).
	mrzTop := float64(h) - (l.bottomMM+float64(len(lines)-1)*lineGapMM+5)*mm
	px0, py0 := int(0.06*float64(w)), int(0.18*float64(h))
	pw, ph := int(0.26*float64(w)), min(int(0.5*float64(h)), int(mrzTop)-py0-int(2*mm))
	var photo *image.RGBA
	if opt.Printed != nil && opt.Printed.Photo != 0 {
		photo = Face(opt.Printed.Photo, pw, ph)
	}
	for y := py0; y < py0+ph; y++ {
		for x := px0; x < px0+pw; x++ {
			if photo != nil {
				c := photo.RGBAAt(x-px0, y-py0)
				g := (299*float64(c.R) + 587*float64(c.G) + 114*float64(c.B)) / 1000
				page.SetGray(x, y, color.Gray{clamp(ink + (g-25)*(paper-ink)/230)})
				continue
			}
			u := (float64(x-px0)/float64(pw) - 0.5) / 0.32
			v := (float64(y-py0)/float64(ph) - 0.42) / 0.38
			g := 180 - 60*float64(y-py0)/float64(ph)
			if u*u+v*v < 1 {
				g = 120 + 40*u
			}
			page.SetGray(x, y, color.Gray{clamp(ink + (g-25)*(paper-ink)/220)})
		}
	}
	// Printed fields in a proportional face, so the locator meets real text too.
	inkU := image.NewUniform(color.Gray{uint8(ink)})
	label, err := opentype.NewFace(regular, &opentype.FaceOptions{Size: 2.2 * mm, DPI: 72})
	if err != nil {
		return nil, image.Rectangle{}, err
	}
	value, err := opentype.NewFace(regular, &opentype.FaceOptions{Size: 3.2 * mm, DPI: 72})
	if err != nil {
		return nil, image.Rectangle{}, err
	}
	dr := font.Drawer{Dst: page, Src: inkU}
	text := func(face font.Face, x, y float64, s string) {
		dr.Face = face
		dr.Dot = fixed.P(int(x), int(y))
		dr.DrawString(s)
	}
	fx := float64(px0 + pw + int(4*mm))
	if p := opt.Printed; p != nil {
		text(value, 0.06*float64(w), 0.10*float64(h), p.Title+"   No "+p.Number)
		fields := []string{"Surname", "Given names", "Nationality", "Date of birth", "Sex", "Date of expiry"}
		values := []string{p.Surname, p.GivenNames, p.Nationality, p.BirthDate, p.Sex, p.Expiry}
		for i := range fields {
			y := float64(py0) + float64(i)*0.085*float64(h)
			if y+7*mm > mrzTop {
				break
			}
			text(label, fx, y+2.5*mm, fields[i])
			text(value, fx, y+6*mm, values[i])
		}
	} else {
		text(value, 0.06*float64(w), 0.10*float64(h), "REPUBLIC OF UTOPIA   PASSPORT / PASSEPORT")
		fields := []string{"Surname / Nom", "Given names / Prenoms", "Nationality", "Date of birth", "Place of birth", "Date of expiry"}
		values := []string{"ERIKSSON", "ANNA MARIA", "UTOPIAN", "12 AUG 1974", "ZENITH", "15 APR 2032"}
		for i := range fields {
			y := float64(py0) + float64(i)*0.085*float64(h)
			if y+7*mm > mrzTop {
				break
			}
			text(label, fx, y+2.5*mm, fields[i])
			text(value, fx, y+6*mm, values[(i+r.IntN(2))%len(values)])
		}
	}
	// The MRZ: OCR-B at 10 cpi, bottom line l.bottomMM above the lower edge.
	face, err := ocrb.Face(PitchMM * mm)
	if err != nil {
		return nil, image.Rectangle{}, err
	}
	dr.Face = face
	n := len(lines)
	width := 0
	for _, s := range lines {
		width = max(width, len(s))
	}
	left := (l.w - float64(width)*PitchMM) / 2 * mm
	for i, s := range lines {
		base := float64(h) - (l.bottomMM+float64(n-1-i)*lineGapMM)*mm
		dr.Dot = fixed.Point26_6{X: fixed.Int26_6(left * 64), Y: fixed.Int26_6(base * 64)}
		dr.DrawString(s)
	}
	band := image.Rect(0, int(mrzTop), w, h)
	return page, band, nil
}

// guilloche prints light interleaved sine curves over the page, as security printing does.
func guilloche(r *rand.Rand, page *image.Gray, paper, ink, mm float64) {
	w, h := page.Bounds().Dx(), page.Bounds().Dy()
	tint := paper - (paper-ink)*0.22
	col := color.Gray{uint8(tint)}
	period := (6 + 4*r.Float64()) * mm
	amp := (2 + 2*r.Float64()) * mm
	for k := -5; float64(k)*1.2*mm < float64(h)+10*mm; k++ {
		phase := float64(k) * 0.7
		y0 := float64(k) * 1.2 * mm
		for x := 0; x < w; x++ {
			y := y0 + amp*math.Sin(2*math.Pi*float64(x)/period+phase)
			for t := 0; t < max(1, int(0.12*mm)); t++ {
				yy := int(y) + t
				if yy >= 0 && yy < h {
					page.SetGray(x, yy, col)
				}
			}
		}
	}
}

// transform places the page on a desk: rotation, 180° turn and perspective, by
// inverse mapping through a homography with bilinear sampling.
func transform(r *rand.Rand, page *image.Gray, pw, ph int, opt Options) *image.Gray {
	m := int(opt.Margin * float64(pw))
	cw, ch := pw+2*m, ph+2*m
	out := image.NewGray(image.Rect(0, 0, cw, ch))
	if opt.RotateDeg == 0 && !opt.UpsideDown && opt.Perspective == 0 {
		for i := range out.Pix {
			out.Pix[i] = 70
		}
		draw.Draw(out, image.Rect(m, m, m+pw, m+ph), page, image.Point{}, draw.Src)
		return out
	}
	th := opt.RotateDeg * math.Pi / 180
	if opt.UpsideDown {
		th += math.Pi
	}
	cx, cy := float64(cw)/2, float64(ch)/2
	src := [4][2]float64{{0, 0}, {float64(pw), 0}, {float64(pw), float64(ph)}, {0, float64(ph)}}
	var dst [4][2]float64
	for i, p := range src {
		x, y := p[0]-float64(pw)/2, p[1]-float64(ph)/2
		dx := x*math.Cos(th) - y*math.Sin(th) + cx
		dy := x*math.Sin(th) + y*math.Cos(th) + cy
		if opt.Perspective > 0 {
			dx += (r.Float64()*2 - 1) * opt.Perspective * float64(pw)
			dy += (r.Float64()*2 - 1) * opt.Perspective * float64(pw)
		}
		dst[i] = [2]float64{dx, dy}
	}
	hm := homography(dst, src) // canvas → page
	for y := 0; y < ch; y++ {
		for x := 0; x < cw; x++ {
			fx, fy := float64(x)+0.5, float64(y)+0.5
			d := hm[6]*fx + hm[7]*fy + 1
			u := (hm[0]*fx+hm[1]*fy+hm[2])/d - 0.5
			v := (hm[3]*fx+hm[4]*fy+hm[5])/d - 0.5
			out.Pix[y*out.Stride+x] = bilinear(page, u, v, 70)
		}
	}
	return out
}

func bilinear(g *image.Gray, u, v float64, outside uint8) uint8 {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	if u < -1 || v < -1 || u > float64(w) || v > float64(h) {
		return outside
	}
	x0, y0 := int(math.Floor(u)), int(math.Floor(v))
	fx, fy := u-float64(x0), v-float64(y0)
	at := func(x, y int) float64 {
		if x < 0 || y < 0 || x >= w || y >= h {
			return float64(outside)
		}
		return float64(g.Pix[y*g.Stride+x])
	}
	top := at(x0, y0)*(1-fx) + at(x0+1, y0)*fx
	bot := at(x0, y0+1)*(1-fx) + at(x0+1, y0+1)*fx
	return clamp(top*(1-fy) + bot*fy)
}

// homography returns the 3×3 matrix (h[8] = 1) mapping the four points from onto to.
func homography(from, to [4][2]float64) [8]float64 {
	var a [8][9]float64
	for i := 0; i < 4; i++ {
		x, y, u, v := from[i][0], from[i][1], to[i][0], to[i][1]
		a[2*i] = [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}
		a[2*i+1] = [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
	}
	for c := 0; c < 8; c++ {
		p := c
		for r := c + 1; r < 8; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		a[c], a[p] = a[p], a[c]
		for r := 0; r < 8; r++ {
			if r == c || a[c][c] == 0 {
				continue
			}
			k := a[r][c] / a[c][c]
			for j := c; j < 9; j++ {
				a[r][j] -= k * a[c][j]
			}
		}
	}
	var h [8]float64
	for i := range h {
		h[i] = a[i][8] / a[i][i]
	}
	return h
}

func rotate180(g *image.Gray) {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	for y := 0; y < (h+1)/2; y++ {
		for x := 0; x < w; x++ {
			y2, x2 := h-1-y, w-1-x
			if y2 < y || (y2 == y && x2 <= x) {
				continue
			}
			i, j := y*g.Stride+x, y2*g.Stride+x2
			g.Pix[i], g.Pix[j] = g.Pix[j], g.Pix[i]
		}
	}
}

// light darkens the picture towards one side, as a desk lamp does.
func light(r *rand.Rand, g *image.Gray, depth float64) {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	a := r.Float64() * 2 * math.Pi
	cx, cy := math.Cos(a), math.Sin(a)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			t := ((float64(x)/float64(w)-0.5)*cx + (float64(y)/float64(h)-0.5)*cy + 0.71) / 1.42
			i := y*g.Stride + x
			g.Pix[i] = clamp(float64(g.Pix[i]) * (1 - depth*t))
		}
	}
}

// blur is a separable Gaussian blur.
func blur(g *image.Gray, sigma float64) *image.Gray {
	rad := int(math.Ceil(3 * sigma))
	k := make([]float64, 2*rad+1)
	sum := 0.0
	for i := range k {
		d := float64(i - rad)
		k[i] = math.Exp(-d * d / (2 * sigma * sigma))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	tmp := make([]float64, w*h)
	for y := 0; y < h; y++ {
		row := g.Pix[y*g.Stride:]
		for x := 0; x < w; x++ {
			s := 0.0
			for i, kv := range k {
				xx := min(max(x+i-rad, 0), w-1)
				s += kv * float64(row[xx])
			}
			tmp[y*w+x] = s
		}
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			s := 0.0
			for i, kv := range k {
				yy := min(max(y+i-rad, 0), h-1)
				s += kv * tmp[yy*w+x]
			}
			out.Pix[y*out.Stride+x] = clamp(s)
		}
	}
	return out
}
