package sync_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	gosync "sync"
	"time"

	"github.com/chekara/chekara/sync/wire"

	"github.com/chekara/chekara/app"
)

// memOutbox is a booth outbox in memory: it survives "booth died" because the
// test keeps it while throwing the Link away, as SQLite keeps committed rows.
type memOutbox struct {
	mu   gosync.Mutex
	recs []wire.Record
	sent int64
}

func (m *memOutbox) add(n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := 0; i < n; i++ {
		seq := int64(len(m.recs) + 1)
		m.recs = append(m.recs, wire.Record{Seq: seq, ID: fmt.Sprintf("0193a1b2-%04x-7000-8000-%012d", seq%65536, seq),
			Kind: "crossing", Payload: crossingPayload(seq)})
	}
}

// crossingPayload is a crossing record as the store writes it (canonical JSON of
// app.Crossing), with varied but deterministic content.
func crossingPayload(seq int64) []byte {
	r := uint64(seq)*2654435761 + 12345
	names := []string{"ASANOV", "TOKTOGULOVA", "IVANOV", "SMITH", "MULLER", "OSMONOV", "KIM", "PETROVA"}
	given := []string{"BAKYT", "AIGUL", "SERGEI", "ANNA", "JOHN", "NURLAN", "MEERIM", "OLGA"}
	nat := []string{"KGZ", "KAZ", "RUS", "UZB", "DEU", "CHN", "TJK", "GBR"}
	c := app.Crossing{
		ID: fmt.Sprintf("0193a1b2-%04x-7000-8000-%012d", seq%65536, seq), InspectionID: fmt.Sprintf("0193a1b2-%04x-7000-9000-%012d", seq%65536, seq),
		ShiftID: "0193a1b2-0000-7000-8000-shift0000001", OfficerID: "OF1234", Post: "DOSTUK", Booth: "DOSTUK-07",
		Direction: app.Entry, Decision: app.Admit,
		Document: app.DocumentKey{IssuingState: nat[r%8], Number: fmt.Sprintf("AC%07d", r%10000000)}, DocumentCode: "P",
		Traveller: app.TravellerKey{Surname: names[(r>>3)%8], GivenNames: given[(r>>6)%8], BirthDate: fmt.Sprintf("19%02d-%02d-%02d", 50+r%50, 1+r%12, 1+r%28), Nationality: nat[r%8]},
		Sex:       "M", Expiry: fmt.Sprintf("20%02d-%02d-%02d", 27+r%10, 1+r%12, 1+r%28),
		BoothTime: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(seq) * 37 * time.Second),
	}
	if r%20 == 0 {
		c.Decision, c.RefusalReason = app.Refuse, "E"
	}
	data, _ := json.Marshal(c)
	return data
}

func (m *memOutbox) Outbox(_ context.Context, after int64, maxRecords, maxBytes int) ([]wire.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []wire.Record
	size := 0
	for _, r := range m.recs {
		if r.Seq <= after {
			continue
		}
		if len(out) == maxRecords || (len(out) > 0 && size+len(r.Payload) > maxBytes) {
			break
		}
		size += len(r.Payload)
		out = append(out, r)
	}
	return out, nil
}

func (m *memOutbox) MarkSent(_ context.Context, upTo int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = max(m.sent, upTo)
	return nil
}

func (m *memOutbox) SentMark(context.Context) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.sent, nil
}

func (m *memOutbox) LastSeq(context.Context) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return int64(len(m.recs)), nil
}

// The memory outbox has no audit log: its batches carry zero audit points.
func (m *memOutbox) AuditHead(context.Context) (head, proof wire.ChainPoint, err error) {
	return head, proof, nil
}

func (m *memOutbox) AnchoredAt(context.Context, int64) error { return nil }

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
