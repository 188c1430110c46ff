package console

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/store"
)

// auditLimit bounds each detailed list on the audit page; the counts above
// them cover everything that matched.
const auditLimit = 500

// audit: for auditors — who looked up whom at the booths (HQ's audit of
// history queries) per officer, per traveller and per booth; every HQ
// administrator's action (the administrative hash chain, checked); and the
// console's own activity (its hash-chained audit file, checked).
func (c *Console) audit(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	c.audit1(r, s.account, "view", "")
	q := r.URL.Query()
	officer, booth, traveller := strings.TrimSpace(q.Get("officer")), strings.TrimSpace(q.Get("booth")), strings.ToUpper(strings.TrimSpace(q.Get("traveller")))
	from, to, err := c.dayRange(q.Get("from"), q.Get("to"))
	if err != nil {
		c.fail(w, s, err)
		return
	}
	v := c.pageView(s, "Audit", "audit")
	v.Filters = []filter{{Label: "Officer", Name: "officer", Value: officer}, {Label: "Booth", Name: "booth", Value: booth},
		{Label: "Traveller (surname or document)", Name: "traveller", Value: q.Get("traveller")},
		{Label: "From", Name: "from", Value: q.Get("from"), Type: "date"}, {Label: "To", Name: "to", Value: q.Get("to"), Type: "date"}}

	lookups, err := c.cfg.Stats.Lookups(ctx, 0)
	if err != nil {
		c.fail(w, s, err)
		return
	}
	var match []store.Lookup
	for _, l := range lookups {
		if (officer != "" && !strings.EqualFold(l.OfficerID, officer)) || (booth != "" && !strings.EqualFold(l.Booth, booth)) ||
			l.At.Before(from) || !l.At.Before(to) {
			continue
		}
		if traveller != "" && !strings.Contains(strings.ToUpper(l.Person.Surname), traveller) && !strings.EqualFold(l.Document.Number, traveller) {
			continue
		}
		match = append(match, l)
	}
	perOfficer, perBooth, perTraveller := map[string]int64{}, map[string]int64{}, map[string]int64{}
	for _, l := range match {
		perOfficer[l.OfficerID]++
		perBooth[l.Booth]++
		perTraveller[travellerOf(l)]++
	}
	v.Tables = append(v.Tables,
		countTable(fmt.Sprintf("History look-ups at the booths by officer (%d)", len(match)), "Officer", perOfficer),
		countTable("By booth", "Booth", perBooth),
		countTable("By traveller", "Traveller", perTraveller))
	lt := table{Title: fmt.Sprintf("Look-ups, newest first (at most %d)", auditLimit), Head: []string{"At", "Booth", "Officer", "Inspection", "Document", "Traveller"}}
	for i := len(match) - 1; i >= 0 && len(lt.Rows) < auditLimit; i-- {
		l := match[i]
		doc := ""
		if l.Document.Number != "" {
			doc = l.Document.IssuingState + " " + l.Document.Number
		}
		lt.Rows = append(lt.Rows, []string{c.stamp(l.At), l.Booth, l.OfficerID, l.InspectionID, doc, personOf(l)})
	}
	v.Tables = append(v.Tables, lt)

	admin, err := c.cfg.Stats.AdminLog(ctx, 0)
	if err != nil {
		c.fail(w, s, err)
		return
	}
	chain := fmt.Sprintf("Administrative chain: %d changes, intact.", len(admin))
	if seq, err := store.VerifyAdminLog(admin); err != nil {
		chain = fmt.Sprintf("Administrative chain BROKEN at change %d: %v", seq, err)
	}
	at := table{Title: "HQ administrators' actions, newest first", Head: []string{"At", "Seq", "By", "Action", "Subject", "Detail"}}
	for i := len(admin) - 1; i >= 0 && len(at.Rows) < auditLimit; i-- {
		e := admin[i]
		if !inAdmin(e, officer) || e.At.Before(from) || !e.At.Before(to) {
			continue
		}
		at.Rows = append(at.Rows, []string{c.stamp(e.At), n(e.Seq), e.Actor, e.Action, e.Subject, e.Detail})
	}
	es, err := c.cfg.Audit.Entries(ctx)
	if err != nil {
		c.fail(w, s, err)
		return
	}
	// What hq-admins did in the console outside the chain (booths, publication,
	// refusals) is in the console's own chained audit.
	ca := table{Title: "HQ administrators' actions in the console, newest first", Head: []string{"At", "By", "Action", "Detail"}}
	for i := len(es) - 1; i >= 0 && len(ca.Rows) < auditLimit; i-- {
		e := es[i]
		if !strings.HasPrefix(e.Action, "admin_") || !inAdmin(store.AdminEntry{Actor: e.Account, Subject: e.Detail}, officer) || e.At.Before(from) || !e.At.Before(to) {
			continue
		}
		ca.Rows = append(ca.Rows, []string{c.stamp(e.At), e.Account, strings.TrimPrefix(e.Action, "admin_"), e.Detail})
	}
	v.Tables = append(v.Tables, at, ca)

	check := VerifyAudit(es)
	console := fmt.Sprintf("Console audit: %d entries, chain intact.", check.Entries)
	if check.Broken != 0 {
		console = fmt.Sprintf("Console audit chain BROKEN at entry %d: %s.", check.Broken, check.Why)
	} else if check.Unhashed > 0 {
		console = fmt.Sprintf("Console audit: %d entries, chain intact after the first %d (written before the chain).", check.Entries, check.Unhashed)
	}
	sort.SliceStable(es, func(i, j int) bool { return es[i].At.After(es[j].At) })
	ct := table{Title: fmt.Sprintf("Console activity, newest first (at most %d)", auditLimit), Head: []string{"At", "Account", "Role", "Action", "Page", "Query", "Detail", "From"}}
	for _, e := range es {
		if len(ct.Rows) >= auditLimit {
			break
		}
		if (officer != "" && !strings.EqualFold(e.Account, officer)) || e.At.Before(from) || !e.At.Before(to) {
			continue
		}
		ct.Rows = append(ct.Rows, []string{c.stamp(e.At), e.Account, e.Role, e.Action, e.Path, e.Query, e.Detail, e.Remote})
	}
	v.Tables = append(v.Tables, ct)
	v.Note = tr(v.Lang, chain) + " " + tr(v.Lang, console)
	c.render(w, "tables.html", v)
}

// inAdmin: an administrative entry matches the officer filter when that
// officer made it or was its subject.
func inAdmin(e store.AdminEntry, officer string) bool {
	return officer == "" || strings.EqualFold(e.Actor, officer) || strings.EqualFold(e.Subject, officer)
}

func (c *Console) stamp(t time.Time) string {
	return t.In(c.cfg.Location).Format("2006-01-02 15:04:05")
}

// dayRange reads a from/to pair of dates (HQ's zone) as [from, to+1 day);
// empty ends are open.
func (c *Console) dayRange(from, to string) (time.Time, time.Time, error) {
	lo, hi := time.Time{}, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	if from != "" {
		t, err := time.ParseInLocation(time.DateOnly, from, c.cfg.Location)
		if err != nil {
			return lo, hi, errInvalidDay(from)
		}
		lo = t
	}
	if to != "" {
		t, err := time.ParseInLocation(time.DateOnly, to, c.cfg.Location)
		if err != nil {
			return lo, hi, errInvalidDay(to)
		}
		hi = t.AddDate(0, 0, 1)
	}
	return lo, hi, nil
}

func personOf(l store.Lookup) string {
	p := l.Person
	if p.Surname == "" {
		return ""
	}
	return strings.Join(strings.Fields(p.Surname+" "+p.GivenNames+" "+p.BirthDate+" "+p.Nationality), " ")
}

func travellerOf(l store.Lookup) string {
	if p := personOf(l); p != "" {
		return p
	}
	return l.Document.IssuingState + " " + l.Document.Number
}

// countTable lists counts by key, largest first.
func countTable(title, head string, m map[string]int64) table {
	t := table{Title: title, Head: []string{head, "Look-ups"}}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys[:min(len(keys), 100)] {
		t.Rows = append(t.Rows, []string{k, n(m[k])})
	}
	return t
}

func errInvalidDay(s string) error {
	return app.Errorf(app.EINVALID, "%q is not a day (YYYY-MM-DD).", s)
}
