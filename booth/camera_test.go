package booth_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/demo"
	"github.com/chekara/chekara/devices/ocr/synth"
	"github.com/chekara/chekara/internal/testenv"
	"github.com/chekara/chekara/store"
)

// writePNG saves img as dir/name.
func writePNG(t *testing.T, dir, name string, img image.Image) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

// TestCameraFolder is `--camera DIR`: a folder holding a rendered passport page
// (devices/ocr/synth) and an empty desk stands in for the desk camera. The page
// is read by the OCR through ocr.CameraSource and presented like any document;
// the camera's state reaches the status bar; the face photo is the 35:45 crop.
// No real camera is needed.
func TestCameraFolder(t *testing.T) {
	dir := t.TempDir()
	cls, _ := synth.ClassByName("clean-300dpi")
	page, err := synth.GenerateFormat(rand.New(rand.NewPCG(7, 7)), cls, synth.TD3)
	if err != nil {
		t.Fatal(err)
	}
	desk := image.NewGray(image.Rect(0, 0, 800, 600))
	for i := range desk.Pix {
		desk.Pix[i] = 90
	}
	writePNG(t, dir, "1-page.png", page.Image)
	for _, n := range []string{"2-desk.png", "3-desk.png", "4-desk.png"} {
		writePNG(t, dir, n, desk)
	}

	b, err := booth.Open(context.Background(), booth.Config{DataDir: t.TempDir(), ListsFile: "../assets/lists/demo.jsonl", Post: "DOSTUK", Booth: "DOSTUK-07",
		Store: store.Options{Argon2: store.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := demo.SeedDemo(ctx, b, nil, 0, time.Now()); err != nil {
		t.Fatal(err)
	}
	o := demo.DemoOfficers[0]
	if _, err := b.App.SignIn(ctx, o.ID, o.Password); err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.OpenShift(ctx, "DOSTUK", "DOSTUK-07", app.Entry); err != nil {
		t.Fatal(err)
	}

	cam, err := booth.OpenCamera(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cam.Close()
	if cam.GlyphOnly {
		testenv.Require(t, "Tesseract", errors.New("the OCR runs without Tesseract"))
	}
	cam.Source.Retry = 10 * time.Millisecond

	var mu sync.Mutex
	var views []*app.InspectionView
	var kinds []app.ReaderEventKind
	var face image.Image
	done := make(chan error, 1)
	go func() {
		done <- cam.Source.Run(ctx, func(ev app.ReaderEvent) {
			v, err := b.App.Present(ctx, ev) // the booth's one path
			if err != nil {
				t.Errorf("Present(%s): %v", ev.Kind, err)
			}
			var img image.Image
			if ev.Kind == app.ReaderDocument {
				_, img, _, err = cam.Face(ctx)
				if err != nil {
					t.Errorf("face: %v", err)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			kinds = append(kinds, ev.Kind)
			if v != nil {
				views = append(views, v)
				face = img
			}
			if ev.Kind == app.ReaderDisconnected { // the folder is read
				cancel()
			}
		})
	}()
	<-done
	mu.Lock()
	defer mu.Unlock()
	if len(views) != 1 {
		t.Fatalf("%d documents presented (events %v), want 1", len(views), kinds)
	}
	v := views[0]
	if got, want := strings.Join(v.Inspection.Lines, "/"), strings.Join(page.Lines, "/"); got != want {
		t.Errorf("lines %q, want %q", got, want)
	}
	if v.Inspection.Source != app.FromCamera || v.Image == nil {
		t.Errorf("source %q, page image %v", v.Inspection.Source, v.Image != nil)
	}
	// The page is recorded with the read, for the supervisor's review.
	if jpg, err := b.Store.InspectionPage(context.Background(), v.Inspection.ID); err != nil {
		t.Errorf("recorded page image: %v", err)
	} else if cfg, err := jpeg.DecodeConfig(bytes.NewReader(jpg)); err != nil || cfg.Width > 1400 || len(jpg) > app.MaxPageBytes {
		t.Errorf("recorded page image: %d bytes, %d px wide, %v", len(jpg), cfg.Width, err)
	}
	if v.Document.Valid && len(v.Uncertain) > 0 && v.Verdict.Key != app.VerdictCheckReading {
		t.Errorf("uncertain characters %v but verdict %+v", v.Uncertain, v.Verdict)
	}
	if face == nil {
		t.Fatal("no face photo")
	}
	if fb := face.Bounds(); fb.Dx()*45 > fb.Dy()*35+45 || fb.Dx()*45 < fb.Dy()*35-45 {
		t.Errorf("face photo %v is not 35:45", fb)
	}
	if got, want := kinds[0], app.ReaderConnected; got != want {
		t.Errorf("first event %s, want %s", got, want)
	}
	// The folder has ended: the status bar says the camera stopped, and the
	// reader is untouched.
	st := b.App.Status(context.Background())
	if st.Camera.State != "disconnected" || st.Reader.State != "none" {
		t.Errorf("status camera %+v reader %+v", st.Camera, st.Reader)
	}
}

// TestOpenCameraSpec: what --camera accepts, in words when it does not.
func TestOpenCameraSpec(t *testing.T) {
	tests := []struct {
		name, spec string
		code       string
	}{
		{"folder", t.TempDir(), ""},
		{"device not plugged in yet", "/dev/video-chekara-none", ""}, // Run retries and says so
		{"nothing there", filepath.Join(t.TempDir(), "nope"), app.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cam, err := booth.OpenCamera(tt.spec, nil)
			if got := app.ErrorCode(err); err != nil && got != tt.code || err == nil && tt.code != "" {
				t.Fatalf("OpenCamera(%q) = %v, want code %q", tt.spec, err, tt.code)
			}
			if cam != nil {
				defer cam.Close()
				if _, _, _, err := cam.Face(context.Background()); app.ErrorCode(err) != app.EUNAVAILABLE {
					t.Errorf("face before any frame: %v, want EUNAVAILABLE", err)
				}
			}
		})
	}
}

// TestCameraUnplugged: a device that is not there shows as a camera error in
// the status bar (retrying), not as a reader problem and not as a crash.
func TestCameraUnplugged(t *testing.T) {
	cam, err := booth.OpenCamera("/dev/video-chekara-none", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cam.Close()
	cam.Source.Retry = 10 * time.Millisecond
	bw, err := booth.Open(context.Background(), booth.Config{DataDir: t.TempDir(), Post: "DOSTUK", Booth: "DOSTUK-07",
		Store: store.Options{Argon2: store.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	defer bw.Close()
	b := bw.App
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var once sync.Once
	err = cam.Source.Run(ctx, func(ev app.ReaderEvent) {
		b.Present(ctx, ev)
		once.Do(cancel)
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v", err)
	}
	st := b.Status(context.Background())
	if st.Camera.State != "error" || !strings.Contains(st.Camera.Message, "Camera not available") || st.Reader.State != "none" {
		t.Errorf("camera %+v reader %+v", st.Camera, st.Reader)
	}
}
