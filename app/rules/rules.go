// Package rules holds the stay rules as data and the arithmetic of stays: which
// rule covers a traveller on a given day, how many days of the rolling window
// they have used, how many are left, the last day they may stay, and on exit by
// how much they overstayed.
//
// Rules change (Kyrgyzstan changed them in 2023 and again in 2026) and differ by
// nationality, so they are never code: a RuleSet is parsed from bytes (the
// booth's rule file, later a set pushed by HQ) and carries its version. The
// package is pure: no files, no clock, no database.
//
// # How days are counted
//
// Days are calendar days at the rule set's UTC offset (Kyrgyzstan: +06:00, no
// daylight saving). Every day on which the traveller was in the country counts
// as a whole day — the day of entry and the day of exit both count, as in the
// Schengen rules — so a same-day trip in and out uses one day. The window is
// rolling: for a day D it is the WindowDays days ending on D (D included). A
// stay is within the rule when, on every day of it, the days counted in the
// window ending that day do not exceed LimitDays.
//
// Only what the records prove is counted. An entry followed by another entry
// (the exit was never recorded, e.g. at an unconnected post) counts its entry
// day alone; an exit with no entry before it counts its exit day alone. Both are
// reported as anomalies so the officer can ask. Refused crossings, referrals not
// (yet) admitted, and training crossings do not count.
package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/chekara/chekara/app"
)

// RuleSet is a versioned set of stay rules for one country.
type RuleSet struct {
	Version string `json:"version"` // what HQ and the booth compare; required
	Country string `json:"country"` // ICAO code of the country whose stays the rules limit
	Source  string `json:"source"`  // where the rules come from
	Warning string `json:"warning"` // shown to whoever loads the set
	// UTCOffsetMinutes sets where days begin and end (Kyrgyzstan: 360).
	UTCOffsetMinutes int `json:"utc_offset_minutes"`
	// Groups names sets of nationalities, e.g. "EAEU": ["ARM", "BLR", …].
	Groups map[string][]string `json:"groups,omitempty"`
	Rules  []StayRule          `json:"rules"`
	// Posts are policies HQ sets for posts by name ("DOSTUK"), published
	// and signed with the rules so every booth of the post holds them, also
	// offline. A booth older than this field refuses a set that uses it.
	Posts map[string]PostPolicy `json:"posts,omitempty"`

	zone *time.Location
	covs []map[string]int // per rule: nationality → level, see coverage
}

// PostPolicy is what HQ decides for one post's booths.
type PostPolicy struct {
	// ConfirmRefusals: a refusal at this post is final only once a
	// supervisor confirms it (app.PostSettings.ConfirmRefusals), as where
	// refusal needs a senior officer's authority. A booth's supervisor may
	// require it where HQ does not, never waive it where HQ does.
	ConfirmRefusals bool `json:"confirm_refusals,omitempty"`
}

// StayRule says how long travellers it covers may stay.
type StayRule struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Who: ICAO nationality codes, and names of Groups. "*" in Nationalities
	// covers everyone no other rule covers. A rule naming a nationality wins over
	// one covering it through a group, which wins over "*".
	Nationalities []string `json:"nationalities,omitempty"`
	Groups        []string `json:"groups,omitempty"`
	// How long: at most LimitDays in any WindowDays (e.g. 90 in 180).
	WindowDays int `json:"window_days,omitempty"`
	LimitDays  int `json:"limit_days,omitempty"`
	// FreeMovement: no day limit (own citizens, EAEU free movement).
	FreeMovement bool `json:"free_movement,omitempty"`
	// VisaRequired: the traveller needs a visa; with no LimitDays the visa
	// itself sets the stay and only the days used are computed.
	VisaRequired bool `json:"visa_required,omitempty"`
	// When: YYYY-MM-DD, both days included; an empty ValidUntil is open-ended.
	ValidFrom  string `json:"valid_from"`
	ValidUntil string `json:"valid_until,omitempty"`
	Note       string `json:"note,omitempty"`

	from, until int // day numbers; until is maxDay when open-ended
}

const maxDay = 1 << 30

// Limited reports whether the rule caps the days stayed.
func (r StayRule) Limited() bool { return !r.FreeMovement && r.LimitDays > 0 }

var (
	codeRe  = regexp.MustCompile(`^[A-Z]{1,3}$`)
	groupRe = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,31}$`)
	postRe  = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]{0,31}$`) // as HQ names posts (hq/officers.go)
)

// Parse reads a rule set from JSON and checks it whole. Errors: EINVALID for
// anything wrong — unknown fields, no version or rules, a malformed date or
// code, an unknown group, an impossible window, or two rules that would both
// cover one nationality at the same level on the same day.
func Parse(data []byte) (*RuleSet, error) {
	var rs RuleSet
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rs); err != nil {
		return nil, invalid("the rule file is not valid JSON: %v", err)
	}
	if dec.More() {
		return nil, invalid("the rule file has data after its end")
	}
	if strings.TrimSpace(rs.Version) == "" {
		return nil, invalid("the rule set has no version")
	}
	if rs.UTCOffsetMinutes < -14*60 || rs.UTCOffsetMinutes > 14*60 {
		return nil, invalid("utc_offset_minutes %d is not a time zone", rs.UTCOffsetMinutes)
	}
	rs.zone = time.FixedZone(fmt.Sprintf("UTC%+d:%02d", rs.UTCOffsetMinutes/60, abs(rs.UTCOffsetMinutes%60)), rs.UTCOffsetMinutes*60)
	if len(rs.Rules) == 0 {
		return nil, invalid("the rule set has no rules")
	}
	for g, members := range rs.Groups {
		if !groupRe.MatchString(g) {
			return nil, invalid("group name %q is malformed", g)
		}
		if len(members) == 0 {
			return nil, invalid("group %s is empty", g)
		}
		for _, m := range members {
			if !codeRe.MatchString(m) {
				return nil, invalid("group %s: %q is not a nationality code", g, m)
			}
		}
	}
	for post := range rs.Posts {
		if !postRe.MatchString(post) {
			return nil, invalid("post name %q is malformed (capital letters, digits, '-' and '_')", post)
		}
	}
	ids := map[string]bool{}
	for i := range rs.Rules {
		r := &rs.Rules[i]
		if r.ID == "" || ids[r.ID] {
			return nil, invalid("rule %d has an empty or repeated id %q", i+1, r.ID)
		}
		ids[r.ID] = true
		if err := rs.checkRule(r); err != nil {
			return nil, err
		}
	}
	rs.covs = make([]map[string]int, len(rs.Rules))
	for i, r := range rs.Rules {
		rs.covs[i] = rs.coverage(r)
	}
	if err := rs.checkOverlaps(); err != nil {
		return nil, err
	}
	return &rs, nil
}

func (rs *RuleSet) checkRule(r *StayRule) error {
	if len(r.Nationalities) == 0 && len(r.Groups) == 0 {
		return invalid("rule %s covers nobody", r.ID)
	}
	for _, n := range r.Nationalities {
		if n != "*" && !codeRe.MatchString(n) {
			return invalid("rule %s: %q is not a nationality code", r.ID, n)
		}
	}
	for _, g := range r.Groups {
		if _, ok := rs.Groups[g]; !ok {
			return invalid("rule %s names unknown group %q", r.ID, g)
		}
	}
	switch {
	case r.FreeMovement && (r.LimitDays != 0 || r.WindowDays != 0):
		return invalid("rule %s is free movement and also has a limit", r.ID)
	case r.LimitDays < 0 || r.WindowDays < 0:
		return invalid("rule %s has negative days", r.ID)
	case r.LimitDays > 0 && (r.WindowDays <= r.LimitDays || r.WindowDays > 3660):
		return invalid("rule %s: a limit of %d days needs a longer window than %d days (at most 3660)", r.ID, r.LimitDays, r.WindowDays)
	case r.LimitDays == 0 && r.WindowDays != 0:
		return invalid("rule %s has a window but no limit", r.ID)
	case !r.FreeMovement && r.LimitDays == 0 && !r.VisaRequired:
		return invalid("rule %s sets no limit, no free movement and no visa", r.ID)
	}
	var err error
	if r.from, err = parseDay(r.ValidFrom); err != nil {
		return invalid("rule %s: valid_from: %v", r.ID, err)
	}
	r.until = maxDay
	if r.ValidUntil != "" {
		if r.until, err = parseDay(r.ValidUntil); err != nil {
			return invalid("rule %s: valid_until: %v", r.ID, err)
		}
		if r.until < r.from {
			return invalid("rule %s ends before it begins", r.ID)
		}
	}
	return nil
}

// coverage lists (nationality, level) pairs a rule covers: 2 by name, 1 through
// a group, 0 for "*".
func (rs *RuleSet) coverage(r StayRule) map[string]int {
	c := map[string]int{}
	for _, g := range r.Groups {
		for _, n := range rs.Groups[g] {
			c[n] = 1
		}
	}
	for _, n := range r.Nationalities {
		if n == "*" {
			c["*"] = 0
		} else {
			c[n] = 2
		}
	}
	return c
}

func (rs *RuleSet) checkOverlaps() error {
	covs := rs.covs
	for i, a := range rs.Rules {
		for j := i + 1; j < len(rs.Rules); j++ {
			b := rs.Rules[j]
			if a.until < b.from || b.until < a.from {
				continue
			}
			for n, la := range covs[i] {
				if lb, ok := covs[j][n]; ok && la == lb {
					return invalid("rules %s and %s both cover %s from %s", a.ID, b.ID, n, dayString(max(a.from, b.from)))
				}
			}
		}
	}
	return nil
}

// RuleFor returns the rule covering nationality on the day of t. Errors:
// ENOTFOUND when no rule covers it (a rule set without "*").
func (rs *RuleSet) RuleFor(nationality string, t time.Time) (StayRule, error) {
	m, err := rs.Match(nationality, t)
	return m.Rule, err
}

// Match is a rule and why it covers a nationality.
type Match struct {
	Rule  StayRule
	Basis string // app.StayNamed, app.StayGroup or app.StayUnlisted
	Group string // with app.StayGroup: the group that holds the nationality
}

// Match returns the rule covering nationality on the day of t and why: a rule
// naming it wins over one covering it through a group, which wins over "*".
// Errors: ENOTFOUND when no rule covers it (a rule set without "*").
func (rs *RuleSet) Match(nationality string, t time.Time) (Match, error) {
	d := rs.day(t)
	best, level := -1, -1
	for i, r := range rs.Rules {
		if d < r.from || d > r.until {
			continue
		}
		l, ok := rs.covs[i][nationality]
		if !ok {
			l, ok = rs.covs[i]["*"]
		}
		if ok && l > level {
			best, level = i, l
		}
	}
	if best < 0 {
		return Match{}, app.Errorf(app.ENOTFOUND, "No stay rule covers nationality %s on %s (rule set %s).", nationality, dayString(d), rs.Version)
	}
	m := Match{Rule: rs.Rules[best], Basis: app.StayUnlisted}
	switch level {
	case 2:
		m.Basis = app.StayNamed
	case 1:
		m.Basis = app.StayGroup
		for _, g := range m.Rule.Groups {
			if slices.Contains(rs.Groups[g], nationality) {
				m.Group = g
				break
			}
		}
	}
	return m, nil
}

// Zone is the fixed zone the rule set counts days in.
func (rs *RuleSet) Zone() *time.Location { return rs.zone }

// day is t's calendar day at the rule set's offset.
func (rs *RuleSet) day(t time.Time) int { return dayOf(t, rs.UTCOffsetMinutes) }

func dayOf(t time.Time, offsetMinutes int) int {
	s := t.Unix() + int64(offsetMinutes)*60
	d := s / 86400
	if s < 0 && s%86400 != 0 {
		d--
	}
	return int(d)
}

func parseDay(s string) (int, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a YYYY-MM-DD date", s)
	}
	return dayOf(t, 0), nil
}

func dayString(d int) string { return time.Unix(int64(d)*86400, 0).UTC().Format("2006-01-02") }

func invalid(format string, args ...any) error {
	return app.Errorf(app.EINVALID, "Stay rules: "+format+".", args...)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// nationalitiesOf lists the explicit codes and group members of a rule, for
// people reading a rule set.
func (rs *RuleSet) nationalitiesOf(r StayRule) []string {
	var out []string
	for n := range rs.coverage(r) {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// Covered lists the nationality codes a rule covers by name or group ("*" for
// everyone else).
func (rs *RuleSet) Covered(ruleID string) []string {
	for _, r := range rs.Rules {
		if r.ID == ruleID {
			return rs.nationalitiesOf(r)
		}
	}
	return nil
}
