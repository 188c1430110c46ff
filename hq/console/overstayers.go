package console

import (
	"encoding/csv"
	"fmt"
	"net/http"

	"github.com/chekara/chekara/hq/store"
)

// overstayers: travellers in the country past their limit today (HQ's zone),
// by nationality and entry post, largest groups first; exportable.
func (c *Console) overstayers(w http.ResponseWriter, r *http.Request, s *session) {
	q := store.OverstayQuery{Today: day(c.today()), Nationality: r.URL.Query().Get("nationality"), EntryPost: r.URL.Query().Get("post")}
	groups, err := c.cfg.Stats.Overstayers(r.Context(), q)
	if err != nil {
		c.fail(w, s, err)
		return
	}
	if r.URL.Path == "/overstayers.csv" {
		c.audit1(r, s.account, "export", fmt.Sprintf("%d rows", len(groups)))
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="chekara-overstayers.csv"`)
		cw := csv.NewWriter(w)
		cw.Write([]string{"nationality", "entry_post", "overstayers", "since"})
		for _, g := range groups {
			cw.Write([]string{cell(g.Nationality), cell(g.EntryPost), n(g.Count), g.Since})
		}
		cw.Flush()
		return
	}
	c.audit1(r, s.account, "view", "")
	v := c.pageView(s, "Overstayers", "overstayers")
	v.Filters = []filter{{Label: "Nationality", Name: "nationality", Value: q.Nationality}, {Label: "Post", Name: "post", Value: q.EntryPost}}
	t := table{Title: fmt.Sprintf("In the country past their limit on %s", q.Today), Head: []string{"Nationality", "Entry post", "Overstayers", "Earliest last permitted day"},
		CSV: "/overstayers.csv?" + r.URL.RawQuery}
	var tot int64
	for _, g := range groups {
		t.Rows = append(t.Rows, []string{g.Nationality, g.EntryPost, n(g.Count), g.Since})
		tot += g.Count
	}
	if len(groups) > 0 {
		t.Rows = append(t.Rows, []string{"Total", "", n(tot), ""})
		t.Total = true
	}
	v.Tables = []table{t}
	c.render(w, "tables.html", v)
}
