package main_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chekara/chekara/internal/testenv"
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
