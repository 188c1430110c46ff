package synth

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
)

// FaceParams are the features of one synthetic face. Two seeds give two
// people: the training booth shows an impostor as the page's face beside
// another live face, and an officer must tell them apart as with real ones.
type FaceParams struct {
	Skin, Hair   color.RGBA
	FaceW, FaceH float64 // the head's half-axes, fractions of the picture's width and height
	HairStyle    int     // 0 short, 1 long, 2 bald, 3 parted
	EyeGap       float64 // fraction of the face width between the eyes
	EyeSize      float64
	BrowTilt     float64
	NoseLen      float64
	MouthW       float64
	Beard        bool
	Glasses      bool
	Moustache    bool
}

// FaceOf draws the features of seed's person.
func FaceOf(seed uint64) FaceParams {
	r := rand.New(rand.NewPCG(seed, seed^0x5bd1e995))
	skins := []color.RGBA{{241, 205, 176, 255}, {224, 178, 140, 255}, {198, 144, 102, 255}, {160, 110, 75, 255}, {112, 76, 52, 255}}
	hairs := []color.RGBA{{30, 25, 20, 255}, {70, 45, 25, 255}, {120, 85, 50, 255}, {190, 160, 110, 255}, {140, 140, 140, 255}}
	return FaceParams{
		Skin: skins[r.IntN(len(skins))], Hair: hairs[r.IntN(len(hairs))],
		FaceW: 0.30 + 0.07*r.Float64(), FaceH: 0.30 + 0.06*r.Float64(),
		HairStyle: r.IntN(4), EyeGap: 0.34 + 0.16*r.Float64(), EyeSize: 0.8 + 0.5*r.Float64(),
		BrowTilt: -0.04 + 0.08*r.Float64(), NoseLen: 0.10 + 0.08*r.Float64(), MouthW: 0.28 + 0.2*r.Float64(),
		Beard: r.IntN(4) == 0, Glasses: r.IntN(4) == 0, Moustache: r.IntN(3) == 0,
	}
}

// Face renders seed's person as a w × h portrait (35:45 for an ICAO photo)
// on a plain light background. The same seed always gives the same picture.
func Face(seed uint64, w, h int) *image.RGBA {
	p := FaceOf(seed)
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fw, fh := float64(w), float64(h)
	cx, cy := 0.5*fw, 0.47*fh
	rx, ry := p.FaceW*fw, p.FaceH*fh
	bg := color.RGBA{222, 228, 234, 255}
	shirt := color.RGBA{60, 70, 95, 255}
	dark := color.RGBA{35, 30, 30, 255}
	in := func(x, y, ex, ey, ax, ay float64) bool {
		u, v := (x-ex)/ax, (y-ey)/ay
		return u*u+v*v <= 1
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			X, Y := float64(x)+0.5, float64(y)+0.5
			c := bg
			// Shoulders and neck.
			if in(X, Y, cx, fh*1.08, fw*0.52, fh*0.30) {
				c = shirt
			}
			if X > cx-rx*0.38 && X < cx+rx*0.38 && Y > cy && Y < cy+ry*1.45 {
				c = shade(p.Skin, 0.85)
			}
			// Hair behind the head.
			switch p.HairStyle {
			case 1:
				if in(X, Y, cx, cy+ry*0.2, rx*1.25, ry*1.25) && Y < cy+ry*1.3 {
					c = p.Hair
				}
			case 0, 3:
				if in(X, Y, cx, cy-ry*0.12, rx*1.08, ry*1.02) {
					c = p.Hair
				}
			}
			// The head, with an ear on each side.
			if in(X, Y, cx, cy, rx, ry) || in(X, Y, cx-rx, cy, rx*0.14, ry*0.2) || in(X, Y, cx+rx, cy, rx*0.14, ry*0.2) {
				c = p.Skin
				// Soft light from the left.
				c = shade(c, 1.04-0.12*(X-cx+rx)/(2*rx))
			}
			// Hair over the forehead.
			if p.HairStyle != 2 && in(X, Y, cx, cy-ry*0.55, rx*1.02, ry*0.5) && Y < cy-ry*0.45+0.08*ry*math.Sin((X-cx)/rx*3) {
				if p.HairStyle != 3 || math.Abs(X-(cx-rx*0.3)) > rx*0.04 {
					c = p.Hair
				}
			}
			if p.Beard && in(X, Y, cx, cy+ry*0.45, rx*0.85, ry*0.55) && Y > cy+ry*0.25 {
				c = shade(p.Hair, 1.1)
			}
			// Eyes, brows, nose, mouth.
			ex := p.EyeGap * rx
			ey := cy - ry*0.08
			es := 0.07 * rx * p.EyeSize
			for _, sx := range []float64{-1, 1} {
				if in(X, Y, cx+sx*ex, ey, es*1.6, es) {
					c = color.RGBA{250, 250, 250, 255}
				}
				if in(X, Y, cx+sx*ex, ey, es*0.7, es*0.7) {
					c = dark
				}
				by := ey - es*2.4 + sx*p.BrowTilt*(X-cx)
				if math.Abs(X-(cx+sx*ex)) < es*2 && math.Abs(Y-by) < es*0.35 {
					c = shade(p.Hair, 0.8)
				}
				if p.Glasses {
					d := math.Hypot((X-(cx+sx*ex))/(es*2.6), (Y-ey)/(es*2.2))
					if d > 0.9 && d < 1.05 {
						c = dark
					}
				}
			}
			if p.Glasses && math.Abs(Y-ey) < es*0.2 && math.Abs(X-cx) < ex-es*2.3 {
				c = dark
			}
			ny := cy + ry*p.NoseLen*2
			if math.Abs(X-cx) < rx*0.08*(Y-ey)/(ny-ey) && Y > ey && Y < ny {
				c = shade(p.Skin, 0.88)
			}
			my := cy + ry*0.45
			if p.Moustache && math.Abs(Y-(my-ry*0.08)) < ry*0.035 && math.Abs(X-cx) < rx*p.MouthW*0.9 {
				c = p.Hair
			}
			if math.Abs(Y-my-0.05*ry*math.Cos((X-cx)/(rx*p.MouthW)*1.5)) < ry*0.022 && math.Abs(X-cx) < rx*p.MouthW {
				c = color.RGBA{150, 70, 70, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func shade(c color.RGBA, f float64) color.RGBA {
	return color.RGBA{clamp(float64(c.R) * f), clamp(float64(c.G) * f), clamp(float64(c.B) * f), 255}
}
