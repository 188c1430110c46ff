// Package testenv decides what a test does when a real part it needs (Tesseract,
// PostgreSQL, a display, a pty) is missing: on a developer's machine it skips with
// the reason; in CI (CHEKARA_CI=1, set by scripts/test.sh) it fails loudly, so a
// part that CI should have started is never silently untested.
package testenv

import (
	"os"
	"testing"
)

// InCI reports whether the tests run under scripts/test.sh, where every part must be present.
func InCI() bool { return os.Getenv("CHEKARA_CI") == "1" }

// Require stops the test when err says the part is missing: Fatalf in CI, Skipf elsewhere.
func Require(tb testing.TB, part string, err error) {
	tb.Helper()
	if err == nil {
		return
	}
	if InCI() {
		tb.Fatalf("%s is required in CI but missing: %v", part, err)
	}
	tb.Skipf("%s missing (%v); scripts/test.sh installs and starts it", part, err)
}
