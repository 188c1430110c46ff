package hq

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/rules"
	"github.com/chekara/chekara/app/screening"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
)

// MaxPublication bounds an imported list or rules file (a national stop list
// plus a lost and stolen document list fits many times over).
const MaxPublication = 256 << 20

// ImportLists publishes a list file (app/screening's format, docs/lists.md):
// a snapshot, or a delta from HQ's latest version. The file names its own
// version, which must be newer than HQ's latest. The file is checked entry by
// entry, wrapped in an envelope signed with the list-signing key and stored.
// Returns EINVALID for a file that does not read, ECONFLICT for a version that is
// not newer or a delta whose base is not HQ's latest version.
func (s *Server) ImportLists(ctx context.Context, data []byte) (store.Publication, error) {
	if len(data) > MaxPublication {
		return store.Publication{}, app.Errorf(app.EINVALID, "list file of %d bytes exceeds %d", len(data), MaxPublication)
	}
	f, err := screening.ReadFile(bytes.NewReader(data))
	if err != nil {
		return store.Publication{}, err
	}
	h := f.Header
	e := wire.Envelope{Kind: wire.KindLists, Version: h.Version, Mode: wire.Snapshot, Published: h.Published, Payload: data}
	var whole []byte
	if f.Delta != nil {
		e.Mode, e.BaseVersion = wire.Delta, h.Base
		if whole, err = s.applyDelta(ctx, f.Delta); err != nil {
			return store.Publication{}, err
		}
	}
	p, err := s.publish(ctx, store.Lists, e, func(int64) int64 { return h.Version }, nil, whole)
	if err == nil {
		s.news.wake() // the booths' long polls pull it at once
	}
	return p, err
}

// applyDelta returns the whole list file that d produces from HQ's latest
// list, so that a booth further behind gets the new version in one answer.
// ECONFLICT when d does not apply to the latest version.
func (s *Server) applyDelta(ctx context.Context, d *screening.Delta) ([]byte, error) {
	latest, err := s.store.Latest(ctx, store.Lists)
	if err != nil {
		return nil, err
	}
	if d.Base != latest {
		return nil, app.Errorf(app.ECONFLICT, "lists delta %d applies to version %d, but HQ's latest is %d: import the delta from %d, or a snapshot", d.Version, d.Base, latest, latest)
	}
	cur, err := s.store.Next(ctx, store.Lists, 0)
	if err != nil {
		return nil, err
	}
	env, err := wire.ParseEnvelope(cur.Content, 0)
	if err != nil {
		return nil, fmt.Errorf("lists version %d as stored: %w", latest, err)
	}
	base, err := screening.ReadList(bytes.NewReader(env.Payload))
	if err != nil {
		return nil, fmt.Errorf("lists version %d as stored: %w", latest, err)
	}
	next, err := base.Apply(d)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := screening.WriteList(&buf, next); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ImportRules publishes a stay rules file (app/rules' format, checked whole
// with rules.Parse, as the booth will) as a snapshot: rules are small and the
// booth takes them whole. Rule files name their versions with strings
// ("kgz-2026-11-25.1"), so the envelope's version is HQ's latest + 1. Returns
// EINVALID for a file rules.Parse refuses, ECONFLICT for the very file that is
// already the latest version.
func (s *Server) ImportRules(ctx context.Context, data []byte) (store.Publication, error) {
	if len(data) > MaxPublication {
		return store.Publication{}, app.Errorf(app.EINVALID, "rules file of %d bytes exceeds %d", len(data), MaxPublication)
	}
	if _, err := rules.Parse(data); err != nil {
		return store.Publication{}, err
	}
	sum := sha256.Sum256(data)
	e := wire.Envelope{Kind: wire.KindRules, Mode: wire.Snapshot, Payload: data}
	return s.publish(ctx, store.Rules, e, func(latest int64) int64 { return latest + 1 }, func(latest store.Publication) error {
		if bytes.Equal(latest.SHA256, sum[:]) {
			return app.Errorf(app.ECONFLICT, "this rules file is already published as version %d", latest.Version)
		}
		return nil
	}, nil)
}

// publish signs e under the version chosen from HQ's latest and stores it.
// fresh, when set, may refuse the file after looking at the latest
// publication. whole, for a delta, is the whole version it produces, stored
// beside it as a signed snapshot envelope.
func (s *Server) publish(ctx context.Context, kind string, e wire.Envelope, version func(latest int64) int64, fresh func(latest store.Publication) error, whole []byte) (store.Publication, error) {
	now := s.clock.Now().UTC()
	if fresh != nil {
		latest, err := s.store.Latest(ctx, kind)
		if err != nil {
			return store.Publication{}, err
		}
		if ps, err := s.store.Publications(ctx, kind, latest-1); err != nil {
			return store.Publication{}, err
		} else if len(ps) == 1 {
			if err := fresh(ps[0]); err != nil {
				return store.Publication{}, err
			}
		}
	}
	if e.Published.IsZero() {
		e.Published = now
	}
	sum := sha256.Sum256(e.Payload)
	p, err := s.store.Publish(ctx, kind, func(latest int64) (store.Publication, error) {
		e.Version = version(latest)
		signed, err := wire.SignEnvelope(s.signKey, e)
		if err != nil {
			return store.Publication{}, err
		}
		content, err := wire.MarshalEnvelope(signed)
		if err != nil {
			return store.Publication{}, err
		}
		p := store.Publication{Version: e.Version, Delta: e.Mode == wire.Delta, Base: e.BaseVersion, Content: content, SHA256: sum[:], CreatedAt: now}
		if whole != nil {
			snap, err := wire.SignEnvelope(s.signKey, wire.Envelope{Kind: e.Kind, Version: e.Version, Mode: wire.Snapshot, Published: e.Published, Payload: whole})
			if err != nil {
				return store.Publication{}, err
			}
			if p.Snapshot, err = wire.MarshalEnvelope(snap); err != nil {
				return store.Publication{}, err
			}
		}
		return p, nil
	})
	if err != nil {
		return store.Publication{}, err
	}
	s.log.Info("published", "kind", kind, "version", p.Version, "delta", p.Delta, "base", p.Base, "bytes", len(e.Payload))
	return p, nil
}
