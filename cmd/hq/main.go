// Command hq is Chekara's HQ server and its administration: hq serve, hq booth
// enrol|revoke, hq lists|rules import, hq import, hq report. The commands live
// in package hq (hq.Main) so tests run them in-process; main only handles
// signals and the exit status. It links no GUI library.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/chekara/chekara/hq"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := &hq.Main{Stdout: os.Stdout, Stderr: os.Stderr}
	code := m.Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
