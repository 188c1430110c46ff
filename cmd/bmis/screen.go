package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/screening"
)

func init() {
	register(command{
		name:    "screen",
		summary: "screen travellers (JSON lines on stdin) against a watchlist",
		run:     runScreen,
	})
}

// screenHit is one hit as the command prints it: exactly the fields of the
// public contract (README, issue 6), whatever Hit grows later.
type screenHit struct {
	ID       string   `json:"id"`
	Kind     string   `json:"kind"`
	Category string   `json:"category"`
	Score    float64  `json:"score"`
	Reasons  []string `json:"reasons"`
}

type screenLine struct {
	Error string      `json:"error,omitempty"`
	Hits  []screenHit `json:"hits"`
}

const maxTravellerLine = 1 << 20

func runScreen(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("screen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	lists := fs.String("lists", "", "watchlist `FILE`: a snapshot list file (docs/lists.md) or a screening index file")
	threshold := fs.Float64("threshold", 0, "alert from this score (0–1) for every category; 0 uses the default per-category thresholds")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bmis screen --lists FILE [--threshold X] < travellers.jsonl")
		fmt.Fprintln(stderr, `input lines: {"surname","given_names","birth_date","nationality","sex","issuing_state","document_number"}`)
		fmt.Fprintln(stderr, `output lines: {"hits":[{"id","kind","category","score","reasons":[…]}]} (best first)`)
		fmt.Fprintln(stderr, `a line that is not a traveller object gives {"error":"…","hits":[]}; an unreadable birth_date`)
		fmt.Fprintln(stderr, `is reported in "error" too, and the traveller is still screened without it`)
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *lists == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	if *threshold < 0 || *threshold > 1 {
		fmt.Fprintln(stderr, "bmis screen: --threshold must be between 0 and 1")
		return 2
	}
	idx, err := loadLists(*lists)
	if err != nil {
		fmt.Fprintf(stderr, "bmis screen: %s: %v\n", *lists, err)
		return 1
	}
	cfg := screening.DefaultConfig()
	if *threshold > 0 {
		cfg = screening.Uniform(*threshold)
	}
	w := screening.NewWatchlist(idx, cfg)
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	in := bufio.NewReaderSize(stdin, 64<<10)
	for lineNo := 1; ; lineNo++ {
		if ctx.Err() != nil {
			return 1
		}
		line, tooLong, err := readTravellerLine(in)
		if err == io.EOF {
			break
		} else if err != nil {
			fmt.Fprintf(stderr, "bmis screen: reading stdin: %v\n", err)
			return 1
		}
		res := screenLine{Hits: []screenHit{}}
		line = bytes.TrimSpace(line)
		var t screening.Traveller
		switch {
		case tooLong:
			res.Error = fmt.Sprintf("line %d: longer than %d bytes", lineNo, maxTravellerLine)
		case len(line) == 0:
			res.Error = fmt.Sprintf("line %d: empty", lineNo)
		default:
			if err := decodeTraveller(line, &t); err != nil {
				res.Error = fmt.Sprintf("line %d: %v", lineNo, err)
				break
			}
			s := w.Check(t)
			if s.Problem != "" {
				// Screening went ahead on the names and document; the
				// birth date the input gave is unusable, which the caller must know.
				res.Error = fmt.Sprintf("line %d: %s", lineNo, s.Problem)
			}
			for _, h := range s.Hits {
				res.Hits = append(res.Hits, screenHit{ID: h.ID, Kind: string(h.Kind), Category: h.Category, Score: h.Score, Reasons: h.Reasons})
			}
		}
		if err := enc.Encode(res); err != nil {
			fmt.Fprintf(stderr, "bmis screen: writing: %v\n", err)
			return 1
		}
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintf(stderr, "bmis screen: writing: %v\n", err)
		return 1
	}
	return 0
}

func decodeTraveller(line []byte, t *screening.Traveller) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	if err := dec.Decode(t); err != nil {
		return fmt.Errorf("not a traveller JSON object: %v", err)
	}
	if dec.More() {
		return errors.New("text after the JSON object")
	}
	return nil
}

// readTravellerLine returns the next line; a line over maxTravellerLine is
// skipped to its end and reported as too long, so one bad line never stops
// the run.
func readTravellerLine(r *bufio.Reader) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := r.ReadSlice('\n')
		if !tooLong {
			line = append(line, chunk...)
			if len(line) > maxTravellerLine {
				tooLong, line = true, nil
			}
		}
		switch {
		case err == nil:
			return line, tooLong, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF:
			if len(line) == 0 && !tooLong {
				return nil, false, io.EOF
			}
			return line, tooLong, nil
		default:
			return nil, false, err
		}
	}
}

// loadLists opens a snapshot list file, or a screening index file (told apart
// by its first bytes), and gives the index to screen against.
func loadLists(path string) (*screening.Index, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	head, _ := br.Peek(8)
	if string(head) == "CHKSCRN\x00" {
		return screening.ReadIndex(br)
	}
	l, err := screening.ReadList(br)
	if err != nil {
		return nil, errors.New(app.ErrorMessage(err))
	}
	return screening.Build(l)
}
