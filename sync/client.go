package sync

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/chekara/chekara/sync/wire"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	gosync "sync"
	"time"

	"github.com/chekara/chekara/app"
)

// Client is the booth's HTTPS client for HQ: mutual TLS from the enrolment
// bundle, TLS 1.3 only. It notes HQ's clock from every answer.
type Client struct {
	base  *url.URL
	http  *http.Client
	clock app.Clock
	opts  ClientOptions

	mu        gosync.Mutex
	offset    time.Duration // HQ's clock minus the booth's, from the last answer
	offsetSet bool
}

// ClientOptions tune a Client; the zero value is what a booth uses.
type ClientOptions struct {
	// Address overrides the bundle's HQ address (bmis sync --hq, a proxy); HQ's
	// certificate is still checked against the bundle's host name.
	Address string
	// Clock is the booth's clock; nil means the system clock.
	Clock app.Clock
	// DialTimeout bounds connecting and the TLS handshake; 0 means 15 s.
	DialTimeout time.Duration
	// RequestTimeout bounds one whole exchange with HQ, the answer's body
	// included; 0 means 10 minutes (a 4 MiB batch at 256 kbit/s takes two).
	RequestTimeout time.Duration
	// StallTimeout ends an exchange when HQ's answer makes no progress for
	// this long (headers, then half a body, then nothing); 0 means 60 s.
	StallTimeout time.Duration
}

// NewClient returns a client for the bundle's HQ. Returns EINVALID for a bundle or
// address that cannot work.
func NewClient(b wire.Bundle, opts ClientOptions) (*Client, error) {
	cfg, err := b.ClientTLS()
	if err != nil {
		return nil, err
	}
	addr := b.HQAddress
	if opts.Address != "" {
		addr = opts.Address
	}
	base, err := wire.HQURL(addr)
	if err != nil {
		return nil, err
	}
	if opts.Clock == nil {
		opts.Clock = app.SystemClock{}
	}
	if opts.DialTimeout <= 0 {
		opts.DialTimeout = 15 * time.Second
	}
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = 10 * time.Minute
	}
	if opts.StallTimeout <= 0 {
		opts.StallTimeout = time.Minute
	}
	tr := &http.Transport{
		TLSClientConfig:     cfg,
		DialContext:         (&net.Dialer{Timeout: opts.DialTimeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout: opts.DialTimeout,
		// A stalled HQ (or a link that swallows packets) must not hang the
		// uploader: the answer's headers come within this or the try fails.
		ResponseHeaderTimeout: min(2*time.Minute, opts.RequestTimeout),
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   2,
		ForceAttemptHTTP2:     true,
	}
	return &Client{base: base, http: &http.Client{Transport: tr}, clock: opts.Clock, opts: opts}, nil
}

// Close drops idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// ClockOffset returns HQ's clock minus the booth's as last seen, and whether an
// answer from HQ has been seen at all.
func (c *Client) ClockOffset() (time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.offset, c.offsetSet
}

// do sends a request and returns the answer's body for a 2xx status. Any other
// status becomes an *app.Error with the ErrorBody's code and message (or one
// derived from the status), wrapped in *HQError for the high-water mark. A
// network fault is EUNAVAILABLE.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body []byte, ctype string, maxBody int64) (int, []byte, error) {
	status, _, data, err := c.exchange(ctx, method, path, query, body, ctype, maxBody)
	return status, data, err
}

// exchange is do, also returning the answer's header (nil on error).
func (c *Client) exchange(ctx context.Context, method, path string, query url.Values, body []byte, ctype string, maxBody int64) (int, http.Header, []byte, error) {
	// Every exchange has a deadline, and a watchdog ends it when the answer
	// stalls: a stuck HQ never holds the booth's sync (or bmis sync --once).
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, c.opts.RequestTimeout)
	defer cancel()
	stall := time.AfterFunc(c.opts.StallTimeout, cancel)
	defer stall.Stop()
	u := *c.base
	u.Path = path
	u.RawQuery = query.Encode()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("build request: %w", err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Accept", wire.ContentTypeJSON)
	sent := c.clock.Now()
	// Sending a large batch is bounded by RequestTimeout alone; the stall
	// watchdog starts once the request has been handed over.
	stall.Stop()
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, unavailable(parent, ctx, err)
	}
	defer resp.Body.Close()
	got := c.clock.Now()
	c.noteClock(resp.Header.Get(wire.HeaderTime), sent, got)
	stall.Reset(c.opts.StallTimeout)
	data, err := io.ReadAll(io.LimitReader(progress{resp.Body, func() { stall.Reset(c.opts.StallTimeout) }}, maxBody+1))
	if err != nil {
		return 0, nil, nil, unavailable(parent, ctx, err)
	}
	if int64(len(data)) > maxBody {
		return 0, nil, nil, app.Errorf(app.EINVALID, "HQ's answer to %s exceeds %d bytes", path, maxBody)
	}
	if resp.StatusCode/100 == 2 {
		return resp.StatusCode, resp.Header, data, nil
	}
	var eb wire.ErrorBody
	if json.Unmarshal(data, &eb) != nil || eb.Code == "" {
		eb = wire.ErrorBody{Code: wire.CodeFromStatus(resp.StatusCode), Message: fmt.Sprintf("HQ answered %s", resp.Status)}
	}
	return resp.StatusCode, nil, nil, &HQError{Status: resp.StatusCode, Body: eb}
}

// HQError is a refusal from HQ: an answer with an ErrorBody. Its code is the
// body's (app.ErrorCode sees it through Unwrap).
type HQError struct {
	Status int
	Body   wire.ErrorBody
}

func (e *HQError) Error() string {
	return fmt.Sprintf("HQ refused (%d %s): %s", e.Status, e.Body.Code, e.Body.Message)
}

// Unwrap gives app.ErrorCode and app.ErrorMessage the body's code and message.
func (e *HQError) Unwrap() error { return &app.Error{Code: e.Body.Code, Message: e.Body.Message} }

// progress is a body reader that reports every read that brought bytes.
type progress struct {
	r    io.Reader
	tick func()
}

func (p progress) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.tick()
	}
	return n, err
}

// unavailable turns a transport fault into EUNAVAILABLE, keeping the cause for
// logs; a cancelled parent (the caller's ctx) stays what it is, while ctx, the
// exchange's own, ending means HQ was too slow or stalled.
func unavailable(parent, ctx context.Context, err error) error {
	if errors.Is(parent.Err(), context.Canceled) {
		return parent.Err() // the booth is stopping: not a fault of the link
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%w: %v", app.Errorf(app.EUNAVAILABLE, "HQ did not answer in time."), err)
	}
	var verr *tls.CertificateVerificationError
	if errors.As(err, &verr) {
		return fmt.Errorf("%w: %v", app.Errorf(app.EUNAUTHORIZED, "HQ's certificate is not from the enrolment bundle's CA."), err)
	}
	// HQ refusing the booth's certificate (unknown, revoked, expired) arrives as a
	// TLS alert; crypto/tls does not export its type.
	if strings.Contains(err.Error(), "remote error: tls: ") {
		return fmt.Errorf("%w: %v", app.Errorf(app.EUNAUTHORIZED, "HQ refused this booth's certificate."), err)
	}
	return fmt.Errorf("%w: %v", app.Errorf(app.EUNAVAILABLE, "HQ is not reachable."), err)
}

// noteClock estimates HQ's clock minus the booth's from one answer: HQ stamped
// it somewhere between sending and receiving, so the midpoint is the best guess
// (off by at most half the round trip).
func (c *Client) noteClock(h string, sent, got time.Time) {
	if h == "" {
		return
	}
	hq, err := time.Parse(time.RFC3339Nano, h)
	if err != nil {
		return
	}
	mid := sent.Add(got.Sub(sent) / 2)
	c.mu.Lock()
	c.offset, c.offsetSet = hq.Sub(mid), true
	c.mu.Unlock()
}

// maxAnswer bounds a JSON answer other than an envelope.
const maxAnswer = 1 << 20

// PostBatch sends one encoded batch (MarshalBatch's bytes) and returns HQ's
// acknowledgement. Errors: EUNAVAILABLE when HQ cannot be reached or the answer
// is lost; HQ's refusals with their codes (*HQError): EINVALID, EUNAUTHORIZED,
// ECONFLICT (with the high-water mark).
func (c *Client) PostBatch(ctx context.Context, body []byte) (wire.Ack, error) {
	_, data, err := c.do(ctx, http.MethodPost, wire.PathBatches, nil, body, wire.ContentTypeBatch, maxAnswer)
	if err != nil {
		return wire.Ack{}, err
	}
	var ack wire.Ack
	if err := json.Unmarshal(data, &ack); err != nil {
		return wire.Ack{}, app.Errorf(app.EINVALID, "HQ's acknowledgement is not valid JSON: %v", err)
	}
	return ack, nil
}

// Fetch asks HQ for a newer version of lists or rules than have. It returns the
// envelope, parsed but NOT yet verified (the Puller verifies), and false when
// have is current (204). Errors as PostBatch.
func (c *Client) Fetch(ctx context.Context, kind wire.EnvelopeKind, have int64, maxBytes int) (wire.Envelope, bool, error) {
	path := wire.PathLists
	switch kind {
	case wire.KindRules:
		path = wire.PathRules
	case wire.KindDirectory:
		path = wire.PathDirectory
	case wire.KindOpenStays:
		path = wire.PathOpenStays
	case wire.KindMasterList:
		path = wire.PathMasterList
	}
	q := url.Values{wire.QueryHave: {strconv.FormatInt(have, 10)}}
	status, hdr, data, err := c.exchange(ctx, http.MethodGet, path, q, nil, "", int64(maxBytes))
	if err != nil {
		return wire.Envelope{}, false, err
	}
	if status == http.StatusNoContent {
		// HQ's signed word that have is current, unverified (the Puller
		// verifies); a missing or malformed one is no confirmation.
		var none wire.Envelope
		if c, err := wire.ParseConfirmation(hdr.Get(wire.HeaderConfirmation)); err == nil {
			none.Confirmation = &c
		}
		return none, false, nil
	}
	e, err := wire.ParseEnvelope(data, maxBytes)
	if err != nil {
		return wire.Envelope{}, false, err
	}
	if e.Kind != kind {
		return wire.Envelope{}, false, app.Errorf(app.EINVALID, "asked HQ for %s, got %s", kind, e.Kind)
	}
	return e, true, nil
}

// Health asks HQ whether it is up and who it thinks the booth is.
func (c *Client) Health(ctx context.Context) (wire.Health, error) {
	_, data, err := c.do(ctx, http.MethodGet, wire.PathHealth, nil, nil, "", maxAnswer)
	if err != nil {
		return wire.Health{}, err
	}
	var h wire.Health
	if err := json.Unmarshal(data, &h); err != nil {
		return wire.Health{}, app.Errorf(app.EINVALID, "HQ's health answer is not valid JSON: %v", err)
	}
	return h, nil
}

// HighWater returns the high-water mark an ECONFLICT refusal carries.
func HighWater(err error) (int64, bool) {
	var he *HQError
	if errors.As(err, &he) && he.Body.HighWater != nil {
		return *he.Body.HighWater, true
	}
	return 0, false
}
