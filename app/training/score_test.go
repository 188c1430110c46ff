package training_test

import (
	"slices"
	"testing"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/training"
)

func TestScore(t *testing.T) {
	expired := training.Traveller{ID: "x", Key: training.Key{Decision: app.Refuse, Accept: []app.Decision{app.Refer},
		Reasons: []string{"A"}, Findings: []training.Finding{training.FindExpired}, Seconds: 60}}
	listed := training.Traveller{ID: "l", Key: training.Key{Decision: app.Refuse, Reasons: []string{"H"},
		Findings: []training.Finding{training.FindListedPerson, training.FindExpired}, Hits: "confirm"}}
	clean := training.Traveller{ID: "c", Key: training.Key{Decision: app.Admit}}
	namesake := training.Traveller{ID: "n", Key: training.Key{Decision: app.Admit, Hits: "false_match"}}
	tests := []struct {
		name        string
		t           training.Traveller
		o           training.Outcome
		points      int
		missed      []training.Finding
		falseRefuse bool
		slow        bool
	}{
		{"refused with the reason", expired, training.Outcome{Decision: app.Refuse, Reason: "A", Seconds: 30}, 100, nil, false, false},
		{"refused for another reason", expired, training.Outcome{Decision: app.Refuse, Reason: "H"}, 60, []training.Finding{training.FindExpired}, false, false},
		{"refused for another reason, finding named", expired, training.Outcome{Decision: app.Refuse, Reason: "H", Marked: []training.Finding{training.FindExpired}}, 80, nil, false, false},
		{"referred, accepted, finding named", expired, training.Outcome{Decision: app.Refer, Marked: []training.Finding{training.FindExpired}}, 100, nil, false, false},
		{"referred without naming it", expired, training.Outcome{Decision: app.Refer}, 80, []training.Finding{training.FindExpired}, false, false},
		{"admitted", expired, training.Outcome{Decision: app.Admit, Marked: []training.Finding{training.FindExpired}}, 0, []training.Finding{training.FindExpired}, false, false},
		{"undecided", expired, training.Outcome{}, 0, []training.Finding{training.FindExpired}, false, false},
		{"slow", expired, training.Outcome{Decision: app.Refuse, Reason: "A", Seconds: 61}, 100, nil, false, true},
		{"listed: confirmed, refused H", listed, training.Outcome{Decision: app.Refuse, Reason: "H", Confirmed: true}, 90, []training.Finding{training.FindExpired}, false, false},
		{"listed: not confirmed", listed, training.Outcome{Decision: app.Refuse, Reason: "H", FalseMatch: true}, 70, []training.Finding{training.FindExpired}, false, false},
		{"clean admitted", clean, training.Outcome{Decision: app.Admit}, 100, nil, false, false},
		{"clean refused", clean, training.Outcome{Decision: app.Refuse, Reason: "A"}, 0, nil, true, false},
		{"clean referred", clean, training.Outcome{Decision: app.Refer}, 0, nil, true, false},
		{"namesake resolved false", namesake, training.Outcome{Decision: app.Admit, FalseMatch: true}, 100, nil, false, false},
		{"namesake confirmed", namesake, training.Outcome{Decision: app.Admit, Confirmed: true}, 80, nil, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := training.Score(tt.t, tt.o)
			if s.Points != tt.points || !slices.Equal(s.Missed, tt.missed) || s.FalseRefusal != tt.falseRefuse || s.Slow != tt.slow {
				t.Errorf("got points %d missed %v false refusal %v slow %v, want %d %v %v %v",
					s.Points, s.Missed, s.FalseRefusal, s.Slow, tt.points, tt.missed, tt.falseRefuse, tt.slow)
			}
		})
	}
}

func TestScoreSessionAndProgress(t *testing.T) {
	p, err := training.Parse(shipped(t, "fraud"))
	if err != nil {
		t.Fatal(err)
	}
	var perfect, none []training.Outcome
	for _, s := range training.PerfectPlay(p).Decisions {
		perfect = append(perfect, training.Outcome{Traveller: s.Traveller, Decision: s.Decision, Reason: s.Reason, Marked: s.Found, Seconds: s.Seconds})
	}
	got := training.ScoreSession(p, perfect)
	if got.Percent != 100 || got.Missed != 0 || got.Correct != len(p.Travellers) || got.MedianSeconds != 30 {
		t.Errorf("perfect: %+v", got)
	}
	bad := training.ScoreSession(p, none)
	if bad.Undecided != len(p.Travellers) || bad.Missed != bad.Findings || bad.Percent != 0 {
		t.Errorf("nothing decided: %+v", bad)
	}
	if i := slices.IndexFunc(got.Skills, func(s training.SkillScore) bool { return s.Skill == training.SkillImpostors }); i < 0 || got.Skills[i].Travellers == 0 {
		t.Errorf("fraud trains impostors: %+v", got.Skills)
	}
	pr := training.ProgressOf("T1", []training.Session{
		{Trainee: "T1", Score: got, Started: p.TodayTime().AddDate(0, 0, 1)},
		{Trainee: "T1", Score: bad, Started: p.TodayTime()},
		{Trainee: "T2", Score: got},
	})
	if pr.Sessions != 2 || !slices.Equal(pr.Trend, []float64{0, 100}) || pr.Percent != 50 {
		t.Errorf("progress: %+v", pr)
	}
}
