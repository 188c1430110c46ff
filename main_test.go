package main_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/demo"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/internal/testenv"
	"github.com/chekara/chekara/store"
)

// testBinary is where the booth binary is built, once per test process.
var testBinary = filepath.Join(os.TempDir(), fmt.Sprintf("chekara-booth-test-%d", os.Getpid()))

func TestMain(m *testing.M) {
	code := m.Run()
	os.Remove(testBinary)
	os.Exit(code)
}

// buildBooth builds the booth binary once per test binary run.
func buildBooth(tb testing.TB) string {
	tb.Helper()
	bin := testBinary
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	cmd := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func requireDisplay(tb testing.TB) {
	tb.Helper()
	var err error
	if os.Getenv("DISPLAY") == "" {
		err = errors.New("DISPLAY is not set")
	}
	testenv.Require(tb, "Xvfb (DISPLAY)", err)
	_, err = exec.LookPath("xwd")
	testenv.Require(tb, "xwd (x11-apps)", err)
}

// TestDemoEndToEnd runs the real booth binary in demo mode with its automation
// hook (--demo-auto): sign-in through the window, every scripted traveller
// presented by the simulated reader over a pty, resolved and decided with the
// hotkeys, lock and unlock, close the shift. Then it checks the booth's SQLite
// file and the demo HQ's, and the screenshots. CHEKARA_UPDATE_SCREENSHOTS=1
// copies them to docs/screenshots/.
func TestDemoEndToEnd(t *testing.T) {
	requireDisplay(t)
	bin := buildBooth(t)
	data, shots := t.TempDir(), t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--demo", "--demo-auto", "--exit-after", "--data", data, "--screenshots", shots)
	cmd.Env = append(os.Environ(), "LANG=en_US.UTF-8")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("booth: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "demo-auto: done") {
		t.Fatalf("the automation did not finish:\n%s", out)
	}

	queue, err := demo.DemoQueue()
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(filepath.Join(data, "booth.db"), store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tr := range queue {
		d := mrz.Parser{}.ParseMRZ(tr.Lines, time.Now())
		hist, err := s.History(ctx, app.DocumentKey{IssuingState: d.IssuingState, Number: d.Number}, app.TravellerKey{}, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) == 0 {
			t.Errorf("%s: no crossing recorded", tr.Name)
			continue
		}
		c := hist[0]
		if c.Decision != tr.Decision || c.RefusalReason != tr.Reason || c.Direction != tr.Direction || c.OfficerID != "K1001" {
			t.Errorf("%s: recorded %s %s %s by %s, want %s %s %s", tr.Name, c.Direction, c.Decision, c.RefusalReason, c.OfficerID, tr.Direction, tr.Decision, tr.Reason)
		}
		if tr.Resolve != "" && (len(c.Hits) == 0 || c.Hits[0].Confirmed != (tr.Resolve == "confirm")) {
			t.Errorf("%s: hit resolutions %+v", tr.Name, c.Hits)
		}
	}
	if n, err := s.VerifyAudit(ctx); err != nil {
		t.Errorf("audit chain broken at %d: %v", n, err)
	}
	if n, err := s.Pending(ctx); err != nil || n != 0 {
		t.Errorf("%d records not acknowledged by HQ (%v)", n, err)
	}

	h, err := hq.Open(ctx, hq.Config{DataDir: filepath.Join(data, "hq"), Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := h.Report(ctx)
	h.Close()
	if err != nil {
		t.Fatal(err)
	}
	last, err := s.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Crossings != last {
		t.Errorf("HQ holds %d crossings, the booth recorded %d", rep.Crossings, last)
	}

	names, err := filepath.Glob(filepath.Join(shots, "*.png"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"sign-in", "list-hit", "list-hit-resolved", "bad-check-digit", "expired-passport", "overstayer-leaving", "locked", "shift-closed"} {
		if !slices.ContainsFunc(names, func(n string) bool { return strings.HasSuffix(n, "-"+want+".png") }) {
			t.Errorf("no screenshot of %s", want)
		}
	}
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width < 1366 || cfg.Height < 768 {
			t.Errorf("%s: %dx%d, %v", n, cfg.Width, cfg.Height, err)
		}
	}
	if os.Getenv("CHEKARA_UPDATE_SCREENSHOTS") == "1" {
		dst := filepath.Join("docs", "screenshots")
		os.MkdirAll(dst, 0o755)
		old, _ := filepath.Glob(filepath.Join(dst, "*.png"))
		for _, o := range old {
			os.Remove(o)
		}
		for _, n := range names {
			b, _ := os.ReadFile(n)
			if err := os.WriteFile(filepath.Join(dst, filepath.Base(n)), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

var shownRe = regexp.MustCompile(`sign-in screen shown (\d+) ms after start`)

// BenchmarkColdStart starts the booth binary on an existing store with a list
// and measures, from exec to the sign-in screen being shown (the booth prints
// it from Fyne's OnStarted), the wall time of a cold start. Target ≤ 2 s.
func BenchmarkColdStart(b *testing.B) {
	requireDisplay(b)
	bin := buildBooth(b)
	data := b.TempDir()
	lists := filepath.Join(data, "lists.jsonl")
	if err := os.WriteFile(lists, mustRead(b, "assets/lists/demo.jsonl"), 0o600); err != nil {
		b.Fatal(err)
	}
	// A first start creates the store; it is not measured.
	startOnce(b, bin, data, lists)
	var total, worst time.Duration
	var inProcess []int
	b.ResetTimer()
	for range b.N {
		d, ms := startOnce(b, bin, data, lists)
		total += d
		worst = max(worst, d)
		inProcess = append(inProcess, ms)
	}
	b.StopTimer()
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/start")
	b.ReportMetric(float64(worst.Milliseconds()), "max_ms")
	slices.Sort(inProcess)
	b.ReportMetric(float64(inProcess[len(inProcess)/2]), "in_process_ms")
}

func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// startOnce starts the booth, waits for the sign-in screen and stops it.
func startOnce(tb testing.TB, bin, data, lists string) (time.Duration, int) {
	tb.Helper()
	cmd := exec.Command(bin, "--data", data, "--lists", lists)
	cmd.Env = append(os.Environ(), "LANG=en_US.UTF-8")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		tb.Fatal(err)
	}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Process.Kill()
		cmd.Wait()
	}()
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if m := shownRe.FindStringSubmatch(sc.Text()); m != nil {
			d := time.Since(t0)
			ms, _ := strconv.Atoi(m[1])
			go io.Copy(io.Discard, stderr)
			return d, ms
		}
	}
	tb.Fatalf("the booth exited before showing the sign-in screen")
	return 0, 0
}
