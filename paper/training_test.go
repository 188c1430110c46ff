package paper

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app/training"
)

func TestTrainingResults(t *testing.T) {
	at := time.Date(2026, 12, 7, 17, 0, 0, 0, time.UTC)
	words := func(key string, args ...any) string {
		ru := map[string]string{"training.report.title": "Результаты обучения", "training.report.trainee": "Слушатель %s",
			"training.skill.impostors": "Самозванцы", "training.report.running": "идёт"}
		if s, ok := ru[key]; ok {
			return fmt.Sprintf(s, args...)
		}
		return key
	}
	score := training.Summarize("fraud", []training.TravellerScore{
		{Traveller: "f01", Skill: training.SkillImpostors, Points: 0, Max: 100, Missed: []training.Finding{training.FindImpostor}},
		{Traveller: "f02", Skill: training.SkillImpostors, Points: 100, Max: 100, DecisionOK: true},
	})
	sessions := []training.Session{
		{ID: "s1", Trainee: "T1", Pack: "fraud", Started: at.Add(-time.Hour), Finished: at, Score: score},
		{ID: "s2", Trainee: "T1", Pack: "basics", Started: at},
	}
	pdf, err := TrainingResults(words, at, []training.Progress{training.ProgressOf("T1", sessions[:1])}, sessions)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{"Результаты обучения", "Слушатель T1", "Самозванцы", "50.0 %", "1/1", "идёт", "2026-12-07 16:00", "2026-12-07 17:00 UTC"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the results lack %q:\n%s", want, text)
		}
	}
}
