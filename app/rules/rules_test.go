package rules_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/app/rules"
	"github.com/chekara/chekara/assets"
)

var kgt = time.FixedZone("KGT", 6*3600)

// day is noon on a date in Kyrgyz time.
func day(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02", s, kgt)
	if err != nil {
		panic(err)
	}
	return t.Add(12 * time.Hour)
}

func in(date string) app.Crossing {
	return app.Crossing{Direction: app.Entry, Decision: app.Admit, BoothTime: day(date)}
}

func out(date string) app.Crossing {
	return app.Crossing{Direction: app.Exit, Decision: app.Admit, BoothTime: day(date)}
}

// testRules: 90 in 180 for D, free movement for KAZ, visa for the rest, and a
// rule change for UZB on 2026-01-01 (60/120 → 180/360).
const testRules = `{
  "version": "test-1", "country": "KGZ", "utc_offset_minutes": 360,
  "groups": {"EAEU": ["KAZ", "RUS"]},
  "rules": [
    {"id": "d", "nationalities": ["D"], "window_days": 180, "limit_days": 90, "valid_from": "2020-01-01"},
    {"id": "eaeu", "groups": ["EAEU"], "free_movement": true, "valid_from": "2015-08-12"},
    {"id": "uzb-old", "nationalities": ["UZB"], "window_days": 120, "limit_days": 60, "valid_from": "2023-01-01", "valid_until": "2025-12-31"},
    {"id": "uzb-new", "nationalities": ["UZB"], "window_days": 360, "limit_days": 180, "valid_from": "2026-01-01"},
    {"id": "visa", "nationalities": ["*"], "visa_required": true, "valid_from": "2000-01-01"}
  ]
}`

func mustParse(t testing.TB, s string) *rules.RuleSet {
	t.Helper()
	rs, err := rules.Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func dateOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

func kinds(as []rules.Anomaly) string {
	var s []string
	for _, a := range as {
		s = append(s, a.Kind+"@"+dateOf(a.Day))
	}
	return strings.Join(s, ",")
}

func TestStayArithmetic(t *testing.T) {
	rs := mustParse(t, testRules)
	tests := []struct {
		name      string
		nat       string
		history   []app.Crossing
		now       string
		moment    rules.Moment
		used      int
		left      int
		last      string // last permitted day
		overstay  int
		inCountry bool
		anomalies string
	}{
		{name: "first entry", nat: "D", now: "2026-03-01", moment: rules.Entering,
			used: 1, left: 89, last: "2026-05-29", inCountry: true},
		{name: "day trip in and out counts one day", nat: "D", history: []app.Crossing{in("2026-03-01"), out("2026-03-01")}, now: "2026-03-02",
			used: 1, left: 89},
		{name: "entry and exit days both count", nat: "D", history: []app.Crossing{in("2026-03-01"), out("2026-03-10")}, now: "2026-03-20",
			used: 10, left: 80},
		{name: "open stay counts up to today", nat: "D", history: []app.Crossing{in("2026-03-01")}, now: "2026-03-20",
			used: 20, left: 70, last: "2026-05-29", inCountry: true},
		{name: "exactly at the limit on the last day", nat: "D", history: []app.Crossing{in("2026-03-01")}, now: "2026-05-29", moment: rules.Leaving,
			used: 90, left: 0},
		{name: "one day over on exit", nat: "D", history: []app.Crossing{in("2026-03-01")}, now: "2026-05-30", moment: rules.Leaving,
			used: 91, left: 0, overstay: 1},
		{name: "long overstay on exit", nat: "D", history: []app.Crossing{in("2026-01-01")}, now: "2026-06-29", moment: rules.Leaving,
			used: 180, left: 0, overstay: 90},
		{name: "in the country and already over", nat: "D", history: []app.Crossing{in("2026-01-01")}, now: "2026-04-10",
			used: 100, left: 0, last: "2026-03-31", overstay: 10, inCountry: true},
		{name: "old days leave the window", nat: "D", history: []app.Crossing{in("2025-09-01"), out("2025-11-29")}, now: "2026-03-01", moment: rules.Entering,
			// 2025-09-01..11-29 is 90 days; the window ending 2026-03-01 starts
			// 2025-09-03, so 88 of them count, plus today.
			used: 89, left: 1, last: "2026-05-29", inCountry: true},
		{name: "window boundary: day 180 back still counts", nat: "D", history: []app.Crossing{in("2025-09-03"), out("2025-09-03")}, now: "2026-03-01",
			used: 1, left: 89},
		{name: "window boundary: day 181 back does not", nat: "D", history: []app.Crossing{in("2025-09-02"), out("2025-09-02")}, now: "2026-03-01",
			used: 0, left: 90},
		{name: "missing exit counts the entry day alone", nat: "D", history: []app.Crossing{in("2026-01-05"), in("2026-02-01"), out("2026-02-10")}, now: "2026-03-01",
			used: 11, left: 79, anomalies: "missing_exit@2026-01-05"},
		{name: "entering while records say inside", nat: "D", history: []app.Crossing{in("2026-02-01")}, now: "2026-03-01", moment: rules.Entering,
			used: 2, left: 88, last: "2026-05-28", inCountry: true, anomalies: "missing_exit@2026-02-01"},
		{name: "exit without entry counts the exit day", nat: "D", history: []app.Crossing{out("2026-02-10")}, now: "2026-03-01",
			used: 1, left: 89, anomalies: "exit_without_entry@2026-02-10"},
		{name: "leaving with no entry on record", nat: "D", now: "2026-03-01", moment: rules.Leaving,
			used: 1, left: 89, anomalies: "exit_without_entry@2026-03-01"},
		{name: "refused and training crossings do not count", nat: "D", history: []app.Crossing{
			{Direction: app.Entry, Decision: app.Refuse, RefusalReason: "C", BoothTime: day("2026-02-01")},
			{Direction: app.Entry, Decision: app.Admit, Training: true, BoothTime: day("2026-02-02")},
			{Direction: app.Entry, Decision: app.Refer, BoothTime: day("2026-02-03")},
		}, now: "2026-03-01", used: 0, left: 90},
		{name: "admitted after referral counts", nat: "D", history: []app.Crossing{
			{Direction: app.Entry, Decision: app.Refer, ReferralOutcome: app.ReferralAdmitted, BoothTime: day("2026-02-01")}, out("2026-02-05"),
		}, now: "2026-03-01", used: 5, left: 85},
		{name: "crossings after now are ignored", nat: "D", history: []app.Crossing{in("2026-02-01"), out("2026-02-05"), in("2026-04-01")}, now: "2026-03-01",
			used: 5, left: 85},
		{name: "free movement has no limit", nat: "KAZ", history: []app.Crossing{in("2025-01-01")}, now: "2026-03-01",
			used: 180, inCountry: true},
		{name: "rule valid before the change", nat: "UZB", history: []app.Crossing{in("2025-11-01")}, now: "2025-12-15",
			used: 45, left: 15, last: "2025-12-30", inCountry: true},
		{name: "rule valid after the change", nat: "UZB", history: []app.Crossing{in("2025-11-01")}, now: "2026-01-15",
			used: 76, left: 104, last: "2026-04-29", inCountry: true},
		{name: "visa required, no computed limit", nat: "CHN", history: []app.Crossing{in("2026-02-01"), out("2026-02-10")}, now: "2026-03-01",
			used: 10},
		{name: "unordered history", nat: "D", history: []app.Crossing{out("2026-02-10"), in("2026-02-01")}, now: "2026-03-01",
			used: 10, left: 80},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := rs.Evaluate(tt.nat, tt.history, day(tt.now), tt.moment)
			if err != nil {
				t.Fatal(err)
			}
			got := fmt.Sprintf("used %d left %d last %q overstay %d in %v anomalies %q",
				s.DaysUsed, s.DaysLeft, dateOf(s.LastPermittedDay), s.OverstayDays, s.InCountry, kinds(s.Anomalies))
			want := fmt.Sprintf("used %d left %d last %q overstay %d in %v anomalies %q",
				tt.used, tt.left, tt.last, tt.overstay, tt.inCountry, tt.anomalies)
			if got != want {
				t.Fatalf("\n got %s\nwant %s", got, want)
			}
		})
	}
}

func TestRuleChangeBeforeLastPermittedDayIsFlagged(t *testing.T) {
	rs := mustParse(t, testRules)
	s, err := rs.Evaluate("UZB", nil, day("2025-12-20"), rules.Entering)
	if err != nil {
		t.Fatal(err)
	}
	if s.Rule.ID != "uzb-old" || dateOf(s.LastPermittedDay) != "2026-02-17" {
		t.Fatalf("rule %s, last %s", s.Rule.ID, dateOf(s.LastPermittedDay))
	}
	if got, want := kinds(s.Anomalies), "rule_changes@2026-01-01"; got != want {
		t.Fatalf("anomalies %q, want %q", got, want)
	}
}

func TestDaysFollowTheRuleSetsOffset(t *testing.T) {
	rs := mustParse(t, testRules)
	// 19:30 UTC on 28 February is 01:30 on 1 March in Bishkek.
	entry := app.Crossing{Direction: app.Entry, Decision: app.Admit, BoothTime: time.Date(2026, 2, 28, 19, 30, 0, 0, time.UTC)}
	s := rs.Compute(mustRule(t, rs, "D"), []app.Crossing{entry}, day("2026-03-01"), rules.Query)
	if dateOf(s.StayStart) != "2026-03-01" || s.DaysUsed != 1 {
		t.Fatalf("stay starts %s, used %d; want 2026-03-01, 1", dateOf(s.StayStart), s.DaysUsed)
	}
}

func mustRule(t *testing.T, rs *rules.RuleSet, nat string) rules.StayRule {
	t.Helper()
	r, err := rs.RuleFor(nat, day("2026-03-01"))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRuleForPrefersTheMostSpecificRule(t *testing.T) {
	rs := mustParse(t, testRules)
	tests := []struct{ nat, on, want string }{
		{"D", "2026-03-01", "d"},
		{"RUS", "2026-03-01", "eaeu"},
		{"UZB", "2025-12-31", "uzb-old"},
		{"UZB", "2026-01-01", "uzb-new"},
		{"UZB", "2022-06-01", "visa"}, // before either UZB rule
		{"CHN", "2026-03-01", "visa"},
	}
	for _, tt := range tests {
		t.Run(tt.nat+" "+tt.on, func(t *testing.T) {
			r, err := rs.RuleFor(tt.nat, day(tt.on))
			if err != nil || r.ID != tt.want {
				t.Fatalf("RuleFor = %s, %v; want %s", r.ID, err, tt.want)
			}
		})
	}
	noStar := mustParse(t, `{"version":"1","rules":[{"id":"d","nationalities":["D"],"window_days":180,"limit_days":90,"valid_from":"2020-01-01"}]}`)
	if _, err := noStar.RuleFor("USA", day("2026-01-01")); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("uncovered nationality: %v", err)
	}
}

func TestParseRejectsBadRuleSets(t *testing.T) {
	rule := func(extra string) string {
		return `{"version":"1","rules":[{"id":"a","nationalities":["D"],"valid_from":"2020-01-01"` + extra + `}]}`
	}
	tests := []struct{ name, in string }{
		{"not json", `{"version":`},
		{"unknown field", `{"version":"1","rulez":[]}`},
		{"no version", `{"rules":[{"id":"a","nationalities":["D"],"free_movement":true,"valid_from":"2020-01-01"}]}`},
		{"no rules", `{"version":"1","rules":[]}`},
		{"trailing data", rule(`,"free_movement":true`) + `{}`},
		{"limit without window", rule(`,"limit_days":90`)},
		{"window not longer than limit", rule(`,"limit_days":90,"window_days":90`)},
		{"free movement with a limit", rule(`,"free_movement":true,"limit_days":30,"window_days":60`)},
		{"no limit, no visa, no free movement", rule(``)},
		{"bad date", `{"version":"1","rules":[{"id":"a","nationalities":["D"],"free_movement":true,"valid_from":"2020-13-01"}]}`},
		{"ends before it begins", rule(`,"free_movement":true,"valid_until":"2019-01-01"`)},
		{"bad nationality", `{"version":"1","rules":[{"id":"a","nationalities":["deu"],"free_movement":true,"valid_from":"2020-01-01"}]}`},
		{"unknown group", `{"version":"1","rules":[{"id":"a","groups":["EU"],"free_movement":true,"valid_from":"2020-01-01"}]}`},
		{"covers nobody", `{"version":"1","rules":[{"id":"a","free_movement":true,"valid_from":"2020-01-01"}]}`},
		{"repeated id", `{"version":"1","rules":[{"id":"a","nationalities":["D"],"free_movement":true,"valid_from":"2020-01-01"},{"id":"a","nationalities":["F"],"free_movement":true,"valid_from":"2020-01-01"}]}`},
		{"overlapping rules", `{"version":"1","rules":[{"id":"a","nationalities":["D"],"free_movement":true,"valid_from":"2020-01-01"},{"id":"b","nationalities":["D"],"visa_required":true,"valid_from":"2021-01-01"}]}`},
		{"bad post name", `{"version":"1","posts":{"dostuk post":{"confirm_refusals":true}},"rules":[{"id":"a","nationalities":["D"],"free_movement":true,"valid_from":"2020-01-01"}]}`},
		{"unknown post policy", `{"version":"1","posts":{"DOSTUK":{"confirm_everything":true}},"rules":[{"id":"a","nationalities":["D"],"free_movement":true,"valid_from":"2020-01-01"}]}`},
		{"bad offset", `{"version":"1","utc_offset_minutes":9999,"rules":[{"id":"a","nationalities":["D"],"free_movement":true,"valid_from":"2020-01-01"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := rules.Parse([]byte(tt.in)); app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("Parse: %v, want EINVALID", err)
			}
		})
	}
}

// TestMatchSaysWhy: every rule comes with the reason it applies, so the booth
// never chooses a stay rule silently (issue 21).
func TestMatchSaysWhy(t *testing.T) {
	rs := mustParse(t, testRules)
	tests := []struct{ nat, rule, basis, group string }{
		{"D", "d", app.StayNamed, ""},
		{"RUS", "eaeu", app.StayGroup, "EAEU"},
		{"CHN", "visa", app.StayUnlisted, ""},
		{"KRZ", "visa", app.StayUnlisted, ""}, // a misread KGZ: the rule for everyone else, said so
	}
	for _, tt := range tests {
		t.Run(tt.nat, func(t *testing.T) {
			m, err := rs.Match(tt.nat, day("2026-03-01"))
			if err != nil {
				t.Fatal(err)
			}
			got := [3]string{m.Rule.ID, m.Basis, m.Group}
			if want := [3]string{tt.rule, tt.basis, tt.group}; got != want {
				t.Errorf("Match = %v, want %v", got, want)
			}
			st, err := rules.NewLive(rs).Stay(app.TravellerKey{Nationality: tt.nat}, nil, app.Entry, day("2026-03-01"))
			if err != nil || st.Basis != tt.basis || st.Group != tt.group {
				t.Errorf("Live.Stay basis %q group %q (%v), want %q %q", st.Basis, st.Group, err, tt.basis, tt.group)
			}
		})
	}
}

// TestShippedRulesNameListedCodes: a rule naming a code that no document
// carries would never apply, and the traveller it meant would silently fall
// under the rule for everyone else.
func TestShippedRulesNameListedCodes(t *testing.T) {
	b, err := assets.FS.ReadFile("rules/kgz.json")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := rules.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs.Rules {
		for _, n := range rs.Covered(r.ID) {
			if n != "*" && !mrz.KnownCountry(n) {
				t.Errorf("rule %s covers %q, which is not on the ICAO 9303 list", r.ID, n)
			}
		}
	}
}

func TestShippedKyrgyzRules(t *testing.T) {
	b, err := assets.FS.ReadFile("rules/kgz.json")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := rules.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rs.Warning, "CHECK") || rs.Source == "" || rs.Version == "" {
		t.Fatal("the shipped rules must name their source and warn that they need checking")
	}
	tests := []struct {
		nat, on string
		window  int
		limit   int
		free    bool
		visa    bool
	}{
		{"KGZ", "2026-03-01", 0, 0, true, false},
		{"KAZ", "2026-03-01", 0, 0, true, false},
		{"RUS", "2024-03-01", 0, 0, true, false},
		{"D", "2024-03-01", 120, 60, false, false},
		{"D", "2026-03-01", 180, 90, false, false},
		{"UZB", "2026-03-01", 360, 180, false, false},
		{"MNG", "2026-03-01", 60, 30, false, false},
		{"CHN", "2026-03-01", 0, 0, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.nat+" "+tt.on, func(t *testing.T) {
			r, err := rs.RuleFor(tt.nat, day(tt.on))
			if err != nil {
				t.Fatal(err)
			}
			if r.WindowDays != tt.window || r.LimitDays != tt.limit || r.FreeMovement != tt.free || r.VisaRequired != tt.visa {
				t.Fatalf("rule %s: %d/%d free %v visa %v", r.ID, r.LimitDays, r.WindowDays, r.FreeMovement, r.VisaRequired)
			}
		})
	}
}

// history200 is a frequent traveller: 100 trips of 2–5 days, a week apart.
func history200() []app.Crossing {
	var h []app.Crossing
	t := day("2024-01-01")
	for i := range 100 {
		h = append(h, app.Crossing{Direction: app.Entry, Decision: app.Admit, BoothTime: t})
		t = t.AddDate(0, 0, 2+i%4)
		h = append(h, app.Crossing{Direction: app.Exit, Decision: app.Admit, BoothTime: t})
		t = t.AddDate(0, 0, 7)
	}
	return h
}

// BenchmarkStay computes the stay of a traveller with 200 crossings on entry.
func BenchmarkStay(b *testing.B) {
	rs := mustParse(b, testRules)
	h := history200()
	now := h[len(h)-1].BoothTime.AddDate(0, 0, 3)
	b.ResetTimer()
	for b.Loop() {
		s, err := rs.Evaluate("D", h, now, rules.Entering)
		if err != nil || s.DaysUsed == 0 {
			b.Fatal(s, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/stay")
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(testRules))
	if b, err := assets.FS.ReadFile("rules/kgz.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"version":"1","rules":[{"id":"a","nationalities":["*"],"visa_required":true,"valid_from":"2020-01-01"}]}`))
	f.Add([]byte(`{"version":"1","utc_offset_minutes":-840,"rules":[{"id":"a","nationalities":["D"],"window_days":3660,"limit_days":3659,"valid_from":"0001-01-01","valid_until":"9999-12-31"}]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		rs, err := rules.Parse(b)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("error code %q: %v", app.ErrorCode(err), err)
			}
			return
		}
		// A set that parses must answer questions without panicking.
		h := history200()
		for _, r := range rs.Rules {
			for _, n := range append(r.Nationalities, "D", "KGZ") {
				if s, err := rs.Evaluate(n, h, day("2026-03-01"), rules.Entering); err == nil && s.DaysUsed < 0 {
					t.Fatalf("negative days used: %+v", s)
				}
			}
		}
	})
}

// HQ's policies for posts travel with the rules; the live set answers them
// for the booth's post, and a post not named requires nothing.
func TestPostPolicies(t *testing.T) {
	rs, err := rules.Parse([]byte(`{"version":"1","posts":{"DOSTUK":{"confirm_refusals":true}},"rules":[{"id":"a","nationalities":["D"],"free_movement":true,"valid_from":"2020-01-01"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	live := rules.NewLive(rs)
	if got := live.PostPolicy("DOSTUK"); !got.ConfirmRefusals || !got.ConfirmRefusalsByHQ {
		t.Errorf("DOSTUK: %+v, want refusals confirmed, by HQ", got)
	}
	if got := live.PostPolicy("OSH"); got.ConfirmRefusals {
		t.Errorf("OSH: %+v, want nothing required", got)
	}
}
