// Command chekara is the booth: the passport officer's desktop application. It
// parses flags and runs Main; the wiring is in boothmain.go. The demo's data
// and parts are in package demo; its automation is a test (demo_test.go), not
// part of the officers' binary. See docs/booth.md.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/chekara/chekara/devices/ocr"
)

// started is when the process began, for the cold-start figure.
var started = time.Now()

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	var c Config
	fs := flag.NewFlagSet("chekara", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	fs.StringVar(&c.DataDir, "data", "", "folder of the booth's data (store booth.db); default $XDG_DATA_HOME/chekara, or a temporary folder with --demo")
	fs.StringVar(&c.Lists, "lists", "", "watchlist: a snapshot list file or a persisted screening index")
	fs.StringVar(&c.Rules, "rules", "", "stay rules file (default: the shipped assets/rules/kgz.json)")
	fs.StringVar(&c.Reasons, "reasons", "", "refusal reasons file (default: the shipped assets/reasons/refusal.json)")
	fs.StringVar(&c.Post, "post", "DOSTUK", "crossing point, prefilled when a shift opens")
	fs.StringVar(&c.Booth, "booth", "DOSTUK-07", "this booth's id, prefilled when a shift opens")
	fs.StringVar(&c.ReaderProtocol, "reader-protocol", "3m", "document reader protocol: lines, 3m, desko, elyctis")
	fs.StringVar(&c.ReaderPort, "reader-port", "", "document reader serial port (e.g. /dev/serial/by-id/…); none: MRZ by keyboard only")
	fs.IntVar(&c.ReaderBaud, "reader-baud", 9600, "document reader baud rate")
	fs.StringVar(&c.ChipReader, "chip-reader", "", "PC/SC reader of ePassport chips: its name, part of it, or auto; none: chips are not read")
	fs.StringVar(&c.MasterList, "masterlist", "", "CSCA certificates chips are checked against: a CMS master list or PEM `file`")
	fs.StringVar(&c.Camera, "camera", "", "desk camera: a V4L2 device (/dev/video0) or a folder of pictures (testing); pages under it are read by OCR, the traveller's photo is taken from it; none: no camera")
	fs.StringVar(&c.Enrolment, "enrolment", "", "HQ enrolment bundle `FILE` (from hq booth enrol), imported into the data folder once; later starts need it no more; none ever: the booth works alone")
	fs.DurationVar(&c.IdleLock, "idle-lock", 5*time.Minute, "lock the booth after this long without the officer acting (0: never)")
	fs.StringVar(&c.Language, "lang", "en", "language before sign-in: ky, ru or en (officers then use their own)")
	fs.BoolVar(&c.Demo, "demo", false, "demo: temporary seeded store, demo lists and officers, a simulated reader with a scripted queue (Alt+N: next traveller)")
	fs.IntVar(&c.DemoPopulation, "demo-population", 5000, "demo: earlier crossings seeded into the store")
	training := fs.String("training", "", "run the training centre's window on this `DIR` instead of a booth (docs/training.md)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "chekara: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if *training != "" {
		return runTraining(*training, c.Language)
	}
	if c.Demo || c.Camera != "" {
		// The demo's camera travellers go through Tesseract, which must run on
		// one OpenMP thread beside the booth's own work on a 2-core PC: this
		// re-executes the booth once with OMP_THREAD_LIMIT=1 (so does --camera).
		// A booth without a camera never starts Tesseract and is spared the
		// second start.
		ocr.OneThread()
	}
	m := NewMain(c)
	if err := m.Open(); err != nil {
		fmt.Fprintf(os.Stderr, "chekara: %v\n", err)
		m.Close()
		return 1
	}
	status := m.Run()
	if err := m.Close(); err != nil {
		fmt.Fprintf(os.Stderr, "chekara: %v\n", err)
		if status == 0 {
			status = 1
		}
	}
	return status
}
