package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/devices/reader"
)

func init() {
	register(command{
		name:    "reader",
		summary: "read a document reader on a serial port; one JSON object per event until interrupted",
		run:     runReader,
	})
}

// readerLineFlags are the flags `bmis reader` and `bmis reader-sim` share: the protocol
// with its settings, and the serial line.
type readerLineFlags struct {
	protocol, port, parity, lineEnd, bccFrom string
	baud, dataBits, stopBits, maxFrame       int
	lengthWidth, slots                       int
	flag3m, sod, eod, elyRead, elyContinuous string
}

func addReaderLineFlags(fs *flag.FlagSet) *readerLineFlags {
	f := &readerLineFlags{}
	fs.StringVar(&f.protocol, "protocol", "", "reader protocol: "+strings.Join(reader.Protocols, ", ")+" (required)")
	fs.StringVar(&f.port, "port", "", "serial port `path`, e.g. /dev/ttyUSB0 or /dev/serial/by-id/… (required)")
	fs.IntVar(&f.baud, "baud", 9600, "baud rate")
	fs.IntVar(&f.dataBits, "data-bits", 8, "data bits, 5 to 8")
	fs.StringVar(&f.parity, "parity", "none", "parity: none, odd or even")
	fs.IntVar(&f.stopBits, "stop-bits", 1, "stop bits, 1 or 2")
	fs.IntVar(&f.maxFrame, "max-frame", reader.DefaultMaxFrame, "largest frame accepted, in bytes")
	fs.StringVar(&f.lineEnd, "line-end", "cr", "lines: the line end written, cr, lf or crlf (all three are read)")
	fs.IntVar(&f.lengthWidth, "3m-length-width", 1, "3m: size of the length field in bytes, 1 or 2 (big-endian)")
	fs.StringVar(&f.bccFrom, "3m-bcc-from", "length", "3m: where the XOR BCC starts (it ends with ETX): length, soh or data")
	fs.StringVar(&f.flag3m, "3m-flag", "30", "3m: the flag byte written, in `hex` (any flag is read)")
	fs.IntVar(&f.slots, "3m-slots", 3, "3m: line slots the data is bottom-aligned in")
	fs.StringVar(&f.sod, "desko-sod", "", "desko: the SODn bytes before STX, in `hex`, from the reader's configuration (required for desko)")
	fs.StringVar(&f.eod, "desko-eod", "", "desko: the EODn bytes after ETX, in `hex` (required for desko)")
	fs.StringVar(&f.elyRead, "elyctis-read", "49", "elyctis: command byte of a frame with the MRZ, in `hex`")
	fs.StringVar(&f.elyContinuous, "elyctis-continuous", "43", "elyctis: continuous-read command byte, in `hex`")
	return f
}

// readerHex reads bytes written as hex, with or without 0x and spaces: "1c", "0x1B 0x31".
func readerHex(name, s string) ([]byte, error) {
	s = strings.NewReplacer("0x", "", "0X", "", " ", "", ",", "").Replace(s)
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("--%s %q is not hex bytes", name, s)
	}
	return b, nil
}

func readerHexByte(name, s string) (byte, error) {
	b, err := readerHex(name, s)
	if err == nil && len(b) != 1 {
		err = fmt.Errorf("--%s %q must be one byte", name, s)
	}
	if err != nil {
		return 0, err
	}
	return b[0], nil
}

// config turns the flags into the protocol and serial settings, checked.
func (f *readerLineFlags) config() (reader.Protocol, reader.Serial, error) {
	p := reader.Protocol{
		Name:     f.protocol,
		MaxFrame: f.maxFrame,
		Lines:    reader.LinesOptions{End: f.lineEnd},
		ThreeM:   reader.ThreeMOptions{LengthWidth: f.lengthWidth, BCCFrom: f.bccFrom, Slots: f.slots},
	}
	s := reader.Serial{Port: f.port, Baud: f.baud, DataBits: f.dataBits, Parity: f.parity, StopBits: f.stopBits}
	if f.protocol == "" {
		return p, s, errors.New("--protocol is required (" + strings.Join(reader.Protocols, ", ") + ")")
	}
	var err error
	if p.ThreeM.Flag, err = readerHexByte("3m-flag", f.flag3m); err != nil {
		return p, s, err
	}
	if p.Elyctis.Read, err = readerHexByte("elyctis-read", f.elyRead); err != nil {
		return p, s, err
	}
	if p.Elyctis.Continuous, err = readerHexByte("elyctis-continuous", f.elyContinuous); err != nil {
		return p, s, err
	}
	if f.protocol == reader.ProtocolDesko {
		if p.Desko.SOD, err = readerHex("desko-sod", f.sod); err != nil {
			return p, s, err
		}
		if p.Desko.EOD, err = readerHex("desko-eod", f.eod); err != nil {
			return p, s, err
		}
	}
	if err := p.Validate(); err != nil {
		return p, s, errors.New(app.ErrorMessage(err))
	}
	if err := s.Validate(); err != nil {
		return p, s, errors.New(app.ErrorMessage(err))
	}
	return p, s, nil
}

// readerEvent is one line of `bmis reader` output.
type readerEvent struct {
	Event   string      `json:"event"`
	Lines   []string    `json:"lines,omitempty"`
	MRZ     *mrz.Result `json:"mrz,omitempty"`
	Message string      `json:"message,omitempty"`
	Raw     string      `json:"raw,omitempty"` // the frame's bytes in hex
}

// runReader prints the reader's events, each document with its MRZ judged as
// `bmis mrz` does, until interrupted (exit 0). Bad flags exit 2.
func runReader(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("reader", flag.ContinueOnError)
	fs.SetOutput(stderr)
	lf := addReaderLineFlags(fs)
	silence := fs.Duration("silence", reader.DefaultSilence, "inter-byte timeout: a frame with a longer gap is torn; a lines document ends after it")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bmis reader --protocol P --port PATH [flags]")
		fmt.Fprintln(stderr, "Prints one JSON object per reader event (connected, document, error, disconnected) until interrupted.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "bmis reader: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	p, s, err := lf.config()
	if err != nil {
		fmt.Fprintf(stderr, "bmis reader: %v\n", err)
		return 2
	}
	r, err := reader.New(reader.Config{Protocol: p, Serial: s, Silence: *silence})
	if err != nil {
		fmt.Fprintf(stderr, "bmis reader: %s\n", app.ErrorMessage(err))
		return 2
	}
	var mu sync.Mutex // deliver is called from one goroutine, but stay safe if that changes
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false) // MRZ lines are full of '<'
	err = r.Run(ctx, func(ev app.ReaderEvent) {
		out := readerEvent{Event: string(ev.Kind), Lines: ev.Lines, Message: ev.Message}
		if len(ev.Raw) > 0 {
			out.Raw = hex.EncodeToString(ev.Raw)
		}
		if ev.Kind == app.ReaderDocument {
			res := mrz.Parse(ev.Lines, ev.At)
			out.MRZ = &res
		}
		mu.Lock()
		defer mu.Unlock()
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "bmis reader: %v\n", err)
		}
	})
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintf(stderr, "bmis reader: %v\n", err)
		return 1
	}
	return 0
}

// readerNonNegative checks a duration flag.
func readerNonNegative(name string, d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("--%s must not be negative", name)
	}
	return nil
}
