package mrz_test

import (
	"syscall"
	"testing"
	"time"

	"github.com/chekara/chekara/app/mrz"
)

func benchParse(b *testing.B, lines []string, valid bool) {
	if r := mrz.Parse(lines, today); r.Valid != valid {
		b.Fatalf("Valid = %v, errors %v", r.Valid, r.Errors)
	}
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		mrz.Parse(lines, today)
	}
	cpu = cpuTime() - cpu
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	// On a shared machine wall time counts the time other processes hold the
	// core; the process's CPU time (run with -cpu 1) is what one core delivers.
	if cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "docs/cpu-s")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkParseTD3 parses and validates the ICAO passport specimen (two
// warnings: specimen and expired), the figure issue 2 targets.
func BenchmarkParseTD3(b *testing.B) { benchParse(b, specimenTD3, true) }

// BenchmarkParseTD3Plain is a passport with no warnings and no spaces in names.
func BenchmarkParseTD3Plain(b *testing.B) {
	benchParse(b, []string{"P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<", "C01X00T478D<<6408125F3210318<<<<<<<<<<<<<<<2"}, true)
}

func BenchmarkParseTD1(b *testing.B) { benchParse(b, specimenTD1, true) }

// BenchmarkParseRepair is an OCR reading with three O-for-0 confusions: the
// error path, with the repair search.
func BenchmarkParseRepair(b *testing.B) {
	benchParse(b, edit(edit(edit(specimenTD3, 2, 16, "O"), 2, 24, "O"), 2, 44, "O"), false)
}

// BenchmarkParseRepairAmbiguous is a document-number confusion the check digits
// cannot settle: the search runs to the end and offers nothing.
func BenchmarkParseRepairAmbiguous(b *testing.B) { benchParse(b, edit(specimenTD3, 2, 6, "O"), false) }
