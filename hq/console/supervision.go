package console

import (
	"fmt"
	"net/http"
	"strings"
)

// supervision: the supervisors' sign-offs of shifts per post, newest first,
// and the referrals to secondary inspection with their outcomes (issue 17).
func (c *Console) supervision(w http.ResponseWriter, r *http.Request, s *session) {
	post := strings.TrimSpace(r.URL.Query().Get("post"))
	offs, err := c.cfg.Stats.SignOffs(r.Context(), post, 0)
	if err != nil {
		c.fail(w, s, err)
		return
	}
	refs, err := c.cfg.Stats.Referrals(r.Context(), post)
	if err != nil {
		c.fail(w, s, err)
		return
	}
	c.audit1(r, s.account, "view", post)
	v := c.pageView(s, "Supervision", "supervision")
	v.Filters = []filter{{Label: "Post", Name: "post", Value: post}}
	rt := table{Title: "Referrals to secondary inspection", Head: []string{"Post", "Referrals", "Admitted", "Refused", "Without outcome"}}
	for _, x := range refs {
		rt.Rows = append(rt.Rows, []string{x.Post, n(x.Referrals), n(x.Admitted), n(x.Refused), n(x.Pending)})
	}
	st := table{Title: "Sign-offs of shifts", Head: []string{"Post", "Signed", "Supervisor", "Shift's booth", "Shift's officer",
		"Inspections", "Refused", "Referred", "Overrides", "Set aside", "Comment"}}
	for _, o := range offs {
		st.Rows = append(st.Rows, []string{o.Post, o.At.Format("2006-01-02 15:04"), o.SupervisorID, o.ShiftBooth, o.ShiftOfficer,
			fmt.Sprint(o.Counts.Inspections), fmt.Sprint(o.Counts.Refused), fmt.Sprint(o.Counts.Referred),
			fmt.Sprint(o.Counts.Overrides), fmt.Sprint(o.Counts.SetAside), o.Comment})
	}
	v.Tables = []table{st, rt}
	c.render(w, "tables.html", v)
}
