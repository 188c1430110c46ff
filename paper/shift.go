package paper

import (
	"fmt"
	"strings"
	"time"

	"github.com/chekara/chekara/app"
)

// ShiftReport prints the end-of-shift report of a reviewed shift: its
// counts, every decision in order, the refusals with their grounds, the
// hits and how each was resolved, the overrides, the reads set aside, the
// referrals' outcomes and the supervisor's sign-off. words gives the labels
// in the reader's language (catalogue keys "report.…").
func ShiftReport(words func(key string, args ...any) string, at time.Time, r app.ShiftReview) ([]byte, error) {
	s := New(words("report.title"), at)
	in := r.Info
	clock := func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.Format("2006-01-02 15:04")
	}
	name := in.OfficerID
	if in.OfficerName != "" {
		name = in.OfficerName + " (" + in.OfficerID + ")"
	}
	s.Field(words("report.officer"), name)
	s.Field(words("report.booth"), in.Post+" / "+in.Booth)
	s.Field(words("report.times"), clock(in.OpenedAt)+" – "+clock(in.ClosedAt))
	c := in.Counts
	s.Heading(words("report.counts"))
	s.Table([]float64{24, 24, 24, 24, 24, 24, 24},
		[]string{words("counts.inspections"), words("counts.admitted"), words("counts.refused"), words("counts.referred"),
			words("counts.overrides"), words("counts.set_aside"), words("counts.hits")},
		[][]string{{fmt.Sprint(c.Inspections), fmt.Sprint(c.Admitted), fmt.Sprint(c.Refused), fmt.Sprint(c.Referred),
			fmt.Sprint(c.Overrides), fmt.Sprint(c.SetAside), fmt.Sprint(c.Hits)}})

	var decisions, refusals, hits, overrides, asides, referrals [][]string
	for _, it := range r.Items {
		doc := docOf(it)
		switch {
		case it.Crossing != nil:
			x := it.Crossing
			decisions = append(decisions, []string{x.BoothTime.Format("15:04:05"), doc, words("decision." + string(x.Decision)), took(it.Took)})
			if x.Decision == app.Refuse {
				refusals = append(refusals, []string{x.BoothTime.Format("15:04"), doc, x.RefusalReason, orDash(x.RefusalNote), confirmation(words, it.Confirmation)})
			}
			if x.Decision == app.Refer {
				out := words("report.outcome_pending")
				if o := it.Outcome; o != nil {
					out = words("outcome."+string(o.Outcome)) + " " + o.Reason
				}
				referrals = append(referrals, []string{x.BoothTime.Format("15:04"), doc, orDash(x.ReferralNote), strings.TrimSpace(out)})
			}
			for _, h := range x.Hits {
				res := words("report.false_match")
				if h.Confirmed {
					res = words("report.confirmed")
				}
				hits = append(hits, []string{x.BoothTime.Format("15:04"), doc, h.ListID + " " + h.Category, res, orDash(h.Note)})
			}
			if x.Override != nil {
				overrides = append(overrides, []string{x.BoothTime.Format("15:04"), doc, words(x.Override.Verdict), x.Override.Ground})
			}
		case it.SetAside != nil:
			a := it.SetAside
			asides = append(asides, []string{a.At.Format("15:04"), doc, a.Note})
		}
	}
	section := func(title string, widths []float64, header []string, rows [][]string) {
		s.Heading(title)
		if len(rows) == 0 {
			s.Text(words("report.none"))
			return
		}
		s.Table(widths, header, rows)
	}
	section(words("report.decisions"), []float64{24, 90, 30, 24}, []string{words("report.time"), words("report.document"), words("report.decision"), words("report.took")}, decisions)
	section(words("report.refusals"), []float64{18, 56, 24, 44, 32}, []string{words("report.time"), words("report.document"), words("report.ground"), words("report.note"), words("report.confirmation")}, refusals)
	section(words("report.referrals"), []float64{18, 64, 50, 38}, []string{words("report.time"), words("report.document"), words("report.note"), words("report.outcome")}, referrals)
	section(words("report.hits"), []float64{16, 44, 38, 40, 42}, []string{words("report.time"), words("report.document"), words("report.hit"), words("report.resolution"), words("report.note")}, hits)
	section(words("report.overrides"), []float64{18, 60, 40, 52}, []string{words("report.time"), words("report.document"), words("report.verdict"), words("report.ground_words")}, overrides)
	section(words("report.set_aside"), []float64{18, 70, 82}, []string{words("report.time"), words("report.document"), words("report.note")}, asides)

	s.Heading(words("report.sign_off"))
	if so := r.SignOff; so != nil {
		s.Field(words("report.supervisor"), so.SupervisorID)
		s.Field(words("report.signed_at"), clock(so.At))
		s.Field(words("report.comment"), so.Comment)
	} else {
		s.Text(words("report.not_signed"))
	}
	s.Signature(words("report.signature"))
	return s.Bytes()
}

func docOf(it app.ReviewItem) string {
	d, p := it.Inspection.Document, it.Inspection.Traveller
	switch {
	case it.Crossing != nil:
		d, p = it.Crossing.Document, it.Crossing.Traveller
	case it.SetAside != nil && d.Number == "":
		d, p = it.SetAside.Document, it.SetAside.Traveller
	}
	return strings.TrimSpace(fmt.Sprintf("%s %s %s %s", d.IssuingState, d.Number, p.Surname, p.GivenNames))
}

func took(d time.Duration) string {
	if d <= 0 {
		return "—"
	}
	return d.Round(time.Second).String()
}

func confirmation(words func(string, ...any) string, c *app.RefusalConfirmation) string {
	switch {
	case c == nil:
		return "—"
	case c.Confirmed:
		return words("report.confirmed_by", c.SupervisorID)
	}
	return words("report.not_confirmed_by", c.SupervisorID)
}
