package booth_test

import (
	"bytes"
	"context"
	"database/sql"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/devices/camera"
)

// TestFacePhotoIsRecordedWithTheRead is the booth's path with `--camera DIR`:
// a document comes from the reader, the face photo is taken from the desk
// camera (a folder holding one picture of the traveller) before the document
// is presented, and Present records it with the read. The photo on record is
// the picture the officer is shown, and the audit chain vouches for it. A
// document Present refuses (nobody signed in) leaves no photo behind.
func TestFacePhotoIsRecordedWithTheRead(t *testing.T) {
	b, _ := openDemo(t)
	dir := t.TempDir()
	// A traveller picture no crop of another could match: a colour gradient.
	face := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for y := range 480 {
		for x := range 640 {
			face.Set(x, y, color.RGBA{uint8(x / 3), uint8(y / 2), uint8((x + y) / 5), 255})
		}
	}
	writePNG(t, dir, "1-traveller.png", face)

	cam, err := booth.OpenCamera(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cam.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	doc := td3(t, mrz.Fields{DocumentCode: "P", IssuingState: "UZB", Surname: "KARIMOVA", GivenNames: "DILNOZA",
		DocumentNumber: "FA7700123", Nationality: "UZB", BirthDate: "900412", Sex: "F", ExpiryDate: "310101"})
	var (
		v        *app.InspectionView
		shown    image.Image
		photo    []byte
		presErr  error
		refused  error
		faceErrs []error
	)
	err = cam.Source.Run(ctx, func(ev app.ReaderEvent) {
		if ev.Kind != app.ReaderConnected || v != nil {
			cancel() // the camera is open once; the folder's end stops the test
			return
		}
		// The one path: Present takes the photo from the booth's camera and
		// records it with the read.
		b.App.Faces = cam
		v, presErr = b.App.Present(ctx, doc)
		if v != nil {
			shown, photo = v.Face, v.Inspection.Photo
			if v.FaceError != nil {
				faceErrs = append(faceErrs, v.FaceError)
			}
		}

		// Signed out: Present refuses the document, so nothing is recorded.
		if err := b.App.SignOut(ctx); err != nil {
			t.Error(err)
		}
		_, refused = b.App.Present(ctx, doc)
	})
	if ctx.Err() == nil {
		t.Fatalf("camera Run = %v", err)
	}
	if len(faceErrs) > 0 || presErr != nil || v == nil || photo == nil {
		t.Fatalf("face %v, Present = %v, %v", faceErrs, v, presErr)
	}
	if app.ErrorCode(refused) != app.EUNAUTHORIZED {
		t.Errorf("Present signed out = %v, want EUNAUTHORIZED", refused)
	}

	stored, err := b.Store.Photo(context.Background(), v.Inspection.ID)
	if err != nil {
		t.Fatalf("Photo(%s): %v", v.Inspection.ID, err)
	}
	if !bytes.Equal(stored.JPEG, photo) || !bytes.Equal(v.Inspection.Photo, photo) {
		t.Fatalf("stored photo %d bytes, taken %d, in the view %d: not the same", len(stored.JPEG), len(photo), len(v.Inspection.Photo))
	}
	got, err := jpeg.Decode(bytes.NewReader(stored.JPEG))
	if err != nil {
		t.Fatal(err)
	}
	// The stored photo is the shown one, pixel for pixel.
	if got.Bounds() != shown.Bounds() {
		t.Fatalf("stored %v, shown %v", got.Bounds(), shown.Bounds())
	}
	for y := got.Bounds().Min.Y; y < got.Bounds().Max.Y; y++ {
		for x := got.Bounds().Min.X; x < got.Bounds().Max.X; x++ {
			if got.At(x, y) != shown.At(x, y) {
				t.Fatalf("pixel (%d,%d): stored %v, shown %v", x, y, got.At(x, y), shown.At(x, y))
			}
		}
	}
	// And it is the camera's 35:45 crop of the traveller's picture (JPEG
	// loses a little: compare the centre within a margin).
	want := camera.FaceCrop(face)
	if got.Bounds().Size() != want.Bounds().Size() {
		t.Fatalf("photo %v, want the crop %v", got.Bounds().Size(), want.Bounds().Size())
	}
	c := want.Bounds().Size().Div(2)
	gr, gg, gb, _ := got.At(c.X, c.Y).RGBA()
	wr, wg, wb, _ := want.At(c.X, c.Y).RGBA()
	for _, d := range []int{int(gr>>8) - int(wr>>8), int(gg>>8) - int(wg>>8), int(gb>>8) - int(wb>>8)} {
		if d < -12 || d > 12 {
			t.Errorf("centre pixel %v, want about %v", got.At(c.X, c.Y), want.At(c.X, c.Y))
			break
		}
	}
	// One photo on record: the refused document's was not kept.
	db, err := sql.Open("sqlite", "file:"+b.Store.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM photos").Scan(&n); err != nil || n != 1 {
		t.Errorf("%d photos on record (%v), want 1", n, err)
	}
	if check, err := b.Store.CheckAudit(context.Background()); err != nil || check.FirstBroken != 0 {
		t.Errorf("CheckAudit = %+v, %v", check, err)
	}
}
