package reader_test

import (
	"context"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/devices/reader"
	"github.com/chekara/chekara/devices/reader/readertest"
)

// BenchmarkLatency measures, over a pty, the time from the write of a frame's
// last byte to the document event leaving the driver (issue 4: p99 ≤ 5 ms).
// The rest of the frame is written first, as a reader sends it.
func BenchmarkLatency(b *testing.B) {
	td3 := specimens(b)[3]
	for _, p := range protocols() {
		b.Run(label(p), func(b *testing.B) {
			port := readertest.NewPort(b, b.TempDir(), "reader")
			go io.Copy(io.Discard, port.Master()) // what the driver sends (Elyctis re-arming)
			r, err := reader.New(reader.Config{Protocol: p, Serial: reader.Serial{Port: port.Path, Baud: 115200}, Silence: time.Second})
			if err != nil {
				b.Fatal(err)
			}
			docs := make(chan time.Time, 1)
			connected := make(chan struct{}, 1)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() {
				defer close(done)
				r.Run(ctx, func(ev app.ReaderEvent) {
					switch ev.Kind {
					case app.ReaderDocument:
						docs <- time.Now()
					case app.ReaderConnected:
						connected <- struct{}{}
					default:
						b.Errorf("unexpected %s event: %s", ev.Kind, ev.Message)
					}
				})
			}()
			defer func() { cancel(); <-done }()
			<-connected
			frame := encode(b, p, td3)
			head, last := frame[:len(frame)-1], frame[len(frame)-1:]
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for range b.N {
				port.Write(head)
				t0 := time.Now()
				port.Write(last)
				lat = append(lat, (<-docs).Sub(t0))
			}
			b.StopTimer()
			slices.Sort(lat)
			ms := func(q float64) float64 {
				return float64(lat[min(len(lat)-1, int(q*float64(len(lat))))]) / float64(time.Millisecond)
			}
			b.ReportMetric(ms(0.50), "p50_ms")
			b.ReportMetric(ms(0.99), "p99_ms")
			b.ReportMetric(ms(1), "max_ms")
		})
	}
}

// BenchmarkDecode is the framers' own cost: one TD3 frame, fed whole.
func BenchmarkDecode(b *testing.B) {
	td3 := specimens(b)[3]
	for _, p := range protocols() {
		b.Run(label(p), func(b *testing.B) {
			frame := encode(b, p, td3)
			d := p.NewDecoder()
			b.SetBytes(int64(len(frame)))
			b.ReportAllocs()
			for range b.N {
				if fs := d.Feed(frame); len(fs) != 1 || fs[0].Err != nil {
					b.Fatalf("frames %+v", fs)
				}
			}
		})
	}
}
