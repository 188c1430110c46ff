package reader

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"go.bug.st/serial"

	"github.com/chekara/chekara/app"
)

// Faults the simulator can inject (SimConfig.Faults).
const (
	FaultSplit      = "split"      // each frame in random small writes
	FaultSlow       = "slow"       // bytes trickled one by one, SimConfig.ByteDelay apart
	FaultGarbage    = "garbage"    // junk bytes before every frame
	FaultBadBCC     = "bad-bcc"    // 3m only: every second document's BCC is wrong
	FaultTruncate   = "truncate"   // every second document stops part-way, then a pause
	FaultDisconnect = "disconnect" // the port is closed and reopened between documents
)

// Faults lists every fault name.
var Faults = []string{FaultSplit, FaultSlow, FaultGarbage, FaultBadBCC, FaultTruncate, FaultDisconnect}

// ParseFaults splits a comma list of fault names. Returns EINVALID for an unknown one.
func ParseFaults(list string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !slices.Contains(Faults, f) {
			return nil, app.Errorf(app.EINVALID, "reader: unknown fault %q (one of %s)", f, strings.Join(Faults, ", "))
		}
		out = append(out, f)
	}
	return out, nil
}

// ReadDocuments reads MRZ documents as the simulator takes them: one line per
// MRZ line, a blank line between documents. Lines are stripped of padding like
// the "lines" framer does. Returns EINVALID when there is no document.
func ReadDocuments(r io.Reader) ([][]string, error) {
	var docs [][]string
	var cur []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		l := trimLine(sc.Text())
		if l == "" {
			if cur != nil {
				docs, cur = append(docs, cur), nil
			}
			continue
		}
		cur = append(cur, l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read documents: %w", err)
	}
	if cur != nil {
		docs = append(docs, cur)
	}
	if len(docs) == 0 {
		return nil, app.Errorf(app.EINVALID, "reader: no document to send (MRZ lines, a blank line between documents)")
	}
	return docs, nil
}

// Defaults of SimConfig.
const (
	DefaultInterval  = 500 * time.Millisecond
	DefaultByteDelay = 3 * time.Millisecond
	DefaultArmWait   = 3 * time.Second
)

// SimConfig is a simulated reader.
type SimConfig struct {
	Protocol Protocol
	Serial   Serial
	// Interval is the pause between documents (default DefaultInterval). It must
	// be longer than the reading side's inter-byte timeout, or a truncated frame
	// runs into the next one.
	Interval  time.Duration
	Faults    []string
	Seed      uint64        // seeds the faults' randomness: a seed gives the same bytes every run
	ByteDelay time.Duration // the "slow" fault's gap between bytes (default DefaultByteDelay)
	// ArmWait bounds how long an Elyctis simulator waits for the host's
	// continuous-read (or inquire) command before each document (default
	// DefaultArmWait). A real reader would wait for ever; the simulator then
	// sends anyway and says so on Log, so a training room is not left silent.
	ArmWait time.Duration
	Log     io.Writer // progress and warnings; nil discards them
}

// Simulate writes the documents through the protocol's encoder to the port, with
// the configured faults, and returns when the last one is written (or ctx is
// done). Returns EINVALID for a bad configuration or a document the protocol
// cannot carry; port failures come back as plain errors.
func Simulate(ctx context.Context, cfg SimConfig, docs [][]string) error {
	if err := cfg.Protocol.Validate(); err != nil {
		return err
	}
	if err := cfg.Serial.Validate(); err != nil {
		return err
	}
	if cfg.Interval == 0 {
		cfg.Interval = DefaultInterval
	}
	if cfg.ByteDelay == 0 {
		cfg.ByteDelay = DefaultByteDelay
	}
	if cfg.ArmWait == 0 {
		cfg.ArmWait = DefaultArmWait
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	fault := map[string]bool{}
	for _, f := range cfg.Faults {
		fault[f] = true
	}
	if fault[FaultBadBCC] && cfg.Protocol.Name != ProtocolThreeM {
		return app.Errorf(app.EINVALID, "reader: the bad-bcc fault needs a protocol with a BCC (3m)")
	}
	frames := make([][]byte, len(docs))
	for i, d := range docs {
		b, err := cfg.Protocol.Encode(d)
		if err != nil {
			return fmt.Errorf("document %d: %w", i+1, err)
		}
		frames[i] = b
	}
	s := &sim{cfg: cfg, fault: fault, rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	for i, frame := range frames {
		if i > 0 {
			if err := sleep(ctx, cfg.Interval); err != nil {
				return err
			}
			if fault[FaultDisconnect] {
				s.close()
				fmt.Fprintf(cfg.Log, "port closed\n")
				if err := sleep(ctx, min(cfg.Interval, 250*time.Millisecond)); err != nil {
					return err
				}
				if err := s.open(); err != nil {
					return err
				}
				fmt.Fprintf(cfg.Log, "port reopened\n")
			}
		}
		if err := s.waitArmed(ctx); err != nil {
			return err
		}
		frame, note := s.damage(i, frame)
		if err := s.write(ctx, frame); err != nil {
			return fmt.Errorf("document %d: %w", i+1, err)
		}
		fmt.Fprintf(cfg.Log, "document %d sent (%d bytes%s)\n", i+1, len(frame), note)
	}
	// Let the last bytes leave before the port closes.
	if err := s.drain(); err != nil {
		return err
	}
	return sleep(ctx, min(cfg.Interval, 200*time.Millisecond))
}

type sim struct {
	cfg   SimConfig
	fault map[string]bool
	rng   *rand.Rand
	port  serial.Port

	mu     sync.Mutex
	armed  chan struct{} // Elyctis: closed by the listener when the host arms the reader
	listen sync.WaitGroup
}

func (s *sim) open() error {
	p, err := s.cfg.Serial.open()
	if err != nil {
		return err
	}
	s.port = p
	if s.cfg.Protocol.Name == ProtocolElyctis {
		s.mu.Lock()
		if s.armed == nil { // kept across a reopen: an arming before the close still counts
			s.armed = make(chan struct{})
		}
		s.mu.Unlock()
		s.listen.Add(1)
		go s.listenCommands(p)
	}
	return nil
}

func (s *sim) close() {
	if s.port != nil {
		s.port.Close()
		s.listen.Wait()
		s.port = nil
	}
}

// listenCommands watches what the host sends for the continuous-read or the
// inquire command; either lets the next document go.
func (s *sim) listenCommands(p serial.Port) {
	defer s.listen.Done()
	arm, inquire := s.cfg.Protocol.Arm(), s.cfg.Protocol.Inquire()
	var seen []byte
	buf := make([]byte, 256)
	for {
		n, err := p.Read(buf)
		if err != nil {
			return
		}
		seen = append(seen, buf[:n]...)
		for {
			i, j := bytes.Index(seen, arm), bytes.Index(seen, inquire)
			if i < 0 && j < 0 {
				break
			}
			cut := i + len(arm)
			if i < 0 || (j >= 0 && j < i) {
				cut = j + len(inquire)
			}
			seen = seen[cut:]
			s.mu.Lock()
			select {
			case <-s.armed:
			default:
				close(s.armed)
			}
			s.mu.Unlock()
		}
		if len(seen) > 64 {
			seen = seen[len(seen)-8:]
		}
	}
}

// waitArmed waits, for Elyctis, until the host has switched continuous reading
// on, and then consumes that: the reader turns it off after each read.
func (s *sim) waitArmed(ctx context.Context) error {
	if s.cfg.Protocol.Name != ProtocolElyctis {
		return nil
	}
	s.mu.Lock()
	armed := s.armed
	s.mu.Unlock()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-armed:
	case <-time.After(s.cfg.ArmWait):
		fmt.Fprintf(s.cfg.Log, "the host did not switch continuous reading on within %v; sending anyway\n", s.cfg.ArmWait)
	}
	s.mu.Lock()
	s.armed = make(chan struct{})
	s.mu.Unlock()
	return nil
}

// damage applies the per-document faults: garbage before the frame, a wrong BCC
// or a cut-off frame on every second document.
func (s *sim) damage(i int, frame []byte) ([]byte, string) {
	frame = bytes.Clone(frame)
	note := ""
	second := i%2 == 1
	if s.fault[FaultBadBCC] && second {
		frame[len(frame)-1] ^= 0x5a
		note += ", bad BCC"
	}
	if s.fault[FaultTruncate] && second {
		cut := len(frame)/4 + s.rng.IntN(max(1, len(frame)/2))
		if s.cfg.Protocol.Name == ProtocolLines {
			// Cut inside a line, so the reading side can tell (a cut at a line end
			// would look like a shorter document).
			for cut > 1 && (frame[cut-1] == '\r' || frame[cut-1] == '\n') {
				cut--
			}
		}
		note += fmt.Sprintf(", cut from %d bytes", len(frame))
		frame = frame[:cut]
	}
	if s.fault[FaultGarbage] {
		junk := make([]byte, 4+s.rng.IntN(20))
		for k := range junk {
			junk[k] = byte(s.rng.IntN(256))
			if s.cfg.Protocol.Name == ProtocolLines {
				// Text-mode junk is control and high bytes on a line of their own,
				// which the reading side can tell from an MRZ line.
				for junk[k] == '\r' || junk[k] == '\n' || printable(rune(junk[k])) {
					junk[k] = byte(s.rng.IntN(256))
				}
			}
		}
		if s.cfg.Protocol.Name == ProtocolLines {
			junk = append(junk, "\r\r"...)
		}
		frame = append(junk, frame...)
		note += fmt.Sprintf(", %d junk bytes before", len(junk))
	}
	return frame, note
}

// write sends the bytes as the faults say: whole, in small pieces, or trickled.
func (s *sim) write(ctx context.Context, b []byte) error {
	for len(b) > 0 {
		n := len(b)
		var gap time.Duration
		switch {
		case s.fault[FaultSlow]:
			n, gap = 1, s.cfg.ByteDelay
		case s.fault[FaultSplit]:
			n, gap = min(len(b), 1+s.rng.IntN(8)), time.Duration(s.rng.IntN(1000))*time.Microsecond
		}
		if _, err := s.port.Write(b[:n]); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		b = b[n:]
		if gap > 0 && len(b) > 0 {
			if err := s.drain(); err != nil {
				return err
			}
			if err := sleep(ctx, gap); err != nil {
				return err
			}
		}
	}
	return nil
}

// drain waits until the written bytes have left. Linux's tcdrain gives EINTR
// when a signal arrives meanwhile (the Go runtime's preemption signal does) and
// is not restarted for us.
func (s *sim) drain() error {
	for {
		err := s.port.Drain()
		if !errors.Is(err, syscall.EINTR) {
			if err != nil {
				return fmt.Errorf("drain: %w", err)
			}
			return nil
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
