package app

import "time"

// Stay is where a traveller stands under the stay rule that applies to them.
type Stay struct {
	Rule         string    // the rule's name or id; "" when no rule applies
	Free         bool      // free movement (e.g. EAEU citizens): no limit
	WindowDays   int       // the rolling window, e.g. 120
	LimitDays    int       // days allowed in the window, e.g. 60
	DaysUsed     int       // days present within the window, today included
	DaysLeft     int       // may be negative when overstayed
	LastDay      time.Time // the last permitted day of presence; zero when Free or no rule
	Overstay     bool      // on exit: the traveller stayed beyond the limit
	OverstayDays int
	VisaRequired bool
	Anomalies    []string // things in the records to ask about: "missing_exit", "exit_without_entry", "rule_changes"
}

// StayRules computes a traveller's stay from their crossings.
type StayRules interface {
	// Stay applies the rule for the traveller's nationality to their crossings
	// (newest first) as of at, for a crossing in direction d.
	Stay(t TravellerKey, crossings []Crossing, d Direction, at time.Time) (Stay, error)
}
