package rules

import (
	"cmp"
	"slices"
	"time"

	"github.com/chekara/chekara/app"
)

// Moment is what the booth is about to do when it asks about a stay.
type Moment int

const (
	// Query: no crossing now; an open stay runs up to today.
	Query Moment = iota
	// Entering: the traveller would be admitted today; today counts.
	Entering
	// Leaving: the traveller leaves today; the open stay ends today.
	Leaving
)

// Anomaly is something in the records the officer should ask about.
type Anomaly struct {
	Kind string    // AnomalyMissingExit, AnomalyExitWithoutEntry, AnomalyRuleChanges
	Day  time.Time // the day concerned, midnight at the rule set's offset
}

const (
	// An entry followed by another entry: its exit was never recorded. Only
	// the entry day counts.
	AnomalyMissingExit = "missing_exit"
	// An exit with no entry before it: only the exit day counts.
	AnomalyExitWithoutEntry = "exit_without_entry"
	// Another rule takes over for this nationality on Day, before the last
	// permitted day: recheck the stay then.
	AnomalyRuleChanges = "rule_changes"
)

// Stay is the arithmetic of one traveller's stay under one rule.
type Stay struct {
	Rule StayRule
	// Basis and Group say why Rule covers the nationality (see Match).
	Basis, Group string
	// Today is the day asked about.
	Today time.Time
	// InCountry: the records show an open stay (or the traveller is entering).
	InCountry bool
	// StayStart is the first day of the current stay; zero when not in the country.
	StayStart time.Time
	// DaysUsed: days in the country within the window ending today, today
	// included when in the country today.
	DaysUsed int
	// DaysLeft: LimitDays − DaysUsed, at least 0 — the days left in this window.
	// Days older than the window fall out as time passes, so a traveller may in
	// fact stay longer: LastPermittedDay accounts for that.
	DaysLeft int
	// LastPermittedDay: staying on without a break, the last day of this stay
	// within the rule. Before Today when the traveller is over the limit already
	// (then it is the day the stay should have ended).
	// Zero when the rule sets no limit or the traveller is not in the country.
	LastPermittedDay time.Time
	// OverstayDays: days of the current stay (up to today) on which the window
	// held more than LimitDays. On exit, by how much they overstayed.
	OverstayDays int
	Anomalies    []Anomaly
}

// Overstayed reports whether the current stay has gone past the limit.
func (s Stay) Overstayed() bool { return s.OverstayDays > 0 }

// Evaluate finds the rule for nationality on now's day and computes the stay
// from the traveller's crossings (any order; refused, pending and training
// crossings are ignored, as are crossings after now). Errors: ENOTFOUND when no
// rule covers the nationality.
func (rs *RuleSet) Evaluate(nationality string, crossings []app.Crossing, now time.Time, m Moment) (Stay, error) {
	match, err := rs.Match(nationality, now)
	if err != nil {
		return Stay{}, err
	}
	rule := match.Rule
	s := rs.Compute(rule, crossings, now, m)
	s.Basis, s.Group = match.Basis, match.Group
	// Does another rule take over before the last permitted day?
	if !s.LastPermittedDay.IsZero() && rule.until < maxDay {
		next := rule.until + 1
		if next <= rs.day(s.LastPermittedDay) {
			if other, err := rs.RuleFor(nationality, rs.midnight(next)); err == nil && other.ID != rule.ID {
				s.Anomalies = append(s.Anomalies, Anomaly{Kind: AnomalyRuleChanges, Day: rs.midnight(next)})
			}
		}
	}
	return s, nil
}

func (rs *RuleSet) midnight(d int) time.Time {
	return time.Unix(int64(d)*86400-int64(rs.UTCOffsetMinutes)*60, 0).In(rs.zone)
}

// interval is a run of days in the country, both ends included.
type interval struct{ from, to int }

// counted reports whether a crossing moved the traveller across the border.
func counted(c app.Crossing) bool {
	if c.Training {
		return false
	}
	return c.Decision == app.Admit || (c.Decision == app.Refer && c.ReferralOutcome == app.ReferralAdmitted)
}

// Compute applies rule to the traveller's crossings as of now (see Evaluate and
// the package comment for how days count).
func (rs *RuleSet) Compute(rule StayRule, crossings []app.Crossing, now time.Time, m Moment) Stay {
	today := rs.day(now)
	s := Stay{Rule: rule, Today: rs.midnight(today)}

	type move struct {
		at    int64 // unix nanoseconds
		day   int
		entry bool
	}
	moves := make([]move, 0, len(crossings))
	for _, c := range crossings {
		if !counted(c) || c.BoothTime.After(now) {
			continue
		}
		moves = append(moves, move{c.BoothTime.UnixNano(), rs.day(c.BoothTime), c.Direction == app.Entry})
	}
	// History usually arrives newest first: reverse it rather than sort.
	byTime := func(a, b move) int { return cmp.Compare(a.at, b.at) }
	switch {
	case slices.IsSortedFunc(moves, byTime):
	case slices.IsSortedFunc(moves, func(a, b move) int { return byTime(b, a) }):
		slices.Reverse(moves)
	default:
		slices.SortStableFunc(moves, byTime)
	}

	stays := make([]interval, 0, len(moves)/2+2)
	open := -1
	for _, mv := range moves {
		switch {
		case mv.entry && open >= 0:
			s.Anomalies = append(s.Anomalies, Anomaly{AnomalyMissingExit, rs.midnight(open)})
			stays = append(stays, interval{open, open})
			open = mv.day
		case mv.entry:
			open = mv.day
		case open >= 0:
			stays = append(stays, interval{open, mv.day})
			open = -1
		default:
			s.Anomalies = append(s.Anomalies, Anomaly{AnomalyExitWithoutEntry, rs.midnight(mv.day)})
			stays = append(stays, interval{mv.day, mv.day})
		}
	}
	start := -1 // first day of the current stay
	switch {
	case m == Entering && open >= 0 && open < today:
		// Entering again while the records say inside: the exit was missed.
		s.Anomalies = append(s.Anomalies, Anomaly{AnomalyMissingExit, rs.midnight(open)})
		stays = append(stays, interval{open, open})
		start = today
	case m == Entering && open >= 0:
		start = open // entered earlier today already
	case m == Entering:
		start = today
	case open >= 0:
		start = open
	case m == Leaving:
		s.Anomalies = append(s.Anomalies, Anomaly{AnomalyExitWithoutEntry, s.Today})
		start = today
	}
	if start >= 0 {
		stays = append(stays, interval{start, today})
		s.InCountry = m != Leaving
		s.StayStart = rs.midnight(start)
	}

	w := rule.WindowDays
	if !rule.Limited() {
		w = 180 // no limit: still tell the officer the days of the last half year
		if rule.WindowDays > 0 {
			w = rule.WindowDays
		}
	}
	// present[i] is day lo+i; the range covers the window behind the earliest
	// day to check and, when in the country, the LimitDays+1 days ahead.
	lo := today - w + 1
	if start >= 0 && start-w+1 < lo {
		lo = start - w + 1
	}
	hi := today
	if s.InCountry && rule.Limited() {
		hi = today + rule.LimitDays + 1
	}
	present := make([]int32, hi-lo+2) // prefix sums: present[i+1] = days in [lo, lo+i]
	mark := make([]bool, hi-lo+1)
	for _, iv := range stays {
		from, to := max(iv.from, lo), min(iv.to, today)
		for d := from; d <= to; d++ {
			mark[d-lo] = true
		}
	}
	if s.InCountry {
		for d := today; d <= hi; d++ { // staying on without a break
			mark[d-lo] = true
		}
	}
	for i, p := range mark {
		present[i+1] = present[i]
		if p {
			present[i+1]++
		}
	}
	used := func(d int) int { // days in the window ending on d
		a := max(d-w+1, lo)
		return int(present[d-lo+1] - present[a-lo])
	}
	s.DaysUsed = used(today)
	if !rule.Limited() {
		return s
	}
	s.DaysLeft = max(0, rule.LimitDays-s.DaysUsed)
	if start >= 0 {
		for d := start; d <= today; d++ {
			if used(d) > rule.LimitDays {
				s.OverstayDays++
			}
		}
	}
	if s.InCountry {
		// The day before the first day of this stay that breaks the rule.
		last := start - 1
		for d := start; d <= hi && used(d) <= rule.LimitDays; d++ {
			last = d
		}
		s.LastPermittedDay = rs.midnight(last)
	}
	return s
}
