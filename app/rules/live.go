package rules

import (
	"sync/atomic"
	"time"

	"github.com/chekara/chekara/app"
)

// Live is the rule set a booth works from, as its app.StayRules: Set swaps in
// a new set (pulled from HQ) atomically, so a stay is computed under the old
// set or the new one, never a mix.
type Live struct{ set atomic.Pointer[RuleSet] }

var _ app.StayRules = (*Live)(nil)

// NewLive serves rs.
func NewLive(rs *RuleSet) *Live {
	l := &Live{}
	l.set.Store(rs)
	return l
}

// Set replaces the rule set.
func (l *Live) Set(rs *RuleSet) { l.set.Store(rs) }

// Current returns the rule set in use.
func (l *Live) Current() *RuleSet { return l.set.Load() }

// Stay evaluates the rule for t's nationality. A nationality no rule covers is
// no error: the stay comes back without a rule and the screen says so.
func (l *Live) Stay(t app.TravellerKey, crossings []app.Crossing, d app.Direction, at time.Time) (app.Stay, error) {
	m := Entering
	if d == app.Exit {
		m = Leaving
	}
	s, err := l.set.Load().Evaluate(t.Nationality, crossings, at, m)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return app.Stay{}, nil
	} else if err != nil {
		return app.Stay{}, err
	}
	name := s.Rule.Name
	if name == "" {
		name = s.Rule.ID
	}
	out := app.Stay{Rule: name, Free: s.Rule.FreeMovement, WindowDays: s.Rule.WindowDays, LimitDays: s.Rule.LimitDays,
		DaysUsed: s.DaysUsed, DaysLeft: s.DaysLeft, LastDay: s.LastPermittedDay,
		Overstay: s.OverstayDays > 0, OverstayDays: s.OverstayDays, VisaRequired: s.Rule.VisaRequired,
		Basis: s.Basis, Group: s.Group}
	for _, a := range s.Anomalies {
		out.Anomalies = append(out.Anomalies, a.Kind)
	}
	return out, nil
}

// Country is the country whose stays the rules limit (the rules file's
// "country"): the booth's own country, whose citizens an expired passport
// never bars from entry (app.Home).
func (l *Live) Country() string { return l.set.Load().Country }

// PostPolicy implements app.PostPolicies: what the published rules decide
// for post.
func (l *Live) PostPolicy(post string) app.PostSettings {
	p := l.set.Load().Posts[post]
	return app.PostSettings{ConfirmRefusals: p.ConfirmRefusals, ConfirmRefusalsByHQ: p.ConfirmRefusals}
}

var _ app.Home = (*Live)(nil)

// Version is the rule set's version for the status bar.
func (l *Live) Version() app.Version { return app.Version{Name: l.set.Load().Version} }
