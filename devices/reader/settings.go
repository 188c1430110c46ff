package reader

import (
	"encoding/hex"
	"strings"
	"time"

	"github.com/chekara/chekara/app"
)

// Settings is a reader's configuration as an administrator writes it — in the
// booth's configuration file or on the bmis command line — with byte values in
// hex and durations as text ("100ms"). Empty or zero fields take the defaults
// documented on Protocol, Serial and Config. Config turns it into a Config.
type Settings struct {
	Protocol string `json:"protocol"` // lines, 3m, desko, elyctis
	Port     string `json:"port"`     // e.g. /dev/serial/by-id/usb-…
	Baud     int    `json:"baud,omitempty"`
	DataBits int    `json:"data_bits,omitempty"`
	Parity   string `json:"parity,omitempty"` // none, odd, even
	StopBits int    `json:"stop_bits,omitempty"`
	MaxFrame int    `json:"max_frame,omitempty"`
	Silence  string `json:"silence,omitempty"` // inter-byte timeout, e.g. "100ms"

	LineEnd           string `json:"line_end,omitempty"` // lines: cr, lf, crlf
	ThreeMLengthWidth int    `json:"3m_length_width,omitempty"`
	ThreeMBCCFrom     string `json:"3m_bcc_from,omitempty"` // length, soh, data
	ThreeMFlag        string `json:"3m_flag,omitempty"`     // one byte in hex, e.g. "30"
	ThreeMSlots       int    `json:"3m_slots,omitempty"`
	DeskoSOD          string `json:"desko_sod,omitempty"`          // hex, e.g. "1c"; required for desko
	DeskoEOD          string `json:"desko_eod,omitempty"`          // hex; required for desko
	ElyctisRead       string `json:"elyctis_read,omitempty"`       // one byte in hex, default "49"
	ElyctisContinuous string `json:"elyctis_continuous,omitempty"` // one byte in hex, default "43"
}

// Config checks the settings and returns the driver's configuration. Returns an
// EINVALID app.Error naming the first setting that cannot work.
func (s Settings) Config() (Config, error) {
	c := Config{
		Protocol: Protocol{
			Name:     s.Protocol,
			MaxFrame: s.MaxFrame,
			Lines:    LinesOptions{End: s.LineEnd},
			ThreeM:   ThreeMOptions{LengthWidth: s.ThreeMLengthWidth, BCCFrom: s.ThreeMBCCFrom, Slots: s.ThreeMSlots},
		},
		Serial: Serial{Port: s.Port, Baud: s.Baud, DataBits: s.DataBits, Parity: s.Parity, StopBits: s.StopBits},
	}
	var err error
	if c.Protocol.ThreeM.Flag, err = hexByte("3m flag", s.ThreeMFlag); err != nil {
		return c, err
	}
	if c.Protocol.Elyctis.Read, err = hexByte("elyctis read command", s.ElyctisRead); err != nil {
		return c, err
	}
	if c.Protocol.Elyctis.Continuous, err = hexByte("elyctis continuous-read command", s.ElyctisContinuous); err != nil {
		return c, err
	}
	if c.Protocol.Desko.SOD, err = hexBytes("desko SOD", s.DeskoSOD); err != nil {
		return c, err
	}
	if c.Protocol.Desko.EOD, err = hexBytes("desko EOD", s.DeskoEOD); err != nil {
		return c, err
	}
	if s.Silence != "" {
		if c.Silence, err = time.ParseDuration(s.Silence); err != nil || c.Silence <= 0 {
			return c, app.Errorf(app.EINVALID, "reader: silence %q is not a duration like 100ms", s.Silence)
		}
	}
	if err := c.Protocol.Validate(); err != nil {
		return c, err
	}
	return c, c.Serial.Validate()
}

// hexBytes reads bytes written in hex, with or without 0x and spaces: "1c",
// "1b31", "0x1B 0x31". Empty gives nil.
func hexBytes(what, s string) ([]byte, error) {
	clean := strings.NewReplacer("0x", "", "0X", "", " ", "", ",", "").Replace(s)
	b, err := hex.DecodeString(clean)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "reader: %s %q is not bytes in hex (like 1c or 1b31)", what, s)
	}
	if len(b) == 0 {
		return nil, nil
	}
	return b, nil
}

// hexByte reads one byte in hex; empty gives 0, which means the default.
func hexByte(what, s string) (byte, error) {
	b, err := hexBytes(what, s)
	if err != nil {
		return 0, err
	}
	if len(b) > 1 {
		return 0, app.Errorf(app.EINVALID, "reader: %s %q must be one byte in hex", what, s)
	}
	if len(b) == 0 {
		return 0, nil
	}
	return b[0], nil
}
