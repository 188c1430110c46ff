package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/devices/chip"
	"github.com/chekara/chekara/devices/chip/chipsim"
	"github.com/chekara/chekara/devices/chip/pa"
)

func init() {
	register(command{
		name:    "chip",
		summary: "read an ePassport chip over PC/SC with the MRZ on stdin and check it; one JSON object",
		run:     runChip,
	})
	register(command{
		name:    "chip-sim",
		summary: "a simulated ePassport chip in vsmartcard's virtual reader (vpcd), MRZ on stdin",
		run:     runChipSim,
	})
}

// readMRZ reads the MRZ lines of one document from stdin: up to a blank line or
// the end, at most 3 lines of at most 64 bytes each.
func readMRZ(stdin io.Reader) ([]string, error) {
	sc := bufio.NewScanner(io.LimitReader(stdin, 4096))
	var lines []string
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l == "" {
			if len(lines) > 0 {
				break
			}
			continue
		}
		if len(lines) == 3 || len(l) > 64 {
			return nil, errors.New("the MRZ must be 2 or 3 lines of 30, 36 or 44 characters")
		}
		lines = append(lines, l)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(lines) == 0 {
		return nil, errors.New("no MRZ lines on stdin")
	}
	return lines, nil
}

// chipJSON is the object bmis chip prints (issue 19).
type chipJSON struct {
	Access         string          `json:"access"`
	DG1            json.RawMessage `json:"dg1"`
	Face           *faceJSON       `json:"face"`
	PassiveAuth    *pa.Result      `json:"passive_auth"`
	ChipMatchesMRZ bool            `json:"chip_matches_mrz"`
	ActiveAuth     string          `json:"active_auth"`
	MS             int64           `json:"ms"`
}

type faceJSON struct {
	Format string `json:"format"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

// runChip reads the chip in the reader with the key of the MRZ on stdin and
// prints one JSON object: the result, or {"error": …} with exit status 1.
func runChip(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("chip", flag.ContinueOnError)
	fs.SetOutput(stderr)
	readerName := fs.String("reader", "auto", "PC/SC reader `name` (or part of it), or auto")
	mlPath := fs.String("masterlist", "", "CSCA certificates: a CMS master list or PEM `file`; without it no chain can be valid")
	timeout := fs.Duration("timeout", 10*time.Second, "give up after this long")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bmis chip [--reader NAME|auto] [--masterlist FILE] < mrz")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	fail := func(err error) int {
		b, _ := json.Marshal(map[string]string{"error": err.Error()})
		fmt.Fprintf(stdout, "%s\n", b)
		return 1
	}
	if fs.NArg() > 0 {
		return fail(fmt.Errorf("unexpected argument %q (the MRZ comes on stdin)", fs.Arg(0)))
	}
	var trust *pa.Trust
	if *mlPath != "" {
		b, err := os.ReadFile(*mlPath)
		if err != nil {
			return fail(err)
		}
		if trust, err = pa.ParseTrust(b); err != nil {
			return fail(fmt.Errorf("%s: %w", *mlPath, err))
		}
	}
	lines, err := readMRZ(stdin)
	if err != nil {
		return fail(err)
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	start := time.Now()
	r := &chip.PCSC{Reader: *readerName}
	defer r.Close()
	in, err := chip.Inspect(ctx, r, lines, trust, time.Now(), chip.Options{})
	if err != nil {
		return fail(err)
	}
	out := chipJSON{
		Access:         in.Access,
		DG1:            mrz.Parse(in.DG1, time.Now()).AppendJSON(nil),
		PassiveAuth:    in.PA,
		ChipMatchesMRZ: in.MatchesMRZ,
		ActiveAuth:     in.ActiveAuth,
		MS:             time.Since(start).Milliseconds(),
	}
	if in.Face != nil {
		out.Face = &faceJSON{in.Face.Format, in.Face.Width, in.Face.Height}
	}
	b, err := json.Marshal(out)
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(stdout, "%s\n", b)
	return 0
}

// runChipSim makes a simulated chip for the MRZ on stdin, writes its CSCA, and
// serves it to vpcd until interrupted.
func runChipSim(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("chip-sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("vpcd", chipsim.DefaultVPCD, "vpcd's card-side `HOST:PORT`")
	variant := fs.String("variant", chipsim.Valid, "`V`: "+strings.Join(chipsim.Variants, ", "))
	cscaOut := fs.String("csca-out", "", "write the CSCA certificate made for this chip to `FILE` (PEM)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bmis chip-sim [--vpcd HOST:PORT] [--variant V] [--csca-out FILE] < mrz")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "bmis chip-sim: unexpected argument %q (the MRZ comes on stdin)\n", fs.Arg(0))
		return 2
	}
	lines, err := readMRZ(stdin)
	if err != nil {
		fmt.Fprintf(stderr, "bmis chip-sim: %v\n", err)
		return 2
	}
	c, err := chipsim.New(lines, *variant, time.Now())
	if err != nil {
		fmt.Fprintf(stderr, "bmis chip-sim: %v\n", err)
		return 2
	}
	if *cscaOut != "" {
		if err := os.WriteFile(*cscaOut, c.Authority.CSCAPEM(), 0o644); err != nil {
			fmt.Fprintf(stderr, "bmis chip-sim: %v\n", err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "bmis chip-sim: chip %q in vpcd's reader at %s until interrupted\n", *variant, *addr)
	chipsim.Serve(ctx, *addr, c)
	return 0
}
