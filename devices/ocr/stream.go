package ocr

import (
	"context"
	"errors"
	"image"
	"time"
)

// NextFrame yields the next picture of a stream (a camera.FrameSource's Frame).
type NextFrame func(ctx context.Context) (image.Image, error)

// StreamResult is the outcome of ReadStream.
type StreamResult struct {
	Reading
	Frames int  // pictures looked at
	Voted  int  // pictures whose scores went into the vote
	Done   bool // a reading validated with nothing uncertain before the timeout
}

// ReadStream reads frames until one reading — of a single frame or of the vote of
// all frames so far — passes every check with no uncertain character, or until
// timeout passes or ctx ends. The vote adds up every cell's glyph scores (and
// Tesseract's votes) over the frames of the same layout, so a character blurred in
// one frame is settled by the others; the check digits still decide validity.
// On timeout it returns the best reading it has, Done false. Errors from next end
// the stream (ErrNoMoreFrames-like ends return what was read).
func (r *Reader) ReadStream(ctx context.Context, next NextFrame, today time.Time, timeout time.Duration) (StreamResult, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var out StreamResult
	var sum [][]cellScores
	var pat *layoutPattern
	for {
		img, err := next(ctx)
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || out.Frames > 0 {
				return out, nil
			}
			return out, err
		}
		out.Frames++
		g := Gray(img)
		b, ok := Locate(g)
		if !ok {
			if !out.Found {
				out.Reason = "no MRZ band found"
			}
			continue
		}
		s, err := r.scan(g, b)
		if err != nil {
			if errors.Is(err, errNoText) {
				continue
			}
			return out, err
		}
		sc := s.sc
		var tl []string
		if r.tess != nil {
			if tl, err = r.tesseract(s.p); err != nil {
				return out, err
			}
			sc = vote(sc, tl)
		}
		// This frame alone.
		lines, res, unc, rep := settle(sc, s.pat, tl, today)
		single := Reading{Found: true, Lines: lines, MRZ: res, Uncertain: unc, Repaired: rep, Band: b, UpsideDown: s.upsideDown, Tesseract: tl}
		if res.Valid && len(unc) == 0 {
			out.Reading, out.Done = single, true
			out.Voted++
			return out, nil
		}
		// The vote: frames of another layout start it afresh (a different document).
		if pat == nil || pat != s.pat || !sameShape(sum, sc) {
			sum, pat, out.Voted = nil, s.pat, 0
		}
		sum = addScores(sum, sc)
		out.Voted++
		lines, res, unc, rep = settle(mean(sum, out.Voted), pat, nil, today)
		voted := Reading{Found: true, Lines: lines, MRZ: res, Uncertain: unc, Repaired: rep, Band: b, UpsideDown: s.upsideDown, Tesseract: tl}
		out.Reading = voted
		if res.Valid && len(unc) == 0 {
			out.Done = true
			return out, nil
		}
		if ctx.Err() != nil {
			return out, nil
		}
	}
}

func sameShape(a, b [][]cellScores) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
	}
	return true
}

// addScores adds b into a (a nil a starts as a copy of b).
func addScores(a, b [][]cellScores) [][]cellScores {
	if a == nil {
		a = make([][]cellScores, len(b))
		for i := range b {
			a[i] = append([]cellScores(nil), b[i]...)
		}
		return a
	}
	for i := range b {
		for j := range b[i] {
			for k := range b[i][j] {
				a[i][j][k] += b[i][j][k]
			}
		}
	}
	return a
}

// mean divides the summed scores by n, so the vote is judged by the same margins
// (uncertainMargin, maxRepairLoss) as a single frame.
func mean(sum [][]cellScores, n int) [][]cellScores {
	out := make([][]cellScores, len(sum))
	for i := range sum {
		out[i] = make([]cellScores, len(sum[i]))
		for j := range sum[i] {
			for k := range sum[i][j] {
				out[i][j][k] = sum[i][j][k] / float64(n)
			}
		}
	}
	return out
}
