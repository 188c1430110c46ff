package hq

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/pki"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
)

type ctxKey int

const boothKey ctxKey = 0

// Handler is HQ's HTTP API (sync's endpoints). It expects requests that came
// over mutual TLS: a request without a verified client certificate is refused.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+wire.PathBatches, s.handleBatch)
	mux.HandleFunc("GET "+wire.PathLists, s.handlePublication(store.Lists, wire.KindLists))
	mux.HandleFunc("GET "+wire.PathRules, s.handlePublication(store.Rules, wire.KindRules))
	mux.HandleFunc("GET "+wire.PathMasterList, s.handlePublication(store.MasterList, wire.KindMasterList))
	mux.HandleFunc("GET "+wire.PathDirectory, s.handleDirectory)
	mux.HandleFunc("GET "+wire.PathHealth, s.handleHealth)
	mux.HandleFunc("POST "+wire.PathHistory, s.handleHistory)
	mux.HandleFunc("POST "+wire.PathPost, s.handlePost) // post.go
	mux.HandleFunc("GET "+wire.PathOpenStays, s.handleOpenStays)
	mux.HandleFunc("GET "+wire.PathListsWait, s.handleListsWait)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, app.Errorf(app.ENOTFOUND, "no such endpoint: %s %s", r.Method, r.URL.Path))
	})
	return s.authenticate(mux)
}

// statusWriter remembers the status for the access log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// authenticate puts HQ's clock on every answer, ties the request to the booth
// its client certificate names, and refuses certificates HQ never issued (or
// issued to another name) and revoked ones. The check reads the store on every
// request, so `hq booth revoke` in another process cuts a booth off at once,
// even on a kept-alive connection.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		w.Header().Set(wire.HeaderTime, s.clock.Now().UTC().Format(time.RFC3339Nano))
		sw := &statusWriter{ResponseWriter: w}
		booth, err := s.boothOf(r)
		r = r.WithContext(context.WithValue(r.Context(), boothKey, booth))
		if err != nil {
			s.fail(sw, r, err)
		} else {
			next.ServeHTTP(sw, r)
		}
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "booth", booth, "remote", r.RemoteAddr,
			"status", sw.status, "ms", time.Since(start).Milliseconds())
	})
}

func (s *Server) boothOf(r *http.Request) (string, error) {
	if r.TLS == nil || len(r.TLS.VerifiedChains) == 0 || len(r.TLS.VerifiedChains[0]) == 0 {
		return "", app.Errorf(app.EUNAUTHORIZED, "a booth certificate issued by this HQ is required")
	}
	return s.checkCert(r.Context(), r.TLS.VerifiedChains[0][0])
}

// checkCert accepts a booth certificate that chains to HQ's CA (verified by the
// caller) only if the store knows its serial for the booth it names and it is
// not revoked.
func (s *Server) checkCert(ctx context.Context, c *x509.Certificate) (string, error) {
	booth := wire.BoothIDFromCert(c)
	rec, err := s.store.Certificate(ctx, pki.Serial(c))
	if app.ErrorCode(err) == app.ENOTFOUND {
		return booth, app.Errorf(app.EUNAUTHORIZED, "certificate %s for booth %q is unknown to this HQ; enrol the booth again", pki.Serial(c), booth)
	} else if err != nil {
		return booth, err
	}
	if rec.Booth != booth {
		return booth, app.Errorf(app.EUNAUTHORIZED, "certificate %s names booth %q but was issued to %q", pki.Serial(c), booth, rec.Booth)
	}
	if !rec.RevokedAt.IsZero() {
		return booth, app.Errorf(app.EUNAUTHORIZED, "booth %s's certificate was revoked on %s", booth, rec.RevokedAt.Format(time.RFC3339))
	}
	return booth, nil
}

func boothFrom(ctx context.Context) string {
	b, _ := ctx.Value(boothKey).(string)
	return b
}

// handleBatch decodes a batch (bounded, hashes verified by wire.DecodeBatch),
// checks that it is the certificate's booth's, and applies it.
func (s *Server) handleBatch(w http.ResponseWriter, r *http.Request) {
	booth := boothFrom(r.Context())
	body := http.MaxBytesReader(w, r.Body, s.cfg.Limits.MaxEncoded+1)
	b, err := wire.DecodeBatch(body, s.cfg.Limits)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			err = app.Errorf(app.EINVALID, "batch is larger than %d bytes", s.cfg.Limits.MaxEncoded)
		}
		s.fail(w, r, err)
		return
	}
	if b.BoothID != booth {
		s.fail(w, r, app.Errorf(app.EUNAUTHORIZED, "batch names booth %q but the certificate is booth %q's", b.BoothID, booth))
		return
	}
	ack, err := s.apply(r.Context(), b, "link")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.reply(w, http.StatusOK, ack)
}

// supervisorOf checks a sign-off's or a refusal confirmation's supervisor
// against HQ's own accounts: the booth checked the role against the directory
// HQ published, but a booth is not trusted to say who supervises a post. It
// returns why the record is refused ("" when it stands, or is of another
// kind); a refused record is kept as an alert for HQ's administrators, never
// stored or counted. A supervisor disabled or moved while a booth worked
// offline is refused too: the alert shows who signed, where and when. A post
// whose officers HQ does not administer (no account names it: a booth whose
// officers were set up locally, the demo) keeps the booth's word.
func (s *Server) supervisorOf(ctx context.Context, r wire.Record) string {
	var who, post string
	switch r.Kind {
	case wire.KindSignOff:
		so, err := wire.DecodeSignOff(r.Payload)
		if err != nil {
			return ""
		}
		who, post = so.SupervisorID, so.Post
	case wire.KindRefusalConfirmation:
		c, err := wire.DecodeConfirmation(r.Payload)
		if err != nil {
			return ""
		}
		who, post = c.SupervisorID, c.Post
	default:
		return ""
	}
	a, err := s.store.Account(ctx, who)
	switch {
	case app.ErrorCode(err) == app.ENOTFOUND:
		if !s.administers(ctx, post) {
			return ""
		}
		return fmt.Sprintf("%s by %s, who has no account at HQ", r.Kind, who)
	case err != nil:
		return "" // HQ cannot tell now: the booth's check stands
	case a.Role != app.RoleSupervisor:
		return fmt.Sprintf("%s by %s, whose role at HQ is %s, not supervisor", r.Kind, who, a.Role)
	case a.Disabled:
		return fmt.Sprintf("%s by %s, whose account at HQ is disabled", r.Kind, who)
	case !slices.Contains(a.Posts, post):
		return fmt.Sprintf("%s by %s, who is not a supervisor of post %s at HQ", r.Kind, who, post)
	}
	return ""
}

// administers reports whether HQ holds the officers of post (an account
// names it); on a read failure it says yes, so the check stands.
func (s *Server) administers(ctx context.Context, post string) bool {
	all, err := s.store.AccountList(ctx)
	if err != nil {
		return true
	}
	for _, a := range all {
		if slices.Contains(a.Posts, post) {
			return true
		}
	}
	return false
}

// apply is the one exactly-once path for batches, whether they came over the
// link or on removable media. Every record is checked against its kind's wire
// format first; one that fails is kept as an alert, never stored.
func (s *Server) apply(ctx context.Context, b wire.Batch, source string) (wire.Ack, error) {
	sb := store.Batch{Booth: b.BoothID, From: b.First, To: b.Last, Source: source, Records: make([]store.Record, len(b.Records))}
	for i, r := range b.Records {
		sum := r.SHA256
		sb.Records[i] = store.Record{Booth: b.BoothID, Seq: r.Seq, ID: r.ID, Kind: r.Kind, Payload: r.Payload, SHA256: sum[:]}
		if r.Kind == wire.KindCrossing {
			// Decoded once, here; the store indexes and counts it as is.
			if c, err := wire.ValidateCrossing(b.BoothID, r); err != nil {
				sb.Records[i].Invalid = app.ErrorMessage(err)
			} else {
				sb.Records[i].Crossing = &c
			}
		} else if err := wire.ValidateRecord(b.BoothID, r); err != nil {
			sb.Records[i].Invalid = app.ErrorMessage(err)
		} else if why := s.supervisorOf(ctx, r); why != "" {
			sb.Records[i].Invalid = why
		}
	}
	if b.Format >= 2 {
		head, proof := b.Head.Hash, b.Proof.Hash
		sb.Anchor = &store.Anchor{HeadSeq: b.Head.Seq, Head: head[:], ProofSeq: b.Proof.Seq, Proof: proof[:]}
	} else {
		s.log.Warn("batch without audit anchor (booth older than batch format 2): stored unanchored", "booth", b.BoothID, "first", b.First, "last", b.Last)
	}
	if st := b.State; st != nil {
		sb.State = &store.BoothState{BoothClock: st.Clock, Backlog: st.Backlog, OldestPending: st.OldestPending,
			Lists: st.Lists, Rules: st.Rules, Directory: st.Directory}
	}
	now := s.clock.Now().UTC()
	res, err := s.store.Apply(ctx, sb, now)
	if err != nil {
		return wire.Ack{}, err
	}
	for _, a := range res.Alerts {
		s.log.Error("ALERT "+a.Reason, "record", a.RecordID, "booth", a.Booth, "seq", a.Seq, "kind", a.Kind,
			"stored_booth", a.StoredBooth, "stored_sha256", hexs(a.StoredSHA256), "new_sha256", hexs(a.SHA256), "source", source, "alert_id", a.ID)
	}
	s.log.Info("batch applied", "booth", b.BoothID, "first", b.First, "last", b.Last, "records", len(b.Records),
		"stored", res.Stored, "duplicates", res.Duplicates, "alerts", len(res.Alerts), "high_water", res.Mark, "replay", res.Replay,
		"audit_seq", res.AuditSeq, "source", source)
	return wire.Ack{BoothID: b.BoothID, HighWater: res.Mark, HQTime: now, Stored: res.Stored, Duplicates: res.Duplicates,
		Alerts: len(res.Alerts), AuditSeq: res.AuditSeq}, nil
}

func hexs(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i], out[2*i+1] = digits[c>>4], digits[c&15]
	}
	return string(out)
}

// handlePublication answers GET ?have=N: 204 when N is current, else one
// signed envelope that brings the booth to the latest version: the latest
// delta when N is its base, else the whole latest version (for a list delta,
// the list HQ built by applying it). A booth back after days offline is
// current after one answer.
func (s *Server) handlePublication(kind string, ekind wire.EnvelopeKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		have, err := strconv.ParseInt(r.URL.Query().Get(wire.QueryHave), 10, 64)
		if r.URL.Query().Get(wire.QueryHave) == "" {
			have, err = 0, nil
		}
		if err != nil || have < 0 {
			s.fail(w, r, app.Errorf(app.EINVALID, "%s=%q is not a version number", wire.QueryHave, r.URL.Query().Get(wire.QueryHave)))
			return
		}
		latest, err := s.store.Latest(r.Context(), kind)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		switch {
		case have == latest:
			s.noChange(w, ekind, latest)
			return
		case have > latest:
			s.fail(w, r, app.Errorf(app.ECONFLICT, "booth holds %s version %d but HQ's newest is %d", kind, have, latest))
			return
		}
		p, err := s.store.Next(r.Context(), kind, have)
		if err != nil {
			if app.ErrorCode(err) == app.ENOTFOUND {
				err = app.Errorf(app.ECONFLICT, "HQ has no %s version newer than %d", kind, have)
			}
			s.fail(w, r, err)
			return
		}
		body, err := s.answerEnvelope(p)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", wire.ContentTypeJSON)
		w.WriteHeader(http.StatusOK)
		w.Write(body)
	}
}

// noChange answers 204 with HQ's signed word that version is its latest of
// kind (wire.Confirmation), good for EnvelopeTTL: a booth whose data goes
// unconfirmed for longer flags it (an HQ frozen in time, or something
// answering 204 in its place, cannot sign a fresh one).
func (s *Server) noChange(w http.ResponseWriter, kind wire.EnvelopeKind, version int64) {
	now := s.clock.Now()
	if c, err := wire.SignConfirmation(s.signKey, wire.Confirmation{Kind: kind, Version: version, At: now, Expires: now.Add(EnvelopeTTL)}); err == nil {
		w.Header().Set(wire.HeaderConfirmation, c.Header())
	}
	w.WriteHeader(http.StatusNoContent)
}

// EnvelopeTTL is how long an envelope HQ hands out stays fresh: a booth that
// gets an older answer (replayed, or from an HQ frozen in time) refuses it.
const EnvelopeTTL = 24 * time.Hour

// answerEnvelope re-signs a stored publication as it goes out, in the current
// envelope format: its expiry counts from now, and its digest is the SHA-256
// of the whole file it produces at the booth (for a delta, of the version it
// stores beside it), so the booth can verify that file at rest.
func (s *Server) answerEnvelope(p store.Publication) ([]byte, error) {
	e, err := wire.ParseEnvelope(p.Content, 0)
	if err != nil {
		return nil, fmt.Errorf("%s version %d as stored: %w", p.Kind, p.Version, err)
	}
	whole := e.Payload
	if e.Mode == wire.Delta {
		snap, err := wire.ParseEnvelope(p.Snapshot, 0)
		if err != nil {
			return nil, fmt.Errorf("%s version %d's whole file as stored: %w", p.Kind, p.Version, err)
		}
		whole = snap.Payload
	}
	sum := sha256.Sum256(whole)
	e.Format, e.Digest = wire.EnvelopeFormat, sum[:]
	e.Expires = s.clock.Now().Add(EnvelopeTTL)
	if !e.Expires.After(e.Published) {
		e.Expires = e.Published.Add(EnvelopeTTL) // a file published "in the future" by HQ's clock
	}
	signed, err := wire.SignEnvelope(s.signKey, e)
	if err != nil {
		return nil, err
	}
	return wire.MarshalEnvelope(signed)
}

// handleDirectory answers GET ?have=N with the officer directory of the
// certificate's booth's post: 204 when N is HQ's directory version, else the
// whole directory at that version, signed.
func (s *Server) handleDirectory(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get(wire.QueryHave)
	have, err := strconv.ParseInt(q, 10, 64)
	if q == "" {
		have, err = 0, nil
	}
	if err != nil || have < 0 {
		s.fail(w, r, app.Errorf(app.EINVALID, "%s=%q is not a version number", wire.QueryHave, q))
		return
	}
	// The common answer, nothing changed, costs one read of the chain's head.
	head, err := s.store.AdminHead(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if have == head.Seq {
		s.noChange(w, wire.KindDirectory, have)
		return
	}
	b, err := s.store.Booth(r.Context(), boothFrom(r.Context()))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	e, ok, err := s.Directory(r.Context(), b.Post)
	switch {
	case err != nil:
		s.fail(w, r, err)
		return
	case !ok && have == 0, ok && e.Version == have:
		s.noChange(w, wire.KindDirectory, have)
		return
	case !ok || have > e.Version:
		s.fail(w, r, app.Errorf(app.ECONFLICT, "booth holds directory version %d but HQ's newest is %d", have, e.Version))
		return
	}
	body, err := wire.MarshalEnvelope(e)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", wire.ContentTypeJSON)
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// HealthHandler answers GET /v1/health without a client certificate, for a
// monitoring agent that holds no booth certificate: it tells only whether HQ's
// store answers, and HQ's time. hq serve --health puts it on its own plain-HTTP
// address (loopback, typically); nothing else is served there.
func (s *Server) HealthHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+wire.PathHealth, s.handleHealth)
	return mux
}

// HealthServer is the plain-HTTP server for HealthHandler, bounded so that a
// monitoring agent, or anyone on that address, cannot hold connections open:
// headers within 5 s, the whole request within 10 s, the answer within 10 s,
// idle keep-alive connections closed after Config.HealthIdleTimeout.
func (s *Server) HealthServer() *http.Server {
	idle := s.cfg.HealthIdleTimeout
	if idle <= 0 {
		idle = 30 * time.Second
	}
	return &http.Server{Handler: s.HealthHandler(), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 10 * time.Second, IdleTimeout: idle, MaxHeaderBytes: 16 << 10,
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.log.Error("store unreachable", "err", err)
		s.fail(w, r, app.Errorf(app.EUNAVAILABLE, "HQ's store is not answering"))
		return
	}
	h := wire.Health{Status: "ok", HQTime: s.clock.Now().UTC(), BoothID: boothFrom(r.Context())}
	if pg, ok := s.store.(*store.Postgres); ok && s.cfg.RequireStandby {
		rep, err := pg.Replication(ctx)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		h.Standby = rep.String()
		if !rep.Attached() {
			// Every commit, and so every booth's batch, waits until one is back.
			h.Status = "no synchronous standby: batches wait"
			s.reply(w, http.StatusServiceUnavailable, h)
			return
		}
	}
	s.reply(w, http.StatusOK, h)
}

func (s *Server) reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", wire.ContentTypeJSON)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// fail answers with sync's error body. Internal errors are logged in full and
// shown as "internal error"; refusals are logged with their reason.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := app.ErrorCode(err)
	body := wire.ErrorBody{Code: code, Message: app.ErrorMessage(err), HQTime: s.clock.Now().UTC()}
	level := slog.LevelWarn
	if code == app.EINTERNAL {
		level = slog.LevelError
	}
	if code == app.ECONFLICT && r.URL.Path == wire.PathBatches {
		// The booth resends from the mark + 1.
		if b, err := s.store.Booth(r.Context(), boothFrom(r.Context())); err == nil {
			body.HighWater = &b.Mark
		}
	}
	s.log.Log(r.Context(), level, "refused", "method", r.Method, "path", r.URL.Path, "booth", boothFrom(r.Context()),
		"remote", r.RemoteAddr, "code", code, "err", err.Error())
	// Drain a little of an unread body so the connection can be reused.
	io.CopyN(io.Discard, r.Body, 64<<10)
	s.reply(w, wire.HTTPStatus(code), body)
}
