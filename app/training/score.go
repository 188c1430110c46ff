package training

import (
	"math"
	"slices"
	"time"

	"github.com/chekara/chekara/app"
)

// Outcome is what the trainee did with one traveller, as the booth recorded
// it. Decision is "" when the traveller was never decided (set aside, or the
// session ended first).
type Outcome struct {
	Traveller string       `json:"traveller"`
	Decision  app.Decision `json:"decision,omitempty"`
	Reason    string       `json:"reason,omitempty"`
	// Confirmed: the trainee confirmed a watchlist hit (the traveller is the
	// listed person or document); FalseMatch: resolved one as a false match.
	Confirmed  bool `json:"confirmed,omitempty"`
	FalseMatch bool `json:"false_match,omitempty"`
	// Override: admitted against a STOP verdict with a written ground.
	Override bool `json:"override,omitempty"`
	// Marked are the findings the trainee named ("what I found").
	Marked []Finding `json:"marked,omitempty"`
	// Seconds from the document reaching the booth to the decision.
	Seconds float64 `json:"seconds"`
}

// Points of one traveller: the decision weighs most; the reason and the
// findings say whether it was taken for the right cause.
const (
	PointsDecision = 60
	PointsReason   = 20
	PointsFindings = 20
	PointsMax      = PointsDecision + PointsReason + PointsFindings
)

// TravellerScore is one traveller's score and what the debrief says.
type TravellerScore struct {
	Traveller string       `json:"traveller"`
	Skill     Skill        `json:"skill"`
	Expected  app.Decision `json:"expected"`
	Decision  app.Decision `json:"decision,omitempty"`
	Reason    string       `json:"reason,omitempty"`
	// DecisionOK: the key's decision or one it accepts. ReasonOK: a refusal
	// gave an accepted reason code (true for other decisions), and the hits
	// were resolved as the key says.
	DecisionOK bool `json:"decision_ok"`
	ReasonOK   bool `json:"reason_ok"`
	// Caught and Missed split the key's findings.
	Caught []Finding `json:"caught,omitempty"`
	Missed []Finding `json:"missed,omitempty"`
	// FalseRefusal: refused or referred a traveller the key admits.
	FalseRefusal bool    `json:"false_refusal,omitempty"`
	Undecided    bool    `json:"undecided,omitempty"`
	Seconds      float64 `json:"seconds"`
	Slow         bool    `json:"slow,omitempty"` // over the key's time
	Points       int     `json:"points"`
	Max          int     `json:"max"`
}

// Score scores one traveller. A finding is caught when the traveller was not
// admitted and the trainee named it, refused with a reason that names it, or
// (a list finding) confirmed the hit; admitting lets every finding through.
func Score(t Traveller, o Outcome) TravellerScore {
	k := t.Key
	s := TravellerScore{Traveller: t.ID, Skill: k.SkillOf(), Expected: k.Decision, Decision: o.Decision,
		Reason: o.Reason, Seconds: round1(o.Seconds), Max: PointsMax, Undecided: o.Decision == ""}
	s.DecisionOK = k.Acceptable(o.Decision)
	s.ReasonOK = o.Decision != app.Refuse || len(k.Reasons) == 0 && k.Decision != app.Refuse || slices.Contains(k.Reasons, o.Reason)
	switch k.Hits {
	case "confirm":
		s.ReasonOK = s.ReasonOK && o.Confirmed
	case "false_match":
		s.ReasonOK = s.ReasonOK && o.FalseMatch && !o.Confirmed
	}
	for _, f := range k.Findings {
		caught := o.Decision != "" && o.Decision != app.Admit &&
			(slices.Contains(o.Marked, f) || slices.Contains(FindingReasons[f], o.Reason) ||
				o.Confirmed && (f == FindListedPerson || f == FindStolenDocument))
		if caught {
			s.Caught = append(s.Caught, f)
		} else {
			s.Missed = append(s.Missed, f)
		}
	}
	s.FalseRefusal = k.Decision == app.Admit && (o.Decision == app.Refuse || o.Decision == app.Refer)
	limit := k.Seconds
	if limit == 0 {
		limit = DefaultSeconds
	}
	s.Slow = o.Seconds > float64(limit)
	if s.DecisionOK {
		s.Points += PointsDecision
		if s.ReasonOK {
			s.Points += PointsReason
		}
	}
	if n := len(k.Findings); n == 0 {
		if s.DecisionOK {
			s.Points += PointsFindings
		}
	} else {
		s.Points += PointsFindings * len(s.Caught) / n
	}
	return s
}

// SkillScore is a session's (or a trainee's) standing in one skill.
type SkillScore struct {
	Skill      Skill   `json:"skill"`
	Travellers int     `json:"travellers"`
	Points     int     `json:"points"`
	Max        int     `json:"max"`
	Percent    float64 `json:"percent"`
	Findings   int     `json:"findings"`
	Missed     int     `json:"missed"`
}

// SessionScore is a whole session's score.
type SessionScore struct {
	Pack          string           `json:"pack"`
	Travellers    []TravellerScore `json:"travellers"`
	Points        int              `json:"points"`
	Max           int              `json:"max"`
	Percent       float64          `json:"percent"`
	Correct       int              `json:"correct"` // decisions the key accepts
	Findings      int              `json:"findings"`
	Missed        int              `json:"missed"`
	FalseRefusals int              `json:"false_refusals"`
	Undecided     int              `json:"undecided"`
	Seconds       float64          `json:"seconds"`        // in all
	MedianSeconds float64          `json:"median_seconds"` // per traveller
	Slow          int              `json:"slow"`
	Skills        []SkillScore     `json:"skills"` // only the skills the pack trains, in Skills order
}

// ScoreSession scores a session: every traveller of the pack, in queue
// order, with its outcome (a traveller without one is undecided).
func ScoreSession(p *Pack, outcomes []Outcome) SessionScore {
	by := map[string]Outcome{}
	for _, o := range outcomes {
		by[o.Traveller] = o
	}
	ss := SessionScore{Pack: p.ID}
	for _, t := range p.Travellers {
		o, ok := by[t.ID]
		if !ok {
			o = Outcome{Traveller: t.ID}
		}
		ss.Travellers = append(ss.Travellers, Score(t, o))
	}
	return Summarize(p.ID, ss.Travellers)
}

// Summarize adds up traveller scores: a session's, or a trainee's across
// sessions for their progress.
func Summarize(pack string, ts []TravellerScore) SessionScore {
	ss := SessionScore{Pack: pack, Travellers: ts}
	skills := map[Skill]*SkillScore{}
	var secs []float64
	for _, t := range ts {
		ss.Points += t.Points
		ss.Max += t.Max
		ss.Findings += len(t.Caught) + len(t.Missed)
		ss.Missed += len(t.Missed)
		if t.DecisionOK {
			ss.Correct++
		}
		if t.FalseRefusal {
			ss.FalseRefusals++
		}
		if t.Undecided {
			ss.Undecided++
		} else {
			secs = append(secs, t.Seconds)
			ss.Seconds += t.Seconds
		}
		if t.Slow {
			ss.Slow++
		}
		sk := skills[t.Skill]
		if sk == nil {
			sk = &SkillScore{Skill: t.Skill}
			skills[t.Skill] = sk
		}
		sk.Travellers++
		sk.Points += t.Points
		sk.Max += t.Max
		sk.Findings += len(t.Caught) + len(t.Missed)
		sk.Missed += len(t.Missed)
	}
	ss.Percent = percent(ss.Points, ss.Max)
	ss.Seconds = round1(ss.Seconds)
	if len(secs) > 0 {
		slices.Sort(secs)
		ss.MedianSeconds = round1(secs[len(secs)/2])
		if len(secs)%2 == 0 {
			ss.MedianSeconds = round1((secs[len(secs)/2-1] + secs[len(secs)/2]) / 2)
		}
	}
	for _, s := range Skills {
		if sk := skills[s]; sk != nil {
			sk.Percent = percent(sk.Points, sk.Max)
			ss.Skills = append(ss.Skills, *sk)
		}
	}
	return ss
}

func percent(p, max int) float64 {
	if max == 0 {
		return 0
	}
	return round1(100 * float64(p) / float64(max))
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

// Session is one trainee's play of one pack, as a trainer reviews it.
type Session struct {
	ID        string       `json:"id"`
	Trainee   string       `json:"trainee"`
	Pack      string       `json:"pack"`
	Started   time.Time    `json:"started"`
	Finished  time.Time    `json:"finished,omitzero"`
	Score     SessionScore `json:"score"`
	Outcomes  []Outcome    `json:"outcomes"`
	DebriefAt DebriefMode  `json:"debrief"`
}

// DebriefMode is when the trainee sees what they missed; the trainer chooses.
type DebriefMode string

const (
	DebriefEach DebriefMode = "each" // right after each traveller
	DebriefEnd  DebriefMode = "end"  // once, at the end of the session
)

// Progress is one trainee's standing by skill across sessions.
type Progress struct {
	Trainee  string       `json:"trainee"`
	Sessions int          `json:"sessions"`
	Percent  float64      `json:"percent"`
	Skills   []SkillScore `json:"skills"`
	// Trend is each session's percent, oldest first.
	Trend []float64 `json:"trend"`
}

// ProgressOf sums a trainee's sessions (any order) by skill.
func ProgressOf(trainee string, sessions []Session) Progress {
	ss := slices.Clone(sessions)
	slices.SortFunc(ss, func(a, b Session) int { return a.Started.Compare(b.Started) })
	var all []TravellerScore
	pr := Progress{Trainee: trainee}
	for _, s := range ss {
		if s.Trainee != trainee {
			continue
		}
		pr.Sessions++
		pr.Trend = append(pr.Trend, s.Score.Percent)
		all = append(all, s.Score.Travellers...)
	}
	sum := Summarize("", all)
	pr.Percent, pr.Skills = sum.Percent, sum.Skills
	return pr
}
