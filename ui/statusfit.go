package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// fitRow lays the status bar's labels out side by side, each as wide as its
// words need and the room left shared evenly, so a long part (HQ's state in
// Russian, "connected, last sync 15:04 (3 min ago)") is never cut while a
// short one has room to spare. Only when all of them together are wider
// than the window are they narrowed, in proportion. Its minimum width is
// nothing: the bar never widens the window.
type fitRow struct{ labels []*widget.Label }

// need is the width l's text takes, padding included.
func need(l *widget.Label) float32 {
	size := theme.Size(l.SizeName)
	if l.SizeName == "" {
		size = theme.TextSize()
	}
	return fyne.MeasureText(l.Text, size, l.TextStyle).Width + 2*theme.InnerPadding() + 1
}

func (r fitRow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	gap := theme.Padding()
	avail := size.Width - gap*float32(len(r.labels)-1)
	var sum float32
	needs := make([]float32, len(r.labels))
	for i, l := range r.labels {
		needs[i] = need(l)
		sum += needs[i]
	}
	x := float32(0)
	for i, l := range r.labels {
		w := needs[i] + (avail-sum)/float32(len(r.labels))
		if sum > avail {
			w = needs[i] * avail / sum
		}
		l.Move(fyne.NewPos(x, 0))
		l.Resize(fyne.NewSize(w, size.Height))
		x += w + gap
	}
}

func (r fitRow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, l := range r.labels {
		h = max(h, l.MinSize().Height)
	}
	return fyne.NewSize(0, h)
}
