package app_test

import (
	"fmt"
	"testing"

	"github.com/chekara/chekara/app"
)

// TestStayReason: the stay panel's reason for every way a rule can apply, and
// a nationality not on the ICAO list said so in words (issue 21).
func TestStayReason(t *testing.T) {
	unknown := app.Document{Nationality: "KRZ", Warnings: []app.Problem{{Code: app.WarnUnknownCountry, Field: "nationality", Value: "KRZ"}}}
	stateOnly := app.Document{Nationality: "KGZ", Warnings: []app.Problem{{Code: app.WarnUnknownCountry, Field: "issuing_state", Value: "KRZ"}}}
	tests := []struct {
		name  string
		nat   string
		doc   app.Document
		stay  app.Stay
		known bool
		want  string
	}{
		{"named", "KGZ", app.Document{}, app.Stay{Rule: "Citizens", Basis: app.StayNamed}, true, "stay.why_named [KGZ]"},
		{"group", "RUS", app.Document{}, app.Stay{Rule: "EAEU", Basis: app.StayGroup, Group: "EAEU"}, true, "stay.why_group [RUS EAEU]"},
		{"unlisted", "CHN", app.Document{}, app.Stay{Rule: "Visa", Basis: app.StayUnlisted}, true, "stay.why_unlisted [CHN]"},
		{"unknown code", "KRZ", unknown, app.Stay{Rule: "Visa", Basis: app.StayUnlisted}, true, "stay.why_unknown [KRZ]"},
		{"state unknown, nationality listed", "KGZ", stateOnly, app.Stay{Rule: "Visa", Basis: app.StayUnlisted}, true, "stay.why_unlisted [KGZ]"},
		{"no rule", "CHN", app.Document{}, app.Stay{}, true, "stay.why_none [CHN]"},
		{"no rule, unknown code", "KRZ", unknown, app.Stay{}, true, "stay.why_none_unknown [KRZ]"},
		{"stay not known", "KRZ", unknown, app.Stay{}, false, " []"},
		{"rules that do not say why", "KGZ", app.Document{}, app.Stay{Rule: "X"}, true, " []"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &app.InspectionView{Document: tt.doc, Stay: tt.stay, StayKnown: tt.known}
			v.Inspection.Traveller.Nationality = tt.nat
			key, args := v.StayReason()
			if got := fmt.Sprint(key, " ", args); got != tt.want {
				t.Errorf("StayReason = %s, want %s", got, tt.want)
			}
		})
	}
}
