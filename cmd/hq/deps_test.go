package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestHQLinksNoBoothParts: the HQ binary is built from the domain, the wire
// format and HQ's own packages — never Fyne, serial ports, Tesseract, the
// booth's store, its UI, its assembly or its side of the link.
func TestHQLinksNoBoothParts(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	forbidden := []string{"fyne.io/", "go.bug.st/serial", "github.com/otiai10/gosseract", "github.com/creack/pty",
		"github.com/chekara/chekara/store", "github.com/chekara/chekara/ui", "github.com/chekara/chekara/booth",
		"github.com/chekara/chekara/devices/", "github.com/chekara/chekara/demo"}
	for _, dep := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if dep == f || strings.HasPrefix(dep, f+"/") || (strings.HasSuffix(f, "/") && strings.HasPrefix(dep, f)) {
				t.Errorf("cmd/hq links %s", dep)
			}
		}
		if dep == "github.com/chekara/chekara/sync" {
			t.Errorf("cmd/hq links the booth's side of the link (sync); it needs only sync/wire")
		}
	}
}
