package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/sync/wire"
	"github.com/google/uuid"
	_ "modernc.org/sqlite"
)

// clock is a settable app.Clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

var bishkek = time.FixedZone("KGT", 6*3600)

// cheap keeps argon2id fast in tests; the booth default costs tens of ms.
var cheap = store.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1}

// openStore opens a fresh store in a temporary folder.
func openStore(tb testing.TB, opts store.Options) (*store.Store, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "booth.db")
	if opts.Argon2 == (store.Argon2Params{}) {
		opts.Argon2 = cheap
	}
	s, err := store.Open(path, opts)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s, path
}

// crossing makes a valid admitted entry for a traveller.
func crossing(doc, surname string, at time.Time) app.Crossing {
	return app.Crossing{
		OfficerID: "1001", Post: "DOSTUK", Booth: "DOSTUK-07",
		Direction: app.Entry, Decision: app.Admit, DocumentCode: "P",
		Document:  app.DocumentKey{IssuingState: "UZB", Number: doc},
		Traveller: app.TravellerKey{Surname: surname, GivenNames: "JAVOHIR", BirthDate: "1990-04-12", Nationality: "UZB"},
		Sex:       "M", Expiry: "2031-01-01", BoothTime: at,
	}
}

// rawDB opens the file with a plain read-write connection, going around the store.
func rawDB(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		tb.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestDecideWritesCrossingOutboxAndAuditTogether(t *testing.T) {
	ctx := context.Background()
	s, path := openStore(t, store.Options{})
	at := time.Date(2026, 3, 1, 9, 30, 0, 0, bishkek)
	c := crossing("FA1234567", "KARIMOV", at)
	c.Hits = []app.HitResolution{{ListID: "L1", Kind: "person", Category: "deny_entry", Score: 0.7, Note: "other birth date"}}
	got, err := s.RecordCrossing(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if u, err := uuid.Parse(got.ID); err != nil || u.Version() != 7 {
		t.Fatalf("id %q is not a UUIDv7 (%v)", got.ID, err)
	}

	db := rawDB(t, path)
	var crossings, outbox, decisions int
	db.QueryRow("SELECT count(*) FROM crossings").Scan(&crossings)
	db.QueryRow("SELECT count(*) FROM outbox").Scan(&outbox)
	db.QueryRow("SELECT count(*) FROM audit WHERE action = 'decision' AND subject = ?", got.ID).Scan(&decisions)
	if crossings != 1 || outbox != 1 || decisions != 1 {
		t.Fatalf("crossings, outbox, decision entries = %d, %d, %d; want 1, 1, 1", crossings, outbox, decisions)
	}

	recs, err := s.Outbox(ctx, 0, 10, 0)
	if err != nil || len(recs) != 1 {
		t.Fatalf("Outbox = %v, %v", recs, err)
	}
	back, err := wire.DecodeCrossing(recs[0].Payload)
	if err != nil {
		t.Fatal(err)
	}
	if back.ID != got.ID || recs[0].ID != got.ID || recs[0].Kind != wire.KindCrossing || recs[0].Seq != 1 {
		t.Fatalf("outbox record %+v does not carry crossing %s", recs[0], got.ID)
	}
	if !back.BoothTime.Equal(at) || len(back.Hits) != 1 || back.Hits[0].Note != "other birth date" {
		t.Fatalf("payload lost data: %+v", back)
	}
	if n, _ := s.Pending(ctx); n != 1 {
		t.Fatalf("Pending = %d, want 1", n)
	}
}

// A trainee's decision is a record like any other (HQ keeps it) but of its own
// kind, so HQ does not count simulated travellers as crossings. Outbox joins the
// crossings table, so both kinds must come back from it, in one batch.
func TestTrainingDecisionHasItsOwnOutboxKind(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t, store.Options{})
	at := time.Date(2026, 3, 1, 9, 30, 0, 0, bishkek)
	admitted := crossing("FA1", "KARIMOV", at)
	training := crossing("FA2", "TRAINEE", at.Add(time.Minute))
	training.Training = true
	if err := s.Decide(ctx, admitted); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DecideMany(ctx, []app.Crossing{training, crossing("FA3", "KARIMOV", at.Add(2*time.Minute))}); err != nil {
		t.Fatal(err)
	}
	recs, err := s.Outbox(ctx, 0, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		doc      string
		kind     string
		training bool
	}{
		{"FA1", wire.KindCrossing, false},
		{"FA2", wire.KindTrainingCrossing, true},
		{"FA3", wire.KindCrossing, false},
	}
	if len(recs) != len(tests) {
		t.Fatalf("Outbox returned %d records, want %d", len(recs), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.doc, func(t *testing.T) {
			r := recs[i]
			c, err := wire.DecodeCrossing(r.Payload)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := r.Kind, tt.kind; got != want {
				t.Errorf("kind = %q, want %q", got, want)
			}
			if c.Document.Number != tt.doc || c.Training != tt.training || c.ID != r.ID || r.Seq != int64(i+1) {
				t.Errorf("record %+v holds %s training=%v, want %s training=%v", r, c.Document.Number, c.Training, tt.doc, tt.training)
			}
		})
	}
	if n, _ := s.Pending(ctx); n != 3 {
		t.Fatalf("Pending = %d, want 3 (training records go to HQ too)", n)
	}
}

func TestDecideRejectsBadCrossings(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t, store.Options{})
	at := time.Date(2026, 3, 1, 9, 30, 0, 0, bishkek)
	good := crossing("FA1", "KARIMOV", at)
	tests := []struct {
		name string
		edit func(*app.Crossing)
	}{
		{"refusal without reason", func(c *app.Crossing) { c.Decision = app.Refuse }},
		{"unknown decision", func(c *app.Crossing) { c.Decision = "wave through" }},
		{"unknown direction", func(c *app.Crossing) { c.Direction = "sideways" }},
		{"no document number", func(c *app.Crossing) { c.Document.Number = "" }},
		{"no booth time", func(c *app.Crossing) { c.BoothTime = time.Time{} }},
		{"id not a uuid", func(c *app.Crossing) { c.ID = "crossing-1" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
			tt.edit(&c)
			err := s.Decide(ctx, c)
			if got, want := app.ErrorCode(err), app.EINVALID; got != want {
				t.Fatalf("Decide: code %q (%v), want %q", got, err, want)
			}
		})
	}
	if n, _ := s.Pending(ctx); n != 0 {
		t.Fatalf("a rejected crossing left %d outbox rows", n)
	}
	c := good
	c.ID = s.NewID()
	if err := s.Decide(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := s.Decide(ctx, c); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("the same id twice: %v, want ECONFLICT", err)
	}
}

func TestHistoryFindsRenewedPassportThroughThePerson(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t, store.Options{})
	day := time.Date(2025, 1, 10, 8, 0, 0, 0, bishkek)
	old := crossing("FA1111111", "KARIMOV", day)
	oldExit := old
	oldExit.Direction, oldExit.BoothTime = app.Exit, day.AddDate(0, 0, 5)
	renewed := crossing("FA2222222", "KARIMOV", day.AddDate(0, 2, 0))
	other := crossing("FA3333333", "YUSUPOV", day.AddDate(0, 1, 0))
	for _, c := range []app.Crossing{old, other, oldExit, renewed} {
		if err := s.Decide(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name   string
		doc    app.DocumentKey
		person app.TravellerKey
		limit  int
		want   []string // document numbers, newest first
	}{
		{"by document", old.Document, app.TravellerKey{}, 0, []string{"FA1111111", "FA1111111"}},
		{"by new document only", renewed.Document, app.TravellerKey{}, 0, []string{"FA2222222"}},
		{"by person across documents", renewed.Document, renewed.Traveller, 0, []string{"FA2222222", "FA1111111", "FA1111111"}},
		{"limit", app.DocumentKey{}, renewed.Traveller, 2, []string{"FA2222222", "FA1111111"}},
		{"unknown document", app.DocumentKey{IssuingState: "UZB", Number: "X"}, app.TravellerKey{}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.History(ctx, tt.doc, tt.person, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			var nums []string
			for _, c := range got {
				nums = append(nums, c.Document.Number)
			}
			if fmt.Sprint(nums) != fmt.Sprint(tt.want) {
				t.Fatalf("History = %v, want %v", nums, tt.want)
			}
			for i := 1; i < len(got); i++ {
				if got[i].BoothTime.After(got[i-1].BoothTime) {
					t.Fatalf("not newest first: %v after %v", got[i].BoothTime, got[i-1].BoothTime)
				}
			}
		})
	}
	if _, err := s.History(ctx, app.DocumentKey{}, app.TravellerKey{}, 10); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("History with no key: %v, want EINVALID", err)
	}
}

func TestOutboxBoundsAndSentMark(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t, store.Options{})
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, bishkek)
	for i := range 10 {
		if err := s.Decide(ctx, crossing(fmt.Sprintf("FA%07d", i), "KARIMOV", at.Add(time.Duration(i)*time.Minute))); err != nil {
			t.Fatal(err)
		}
	}
	recs, _ := s.Outbox(ctx, 0, 4, 0)
	if len(recs) != 4 || recs[0].Seq != 1 || recs[3].Seq != 4 {
		t.Fatalf("maxRecords 4: got %d records from %d", len(recs), recs[0].Seq)
	}
	one := len(recs[0].Payload)
	if recs, _ := s.Outbox(ctx, 0, 100, 1); len(recs) != 1 {
		t.Fatalf("maxBytes below one record: %d records, want exactly 1", len(recs))
	}
	if recs, _ := s.Outbox(ctx, 0, 100, 2*one+one/2); len(recs) != 2 {
		t.Fatalf("maxBytes for 2.5 records: %d records, want 2", len(recs))
	}
	if recs, _ := s.Outbox(ctx, 7, 100, 0); len(recs) != 3 || recs[0].Seq != 8 {
		t.Fatalf("after 7: %d records", len(recs))
	}
	if err := s.MarkSent(ctx, 6); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkSent(ctx, 3); err != nil { // an old acknowledgement arriving late
		t.Fatal(err)
	}
	if m, _ := s.SentMark(ctx); m != 6 {
		t.Fatalf("SentMark = %d, want 6 (never backwards)", m)
	}
	if recs, _ := s.Outbox(ctx, 0, 100, 0); len(recs) != 4 || recs[0].Seq != 7 {
		t.Fatalf("after ack 6: %d records from %d", len(recs), recs[0].Seq)
	}
	if n, _ := s.Pending(ctx); n != 4 {
		t.Fatalf("Pending = %d, want 4", n)
	}
	if err := s.MarkSent(ctx, 11); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("ack beyond the last record: %v, want ECONFLICT", err)
	}
	if last, _ := s.LastSeq(ctx); last != 10 {
		t.Fatalf("LastSeq = %d", last)
	}
}

func TestWaitForRecordWakesAfterCommit(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t, store.Options{})
	select {
	case <-s.WaitForRecord():
		t.Fatal("woke before any record")
	default:
	}
	if err := s.Decide(ctx, crossing("FA1", "KARIMOV", time.Now())); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.WaitForRecord():
	case <-time.After(time.Second):
		t.Fatal("no wake-up after a commit")
	}
}

func TestClockGoingBackwardsKeepsOrderAndFlagsTheJump(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 5, 1, 12, 0, 0, 0, bishkek)}
	s, path := openStore(t, store.Options{Clock: clk})
	var got []app.Crossing
	times := []time.Time{clk.Now(), clk.Now().Add(time.Minute), clk.Now().Add(-2 * time.Hour), clk.Now().Add(-time.Hour), clk.Now().Add(2 * time.Minute)}
	for i, at := range times {
		clk.Set(at)
		if i == 3 { // restart while the clock is behind: order must survive it
			s.Close()
			var err error
			if s, err = store.Open(path, store.Options{Clock: clk, Argon2: cheap}); err != nil {
				t.Fatal(err)
			}
			defer s.Close()
		}
		c, err := s.RecordCrossing(ctx, crossing(fmt.Sprintf("FA%d", i), "KARIMOV", at))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, c)
	}
	wantJump := []bool{false, false, true, true, false}
	for i, c := range got {
		if c.ClockJump != wantJump[i] {
			t.Errorf("crossing %d: ClockJump = %v, want %v", i, c.ClockJump, wantJump[i])
		}
		if !c.BoothTime.Equal(times[i]) {
			t.Errorf("crossing %d: booth time %v, want the time the booth saw %v", i, c.BoothTime, times[i])
		}
		if i > 0 && c.ID <= got[i-1].ID {
			t.Errorf("id %d %s does not sort after %s", i, c.ID, got[i-1].ID)
		}
	}
	recs, _ := s.Outbox(ctx, 0, 100, 0)
	for i, r := range recs {
		if r.ID != got[i].ID || r.Seq != int64(i+1) {
			t.Fatalf("outbox %d: seq %d id %s, want seq %d id %s", i, r.Seq, r.ID, i+1, got[i].ID)
		}
	}
}

func TestOfficersSignInAndLockout(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 5, 1, 8, 0, 0, 0, bishkek)}
	s, _ := openStore(t, store.Options{Clock: clk, MaxFailedSignIns: 3, LockoutFor: 10 * time.Minute})
	o := app.Officer{ID: "1001", Name: "Aibek Asanov", Role: app.RoleOfficer, Language: "ky"}
	if err := s.SaveOfficer(ctx, o, "correct horse"); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveOfficer(ctx, app.Officer{ID: "1002", Name: "X", Role: app.RoleOfficer}, ""); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("new officer without password: %v", err)
	}
	if err := s.SaveOfficer(ctx, app.Officer{ID: "1003", Name: "X", Role: "boss"}, "pw"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("unknown role: %v", err)
	}
	if got, err := s.Authenticate(ctx, "1001", "correct horse"); err != nil || got != o {
		t.Fatalf("Authenticate = %+v, %v", got, err)
	}
	if _, err := s.Authenticate(ctx, "9999", "correct horse"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("unknown officer: %v", err)
	}
	steps := []struct {
		password string
		want     string
	}{
		{"wrong", app.EUNAUTHORIZED},
		{"wrong", app.EUNAUTHORIZED},
		{"wrong", app.EUNAUTHORIZED}, // third failure locks
		{"correct horse", app.ELOCKED},
	}
	for i, st := range steps {
		if _, err := s.Authenticate(ctx, "1001", st.password); app.ErrorCode(err) != st.want {
			t.Fatalf("attempt %d: %v, want %s", i+1, err, st.want)
		}
	}
	clk.Add(11 * time.Minute)
	if _, err := s.Authenticate(ctx, "1001", "correct horse"); err != nil {
		t.Fatalf("after the lockout: %v", err)
	}
	o.Disabled = true
	if err := s.SaveOfficer(ctx, o, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, "1001", "correct horse"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("disabled officer: %v", err)
	}
	var actions []string
	entries, _ := s.AuditEntries(ctx, 0, 100)
	for _, e := range entries {
		actions = append(actions, string(e.Action))
	}
	want := "[officer_change sign_in sign_in_failed sign_in_failed sign_in_failed sign_in_failed lock sign_in_failed sign_in officer_change sign_in_failed]"
	if fmt.Sprint(actions) != want {
		t.Fatalf("audit actions\n got %v\nwant %s", actions, want)
	}
	if n, err := s.VerifyAudit(ctx); n != 0 || err != nil {
		t.Fatalf("VerifyAudit = %d, %v", n, err)
	}
}

func TestShiftsCountTheirDecisions(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t, store.Options{})
	if err := s.SaveOfficer(ctx, app.Officer{ID: "1001", Name: "A", Role: app.RoleOfficer}, "pw"); err != nil {
		t.Fatal(err)
	}
	sh := app.Shift{ID: s.NewID(), OfficerID: "1001", Post: "DOSTUK", Booth: "DOSTUK-07", Direction: app.Entry, OpenedAt: time.Now()}
	if err := s.OpenShift(ctx, sh); err != nil {
		t.Fatal(err)
	}
	if err := s.OpenShift(ctx, app.Shift{OfficerID: "1001", Post: "DOSTUK", Booth: "DOSTUK-07", Direction: app.Entry}); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("second open shift: %v", err)
	}
	if err := s.OpenShift(ctx, app.Shift{OfficerID: "7777", Post: "DOSTUK", Booth: "DOSTUK-07", Direction: app.Entry}); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("unknown officer's shift: %v", err)
	}
	if got, err := s.OpenShiftOf(ctx, "1001"); err != nil || got.ID != sh.ID {
		t.Fatalf("OpenShiftOf = %+v, %v", got, err)
	}
	if err := s.SetDirection(ctx, sh.ID, app.Exit); err != nil {
		t.Fatal(err)
	}
	at := time.Now()
	for i, d := range []app.Decision{app.Admit, app.Admit, app.Refuse, app.Refer} {
		in := app.Inspection{ShiftID: sh.ID, OfficerID: "1001", Lines: []string{"P<UZB..."}, ReadAt: at}
		if err := s.RecordInspection(ctx, in); err != nil {
			t.Fatal(err)
		}
		c := crossing(fmt.Sprintf("FA%d", i), "KARIMOV", at)
		c.ShiftID, c.Decision = sh.ID, d
		if d == app.Refuse {
			c.RefusalReason = "C"
			c.Hits = []app.HitResolution{{ListID: "L9", Confirmed: true}}
		}
		if err := s.Decide(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.CloseShift(ctx, sh.ID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if want := (app.ShiftCounts{Inspections: 4, Admitted: 2, Refused: 1, Referred: 1, Hits: 1}); got != want {
		t.Fatalf("counts %+v, want %+v", got, want)
	}
	if _, err := s.CloseShift(ctx, sh.ID, time.Now()); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("closing twice: %v", err)
	}
	if _, err := s.OpenShiftOf(ctx, "1001"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("OpenShiftOf after close: %v", err)
	}
}

func TestBoothIdentity(t *testing.T) {
	ctx := context.Background()
	s, path := openStore(t, store.Options{})
	if id, err := s.BoothID(ctx); id != "" || err != nil {
		t.Fatalf("new booth: %q, %v", id, err)
	}
	if err := s.SetBooth(ctx, "", "DOSTUK"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("empty booth id: %v", err)
	}
	if err := s.SetBooth(ctx, "DOSTUK-07", "DOSTUK"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	id, _ := s2.BoothID(ctx)
	post, _ := s2.Post(ctx)
	if id != "DOSTUK-07" || post != "DOSTUK" {
		t.Fatalf("after reopening: %q %q", id, post)
	}
	if err := s2.Decide(ctx, crossing("FA1", "K", time.Now())); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("write to a read-only store: %v", err)
	}
}

func TestPurgeRemovesOnlyAcknowledgedOldCrossings(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 5, 1, 12, 0, 0, 0, bishkek)}
	s, _ := openStore(t, store.Options{Clock: clk})
	base := time.Date(2022, 1, 1, 10, 0, 0, 0, bishkek)
	var ids []string
	for i := range 6 { // crossings in 2022, 2023, …, 2027
		c, err := s.RecordCrossing(ctx, crossing(fmt.Sprintf("FA%d", i), "KARIMOV", base.AddDate(i, 0, 0)))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	if err := s.MarkSent(ctx, 3); err != nil { // HQ has the first three
		t.Fatal(err)
	}
	res, err := s.Purge(ctx, time.Date(2025, 1, 1, 0, 0, 0, 0, bishkek)) // the first four are older
	if err != nil {
		t.Fatal(err)
	}
	if res.Crossings != 3 || res.UpToSeq != 3 {
		t.Fatalf("Purge = %+v, want the 3 acknowledged old ones", res)
	}
	for i, id := range ids {
		_, err := s.Crossing(ctx, id)
		if gone := app.ErrorCode(err) == app.ENOTFOUND; gone != (i < 3) {
			t.Errorf("crossing %d: gone = %v (%v)", i, gone, err)
		}
	}
	if last, _ := s.LastSeq(ctx); last != 6 {
		t.Fatalf("LastSeq after purge = %d, want 6", last)
	}
	c, err := s.RecordCrossing(ctx, crossing("FA9", "KARIMOV", clk.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if recs, _ := s.Outbox(ctx, 0, 10, 0); len(recs) != 4 || recs[3].Seq != 7 || recs[3].ID != c.ID {
		t.Fatalf("after purge the next seq must be 7: %+v", recs)
	}
	entries, _ := s.AuditEntries(ctx, 0, 100)
	var purges int
	for _, e := range entries {
		if e.Action == app.AuditPurge {
			purges++
		}
	}
	if purges != 1 {
		t.Fatalf("%d purge audit entries, want 1", purges)
	}
	if n, err := s.VerifyAudit(ctx); n != 0 || err != nil {
		t.Fatalf("VerifyAudit after purge = %d, %v", n, err)
	}
}

func TestNewIDIsUniqueAndOrderedUnderConcurrency(t *testing.T) {
	s, _ := openStore(t, store.Options{Clock: &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}}) // a clock that never moves
	const n = 2000
	ids := make(chan string, 4*n)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			prev := ""
			for range n {
				id := s.NewID()
				if id <= prev {
					t.Errorf("%s after %s", id, prev)
				}
				prev = id
				ids <- id
			}
		})
	}
	wg.Wait()
	close(ids)
	seen := map[string]bool{}
	for id := range ids {
		if seen[id] {
			t.Fatalf("duplicate id %s", id)
		}
		seen[id] = true
		if u, err := uuid.Parse(id); err != nil || u.Version() != 7 || u.Variant() != uuid.RFC4122 {
			t.Fatalf("%s is not a UUIDv7", id)
		}
	}
}

func TestAuditRejectsBadEntries(t *testing.T) {
	s, _ := openStore(t, store.Options{})
	if err := s.Audit(context.Background(), app.AuditEntry{}); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("no action: %v", err)
	}
	if err := s.Audit(context.Background(), app.AuditEntry{Action: app.AuditHistoryView, Detail: "{not json"}); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("detail not JSON: %v", err)
	}
	if err := s.Audit(context.Background(), app.AuditEntry{Action: app.AuditHistoryView, OfficerID: "1001", Detail: `{"purpose":"primary"}`}); err != nil {
		t.Fatal(err)
	}
}

func TestBackupWhileRecording(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t, store.Options{})
	for i := range 50 {
		if err := s.Decide(ctx, crossing(fmt.Sprintf("FA%d", i), "KARIMOV", time.Now())); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan error)
	go func() { // the booth keeps deciding during the backup
		for i := range 50 {
			if err := s.Decide(ctx, crossing(fmt.Sprintf("FB%d", i), "KARIMOV", time.Now())); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	dest := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(ctx, dest); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx, dest); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("backup over an existing file: %v", err)
	}
	b, err := store.Open(dest, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	n, _ := b.LastSeq(ctx)
	recs, _ := b.Outbox(ctx, 0, 1000, 0)
	if n < 50 || int64(len(recs)) != n {
		t.Fatalf("backup holds %d records, last seq %d", len(recs), n)
	}
	if broken, err := b.VerifyAudit(ctx); broken != 0 || err != nil {
		t.Fatalf("backup's audit chain: %d %v", broken, err)
	}
	if err := s.Decide(ctx, crossing("FC1", "KARIMOV", time.Now())); err != nil {
		t.Fatalf("the store must still write after a backup: %v", err)
	}
}

func TestRecordInspectionWithLookupsIsOneTransaction(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t, store.Options{})
	in := app.Inspection{ID: s.NewID(), OfficerID: "1001", Source: app.FromReader, Format: "TD3", Valid: true, ReadAt: time.Now()}
	lookups := []app.AuditEntry{
		{OfficerID: "1001", Action: app.AuditScreening, Detail: `{"hits":0}`},
		{OfficerID: "1001", Action: app.AuditHistoryView, Detail: `{"purpose":"primary inspection"}`},
	}
	bad := append([]app.AuditEntry{}, lookups...)
	bad[1].Detail = "{oops"
	if err := s.RecordInspectionWith(ctx, in, bad); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("bad look-up entry: %v, want EINVALID", err)
	}
	if err := s.RecordInspectionWith(ctx, in, lookups); err != nil {
		t.Fatal(err)
	}
	entries, _ := s.AuditEntries(ctx, 0, 10)
	var got []string
	for _, e := range entries {
		got = append(got, string(e.Action)+":"+e.Subject)
	}
	want := fmt.Sprint([]string{"document_read:" + in.ID, "screening:" + in.ID, "history_view:" + in.ID})
	if fmt.Sprint(got) != want {
		t.Fatalf("audit %v, want %s (nothing from the rejected call)", got, want)
	}
	if n, err := s.VerifyAudit(ctx); n != 0 || err != nil {
		t.Fatalf("VerifyAudit = %d, %v", n, err)
	}
}
