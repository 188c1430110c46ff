package paper

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/i18n"
	"github.com/chekara/chekara/assets"
)

func shippedReasons(t *testing.T) app.RefusalReasons {
	t.Helper()
	data, err := assets.FS.ReadFile("reasons/refusal.json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := app.ParseRefusalReasons(data)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestGround: every shipped reason code is its own letter ground of the standard
// form; a refined code keeps its first letter; anything else is J (national).
func TestGround(t *testing.T) {
	for _, r := range shippedReasons(t).Reasons {
		if got := Ground(r.Code); got != r.Code {
			t.Errorf("Ground(%s) = %s", r.Code, got)
		}
	}
	for code, want := range map[string]string{"F2": "F", "h-court": "H", "Z": "J", "": "J", "9": "J"} {
		if got := Ground(code); got != want {
			t.Errorf("Ground(%q) = %s, want %s", code, got, want)
		}
	}
}

// TestRefusalForm prints a refusal in Kyrgyz and Russian beside English and reads it
// back as a person would (pdftotext): the traveller's data, the ground ticked by
// letter and only that one, the officer's note, the officer and post, the date, and
// room for both signatures.
func TestRefusalForm(t *testing.T) {
	cat, err := i18n.Load(assets.FS, "i18n")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 4, 9, 15, 0, 0, time.FixedZone("KGT", 6*3600))
	c := app.Crossing{ID: "01a2407f-1500-773f-878d-0d2c06f6df2f", OfficerID: "K1003", Post: "DOSTUK", Booth: "DOSTUK-07",
		Direction: app.Entry, Decision: app.Refuse, RefusalReason: "H", RefusalNote: "Entry ban until 2029",
		Document: app.DocumentKey{IssuingState: "RUS", Number: "754000111"}, DocumentCode: "P",
		Traveller: app.TravellerKey{Surname: "IVANOV", GivenNames: "IURII", BirthDate: "1975-03-14", Nationality: "RUS"},
		Sex:       "M", Expiry: "2030-01-01", BoothTime: at, Source: app.FromDataPage}
	officer := app.Officer{ID: "K1003", Name: "Эрмек Токтогулов", Language: "ky"}
	for _, lang := range []string{"ky", "ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			pdf, err := RefusalForm(Refusal{Crossing: c, Officer: officer, Reasons: shippedReasons(t), Lang: lang, Words: cat, At: at})
			if err != nil {
				t.Fatal(err)
			}
			if dir := os.Getenv("CHEKARA_FORM_OUT"); dir != "" {
				os.WriteFile(filepath.Join(dir, "refusal-"+lang+".pdf"), pdf, 0o644)
			}
			text := pdfText(t, pdf)
			flat := strings.Join(strings.Fields(text), " ")
			want := []string{"Refusal of entry at the border", "IVANOV", "IURII", "1975-03-14", "P RUS 754000111", "2030-01-01",
				"DOSTUK · DOSTUK-07", "2026-12-04 09:15", "Эрмек Токтогулов (K1003)", "Entry ban until 2029",
				"Officer's signature and stamp", "Signature of the person concerned", "typed from the data page"}
			switch lang {
			case "ky":
				want = append(want, "Чек арада өлкөгө кирүүдөн баш тартуу", "Өлкөгө кирүүсүнө тыюу салынган адам", "Адамдын колу")
			case "ru":
				want = append(want, "Отказ во въезде на границе", "ограничение на въезд", "Подпись лица")
			}
			for _, w := range want {
				if !strings.Contains(flat, w) {
					t.Errorf("the printed form lacks %q:\n%s", w, text)
				}
			}
			ticked := regexp.MustCompile(`☒\s*([A-J]) —`).FindAllStringSubmatch(text, -1)
			if len(ticked) != 1 || ticked[0][1] != "H" {
				t.Errorf("ticked grounds %v, want H only", ticked)
			}
			if n := strings.Count(text, "☐"); n != len(Grounds)-1 {
				t.Errorf("%d empty boxes, want %d", n, len(Grounds)-1)
			}
		})
	}
	if _, err := RefusalForm(Refusal{Crossing: app.Crossing{Decision: app.Admit}, Words: cat}); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("a form for an admission: %v", err)
	}
}
