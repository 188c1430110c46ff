// Command bmis is Chekara's headless toolbox: MRZ parsing, OCR, screening, reader
// testing and simulation, seeding, audit verification and the booth's sync. It links
// no GUI library.
//
// Each subcommand lives in its own file and registers itself in commands; main only
// dispatches.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
	"time"
)

// command is one bmis subcommand.
type command struct {
	name    string
	summary string // one line for `bmis help`
	// run executes the command with its arguments (after the name). It returns the
	// process exit status: 0 success, 1 failure, 2 usage error.
	run func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

var commands = map[string]command{}

func register(c command) { commands[c.name] = c }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "bmis: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	return c.run(ctx, args[1:], stdin, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: bmis COMMAND [flags]   (bmis COMMAND -h for a command's flags)")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
}

// parseFlags parses a command's flags. When ok is false the command stops at once
// with status code: 0 after -h (the flag package has printed the usage), 2 after a
// usage error.
func parseFlags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return 0, true
	case errors.Is(err, flag.ErrHelp):
		return 0, false
	default:
		return 2, false
	}
}

// asOfDate is the day a command judges documents by (centuries, expiry, age): the
// --as-of value when given, otherwise now. ok is false, with the reason on stderr,
// when the value is not a date.
func asOfDate(cmd, value string, stderr io.Writer) (today time.Time, ok bool) {
	if value == "" {
		return time.Now(), true
	}
	t, err := time.Parse("2006-01-02", value)
	if err != nil {
		fmt.Fprintf(stderr, "bmis %s: --as-of %q is not a date YYYY-MM-DD\n", cmd, value)
		return time.Time{}, false
	}
	return t, true
}
