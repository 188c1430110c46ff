package training

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/chekara/chekara/app"
)

// Scripted is one decision of a decisions file: what a trainee does with one
// traveller, played through the real booth by `bmis training play`.
type Scripted struct {
	Traveller string       `json:"traveller"`
	Decision  app.Decision `json:"decision"`
	Reason    string       `json:"reason,omitempty"` // refusal reason code
	Note      string       `json:"note,omitempty"`   // referral note, or the refusal's ground in words
	Ground    string       `json:"ground,omitempty"` // for admitting against a STOP verdict
	// Hits says how every watchlist hit is resolved before deciding:
	// "confirm", "false_match" (with Note as the reason), or "" to leave them.
	Hits  string    `json:"hits,omitempty"`
	Found []Finding `json:"found,omitempty"` // the findings the trainee names
	// Seconds the trainee takes (the scenario's clock moves by it).
	Seconds float64 `json:"seconds,omitempty"`
}

// Decisions is a decisions file.
type Decisions struct {
	Format    int        `json:"chekara_decisions"`
	Pack      string     `json:"pack"`
	Decisions []Scripted `json:"decisions"`
}

// ParseDecisions reads and checks a decisions file against its pack. Errors:
// EINVALID naming the decision at fault.
func ParseDecisions(data []byte, p *Pack) (*Decisions, error) {
	if len(data) > MaxPackBytes {
		return nil, app.Errorf(app.EINVALID, "The decisions file is %d bytes; at most %d.", len(data), MaxPackBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var d Decisions
	if err := dec.Decode(&d); err != nil {
		return nil, app.Errorf(app.EINVALID, "The decisions file is not valid JSON of its format: %v.", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, app.Errorf(app.EINVALID, "The decisions file has more after its JSON object.")
	}
	var probs []string
	bad := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	if d.Format != 1 {
		bad(`"chekara_decisions" is %d, not 1`, d.Format)
	}
	if p != nil && d.Pack != p.ID {
		bad("pack %q: these decisions are for another pack than %s", d.Pack, p.ID)
	}
	seen := map[string]bool{}
	for i, s := range d.Decisions {
		at := fmt.Sprintf("decision %d (%s)", i+1, s.Traveller)
		if p != nil {
			if _, ok := p.Traveller(s.Traveller); !ok {
				bad("%s: the pack has no such traveller", at)
			}
		}
		if seen[s.Traveller] {
			bad("%s: the traveller is decided twice", at)
		}
		seen[s.Traveller] = true
		if s.Decision != app.Admit && s.Decision != app.Refuse && s.Decision != app.Refer {
			bad("%s: decision %q is not admit, refuse or refer", at, s.Decision)
		}
		if s.Hits != "" && s.Hits != "confirm" && s.Hits != "false_match" {
			bad("%s: hits %q is not confirm or false_match", at, s.Hits)
		}
		for _, f := range s.Found {
			if !slices.Contains(Findings, f) {
				bad("%s: found %q is not one of %v", at, f, Findings)
			}
		}
		if s.Seconds < 0 || s.Seconds > 86400 {
			bad("%s: seconds %v is not between 0 and 86400", at, s.Seconds)
		}
	}
	if len(probs) > 0 {
		return nil, app.Errorf(app.EINVALID, "The decisions file is not valid (%d problems):\n%s", len(probs), strings.Join(probs, "\n"))
	}
	return &d, nil
}

// PerfectPlay is the key played as a trainee should: the key's decision, its
// first reason, every hit resolved as the key implies and every finding named.
func PerfectPlay(p *Pack) Decisions {
	d := Decisions{Format: 1, Pack: p.ID}
	for _, t := range p.Travellers {
		k := t.Key
		s := Scripted{Traveller: t.ID, Decision: k.Decision, Found: slices.Clone(k.Findings), Seconds: 30}
		s.Hits = k.Hits
		s.Note = "Not the listed person: birth date and nationality differ."
		if s.Hits == "" {
			s.Hits = "false_match" // a hit the author did not foresee is still resolved
		}
		switch k.Decision {
		case app.Refuse:
			s.Reason = k.Reasons[0]
			s.Note = "Refused: " + strings.Join(findingNames(k.Findings), ", ") + "."
		case app.Refer:
			s.Note = "Referred: " + strings.Join(findingNames(k.Findings), ", ") + "."
		}
		d.Decisions = append(d.Decisions, s)
	}
	return d
}

// AdmitAll admits every traveller: every hit waved through as a false match,
// every STOP overridden. The worst trainee; it must miss every finding.
func AdmitAll(p *Pack) Decisions {
	d := Decisions{Format: 1, Pack: p.ID}
	for _, t := range p.Travellers {
		d.Decisions = append(d.Decisions, Scripted{Traveller: t.ID, Decision: app.Admit, Hits: "false_match",
			Note: "Looks fine.", Ground: "The traveller insisted.", Seconds: 10})
	}
	return d
}

func findingNames(fs []Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = string(f)
	}
	return out
}
