package synth

import (
	"math/rand/v2"
	"time"
)

// Class is one kind of picture the accuracy report and the tests measure.
type Class struct {
	Name string
	// Degraded marks the classes the "≥ 95 % of degraded renders" figure is
	// about (rotation ≤ 5°, blur, noise, JPEG quality 50).
	Degraded bool
	Options  func(r *rand.Rand) Options
}

// Classes are the distortion classes, in report order. Each draws its own random
// strength from r, so a seed fixes the whole report.
var Classes = []Class{
	{Name: "clean-300dpi", Options: func(r *rand.Rand) Options { return Options{DPI: 300} }},
	{Name: "band-300dpi", Options: func(r *rand.Rand) Options { return Options{DPI: 300, BandOnly: true} }},
	{Name: "rotated-5", Degraded: true, Options: func(r *rand.Rand) Options {
		return Options{DPI: 300, RotateDeg: r.Float64()*10 - 5, Margin: 0.06}
	}},
	{Name: "blur", Degraded: true, Options: func(r *rand.Rand) Options {
		return Options{DPI: 300, Blur: 0.8 + 0.8*r.Float64()}
	}},
	{Name: "noise", Degraded: true, Options: func(r *rand.Rand) Options {
		return Options{DPI: 300, Noise: 15 + 10*r.Float64()}
	}},
	{Name: "jpeg-50", Degraded: true, Options: func(r *rand.Rand) Options { return Options{DPI: 300, JPEGQuality: 50} }},
	{Name: "degraded-all", Degraded: true, Options: func(r *rand.Rand) Options {
		return Options{DPI: 300, RotateDeg: r.Float64()*10 - 5, Margin: 0.06, Blur: 0.9, Noise: 12, JPEGQuality: 50}
	}},
	{Name: "perspective", Options: func(r *rand.Rand) Options {
		return Options{DPI: 300, Perspective: 0.025, Margin: 0.08, RotateDeg: r.Float64()*4 - 2}
	}},
	{Name: "low-contrast+light", Options: func(r *rand.Rand) Options {
		return Options{DPI: 300, Contrast: 0.35, Light: 0.45}
	}},
	{Name: "background", Options: func(r *rand.Rand) Options { return Options{DPI: 300, Background: true} }},
	{Name: "upside-down", Options: func(r *rand.Rand) Options {
		return Options{DPI: 300, UpsideDown: true, RotateDeg: r.Float64()*4 - 2, Margin: 0.04}
	}},
	{Name: "rotated-10", Options: func(r *rand.Rand) Options {
		return Options{DPI: 300, RotateDeg: r.Float64()*20 - 10, Margin: 0.12}
	}},
	{Name: "150dpi", Options: func(r *rand.Rand) Options { return Options{DPI: 150} }},
	{Name: "600dpi", Options: func(r *rand.Rand) Options { return Options{DPI: 600} }},
}

// Today is the fixed "today" of generated documents, so dates do not drift.
var Today = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// Generate makes one sample of class c with a random format and MRZ.
func Generate(r *rand.Rand, c Class) (Sample, error) {
	f := Formats[r.IntN(len(Formats))]
	return GenerateFormat(r, c, f)
}

// GenerateFormat makes one sample of class c and format f.
func GenerateFormat(r *rand.Rand, c Class, f Format) (Sample, error) {
	lines := RandomMRZ(r, f, Today)
	img, err := Render(r, f, lines, c.Options(r))
	if err != nil {
		return Sample{}, err
	}
	return Sample{Format: f, Lines: lines, Image: img}, nil
}

// ClassByName returns the class called name.
func ClassByName(name string) (Class, bool) {
	for _, c := range Classes {
		if c.Name == name {
			return c, true
		}
	}
	return Class{}, false
}
