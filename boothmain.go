package main

import (
	"context"
	"fmt"
	"image"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/i18n"
	"github.com/chekara/chekara/assets"
	"github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/demo"
	"github.com/chekara/chekara/devices/reader"
	"github.com/chekara/chekara/ui"
)

// The window speaks to the booth's core through the interface ui declares.
var (
	_ ui.Booth      = (*app.Booth)(nil)
	_ ui.Admin      = (*app.Booth)(nil)
	_ ui.Supervisor = (*app.Booth)(nil)
)

// defaultDataDir is where the booth keeps its data without --data: the XDG
// data folder's chekara.
func defaultDataDir() (string, error) {
	base := os.Getenv("XDG_DATA_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("no data folder: %w", err)
		}
		base = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(base, "chekara"), nil
}

// Config is the booth's command line.
type Config struct {
	DataDir, Lists, Rules, Reasons string
	Post, Booth                    string
	ReaderProtocol, ReaderPort     string
	ReaderBaud                     int
	Camera                         string // V4L2 device or picture folder; "" none
	ChipReader, MasterList         string // PC/SC reader of ePassport chips ("" none) and its CSCAs
	Enrolment                      string
	IdleLock                       time.Duration
	Language                       string

	Demo           bool
	DemoPopulation int
}

// Main is the booth program: Open wires the parts, Run shows the window until
// it closes, Close lets go of everything. Tests reuse it.
type Main struct {
	cfg Config
	log *slog.Logger

	booth  *booth.Booth
	source app.DocumentSource
	camera *booth.Camera        // --camera: a second document source and the face photo
	events chan app.ReaderEvent // every document source feeds the one worker
	pages  *booth.PageReader
	sim    *demo.SimReader
	queue  *demo.Queue
	hq     *demo.DemoHQ
	fapp   fyne.App
	win    fyne.Window
	ui     *ui.UI
	cat    *i18n.Catalog
	tmpDir string

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	readerMu   sync.Mutex // the running reader (devices.go)
	readerStop context.CancelFunc
	readerDone chan struct{}

	// presented, when set, is told of each document event after the window
	// has taken it: the in-process tests wait on it instead of sleeping.
	presented func(app.ReaderEvent)
	// uiDo, when set, replaces fyne.Do for the window (ui.Config.Do): the
	// in-process tests run what the booth hands the window on their own
	// goroutine, as a real window's event loop does.
	uiDo func(func())
}

// NewMain returns a booth for cfg; nothing is opened yet.
func NewMain(cfg Config) *Main {
	ctx, cancel := context.WithCancel(context.Background())
	return &Main{cfg: cfg, log: slog.New(slog.NewTextHandler(os.Stderr, nil)), ctx: ctx, cancel: cancel,
		events: make(chan app.ReaderEvent, 16)}
}

// Open opens the store, loads lists and rules, starts the devices and builds
// the window. Errors name what could not be opened.
func (m *Main) Open() error {
	c := &m.cfg
	if c.Demo {
		if err := m.openDemoFiles(); err != nil {
			return err
		}
	}
	if c.DataDir == "" {
		dir, err := defaultDataDir()
		if err != nil {
			return err
		}
		c.DataDir = dir
	}
	fresh := !exists(filepath.Join(c.DataDir, "booth.db"))
	b, err := booth.Open(m.ctx, booth.Config{DataDir: c.DataDir, Enrolment: c.Enrolment, ListsFile: c.Lists, RulesFile: c.Rules,
		ReasonsFile: c.Reasons, Post: c.Post, Booth: c.Booth, Log: m.log, ChipReader: c.ChipReader, MasterList: c.MasterList})
	if err != nil {
		return err
	}
	m.booth = b
	if c.Demo {
		if err := m.openDemo(fresh); err != nil {
			return err
		}
	} else {
		if err := m.savedDevices(); err != nil { // devices.go
			return err
		}
		if m.source, err = newReader(c.ReaderPort, c.ReaderProtocol, c.ReaderBaud); err != nil {
			return err
		}
	}
	b.Admin.OnDevices(m.applyDevices)
	if c.Camera != "" {
		cam, err := booth.OpenCamera(c.Camera, nil)
		if err != nil {
			return err
		}
		m.camera = cam
		b.App.Faces = cam
		if cam.GlyphOnly {
			m.log.Warn("camera OCR without Tesseract: glyph classifier only", "camera", c.Camera)
		}
	}
	if link := b.Link; link != nil {
		if m.hq != nil {
			// The demo's HQ is next door: take its lists before the first traveller.
			ctx, cancel := context.WithTimeout(m.ctx, 10*time.Second)
			if err := link.Sync(ctx); err != nil {
				m.log.Warn("first sync with the demo HQ", "err", err)
			}
			cancel()
		}
		link.Start(m.ctx)
	}

	cat, err := i18n.Load(assets.FS, "i18n")
	if err != nil {
		return err
	}
	m.cat = cat
	if m.fapp == nil { // the tests bring Fyne's test app: no display needed
		m.fapp = fyneapp.NewWithID("org.chekara.booth")
	}
	m.win = m.fapp.NewWindow("Chekara")
	m.win.Resize(fyne.NewSize(1366, 768))
	m.win.SetMaster()
	b.App.IdleLock = c.IdleLock
	uc := ui.Config{Language: c.Language, Post: c.Post, Booth: c.Booth, Log: m.log, Do: m.uiDo,
		PrintRefusal: b.PrintRefusal, PrintShift: b.PrintShiftReport} // forms go to DATA/forms
	if c.Demo {
		uc.DemoHint = demoHint()
		uc.NextTraveller = m.nextTraveller // ui calls it off the UI goroutine
	}
	m.ui = ui.New(m.win, b.App, cat, uc)
	return nil
}

// openDemo seeds a new demo store, starts the simulated reader with the
// scripted queue and the simulated desk camera.
func (m *Main) openDemo(fresh bool) error {
	b := m.booth
	queue, err := demo.DemoQueue()
	if err != nil {
		return err
	}
	if fresh {
		if err := demo.SeedDemo(m.ctx, b, queue, m.cfg.DemoPopulation, time.Now()); err != nil {
			return err
		}
	}
	m.sim, err = demo.NewSimReader(reader.ProtocolThreeM, nil)
	if err != nil {
		return fmt.Errorf("demo reader: %w", err)
	}
	m.source = m.sim.Reader
	// The administration shows the simulated reader as the booth's reader.
	b.Admin.SetStarted(app.DeviceSettings{ReaderPort: m.sim.Port(), ReaderProtocol: reader.ProtocolThreeM})
	m.queue = &demo.Queue{Travellers: queue, Reader: m.sim, Log: os.Stdout}
	// Every demo passport carries a simulated chip, read and checked in process.
	b.App.Chip = &demo.ChipDesk{}
	// The desk camera of the demo is simulated: a traveller "via" the camera
	// shows a rendered page, which the real OCR reads.
	if m.pages, err = booth.NewPageReader(); err != nil {
		m.log.Warn("no OCR: camera travellers go through the reader", "err", err)
	} else {
		m.queue.Camera = func(page image.Image) { go m.presentPage(page) }
		b.App.SetCamera("connected", "simulated desk camera")
		if m.pages.GlyphOnly {
			b.App.SetCamera("connected", "simulated desk camera; OCR without Tesseract")
		}
	}
	m.printDemo()
	return nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// openDemoFiles gives the demo a temporary data folder and an HQ on loopback
// with the booth enrolled, which publishes the demo lists; should HQ fail to
// start, the booth loads the shipped demo lists itself and works alone.
func (m *Main) openDemoFiles() error {
	c := &m.cfg
	if c.DataDir == "" {
		dir, err := os.MkdirTemp("", "chekara-demo-")
		if err != nil {
			return err
		}
		m.tmpDir, c.DataDir = dir, dir
	}
	if c.Enrolment == "" && c.Lists == "" {
		h, err := demo.StartDemoHQ(m.ctx, filepath.Join(c.DataDir, "hq"), c.Booth, c.Post)
		if err == nil {
			m.hq, c.Enrolment = h, h.Bundle
			for _, w := range h.Warnings {
				m.log.Warn("demo HQ", "warning", w)
			}
			return nil
		}
		m.log.Error("demo HQ did not start; the booth works alone with the shipped demo lists", "err", err)
	}
	if c.Lists == "" {
		data, err := demo.Lists(time.Now())
		if err != nil {
			return err
		}
		c.Lists = filepath.Join(c.DataDir, "demo-lists.jsonl")
		if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
			return err
		}
		if err := os.WriteFile(c.Lists, data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

func demoHint() string {
	s := ""
	for _, o := range demo.DemoOfficers {
		s += fmt.Sprintf("%s / %s — %s (%s, %s)\n", o.ID, o.Password, o.Name, o.Role, o.Language)
	}
	return s
}

func (m *Main) printDemo() {
	fmt.Printf("Chekara booth demo\n  data: %s\n  simulated reader (3M protocol) on %s\n", m.cfg.DataDir, m.sim.Port())
	if m.hq != nil {
		fmt.Printf("  HQ on %s (data %s), this booth enrolled\n", m.hq.URL, filepath.Join(m.cfg.DataDir, "hq"))
	}
	fmt.Printf("  officers (id / password):\n")
	for _, o := range demo.DemoOfficers {
		fmt.Printf("    %-6s %-10s %s, %s, %s\n", o.ID, o.Password, o.Name, o.Role, o.Language)
	}
	fmt.Printf("  sign in, open the shift, then press Alt+N (\"Next traveller\") for each of %d travellers;\n", len(m.queue.Travellers))
	fmt.Printf("  Alt+A admit, Alt+R refuse (choose a reason), Alt+S refer (write a note), Alt+C / Alt+F resolve a hit, Alt+L lock.\n")
}

// nextTraveller presents the demo queue's next document. The direction is
// the officer's to change (Alt+D), never the queue's: when the traveller goes
// the other way (the overstayer leaves) the booth says so and stays as it is.
func (m *Main) nextTraveller() {
	if m.queue == nil {
		return
	}
	t, ok, err := m.queue.Peek()
	if !ok || err != nil {
		fyne.Do(func() { m.ui.Notify(m.cat.T(m.ui.Language(), "demo.queue_done")) })
		return
	}
	if s := m.booth.App.Session(); s.HasShift && s.Shift.Direction != t.Direction {
		fyne.Do(func() { m.ui.Notify(m.ui.T("demo.other_direction", m.ui.T("dir."+string(t.Direction)))) })
	}
	if _, _, err := m.queue.Next(); err != nil {
		m.log.Error("demo reader", "err", err)
	}
}

// deliver hands a document event to the presenting worker.
func (m *Main) deliver(ev app.ReaderEvent) {
	select {
	case m.events <- ev:
	case <-m.ctx.Done():
	}
}

// presentPage reads a camera picture of a document page with the OCR and
// presents it like any other document.
func (m *Main) presentPage(page image.Image) {
	ev, err := m.pages.Event(page, time.Now())
	if err != nil {
		fyne.Do(func() { m.ui.Notify(m.cat.Error(m.ui.Language(), err)) })
		return
	}
	m.deliver(ev)
}

// Run shows the window until it is closed and returns the exit status.
func (m *Main) Run() int {
	m.start()
	m.fapp.Lifecycle().SetOnStarted(func() {
		fmt.Fprintf(os.Stderr, "chekara: sign-in screen shown %d ms after start\n", time.Since(started).Milliseconds())
	})
	m.win.ShowAndRun()
	return 0
}

// start runs the booth's background work: the document sources, the one
// presenting worker and the window's status ticker.
func (m *Main) start() {
	m.startReader(m.source) // devices.go: restarted when the post-admin saves another
	if m.camera != nil {
		// The camera is a document source like the reader: its pages come
		// through the same worker and Present.
		m.wg.Add(1)
		go func() {
			defer m.wg.Done()
			err := m.camera.Source.Run(m.ctx, m.deliver)
			if err != nil && m.ctx.Err() == nil {
				m.log.Error("camera stopped", "err", err)
				m.booth.App.SetCamera("error", "Camera stopped: "+err.Error())
			}
		}()
	}
	// One worker presents documents in order, whatever their source, so the
	// serial driver never waits on the store.
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		for {
			select {
			case ev := <-m.events:
				// Every source, the same path: Present takes the face photo
				// (when the booth has a camera) and records it with the read.
				m.ui.Present(ev)
				if m.presented != nil {
					m.presented(ev)
				}
			case <-m.ctx.Done():
				return
			}
		}
	}()
	m.ui.Start()
}

// Close stops the devices and the link and closes the store.
func (m *Main) Close() error {
	m.cancel()
	if m.ui != nil {
		m.ui.Stop()
	}
	if m.sim != nil {
		m.sim.Close()
	}
	m.wg.Wait()
	if m.camera != nil {
		m.camera.Close()
	}
	if m.pages != nil {
		m.pages.Close()
	}
	var err error
	if m.booth != nil {
		err = m.booth.Close()
	}
	if m.hq != nil {
		m.hq.Close()
	}
	return err
}
