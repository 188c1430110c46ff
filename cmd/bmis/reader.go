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

// addReaderFlags declares the flags `bmis reader` and `bmis reader-sim` share —
// the protocol with its settings, and the serial line — straight into the
// reader.Settings the booth's configuration file holds too.
func addReaderFlags(fs *flag.FlagSet) *reader.Settings {
	s := &reader.Settings{}
	fs.StringVar(&s.Protocol, "protocol", "", "reader protocol: "+strings.Join(reader.Protocols, ", ")+" (required)")
	fs.StringVar(&s.Port, "port", "", "serial port `path`, e.g. /dev/ttyUSB0 or /dev/serial/by-id/… (required)")
	fs.IntVar(&s.Baud, "baud", 9600, "baud rate")
	fs.IntVar(&s.DataBits, "data-bits", 8, "data bits, 5 to 8")
	fs.StringVar(&s.Parity, "parity", "none", "parity: none, odd or even")
	fs.IntVar(&s.StopBits, "stop-bits", 1, "stop bits, 1 or 2")
	fs.IntVar(&s.MaxFrame, "max-frame", reader.DefaultMaxFrame, "largest frame accepted, in bytes")
	fs.StringVar(&s.LineEnd, "line-end", "cr", "lines: the line end written, cr, lf or crlf (all three are read)")
	fs.IntVar(&s.ThreeMLengthWidth, "3m-length-width", 1, "3m: size of the length field in bytes, 1 or 2 (big-endian)")
	fs.StringVar(&s.ThreeMBCCFrom, "3m-bcc-from", "length", "3m: where the XOR BCC starts (it ends with ETX): length, soh or data")
	fs.StringVar(&s.ThreeMFlag, "3m-flag", "30", "3m: the flag byte written, in `hex` (any flag is read)")
	fs.IntVar(&s.ThreeMSlots, "3m-slots", 3, "3m: line slots the data is bottom-aligned in")
	fs.StringVar(&s.DeskoSOD, "desko-sod", "", "desko: the SODn bytes before STX, in `hex`, from the reader's configuration (required for desko)")
	fs.StringVar(&s.DeskoEOD, "desko-eod", "", "desko: the EODn bytes after ETX, in `hex` (required for desko)")
	fs.StringVar(&s.ElyctisRead, "elyctis-read", "49", "elyctis: command byte of a frame with the MRZ, in `hex`")
	fs.StringVar(&s.ElyctisContinuous, "elyctis-continuous", "43", "elyctis: continuous-read command byte, in `hex`")
	return s
}

// readerConfig checks the settings; the error is a sentence for stderr.
func readerConfig(s *reader.Settings) (reader.Config, error) {
	if s.Protocol == "" {
		return reader.Config{}, errors.New("--protocol is required (" + strings.Join(reader.Protocols, ", ") + ")")
	}
	c, err := s.Config()
	if err != nil {
		return c, errors.New(app.ErrorMessage(err))
	}
	return c, nil
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
	settings := addReaderFlags(fs)
	fs.StringVar(&settings.Silence, "silence", reader.DefaultSilence.String(), "inter-byte timeout: a frame with a longer gap is torn; a lines document ends after it")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bmis reader --protocol P --port PATH [flags]")
		fmt.Fprintln(stderr, "Prints one JSON object per reader event (connected, document, error, disconnected) until interrupted.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "bmis reader: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	cfg, err := readerConfig(settings)
	if err != nil {
		fmt.Fprintf(stderr, "bmis reader: %v\n", err)
		return 2
	}
	r, err := reader.New(cfg)
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
