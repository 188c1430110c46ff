package hq

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
)

// readQuery reads a booth's question of at most max bytes; a larger or
// broken body is answered as an error in words, and ok is false.
func (s *Server) readQuery(w http.ResponseWriter, r *http.Request, max int64, what string) (data []byte, ok bool) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			err = app.Errorf(app.EINVALID, "%s is larger than %d bytes", what, max)
		}
		s.fail(w, r, err)
		return nil, false
	}
	return data, true
}

// handleHistory answers a booth's history query (wire.PathHistory) with the
// traveller's crossings at every post. The query is audited first — the
// booth its certificate names, the officer it says is asking, the keys — so
// no answer ever leaves HQ unrecorded.
func (s *Server) handleHistory(w http.ResponseWriter, r *http.Request) {
	booth := boothFrom(r.Context())
	data, ok := s.readQuery(w, r, wire.MaxHistoryQuery, "history query")
	if !ok {
		return
	}
	wq, err := wire.DecodeHistoryQuery(data)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := wq.Query()
	now := s.clock.Now().UTC()
	id, err := s.store.AuditLookup(r.Context(), store.Lookup{At: now, Booth: booth, OfficerID: q.OfficerID,
		InspectionID: q.InspectionID, Document: q.Document, Person: q.Person})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	recs, err := s.store.History(r.Context(), q.Document, q.Person, q.Limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a := wire.HistoryAnswer{Crossings: make([]json.RawMessage, len(recs)), HQTime: now}
	for i, rec := range recs {
		a.Crossings[i] = rec.Payload
	}
	s.log.Info("history query", "booth", booth, "officer", q.OfficerID, "lookup", id, "crossings", len(recs))
	s.reply(w, http.StatusOK, a)
}
