// Command mrzcompare re-runs the comparison of issue 21: it generates TD3
// passports with listed country codes, changes one character in half of them,
// and compares what app/mrz says with what the cheminfo mrz package (npm,
// MIT) says about each. Run it through scripts/mrz-compare.sh, which installs
// the package in a temporary folder outside the repository.
//
// A reading "passes" here when it is valid with no unknown_country warning,
// and "passed before issue 21" when it is valid (the warning did not exist);
// it passes there when cheminfo's result is valid.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/chekara/chekara/app/mrz"
)

func main() {
	n := flag.Int("n", 3000, "documents to generate")
	seed := flag.Uint64("seed", 21, "random seed")
	modules := flag.String("node-modules", "", "folder holding node_modules/mrz")
	asOf := flag.String("as-of", "2026-12-04", "the day both parsers judge expiry by")
	show := flag.Int("show", 5, "disagreements to print per kind")
	speed := flag.String("speed", "", "instead of comparing verdicts, time `BMIS` mrz against the package end to end (read, parse, write JSON) on the same -n documents")
	runs := flag.Int("runs", 3, "with -speed: runs of each, the fastest counts")
	flag.Parse()
	today, err := time.Parse("2006-01-02", *asOf)
	if err != nil || *modules == "" {
		fmt.Fprintln(os.Stderr, "usage: mrzcompare -node-modules DIR [-n 3000] [-seed 21] [-as-of YYYY-MM-DD]")
		os.Exit(2)
	}
	docs := generate(*n, *seed)
	if *speed != "" {
		if err := race(*speed, *modules, *asOf, docs, *runs); err != nil {
			fmt.Fprintln(os.Stderr, "mrzcompare:", err)
			os.Exit(1)
		}
		return
	}
	theirs, err := cheminfo(*modules, docs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mrzcompare:", err)
		os.Exit(1)
	}
	type count struct{ before, now int }
	disagree := map[string]*count{}
	examples := map[string][]string{}
	var changed, agreeBefore, agreeNow int
	for i, d := range docs {
		r := mrz.Parse(d.lines, today)
		before := r.Valid
		now := r.Valid
		for _, w := range r.Warnings {
			if w.Code == mrz.WarnUnknownCountry {
				now = false
			}
		}
		if d.field != "" {
			changed++
		}
		kind := d.field
		if kind == "" {
			kind = "unchanged"
		}
		if disagree[kind] == nil {
			disagree[kind] = &count{}
		}
		if before == theirs[i] {
			agreeBefore++
		} else {
			disagree[kind].before++
		}
		if now == theirs[i] {
			agreeNow++
		} else {
			disagree[kind].now++
			if len(examples[kind]) < *show {
				examples[kind] = append(examples[kind], fmt.Sprintf("%s (%s): here valid=%v warnings=%v, cheminfo valid=%v",
					strings.Join(d.lines, " "), d.change, r.Valid, codes(r.Warnings), theirs[i]))
			}
		}
	}
	fmt.Printf("%d TD3 documents (seed %d, as of %s), %d with one character changed\n", len(docs), *seed, *asOf, changed)
	fmt.Printf("disagreements with cheminfo mrz: %d before issue 21, %d now\n", len(docs)-agreeBefore, len(docs)-agreeNow)
	var kinds []string
	for k, c := range disagree {
		if c.before+c.now > 0 {
			kinds = append(kinds, k)
		}
	}
	sort.Strings(kinds)
	fmt.Printf("%-24s %8s %8s\n", "changed field", "before", "now")
	for _, k := range kinds {
		fmt.Printf("%-24s %8d %8d\n", k, disagree[k].before, disagree[k].now)
	}
	for _, k := range kinds {
		for _, e := range examples[k] {
			fmt.Printf("  %s: %s\n", k, e)
		}
	}
}

func codes(ws []mrz.Warning) []string {
	var out []string
	for _, w := range ws {
		out = append(out, w.Code)
	}
	return out
}

type doc struct {
	lines  []string
	field  string // the field the changed character belongs to; "" when unchanged
	change string
}

var (
	surnames = []string{"ASANOV", "SMITH", "MUSTERMANN", "GARCIA", "KIM", "NGUYEN", "IVANOVA", "OKAFOR", "SILVA", "TANAKA", "O<BRIEN", "VAN<DER<BERG"}
	given    = []string{"TALANT", "ANNA<MARIA", "JOHN", "ERIKA", "AIGUL", "LI", "MOHAMMED", "SOFIA", "BAKYT", ""}
)

// generate makes n TD3s; every other one has one character changed to another
// character of the MRZ set.
func generate(n int, seed uint64) []doc {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var states []string
	for _, c := range mrz.Countries() {
		if c.Kind == "iso" || c.Kind == "icao" {
			states = append(states, c.Code)
		}
	}
	const set = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
	alnum := func(k int) string {
		b := make([]byte, k)
		for i := range b {
			b[i] = set[rng.IntN(36)]
		}
		return string(b)
	}
	yymmdd := func(from, to int) string {
		d := time.Date(from, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN((to-from)*365))
		return d.Format("060102")
	}
	docs := make([]doc, 0, n)
	for len(docs) < n {
		state := states[rng.IntN(len(states))]
		nat := state
		if rng.IntN(5) == 0 {
			nat = states[rng.IntN(len(states))]
		}
		f := mrz.Fields{DocumentCode: "P", IssuingState: state, Nationality: nat,
			Surname: strings.ReplaceAll(surnames[rng.IntN(len(surnames))], "<", " "), GivenNames: strings.ReplaceAll(given[rng.IntN(len(given))], "<", " "),
			DocumentNumber: alnum(9), BirthDate: yymmdd(1940, 2007), Sex: []string{"M", "F", ""}[rng.IntN(3)],
			ExpiryDate: yymmdd(2027, 2036)}
		if rng.IntN(3) == 0 {
			f.OptionalData = alnum(8)
		}
		lines, err := mrz.Compose(mrz.TD3, f)
		if err != nil {
			continue // a generated value the layout cannot hold: draw again
		}
		d := doc{lines: lines}
		if len(docs)%2 == 1 {
			l, c := rng.IntN(2), rng.IntN(44)
			b := []byte(lines[l])
			to := set[rng.IntN(len(set))]
			for to == b[c] {
				to = set[rng.IntN(len(set))]
			}
			d.change = fmt.Sprintf("line %d col %d %c→%c", l+1, c+1, b[c], to)
			b[c] = to
			d.lines = []string{lines[0], lines[1]}
			d.lines[l] = string(b)
			d.field = fieldAt(l, c)
		}
		docs = append(docs, d)
	}
	return docs
}

// fieldAt names the TD3 field at line l, column c (0-based).
func fieldAt(l, c int) string {
	if l == 0 {
		switch {
		case c < 2:
			return "document_code"
		case c < 5:
			return "issuing_state"
		}
		return "name"
	}
	switch {
	case c < 9:
		return "document_number"
	case c == 9:
		return "document_number_check"
	case c < 13:
		return "nationality"
	case c < 19:
		return "birth_date"
	case c == 19:
		return "birth_date_check"
	case c == 20:
		return "sex"
	case c < 27:
		return "expiry_date"
	case c == 27:
		return "expiry_date_check"
	case c < 42:
		return "optional_data"
	case c == 42:
		return "optional_data_check"
	}
	return "composite_check"
}

// cheminfo runs the npm package over every document and returns its valid flags.
func cheminfo(modules string, docs []doc) ([]bool, error) {
	in := make([][]string, len(docs))
	for i, d := range docs {
		in[i] = d.lines
	}
	data, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	script := `const {parse} = require('mrz');
let s = ''; process.stdin.on('data', c => s += c).on('end', () => {
  process.stdout.write(JSON.stringify(JSON.parse(s).map(l => { try { return parse(l).valid } catch (e) { return false } })));
});`
	cmd := exec.Command("node", "-e", script)
	cmd.Env = append(os.Environ(), "NODE_PATH="+filepath.Join(modules, "node_modules"))
	cmd.Stdin = bytes.NewReader(data)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("node: %w", err)
	}
	var valid []bool
	if err := json.Unmarshal(out, &valid); err != nil {
		return nil, fmt.Errorf("node output: %w", err)
	}
	if len(valid) != len(docs) {
		return nil, fmt.Errorf("node answered %d documents of %d", len(valid), len(docs))
	}
	return valid, nil
}
