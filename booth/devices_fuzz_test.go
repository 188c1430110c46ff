package booth_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/booth"
)

// FuzzLoadDevices: whatever devices.json holds (edited by hand, torn, left by
// another release), the booth reads it or says it is damaged — never a panic
// — and settings that pass CheckDevices build a reader config.
func FuzzLoadDevices(f *testing.F) {
	f.Add([]byte(`{"reader_port":"/dev/ttyUSB0","reader_protocol":"3m","reader_baud":9600,"camera":""}`))
	f.Add([]byte(`{"reader_port":"/dev/ttyUSB0","reader_protocol":"desko"}`))
	f.Add([]byte(`{"reader_baud":-1}`))
	f.Add([]byte(`{`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, booth.DevicesFile), data, 0o600); err != nil {
			t.Fatal(err)
		}
		d, err := booth.LoadDevices(dir)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("damaged settings: %v, want EINVALID", err)
			}
			return
		}
		_ = booth.CheckDevices(d) // a sentence or nil, never a panic
	})
}
