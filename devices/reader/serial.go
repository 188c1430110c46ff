package reader

import (
	"context"
	"fmt"
	"time"

	"go.bug.st/serial"

	"github.com/chekara/chekara/app"
)

// Serial is the serial line a reader (or the simulator) is on. Zero values are
// the defaults given on the fields.
type Serial struct {
	// Port is the device path, e.g. /dev/ttyUSB0 or, better, the stable udev name
	// /dev/serial/by-id/usb-…, which comes back under the same name after an
	// unplug. A pty path works too (ptys are never listed by port enumeration).
	Port     string
	Baud     int    // default 9600
	DataBits int    // 5–8, default 8
	Parity   string // "none" (default), "odd" or "even"
	StopBits int    // 1 (default) or 2
}

// Validate checks the settings. Returns an EINVALID app.Error naming the setting.
func (s Serial) Validate() error {
	_, err := s.mode()
	return err
}

// mode builds the go.bug.st/serial mode. InitialStatusBits stays nil on purpose:
// setting it makes Open fail on ports without modem lines (ptys, some USB
// adapters), and readers need neither DTR nor RTS.
func (s Serial) mode() (*serial.Mode, error) {
	if s.Port == "" {
		return nil, app.Errorf(app.EINVALID, "reader: no serial port given")
	}
	m := &serial.Mode{BaudRate: 9600, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit}
	if s.Baud < 0 {
		return nil, app.Errorf(app.EINVALID, "reader: baud rate %d is not a speed", s.Baud)
	} else if s.Baud > 0 {
		m.BaudRate = s.Baud
	}
	if s.DataBits != 0 && (s.DataBits < 5 || s.DataBits > 8) {
		return nil, app.Errorf(app.EINVALID, "reader: data bits must be 5 to 8, not %d", s.DataBits)
	} else if s.DataBits != 0 {
		m.DataBits = s.DataBits
	}
	switch s.Parity {
	case "", "none":
	case "odd":
		m.Parity = serial.OddParity
	case "even":
		m.Parity = serial.EvenParity
	default:
		return nil, app.Errorf(app.EINVALID, "reader: parity %q is not none, odd or even", s.Parity)
	}
	switch s.StopBits {
	case 0, 1:
	case 2:
		m.StopBits = serial.TwoStopBits
	default:
		return nil, app.Errorf(app.EINVALID, "reader: stop bits must be 1 or 2, not %d", s.StopBits)
	}
	return m, nil
}

// open opens the port in raw mode.
func (s Serial) open() (serial.Port, error) {
	m, err := s.mode()
	if err != nil {
		return nil, err
	}
	p, err := serial.Open(s.Port, m)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", s.Port, err)
	}
	return p, nil
}

// Defaults of Config.
const (
	DefaultSilence    = 100 * time.Millisecond
	DefaultMinBackoff = 100 * time.Millisecond
	DefaultMaxBackoff = 5 * time.Second
)

// Config is what the booth's configuration says about its document reader.
type Config struct {
	Protocol Protocol
	Serial   Serial
	// Silence is the inter-byte timeout: a frame with a gap this long is torn, and
	// a "lines" document without a closing empty line ends after it. Default
	// DefaultSilence; at 9600 baud a byte takes about 1 ms, so readers that send a
	// frame in one burst are far inside it.
	Silence time.Duration
	// MinBackoff and MaxBackoff bound the wait between attempts to reopen a port
	// that is gone; the wait doubles from Min to Max and starts again at Min after
	// a successful open.
	MinBackoff, MaxBackoff time.Duration
	// Clock stamps the events; default app.SystemClock.
	Clock app.Clock
	// After is the timer the backoff waits on; default time.After. Tests inject it.
	After func(time.Duration) <-chan time.Time
}

// Reader is a document reader on a serial port. It implements app.DocumentSource.
type Reader struct {
	cfg Config
}

var _ app.DocumentSource = (*Reader)(nil)

// New checks the configuration and returns the driver; nothing is opened until
// Run. Returns an EINVALID app.Error for an unknown protocol, missing protocol
// settings (DESKO's SOD/EOD) or bad serial settings.
func New(cfg Config) (*Reader, error) {
	if err := cfg.Protocol.Validate(); err != nil {
		return nil, err
	}
	if err := cfg.Serial.Validate(); err != nil {
		return nil, err
	}
	if cfg.Silence < 0 || cfg.MinBackoff < 0 || cfg.MaxBackoff < 0 {
		return nil, app.Errorf(app.EINVALID, "reader: negative timeout")
	}
	if cfg.Silence == 0 {
		cfg.Silence = DefaultSilence
	}
	if cfg.MinBackoff == 0 {
		cfg.MinBackoff = DefaultMinBackoff
	}
	if cfg.MaxBackoff == 0 {
		cfg.MaxBackoff = DefaultMaxBackoff
	}
	cfg.MaxBackoff = max(cfg.MaxBackoff, cfg.MinBackoff)
	if cfg.Clock == nil {
		cfg.Clock = app.SystemClock{}
	}
	if cfg.After == nil {
		cfg.After = time.After
	}
	return &Reader{cfg: cfg}, nil
}

// Run opens the port and delivers events until ctx is done, then returns
// ctx.Err(). deliver is called from Run's goroutine, in order; it should hand the
// event on quickly (the port is not read meanwhile).
//
// ReaderConnected is delivered on every successful open. When the port cannot be
// opened, or a read or write fails (unplug, driver reset), ReaderDisconnected is
// delivered at once — once per outage — and the port is reopened with capped
// exponential backoff until it is back. A frame cut by the unplug is delivered
// as a ReaderError first.
func (r *Reader) Run(ctx context.Context, deliver func(app.ReaderEvent)) error {
	backoff := r.cfg.MinBackoff
	down := false // a ReaderDisconnected was delivered for the current outage
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		port, err := r.cfg.Serial.open()
		if err != nil {
			if !down {
				down = true
				deliver(app.ReaderEvent{Kind: app.ReaderDisconnected, At: r.cfg.Clock.Now(),
					Message: fmt.Sprintf("Document reader not found — reconnecting (%v)", err)})
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-r.cfg.After(backoff):
			}
			backoff = min(2*backoff, r.cfg.MaxBackoff)
			continue
		}
		down = false
		deliver(app.ReaderEvent{Kind: app.ReaderConnected, At: r.cfg.Clock.Now()})
		heard, err := r.session(ctx, port, deliver)
		port.Close()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		down = true
		deliver(app.ReaderEvent{Kind: app.ReaderDisconnected, At: r.cfg.Clock.Now(),
			Message: fmt.Sprintf("Document reader unplugged — reconnecting (%v)", err)})
		// A port that opens but fails before a byte came is backed off like one
		// that does not open, so a flapping device cannot spin the loop; one that
		// worked starts again from the shortest wait.
		if heard {
			backoff = r.cfg.MinBackoff
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-r.cfg.After(backoff):
		}
		backoff = min(2*backoff, r.cfg.MaxBackoff)
	}
}

// session reads one opened port until it fails or ctx is done. heard reports
// whether any byte came.
func (r *Reader) session(ctx context.Context, port serial.Port, deliver func(app.ReaderEvent)) (heard bool, err error) {
	// Closing the port is what unblocks a pending Read when ctx ends.
	stop := context.AfterFunc(ctx, func() { port.Close() })
	defer stop()
	if err := port.SetReadTimeout(r.cfg.Silence); err != nil {
		return false, fmt.Errorf("set read timeout: %w", err)
	}
	arm := r.cfg.Protocol.Arm()
	if arm != nil {
		if _, err := port.Write(arm); err != nil {
			return false, fmt.Errorf("write: %w", err)
		}
	}
	dec := r.cfg.Protocol.NewDecoder()
	buf := make([]byte, 4096)
	for {
		n, err := port.Read(buf)
		if ctx.Err() != nil {
			return heard, ctx.Err()
		}
		var frames []Frame
		switch {
		case err != nil:
			for _, f := range dec.Silence() {
				if f.Err == nil {
					// A text document that only the unplug ended may be missing lines.
					f.Lines, f.Err = nil, fmt.Errorf("%w (the port failed before the document ended)", ErrTorn)
				}
				deliver(f.Event(r.cfg.Clock.Now()))
			}
			return heard, fmt.Errorf("read: %w", err)
		case n == 0: // the read timeout: the line has been quiet for Silence
			if !dec.Pending() {
				continue
			}
			frames = dec.Silence()
		default:
			heard = true
			frames = dec.Feed(buf[:n])
		}
		for _, f := range frames {
			deliver(f.Event(r.cfg.Clock.Now()))
		}
		// The Elyctis reader switches continuous reading off after a read, good
		// or damaged; switching it on again when it already is on does no harm.
		if len(frames) > 0 && arm != nil {
			if _, err := port.Write(arm); err != nil {
				return heard, fmt.Errorf("write: %w", err)
			}
		}
	}
}
