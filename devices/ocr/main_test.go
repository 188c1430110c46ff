package ocr_test

import (
	"os"
	"testing"

	"github.com/chekara/chekara/devices/ocr"
)

// TestMain re-executes the test binary with OMP_THREAD_LIMIT=1 (see ocr.OneThread)
// so tests and benchmarks measure Tesseract as the booth runs it.
func TestMain(m *testing.M) {
	ocr.OneThread()
	os.Exit(m.Run())
}
