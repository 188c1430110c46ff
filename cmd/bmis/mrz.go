package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/chekara/chekara/app/mrz"
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
	var buf []byte   // one document's JSON, reused
	var doc []string // lines of the current document, at most mrzMaxLines
	var cut []bool   // whether each line of doc was cut at mrzMaxLineBytes
	total := 0       // lines of the current document, counted past the limit
	docs := 0
	emit := func() error {
		res := mrz.Parse(doc, today)
		for i, p := range res.Errors {
			switch {
			case p.Code == mrz.CodeLineCount && total > len(doc):
				res.Errors[i].Message = fmt.Sprintf("The MRZ has %d lines (only the first %d were checked); an MRZ has 2 or 3 lines.", total, len(doc))
			case p.Code == mrz.CodeLineLength && p.Line <= len(cut) && cut[p.Line-1]:
				res.Errors[i].Message = fmt.Sprintf("Line %d has more than %d characters (only those were checked); an MRZ line has 30, 36 or 44.", p.Line, mrzMaxLineBytes)
			}
		}
		doc, cut, total = doc[:0], cut[:0], 0
		docs++
		// The hand-written encoder writes the bytes json.Encoder did (app/mrz's
		// TestAppendJSONIsMarshalJSON) in a third of the time.
		buf = append(res.AppendJSON(buf[:0]), '\n')
		if _, err := out.Write(buf); err != nil {
			return err
		}
		if in.Buffered() == 0 {
			// The next read may wait for a reader or a person: let whoever
			// drives the pipe see this answer now.
			return out.Flush()
		}
		return nil
	}
	for {
		if err := ctx.Err(); err != nil {
			out.Flush()
			fmt.Fprintln(stderr, "bmis mrz: interrupted")
			return 1
		}
		line, long, err := readLine(in, mrzMaxLineBytes)
		if len(line) > 0 || err == nil {
			if blank(line) {
				if total > 0 {
					if werr := emit(); werr != nil {
						fmt.Fprintf(stderr, "bmis mrz: write: %v\n", werr)
						return 1
					}
				}
			} else {
				if len(doc) < mrzMaxLines {
					doc = append(doc, string(line))
					cut = append(cut, long)
				}
				total++
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				fmt.Fprintf(stderr, "bmis mrz: read: %v\n", err)
				out.Flush()
				return 1
			}
			break
		}
	}
	if total > 0 {
		if err := emit(); err != nil {
			fmt.Fprintf(stderr, "bmis mrz: write: %v\n", err)
			return 1
		}
	} else if docs == 0 {
		// No lines at all is still a document to report on: an object with errors,
		// so a script piping nothing in learns why nothing was read.
		if err := emit(); err != nil {
			fmt.Fprintf(stderr, "bmis mrz: write: %v\n", err)
			return 1
		}
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
