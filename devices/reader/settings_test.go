package reader_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/devices/reader"
)

func TestSettingsConfig(t *testing.T) {
	var s reader.Settings
	file := `{"protocol":"desko","port":"/dev/serial/by-id/usb-DESKO","baud":19200,"parity":"even",
		"desko_sod":"0x1B 0x31","desko_eod":"1b32","silence":"250ms"}`
	if err := json.Unmarshal([]byte(file), &s); err != nil {
		t.Fatal(err)
	}
	c, err := s.Config()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Protocol.Desko.SOD, []byte{0x1b, 0x31}; !bytes.Equal(got, want) {
		t.Errorf("SOD % x, want % x", got, want)
	}
	if got, want := c.Protocol.Desko.EOD, []byte{0x1b, 0x32}; !bytes.Equal(got, want) {
		t.Errorf("EOD % x, want % x", got, want)
	}
	if c.Silence != 250*time.Millisecond || c.Serial.Baud != 19200 || c.Serial.Parity != "even" {
		t.Errorf("config %+v", c)
	}
	if _, err := reader.New(c); err != nil {
		t.Errorf("New: %v", err)
	}

	tests := []struct {
		name string
		s    reader.Settings
	}{
		{"bad hex", reader.Settings{Protocol: "desko", Port: "/dev/null", DeskoSOD: "1g", DeskoEOD: "1d"}},
		{"desko without EOD", reader.Settings{Protocol: "desko", Port: "/dev/null", DeskoSOD: "1c"}},
		{"two-byte flag", reader.Settings{Protocol: "3m", Port: "/dev/null", ThreeMFlag: "3031"}},
		{"silence", reader.Settings{Protocol: "3m", Port: "/dev/null", Silence: "soon"}},
		{"stop bits", reader.Settings{Protocol: "3m", Port: "/dev/null", StopBits: 5}},
		{"protocol", reader.Settings{Protocol: "honeywell", Port: "/dev/null"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.s.Config()
			if got, want := app.ErrorCode(err), app.EINVALID; got != want {
				t.Errorf("Config: %v (code %q), want %q", err, got, want)
			}
		})
	}
}
