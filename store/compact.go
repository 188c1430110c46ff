package store

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"sync"

	"github.com/chekara/chekara/app"
)

// Stored payloads (issue 14 item 13). A crossing's payload is the canonical
// JSON of its wire record, and stays so everywhere it leaves the store: the
// outbox hands HQ those bytes, the audit entry hashes them, history decodes
// them. In the crossings table it is kept deflated against a fixed
// dictionary of the record's own keys and common values, which takes a
// 360-byte record to about a sixth. A stored payload starting with
// packedV1 is such; anything else (every row written before, which all begin
// with '{') is the JSON itself, so older rows read as they are.
const packedV1 = 0x01

// payloadDictV1 is the deflate dictionary of packedV1. Never change it: rows
// packed with it must inflate forever. (A new dictionary takes a new marker.)
var payloadDictV1 = []byte(`{"format":3,"id":"","inspection_id":"","shift_id":"","officer_id":"","post":"","booth":"","direction":"exit","decision":"refer","refusal_reason":"","refusal_note":"","referral_note":"","referral_outcome":"","override":{"verdict":"","ground":""},"expired_citizen":true,"sources":["hq"],"hits":[{"list_id":"","kind":"document","category":"stolen","score":0.8,"confirmed":false,"note":""},{"list_id":"","kind":"person","category":"watch","score":1,"confirmed":true}],"clock_jump":true,"training":true,` +
	`"document":{"code":"ID","issuing_state":"RUS","number":"","expiry":"2031-"},"traveller":{"surname":"","given_names":"","birth_date":"1980-","nationality":"KAZ","sex":"M"},"booth_time":"2026-12-04T12:00:00+06:00"}` +
	`"decision":"refuse","document":{"code":"P","issuing_state":"UZB","number":"AC","expiry":"2030-"},"traveller":{"surname":"","given_names":"","birth_date":"1990-","nationality":"TJK","sex":"F"},"booth_time":"2025-` +
	`{"format":3,"id":"01","inspection_id":"01","shift_id":"01","officer_id":"","post":"DOSTUK","booth":"DOSTUK-07","direction":"entry","decision":"admit","document":{"code":"P","issuing_state":"KGZ","number":"","expiry":"2029-"},"traveller":{"surname":"","given_names":"","birth_date":"19","nationality":"KGZ","sex":"M"},"booth_time":"2026-`)

// maxPayload bounds an inflated payload (a crossing's record is a few
// hundred bytes; HQ refuses records past 1 MiB).
const maxPayload = 1 << 20

// Deflate's state is hundreds of kilobytes: writers and readers are reused
// (Reset keeps the dictionary).
var (
	packers   = sync.Pool{New: func() any { w, _ := flate.NewWriterDict(io.Discard, flate.BestCompression, payloadDictV1); return w }}
	unpackers = sync.Pool{New: func() any { return flate.NewReaderDict(bytes.NewReader(nil), payloadDictV1) }}
)

// packPayload returns the stored form of a payload.
func packPayload(p []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(p)/2 + 16)
	b.WriteByte(packedV1)
	w := packers.Get().(*flate.Writer)
	defer packers.Put(w)
	w.Reset(&b)
	w.Write(p)
	if err := w.Close(); err != nil || b.Len() >= len(p) {
		return p // the JSON stored as it is reads too
	}
	return b.Bytes()
}

// unpackPayload returns the payload a stored form holds. EINTERNAL for a
// packed form that does not inflate (a damaged database).
func unpackPayload(stored []byte) ([]byte, error) {
	if len(stored) == 0 || stored[0] != packedV1 {
		return stored, nil
	}
	r := unpackers.Get().(io.ReadCloser)
	defer unpackers.Put(r)
	if err := r.(flate.Resetter).Reset(bytes.NewReader(stored[1:]), payloadDictV1); err != nil {
		return nil, app.Errorf(app.EINTERNAL, "a stored payload does not inflate: %v", err)
	}
	p, err := io.ReadAll(io.LimitReader(r, maxPayload+1))
	if err != nil || len(p) > maxPayload {
		return nil, app.Errorf(app.EINTERNAL, "a stored payload does not inflate: %v", fmt.Sprint(err))
	}
	return p, nil
}
