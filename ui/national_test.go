package ui_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/ui"
)

type national func(ctx context.Context, q app.HistoryQuery) ([]app.Crossing, error)

func (f national) NationalHistory(ctx context.Context, q app.HistoryQuery) ([]app.Crossing, error) {
	return f(ctx, q)
}

// texts is every label's text in the window, joined by newlines.
func texts(w fyne.Window) string {
	var out []string
	walk(w.Content(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && l.Visible() {
			out = append(out, l.Text)
		}
	})
	return strings.Join(out, "\n")
}

// waitFor polls the window until it shows want (the update reaches it through
// fyne.Do from the booth's goroutine).
func waitFor(t *testing.T, b *booth, want string) {
	t.Helper()
	w := b.w
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(texts(w), want) {
		if time.Now().After(deadline) {
			t.Fatalf("the window never showed %q; it shows:\n%s", want, texts(w))
		}
		time.Sleep(10 * time.Millisecond)
		b.settle() // the update reaches the window through its queue
	}
}

// TestNationalHistoryPanel: the screen comes with this booth's history and
// says HQ is being asked; when HQ answers, the history panel and the stay are
// drawn again with the line recorded at another post, marked as from HQ.
func TestNationalHistoryPanel(t *testing.T) {
	tests := []struct {
		name  string
		hq    func(release <-chan struct{}) ([]app.Crossing, error)
		wait  time.Duration
		shows []string
	}{
		{"HQ answers", func(release <-chan struct{}) ([]app.Crossing, error) {
			<-release
			return []app.Crossing{{ID: "m1", Post: "MANAS", Booth: "MANAS-01", Direction: app.Entry, Decision: app.Admit,
				BoothTime: today.AddDate(0, -1, 0)}}, nil
		}, time.Second, []string{"MANAS · admitted · HQ"}},
		{"HQ silent", func(release <-chan struct{}) ([]app.Crossing, error) {
			<-release
			time.Sleep(time.Second)
			return nil, nil
		}, 100 * time.Millisecond, []string{"National history unavailable — only this booth's records are shown."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBooth(t, ui.Config{})
			release := make(chan struct{})
			b.booth.National = national(func(ctx context.Context, q app.HistoryQuery) ([]app.Crossing, error) {
				return tt.hq(release)
			})
			b.booth.NationalWait = tt.wait
			b.ready(t)
			b.read(t, cleanLines(t))
			waitFor(t, b, "Asking HQ for national history…")
			close(release)
			for _, want := range tt.shows {
				waitFor(t, b, want)
			}
			if strings.Contains(texts(b.w), "Asking HQ") {
				t.Errorf("still asking after the update")
			}
		})
	}
}
