package ui_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/i18n"
	"github.com/chekara/chekara/assets"
	boothpkg "github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/sync/wire"
	"github.com/chekara/chekara/ui"
	"github.com/chekara/chekara/ui/uitest"
)

// adminWindow is a booth assembled from its real parts (package booth: store,
// engines, administration) in a Fyne test window, with a post-admin (PA1)
// and an officer (K1001).
func adminWindow(t *testing.T) (*booth, *boothpkg.Booth, string) {
	t.Helper()
	test.NewTempApp(t)
	ctx := context.Background()
	dir := t.TempDir()
	bb, err := boothpkg.Open(ctx, boothpkg.Config{DataDir: dir, Post: "DOSTUK", Booth: "DOSTUK-07", Clock: &clock{today},
		Store: store.Options{Argon2: store.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bb.Close() })
	for _, o := range []app.Officer{
		{ID: "PA1", Name: "Aida Bekova", Role: app.RolePostAdmin, Language: "en"},
		{ID: "K1001", Name: "Aibek Asanov", Role: app.RoleOfficer, Language: "en"},
	} {
		if err := bb.Store.SaveOfficer(ctx, o, "pass-"+o.ID); err != nil {
			t.Fatal(err)
		}
	}
	return windowFor(t, bb), bb, dir
}

// windowFor shows booth bb in a Fyne test window.
func windowFor(t *testing.T, bb *boothpkg.Booth) *booth {
	t.Helper()
	cat, err := i18n.Load(assets.FS, "i18n")
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1366, 768))
	q := uitest.NewQueue()
	b := &booth{w: w, store: bb.Store, booth: bb.App, queue: q}
	b.ui = ui.New(w, bb.App, cat, ui.Config{Post: "DOSTUK", Booth: "DOSTUK-07", StatusEvery: -1, Do: q.Do})
	b.settle()
	return b
}

// TestAdminScreenLinked: the HQ link in detail on an enrolled booth over real
// mutual TLS — a record waiting and its age, then "Sync now" from the screen:
// nothing waiting, the last success now, the officer directory's version.
func TestAdminScreenLinked(t *testing.T) {
	test.NewTempApp(t)
	ctx := context.Background()
	h := hqtest.Start(t, hq.Config{Argon2: wire.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1}})
	data, err := h.Enrol(t, "DOSTUK-07", "DOSTUK").Marshal()
	if err != nil {
		t.Fatal(err)
	}
	bundle := filepath.Join(t.TempDir(), "dostuk-07.json")
	if err := os.WriteFile(bundle, data, 0o600); err != nil {
		t.Fatal(err)
	}
	const pw = "Zhibek-zholu-2026"
	for _, in := range []hq.OfficerInput{
		{ID: "PA1", Name: "Aida Bekova", Role: app.RolePostAdmin, Posts: []string{"DOSTUK"}, Password: pw},
		{ID: "K1001", Name: "Aibek Asanov", Role: app.RoleOfficer, Posts: []string{"DOSTUK"}, Password: pw},
	} {
		if _, err := h.AddOfficer(ctx, "test", in); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now().Truncate(time.Second) // HQ's clock is the real one
	clk := &clock{now.Add(-40 * time.Minute)}
	bb, err := boothpkg.Open(ctx, boothpkg.Config{DataDir: t.TempDir(), Enrolment: bundle, Clock: clk,
		Store: store.Options{Argon2: store.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bb.Close() })
	if err := bb.Link.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	b := windowFor(t, bb)
	b.typeLine(t, "K1001")
	b.typeLine(t, pw)
	b.typeLine(t, "") // open the shift
	b.read(t, cleanLines(t))
	b.key(ui.KeyAdmit)
	if n, err := bb.Store.Pending(ctx); err != nil || n != 1 {
		t.Fatalf("pending %d (%v), want the admission", n, err)
	}
	clk.t = now
	if err := bb.Link.Pull(ctx); err != nil { // a pull, no upload: HQ's clock seen again
		t.Fatal(err)
	}
	b.key(ui.KeyLock)
	b.tap(t, "Switch officer")
	b.typeLine(t, "PA1")
	b.typeLine(t, pw)
	b.key(ui.KeyAdmin)
	if got, want := b.ui.Screen(), ui.ScreenAdmin; got != want {
		t.Fatalf("screen %q, want %q (%s)", got, want, b.ui.Message())
	}
	link := b.ui.AdminLink()
	for label, want := range map[string]string{"State": "link up", "Records waiting": "1", "Oldest waiting": "40 min ago", "Officers": "v2", "Last error": "none"} {
		if got := link[label]; !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", label, got, want)
		}
	}
	shot(t, b, "admin-link-pending")
	b.tap(t, "Sync now")
	if got, want := b.ui.AdminResult(), "Synced with HQ."; got != want {
		t.Fatalf("sync now: %q, want %q", got, want)
	}
	link = b.ui.AdminLink()
	for label, want := range map[string]string{"Records waiting": "0", "Oldest waiting": "none waiting", "Last success": "just now", "Last attempt": "just now"} {
		if got := link[label]; !strings.Contains(got, want) {
			t.Errorf("after sync now, %s: %q, want %q", label, got, want)
		}
	}
	shot(t, b, "admin-link-synced")
}

// tap presses the button showing text, as the officer's Space or click does.
func (b *booth) tap(t *testing.T, text string) {
	t.Helper()
	test.Tap(findButton(t, b.w.Content(), text))
	b.settle()
}

// TestAdminScreen walks the booth's administration as a post-admin does it,
// by keyboard: refused to an officer; opened with Alt+B; the reader set and
// saved with Enter (a bad baud rate refused); the reader test showing what the
// reader sends without recording it; the link in detail; sync now on a booth
// working alone; a verified backup to a folder; the audit chain walked; Alt+B
// back to the shift.
func TestAdminScreen(t *testing.T) {
	b, bb, dir := adminWindow(t)
	ctx := context.Background()

	b.signIn(t, "K1001")
	if got, want := b.ui.Screen(), ui.ScreenShift; got != want {
		t.Fatalf("after sign-in: %q, want %q", got, want)
	}
	b.key(ui.KeyAdmin)
	if got, want := b.ui.Screen(), ui.ScreenShift; got != want {
		t.Errorf("an officer pressed Alt+B: screen %q, want %q", got, want)
	}
	if got, want := b.ui.Message(), "Only a post-admin opens the booth's administration."; got != want {
		t.Errorf("an officer pressed Alt+B: message %q, want %q", got, want)
	}

	b.key(ui.KeyLock)
	b.tap(t, "Switch officer")
	b.signIn(t, "PA1")
	b.key(ui.KeyAdmin)
	if got, want := b.ui.Screen(), ui.ScreenAdmin; got != want {
		t.Fatalf("a post-admin pressed Alt+B: screen %q, want %q (%s)", got, want, b.ui.Message())
	}
	link := b.ui.AdminLink()
	if got, want := link["State"], "working alone"; !strings.Contains(got, want) {
		t.Errorf("link state %q, want %q (%v)", got, want, link)
	}
	if got, want := link["Records waiting"], "0"; got != want {
		t.Errorf("records waiting %q, want %q", got, want)
	}

	// The port has focus: type it, pick the protocol, a bad baud rate first.
	b.typeLine(t, "")
	test.Type(b.focused(t), "/dev/ttyUSB0")
	b.ui.AdminField("admin.protocol", "3m")
	b.ui.AdminField("admin.baud", "fast")
	b.typeLine(t, "")
	if got, want := b.ui.AdminResult(), "The baud rate must be a positive number, like 9600."; got != want {
		t.Errorf("bad baud: %q, want %q", got, want)
	}
	b.ui.AdminField("admin.baud", "19200")
	b.typeLine(t, "")
	if got, want := b.ui.AdminResult(), "Device settings saved."; got != want {
		t.Fatalf("save: %q, want %q", got, want)
	}
	if d, err := boothpkg.LoadDevices(dir); err != nil || d.ReaderPort != "/dev/ttyUSB0" || d.ReaderProtocol != "3m" || d.ReaderBaud != 19200 {
		t.Errorf("saved %+v (%v)", d, err)
	}
	shot(t, b, "admin-devices")

	b.tap(t, "Test the reader")
	b.ui.Present(app.ReaderEvent{Kind: app.ReaderConnected})
	b.settle()
	b.ui.Present(app.ReaderEvent{Kind: app.ReaderDocument, Lines: cleanLines(t)})
	b.settle()
	b.ui.Present(app.ReaderEvent{Kind: app.ReaderDocument, Lines: invalidLines(t)})
	b.settle()
	log := b.ui.ReaderTestLog()
	for _, want := range []string{"reader connected", "document P, 2 lines, valid", "NOT valid: The document number's check digit is wrong."} {
		if !strings.Contains(log, want) {
			t.Errorf("reader test shows %q, want %q in it", log, want)
		}
	}
	if n, err := bb.Store.Pending(ctx); err != nil || n != 0 || bb.App.Current() != nil {
		t.Errorf("reader test recorded something: pending %d (%v), current %v", n, err, bb.App.Current() != nil)
	}
	shot(t, b, "admin-reader-test")
	b.tap(t, "Stop the reader test")

	b.tap(t, "Sync now")
	if got, want := b.ui.AdminResult(), "not enrolled with HQ"; !strings.Contains(got, want) {
		t.Errorf("sync now alone: %q, want %q", got, want)
	}
	usb := t.TempDir()
	b.ui.AdminField("admin.backup_folder", filepath.Join(usb, "unplugged"))
	b.tap(t, "Back up to the folder")
	if got, want := b.ui.AdminResult(), "plug the drive in"; !strings.Contains(got, want) {
		t.Errorf("backup to a missing folder: %q, want %q", got, want)
	}
	b.ui.AdminField("admin.backup_folder", usb)
	b.tap(t, "Back up to the folder")
	if got, want := b.ui.AdminResult(), "Backed up and verified"; !strings.Contains(got, want) {
		t.Errorf("backup: %q, want %q", got, want)
	}
	if fs, _ := os.ReadDir(usb); len(fs) != 1 {
		t.Errorf("%d files in the backup folder, want 1", len(fs))
	}
	shot(t, b, "admin-backup")
	b.tap(t, "Verify the audit chain")
	if got, want := b.ui.AdminResult(), "The audit chain is whole"; !strings.Contains(got, want) {
		t.Errorf("verify: %q, want %q", got, want)
	}

	b.key(ui.KeyAdmin)
	if got, want := b.ui.Screen(), ui.ScreenShift; got != want {
		t.Errorf("Alt+B again: screen %q, want %q", got, want)
	}
	// With the test off and the screen closed, a read goes to the workflow again.
	b.ui.Present(app.ReaderEvent{Kind: app.ReaderDocument, Lines: cleanLines(t)})
	b.settle()
	if b.ui.ReaderTestLog() != "" {
		t.Error("the reader test outlived its screen")
	}
}

// TestAdminScreenFits: the administration at 1366×768, in every language,
// shows its sections without the window growing.
func TestAdminScreenFits(t *testing.T) {
	for _, lang := range []string{"en", "ru", "ky"} {
		t.Run(lang, func(t *testing.T) {
			b, _, _ := adminWindow(t)
			b.signIn(t, "PA1")
			b.key(ui.KeyAdmin)
			b.ui.SetLanguage(lang) // redrawn in place
			b.settle()
			if got, want := b.ui.Screen(), ui.ScreenAdmin; got != want {
				t.Fatalf("screen %q, want %q", got, want)
			}
			if got, want := b.ui.Language(), lang; got != want {
				t.Errorf("language %q, want %q", got, want)
			}
			if got := b.w.Canvas().Size(); got.Width > 1366 || got.Height > 768 {
				t.Errorf("window grew to %v", got)
			}
			if min := b.w.Content().MinSize(); min.Height > 768 || min.Width > 1366 {
				t.Errorf("content needs %v, more than 1366×768", min)
			}
			if lang == "ky" {
				shot(t, b, "admin-ky")
			}
		})
	}
}

// TestSessionEndedByHQ: when the core signs the officer out because HQ's
// directory disabled them, the window goes back to sign-in and says why.
func TestSessionEndedByHQ(t *testing.T) {
	b, bb, _ := adminWindow(t)
	ctx := context.Background()
	b.signIn(t, "K1001")
	b.typeLine(t, "")
	if got, want := b.ui.Screen(), ui.ScreenInspect; got != want {
		t.Fatalf("screen %q, want %q", got, want)
	}
	o, err := bb.Store.Officer(ctx, "K1001")
	if err != nil {
		t.Fatal(err)
	}
	o.Disabled = true
	if err := bb.Store.SaveOfficer(ctx, o, ""); err != nil {
		t.Fatal(err)
	}
	go bb.App.OfficersChanged(ctx) // as the HQ link's goroutine does after a pull
	for b.ui.Screen() != ui.ScreenSignIn {
		b.queue.Next()()
	}
	b.settle()
	if got, want := b.ui.Message(), "K1001 was disabled at HQ or taken off this post: the session has ended"; !strings.Contains(got, want) {
		t.Errorf("message %q, want %q", got, want)
	}
	shot(t, b, "signin-disabled-at-hq")
}
