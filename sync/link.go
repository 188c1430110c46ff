package sync

import (
	"context"
	"errors"
	"fmt"
	"github.com/chekara/chekara/sync/wire"
	"log/slog"
	gosync "sync"
	"time"

	"github.com/chekara/chekara/app"
)

// MaxClockOffset is how far the booth's clock may be from HQ's before the status
// bar warns the officer.
const MaxClockOffset = 2 * time.Minute

// Link is the booth's side of sync: it uploads the outbox and pulls lists and
// rules. Its loop (Start) runs on a ticker, wakes at once on a new record
// (Wake), backs off exponentially (capped) while HQ is away and resets on
// success; nothing in it ever waits on the officer or makes the officer wait.
// With the loop off, tests and `bmis sync --once` call Sync step by step.
type Link struct {
	Outbox  Outbox
	HQ      *Client // or any Batcher + Fetcher pair via Batches/Lists below
	Batches Batcher // nil: HQ
	Lists   Fetcher // nil: HQ
	Puller  *Puller // nil: nothing pulled
	BoothID string
	Limits  wire.Limits
	Clock   app.Clock // its timers pace the loop when it has them (app.Timers)
	Log     *slog.Logger
	// Records, when set, wakes the loop (the store's WaitForRecord channel).
	Records <-chan struct{}

	Interval   time.Duration // between rounds while all is well; 0 means 30 s
	PullEvery  time.Duration // between list/rule pulls; 0 means 5 minutes
	MinBackoff time.Duration // first wait after a failure; 0 means 1 s
	MaxBackoff time.Duration // cap of the exponential backoff; 0 means 5 minutes
	// RoundTimeout bounds one upload or pull round, whatever HQ does; 0 means
	// 15 minutes. (Each exchange has its own, shorter bounds: ClientOptions.)
	RoundTimeout time.Duration
	// NoListsWatch turns off the long poll for new lists (watch.go), which a
	// started link with an HQ client runs beside its rounds.
	NoListsWatch bool

	wake   chan struct{}
	once   gosync.Once
	cancel context.CancelFunc
	wg     gosync.WaitGroup

	mu       gosync.Mutex
	state    app.SyncState
	lastPull time.Time
	// One upload and one pull at a time, whoever asks: the loop, or an
	// administrator's "sync now" (SyncNow).
	uploading, pulling gosync.Mutex
}

// Wake asks the loop for a round now (the store calls it after each commit). It
// never blocks.
func (l *Link) Wake() {
	l.init()
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

func (l *Link) init() {
	l.once.Do(func() {
		l.wake = make(chan struct{}, 1)
		if l.Clock == nil {
			l.Clock = app.SystemClock{}
		}
		if l.Log == nil {
			l.Log = slog.Default()
		}
		if l.Limits.MaxRecords <= 0 {
			l.Limits = wire.DefaultLimits
		}
		if l.Batches == nil && l.HQ != nil {
			l.Batches = l.HQ
		}
		if l.Lists == nil && l.HQ != nil {
			l.Lists = l.HQ
		}
		l.state = app.SyncState{Enrolled: true, Pending: -1}
	})
}

// Start runs the loop until Stop or ctx ends: uploads in one goroutine, woken
// by new records, and pulls in another, so an upload never waits behind a
// pull of a large list (or a stalled one).
func (l *Link) Start(ctx context.Context) {
	l.init()
	ctx, l.cancel = context.WithCancel(ctx)
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		l.loop(ctx, func(ctx context.Context) error {
			_, err := l.Upload(ctx)
			return err
		}, orDefault(l.Interval, 30*time.Second), true)
	}()
	if l.Puller != nil { // a link without data sets to pull needs no pull loop
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			l.loop(ctx, l.Pull, orDefault(l.PullEvery, 5*time.Minute), false)
		}()
		if l.HQ != nil && l.Lists == Fetcher(l.HQ) && !l.NoListsWatch {
			l.wg.Add(1)
			go func() {
				defer l.wg.Done()
				l.watchLists(ctx)
			}()
		}
	}
}

// Stop ends the loop and waits for it; an upload in flight is cancelled (HQ
// either committed it, and the next round's resend is a duplicate, or not).
func (l *Link) Stop() {
	if l.cancel != nil {
		l.cancel()
	}
	l.wg.Wait()
}

// loop runs round every interval, backing off after a failure; woken rounds
// (a new record) only when wakes is set.
func (l *Link) loop(ctx context.Context, round func(context.Context) error, interval time.Duration, wakes bool) {
	minB, maxB := orDefault(l.MinBackoff, time.Second), orDefault(l.MaxBackoff, 5*time.Minute)
	backoff := time.Duration(0)
	records, wake := l.Records, l.wake
	if !wakes {
		records, wake = nil, nil
	}
	for {
		rctx, cancel := context.WithTimeout(ctx, orDefault(l.RoundTimeout, 15*time.Minute))
		err := round(rctx)
		cancel()
		if ctx.Err() != nil {
			return
		}
		wait := interval
		if err != nil {
			// Capped exponential backoff while HQ is away or refusing.
			backoff = min(max(backoff*2, minB), maxB)
			wait = backoff
			l.Log.Warn("sync round failed", "err", err, "retry_in", wait)
		} else {
			backoff = 0
		}
		t := app.NewTimer(l.Clock, wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C():
		case <-records:
			t.Stop()
			l.pause(ctx, err, minB)
		case <-wake:
			t.Stop()
			l.pause(ctx, err, minB)
		}
	}
}

// pause waits minB after a failed round before a woken retry, so a busy booth
// does not hammer a sick HQ with every decision.
func (l *Link) pause(ctx context.Context, err error, minB time.Duration) {
	if err == nil {
		return
	}
	t := app.NewTimer(l.Clock, minB)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C():
	}
}

// Sync runs one round: upload everything pending, then pull lists and rules if
// PullEvery has passed (or never pulled). It updates the status and returns the
// first fault.
func (l *Link) Sync(ctx context.Context) error {
	l.init()
	ctx, cancel := context.WithTimeout(ctx, orDefault(l.RoundTimeout, 15*time.Minute))
	defer cancel()
	_, uerr := l.Upload(ctx)
	if app.ErrorCode(uerr) == app.EUNAVAILABLE || ctx.Err() != nil {
		return uerr // no link: pulling would only wait for the same timeout
	}
	l.mu.Lock()
	due := l.lastPull.IsZero() || l.Clock.Now().Sub(l.lastPull) >= orDefault(l.PullEvery, 5*time.Minute)
	l.mu.Unlock()
	if due {
		if err := l.Pull(ctx); uerr == nil {
			return err
		}
		l.note(uerr, true) // the upload's fault stays on the status bar
	}
	return uerr
}

// Upload sends everything pending (see the package function Upload) and
// updates the status.
func (l *Link) Upload(ctx context.Context) (UploadResult, error) {
	l.init()
	if l.Batches == nil {
		return UploadResult{}, app.Errorf(app.EINVALID, "the booth is not enrolled with HQ")
	}
	l.uploading.Lock()
	defer l.uploading.Unlock()
	res, err := UploadWith(ctx, l.Outbox, l.Batches, l.BoothID, l.Limits, l.boothState)
	if err != nil || res.Batches > 0 || l.Puller == nil {
		// Nothing to send reaches no HQ: the pull that follows says how the
		// link is (the last attempt and success are exchanges, not rounds).
		l.note(err, res.Batches > 0)
	}
	if res.Last > 0 || err == nil {
		l.mu.Lock()
		l.state.Pending = int(max(res.Last-res.Sent, 0))
		l.mu.Unlock()
	}
	if err != nil {
		return res, fmt.Errorf("upload: %w", err)
	}
	if res.Alerts > 0 {
		l.Log.Error("HQ holds different content for records this booth sent", "alerts", res.Alerts)
	}
	return res, nil
}

// Pull brings lists and rules up to HQ's versions and updates the status.
func (l *Link) Pull(ctx context.Context) error {
	l.init()
	if l.Puller == nil || l.Lists == nil {
		return nil
	}
	l.pulling.Lock()
	defer l.pulling.Unlock()
	changed, err := l.Puller.Pull(ctx, l.Lists)
	l.note(err, true)
	var forged *ForgedError
	if errors.As(err, &forged) {
		l.mu.Lock()
		// The kind is in the key, so the officer reads "lists" in their language.
		l.state.Problem = &app.Error{Code: app.EUNAUTHORIZED, Key: "sync.forged." + string(forged.Kind),
			Message: fmt.Sprintf("New %s from HQ failed the signature check and were not applied; the booth keeps its current %s. Call the administrator.", forged.Kind, forged.Kind)}
		l.state.LastError = l.state.Problem.Message
		l.mu.Unlock()
		l.Log.Error("envelope signature does not verify", "kind", forged.Kind, "version", forged.Version, "err", forged.Err)
	}
	if err != nil {
		return fmt.Errorf("pull: %w", err)
	}
	l.mu.Lock()
	l.lastPull = l.Clock.Now()
	l.mu.Unlock()
	for _, k := range changed {
		l.Log.Info("applied new version from HQ", "kind", k, "version", l.Puller.Version(k).Version)
	}
	return nil
}

// note records the outcome of an exchange with HQ in the status.
func (l *Link) note(err error, exchanged bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	code := app.ErrorCode(err)
	l.state.LastAttempt = l.Clock.Now()
	// The officer reads a sentence by key; HQ's own words (English, for the
	// administrator) stay in LastError and the log.
	switch {
	case err == nil:
		l.state.Connected = true
		l.state.LastSync = l.Clock.Now()
		l.state.Problem = nil
	case code == app.EUNAVAILABLE:
		l.state.Connected = false
		l.state.Problem = app.Errork(code, "sync.no_link", "No link to HQ — records are kept and will be sent when it returns.")
	case code == app.EUNAUTHORIZED:
		// HQ answered, and refused: the booth is revoked or a list was forged.
		l.state.Connected = true
		l.state.Problem = app.Errork(code, "sync.refused", "HQ refused this booth. Call the administrator.")
		l.state.Problem.Message = "HQ refused this booth: " + app.ErrorMessage(err) + " Call the administrator."
	default:
		l.state.Connected = code != app.EINTERNAL || exchanged
		l.state.Problem = app.Errork(code, "sync.failed", "Sync with HQ failed; records are kept and sent on the next try.")
		l.state.Problem.Message = "Sync with HQ failed: " + app.ErrorMessage(err)
	}
	l.state.LastError = ""
	if l.state.Problem != nil {
		l.state.LastError = l.state.Problem.Message
	}
}

// SyncState reports the link for the booth's status bar (app.SyncStatus). It
// reads only memory: it never blocks on the network or the store.
func (l *Link) SyncState() app.SyncState {
	l.init()
	l.mu.Lock()
	st := l.state
	l.mu.Unlock()
	if l.HQ != nil {
		st.ClockOffset, st.ClockKnown = l.HQ.ClockOffset()
	}
	if l.Puller != nil {
		st.Lists = appVersion(l.Puller.Version(wire.KindLists))
		st.Rules = appVersion(l.Puller.Version(wire.KindRules))
		st.Officers = appVersion(l.Puller.Version(wire.KindDirectory))
	}
	return st
}

// ClockWarning returns a sentence for the officer when the booth's clock is more
// than MaxClockOffset from HQ's, "" otherwise.
func ClockWarning(st app.SyncState) string {
	if !st.ClockKnown {
		return ""
	}
	off := st.ClockOffset
	if off < 0 {
		off = -off
	}
	if off <= MaxClockOffset {
		return ""
	}
	dir := "behind"
	if st.ClockOffset < 0 {
		dir = "ahead of"
	}
	return fmt.Sprintf("This booth's clock is %s %s HQ's. Ask the administrator to set the time.", off.Round(time.Second), dir)
}

func appVersion(v DataVersion) app.Version {
	if v.Version == 0 {
		return app.Version{}
	}
	return app.Version{Name: fmt.Sprintf("v%d", v.Version), At: v.Published, Until: v.ConfirmedUntil()}
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

var _ app.SyncStatus = (*Link)(nil)
