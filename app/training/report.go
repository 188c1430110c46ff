package training

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Assignment is a pack a trainer gave a trainee, and when the debrief comes.
type Assignment struct {
	Trainee, Pack string
	Debrief       DebriefMode
	By            string
	At            time.Time
}

// PackInfo is one pack a centre imported.
type PackInfo struct {
	ID         string
	Title      string
	ImportedAt time.Time
}

// CSVHeader is the first row of ResultsCSV: one row per traveller scored.
var CSVHeader = []string{"session", "trainee", "pack", "started", "finished", "traveller", "skill", "expected",
	"decision", "reason", "decision_ok", "reason_ok", "caught", "missed", "false_refusal", "seconds", "points", "max"}

// ResultsCSV writes every traveller of every session as a CSV row
// (CSVHeader), for a trainer's spreadsheet. Times are RFC 3339 UTC; a
// session still running has no finished time.
func ResultsCSV(sessions []Session) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(CSVHeader)
	join := func(fs []Finding) string { return strings.Join(findingNames(fs), " ") }
	for _, s := range sessions {
		finished := ""
		if !s.Finished.IsZero() {
			finished = s.Finished.UTC().Format(time.RFC3339)
		}
		for _, t := range s.Score.Travellers {
			w.Write([]string{s.ID, s.Trainee, s.Pack, s.Started.UTC().Format(time.RFC3339), finished, t.Traveller, string(t.Skill),
				string(t.Expected), string(t.Decision), t.Reason, strconv.FormatBool(t.DecisionOK), strconv.FormatBool(t.ReasonOK),
				join(t.Caught), join(t.Missed), strconv.FormatBool(t.FalseRefusal), fmt.Sprint(t.Seconds),
				strconv.Itoa(t.Points), strconv.Itoa(t.Max)})
		}
	}
	w.Flush()
	return b.Bytes()
}
