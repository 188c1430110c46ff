package booth_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/app/rules"
	"github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/sync"
)

// supervisionPost is one post's two booths enrolled at a real HQ over mutual
// TLS, with officers and a supervisor from HQ's directory.
type supervisionPost struct {
	hq       testHQ
	a, b     *booth.Booth
	clk      *clock
	osh      *booth.Booth
	password string
}

func openSupervisionPost(t *testing.T) supervisionPost {
	t.Helper()
	ctx := context.Background()
	p := supervisionPost{hq: testHQ{hqtest.Start(t, cheapHQ), t.TempDir()}, clk: &clock{today}, password: "Zhibek-zholu-2026"}
	bundles := map[string]string{"DOSTUK-07": p.hq.bundle(t, "DOSTUK-07", "DOSTUK"),
		"DOSTUK-01": p.hq.bundle(t, "DOSTUK-01", "DOSTUK"), "OSH-01": p.hq.bundle(t, "OSH-01", "OSH")}
	for _, in := range []hq.OfficerInput{
		{ID: "K100", Name: "Kubat Osmonov", Role: app.RoleOfficer, Posts: []string{"DOSTUK"}, Language: "en", Password: p.password},
		{ID: "K200", Name: "Aida Secondary", Role: app.RoleOfficer, Posts: []string{"DOSTUK"}, Language: "en", Password: p.password},
		{ID: "S300", Name: "Cholpon Supervisor", Role: app.RoleSupervisor, Posts: []string{"DOSTUK"}, Language: "en", Password: p.password},
		{ID: "S900", Name: "Osh Supervisor", Role: app.RoleSupervisor, Posts: []string{"OSH"}, Language: "en", Password: p.password},
	} {
		if _, err := p.hq.AddOfficer(ctx, "test", in); err != nil {
			t.Fatal(err)
		}
	}
	open := func(id string) *booth.Booth {
		b, err := booth.Open(ctx, booth.Config{DataDir: t.TempDir(), Enrolment: bundles[id], Clock: p.clk, Store: fastArgon,
			ListsFile: filepath.Join("..", "assets", "lists", "demo.jsonl")})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		if err := b.Link.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		return b
	}
	p.a, p.b, p.osh = open("DOSTUK-07"), open("DOSTUK-01"), open("OSH-01")
	return p
}

func (p supervisionPost) signIn(t *testing.T, b *booth.Booth, id string) {
	t.Helper()
	if _, err := b.App.SignIn(context.Background(), id, p.password); err != nil {
		t.Fatalf("sign in %s: %v", id, err)
	}
}

// TestSupervisionEndToEnd is issue 17's "done when": an officer works a
// shift (an admission after a barring hit resolved as a false match, a
// referral, a refusal, a read set aside); the officer on secondary records
// the referral's outcome; a supervisor reviews the shift — what needs
// attention first — and signs it off; both records reach HQ, which counts the
// referral and its outcome and keeps the sign-off; a supervisor at the post's
// other booth sees the shift from HQ, audited there. Every bad input is
// refused with a clear error and changes nothing.
func TestSupervisionEndToEnd(t *testing.T) {
	ctx := context.Background()
	p := openSupervisionPost(t)
	a := p.a.App

	p.signIn(t, p.a, "K100")
	if _, err := a.OpenShift(ctx, "DOSTUK", "DOSTUK-07", app.Entry); err != nil {
		t.Fatal(err)
	}
	present := func(f mrz.Fields) *app.InspectionView {
		t.Helper()
		p.clk.add(time.Minute)
		v, err := a.Present(ctx, td3(t, f))
		if err != nil {
			t.Fatal(err)
		}
		p.clk.add(40 * time.Second)
		return v
	}
	decide := func(r app.DecisionRequest) app.Crossing {
		t.Helper()
		c, err := a.Decide(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	clean := func(doc, surname string) mrz.Fields {
		return mrz.Fields{IssuingState: "KAZ", Surname: surname, GivenNames: "ALI", DocumentNumber: doc,
			Nationality: "KAZ", BirthDateISO: "1980-01-01", Sex: "M", ExpiryDateISO: "2031-01-01"}
	}
	present(clean("N10000001", "BEKOV"))
	admittedC := decide(app.DecisionRequest{Decision: app.Admit})
	v := present(mrz.Fields{IssuingState: "RUS", Surname: "IVANOV", GivenNames: "IURII", DocumentNumber: "754000111",
		Nationality: "RUS", BirthDateISO: "1975-03-14", Sex: "M", ExpiryDateISO: "2030-01-01"})
	if len(v.Hits) == 0 || v.Hits[0].Category != "deny_entry" {
		t.Fatalf("hits %+v, want deny_entry first", v.Hits)
	}
	for _, h := range v.Hits {
		if _, err := a.Resolve(ctx, h.ListID, false, "different father's name and birthplace"); err != nil {
			t.Fatal(err)
		}
	}
	falseMatch := decide(app.DecisionRequest{Decision: app.Admit})
	present(clean("N10000002", "SULTANOV"))
	referred := decide(app.DecisionRequest{Decision: app.Refer, Note: "purpose of journey unclear"})
	present(clean("N10000003", "ORAZOV"))
	refused := decide(app.DecisionRequest{Decision: app.Refuse, Reason: "C"})
	present(clean("N10000004", "TOKTOMUSHEV"))
	if _, err := a.SetAside(ctx, "traveller walked back to the queue"); err != nil {
		t.Fatal(err)
	}
	shift := a.Session().Shift

	// Only a supervisor reviews; an open shift is not signed off.
	if _, err := a.ReviewShifts(ctx); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("an officer lists shifts for review: %v, want EUNAUTHORIZED", err)
	}
	pending := func(b *booth.Booth) int {
		n, err := b.Store.Pending(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	p.signIn(t, p.a, "S300")
	before := pending(p.a)
	if _, err := a.SignOffShift(ctx, shift.ID, "all in order"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("sign-off of an open shift: %v, want ECONFLICT", err)
	}
	p.signIn(t, p.a, "K100")
	if _, err := a.CloseShift(ctx, ""); err != nil {
		t.Fatal(err)
	}

	// Secondary inspection: the referral waits in the post's queue.
	p.signIn(t, p.a, "K200")
	queue, err := a.SecondaryQueue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(queue) != 1 || queue[0].ID != referred.ID {
		t.Fatalf("secondary queue %+v, want the one referral", queue)
	}
	for name, tc := range map[string]struct {
		r    app.OutcomeRequest
		code string
	}{
		"not referred":         {app.OutcomeRequest{CrossingID: refused.ID, Outcome: app.ReferralAdmitted}, app.EINVALID},
		"unknown crossing":     {app.OutcomeRequest{CrossingID: "01a2407f-0000-7000-8000-00000000dead", Outcome: app.ReferralAdmitted}, app.ENOTFOUND},
		"refused, no ground":   {app.OutcomeRequest{CrossingID: referred.ID, Outcome: app.ReferralRefused}, app.EINVALID},
		"refused, bad ground":  {app.OutcomeRequest{CrossingID: referred.ID, Outcome: app.ReferralRefused, Reason: "ZZ"}, app.EINVALID},
		"neither":              {app.OutcomeRequest{CrossingID: referred.ID, Outcome: "maybe"}, app.EINVALID},
		"pending is no answer": {app.OutcomeRequest{CrossingID: referred.ID, Outcome: app.ReferralPending}, app.EINVALID},
	} {
		if _, err := a.RecordOutcome(ctx, tc.r); app.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", name, err, tc.code)
		}
	}
	if got := pending(p.a); got != before {
		t.Errorf("bad outcomes changed the outbox: %d records, want %d", got, before)
	}
	out, err := a.RecordOutcome(ctx, app.OutcomeRequest{CrossingID: referred.ID, Outcome: app.ReferralRefused, Reason: "E", Note: "no hotel booking, no money"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.RecordOutcome(ctx, app.OutcomeRequest{CrossingID: referred.ID, Outcome: app.ReferralAdmitted}); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("a second outcome: %v, want ECONFLICT", err)
	}
	if queue, _ := a.SecondaryQueue(ctx); len(queue) != 0 {
		t.Errorf("queue after the outcome: %+v, want empty", queue)
	}

	// The supervisor's review: what needs attention first, in order.
	p.signIn(t, p.a, "S300")
	list, err := a.ReviewShifts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Shifts) != 1 || list.Shifts[0].ID != shift.ID || list.HQ != nil {
		t.Fatalf("shifts %+v (HQ %v), want this booth's one", list.Shifts, list.HQ)
	}
	r, err := a.ReviewShift(ctx, shift.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(r.Items), 5; got != want {
		t.Fatalf("%d items, want %d", got, want)
	}
	// Attention first (the false match of a barring hit, the refusal, the
	// read set aside), then the rest in order (the admission, the referral,
	// which has its outcome).
	wantOrder := []struct {
		crossing  string
		attention app.Attention
	}{{falseMatch.ID, app.AttentionFalseMatch}, {refused.ID, app.AttentionRefusal}, {"", app.AttentionSetAside}, {admittedC.ID, ""}, {referred.ID, ""}}
	for i, w := range wantOrder {
		it := r.Items[i]
		if it.Crossing != nil && it.Crossing.ID != w.crossing || it.Crossing == nil && w.crossing != "" {
			t.Errorf("item %d is %+v, want crossing %s", i, it.Crossing, w.crossing)
		}
		if w.attention != "" && (len(it.Attention) == 0 || it.Attention[0] != w.attention) || w.attention == "" && len(it.Attention) > 0 {
			t.Errorf("item %d attention %v, want %q", i, it.Attention, w.attention)
		}
	}
	if r.Attention != 3 {
		t.Errorf("%d items need attention, want 3 (the referral has its outcome)", r.Attention)
	}
	if it := r.Items[4]; it.Outcome == nil || it.Outcome.ID != out.ID {
		t.Errorf("the referral's outcome is not shown: %+v", it.Outcome)
	}
	if it := r.Items[3]; it.Took != 40*time.Second {
		t.Errorf("the plain admission took %s, want 40s", it.Took)
	}
	if r.CanSignOff != nil {
		t.Errorf("CanSignOff = %v, want nil", r.CanSignOff)
	}

	// Bad sign-offs change nothing; then the sign-off, once.
	before = pending(p.a)
	if _, err := a.SignOffShift(ctx, shift.ID, "  "); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("sign-off without a comment: %v, want EINVALID", err)
	}
	if _, err := a.SignOffShift(ctx, "01a2407f-0000-7000-8000-00000000dead", "x"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("sign-off of no shift: %v, want ENOTFOUND", err)
	}
	if got := pending(p.a); got != before {
		t.Errorf("bad sign-offs changed the outbox: %d, want %d", got, before)
	}
	so, err := a.SignOffShift(ctx, shift.ID, "false match on IVANOV checked against the list entry")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SignOffShift(ctx, shift.ID, "again"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("signing off twice: %v, want ECONFLICT", err)
	}
	if got := pending(p.a); got != before+1 {
		t.Errorf("outbox %d after one sign-off, want %d", got, before+1)
	}

	// Up to HQ: the referral and its outcome are counted, the sign-off kept.
	if err := p.a.Link.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	st := p.hq.Store()
	counts, err := st.Referrals(ctx, "DOSTUK")
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 1 || counts[0].Referrals != 1 || counts[0].Refused != 1 || counts[0].Pending != 0 || counts[0].Outcomes != 1 {
		t.Errorf("HQ referrals %+v, want 1 referred, 1 refused", counts)
	}
	offs, err := st.SignOffs(ctx, "DOSTUK", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(offs) != 1 || offs[0].ID != so.ID || offs[0].Counts.Refused != 1 || offs[0].ShiftOfficer != "K100" {
		t.Errorf("HQ sign-offs %+v, want %s", offs, so.ID)
	}

	// The post's other booth: the shift from HQ, read-only, audited at HQ.
	b := p.b.App
	p.signIn(t, p.b, "S300")
	list, err = b.ReviewShifts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Shifts) != 1 || !list.Shifts[0].FromHQ || !list.Shifts[0].SignedOff || list.Shifts[0].Counts.Referred != 1 {
		t.Fatalf("other booth's list %+v (HQ %v), want the shift from HQ, signed off", list.Shifts, list.HQ)
	}
	r, err = b.ReviewShift(ctx, shift.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Items) != 5 || r.SignOff == nil || r.CanSignOff == nil || r.Attention != 3 {
		t.Errorf("review from HQ: %d items, sign-off %v, can sign off %v, attention %d", len(r.Items), r.SignOff, r.CanSignOff, r.Attention)
	}
	if _, err := b.SignOffShift(ctx, shift.ID, "again, elsewhere"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("sign-off at a booth that does not hold the shift: %v, want ENOTFOUND", err)
	}
	lookups, err := st.PostLookups(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(lookups); n < 3 || lookups[n-1].Booth != "DOSTUK-01" || lookups[n-1].OfficerID != "S300" || lookups[n-1].What != "shift" || lookups[n-1].ShiftID != shift.ID ||
		lookups[n-2].What != "shifts" || lookups[n-2].Booth != "DOSTUK-01" {
		t.Errorf("HQ's audit of post questions %+v", lookups)
	}

	// Another post: its booth is refused the post's records at HQ, and its
	// supervisor never reviews this post's shifts.
	other := sync.PostRecords{Client: p.osh.Link.HQ, Officer: func() string { return "S900" }}
	if _, err := other.PostShifts(ctx, "DOSTUK"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("OSH's booth asking about DOSTUK: %v, want EUNAUTHORIZED", err)
	}
	p.signIn(t, p.osh, "S900")
	if _, err := p.osh.App.ReviewShift(ctx, shift.ID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("OSH's supervisor reviewing DOSTUK's shift: %v, want ENOTFOUND", err)
	}
}

// TestRefusalsNeedConfirmationWhereThePostSaysSo: with the post setting on, a
// shift with an unconfirmed refusal is not signed off; a supervisor's
// confirmation makes it final and the sign-off possible. Only a supervisor
// changes the setting or confirms; a shift of another post is refused.
func TestRefusalsNeedConfirmationWhereThePostSaysSo(t *testing.T) {
	ctx := context.Background()
	p := openSupervisionPost(t)
	a := p.a.App
	p.signIn(t, p.a, "K100")
	if err := a.SetPostSettings(ctx, app.PostSettings{ConfirmRefusals: true}); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("an officer changes the post's settings: %v, want EUNAUTHORIZED", err)
	}
	if _, err := a.OpenShift(ctx, "DOSTUK", "DOSTUK-07", app.Entry); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Present(ctx, td3(t, mrz.Fields{IssuingState: "KAZ", Surname: "ORAZOV", GivenNames: "ALI", DocumentNumber: "N20000001",
		Nationality: "KAZ", BirthDateISO: "1980-01-01", Sex: "M", ExpiryDateISO: "2031-01-01"})); err != nil {
		t.Fatal(err)
	}
	refused, err := a.Decide(ctx, app.DecisionRequest{Decision: app.Refuse, Reason: "C"})
	if err != nil {
		t.Fatal(err)
	}
	shift := a.Session().Shift
	if _, err := a.CloseShift(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ConfirmRefusal(ctx, refused.ID, true, ""); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("an officer confirms a refusal: %v, want EUNAUTHORIZED", err)
	}

	p.signIn(t, p.a, "S300")
	if err := a.SetPostSettings(ctx, app.PostSettings{ConfirmRefusals: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SignOffShift(ctx, shift.ID, "checked"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("sign-off with a refusal unconfirmed: %v, want ECONFLICT", err)
	}
	r, err := a.ReviewShift(ctx, shift.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Items[0].Attention; len(got) != 2 || got[1] != app.AttentionUnconfirmed {
		t.Errorf("attention %v, want the refusal, unconfirmed", got)
	}
	if _, err := a.ConfirmRefusal(ctx, refused.ID, false, ""); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("not confirming without a note: %v, want EINVALID", err)
	}
	if _, err := a.ConfirmRefusal(ctx, refused.ID, true, "visa checked"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ConfirmRefusal(ctx, refused.ID, true, ""); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("confirming twice: %v, want ECONFLICT", err)
	}
	if _, err := a.SignOffShift(ctx, shift.ID, "refusal confirmed"); err != nil {
		t.Fatal(err)
	}

	// A shift of another post, found in this booth's store (a booth moved
	// between posts): its records are not this post's supervisor's.
	osh := app.Shift{ID: p.a.Store.NewID(), OfficerID: "K100", Post: "OSH", Booth: "OSH-01", Direction: app.Exit, OpenedAt: today}
	if err := p.a.Store.OpenShift(ctx, osh); err != nil {
		t.Fatal(err)
	}
	if _, err := p.a.Store.CloseShift(ctx, osh.ID, today.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	before, _ := p.a.Store.Pending(ctx)
	if _, err := a.SignOffShift(ctx, osh.ID, "not mine"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("sign-off of another post's shift: %v, want EUNAUTHORIZED", err)
	}
	if _, err := a.ReviewShift(ctx, osh.ID); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("review of another post's shift: %v, want EUNAUTHORIZED", err)
	}
	if after, _ := p.a.Store.Pending(ctx); after != before {
		t.Errorf("refused sign-off changed the outbox: %d, want %d", after, before)
	}
	if err := p.a.Link.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	recs, err := p.hq.Store().ShiftRecords(ctx, "DOSTUK", shift.ID)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, r := range recs {
		kinds[r.Kind]++
	}
	if kinds["crossing"] != 1 || kinds["refusal_confirmation"] != 1 || kinds["sign_off"] != 1 {
		t.Errorf("HQ holds the shift's records %v", kinds)
	}
}

// TestSecondaryQueueOfThePost: a referral at one booth reaches the post's
// secondary queue at another booth through HQ; the outcome recorded there
// goes up, and the referring booth's queue no longer shows it once HQ has
// both. A booth without HQ keeps its own queue.
func TestSecondaryQueueOfThePost(t *testing.T) {
	ctx := context.Background()
	p := openSupervisionPost(t)
	p.signIn(t, p.a, "K100")
	a := p.a.App
	if _, err := a.OpenShift(ctx, "DOSTUK", "DOSTUK-07", app.Entry); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Present(ctx, td3(t, mrz.Fields{IssuingState: "KAZ", Surname: "SULTANOV", GivenNames: "ALI", DocumentNumber: "N30000001",
		Nationality: "KAZ", BirthDateISO: "1980-01-01", Sex: "M", ExpiryDateISO: "2031-01-01"})); err != nil {
		t.Fatal(err)
	}
	ref, err := a.Decide(ctx, app.DecisionRequest{Decision: app.Refer, Note: "visa looks altered"})
	if err != nil {
		t.Fatal(err)
	}
	// Before the referral reaches HQ, the secondary room does not see it.
	p.signIn(t, p.b, "K200")
	if q, err := p.b.App.SecondaryQueue(ctx); err != nil || len(q) != 0 {
		t.Fatalf("secondary queue before upload: %+v %v", q, err)
	}
	if err := p.a.Link.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	q, err := p.b.App.SecondaryQueue(ctx)
	if err != nil || len(q) != 1 || q[0].ID != ref.ID || q[0].Booth != "DOSTUK-07" {
		t.Fatalf("secondary queue at the other booth: %+v %v", q, err)
	}
	if _, err := p.b.App.RecordOutcome(ctx, app.OutcomeRequest{CrossingID: ref.ID, Outcome: app.ReferralAdmitted, Note: "visa genuine, checked with the consulate"}); err != nil {
		t.Fatal(err)
	}
	if q, _ := p.b.App.SecondaryQueue(ctx); len(q) != 0 {
		t.Errorf("queue after the outcome, before its upload: %+v", q)
	}
	if _, err := p.b.App.RecordOutcome(ctx, app.OutcomeRequest{CrossingID: ref.ID, Outcome: app.ReferralAdmitted}); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("a second outcome at the secondary booth: %v, want ECONFLICT", err)
	}
	if err := p.b.Link.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	counts, err := p.hq.Store().Referrals(ctx, "DOSTUK")
	if err != nil || len(counts) != 1 || counts[0].Admitted != 1 || counts[0].Pending != 0 {
		t.Errorf("HQ referrals %+v %v", counts, err)
	}
	// The referring booth's queue: its referral is settled at HQ.
	if q, err := a.SecondaryQueue(ctx); err != nil || len(q) != 0 {
		t.Errorf("the referring booth's queue: %+v %v", q, err)
	}
	lookups, _ := p.hq.Store().PostLookups(ctx, 0)
	referrals := 0
	for _, l := range lookups {
		if l.What == "referrals" {
			referrals++
		}
	}
	if referrals == 0 {
		t.Errorf("HQ did not audit the secondary queue's questions: %+v", lookups)
	}
}

// TestHQRequiresRefusalConfirmationForThePost: HQ publishes, with the stay
// rules, that refusals at DOSTUK need a supervisor's confirmation; a booth of
// the post holds it after its pull, and its supervisor cannot waive it.
func TestHQRequiresRefusalConfirmationForThePost(t *testing.T) {
	ctx := context.Background()
	p := openSupervisionPost(t)
	raw, err := os.ReadFile(filepath.Join("..", "assets", "rules", "kgz.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rs map[string]any
	if err := json.Unmarshal(raw, &rs); err != nil {
		t.Fatal(err)
	}
	rs["version"] = rs["version"].(string) + "-posts"
	rs["posts"] = map[string]any{"DOSTUK": map[string]any{"confirm_refusals": true}}
	raw, _ = json.Marshal(rs)
	if _, err := p.hq.ImportRules(ctx, raw); err != nil {
		t.Fatal(err)
	}
	if err := p.a.Link.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	if got := p.a.Rules.Current(); got.Posts["DOSTUK"] != (rules.PostPolicy{ConfirmRefusals: true}) {
		t.Fatalf("the booth's rules after the pull: %s, posts %v", got.Version, got.Posts)
	}
	a := p.a.App
	p.signIn(t, p.a, "K100")
	if _, err := a.OpenShift(ctx, "DOSTUK", "DOSTUK-07", app.Entry); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Present(ctx, td3(t, mrz.Fields{IssuingState: "KAZ", Surname: "ORAZOV", GivenNames: "ALI", DocumentNumber: "N20000002",
		Nationality: "KAZ", BirthDateISO: "1980-01-01", Sex: "M", ExpiryDateISO: "2031-01-01"})); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Decide(ctx, app.DecisionRequest{Decision: app.Refuse, Reason: "C"}); err != nil {
		t.Fatal(err)
	}
	shift := a.Session().Shift
	if _, err := a.CloseShift(ctx, ""); err != nil {
		t.Fatal(err)
	}
	p.signIn(t, p.a, "S300")
	if err := a.SetPostSettings(ctx, app.PostSettings{ConfirmRefusals: false}); err != nil {
		t.Fatal(err)
	}
	set, err := a.PostSettings(ctx)
	if err != nil || !set.ConfirmRefusals || !set.ConfirmRefusalsByHQ {
		t.Fatalf("settings in force %+v (%v), want confirmation required by HQ", set, err)
	}
	r, err := a.ReviewShift(ctx, shift.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Items[0].Attention; len(got) != 2 || got[1] != app.AttentionUnconfirmed {
		t.Errorf("attention %v, want the refusal, unconfirmed", got)
	}
	if _, err := a.SignOffShift(ctx, shift.ID, "checked"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("sign-off with a refusal unconfirmed where HQ requires it: %v, want ECONFLICT", err)
	}
	// Another post's booth is not bound by DOSTUK's policy.
	if err := p.osh.Link.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	if got := p.osh.Rules.Current().Posts; len(got) != 1 {
		t.Fatalf("OSH's booth holds the posts' policies %v", got)
	}
	p.signIn(t, p.osh, "S900")
	if set, err := p.osh.App.PostSettings(ctx); err != nil || set.ConfirmRefusals {
		t.Errorf("OSH's settings %+v (%v), want none required", set, err)
	}
}
