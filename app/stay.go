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
	// Basis says why Rule applies, so that no rule is chosen silently:
	// StayNamed, StayGroup (through Group) or StayUnlisted; "" when no rule
	// applies.
	Basis string
	Group string
}

// How a stay rule came to apply to a nationality.
const (
	StayNamed    = "named"    // the rule names the nationality
	StayGroup    = "group"    // the nationality is in one of the rule's groups
	StayUnlisted = "unlisted" // no rule names it: the rule for every other nationality ("*")
)

// StayRules computes a traveller's stay from their crossings.
type StayRules interface {
	// Stay applies the rule for the traveller's nationality to their crossings
	// (newest first) as of at, for a crossing in direction d.
	Stay(t TravellerKey, crossings []Crossing, d Direction, at time.Time) (Stay, error)
}

// StayReason says which stay rule the inspection applied and why, as a
// catalogue key and its arguments, so the stay panel never shows a rule
// without its reason and a misread nationality ("KRZ" for "KGZ") never
// silently turns a citizen into a foreigner. key is "" when no stay is known.
//
//	stay.why_named     (nationality)          the rule names the nationality
//	stay.why_group     (nationality, group)   through a group of the rule set
//	stay.why_unlisted  (nationality)          the rule for unlisted nationalities
//	stay.why_unknown   (nationality)          the same, for a code not on the ICAO list
//	stay.why_none      (nationality)          no rule covers it
//	stay.why_none_unknown (nationality)       the same, for a code not on the ICAO list
func (v *InspectionView) StayReason() (key string, args []any) {
	if !v.StayKnown {
		return "", nil
	}
	nat := v.Inspection.Traveller.Nationality
	_, unknown := v.Document.UnknownCode("nationality")
	switch {
	case v.Stay.Rule == "" && unknown:
		return "stay.why_none_unknown", []any{nat}
	case v.Stay.Rule == "":
		return "stay.why_none", []any{nat}
	case v.Stay.Basis == StayNamed:
		return "stay.why_named", []any{nat}
	case v.Stay.Basis == StayGroup:
		return "stay.why_group", []any{nat, v.Stay.Group}
	case v.Stay.Basis == StayUnlisted && unknown:
		return "stay.why_unknown", []any{nat}
	case v.Stay.Basis == StayUnlisted:
		return "stay.why_unlisted", []any{nat}
	}
	return "", nil // rules that do not say why; rules.Live always does
}
