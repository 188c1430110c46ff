package console

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/chekara/chekara/hq/store"
)

// view is what every template gets; each page fills its part.
type view struct {
	Session *session
	Lang    string   // ky, ru or en
	Langs   []string // the switch
	Path    string   // this page, for the switch to come back to
	Account string
	Role    string
	Title   string
	Nav     string
	CSRF    string
	Error   string
	Note    string

	Today, Week         table
	Linked, Booths      int
	OpenAlerts          int
	Lists, Rules        int64
	AsOf                string
	Chart               template.HTML
	Tables              []table
	Form                flowForm
	Audit               []AuditEntry
	ShowAudit, ShowHits bool
	// Filters, when set, is the page's filter form (else the date range).
	Filters []filter

	// Administration (admin.go).
	AdminTab            string
	Roles               []string
	Officers            []store.Account
	Edit                *store.Account
	BoothList           []store.Booth
	Bundle, BundleBooth string
	ShowAdmin           bool
	fault               error // a read that failed while showing the page

	// Monthly report (reports.go).
	Month, PDF, CSV string
}

// filter is one field of a page's filter form.
type filter struct {
	Label, Name, Value, Type string
}

// table is a titled grid of cells; CSV, when set, is the export link.
type table struct {
	Total bool // the last row is a total line
	Title string
	Head  []string
	Rows  [][]string
	CSV   string
	Empty string // shown instead of an empty table; "" : "Nothing yet."
	// Caption, when set, says under the title what the figures are.
	Caption string
}

var funcs = template.FuncMap{
	"join":  strings.Join,
	"keys":  func() []string { return groupable },
	"label": label,
	"t":     func(s string) string { return s },
	"posts": func(p []string) string { return strings.Join(p, ", ") },
	"short": func(s string) bool { return len(s) <= 24 }, // codes, ids and times: never broken over lines
	"langs": func() []string { return []string{"ky", "ru", "en"} },
	"last":  func(i, n int) bool { return i == n-1 },
	"isNum": func(s string) bool {
		_, err := strconv.ParseInt(s, 10, 64)
		return err == nil
	},
}

// pageView starts a page's view from its session.
func (c *Console) pageView(s *session, title, nav string) view {
	return view{Session: s, Lang: c.langOf(nil, s), Account: s.account.Name, Role: s.account.Role, Title: title, Nav: nav, CSRF: s.csrf,
		ShowAudit: s.account.Role == RoleAuditor, ShowAdmin: s.account.Role == RoleHQAdmin && c.cfg.Admin != nil}
}

// today is the current date in HQ's zone.
func (c *Console) today() time.Time {
	y, m, d := c.clock.Now().In(c.cfg.Location).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, c.cfg.Location)
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

// overview: today and this week by post and direction, booths linked now,
// open alerts. The numbers refresh in place every few seconds (console.js
// fetches /live), so an upload shows within 10 s.
func (c *Console) overview(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.pageView(s, "Overview", "overview")
	if err := c.fillLive(r, &v); err != nil {
		c.fail(w, s, err)
		return
	}
	c.audit1(r, s.account, "view", "")
	c.render(w, "overview.html", v)
}

func (c *Console) live(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.pageView(s, "", "")
	if err := c.fillLive(r, &v); err != nil {
		c.fail(w, s, err)
		return
	}
	c.render(w, "live", v)
}

func (c *Console) fillLive(r *http.Request, v *view) error {
	ctx := r.Context()
	today := c.today()
	wd := (int(today.Weekday()) + 6) % 7 // days since Monday
	by := []string{store.KeyPost, store.KeyDirection}
	t, err := c.cfg.Stats.CrossingStats(ctx, store.StatsQuery{By: by, From: day(today), To: day(today)})
	if err != nil {
		return err
	}
	wk, err := c.cfg.Stats.CrossingStats(ctx, store.StatsQuery{By: by, From: day(today.AddDate(0, 0, -wd)), To: day(today)})
	if err != nil {
		return err
	}
	v.Today = statsTable("Today, "+day(today), by, t, "")
	v.Week = statsTable("This week, from "+day(today.AddDate(0, 0, -wd)), by, wk, "")
	rep, err := c.cfg.Stats.Report(ctx)
	if err != nil {
		return err
	}
	now := c.clock.Now()
	for _, b := range rep.Booths {
		if b.RevokedAt.IsZero() {
			v.Booths++
			if !b.LastSync.IsZero() && now.Sub(b.LastSync) <= c.cfg.LinkedWithin {
				v.Linked++
			}
		}
	}
	alerts, err := c.cfg.Stats.Alerts(ctx)
	if err != nil {
		return err
	}
	v.OpenAlerts = len(alerts)
	v.AsOf = now.In(c.cfg.Location).Format("2006-01-02 15:04:05")
	return nil
}

// statsTable lays rows out with one column per key and the four counts, and
// a total line.
func statsTable(title string, by []string, rows []store.StatsRow, csvLink string) table {
	t := table{Title: title, CSV: csvLink}
	for _, k := range by {
		t.Head = append(t.Head, label(k))
	}
	t.Head = append(t.Head, "Crossings", "Admitted", "Refused", "Referred")
	var tot store.StatsRow
	for _, r := range rows {
		var line []string
		for _, k := range by {
			line = append(line, r.Keys[k])
		}
		line = append(line, n(r.Count), n(r.Admitted), n(r.Refused), n(r.Referred))
		t.Rows = append(t.Rows, line)
		tot.Count += r.Count
		tot.Admitted += r.Admitted
		tot.Refused += r.Refused
		tot.Referred += r.Referred
	}
	if len(by) > 0 {
		line := make([]string, len(by))
		line[0] = "Total"
		t.Rows = append(t.Rows, append(line, n(tot.Count), n(tot.Admitted), n(tot.Refused), n(tot.Referred)))
		t.Total = true
	}
	return t
}

func n(v int64) string { return strconv.FormatInt(v, 10) }

var labels = map[string]string{
	store.KeyPost: "Post", store.KeyBooth: "Booth", store.KeyDirection: "Direction", store.KeyDay: "Day",
	store.KeyWeek: "Week", store.KeyMonth: "Month", store.KeyNationality: "Nationality",
	store.KeyDocumentType: "Document", store.KeyDecision: "Decision", store.KeyRefusalReason: "Ground",
	store.KeyCategory: "Category", store.KeyResolution: "Resolution",
}

func label(k string) string {
	if l, ok := labels[k]; ok {
		return l
	}
	return k
}

// flowForm is the flows page's form, read from and written back to the URL.
type flowForm struct {
	Period                                               string // day, week, month or ""
	Keys                                                 map[string]bool
	From, To                                             string
	Post, Direction, Nationality, DocumentType, Decision string
	Query                                                string // the form as a query string, for the CSV link
}

// groupable are the flow keys offered as checkboxes, in order.
var groupable = []string{store.KeyPost, store.KeyBooth, store.KeyDirection, store.KeyNationality, store.KeyDocumentType, store.KeyDecision}

// parseQuery reads a statistics query from URL parameters: by=post,day (or
// repeated), from, to, and one parameter per key to filter on.
func parseQuery(q url.Values, keys []string) store.StatsQuery {
	sq := store.StatsQuery{From: q.Get("from"), To: q.Get("to"), Where: map[string]string{}}
	for _, v := range q["by"] {
		for _, k := range strings.Split(v, ",") {
			if k = strings.TrimSpace(k); k != "" {
				sq.By = append(sq.By, k)
			}
		}
	}
	for _, k := range keys {
		if v := strings.TrimSpace(q.Get(k)); v != "" {
			sq.Where[k] = v
		}
	}
	// Unknown parameters named like filters are refused by the store's check.
	for k := range q {
		switch k {
		case "by", "from", "to", "period":
		default:
			if _, ok := sq.Where[k]; !ok && q.Get(k) != "" {
				sq.Where[k] = q.Get(k)
			}
		}
	}
	return sq
}

// flowQuery reads the flows form; without one it shows the last 30 days by
// post and day.
func (c *Console) flowQuery(r *http.Request) (store.StatsQuery, flowForm) {
	q := r.URL.Query()
	if len(q) == 0 {
		q = url.Values{"period": {"day"}, "by": {"post"}, "from": {day(c.today().AddDate(0, 0, -29))}, "to": {day(c.today())}}
	}
	f := flowForm{Period: q.Get("period"), Keys: map[string]bool{}, From: q.Get("from"), To: q.Get("to"),
		Post: q.Get("post"), Direction: q.Get("direction"), Nationality: q.Get("nationality"),
		DocumentType: q.Get("document_type"), Decision: q.Get("decision")}
	sq := parseQuery(q, store.CrossingKeys)
	var by []string
	if f.Period != "" {
		by = append(by, f.Period)
	}
	for _, k := range sq.By {
		f.Keys[k] = true
		if k != f.Period {
			by = append(by, k)
		}
	}
	sq.By = by
	f.Query = q.Encode()
	return sq, f
}

func (c *Console) flows(w http.ResponseWriter, r *http.Request, s *session) {
	sq, f := c.flowQuery(r)
	rows, err := c.cfg.Stats.CrossingStats(r.Context(), sq)
	if err != nil {
		c.fail(w, s, err)
		return
	}
	v := c.pageView(s, "Flows", "flows")
	v.Form = f
	v.Chart = barChart(rows, sq.By)
	v.Tables = []table{statsTable("Crossings", sq.By, rows, "/flows.csv?"+f.Query)}
	c.audit1(r, s.account, "view", "")
	c.render(w, "flows.html", v)
}

// flowsCSV exports the flows table as it is shown.
func (c *Console) flowsCSV(w http.ResponseWriter, r *http.Request, s *session) {
	sq, _ := c.flowQuery(r)
	rows, err := c.cfg.Stats.CrossingStats(r.Context(), sq)
	if err != nil {
		c.fail(w, s, err)
		return
	}
	c.audit1(r, s.account, "export", fmt.Sprintf("%d rows", len(rows)))
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="chekara-flows.csv"`)
	WriteCSV(w, sq.By, rows)
}

// WriteCSV writes statistics rows as CSV: the keys, then crossings, admitted,
// refused, referred. A cell a spreadsheet would run as a formula is quoted
// with a leading apostrophe.
func WriteCSV(w interface{ Write([]byte) (int, error) }, by []string, rows []store.StatsRow) error {
	cw := csv.NewWriter(w)
	cw.Write(append(append([]string{}, by...), "crossings", "admitted", "refused", "referred"))
	for _, r := range rows {
		var line []string
		for _, k := range by {
			line = append(line, cell(r.Keys[k]))
		}
		cw.Write(append(line, n(r.Count), n(r.Admitted), n(r.Refused), n(r.Referred)))
	}
	cw.Flush()
	return cw.Error()
}

func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// rangeOf reads from/to, defaulting to last month and this one.
func (c *Console) rangeOf(r *http.Request) (string, string) {
	from, to := r.URL.Query().Get("from"), r.URL.Query().Get("to")
	if from == "" && to == "" {
		// Last month and this one, whole: the monthly summaries answer it,
		// however many crossings HQ holds (docs/benchmarks.md).
		y, m, _ := c.today().Date()
		first := time.Date(y, m, 1, 0, 0, 0, 0, c.cfg.Location)
		from, to = day(first.AddDate(0, -1, 0)), day(first.AddDate(0, 1, -1))
	}
	return from, to
}

func (c *Console) refusals(w http.ResponseWriter, r *http.Request, s *session) {
	from, to := c.rangeOf(r)
	v := c.pageView(s, "Refusals", "refusals")
	v.Form = flowForm{From: from, To: to}
	refused := map[string]string{store.KeyDecision: "refuse"}
	for _, by := range [][]string{{store.KeyRefusalReason}, {store.KeyPost}, {store.KeyNationality}, {store.KeyPost, store.KeyRefusalReason}} {
		rows, err := c.cfg.Stats.CrossingStats(r.Context(), store.StatsQuery{By: by, From: from, To: to, Where: refused})
		if err != nil {
			c.fail(w, s, err)
			return
		}
		q := url.Values{"by": {strings.Join(by, ",")}, "from": {from}, "to": {to}, "decision": {"refuse"}}
		title := "Refusals by " + strings.ToLower(strings.Join(mapLabels(by), " and "))
		t := statsTable(title, by, rows, "/flows.csv?"+q.Encode())
		t = dropColumns(t, "Crossings", "Admitted", "Referred")
		v.Tables = append(v.Tables, t)
	}
	c.audit1(r, s.account, "view", "")
	c.render(w, "tables.html", v)
}

func mapLabels(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = label(k)
	}
	return out
}

// dropColumns removes columns by heading (a refusals table needs only "Refused").
func dropColumns(t table, names ...string) table {
	drop := map[int]bool{}
	for i, h := range t.Head {
		for _, n := range names {
			if h == n {
				drop[i] = true
			}
		}
	}
	keep := func(row []string) []string {
		var out []string
		for i, c := range row {
			if !drop[i] {
				out = append(out, c)
			}
		}
		return out
	}
	t.Head = keep(t.Head)
	for i, row := range t.Rows {
		t.Rows[i] = keep(row)
	}
	return t
}

func (c *Console) hits(w http.ResponseWriter, r *http.Request, s *session) {
	from, to := c.rangeOf(r)
	v := c.pageView(s, "Watchlist hits", "hits")
	v.Form = flowForm{From: from, To: to}
	for _, by := range [][]string{{store.KeyCategory, store.KeyResolution}, {store.KeyPost, store.KeyCategory, store.KeyResolution}} {
		rows, err := c.cfg.Stats.HitStats(r.Context(), store.StatsQuery{By: by, From: from, To: to})
		if err != nil {
			c.fail(w, s, err)
			return
		}
		t := table{Title: "Hits by " + strings.ToLower(strings.Join(mapLabels(by), ", ")), Head: append(mapLabels(by), "Hits")}
		for _, row := range rows {
			var line []string
			for _, k := range by {
				line = append(line, row.Keys[k])
			}
			t.Rows = append(t.Rows, append(line, n(row.Count)))
		}
		v.Tables = append(v.Tables, t)
	}
	c.audit1(r, s.account, "view", "")
	c.render(w, "tables.html", v)
}

func age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d.Hours()))
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}

// StatsJSON is the body of GET /api/v1/statistics, in the shape `hq report`
// prints: the total and one object per group with the chosen keys and the
// counts.
type StatsJSON struct {
	Crossings int64            `json:"crossings"`
	Rows      []map[string]any `json:"rows"`
}

// MakeStatsJSON builds the API's body from rows grouped by by.
func MakeStatsJSON(by []string, rows []store.StatsRow) StatsJSON {
	out := StatsJSON{Rows: []map[string]any{}}
	for _, r := range rows {
		m := map[string]any{"crossings": r.Count, "admitted": r.Admitted, "refused": r.Refused, "referred": r.Referred}
		for _, k := range by {
			m[k] = r.Keys[k]
		}
		out.Crossings += r.Count
		out.Rows = append(out.Rows, m)
	}
	return out
}

func (c *Console) apiStatistics(w http.ResponseWriter, r *http.Request, s *session) {
	sq := parseQuery(r.URL.Query(), store.CrossingKeys)
	rows, err := c.cfg.Stats.CrossingStats(r.Context(), sq)
	if err != nil {
		if status, msg := apiError(err); status != http.StatusInternalServerError {
			writeJSONError(w, status, msg)
			return
		}
		c.log.Error("console api", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "internal error")
		return
	}
	c.audit1(r, s.account, "api", "")
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(MakeStatsJSON(dedupKeys(sq.By), rows))
}

func dedupKeys(keys []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}
