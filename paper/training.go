package paper

import (
	"fmt"
	"time"

	"github.com/chekara/chekara/app/training"
)

// TrainingResults prints a training centre's results: each trainee's
// progress by skill across sessions, then every session's score. words
// gives the labels in the reader's language (catalogue keys "training.…").
func TrainingResults(words func(key string, args ...any) string, at time.Time, progress []training.Progress, sessions []training.Session) ([]byte, error) {
	s := New(words("training.report.title"), at)
	pct := func(f float64) string { return fmt.Sprintf("%.1f %%", f) }
	for _, p := range progress {
		s.Heading(words("training.report.trainee", p.Trainee))
		s.Field(words("training.report.sessions"), fmt.Sprint(p.Sessions))
		s.Field(words("training.report.overall"), pct(p.Percent))
		var rows [][]string
		for _, sk := range p.Skills {
			rows = append(rows, []string{words("training.skill." + string(sk.Skill)), fmt.Sprint(sk.Travellers), pct(sk.Percent),
				fmt.Sprintf("%d / %d", sk.Missed, sk.Findings)})
		}
		s.Table([]float64{74, 30, 30, 40}, []string{words("training.report.skill"), words("training.report.travellers"),
			words("training.report.score"), words("training.report.missed")}, rows)
	}
	s.Heading(words("training.report.all_sessions"))
	var rows [][]string
	for _, ss := range sessions {
		state := ss.Finished.Format("2006-01-02 15:04")
		if ss.Finished.IsZero() {
			state = words("training.report.running")
		}
		rows = append(rows, []string{ss.Trainee, ss.Pack, ss.Started.Format("2006-01-02 15:04"), state, pct(ss.Score.Percent),
			fmt.Sprintf("%d / %d", ss.Score.Missed, ss.Score.Findings), fmt.Sprint(ss.Score.FalseRefusals)})
	}
	s.Table([]float64{20, 20, 34, 34, 20, 24, 22}, []string{words("training.report.trainee_col"), words("training.report.pack"),
		words("training.report.started"), words("training.report.finished"), words("training.report.score"),
		words("training.report.missed"), words("training.report.false_refusals")}, rows)
	s.Signature(words("training.report.signature"))
	return s.Bytes()
}
