package store

// Statistics are kept as summary tables maintained at ingest: Apply decodes
// each new crossing once, in the batch's transaction, and adds one to its row
// of crossing_counts (and of hit_counts for each watchlist hit). A statistics
// request then groups a table whose size grows with posts × days × the
// distinct values of the keys, not with crossings, and never decodes a payload.
//
// The tables carry their own version (stats_version) instead of a step in the
// store's migration list, so the summary can be rebuilt from the records
// (backfill) whenever its definition changes, on both back-ends alike.

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
)

// statsVersion is the definition of the summary tables; a store holding an
// older one drops and rebuilds them from its records when it opens.
const statsVersion = 1

// Keys a crossing statistic may be grouped or filtered by.
const (
	KeyPost          = "post"
	KeyBooth         = "booth"
	KeyDirection     = "direction"
	KeyDay           = "day"   // YYYY-MM-DD, the local date at the post (the booth clock's own offset)
	KeyWeek          = "week"  // ISO 8601 week of day, "2026-W49"
	KeyMonth         = "month" // "2026-12"
	KeyNationality   = "nationality"
	KeyDocumentType  = "document_type" // the MRZ document code without fillers: "P", "I", "AC"
	KeyDecision      = "decision"
	KeyRefusalReason = "refusal_reason" // the ground of a refusal; "" for other decisions
	// Hit statistics only.
	KeyCategory   = "category"   // the watchlist category of the entry hit
	KeyResolution = "resolution" // "confirmed" or "false_match"
)

// CrossingKeys are the keys of crossing statistics, in the order rows are sorted.
var CrossingKeys = []string{KeyPost, KeyBooth, KeyMonth, KeyWeek, KeyDay, KeyDirection, KeyNationality, KeyDocumentType, KeyDecision, KeyRefusalReason}

// postDayKeys are the keys of the coarse summary, post_day_counts: a request
// naming no other key reads it instead of crossing_counts, whose rows
// multiply by booths, nationalities and documents (tens of thousands of rows
// a year instead of hundreds of thousands).
var postDayKeys = []string{KeyPost, KeyMonth, KeyWeek, KeyDay, KeyDirection, KeyDecision, KeyRefusalReason}

// boothDayKeys are post_day_counts' keys and the booth: booth_day_counts.
var boothDayKeys = append([]string{KeyBooth}, postDayKeys...)

// HitKeys are the keys of watchlist-hit statistics.
var HitKeys = []string{KeyPost, KeyBooth, KeyMonth, KeyWeek, KeyDay, KeyNationality, KeyCategory, KeyResolution}

// StatsQuery asks for counts grouped by some keys, within a range of days and
// with some keys held to one value.
type StatsQuery struct {
	By    []string          // keys to group by; none: one row of totals
	From  string            // first day, YYYY-MM-DD; "" for no bound
	To    string            // last day, inclusive; "" for no bound
	Where map[string]string // key → the one value it must have
}

// StatsRow is one group: the values of the query's By keys and its counts.
// For hit statistics Count is the number of hits and the decisions are zero.
type StatsRow struct {
	Keys     map[string]string
	Count    int64
	Admitted int64
	Refused  int64
	Referred int64
}

// CheckStatsQuery returns EINVALID when q names a key outside keys or a day
// that is not YYYY-MM-DD.
func CheckStatsQuery(q StatsQuery, keys []string) error {
	known := func(k string) bool {
		for _, x := range keys {
			if x == k {
				return true
			}
		}
		return false
	}
	for _, k := range q.By {
		if !known(k) {
			return app.Errorf(app.EINVALID, "Statistics cannot be grouped by %q; use any of %s.", k, strings.Join(keys, ", "))
		}
	}
	for k := range q.Where {
		if !known(k) {
			return app.Errorf(app.EINVALID, "Statistics cannot be filtered by %q; use any of %s.", k, strings.Join(keys, ", "))
		}
	}
	for _, d := range []string{q.From, q.To} {
		if d == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return app.Errorf(app.EINVALID, "%q is not a date (YYYY-MM-DD).", d)
		}
	}
	return nil
}

// statsSQL builds the grouping query over table for q, with ? placeholders.
// Keys are checked against a fixed list before they become column names.
func statsSQL(table string, q StatsQuery, keys []string) (string, []any, error) {
	if err := CheckStatsQuery(q, keys); err != nil {
		return "", nil, err
	}
	by := make([]string, 0, len(q.By))
	seen := map[string]bool{}
	for _, k := range q.By {
		if !seen[k] {
			seen[k] = true
			by = append(by, k)
		}
	}
	var sb strings.Builder
	sb.WriteString("SELECT ")
	for _, k := range by {
		sb.WriteString(k + ", ")
	}
	if table == "crossing_counts" {
		// CAST: PostgreSQL sums bigints as numeric.
		sb.WriteString(`CAST(COALESCE(SUM(n), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN decision = 'admit' THEN n ELSE 0 END), 0) AS BIGINT),
			CAST(COALESCE(SUM(CASE WHEN decision = 'refuse' THEN n ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN decision = 'refer' THEN n ELSE 0 END), 0) AS BIGINT)`)
	} else {
		sb.WriteString("CAST(COALESCE(SUM(n), 0) AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT)")
	}
	var args []any
	from, to, col := q.From, q.To, "day"
	// The smallest summary that answers: by post and day (a year of it is
	// smaller than the monthly one), else by month for whole months, else
	// the finest.
	if fm, tm, whole := wholeMonths(q.From, q.To); table == "crossing_counts" && within(q, postDayKeys) {
		table = "post_day_counts"
	} else if table == "crossing_counts" && within(q, boothDayKeys) {
		table = "booth_day_counts"
	} else if table == "crossing_counts" && whole && within(q, monthKeys) {
		table, from, to, col = "month_counts", fm, tm, "month"
	} else if table == "crossing_counts" && whole && within(q, boothMonthKeys) {
		table, from, to, col = "booth_month_counts", fm, tm, "month"
	} else if table == "hit_counts" && whole && within(q, hitMonthKeys) {
		table, from, to, col = "hit_month_counts", fm, tm, "month"
	}
	sb.WriteString(" FROM " + table + " WHERE 1 = 1")
	if from != "" {
		sb.WriteString(" AND " + col + " >= ?")
		args = append(args, from)
	}
	if to != "" {
		sb.WriteString(" AND " + col + " <= ?")
		args = append(args, to)
	}
	where := make([]string, 0, len(q.Where))
	for k := range q.Where {
		where = append(where, k)
	}
	sort.Strings(where)
	for _, k := range where {
		sb.WriteString(" AND " + k + " = ?")
		args = append(args, q.Where[k])
	}
	if len(by) > 0 {
		cols := strings.Join(by, ", ")
		sb.WriteString(" GROUP BY " + cols + " ORDER BY " + cols)
	}
	return sb.String(), args, nil
}

// scanStats reads the rows of a statsSQL query grouped by by.
func scanStats(rs rowScanner, by []string) ([]StatsRow, error) {
	by = dedup(by)
	return collect(rs, func(r rowScanner) (StatsRow, error) {
		vals := make([]string, len(by))
		dest := make([]any, 0, len(by)+4)
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		var row StatsRow
		dest = append(dest, &row.Count, &row.Admitted, &row.Refused, &row.Referred)
		if err := r.Scan(dest...); err != nil {
			return row, err
		}
		row.Keys = make(map[string]string, len(by))
		for i, k := range by {
			row.Keys[k] = vals[i]
		}
		return row, nil
	})
}

// within reports whether q groups and filters by keys only.
func within(q StatsQuery, keys []string) bool {
	in := func(k string) bool {
		for _, x := range keys {
			if x == k {
				return true
			}
		}
		return false
	}
	for _, k := range q.By {
		if !in(k) {
			return false
		}
	}
	for k := range q.Where {
		if !in(k) {
			return false
		}
	}
	return true
}

func dedup(keys []string) []string {
	out := make([]string, 0, len(keys))
	seen := map[string]bool{}
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// tally is one row's increment of a summary table.
type tally struct {
	keys [10]string // crossing_counts: day, week, month, post, booth, direction, nationality, document_type, decision, refusal_reason
	n    int64
}

type hitTally struct {
	keys [8]string // hit_counts: day, week, month, post, booth, nationality, category, resolution
	n    int64
}

// summary accumulates the increments of a batch (or of a backfill page), one
// per distinct row, so a batch of 10,000 crossings at one post writes a
// handful of rows.
type summary struct {
	crossings map[[10]string]int64
	posts     map[[7]string]int64 // post_day_counts: day, week, month, post, direction, decision, refusal_reason
	hits      map[[8]string]int64
	months    map[[7]string]int64 // month_counts: month, post, direction, nationality, document_type, decision, refusal_reason
	hitMonths map[[5]string]int64 // hit_month_counts: month, post, nationality, category, resolution
	// booth_month_counts: month, post, booth, direction, nationality, document_type, decision, refusal_reason
	boothMonths map[[8]string]int64
	// booth_day_counts: day, week, month, post, booth, direction, decision, refusal_reason
	boothDays map[[8]string]int64
	skipped   int // crossing payloads that do not decode: stored, never counted
}

func newSummary() *summary {
	return &summary{crossings: map[[10]string]int64{}, posts: map[[7]string]int64{}, hits: map[[8]string]int64{}, months: map[[7]string]int64{}, hitMonths: map[[5]string]int64{}, boothMonths: map[[8]string]int64{}, boothDays: map[[8]string]int64{}}
}

// add counts one record if it is a real crossing. A payload that does not
// decode is kept by the store (it was hashed and acknowledged) but cannot be
// counted; the skip is reported, never an error that would refuse the batch.
func (s *summary) add(kind string, payload []byte) {
	if kind != wire.KindCrossing {
		return
	}
	c, err := wire.DecodeCrossing(payload)
	if err != nil {
		s.skipped++
		return
	}
	s.addCrossing(c)
}

// addCrossing counts one decoded crossing of kind wire.KindCrossing (a
// training one is not counted).
func (s *summary) addCrossing(c app.Crossing) {
	if c.Training {
		return
	}
	day, week, month := periods(c.BoothTime)
	nat := strings.TrimRight(c.Traveller.Nationality, "<")
	reason := ""
	if c.Decision == app.Refuse {
		reason = c.RefusalReason
	}
	s.crossings[[10]string{day, week, month, c.Post, c.Booth, string(c.Direction), nat, strings.TrimRight(c.DocumentCode, "<"), string(c.Decision), reason}]++
	s.posts[[7]string{day, week, month, c.Post, string(c.Direction), string(c.Decision), reason}]++
	s.boothDays[[8]string{day, week, month, c.Post, c.Booth, string(c.Direction), string(c.Decision), reason}]++
	s.months[[7]string{month, c.Post, string(c.Direction), nat, strings.TrimRight(c.DocumentCode, "<"), string(c.Decision), reason}]++
	s.boothMonths[[8]string{month, c.Post, c.Booth, string(c.Direction), nat, strings.TrimRight(c.DocumentCode, "<"), string(c.Decision), reason}]++
	for _, h := range c.Hits {
		res := "false_match"
		if h.Confirmed {
			res = "confirmed"
		}
		s.hits[[8]string{day, week, month, c.Post, c.Booth, nat, h.Category, res}]++
		s.hitMonths[[5]string{month, c.Post, nat, h.Category, res}]++
	}
}

// periods returns the day, ISO week and month of t in the offset the booth
// recorded it with: the local date at the post.
func periods(t time.Time) (day, week, month string) {
	y, w := t.ISOWeek()
	return t.Format(time.DateOnly), fmt.Sprintf("%04d-W%02d", y, w), t.Format("2006-01")
}

// upserts returns the statements (with ? placeholders) that add s to the
// summary tables. Both back-ends accept INSERT … ON CONFLICT DO UPDATE.
func (s *summary) upserts() []statement {
	var out []statement
	for k, n := range s.crossings {
		out = append(out, upsertOf(upsertCrossing, k[:], n))
	}
	for k, n := range s.posts {
		out = append(out, upsertOf(upsertPostDay, k[:], n))
	}
	for k, n := range s.months {
		out = append(out, upsertOf(upsertMonth, k[:], n))
	}
	for k, n := range s.boothDays {
		out = append(out, upsertOf(upsertBoothDay, k[:], n))
	}
	for k, n := range s.boothMonths {
		out = append(out, upsertOf(upsertBoothMonth, k[:], n))
	}
	for k, n := range s.hitMonths {
		out = append(out, upsertOf(upsertHitMonth, k[:], n))
	}
	for k, n := range s.hits {
		out = append(out, upsertOf(upsertHit, k[:], n))
	}
	return out
}

// upsertOf is one summary row's upsert: its keys, then its count.
func upsertOf(sql string, keys []string, n int64) statement {
	args := make([]any, 0, len(keys)+1)
	for _, v := range keys {
		args = append(args, v)
	}
	return statement{sql, append(args, n)}
}

type statement struct {
	sql  string
	args []any
}

const (
	upsertCrossing = `INSERT INTO crossing_counts (day, week, month, post, booth, direction, nationality, document_type, decision, refusal_reason, n)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (day, post, booth, direction, nationality, document_type, decision, refusal_reason)
		DO UPDATE SET n = crossing_counts.n + excluded.n`
	upsertPostDay = `INSERT INTO post_day_counts (day, week, month, post, direction, decision, refusal_reason, n)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (day, post, direction, decision, refusal_reason)
		DO UPDATE SET n = post_day_counts.n + excluded.n`
	upsertMonth = `INSERT INTO month_counts (month, post, direction, nationality, document_type, decision, refusal_reason, n)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (month, post, direction, nationality, document_type, decision, refusal_reason)
		DO UPDATE SET n = month_counts.n + excluded.n`
	upsertBoothDay = `INSERT INTO booth_day_counts (day, week, month, post, booth, direction, decision, refusal_reason, n)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (day, post, booth, direction, decision, refusal_reason)
		DO UPDATE SET n = booth_day_counts.n + excluded.n`
	upsertBoothMonth = `INSERT INTO booth_month_counts (month, post, booth, direction, nationality, document_type, decision, refusal_reason, n)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (month, post, booth, direction, nationality, document_type, decision, refusal_reason)
		DO UPDATE SET n = booth_month_counts.n + excluded.n`
	upsertHitMonth = `INSERT INTO hit_month_counts (month, post, nationality, category, resolution, n)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (month, post, nationality, category, resolution)
		DO UPDATE SET n = hit_month_counts.n + excluded.n`
	upsertHit = `INSERT INTO hit_counts (day, week, month, post, booth, nationality, category, resolution, n)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (day, post, booth, nationality, category, resolution)
		DO UPDATE SET n = hit_counts.n + excluded.n`
)

// statsSchema creates the summary tables (the same text on both back-ends;
// week and month are stored so every grouping is a plain GROUP BY).
var statsSchema = []string{
	`DROP TABLE IF EXISTS crossing_counts`,
	`DROP TABLE IF EXISTS hit_counts`,
	`DROP TABLE IF EXISTS post_day_counts`,
	`DROP TABLE IF EXISTS month_counts`,
	`DROP TABLE IF EXISTS hit_month_counts`,
	`DROP TABLE IF EXISTS booth_month_counts`,
	`DROP TABLE IF EXISTS booth_day_counts`,
	monthSchema,
	hitMonthSchema,
	boothMonthSchema,
	boothDaySchema,
	`CREATE TABLE crossing_counts (
		day            TEXT NOT NULL,
		week           TEXT NOT NULL,
		month          TEXT NOT NULL,
		post           TEXT NOT NULL,
		booth          TEXT NOT NULL,
		direction      TEXT NOT NULL,
		nationality    TEXT NOT NULL,
		document_type  TEXT NOT NULL,
		decision       TEXT NOT NULL,
		refusal_reason TEXT NOT NULL,
		n              BIGINT NOT NULL,
		PRIMARY KEY (day, post, booth, direction, nationality, document_type, decision, refusal_reason)
	)`,
	`CREATE INDEX crossing_counts_post_day ON crossing_counts (post, day)`,
	`CREATE TABLE post_day_counts (
		day            TEXT NOT NULL,
		week           TEXT NOT NULL,
		month          TEXT NOT NULL,
		post           TEXT NOT NULL,
		direction      TEXT NOT NULL,
		decision       TEXT NOT NULL,
		refusal_reason TEXT NOT NULL,
		n              BIGINT NOT NULL,
		PRIMARY KEY (day, post, direction, decision, refusal_reason)
	)`,
	`CREATE TABLE hit_counts (
		day         TEXT NOT NULL,
		week        TEXT NOT NULL,
		month       TEXT NOT NULL,
		post        TEXT NOT NULL,
		booth       TEXT NOT NULL,
		nationality TEXT NOT NULL,
		category    TEXT NOT NULL,
		resolution  TEXT NOT NULL,
		n           BIGINT NOT NULL,
		PRIMARY KEY (day, post, booth, nationality, category, resolution)
	)`,
	`CREATE TABLE IF NOT EXISTS stats_version (version INTEGER NOT NULL)`,
	`DELETE FROM stats_version`,
	fmt.Sprintf(`INSERT INTO stats_version VALUES (%d)`, statsVersion),
}

// monthSchema is the monthly summary: no day, week or booth, so its size is
// bounded by months × posts × nationalities × document types × decisions,
// whatever the number of crossings. Added after statsVersion 1: a store that
// lacks it gets it filled from crossing_counts when it opens (monthFill), no
// rebuild from the records.
const monthSchema = `CREATE TABLE IF NOT EXISTS month_counts (
		month          TEXT NOT NULL,
		post           TEXT NOT NULL,
		direction      TEXT NOT NULL,
		nationality    TEXT NOT NULL,
		document_type  TEXT NOT NULL,
		decision       TEXT NOT NULL,
		refusal_reason TEXT NOT NULL,
		n              BIGINT NOT NULL,
		PRIMARY KEY (month, post, direction, nationality, document_type, decision, refusal_reason)
	)`

// boothMonthSchema is month_counts with the booth: what a question by booth,
// or by booth and nationality, over whole months reads instead of the daily
// crossing_counts (a year of which, at 100 M crossings in three years, is
// about 2.5 M rows and 1.5–2 s to group; docs/benchmarks.md). Bounded by
// months × booths × the keys, like month_counts. Added 2026-12-05: a store
// that lacks it gets it filled from crossing_counts when it opens.
const boothMonthSchema = `CREATE TABLE IF NOT EXISTS booth_month_counts (
		month          TEXT NOT NULL,
		post           TEXT NOT NULL,
		booth          TEXT NOT NULL,
		direction      TEXT NOT NULL,
		nationality    TEXT NOT NULL,
		document_type  TEXT NOT NULL,
		decision       TEXT NOT NULL,
		refusal_reason TEXT NOT NULL,
		n              BIGINT NOT NULL,
		PRIMARY KEY (month, post, booth, direction, nationality, document_type, decision, refusal_reason)
	)`

// boothDaySchema is post_day_counts by booth: a question by booth and day
// (or week) reads it, not crossing_counts, which also splits every booth-day
// by nationality and document. Added 2026-12-05, filled on open like
// booth_month_counts.
const boothDaySchema = `CREATE TABLE IF NOT EXISTS booth_day_counts (
		day            TEXT NOT NULL,
		week           TEXT NOT NULL,
		month          TEXT NOT NULL,
		post           TEXT NOT NULL,
		booth          TEXT NOT NULL,
		direction      TEXT NOT NULL,
		decision       TEXT NOT NULL,
		refusal_reason TEXT NOT NULL,
		n              BIGINT NOT NULL,
		PRIMARY KEY (day, post, booth, direction, decision, refusal_reason)
	)`

// hitMonthSchema is the monthly summary of watchlist hits, bounded as
// month_counts is.
const hitMonthSchema = `CREATE TABLE IF NOT EXISTS hit_month_counts (
		month       TEXT NOT NULL,
		post        TEXT NOT NULL,
		nationality TEXT NOT NULL,
		category    TEXT NOT NULL,
		resolution  TEXT NOT NULL,
		n           BIGINT NOT NULL,
		PRIMARY KEY (month, post, nationality, category, resolution)
	)`

// monthFill fills an empty month_counts from crossing_counts; monthEmpty
// tells whether it needs it (1: month_counts is empty and crossing_counts is not).
const (
	monthFill = `INSERT INTO month_counts (month, post, direction, nationality, document_type, decision, refusal_reason, n)
		SELECT month, post, direction, nationality, document_type, decision, refusal_reason, SUM(n) FROM crossing_counts
		GROUP BY month, post, direction, nationality, document_type, decision, refusal_reason`
	monthEmpty   = `SELECT CASE WHEN EXISTS (SELECT 1 FROM month_counts) THEN 0 WHEN EXISTS (SELECT 1 FROM crossing_counts) THEN 1 ELSE 0 END`
	hitMonthFill = `INSERT INTO hit_month_counts (month, post, nationality, category, resolution, n)
		SELECT month, post, nationality, category, resolution, SUM(n) FROM hit_counts
		GROUP BY month, post, nationality, category, resolution`
	hitMonthEmpty  = `SELECT CASE WHEN EXISTS (SELECT 1 FROM hit_month_counts) THEN 0 WHEN EXISTS (SELECT 1 FROM hit_counts) THEN 1 ELSE 0 END`
	boothMonthFill = `INSERT INTO booth_month_counts (month, post, booth, direction, nationality, document_type, decision, refusal_reason, n)
		SELECT month, post, booth, direction, nationality, document_type, decision, refusal_reason, SUM(n) FROM crossing_counts
		GROUP BY month, post, booth, direction, nationality, document_type, decision, refusal_reason`
	boothDayFill = `INSERT INTO booth_day_counts (day, week, month, post, booth, direction, decision, refusal_reason, n)
		SELECT day, week, month, post, booth, direction, decision, refusal_reason, SUM(n) FROM crossing_counts
		GROUP BY day, week, month, post, booth, direction, decision, refusal_reason`
	boothDayEmpty   = `SELECT CASE WHEN EXISTS (SELECT 1 FROM booth_day_counts) THEN 0 WHEN EXISTS (SELECT 1 FROM crossing_counts) THEN 1 ELSE 0 END`
	boothMonthEmpty = `SELECT CASE WHEN EXISTS (SELECT 1 FROM booth_month_counts) THEN 0 WHEN EXISTS (SELECT 1 FROM crossing_counts) THEN 1 ELSE 0 END`
)

// hitMonthKeys are the keys hit_month_counts answers.
var hitMonthKeys = []string{KeyPost, KeyMonth, KeyNationality, KeyCategory, KeyResolution}

// monthKeys are the keys month_counts answers.
var monthKeys = []string{KeyPost, KeyMonth, KeyDirection, KeyNationality, KeyDocumentType, KeyDecision, KeyRefusalReason}

// boothMonthKeys are the keys booth_month_counts answers.
var boothMonthKeys = append([]string{KeyBooth}, monthKeys...)

// wholeMonths turns a day range into a month range when it covers whole
// months (or is open), for month_counts; ok false otherwise.
func wholeMonths(from, to string) (string, string, bool) {
	var fm, tm string
	if from != "" {
		t, err := time.Parse(time.DateOnly, from)
		if err != nil || t.Day() != 1 {
			return "", "", false
		}
		fm = t.Format("2006-01")
	}
	if to != "" {
		t, err := time.Parse(time.DateOnly, to)
		if err != nil || t.AddDate(0, 0, 1).Day() != 1 {
			return "", "", false
		}
		tm = t.Format("2006-01")
	}
	return fm, tm, true
}

// backfillPage is how many records a rebuild of the summary reads at a time.
const backfillPage = 5000

// dollar turns ? placeholders into PostgreSQL's $1, $2, …
func dollar(q string) string {
	var sb strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&sb, "$%d", n)
			continue
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// errStats wraps a statistics read.
func errStats(err error) error { return wrap(err, "read statistics") }

// statsOf picks the table and keys of a statistics kind.
func statsOf(hits bool) (string, []string) {
	if hits {
		return "hit_counts", HitKeys
	}
	return "crossing_counts", CrossingKeys
}

// fillMonths gives a store of statsVersion 1 made before month_counts (or
// booth_month_counts) its monthly summaries, summed from crossing_counts
// (seconds, not a rebuild).
func fillMonths(exec func(string) error, one func(string) (int, error)) error {
	for _, m := range [][3]string{{monthSchema, monthEmpty, monthFill}, {hitMonthSchema, hitMonthEmpty, hitMonthFill},
		{boothMonthSchema, boothMonthEmpty, boothMonthFill}, {boothDaySchema, boothDayEmpty, boothDayFill}} {
		if err := exec(m[0]); err != nil {
			return err
		}
		need, err := one(m[1])
		if err != nil {
			return err
		}
		if need == 1 {
			if err := exec(m[2]); err != nil {
				return err
			}
		}
	}
	return nil
}

// addRows counts every row of `SELECT id, kind, payload FROM records` (a page of
// a rebuild), leaving the last id in after; it returns how many rows it read.
func (s *summary) addRows(rows rowScanner, after *string) (int, error) {
	n := 0
	for rows.Next() {
		var kind string
		var payload []byte
		if err := rows.Scan(after, &kind, &payload); err != nil {
			return n, err
		}
		s.add(kind, payload)
		n++
	}
	return n, rows.Err()
}
