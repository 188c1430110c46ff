// Command ocr-report prints the OCR accuracy table: for every distortion class of
// devices/ocr/synth, it generates documents from a fixed seed, reads them with
// devices/ocr and counts whole MRZs read exactly, characters read right, readings
// reported valid, and — the figure that matters most — readings reported valid that
// are wrong. `make ocr-report` runs it.
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/chekara/chekara/devices/ocr"
	"github.com/chekara/chekara/devices/ocr/synth"
)

func main() {
	n := flag.Int("n", 100, "documents per distortion class")
	seed := flag.Uint64("seed", 20261125, "random seed (fixed, so the table is reproducible)")
	only := flag.String("class", "", "comma-separated classes to run (default: all)")
	always := flag.Bool("tesseract-always", false, "run Tesseract on every band, not only when the glyph reading needs it")
	glyph := flag.Bool("no-tesseract", false, "glyph classifier alone")
	tessAlone := flag.Bool("tesseract-alone", false, "also score Tesseract's own lines (implies -tesseract-always)")
	misses := flag.Bool("misses", false, "print every document not read exactly to stderr")
	flag.Parse()
	ocr.OneThread()
	opt := ocr.Options{TesseractAlways: *always || *tessAlone, NoTesseract: *glyph}
	r, err := ocr.NewReader(opt)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ocr-report:", err)
		os.Exit(1)
	}
	defer r.Close()
	engine := "OCR-B glyph classifier + Tesseract (when the glyph reading does not validate or is uncertain)"
	switch {
	case *glyph:
		engine = "OCR-B glyph classifier alone"
	case opt.TesseractAlways:
		engine = "OCR-B glyph classifier + Tesseract on every band"
	}
	fmt.Printf("OCR accuracy — %d documents per class (TD1, TD2, TD3 at random), seed %d\nengine: %s\n\n", *n, *seed, engine)
	head := "| class | n | found | whole MRZ exact | chars right | valid | wrong but valid | … not flagged uncertain | median CPU ms | p95 CPU ms | median wall ms |"
	if *tessAlone {
		head += " Tesseract alone: whole | chars |"
	}
	fmt.Println(head)
	fmt.Println(strings.Repeat("|---", strings.Count(head, "|")-1) + "|")
	var tot [6]int
	for ci, c := range synth.Classes {
		if *only != "" && !slices.Contains(strings.Split(*only, ","), c.Name) {
			continue
		}
		rng := rand.New(rand.NewPCG(*seed, uint64(ci)))
		var found, exact, valid, wbv, wbvUnflagged, chars, charTot, tExact, tChars int
		var ms, cpu []float64
		for i := 0; i < *n; i++ {
			s, err := synth.Generate(rng, c)
			if err != nil {
				fmt.Fprintln(os.Stderr, "ocr-report:", err)
				os.Exit(1)
			}
			t0, c0 := time.Now(), ocr.CPUTime()
			rd, err := r.Read(s.Image, synth.Today)
			ms = append(ms, float64(time.Since(t0).Microseconds())/1000)
			cpu = append(cpu, float64((ocr.CPUTime()-c0).Microseconds())/1000)
			if err != nil {
				fmt.Fprintln(os.Stderr, "ocr-report:", err)
				os.Exit(1)
			}
			for _, l := range s.Lines {
				charTot += len(l)
			}
			chars += same(rd.Lines, s.Lines)
			tChars += same(rd.Tesseract, s.Lines)
			if slices.Equal(rd.Tesseract, s.Lines) {
				tExact++
			}
			if !rd.Found {
				if *misses {
					fmt.Fprintf(os.Stderr, "not found (%s #%d): %s\n", c.Name, i, rd.Reason)
				}
				continue
			}
			found++
			ok := slices.Equal(rd.Lines, s.Lines)
			if ok {
				exact++
			} else if *misses {
				fmt.Fprintf(os.Stderr, "miss (%s #%d): read %q\n  printed %q\n  tesseract %q valid %v uncertain %v\n", c.Name, i, rd.Lines, s.Lines, rd.Tesseract, rd.MRZ.Valid, rd.Uncertain)
			}
			if rd.MRZ.Valid {
				valid++
				if !ok {
					wbv++
					if len(rd.Uncertain) == 0 {
						wbvUnflagged++
					}
					fmt.Fprintf(os.Stderr, "wrong but valid (%s): read %q, printed %q, uncertain %v\n", c.Name, rd.Lines, s.Lines, rd.Uncertain)
				}
			}
		}
		sort.Float64s(ms)
		sort.Float64s(cpu)
		row := fmt.Sprintf("| %s | %d | %d | %.1f %% | %.2f %% | %d | %d | %d | %.0f | %.0f | %.0f |", c.Name, *n, found,
			pct(exact, *n), pct(chars, charTot), valid, wbv, wbvUnflagged, cpu[len(cpu)/2], cpu[len(cpu)*95/100], ms[len(ms)/2])
		if *tessAlone {
			row += fmt.Sprintf(" %.1f %% | %.1f %% |", pct(tExact, *n), pct(tChars, charTot))
		}
		fmt.Println(row)
		for k, v := range []int{*n, found, exact, valid, wbv, wbvUnflagged} {
			tot[k] += v
		}
	}
	fmt.Printf("| **all** | %d | %d | %.1f %% | | %d | %d | %d | | | |\n", tot[0], tot[1], pct(tot[2], tot[0]), tot[3], tot[4], tot[5])
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

// same counts characters equal at the same line and column.
func same(got, want []string) int {
	n := 0
	for i := range min(len(got), len(want)) {
		for j := range min(len(got[i]), len(want[i])) {
			if got[i][j] == want[i][j] {
				n++
			}
		}
	}
	return n
}
