package app_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/clocktest"
)

// Fakes with func fields, as STYLE.md asks; fakeRecords also remembers what it
// was given so tests can check the audit trail.

type fakeRecords struct {
	mu          sync.Mutex
	inspections []app.Inspection
	crossings   []app.Crossing
	asides      []app.SetAside
	audits      []app.AuditEntry

	HistoryFn func(doc app.DocumentKey, person app.TravellerKey, limit int) ([]app.Crossing, error)
	DecideFn  func(c app.Crossing) error
	AuditFn   func(e app.AuditEntry) error
}

func (r *fakeRecords) RecordInspection(_ context.Context, in app.Inspection) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.inspections = append(r.inspections, in)
	return nil
}

func (r *fakeRecords) Decide(_ context.Context, c app.Crossing) error {
	if r.DecideFn != nil {
		if err := r.DecideFn(c); err != nil {
			return err
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.crossings = append(r.crossings, c)
	return nil
}

func (r *fakeRecords) SetAside(_ context.Context, a app.SetAside) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.asides = append(r.asides, a)
	return nil
}

// Undecided is the reads of the shift that no crossing and no set-aside names.
func (r *fakeRecords) Undecided(_ context.Context, shiftID string) ([]app.Inspection, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	settled := map[string]bool{}
	for _, c := range r.crossings {
		settled[c.InspectionID] = true
	}
	for _, a := range r.asides {
		settled[a.InspectionID] = true
	}
	var out []app.Inspection
	for _, in := range r.inspections {
		if in.ShiftID == shiftID && !settled[in.ID] {
			out = append(out, in)
		}
	}
	return out, nil
}

func (r *fakeRecords) History(_ context.Context, doc app.DocumentKey, person app.TravellerKey, limit int) ([]app.Crossing, error) {
	if r.HistoryFn != nil {
		return r.HistoryFn(doc, person, limit)
	}
	return nil, nil
}

func (r *fakeRecords) Audit(_ context.Context, e app.AuditEntry) error {
	if r.AuditFn != nil {
		if err := r.AuditFn(e); err != nil {
			return err
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.audits = append(r.audits, e)
	return nil
}

func (r *fakeRecords) Pending(context.Context) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.crossings), nil
}

func (r *fakeRecords) actions() []app.AuditAction {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []app.AuditAction
	for _, a := range r.audits {
		out = append(out, a.Action)
	}
	return out
}

type fakeOfficers struct {
	AuthenticateFn func(id, password string) (app.Officer, error)
	saved          []app.Officer
}

func (f *fakeOfficers) Authenticate(_ context.Context, id, password string) (app.Officer, error) {
	return f.AuthenticateFn(id, password)
}
func (f *fakeOfficers) Officer(context.Context, string) (app.Officer, error) {
	return app.Officer{}, app.Errorf(app.ENOTFOUND, "no")
}
func (f *fakeOfficers) SaveOfficer(_ context.Context, o app.Officer, _ string) error {
	f.saved = append(f.saved, o)
	return nil
}

type fakeShifts struct {
	open map[string]app.Shift
}

func (f *fakeShifts) OpenShift(_ context.Context, s app.Shift) error {
	if _, ok := f.open[s.OfficerID]; ok {
		return app.Errorf(app.ECONFLICT, "open")
	}
	f.open[s.OfficerID] = s
	return nil
}
func (f *fakeShifts) SetDirection(_ context.Context, id string, d app.Direction) error {
	for k, s := range f.open {
		if s.ID == id {
			s.Direction = d
			f.open[k] = s
		}
	}
	return nil
}
func (f *fakeShifts) CloseShift(_ context.Context, id string, _ time.Time) (app.ShiftCounts, error) {
	for k, s := range f.open {
		if s.ID == id {
			delete(f.open, k)
			return app.ShiftCounts{Inspections: 3, Admitted: 2, Refused: 1}, nil
		}
	}
	return app.ShiftCounts{}, app.Errorf(app.ENOTFOUND, "no shift")
}
func (f *fakeShifts) ShiftCounts(_ context.Context, id string) (app.ShiftCounts, error) {
	return app.ShiftCounts{Inspections: 3, Admitted: 2, Refused: 1}, nil
}
func (f *fakeShifts) OpenShiftOf(_ context.Context, officerID string) (app.Shift, error) {
	if s, ok := f.open[officerID]; ok {
		return s, nil
	}
	return app.Shift{}, app.Errorf(app.ENOTFOUND, "no shift")
}

// fakeMRZ reads a tiny test notation instead of real MRZ: the first line is
// "SURNAME|GIVEN|NUMBER|BIRTH|EXPIRY|NATIONALITY", and a line "BAD" makes the
// document fail its checks. The real parser is app/mrz (mrz.Parser), wired in package booth.
type fakeMRZ struct{}

func (fakeMRZ) ParseMRZ(lines []string, _ time.Time) app.Document {
	f := strings.Split(lines[0], "|")
	for len(f) < 6 {
		f = append(f, "")
	}
	d := app.Document{Format: "TD3", Valid: true, DocumentCode: "P", IssuingState: f[5], Surname: f[0],
		GivenNames: f[1], Number: f[2], BirthDate: f[3], Expiry: f[4], Nationality: f[5], Sex: "M"}
	for _, l := range lines[1:] {
		if l == "BAD" {
			d.Valid = false
			d.Errors = append(d.Errors, app.Problem{Code: "document_number_check", Message: "The document number's check digit is wrong.", Line: 2, Start: 10, End: 11})
		}
	}
	return d
}

type fakeLists struct {
	ScreenFn func(q app.ScreeningQuery) ([]app.Hit, error)
}

func (f fakeLists) Screen(_ context.Context, q app.ScreeningQuery) (app.Screening, error) {
	hits, err := f.ScreenFn(q)
	return app.Screening{ListVersion: "7", Hits: hits}, err
}

type fakeRules struct {
	StayFn func(t app.TravellerKey, cs []app.Crossing, d app.Direction, at time.Time) (app.Stay, error)
}

func (f fakeRules) Stay(t app.TravellerKey, cs []app.Crossing, d app.Direction, at time.Time) (app.Stay, error) {
	return f.StayFn(t, cs, d, at)
}

type fixedClock struct{ t time.Time }

func (c *fixedClock) Now() time.Time { return c.t }

var today = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

const (
	clean   = "ASANOV|BAKYT|AC1234567|1985-03-14|2031-01-01|KGZ"
	listed  = "PETROV|IVAN|N0000001|1970-01-01|2030-01-01|RUS"
	stolen  = "STOLEN|DOC|SS0000001|1990-01-01|2030-01-01|KAZ"
	expired = "OLD|PASS|EX0000001|1960-05-05|2020-01-01|UZB"
	minor   = "YOUNG|ONE|YN0000001|2015-01-01|2030-01-01|KGZ"
)

type fixture struct {
	booth   *app.Booth
	records *fakeRecords
	shifts  *fakeShifts
	clock   *fixedClock
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{records: &fakeRecords{}, shifts: &fakeShifts{open: map[string]app.Shift{}}, clock: &fixedClock{today}}
	n := 0
	f.booth = &app.Booth{
		Clock:   f.clock,
		Records: f.records,
		Officers: &fakeOfficers{AuthenticateFn: func(id, pw string) (app.Officer, error) {
			role := app.RoleOfficer
			if id == "T1" {
				role = app.RoleTrainee
			}
			if pw != "pw-"+id {
				return app.Officer{}, app.Errorf(app.EUNAUTHORIZED, "Wrong officer id or password.")
			}
			return app.Officer{ID: id, Name: "Officer " + id, Role: role, Language: "en"}, nil
		}},
		Shifts: f.shifts,
		MRZ:    fakeMRZ{},
		Lists: fakeLists{ScreenFn: func(q app.ScreeningQuery) ([]app.Hit, error) {
			switch {
			case q.Surname == "PETROV":
				return []app.Hit{{ListID: "P-1", Kind: "person", Category: "deny_entry", Score: 0.93, Reasons: []string{"name PETROV IVAN", "birth date equal"}}}, nil
			case q.DocumentNumber == "SS0000001":
				return []app.Hit{{ListID: "D-1", Kind: "document", Category: "stolen", Score: 1, Reasons: []string{"document KAZ SS0000001 exact"}}}, nil
			}
			return nil, nil
		}},
		Rules: fakeRules{StayFn: func(_ app.TravellerKey, cs []app.Crossing, d app.Direction, at time.Time) (app.Stay, error) {
			return app.Stay{Rule: "60/120", WindowDays: 120, LimitDays: 60, DaysUsed: len(cs), DaysLeft: 60 - len(cs)}, nil
		}},
		Reasons: app.RefusalReasons{Version: "t", Reasons: []app.RefusalReason{
			{Code: "A", Text: map[string]string{"en": "no valid travel document"}},
			{Code: "I", Text: map[string]string{"en": "other"}, NoteRequired: true},
		}},
		NewID: func() string { n++; return fmt.Sprintf("id-%03d", n) },
	}
	return f
}

// ready signs officer id in and opens an entry shift.
func (f *fixture) ready(t *testing.T, id string) {
	t.Helper()
	ctx := context.Background()
	if _, err := f.booth.SignIn(ctx, id, "pw-"+id); err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	if _, err := f.booth.OpenShift(ctx, "DOSTUK", "DOSTUK-07", app.Entry); err != nil {
		t.Fatalf("OpenShift: %v", err)
	}
}

func (f *fixture) present(t *testing.T, lines ...string) *app.InspectionView {
	t.Helper()
	v, err := f.booth.Present(context.Background(), app.ReaderEvent{Kind: app.ReaderDocument, Lines: lines, Source: app.FromKeyboard})
	if err != nil {
		t.Fatalf("Present: %v", err)
	}
	return v
}

func TestSignIn(t *testing.T) {
	tests := []struct {
		name, id, pw string
		code         string
	}{
		{"right password", "K1", "pw-K1", ""},
		{"wrong password", "K1", "nope", app.EUNAUTHORIZED},
		{"empty id", "  ", "pw-", app.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			s, err := f.booth.SignIn(context.Background(), tt.id, tt.pw)
			if got, want := app.ErrorCode(err), tt.code; got != want {
				t.Fatalf("code = %q, want %q (%v)", got, want, err)
			}
			if got, want := s.SignedIn, tt.code == ""; got != want {
				t.Errorf("SignedIn = %v, want %v", got, want)
			}
		})
	}
}

func TestSignInResumesOpenShift(t *testing.T) {
	f := newFixture(t)
	f.ready(t, "K1")
	ctx := context.Background()
	if err := f.booth.SignOut(ctx); err != nil {
		t.Fatal(err)
	}
	s, err := f.booth.SignIn(ctx, "K1", "pw-K1")
	if err != nil {
		t.Fatal(err)
	}
	if !s.HasShift || s.Shift.Booth != "DOSTUK-07" {
		t.Errorf("shift not resumed: %+v", s)
	}
}

func TestSwitchOfficer(t *testing.T) {
	f := newFixture(t)
	f.ready(t, "K1")
	f.present(t, clean)
	ctx := context.Background()
	s, err := f.booth.SignIn(ctx, "K2", "pw-K2")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.Officer.ID, "K2"; got != want {
		t.Errorf("officer = %q, want %q", got, want)
	}
	if s.HasShift {
		t.Errorf("K2 inherited K1's shift")
	}
	if f.booth.Current() != nil {
		t.Errorf("K1's document is still on screen for K2")
	}
	if got := f.records.actions(); got[len(got)-1] != app.AuditSignOut {
		t.Errorf("switching did not audit K1's sign-out: %v", got)
	}
}

func TestLock(t *testing.T) {
	f := newFixture(t)
	f.ready(t, "K1")
	ctx := context.Background()
	if err := f.booth.Lock(ctx, "idle"); err != nil {
		t.Fatal(err)
	}
	_, err := f.booth.Present(ctx, app.ReaderEvent{Kind: app.ReaderDocument, Lines: []string{clean}})
	if got, want := app.ErrorCode(err), app.EUNAUTHORIZED; got != want {
		t.Errorf("Present while locked: code %q, want %q", got, want)
	}
	if _, err := f.booth.Unlock(ctx, "wrong"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("Unlock with a wrong password: %v", err)
	}
	s, err := f.booth.Unlock(ctx, "pw-K1")
	if err != nil || s.Locked {
		t.Fatalf("Unlock: %+v, %v", s, err)
	}
	if !s.HasShift {
		t.Errorf("unlocking lost the shift")
	}
	if got := f.records.actions(); len(got) == 0 || got[0] != app.AuditLock {
		t.Errorf("lock not audited: %v", got)
	}
}

// The booth locks itself after IdleLock on its clock without the officer
// acting; an action in between moves the deadline; unlocking starts the count
// again. The clock is stepped: no sleeping, no polling.
func TestIdleLock(t *testing.T) {
	f := newFixture(t)
	clk := clocktest.New(today)
	f.booth.Clock, f.booth.IdleLock = clk, 5*time.Minute
	locked := make(chan error, 1)
	f.booth.OnIdleLock(func(err error) { locked <- err })
	f.ready(t, "K1")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	next := func(made int) time.Duration {
		t.Helper()
		d, ok := clk.NextAfter(ctx, made)
		if !ok {
			t.Fatalf("no idle timer after %d", made)
		}
		return d
	}

	if got, want := next(0), 5*time.Minute; got != want {
		t.Fatalf("first idle deadline in %v, want %v", got, want)
	}
	clk.Advance(4 * time.Minute)
	f.booth.Touch()
	clk.Advance(2 * time.Minute) // the first deadline passes: the officer acted 2 min ago
	if got, want := next(1), 3*time.Minute; got != want {
		t.Fatalf("deadline after an action: in %v, want %v", got, want)
	}
	if f.booth.Session().Locked {
		t.Fatal("locked 2 minutes after the officer acted")
	}
	clk.Advance(3 * time.Minute)
	select {
	case err := <-locked:
		if err != nil {
			t.Fatalf("idle lock: %v", err)
		}
	case <-ctx.Done():
		t.Fatal("the booth did not lock after 5 idle minutes")
	}
	if !f.booth.Session().Locked {
		t.Fatal("OnIdleLock called, booth not locked")
	}
	f.records.mu.Lock()
	last := f.records.audits[len(f.records.audits)-1]
	f.records.mu.Unlock()
	if got, want := last.Action, app.AuditLock; got != want || !strings.Contains(last.Detail, `"idle"`) {
		t.Errorf("audit %s %s, want %s for idle", got, last.Detail, want)
	}
	if got := clk.Pending(); got != 0 {
		t.Errorf("%d timers left on a locked booth", got)
	}
	if _, err := f.booth.Unlock(context.Background(), "pw-K1"); err != nil {
		t.Fatal(err)
	}
	if got, want := next(2), 5*time.Minute; got != want {
		t.Fatalf("deadline after unlocking in %v, want %v", got, want)
	}
}

func TestShifts(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.booth.OpenShift(ctx, "P", "B", app.Entry); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("OpenShift signed out: %v", err)
	}
	if _, err := f.booth.SignIn(ctx, "K1", "pw-K1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.booth.Present(ctx, app.ReaderEvent{Kind: app.ReaderDocument, Lines: []string{clean}}); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("Present without a shift: %v", err)
	}
	for _, tc := range []struct {
		name, post, booth string
		d                 app.Direction
	}{{"no post", "", "B", app.Entry}, {"no booth", "P", " ", app.Entry}, {"no direction", "P", "B", ""}} {
		if _, err := f.booth.OpenShift(ctx, tc.post, tc.booth, tc.d); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if _, err := f.booth.OpenShift(ctx, "DOSTUK", "DOSTUK-07", app.Entry); err != nil {
		t.Fatal(err)
	}
	if _, err := f.booth.OpenShift(ctx, "DOSTUK", "DOSTUK-07", app.Entry); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("second OpenShift: %v", err)
	}
	if err := f.booth.SetDirection(ctx, app.Exit); err != nil {
		t.Fatal(err)
	}
	if got, want := f.booth.Session().Shift.Direction, app.Exit; got != want {
		t.Errorf("direction = %q, want %q", got, want)
	}
	counts, err := f.booth.CloseShift(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := counts.Inspections, 3; got != want {
		t.Errorf("counts.Inspections = %d, want %d", got, want)
	}
	if f.booth.Session().HasShift {
		t.Errorf("shift still open after CloseShift")
	}
}

func TestPresentCleanDocument(t *testing.T) {
	f := newFixture(t)
	f.ready(t, "K1")
	f.records.HistoryFn = func(doc app.DocumentKey, person app.TravellerKey, limit int) ([]app.Crossing, error) {
		if doc.Number != "AC1234567" || person.Surname != "ASANOV" {
			return nil, fmt.Errorf("asked for %+v %+v", doc, person)
		}
		return []app.Crossing{{ID: "old", Direction: app.Exit}}, nil
	}
	// A keyboard-wedge reader sends CR LF and padding: the same path cleans it.
	v := f.present(t, "  "+clean+"\r\n", "")
	if got, want := v.Verdict, (app.Verdict{Level: app.LevelGood, Key: app.VerdictClear}); got != want {
		t.Errorf("verdict = %+v, want %+v", got, want)
	}
	if got, want := v.Age, 41; got != want || !v.AgeKnown {
		t.Errorf("age = %d (%v), want %d", got, v.AgeKnown, want)
	}
	if got, want := v.ExpiresIn, 1498; got != want {
		t.Errorf("ExpiresIn = %d, want %d", got, want)
	}
	if !v.StayKnown || v.Stay.DaysUsed != 1 || len(v.History) != 1 {
		t.Errorf("stay/history: %+v %+v", v.Stay, v.History)
	}
	if got, want := v.Inspection.Lines, []string{clean}; strings.Join(got, "/") != strings.Join(want, "/") {
		t.Errorf("lines = %q, want %q", got, want)
	}
	if got, want := v.Inspection.Source, app.FromKeyboard; got != want {
		t.Errorf("source = %q, want %q", got, want)
	}
	if len(f.records.inspections) != 1 {
		t.Errorf("read not recorded: %d", len(f.records.inspections))
	}
	got := map[app.AuditAction]string{}
	for _, a := range f.records.audits {
		got[a.Action] = a.Subject
	}
	for _, want := range []app.AuditAction{app.AuditScreening, app.AuditHistoryView} {
		if got[want] != v.Inspection.ID {
			t.Errorf("%s not audited against the inspection: %v", want, got)
		}
	}
	if f.booth.Current() == nil {
		t.Errorf("Current() is nil after Present")
	}
}

func TestVerdicts(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  app.Verdict
	}{
		{"clean", []string{clean}, app.Verdict{Level: app.LevelGood, Key: app.VerdictClear}},
		{"bad check digit", []string{clean, "BAD"}, app.Verdict{Level: app.LevelStop, Key: app.VerdictInvalid}},
		{"expired", []string{expired}, app.Verdict{Level: app.LevelStop, Key: app.VerdictExpired}},
		{"person hit", []string{listed}, app.Verdict{Level: app.LevelStop, Key: app.VerdictHitOpen}},
		{"stolen document", []string{stolen}, app.Verdict{Level: app.LevelStop, Key: app.VerdictHitOpen}},
		{"minor", []string{minor}, app.Verdict{Level: app.LevelCaution, Key: app.VerdictWarning}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.ready(t, "K1")
			v := f.present(t, tt.lines...)
			if got := v.Verdict; got != tt.want {
				t.Errorf("verdict = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestCameraReadingToCheck: a camera read that is valid by its check digits
// but has characters no check digit vouches for is not "clear": the verdict
// asks for a look and the view names each character; positions a source gets
// wrong are dropped, never trusted or panicked on.
func TestCameraReadingToCheck(t *testing.T) {
	tests := []struct {
		name      string
		lines     []string
		uncertain [][2]int
		want      app.Verdict
		chars     []app.UncertainChar
	}{
		{"valid, nothing uncertain", []string{clean}, nil,
			app.Verdict{Level: app.LevelGood, Key: app.VerdictClear}, nil},
		{"valid, two names uncertain", []string{clean}, [][2]int{{0, 7}, {0, 1}},
			app.Verdict{Level: app.LevelCaution, Key: app.VerdictCheckReading},
			[]app.UncertainChar{{Line: 0, Column: 1, Char: "S"}, {Line: 0, Column: 7, Char: "B"}}},
		{"invalid stays invalid", []string{clean, "BAD"}, [][2]int{{1, 0}},
			app.Verdict{Level: app.LevelStop, Key: app.VerdictInvalid}, []app.UncertainChar{{Line: 1, Column: 0, Char: "B"}}},
		{"open hit still stops", []string{listed}, [][2]int{{0, 0}},
			app.Verdict{Level: app.LevelStop, Key: app.VerdictHitOpen}, []app.UncertainChar{{Line: 0, Column: 0, Char: "P"}}},
		{"positions outside the lines dropped", []string{clean}, [][2]int{{5, 0}, {0, -1}, {0, 999}, {-1, 2}},
			app.Verdict{Level: app.LevelGood, Key: app.VerdictClear}, nil},
		{"repeated position once", []string{clean}, [][2]int{{0, 2}, {0, 2}},
			app.Verdict{Level: app.LevelCaution, Key: app.VerdictCheckReading}, []app.UncertainChar{{Line: 0, Column: 2, Char: "A"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.ready(t, "K1")
			v, err := f.booth.Present(context.Background(), app.ReaderEvent{Kind: app.ReaderDocument, Lines: tt.lines,
				Source: app.FromCamera, Uncertain: tt.uncertain})
			if err != nil {
				t.Fatal(err)
			}
			if got := v.Verdict; got != tt.want {
				t.Errorf("verdict = %+v, want %+v", got, tt.want)
			}
			if got, want := fmt.Sprint(v.Uncertain), fmt.Sprint(tt.chars); got != want {
				t.Errorf("uncertain = %s, want %s", got, want)
			}
			// A valid read with uncertain characters needs a look whatever
			// else stops the traveller.
			if got, want := v.NeedsLook(), v.Document.Valid && len(tt.chars) > 0; got != want {
				t.Errorf("NeedsLook = %v, want %v", got, want)
			}
		})
	}
}

func TestOverstayOnExit(t *testing.T) {
	f := newFixture(t)
	f.ready(t, "K1")
	if err := f.booth.SetDirection(context.Background(), app.Exit); err != nil {
		t.Fatal(err)
	}
	f.booth.Rules = fakeRules{StayFn: func(_ app.TravellerKey, _ []app.Crossing, d app.Direction, _ time.Time) (app.Stay, error) {
		if d != app.Exit {
			return app.Stay{}, errors.New("direction not passed")
		}
		return app.Stay{Rule: "60/120", LimitDays: 60, DaysUsed: 75, DaysLeft: -15, Overstay: true, OverstayDays: 15}, nil
	}}
	v := f.present(t, clean)
	if got, want := v.Verdict.Key, app.VerdictOverstay; got != want {
		t.Errorf("verdict = %q, want %q", got, want)
	}
}

func TestDecisions(t *testing.T) {
	type step struct {
		resolve *struct {
			id        string
			confirmed bool
			note      string
		}
		decide app.DecisionRequest
		code   string
	}
	res := func(id string, confirmed bool, note string) *struct {
		id        string
		confirmed bool
		note      string
	} {
		return &struct {
			id        string
			confirmed bool
			note      string
		}{id, confirmed, note}
	}
	tests := []struct {
		name  string
		lines []string
		steps []step
		want  app.Crossing // the fields checked on the recorded crossing
	}{
		{"admit clean", []string{clean}, []step{{decide: app.DecisionRequest{Decision: app.Admit}}},
			app.Crossing{Decision: app.Admit}},
		{"admit needs the hit resolved", []string{listed}, []step{
			{decide: app.DecisionRequest{Decision: app.Admit}, code: app.EINVALID},
			{resolve: res("P-1", false, ""), code: app.EINVALID}, // a false match needs a note
			{resolve: res("P-1", false, "different birth place")},
			{decide: app.DecisionRequest{Decision: app.Admit}},
		}, app.Crossing{Decision: app.Admit}},
		{"confirmed deny_entry bars admit", []string{listed}, []step{
			{resolve: res("P-1", true, "")},
			{decide: app.DecisionRequest{Decision: app.Admit}, code: app.EINVALID},
			{decide: app.DecisionRequest{Decision: app.Refuse, Reason: "A"}},
		}, app.Crossing{Decision: app.Refuse, RefusalReason: "A"}},
		{"unknown hit", []string{listed}, []step{
			{resolve: res("nope", true, ""), code: app.ENOTFOUND},
		}, app.Crossing{}},
		{"refuse needs a reason", []string{stolen}, []step{
			{decide: app.DecisionRequest{Decision: app.Refuse}, code: app.EINVALID},
			{decide: app.DecisionRequest{Decision: app.Refuse, Reason: "ZZ"}, code: app.EINVALID},
			{decide: app.DecisionRequest{Decision: app.Refuse, Reason: "I"}, code: app.EINVALID}, // needs its ground
			{decide: app.DecisionRequest{Decision: app.Refuse, Reason: "I", Note: "forged visa stamp"}},
		}, app.Crossing{Decision: app.Refuse, RefusalReason: "I", RefusalNote: "forged visa stamp"}},
		{"refer needs a note", []string{clean, "BAD"}, []step{
			{decide: app.DecisionRequest{Decision: app.Refer, Note: "  "}, code: app.EINVALID},
			{decide: app.DecisionRequest{Decision: app.Refer, Note: "check digit fails"}},
		}, app.Crossing{Decision: app.Refer, ReferralNote: "check digit fails"}},
		{"unknown decision", []string{clean}, []step{
			{decide: app.DecisionRequest{Decision: "wave"}, code: app.EINVALID},
		}, app.Crossing{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.ready(t, "K1")
			f.present(t, tt.lines...)
			ctx := context.Background()
			for i, s := range tt.steps {
				var err error
				if s.resolve != nil {
					_, err = f.booth.Resolve(ctx, s.resolve.id, s.resolve.confirmed, s.resolve.note)
				} else {
					_, err = f.booth.Decide(ctx, s.decide)
				}
				if got, want := app.ErrorCode(err), s.code; got != want {
					t.Fatalf("step %d: code %q, want %q (%v)", i, got, want, err)
				}
			}
			if tt.want.Decision == "" {
				if len(f.records.crossings) != 0 {
					t.Errorf("a crossing was recorded: %+v", f.records.crossings)
				}
				return
			}
			if len(f.records.crossings) != 1 {
				t.Fatalf("crossings = %d, want 1", len(f.records.crossings))
			}
			c := f.records.crossings[0]
			if c.Decision != tt.want.Decision || c.RefusalReason != tt.want.RefusalReason ||
				c.RefusalNote != tt.want.RefusalNote || c.ReferralNote != tt.want.ReferralNote {
				t.Errorf("crossing = %+v, want %+v", c, tt.want)
			}
			if c.ID == "" || c.InspectionID == "" || c.ShiftID == "" || c.Post != "DOSTUK" || c.Direction != app.Entry || c.Training {
				t.Errorf("crossing context missing: %+v", c)
			}
			if f.booth.Current() != nil {
				t.Errorf("the document stays on screen after the decision")
			}
		})
	}
}

func TestHitResolutionsRecorded(t *testing.T) {
	f := newFixture(t)
	f.ready(t, "K1")
	f.present(t, listed)
	ctx := context.Background()
	if _, err := f.booth.Resolve(ctx, "P-1", false, "other person, born 1971"); err != nil {
		t.Fatal(err)
	}
	c, err := f.booth.Decide(ctx, app.DecisionRequest{Decision: app.Admit})
	if err != nil {
		t.Fatal(err)
	}
	want := app.HitResolution{ListID: "P-1", Kind: "person", Category: "deny_entry", Score: 0.93, Note: "other person, born 1971"}
	if len(c.Hits) != 1 || c.Hits[0] != want {
		t.Errorf("hits = %+v, want [%+v]", c.Hits, want)
	}
}

func TestTraineeDecisionsAreTraining(t *testing.T) {
	f := newFixture(t)
	f.ready(t, "T1")
	f.present(t, clean)
	c, err := f.booth.Decide(context.Background(), app.DecisionRequest{Decision: app.Admit})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Training {
		t.Errorf("a trainee's crossing is not marked Training")
	}
}

func TestClockJumpFlagged(t *testing.T) {
	f := newFixture(t)
	f.ready(t, "K1")
	ctx := context.Background()
	f.present(t, clean)
	if _, err := f.booth.Decide(ctx, app.DecisionRequest{Decision: app.Admit}); err != nil {
		t.Fatal(err)
	}
	f.clock.t = today.Add(-time.Hour)
	f.present(t, clean)
	c, err := f.booth.Decide(ctx, app.DecisionRequest{Decision: app.Admit})
	if err != nil {
		t.Fatal(err)
	}
	if !c.ClockJump {
		t.Errorf("a decision before the previous one is not flagged")
	}
}

func TestFailuresShownNotHidden(t *testing.T) {
	f := newFixture(t)
	f.ready(t, "K1")
	f.booth.Lists = fakeLists{ScreenFn: func(app.ScreeningQuery) ([]app.Hit, error) {
		return nil, app.Errorf(app.EUNAVAILABLE, "Lists are being replaced.")
	}}
	f.records.HistoryFn = func(app.DocumentKey, app.TravellerKey, int) ([]app.Crossing, error) {
		return nil, errors.New("disk on fire")
	}
	v := f.present(t, clean)
	if v.Screened || v.ScreenError == nil || !strings.Contains(v.ScreenError.Message, "Lists are being replaced.") {
		t.Errorf("screening failure hidden: %+v", v.ScreenError)
	}
	if v.HistoryError == nil || !strings.Contains(v.HistoryError.Message, "Internal error.") {
		t.Errorf("history failure: %q", v.HistoryError)
	}
	if got, want := v.Verdict.Level, app.LevelCaution; got != want {
		t.Errorf("level = %q, want %q", got, want)
	}
}

func TestReaderAndStatus(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if got := f.booth.Status(ctx).Reader.State; got != "none" {
		t.Errorf("reader state before any event = %q", got)
	}
	v, err := f.booth.Present(ctx, app.ReaderEvent{Kind: app.ReaderDisconnected, Message: "Reader unplugged — reconnecting"})
	if err != nil || v != nil {
		t.Fatalf("Present(disconnected) = %v, %v", v, err)
	}
	st := f.booth.Status(ctx)
	if st.Reader.State != "disconnected" || st.Reader.Message == "" {
		t.Errorf("reader = %+v", st.Reader)
	}
	if got, want := st.Sync.Pending, 0; got != want {
		t.Errorf("pending = %d, want %d", got, want)
	}
}

// TestCameraStatusApart: the camera's events (from ocr.CameraSource) set the
// camera's state in the status bar, never the reader's, and a document read by
// the camera shows it connected.
func TestCameraStatusApart(t *testing.T) {
	tests := []struct {
		name           string
		ev             app.ReaderEvent
		reader, camera string
	}{
		{"camera unplugged", app.ReaderEvent{Kind: app.ReaderDisconnected, Source: app.FromCamera, Message: "Camera stopped — reconnecting"}, "none", "disconnected"},
		{"camera failing", app.ReaderEvent{Kind: app.ReaderError, Source: app.FromCamera, Message: "Camera not available — retrying"}, "none", "error"},
		{"camera connected", app.ReaderEvent{Kind: app.ReaderConnected, Source: app.FromCamera}, "none", "connected"},
		{"reader unplugged", app.ReaderEvent{Kind: app.ReaderDisconnected, Message: "Reader unplugged"}, "disconnected", "none"},
		{"page read by the camera", app.ReaderEvent{Kind: app.ReaderDocument, Source: app.FromCamera, Lines: []string{clean}}, "none", "connected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.ready(t, "K1")
			ctx := context.Background()
			if _, err := f.booth.Present(ctx, tt.ev); err != nil {
				t.Fatal(err)
			}
			st := f.booth.Status(ctx)
			if st.Reader.State != tt.reader || st.Camera.State != tt.camera {
				t.Errorf("reader %q camera %q, want %q %q", st.Reader.State, st.Camera.State, tt.reader, tt.camera)
			}
			if tt.ev.Message != "" && st.Camera.Message+st.Reader.Message != tt.ev.Message {
				t.Errorf("message lost: %+v %+v", st.Reader, st.Camera)
			}
		})
	}
}

func TestSetLanguage(t *testing.T) {
	f := newFixture(t)
	f.ready(t, "K1")
	ctx := context.Background()
	if err := f.booth.SetLanguage(ctx, "ky"); err != nil {
		t.Fatal(err)
	}
	if got, want := f.booth.Session().Officer.Language, "ky"; got != want {
		t.Errorf("language = %q, want %q", got, want)
	}
	if err := f.booth.SetLanguage(ctx, "fr"); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("SetLanguage(fr): %v", err)
	}
}

func BenchmarkPresentFakes(b *testing.B) {
	f := newFixture(b)
	ctx := context.Background()
	if _, err := f.booth.SignIn(ctx, "K1", "pw-K1"); err != nil {
		b.Fatal(err)
	}
	if _, err := f.booth.OpenShift(ctx, "P", "B", app.Entry); err != nil {
		b.Fatal(err)
	}
	ev := app.ReaderEvent{Kind: app.ReaderDocument, Lines: []string{listed}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.booth.Present(ctx, ev); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/document")
}

func TestNothingShownUnlessAudited(t *testing.T) {
	f := newFixture(t)
	f.ready(t, "K1")
	f.records.AuditFn = func(e app.AuditEntry) error {
		if e.Action == app.AuditScreening {
			return app.Errorf(app.EUNAVAILABLE, "The disk is full.")
		}
		return nil
	}
	_, err := f.booth.Present(context.Background(), app.ReaderEvent{Kind: app.ReaderDocument, Lines: []string{clean}})
	if got, want := app.ErrorCode(err), app.EUNAVAILABLE; got != want {
		t.Fatalf("code %q, want %q (%v)", got, want, err)
	}
	if f.booth.Current() != nil {
		t.Errorf("a screening that was not audited is on screen")
	}
}
