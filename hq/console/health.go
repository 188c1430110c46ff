package console

import (
	"fmt"
	"net/http"
	"time"

	"github.com/chekara/chekara/hq/store"
)

// MaxClockOffset is how far a booth's clock may be from HQ's before the
// booths page flags it (the booth's status bar warns at the same offset).
const MaxClockOffset = 2 * time.Minute

// booths: booth health as HQ sees it — last sync, the backlog the booth
// reported and its oldest record's age, the list, rule and directory versions
// it holds against the published ones, its clock offset, revoked booths, and
// every alert HQ raised (records sent again with other content, gaps, audit
// chains cut or rewritten, clock jumps).
func (c *Console) booths(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	rep, err := c.cfg.Stats.Report(ctx)
	if err != nil {
		c.fail(w, s, err)
		return
	}
	alerts, err := c.cfg.Stats.Alerts(ctx)
	if err != nil {
		c.fail(w, s, err)
		return
	}
	states, err := c.cfg.Stats.BoothStates(ctx)
	if err != nil {
		c.fail(w, s, err)
		return
	}
	head, err := c.cfg.Stats.AdminHead(ctx)
	if err != nil {
		c.fail(w, s, err)
		return
	}
	v := c.pageView(s, "Booths", "booths")
	if v.Lists, err = c.cfg.Stats.Latest(ctx, store.Lists); err != nil {
		c.fail(w, s, err)
		return
	}
	if v.Rules, err = c.cfg.Stats.Latest(ctx, store.Rules); err != nil {
		c.fail(w, s, err)
		return
	}
	byBooth := map[string]store.BoothState{}
	for _, st := range states {
		byBooth[st.Booth] = st
	}
	now := c.clock.Now()
	t := table{Title: "Booths", Head: []string{"Booth", "Post", "State", "Last sync", "Since", "Backlog", "Oldest pending",
		"Lists", "Rules", "Officers", "Clock offset", "Records up to", "Crossings"}}
	for _, b := range rep.Booths {
		state, last, since := "active", "never", ""
		if !b.RevokedAt.IsZero() {
			state = tr(v.Lang, "revoked "+day(b.RevokedAt.In(c.cfg.Location)))
		} else if !b.LastSync.IsZero() && now.Sub(b.LastSync) <= c.cfg.LinkedWithin {
			state = "linked"
		}
		if !b.LastSync.IsZero() {
			last = b.LastSync.In(c.cfg.Location).Format("2006-01-02 15:04")
			since = age(now.Sub(b.LastSync))
		}
		backlog, oldest, lists, rules, dir, offset := "?", "", "?", "?", "?", "?"
		if st, ok := byBooth[b.ID]; ok {
			backlog = n(st.Backlog)
			if !st.OldestPending.IsZero() {
				// Both times are the booth's: no offset in the age.
				oldest = age(st.BoothClock.Sub(st.OldestPending))
			}
			lists, rules, dir = held(st.Lists, v.Lists), held(st.Rules, v.Rules), held(st.Directory, head.Seq)
			if st.Source == "link" {
				offset = signed(st.ClockOffset())
			}
		}
		t.Rows = append(t.Rows, []string{b.ID, b.Post, state, last, since, backlog, oldest, lists, rules, dir, offset, n(b.Mark), n(b.Crossings)})
	}
	at := table{Title: "Alerts", Head: []string{"At", "Why", "Booth", "Seq", "Record", "Kept from", "Detail", "Source"}}
	for i := len(alerts) - 1; i >= 0; i-- {
		a := alerts[i]
		detail := ""
		if a.Reason != store.AlertChanged && a.Reason != store.AlertSeqReused && a.Reason != store.AlertInvalid && len(a.Payload) <= 300 {
			detail = string(a.Payload)
		}
		at.Rows = append(at.Rows, []string{a.At.In(c.cfg.Location).Format("2006-01-02 15:04"), alertReason(a.Reason), a.Booth, n(a.Seq),
			a.RecordID, a.StoredBooth, detail, a.Source})
	}
	v.Tables = []table{t, at}
	v.Note = fmt.Sprintf("Published: lists version %d, rules version %d, officer directory version %d. "+
		"Backlog, versions and clock are as each booth reported with its last batch; \"?\" for a booth that has not reported them. "+
		"A clock more than %s off HQ's is marked ⚠.", v.Lists, v.Rules, head.Seq, age(MaxClockOffset))
	c.audit1(r, s.account, "view", "")
	c.render(w, "tables.html", v)
}

// held shows a version a booth holds, with the published one when it is behind.
func held(have, published int64) string {
	if have < published {
		return fmt.Sprintf("%d (of %d)", have, published)
	}
	return n(have)
}

// signed shows a clock offset: "+3 s", "−2 min ⚠".
func signed(d time.Duration) string {
	sign := "+"
	if d < 0 {
		sign, d = "−", -d
	}
	out := sign + age(d)
	if d > MaxClockOffset {
		out += " ⚠"
	}
	return out
}

var alertReasons = map[string]string{
	store.AlertChanged:        "sent again with other content",
	store.AlertSeqReused:      "another record at a known seq",
	store.AlertInvalid:        "record HQ cannot read",
	store.AlertGap:            "gap: records deleted at the booth",
	store.AlertAuditTruncated: "audit log cut short",
	store.AlertAuditRewritten: "audit log rewritten",
	store.AlertClockJump:      "clock jump",
}

func alertReason(r string) string {
	if s, ok := alertReasons[r]; ok {
		return s
	}
	return r
}
