package console

import (
	"fmt"
	"net/http"
	"net/url"
)

// reports: the monthly statistics report, shown as tables and downloadable
// as PDF and CSV (the same as `hq report --monthly`). Every role.
func (c *Console) reports(w http.ResponseWriter, r *http.Request, s *session) {
	month := r.URL.Query().Get("month")
	if month == "" {
		month = c.today().AddDate(0, -1, 0).Format("2006-01") // last month: the one to report
	}
	rep, err := MakeMonthly(r.Context(), c.cfg.Stats, month, day(c.today()))
	if err != nil {
		c.fail(w, s, err)
		return
	}
	c.audit1(r, s.account, "view", "")
	v := c.pageView(s, "Monthly report", "reports")
	v.Month = month
	q := url.Values{"month": {month}}.Encode()
	v.PDF, v.CSV = "/reports/monthly.pdf?"+q, "/reports/monthly.csv?"+q
	v.Note = fmt.Sprintf("%d real crossings in %s.", rep.Total, month)
	for _, sec := range rep.Sections {
		t := table{Title: sec.Title, Head: sec.Head, Rows: sec.Rows, Caption: sec.Caption}
		if sec.Note != "" {
			t.Rows, t.Empty = nil, sec.Note
		}
		v.Tables = append(v.Tables, t)
	}
	c.render(w, "reports.html", v)
}

func (c *Console) monthlyFile(format string) func(http.ResponseWriter, *http.Request, *session) {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		month := r.URL.Query().Get("month")
		rep, err := MakeMonthly(r.Context(), c.cfg.Stats, month, day(c.today()))
		if err != nil {
			c.fail(w, s, err)
			return
		}
		c.audit1(r, s.account, "export", "monthly "+month+" "+format)
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="chekara-monthly-%s.%s"`, month, format))
		if format == "csv" {
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
			WriteMonthlyCSV(w, rep)
			return
		}
		pdf, err := MonthlyPDF(rep, c.clock.Now().In(c.cfg.Location))
		if err != nil {
			c.fail(w, s, err)
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Write(pdf)
	}
}
