package console

import (
	"context"
	"encoding/csv"
	"io"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/paper"
)

// Monthly is the monthly statistics report: what EES (Reg. 2017/2226 Art.
// 63) and Frontex's FRAN indicators ask of border statistics, from HQ's
// summary tables. One computation for `hq report --monthly` and the
// console's download.
type Monthly struct {
	Month string // YYYY-MM (the local month at the post)
	// Sections in print order; each a title, its column heads and rows of
	// cells whose last cell is a count.
	Sections []MonthlySection
	// OverstaysOn is the day the overstayers were counted on: HQ holds the
	// open stays as they are now, not as they were at a month's end.
	OverstaysOn string
	Total       int64 // real crossings in the month
}

// MonthlySection is one table of the monthly report.
type MonthlySection struct {
	ID    string // csv: the section column
	Title string
	Head  []string
	Rows  [][]string
	// Note, when set, stands in for the rows (a section not available).
	Note string
	// Caption, when set, is printed under the title (what the figures are).
	Caption string
}

// ParseMonth checks a month "YYYY-MM". EINVALID otherwise.
func ParseMonth(s string) (time.Time, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return time.Time{}, app.Errorf(app.EINVALID, "%q is not a month (YYYY-MM).", s)
	}
	return t, nil
}

// MakeMonthly computes the report for month (YYYY-MM); today (YYYY-MM-DD) is
// the day overstayers are counted on. EINVALID for a bad month or day.
func MakeMonthly(ctx context.Context, st Statistics, month, today string) (Monthly, error) {
	if _, err := ParseMonth(month); err != nil {
		return Monthly{}, err
	}
	m := Monthly{Month: month, OverstaysOn: today}
	inMonth := func(extra map[string]string) map[string]string {
		w := map[string]string{store.KeyMonth: month}
		for k, v := range extra {
			w[k] = v
		}
		return w
	}
	crossings := func(id, title string, by []string, where map[string]string, refusals bool) error {
		rows, err := st.CrossingStats(ctx, store.StatsQuery{By: by, Where: inMonth(where)})
		if err != nil {
			return err
		}
		s := MonthlySection{ID: id, Title: title, Head: mapLabels(by)}
		if refusals {
			s.Head = append(s.Head, "Refusals")
		} else {
			s.Head = append(s.Head, "Crossings", "Admitted", "Refused", "Referred")
		}
		var tot store.StatsRow
		for _, r := range rows {
			var line []string
			for _, k := range by {
				line = append(line, r.Keys[k])
			}
			if refusals {
				line = append(line, n(r.Count))
			} else {
				line = append(line, n(r.Count), n(r.Admitted), n(r.Refused), n(r.Referred))
			}
			s.Rows = append(s.Rows, line)
			tot.Count += r.Count
		}
		if id == "crossings_by_post" {
			m.Total = tot.Count
		}
		m.Sections = append(m.Sections, s)
		return nil
	}
	refuse := map[string]string{store.KeyDecision: "refuse"}
	for _, s := range []struct {
		id, title string
		by        []string
		where     map[string]string
	}{
		{"crossings_by_post", "Crossings by border crossing point and direction", []string{store.KeyPost, store.KeyDirection}, nil},
		{"crossings_by_nationality", "Crossings by nationality and direction", []string{store.KeyNationality, store.KeyDirection}, nil},
		{"refusals_by_ground", "Refusals of entry and exit by ground", []string{store.KeyRefusalReason}, refuse},
		{"refusals_by_nationality", "Refusals by nationality and ground", []string{store.KeyNationality, store.KeyRefusalReason}, refuse},
		{"refusals_by_post", "Refusals by border crossing point and ground", []string{store.KeyPost, store.KeyRefusalReason}, refuse},
	} {
		if err := crossings(s.id, s.title, s.by, s.where, s.where != nil); err != nil {
			return Monthly{}, err
		}
	}
	over, err := st.Overstayers(ctx, store.OverstayQuery{Today: today})
	if err != nil {
		return Monthly{}, err
	}
	ov := MonthlySection{ID: "overstays", Title: "Overstays by nationality and entry post", Head: []string{"Nationality", "Entry post", "Overstayers"},
		Caption: "In the country past their limit on " + today + " (HQ holds the open stays as they are now, not as they were at the month's end)."}
	for _, g := range over {
		ov.Rows = append(ov.Rows, []string{g.Nationality, g.EntryPost, n(g.Count)})
	}
	m.Sections = append(m.Sections, ov)

	hits, err := st.HitStats(ctx, store.StatsQuery{By: []string{store.KeyCategory, store.KeyResolution, store.KeyPost}, Where: map[string]string{store.KeyMonth: month}})
	if err != nil {
		return Monthly{}, err
	}
	det := MonthlySection{ID: "detections", Title: "Detections: watchlist hits by category, resolution and post", Head: []string{"Category", "Resolution", "Post", "Hits"}}
	var confirmed, stolen int64
	for _, r := range hits {
		det.Rows = append(det.Rows, []string{r.Keys[store.KeyCategory], r.Keys[store.KeyResolution], r.Keys[store.KeyPost], n(r.Count)})
		if r.Keys[store.KeyResolution] == "confirmed" {
			confirmed += r.Count
			if r.Keys[store.KeyCategory] == "stolen" || r.Keys[store.KeyCategory] == "lost" {
				stolen += r.Count
			}
		}
	}
	sum := MonthlySection{ID: "detections_summary", Title: "Detections", Head: []string{"Indicator", "Count"},
		Rows: [][]string{{"Hits confirmed", n(confirmed)}, {"Stolen or lost documents detected (confirmed)", n(stolen)}}}
	m.Sections = append(m.Sections, sum, det)
	return m, nil
}

// WriteMonthlyCSV writes the report as one CSV: section, the section's key
// columns as key1..key3, then the counts (crossings or the section's one
// count, admitted, refused, referred where they apply).
func WriteMonthlyCSV(w io.Writer, m Monthly) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"month", "section", "key1", "key2", "key3", "count", "admitted", "refused", "referred"})
	for _, s := range m.Sections {
		if s.Note != "" {
			cw.Write([]string{m.Month, s.ID, "not available", "", "", "", "", "", ""})
			continue
		}
		nkeys := len(s.Head) - 1
		if len(s.Head) >= 4 && s.Head[len(s.Head)-1] == "Referred" {
			nkeys = len(s.Head) - 4
		}
		for _, row := range s.Rows {
			line := []string{m.Month, s.ID, "", "", ""}
			for i := 0; i < nkeys && i < 3; i++ {
				line[2+i] = cell(row[i])
			}
			counts := row[nkeys:]
			line = append(line, counts...)
			for len(line) < 9 {
				line = append(line, "")
			}
			cw.Write(line)
		}
	}
	cw.Flush()
	return cw.Error()
}

// MonthlyPDF prints the report on A4 (package paper).
func MonthlyPDF(m Monthly, at time.Time) ([]byte, error) {
	sh := paper.New("Chekara — monthly border statistics "+m.Month, at)
	sh.Field("Month", m.Month+" (local month at the post)")
	sh.Field("Real crossings", n(m.Total))
	sh.Text("Figures are real crossings recorded at the booths and synchronised to HQ (training crossings are never counted), as EES (Regulation (EU) 2017/2226, Art. 63) and Frontex FRAN indicators ask: crossings by post, nationality and direction; refusals by ground and nationality; overstays; detections.")
	for _, s := range m.Sections {
		sh.Heading(s.Title)
		if s.Caption != "" {
			sh.Text(s.Caption)
		}
		if s.Note != "" {
			sh.Text(s.Note)
			continue
		}
		if len(s.Rows) == 0 {
			sh.Text("None this month.")
			continue
		}
		sh.Table(widths(len(s.Head)), s.Head, s.Rows)
	}
	return sh.Bytes()
}

// widths shares the body's 174 mm out: key columns wide, counts narrow.
func widths(cols int) []float64 {
	switch cols {
	case 2:
		return []float64{130, 44}
	case 3:
		return []float64{70, 70, 34}
	case 4:
		return []float64{60, 50, 34, 30}
	case 6:
		return []float64{44, 30, 25, 25, 25, 25}
	}
	w := make([]float64, cols)
	for i := range w {
		w[i] = 174 / float64(cols)
	}
	return w
}
