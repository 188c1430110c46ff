package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
)

func init() {
	register(command{
		name:    "mrz",
		summary: "parse and validate MRZ documents from stdin, one JSON object per document",
		run:     runMRZ,
	})
}

// Input limits: an MRZ line has at most 44 characters and a document 3 lines, so
// anything far beyond is junk; keeping a bounded prefix lets the command report
// it without holding gigabytes in memory.
const (
	mrzMaxLineBytes = 1024
	mrzMaxLines     = 8
)

// runMRZ reads documents (lines of one document together, documents separated
// by blank lines) and writes one JSON object per document, the contract of
// issue 2. It exits 0 when every document was processed, even invalid ones.
func runMRZ(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mrz", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asOf := fs.String("as-of", "", "judge centuries, expiry and age as of this date, `YYYY-MM-DD` (default: today)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bmis mrz [--as-of YYYY-MM-DD] < documents")
		fmt.Fprintln(stderr, "Reads MRZ documents from stdin, separated by blank lines; writes one JSON object per document.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "bmis mrz: unexpected argument %q (documents come on stdin)\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	today, ok := asOfDate("mrz", *asOf, stderr)
	if !ok {
		return 2
	}

	in := bufio.NewReaderSize(stdin, 64*1024)
	out := bufio.NewWriterSize(stdout, 64*1024)
	p := newMRZPipeline(today, out)
	var d mrzDoc // the current document
	docs := 0
	fail := func(what string, err error) int {
		p.close()
		out.Flush()
		fmt.Fprintf(stderr, "bmis mrz: %s: %v\n", what, err)
		return 1
	}
	// next hands the current document to the pipeline; with flush, it and
	// every one before it are written out before the next read, which may
	// wait for a reader or a person.
	next := func(flush bool) error {
		docs++
		err := p.add(d, flush)
		d = mrzDoc{}
		return err
	}
	for {
		if err := ctx.Err(); err != nil {
			p.close()
			out.Flush()
			fmt.Fprintln(stderr, "bmis mrz: interrupted")
			return 1
		}
		line, long, err := readLine(in, mrzMaxLineBytes)
		if len(line) > 0 || err == nil {
			if blank(line) {
				if d.total > 0 {
					if werr := next(in.Buffered() == 0); werr != nil {
						return fail("write", werr)
					}
				}
			} else {
				if len(d.lines) < mrzMaxLines {
					d.lines = append(d.lines, string(line))
					d.cut = append(d.cut, long)
				}
				d.total++
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				return fail("read", err)
			}
			break
		}
	}
	// A last document without a blank line after it, or no lines at all: still
	// a document to report on (an object with errors, so a script piping
	// nothing in learns why nothing was read).
	if d.total > 0 || docs == 0 {
		if err := next(true); err != nil {
			return fail("write", err)
		}
	}
	if err := p.close(); err != nil {
		return fail("write", err)
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintf(stderr, "bmis mrz: write: %v\n", err)
		return 1
	}
	return 0
}

// readLine returns the next line without its "\n", keeping at most max bytes of
// it (the rest is read and dropped; cut tells). err is io.EOF after the last line.
func readLine(r *bufio.Reader, max int) (line []byte, cut bool, err error) {
	for {
		chunk, err := r.ReadSlice('\n')
		if err == nil {
			chunk = chunk[:len(chunk)-1]
		}
		if room := max - len(line); len(chunk) > room {
			line = append(line, chunk[:room]...)
			cut = true
		} else {
			line = append(line, chunk...)
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return line, cut, err
		}
	}
}

func blank(line []byte) bool {
	for _, c := range line {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}
