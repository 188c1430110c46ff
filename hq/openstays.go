package hq

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/rules"
	"github.com/chekara/chekara/assets"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
)

// DefaultOpenStaysEvery is how often `hq serve` recomputes the open stays and
// publishes what changed. The feed is for booths whose link is down; a
// linked booth asks HQ's national history at every swipe.
const DefaultOpenStaysEvery = 15 * time.Minute

// stayRules are the rules the open stays are computed under: HQ's latest
// published rules, else the shipped default.
func (s *Server) stayRules(ctx context.Context) (*rules.RuleSet, error) {
	latest, err := s.store.Latest(ctx, store.Rules)
	if err != nil {
		return nil, err
	}
	if latest == 0 {
		data, err := fs.ReadFile(assets.FS, "rules/kgz.json")
		if err != nil {
			return nil, err
		}
		return rules.Parse(data)
	}
	p, err := s.store.Next(ctx, store.Rules, 0)
	if err != nil {
		return nil, err
	}
	e, err := wire.ParseEnvelope(p.Content, 0)
	if err != nil {
		return nil, fmt.Errorf("rules version %d as stored: %w", p.Version, err)
	}
	return rules.Parse(e.Payload)
}

// PublishOpenStays recomputes the open stays from the history index — every
// traveller who is not a citizen of the rules' country and whose last
// admitted crossing is an entry, with their admitted crossings inside the
// rules' longest window and that last entry — and publishes what changed
// since the latest version as a signed delta (the first version is a
// snapshot). It reports false when nothing changed.
func (s *Server) PublishOpenStays(ctx context.Context) (store.Publication, bool, error) {
	s.staysMu.Lock()
	defer s.staysMu.Unlock()
	rs, err := s.stayRules(ctx)
	if err != nil {
		return store.Publication{}, false, fmt.Errorf("stay rules: %w", err)
	}
	now := s.clock.Now().UTC()
	window := 0
	for _, r := range rs.Rules {
		window = max(window, r.WindowDays)
	}
	if window == 0 {
		window = 365
	}
	from := now.AddDate(0, 0, -window-1)
	fresh := map[string]store.OpenStay{}
	skipped := 0
	err = s.store.ScanTravel(ctx, func(p app.TravellerKey, recs []string) error {
		if p.Nationality == rs.Country {
			return nil
		}
		o, ok, err := openStay(rs, p, recs, now, from)
		if err != nil {
			skipped++
		} else if ok {
			fresh[o.Key] = o
		}
		return nil
	})
	if err != nil {
		return store.Publication{}, false, err
	}
	if skipped > 0 {
		s.log.Warn("open stays: travellers whose stay cannot be written were left out", "count", skipped)
	}
	seen, err := s.store.Latest(ctx, store.OpenStaysKind)
	if err != nil {
		return store.Publication{}, false, err
	}
	held := map[string][32]byte{}
	if err := s.store.OpenStays(ctx, func(o store.OpenStay) error {
		held[o.Key] = stayHash(o)
		return nil
	}); err != nil {
		return store.Publication{}, false, err
	}
	var ch store.OpenStayChanges
	var upserts []string
	for k, o := range fresh {
		if h, ok := held[k]; !ok || h != stayHash(o) {
			ch.Upserts = append(ch.Upserts, o)
			upserts = append(upserts, o.Line)
		}
	}
	for k := range held {
		if _, ok := fresh[k]; !ok {
			ch.Removals = append(ch.Removals, k)
		}
	}
	if seen > 0 && len(ch.Upserts) == 0 && len(ch.Removals) == 0 {
		return store.Publication{}, false, nil
	}
	keys := make([]string, 0, len(fresh))
	for k := range fresh {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	p, err := s.store.PublishOpenStays(ctx, ch, func(latest int64) (store.Publication, error) {
		if latest != seen {
			return store.Publication{}, app.Errorf(app.ECONFLICT, "open stays version %d was published meanwhile", latest)
		}
		v := latest + 1
		var whole bytes.Buffer
		h := sha256.New()
		w := wire.NewOpenStaysWriter(h, v)
		if latest == 0 {
			w = wire.NewOpenStaysWriter(&whole, v)
		}
		for _, k := range keys {
			if err := w.Line(fresh[k].Line); err != nil {
				return store.Publication{}, err
			}
		}
		if err := w.Close(); err != nil {
			return store.Publication{}, err
		}
		e := wire.Envelope{Kind: wire.KindOpenStays, Version: v, Mode: wire.Snapshot, Published: now}
		var digest []byte
		if latest == 0 {
			sum := sha256.Sum256(whole.Bytes())
			digest, e.Payload = sum[:], wire.Gzip(whole.Bytes())
		} else {
			digest = h.Sum(nil)
			delta, err := wire.OpenStaysDelta(latest, v, upserts, ch.Removals)
			if err != nil {
				return store.Publication{}, err
			}
			e.Mode, e.BaseVersion, e.Payload = wire.Delta, latest, wire.Gzip(delta)
		}
		signed, err := wire.SignEnvelope(s.signKey, e)
		if err != nil {
			return store.Publication{}, err
		}
		content, err := wire.MarshalEnvelope(signed)
		if err != nil {
			return store.Publication{}, err
		}
		return store.Publication{Version: v, Delta: e.Mode == wire.Delta, Base: e.BaseVersion, Content: content, SHA256: digest, CreatedAt: now}, nil
	})
	if err != nil {
		return store.Publication{}, false, err
	}
	s.log.Info("published open stays", "version", p.Version, "stays", len(fresh), "opened_or_changed", len(ch.Upserts),
		"closed", len(ch.Removals), "bytes", len(p.Content))
	return p, true, nil
}

// stayHash tells whether a stay changed: its line, or its last permitted day
// (the rules changed) or entry.
func stayHash(o store.OpenStay) [32]byte {
	return sha256.Sum256([]byte(o.Line + "\x00" + o.LastDay + "\x00" + o.EntryPost + "\x00" + strconv.FormatInt(o.EntryAt.Unix(), 10)))
}

// openStay makes a person's open stay from their admitted crossings (stay
// entries, as the index keeps them): false when the last is not an entry.
func openStay(rs *rules.RuleSet, p app.TravellerKey, stays []string, now, from time.Time) (store.OpenStay, bool, error) {
	cs := make([]app.Crossing, 0, len(stays))
	for _, e := range stays {
		sc, err := wire.ParseStayCrossing(e)
		if err != nil {
			continue
		}
		cs = append(cs, app.Crossing{ID: sc.ID, Post: sc.Post, Booth: sc.Booth, Direction: sc.Direction, Decision: app.Admit,
			Document: sc.Document, Traveller: p, BoothTime: sc.At})
	}
	if len(cs) == 0 {
		return store.OpenStay{}, false, nil
	}
	slices.SortStableFunc(cs, func(a, b app.Crossing) int { return a.BoothTime.Compare(b.BoothTime) })
	last := cs[len(cs)-1]
	if last.Direction != app.Entry {
		return store.OpenStay{}, false, nil
	}
	st := wire.OpenStay{Person: p}
	for i, c := range cs {
		if c.BoothTime.Before(from) && i != len(cs)-1 {
			continue
		}
		st.Crossings = append(st.Crossings, wire.StayCrossing{ID: c.ID, At: c.BoothTime.Truncate(time.Second).UTC(), Direction: c.Direction,
			Post: c.Post, Booth: c.Booth, Document: c.Document})
	}
	if n := len(st.Crossings); n > wire.MaxStayCrossings {
		st.Crossings = st.Crossings[n-wire.MaxStayCrossings:]
	}
	line, err := wire.MarshalOpenStay(st)
	if err != nil {
		return store.OpenStay{}, false, err
	}
	o := store.OpenStay{Key: st.Key(), Nationality: p.Nationality, EntryPost: last.Post, EntryAt: last.BoothTime.UTC(), Line: line}
	if stay, err := rs.Evaluate(p.Nationality, cs, now, rules.Query); err == nil && !stay.LastPermittedDay.IsZero() {
		o.LastDay = stay.LastPermittedDay.Format(time.DateOnly)
	}
	return o, true, nil
}

// RunOpenStays publishes the open stays at once and then every interval
// until ctx ends; a failed round is logged and retried at the next.
func (s *Server) RunOpenStays(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = DefaultOpenStaysEvery
	}
	for {
		if _, _, err := s.PublishOpenStays(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("open stays not published", "err", err)
		}
		t := app.NewTimer(s.clock, every)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C():
		}
	}
}

// handleOpenStays answers GET ?have=N: 204 when N is the latest version; a
// signed delta from N when HQ holds every delta since (several composed into
// one); else the whole latest version, built from the published stays.
func (s *Server) handleOpenStays(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get(wire.QueryHave)
	have, err := strconv.ParseInt(q, 10, 64)
	if q == "" {
		have, err = 0, nil
	}
	if err != nil || have < 0 {
		s.fail(w, r, app.Errorf(app.EINVALID, "%s=%q is not a version number", wire.QueryHave, q))
		return
	}
	ctx := r.Context()
	latest, err := s.store.Latest(ctx, store.OpenStaysKind)
	switch {
	case err != nil:
		s.fail(w, r, err)
		return
	case have == latest:
		w.WriteHeader(http.StatusNoContent)
		return
	case have > latest:
		s.fail(w, r, app.Errorf(app.ECONFLICT, "booth holds open stays version %d but HQ's newest is %d", have, latest))
		return
	}
	var e wire.Envelope
	if have > 0 {
		e, err = s.composedDelta(ctx, have)
	}
	if have == 0 || err != nil {
		e, err = s.openStaysSnapshot(ctx)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	e.Format, e.Expires = wire.EnvelopeFormat, s.clock.Now().Add(EnvelopeTTL)
	if !e.Expires.After(e.Published) {
		e.Expires = e.Published.Add(EnvelopeTTL)
	}
	signed, err := wire.SignEnvelope(s.signKey, e)
	if err == nil {
		var body []byte
		if body, err = wire.MarshalEnvelope(signed); err == nil {
			w.Header().Set("Content-Type", wire.ContentTypeJSON)
			w.WriteHeader(http.StatusOK)
			w.Write(body)
			return
		}
	}
	s.fail(w, r, err)
}

// composedDelta is one delta from have to the latest version, composed from
// the deltas published since (for each stay, its last change).
func (s *Server) composedDelta(ctx context.Context, have int64) (wire.Envelope, error) {
	ps, err := s.store.Publications(ctx, store.OpenStaysKind, have)
	if err != nil {
		return wire.Envelope{}, err
	}
	if len(ps) == 0 {
		return wire.Envelope{}, app.Errorf(app.ENOTFOUND, "no open stays after %d", have)
	}
	ops := map[string]string{} // key → "+line" or "-key"
	prev := have
	for _, p := range ps {
		if !p.Delta || p.Base != prev {
			return wire.Envelope{}, app.Errorf(app.ECONFLICT, "open stays chain broken at %d", p.Version)
		}
		prev = p.Version
		e, err := wire.ParseEnvelope(p.Content, 0)
		if err != nil {
			return wire.Envelope{}, err
		}
		data, err := wire.Gunzip(e.Payload, wire.MaxOpenStays)
		if err != nil {
			return wire.Envelope{}, err
		}
		lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
		for _, l := range lines[1:] {
			if len(l) < 2 {
				continue
			}
			body := l[1:]
			k := body
			if l[0] == '+' {
				f := strings.SplitN(body, "\t", 5)
				if len(f) < 5 {
					return wire.Envelope{}, app.Errorf(app.EINVALID, "open stays version %d holds a malformed line", p.Version)
				}
				k = strings.Join(f[:4], "\t")
			}
			ops[k] = l
		}
	}
	last := ps[len(ps)-1]
	var up, rm []string
	for k, op := range ops {
		if op[0] == '+' {
			up = append(up, op[1:])
		} else {
			rm = append(rm, k)
		}
	}
	delta, err := wire.OpenStaysDelta(have, last.Version, up, rm)
	if err != nil {
		return wire.Envelope{}, err
	}
	return wire.Envelope{Kind: wire.KindOpenStays, Version: last.Version, BaseVersion: have, Mode: wire.Delta,
		Published: last.CreatedAt, Digest: last.SHA256, Payload: wire.Gzip(delta)}, nil
}

// openStaysSnapshot is the whole latest version, built from the published
// stays; EUNAVAILABLE if a newer version is published while it is built
// (the booth asks again at its next pull).
func (s *Server) openStaysSnapshot(ctx context.Context) (wire.Envelope, error) {
	latest, err := s.store.Latest(ctx, store.OpenStaysKind)
	if err != nil {
		return wire.Envelope{}, err
	}
	// Building 2 M stays takes seconds: booths enrolled together share it.
	s.snapMu.Lock()
	defer s.snapMu.Unlock()
	if s.snap.Version == latest {
		return s.snap, nil
	}
	ps, err := s.store.Publications(ctx, store.OpenStaysKind, latest-1)
	if err != nil || len(ps) != 1 {
		return wire.Envelope{}, fmt.Errorf("open stays version %d: %v", latest, err)
	}
	var lines []string
	if err := s.store.OpenStays(ctx, func(o store.OpenStay) error {
		lines = append(lines, o.Line)
		return nil
	}); err != nil {
		return wire.Envelope{}, err
	}
	key := func(l string) string {
		f := strings.SplitN(l, "\t", 5)
		return strings.Join(f[:min(4, len(f))], "\t")
	}
	slices.SortFunc(lines, func(a, b string) int { return strings.Compare(key(a), key(b)) })
	var buf bytes.Buffer
	w := wire.NewOpenStaysWriter(&buf, latest)
	for _, l := range lines {
		if err := w.Line(l); err != nil {
			return wire.Envelope{}, err
		}
	}
	if err := w.Close(); err != nil {
		return wire.Envelope{}, err
	}
	if sum := sha256.Sum256(buf.Bytes()); !bytes.Equal(sum[:], ps[0].SHA256) {
		return wire.Envelope{}, app.Errorf(app.EUNAVAILABLE, "HQ is publishing new open stays; ask again shortly")
	}
	s.snap = wire.Envelope{Kind: wire.KindOpenStays, Version: latest, Mode: wire.Snapshot, Published: ps[0].CreatedAt,
		Digest: ps[0].SHA256, Payload: wire.Gzip(buf.Bytes())}
	return s.snap, nil
}
