package store

import (
	"context"
	"fmt"
	"time"
)

// AlertClockJump: the booth's clock moved against HQ's by more than
// ClockJump between two batches over the link (set by hand, a dead RTC
// battery, a tampered clock): its records' times are suspect around then.
const AlertClockJump = "clock_jump"

// ClockJump is how far the booth's clock offset may move between two
// batches before HQ raises AlertClockJump. Network delay is well under it.
const ClockJump = 2 * time.Minute

// BoothState is how a booth stood when it built its latest batch
// (wire.BoothState), and when and how HQ received it.
type BoothState struct {
	Booth         string
	ReceivedAt    time.Time // HQ's clock
	Source        string    // "link": the clock offset is meaningful
	BoothClock    time.Time
	Backlog       int64
	OldestPending time.Time // booth clock; zero: nothing pending
	Lists         int64
	Rules         int64
	Directory     int64
}

// ClockOffset is the booth's clock minus HQ's when the batch arrived (a few
// hundred milliseconds of transit included). Only meaningful from the link.
func (s BoothState) ClockOffset() time.Duration { return s.BoothClock.Sub(s.ReceivedAt) }

// BoothHealth is what HQ keeps of each booth's reported state.
type BoothHealth interface {
	// BoothStates returns every booth's latest reported state, by booth id.
	// Booths that never sent one (older booths, media imports) are absent.
	BoothStates(ctx context.Context) ([]BoothState, error)
}

// stateTx is what noteState needs inside a back-end's batch transaction.
type stateTx interface {
	boothState(ctx context.Context, booth string) (BoothState, bool, error)
	putBoothState(ctx context.Context, s BoothState) error
}

// noteState keeps a batch's booth state as the booth's latest and returns an
// AlertClockJump when the clock offset moved by more than ClockJump since the
// last batch over the link.
func noteState(ctx context.Context, tx stateTx, b Batch, at time.Time) ([]Alert, error) {
	if b.State == nil {
		return nil, nil
	}
	st := *b.State
	st.Booth, st.ReceivedAt, st.Source = b.Booth, at, b.Source
	var alerts []Alert
	if st.Source == "link" {
		old, ok, err := tx.boothState(ctx, b.Booth)
		if err != nil {
			return nil, wrap(err, "read state of %s", b.Booth)
		}
		if ok && old.Source == "link" {
			was, now := old.ClockOffset(), st.ClockOffset()
			if d := now - was; d > ClockJump || d < -ClockJump {
				detail := fmt.Appendf(nil, `{"offset_before_s":%.1f,"offset_now_s":%.1f,"booth_clock":%q,"hq_clock":%q}`,
					was.Seconds(), now.Seconds(), st.BoothClock.UTC().Format(time.RFC3339Nano), at.UTC().Format(time.RFC3339Nano))
				alerts = append(alerts, Alert{Reason: AlertClockJump, Booth: b.Booth, Seq: b.To, Kind: "clock", Payload: detail,
					SHA256: []byte{}, StoredSHA256: []byte{}, StoredBooth: b.Booth, Source: b.Source, At: at})
			}
		}
	}
	if err := tx.putBoothState(ctx, st); err != nil {
		return nil, wrap(err, "keep state of %s", b.Booth)
	}
	return alerts, nil
}

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// healthSchema is the table of booths' latest states (migration 10 on both
// back-ends: every column is an integer or text, so one statement serves).
const healthSchema = `CREATE TABLE booth_states (
	booth          TEXT PRIMARY KEY,
	received_at    BIGINT NOT NULL, -- Unix ns, HQ's clock
	source         TEXT NOT NULL,
	booth_clock    BIGINT NOT NULL, -- Unix ns, the booth's clock
	backlog        BIGINT NOT NULL,
	oldest_pending BIGINT NOT NULL, -- Unix ns, booth clock; 0: none
	lists          BIGINT NOT NULL,
	rules          BIGINT NOT NULL,
	directory      BIGINT NOT NULL
)`

const selectStates = `SELECT booth, received_at, source, booth_clock, backlog, oldest_pending, lists, rules, directory FROM booth_states`

func scanState(r interface{ Scan(...any) error }) (BoothState, error) {
	var s BoothState
	var recv, clock, oldest int64
	err := r.Scan(&s.Booth, &recv, &s.Source, &clock, &s.Backlog, &oldest, &s.Lists, &s.Rules, &s.Directory)
	s.ReceivedAt, s.BoothClock, s.OldestPending = fromNanos(recv), fromNanos(clock), fromNanos(oldest)
	return s, err
}

const upsertState = `INSERT INTO booth_states (booth, received_at, source, booth_clock, backlog, oldest_pending, lists, rules, directory)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
	ON CONFLICT (booth) DO UPDATE SET received_at = excluded.received_at, source = excluded.source, booth_clock = excluded.booth_clock,
	backlog = excluded.backlog, oldest_pending = excluded.oldest_pending, lists = excluded.lists, rules = excluded.rules, directory = excluded.directory`

func stateArgs(s BoothState) []any {
	return []any{s.Booth, nanos(s.ReceivedAt), s.Source, nanos(s.BoothClock), s.Backlog, nanos(s.OldestPending), s.Lists, s.Rules, s.Directory}
}
