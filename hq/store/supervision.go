package store

// Supervision at HQ (issue 17, migration 11 on both back-ends): every
// crossing and set-aside read counts into its shift's line (post_shifts), so
// a booth can list its post's other booths' shifts; each record of a shift is
// found through shift_records; referrals and their outcomes are counted per
// post (referrals); sign-offs are kept for the console and the CLI; and every
// question a booth asks about its post is audited (post_lookups) before it is
// answered. Every column is an integer or text, so one schema and one set of
// statements serve SQLite and PostgreSQL.

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
)

const supervisionSchema = `CREATE TABLE post_shifts (
	shift_id  TEXT PRIMARY KEY,
	post      TEXT NOT NULL,
	booth     TEXT NOT NULL,
	officer   TEXT NOT NULL,
	direction TEXT NOT NULL,
	first_at  BIGINT NOT NULL, -- Unix ns, booth clock: the shift's first record
	last_at   BIGINT NOT NULL, -- and its last
	crossings BIGINT NOT NULL DEFAULT 0,
	admitted  BIGINT NOT NULL DEFAULT 0,
	refused   BIGINT NOT NULL DEFAULT 0,
	referred  BIGINT NOT NULL DEFAULT 0,
	set_aside BIGINT NOT NULL DEFAULT 0,
	overrides BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX post_shifts_post ON post_shifts (post, first_at);
CREATE TABLE shift_records (
	shift_id  TEXT NOT NULL,
	record_id TEXT NOT NULL,
	PRIMARY KEY (shift_id, record_id)
);
CREATE TABLE referrals (
	crossing_id  TEXT PRIMARY KEY,
	post         TEXT NOT NULL,
	booth        TEXT NOT NULL DEFAULT '',
	referred_at  BIGINT NOT NULL DEFAULT 0,
	outcome      TEXT NOT NULL DEFAULT '', -- '', admitted, refused
	reason       TEXT NOT NULL DEFAULT '',
	outcome_id   TEXT NOT NULL DEFAULT '',
	outcome_at   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX referrals_post ON referrals (post);
CREATE TABLE sign_offs (
	id            TEXT PRIMARY KEY,
	shift_id      TEXT NOT NULL,
	post          TEXT NOT NULL,
	booth         TEXT NOT NULL,
	shift_booth   TEXT NOT NULL,
	shift_officer TEXT NOT NULL,
	supervisor    TEXT NOT NULL,
	comment       TEXT NOT NULL,
	at            BIGINT NOT NULL, -- Unix ns, booth clock
	payload       TEXT NOT NULL
);
CREATE INDEX sign_offs_post ON sign_offs (post, at);
CREATE TABLE post_lookups (
	id       BIGINT PRIMARY KEY,
	at       BIGINT NOT NULL, -- Unix ns, HQ's clock
	booth    TEXT NOT NULL,
	post     TEXT NOT NULL,
	officer  TEXT NOT NULL,
	what     TEXT NOT NULL, -- shifts, shift or referrals
	shift_id TEXT NOT NULL
)`

// PostShift is one shift as HQ knows it from its records.
type PostShift struct {
	ShiftID, Post, Booth, Officer, Direction string
	FirstAt, LastAt                          time.Time
	Crossings, Admitted, Refused, Referred   int64
	SetAside, Overrides                      int64
	SignedOff                                bool
}

// ReferralCount is a post's referrals and their outcomes.
type ReferralCount struct {
	Post                         string
	Referrals, Admitted, Refused int64
	Pending                      int64 // referred, no outcome at HQ yet
	Outcomes                     int64 // outcome records, wherever their referral is
}

// PostLookup is one audited question of a booth about its post.
type PostLookup struct {
	ID        int64
	At        time.Time
	Booth     string
	Post      string
	OfficerID string
	What      string // "shifts" (the list), "shift" (one shift's records) or "referrals"
	ShiftID   string // the shift, for What "shift"
}

// Supervision is what HQ keeps for supervisors (both back-ends).
type Supervision interface {
	// PostShifts returns the shifts of post, newest first, at most limit (0: 200).
	PostShifts(ctx context.Context, post string, limit int) ([]PostShift, error)
	// ShiftRecords returns the records of one shift of post (crossings,
	// set-aside reads, outcomes, confirmations, sign-offs) in the order
	// received. ENOTFOUND when the shift is not one of post's.
	ShiftRecords(ctx context.Context, post, shiftID string) ([]Record, error)
	// SignOffs returns the sign-offs of post ("" every post), newest first,
	// at most limit (0: 500).
	SignOffs(ctx context.Context, post string, limit int) ([]app.SignOff, error)
	// Referrals counts referrals and outcomes per post ("" every post).
	Referrals(ctx context.Context, post string) ([]ReferralCount, error)
	// PendingReferrals returns the crossing records of post's referrals since
	// a time that have no outcome at HQ, oldest first, at most limit (0: 500).
	PendingReferrals(ctx context.Context, post string, since time.Time, limit int) ([]Record, error)
	// AuditPostLookup durably records a booth's question about its post
	// before it is answered, and returns its id.
	AuditPostLookup(ctx context.Context, l PostLookup) (int64, error)
	// PostLookups returns the audited questions with an id above after.
	PostLookups(ctx context.Context, after int64) ([]PostLookup, error)
}

// countFresh counts a batch's records new to HQ into a summary and returns
// the statements that index them for supervision, decoding each crossing
// once for both.
func countFresh(b Batch, fresh map[string]bool) (*summary, []statement) {
	sum := newSummary()
	decoded := make(map[string]app.Crossing)
	for _, r := range b.Records {
		if !fresh[r.ID] || r.Kind != wire.KindCrossing {
			continue
		}
		c, err := r.crossing()
		if err != nil {
			sum.skipped++
			continue
		}
		decoded[r.ID] = c
		sum.addCrossing(c)
	}
	return sum, supervise(b, fresh, decoded)
}

// superviseIn returns the statements that index a batch's records new to HQ
// for supervision. A record that does not decode was counted nowhere else
// either; it is skipped here too.
func superviseIn(b Batch, fresh map[string]bool) []statement { return supervise(b, fresh, nil) }

// supervise is superviseIn with the batch's crossings decoded already
// (decoded by id; nil: decode them here).
func supervise(b Batch, fresh map[string]bool, decoded map[string]app.Crossing) []statement {
	var out []statement
	var links []any // shift_id, record_id, …: written 250 rows a statement
	link := func(shift, id string) {
		if shift != "" {
			links = append(links, shift, id)
		}
	}
	// A shift's line is summed over the batch first: one upsert per shift
	// a batch touches, not one per record (a batch of 1,000 crossings is
	// mostly one or two shifts).
	type line struct {
		post, booth, officer                                    string
		direction                                               app.Direction
		first, last                                             int64
		crossings, admitted, refused, referred, setAside, overr int
	}
	lines := map[string]*line{}
	shiftLine := func(shift, post, booth, officer string, d app.Direction, at time.Time, crossings, admitted, refused, referred, setAside, overrides int) {
		if shift == "" {
			return
		}
		t := nanos(at)
		l := lines[shift]
		if l == nil {
			l = &line{post: post, booth: booth, officer: officer, direction: d, first: t, last: t}
			lines[shift] = l
		}
		if t < l.first {
			l.first = t
		}
		if t > l.last {
			l.last, l.direction = t, d
		}
		l.crossings += crossings
		l.admitted += admitted
		l.refused += refused
		l.referred += referred
		l.setAside += setAside
		l.overr += overrides
	}
	upsertShiftLine := func(shift, post, booth, officer string, d app.Direction, first, last int64, crossings, admitted, refused, referred, setAside, overrides int) statement {
		return statement{`INSERT INTO post_shifts (shift_id, post, booth, officer, direction, first_at, last_at,
			crossings, admitted, refused, referred, set_aside, overrides) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (shift_id) DO UPDATE SET
			first_at = CASE WHEN excluded.first_at < post_shifts.first_at THEN excluded.first_at ELSE post_shifts.first_at END,
			last_at = CASE WHEN excluded.last_at > post_shifts.last_at THEN excluded.last_at ELSE post_shifts.last_at END,
			direction = CASE WHEN excluded.last_at > post_shifts.last_at THEN excluded.direction ELSE post_shifts.direction END,
			crossings = post_shifts.crossings + excluded.crossings, admitted = post_shifts.admitted + excluded.admitted,
			refused = post_shifts.refused + excluded.refused, referred = post_shifts.referred + excluded.referred,
			set_aside = post_shifts.set_aside + excluded.set_aside, overrides = post_shifts.overrides + excluded.overrides`,
			[]any{shift, post, booth, officer, string(d), first, last, crossings, admitted, refused, referred, setAside, overrides}}
	}
	flushLines := func() {
		shifts := make([]string, 0, len(lines))
		for s := range lines {
			shifts = append(shifts, s)
		}
		sort.Strings(shifts)
		for _, shift := range shifts {
			l := lines[shift]
			out = append(out, upsertShiftLine(shift, l.post, l.booth, l.officer, l.direction, l.first, l.last,
				l.crossings, l.admitted, l.refused, l.referred, l.setAside, l.overr))
		}
	}
	one := func(ok bool) int {
		if ok {
			return 1
		}
		return 0
	}
	for _, r := range b.Records {
		if !fresh[r.ID] {
			continue
		}
		switch r.Kind {
		case wire.KindCrossing:
			c, ok := decoded[r.ID]
			if !ok {
				var err error
				if c, err = wire.DecodeCrossing(r.Payload); err != nil {
					continue
				}
			}
			if c.Training {
				continue
			}
			link(c.ShiftID, c.ID)
			shiftLine(c.ShiftID, c.Post, c.Booth, c.OfficerID, c.Direction, c.BoothTime, 1,
				one(c.Decision == app.Admit), one(c.Decision == app.Refuse), one(c.Decision == app.Refer), 0, one(c.Override != nil))
			if c.Decision == app.Refer {
				out = append(out, statement{`INSERT INTO referrals (crossing_id, post, booth, referred_at) VALUES (?, ?, ?, ?)
					ON CONFLICT (crossing_id) DO UPDATE SET post = excluded.post, booth = excluded.booth, referred_at = excluded.referred_at`,
					[]any{c.ID, c.Post, c.Booth, nanos(c.BoothTime)}})
			}
		case wire.KindSetAside:
			a, err := wire.DecodeSetAside(r.Payload)
			if err != nil || a.Training {
				continue
			}
			link(a.ShiftID, a.ID)
			shiftLine(a.ShiftID, a.Post, a.Booth, a.OfficerID, a.Direction, a.At, 0, 0, 0, 0, 1, 0)
		case wire.KindReferralOutcome:
			o, err := wire.DecodeOutcome(r.Payload)
			if err != nil {
				continue
			}
			link(o.ShiftID, o.ID)
			// The outcome may arrive before its referral (another booth's
			// batch): the row waits for it; the first outcome stands.
			out = append(out, statement{`INSERT INTO referrals (crossing_id, post, outcome, reason, outcome_id, outcome_at) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (crossing_id) DO UPDATE SET outcome = excluded.outcome, reason = excluded.reason,
				outcome_id = excluded.outcome_id, outcome_at = excluded.outcome_at WHERE referrals.outcome = ''`,
				[]any{o.CrossingID, o.Post, string(o.Outcome), o.Reason, o.ID, nanos(o.At)}})
		case wire.KindRefusalConfirmation:
			c, err := wire.DecodeConfirmation(r.Payload)
			if err != nil {
				continue
			}
			link(c.ShiftID, c.ID)
		case wire.KindSignOff:
			s, err := wire.DecodeSignOff(r.Payload)
			if err != nil {
				continue
			}
			link(s.ShiftID, s.ID)
			out = append(out, statement{`INSERT INTO sign_offs (id, shift_id, post, booth, shift_booth, shift_officer, supervisor, comment, at, payload)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
				[]any{s.ID, s.ShiftID, s.Post, s.Booth, s.ShiftBooth, s.ShiftOfficer, s.SupervisorID, s.Comment, nanos(s.At), string(r.Payload)}})
		}
	}
	flushLines()
	for len(links) > 0 {
		n := min(len(links), 2*250)
		out = append(out, statement{`INSERT INTO shift_records (shift_id, record_id) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?, ?), ", n/2), ", ") + ` ON CONFLICT DO NOTHING`, links[:n]})
		links = links[n:]
	}
	return out
}

// The reads, with ? placeholders (PostgreSQL's go through dollar).
const (
	selectPostShifts = `SELECT p.shift_id, p.post, p.booth, p.officer, p.direction, p.first_at, p.last_at,
		p.crossings, p.admitted, p.refused, p.referred, p.set_aside, p.overrides,
		EXISTS (SELECT 1 FROM sign_offs s WHERE s.shift_id = p.shift_id)
		FROM post_shifts p WHERE p.post = ? ORDER BY p.first_at DESC LIMIT ?`
	selectShiftPost    = `SELECT post FROM post_shifts WHERE shift_id = ?`
	selectShiftRecords = `SELECT r.booth, r.seq, r.id, r.kind, r.payload, r.sha256 FROM shift_records s
		JOIN records r ON r.id = s.record_id WHERE s.shift_id = ? ORDER BY r.booth, r.seq`
	selectPendingReferrals = `SELECT r.booth, r.seq, r.id, r.kind, r.payload, r.sha256 FROM referrals f
		JOIN records r ON r.id = f.crossing_id WHERE f.post = ? AND f.outcome = '' AND f.referred_at <> 0 AND f.referred_at >= ?
		ORDER BY f.referred_at, f.crossing_id LIMIT ?`
	selectSignOffs  = `SELECT payload FROM sign_offs WHERE (? = '' OR post = ?) ORDER BY at DESC, id LIMIT ?`
	selectReferrals = `SELECT post, SUM(CASE WHEN referred_at <> 0 THEN 1 ELSE 0 END),
		SUM(CASE WHEN referred_at <> 0 AND outcome = 'admitted' THEN 1 ELSE 0 END),
		SUM(CASE WHEN referred_at <> 0 AND outcome = 'refused' THEN 1 ELSE 0 END),
		SUM(CASE WHEN referred_at <> 0 AND outcome = '' THEN 1 ELSE 0 END),
		SUM(CASE WHEN outcome <> '' THEN 1 ELSE 0 END)
		FROM referrals WHERE (? = '' OR post = ?) GROUP BY post ORDER BY post`
	insertPostLookup  = `INSERT INTO post_lookups (id, at, booth, post, officer, what, shift_id) VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM post_lookups), ?, ?, ?, ?, ?, ?) RETURNING id`
	selectPostLookups = `SELECT id, at, booth, post, officer, what, shift_id FROM post_lookups WHERE id > ? ORDER BY id LIMIT 10000`
)

func scanPostShifts(rows rowScanner) ([]PostShift, error) {
	var out []PostShift
	for rows.Next() {
		var p PostShift
		var first, last int64
		if err := rows.Scan(&p.ShiftID, &p.Post, &p.Booth, &p.Officer, &p.Direction, &first, &last,
			&p.Crossings, &p.Admitted, &p.Refused, &p.Referred, &p.SetAside, &p.Overrides, &p.SignedOff); err != nil {
			return nil, err
		}
		p.FirstAt, p.LastAt = fromNanos(first), fromNanos(last)
		out = append(out, p)
	}
	return out, rows.Err()
}

func scanShiftRecords(rows rowScanner) ([]Record, error) {
	var out []Record
	for rows.Next() {
		var r Record
		if err := rows.Scan(&r.Booth, &r.Seq, &r.ID, &r.Kind, &r.Payload, &r.SHA256); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func scanSignOffs(rows rowScanner) ([]app.SignOff, error) {
	var out []app.SignOff
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, err
		}
		s, err := wire.DecodeSignOff([]byte(p))
		if err != nil {
			continue // validated at ingest; a later format would be read by a later HQ
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func scanReferrals(rows rowScanner) ([]ReferralCount, error) {
	var out []ReferralCount
	for rows.Next() {
		var c ReferralCount
		if err := rows.Scan(&c.Post, &c.Referrals, &c.Admitted, &c.Refused, &c.Pending, &c.Outcomes); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func scanPostLookups(rows rowScanner) ([]PostLookup, error) {
	var out []PostLookup
	for rows.Next() {
		var l PostLookup
		var at int64
		if err := rows.Scan(&l.ID, &at, &l.Booth, &l.Post, &l.OfficerID, &l.What, &l.ShiftID); err != nil {
			return nil, err
		}
		l.At = fromNanos(at)
		out = append(out, l)
	}
	return out, rows.Err()
}

func checkPost(post string) error {
	if strings.TrimSpace(post) == "" {
		return app.Errorf(app.EINVALID, "a post is needed")
	}
	return nil
}

// supervisionVersion is the migration (both back-ends) that made the
// supervision tables; the records stored before it are indexed while
// migrating (backfillSupervision).
const supervisionVersion = 11

// backfillPageSupervision is how many stored records one step indexes.
const backfillPageSupervision = 5000

const selectBackfillSupervision = `SELECT id, kind, payload FROM records WHERE id > ? AND kind IN ('crossing', 'set_aside') ORDER BY id LIMIT ?`

// backfillSupervision indexes the crossings and set-aside reads stored before
// supervisionVersion, a page at a time: query returns the page after an id,
// exec runs the page's statements.
func backfillSupervision(query func(after string, limit int) ([]Record, error), exec func([]statement) error) error {
	after := ""
	for {
		recs, err := query(after, backfillPageSupervision)
		if err != nil {
			return err
		}
		fresh := make(map[string]bool, len(recs))
		for _, r := range recs {
			fresh[r.ID] = true
		}
		if err := exec(superviseIn(Batch{Records: recs}, fresh)); err != nil {
			return err
		}
		if len(recs) < backfillPageSupervision {
			return nil
		}
		after = recs[len(recs)-1].ID
	}
}

func scanBackfill(rows rowScanner) ([]Record, error) {
	var out []Record
	for rows.Next() {
		var r Record
		if err := rows.Scan(&r.ID, &r.Kind, &r.Payload); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
