package hq

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/screening"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync"
)

// MaxPublication bounds an imported list or rules file (a national stop list
// plus a lost and stolen document list fits many times over).
const MaxPublication = 256 << 20

// ImportLists publishes a list file (app/screening's format, docs/lists.md):
// a snapshot, or a delta whose base HQ has published. The file names its own
// version, which must be newer than HQ's latest. The file is checked entry by
// entry, wrapped in an envelope signed with the list-signing key and stored.
// Returns EINVALID for a file that does not read, ECONFLICT for a version that is
// not newer or a delta from a version HQ never published.
func (s *Server) ImportLists(ctx context.Context, data []byte) (store.Publication, error) {
	if len(data) > MaxPublication {
		return store.Publication{}, app.Errorf(app.EINVALID, "list file of %d bytes exceeds %d", len(data), MaxPublication)
	}
	f, err := screening.ReadFile(bytes.NewReader(data))
	if err != nil {
		return store.Publication{}, err
	}
	h := f.Header
	e := sync.Envelope{Kind: sync.KindLists, Version: h.Version, Mode: sync.Snapshot, Published: h.Published, Payload: data}
	if f.Delta != nil {
		e.Mode, e.BaseVersion = sync.Delta, h.Base
	}
	return s.publish(ctx, store.Lists, e, func(int64) int64 { return h.Version })
}

// ImportRules publishes a stay rules file as a snapshot (rules are small; the
// booth takes them whole). Its version is the file's top-level "version" when
// it has one, else HQ's latest + 1. Returns EINVALID for a file that is not a
// JSON object, ECONFLICT for a version that is not newer.
func (s *Server) ImportRules(ctx context.Context, data []byte) (store.Publication, error) {
	if len(data) > MaxPublication {
		return store.Publication{}, app.Errorf(app.EINVALID, "rules file of %d bytes exceeds %d", len(data), MaxPublication)
	}
	var head struct {
		Version json.RawMessage `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return store.Publication{}, app.Errorf(app.EINVALID, "rules file is not a JSON object: %v", err)
	}
	// app/rules names its versions with strings ("kgz-2026-11-25.1"); only a
	// numeric version is taken as the envelope's, a string one gets latest + 1.
	var number *int64
	if n := int64(0); json.Unmarshal(head.Version, &n) == nil {
		number = &n
	}
	if ValidateRules != nil {
		if err := ValidateRules(data); err != nil {
			return store.Publication{}, err
		}
	}
	e := sync.Envelope{Kind: sync.KindRules, Mode: sync.Snapshot, Payload: data}
	return s.publish(ctx, store.Rules, e, func(latest int64) int64 {
		if number != nil {
			return *number
		}
		return latest + 1
	})
}

// ValidateRules, when set, checks a rules file before it is published (the
// app/rules parser, wired by whoever links it). It returns EINVALID.
var ValidateRules func(data []byte) error

func (s *Server) publish(ctx context.Context, kind string, e sync.Envelope, version func(latest int64) int64) (store.Publication, error) {
	now := s.clock.Now().UTC()
	if e.Published.IsZero() {
		e.Published = now
	}
	sum := sha256.Sum256(e.Payload)
	p, err := s.store.Publish(ctx, kind, func(latest int64) (store.Publication, error) {
		e.Version = version(latest)
		signed, err := sync.SignEnvelope(s.signKey, e)
		if err != nil {
			return store.Publication{}, err
		}
		content, err := sync.MarshalEnvelope(signed)
		if err != nil {
			return store.Publication{}, err
		}
		return store.Publication{Version: e.Version, Delta: e.Mode == sync.Delta, Base: e.BaseVersion, Content: content, SHA256: sum[:], CreatedAt: now}, nil
	})
	if err != nil {
		return store.Publication{}, err
	}
	s.log.Info("published", "kind", kind, "version", p.Version, "delta", p.Delta, "base", p.Base, "bytes", len(e.Payload))
	return p, nil
}
