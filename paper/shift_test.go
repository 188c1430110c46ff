package paper

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
)

// TestShiftReport: the end-of-shift report holds the counts, each decision,
// the refusal's ground, the hit and its resolution, the override, the read
// set aside, the referral's outcome and the sign-off, in Cyrillic too.
func TestShiftReport(t *testing.T) {
	at := time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC)
	words := func(key string, args ...any) string {
		ru := map[string]string{"report.title": "Отчёт о смене", "report.sign_off": "Подпись руководителя", "report.false_match": "ложное совпадение"}
		if s, ok := ru[key]; ok {
			return fmt.Sprintf(s, args...)
		}
		return key
	}
	doc := app.DocumentKey{IssuingState: "KAZ", Number: "N1"}
	tr := app.TravellerKey{Surname: "ОРАЗОВ", GivenNames: "ALI"}
	refusal := &app.Crossing{ID: "c2", Decision: app.Refuse, RefusalReason: "C", RefusalNote: "no visa", Document: doc, Traveller: tr, BoothTime: at.Add(-time.Hour)}
	admit := &app.Crossing{ID: "c1", Decision: app.Admit, Document: doc, Traveller: tr, BoothTime: at.Add(-2 * time.Hour),
		Override: &app.Override{Verdict: app.VerdictExpired, Ground: "returning resident"},
		Hits:     []app.HitResolution{{ListID: "L328706", Category: "deny_entry", Note: "other birthplace"}}}
	refer := &app.Crossing{ID: "c3", Decision: app.Refer, ReferralNote: "purpose unclear", Document: doc, Traveller: tr, BoothTime: at.Add(-30 * time.Minute)}
	r := app.ShiftReview{
		Info: app.ShiftInfo{Shift: app.Shift{ID: "s1", OfficerID: "K100", Post: "DOSTUK", Booth: "DOSTUK-07", OpenedAt: at.Add(-8 * time.Hour), ClosedAt: at},
			OfficerName: "Кубат Осмонов", Counts: app.ShiftCounts{Inspections: 4, Admitted: 1, Refused: 1, Referred: 1, Overrides: 1, SetAside: 1, Hits: 1}},
		Items: []app.ReviewItem{{Crossing: admit, Took: 95 * time.Second}, {Crossing: refusal}, {Crossing: refer, Outcome: &app.Outcome{Outcome: app.ReferralRefused, Reason: "E"}},
			{SetAside: &app.SetAside{Note: "walked back to the queue", At: at.Add(-10 * time.Minute), Document: doc}}},
		SignOff: &app.SignOff{SupervisorID: "S300", Comment: "проверено", At: at},
	}
	pdf, err := ShiftReport(words, at, r)
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(pdfText(t, pdf)), " ")
	for _, want := range []string{"Отчёт о смене", "Кубат Осмонов", "DOSTUK / DOSTUK-07", "ОРАЗОВ", "no visa", "L328706 deny_entry",
		"ложное совпадение", "other birthplace", "returning resident", "walked back to the queue", "purpose unclear",
		"outcome.refused E", "1m35s", "Подпись руководителя", "S300", "проверено"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the report lacks %q:\n%s", want, flat)
		}
	}
}
