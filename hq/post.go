package hq

import (
	"encoding/json"
	"net/http"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
)

// handlePost answers a booth's question about its post (wire.PathPost): the
// shifts HQ knows of the post's booths, or one shift's records. A booth asks
// only about its own post — the post HQ enrolled it at, not what the query
// says — and every question is audited (store.PostLookup) before HQ answers.
func (s *Server) handlePost(w http.ResponseWriter, r *http.Request) {
	booth := boothFrom(r.Context())
	data, ok := s.readQuery(w, r, wire.MaxPostQuery, "post query")
	if !ok {
		return
	}
	q, err := wire.DecodePostQuery(data)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := s.store.Booth(r.Context(), booth)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if q.Post != b.Post {
		s.log.Warn("post query for another post", "booth", booth, "post", b.Post, "asked", q.Post, "officer", q.OfficerID)
		s.fail(w, r, app.Errorf(app.EUNAUTHORIZED, "booth %s serves post %s, not %s", booth, b.Post, q.Post))
		return
	}
	now := s.clock.Now().UTC()
	what := "shifts"
	switch {
	case q.Referrals:
		what = "referrals"
	case q.ShiftID != "":
		what = "shift"
	}
	id, err := s.store.AuditPostLookup(r.Context(), store.PostLookup{At: now, Booth: booth, Post: b.Post, OfficerID: q.OfficerID, What: what, ShiftID: q.ShiftID})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a := wire.PostAnswer{HQTime: now}
	if q.Referrals {
		recs, err := s.store.PendingReferrals(r.Context(), b.Post, q.Since, 0)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, rec := range recs {
			a.Records = append(a.Records, wire.PostRecord{Kind: rec.Kind, Payload: json.RawMessage(rec.Payload)})
		}
		s.log.Info("post query", "booth", booth, "officer", q.OfficerID, "lookup", id, "referrals", len(a.Records))
		s.reply(w, http.StatusOK, a)
		return
	}
	shifts, err := s.store.PostShifts(r.Context(), b.Post, wire.MaxPostShifts)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, p := range shifts {
		if q.ShiftID != "" && p.ShiftID != q.ShiftID {
			continue
		}
		a.Shifts = append(a.Shifts, wire.PostShift{ID: p.ShiftID, Post: p.Post, Booth: p.Booth, Officer: p.Officer,
			Direction: p.Direction, FirstAt: p.FirstAt, LastAt: p.LastAt, Crossings: int(p.Crossings), Admitted: int(p.Admitted),
			Refused: int(p.Refused), Referred: int(p.Referred), SetAside: int(p.SetAside), Overrides: int(p.Overrides), SignedOff: p.SignedOff})
	}
	if q.ShiftID != "" {
		recs, err := s.store.ShiftRecords(r.Context(), b.Post, q.ShiftID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, rec := range recs {
			a.Records = append(a.Records, wire.PostRecord{Kind: rec.Kind, Payload: json.RawMessage(rec.Payload)})
		}
	}
	s.log.Info("post query", "booth", booth, "officer", q.OfficerID, "lookup", id, "shift", q.ShiftID, "shifts", len(a.Shifts), "records", len(a.Records))
	s.reply(w, http.StatusOK, a)
}
