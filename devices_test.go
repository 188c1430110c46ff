package main

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/booth"
)

// TestDevicesSavedWinOverFlags: a booth started with --reader-port shows that
// reader on the administration screen until the post-admin saves settings;
// from then on the saved ones are the booth's at every start, whatever the
// command line says.
func TestDevicesSavedWinOverFlags(t *testing.T) {
	dir := t.TempDir()
	open := func() *Main {
		t.Helper()
		m := NewMain(Config{DataDir: dir, Post: "DOSTUK", Booth: "DOSTUK-07", ReaderPort: "/dev/ttyFLAG0", ReaderProtocol: "3m", ReaderBaud: 9600})
		m.fapp = test.NewTempApp(t)
		if err := m.Open(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { m.Close() })
		return m
	}
	m := open()
	got, err := m.booth.Admin.Devices(m.ctx)
	if want := (app.DeviceSettings{ReaderPort: "/dev/ttyFLAG0", ReaderProtocol: "3m", ReaderBaud: 9600}); err != nil || got != want {
		t.Fatalf("before saving: %+v (%v), want the flags' %+v", got, err, want)
	}
	saved := app.DeviceSettings{ReaderPort: "/dev/ttySAVED0", ReaderProtocol: "lines", ReaderBaud: 19200}
	if err := m.booth.Admin.SaveDevices(m.ctx, saved); err != nil {
		t.Fatal(err)
	}
	if m.source == nil {
		t.Error("no reader running after saving one")
	}
	m.Close()

	if _, err := os.Stat(filepath.Join(dir, booth.DevicesFile)); err != nil {
		t.Fatal(err)
	}
	m = open()
	if got := m.cfg; got.ReaderPort != saved.ReaderPort || got.ReaderProtocol != saved.ReaderProtocol || got.ReaderBaud != saved.ReaderBaud {
		t.Errorf("restarted with %s %s %d, want the saved %+v", got.ReaderPort, got.ReaderProtocol, got.ReaderBaud, saved)
	}
	if got, err := m.booth.Admin.Devices(m.ctx); err != nil || got != saved {
		t.Errorf("the screen shows %+v (%v), want the saved %+v", got, err, saved)
	}
}
