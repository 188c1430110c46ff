package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"errors"

	"github.com/google/uuid"
)

// NewID returns a new UUIDv7 that sorts after every id this store has handed out
// or holds, even when the booth clock has gone backwards (also across restarts:
// Open reads the newest crossing id). When the clock is behind, the id keeps the
// newest id's millisecond and counts up in its random bits, as RFC 9562 §6.2
// allows. The inspection workflow should take its ids from here.
func (s *Store) NewID() string {
	s.idMu.Lock()
	defer s.idMu.Unlock()
	var id [16]byte
	ms := uint64(s.clock.Now().UnixMilli())
	last := binary.BigEndian.Uint64(s.lastID[:8]) >> 16
	if ms > last {
		binary.BigEndian.PutUint64(id[:8], ms<<16)
		rand.Read(id[6:])
	} else {
		// Same or earlier millisecond: the last id plus one in its low 74 bits
		// (rand_a and rand_b), with a few random bits added so ids stay
		// unguessable.
		id = s.lastID
		var step [2]byte
		rand.Read(step[:])
		addLow(&id, uint64(binary.BigEndian.Uint16(step[:])>>4)+1)
	}
	id[6] = id[6]&0x0f | 0x70 // version 7
	id[8] = id[8]&0x3f | 0x80 // variant 10
	s.lastID = id
	return uuid.UUID(id).String()
}

// addLow adds n to the 74 counter bits of a v7 id: bytes 6–15 without the
// version nibble and the variant bits. An overflow carries into the timestamp.
func addLow(id *[16]byte, n uint64) {
	// Gather the 74 bits: 12 of rand_a, 62 of rand_b.
	randA := uint64(id[6]&0x0f)<<8 | uint64(id[7])
	randB := binary.BigEndian.Uint64(id[8:]) & (1<<62 - 1)
	randB += n
	if randB >= 1<<62 {
		randB -= 1 << 62
		randA++
		if randA >= 1<<12 {
			randA = 0
			ms := binary.BigEndian.Uint64(id[:8])>>16 + 1
			binary.BigEndian.PutUint64(id[:8], ms<<16|uint64(binary.BigEndian.Uint16(id[6:8])))
		}
	}
	id[6] = id[6]&0xf0 | byte(randA>>8)
	id[7] = byte(randA)
	binary.BigEndian.PutUint64(id[8:], randB|uint64(id[8]&0xc0)<<56)
}

// loadLastID seeds NewID's order with the newest crossing and inspection ids.
func (s *Store) loadLastID(ctx context.Context) error {
	var last []byte
	err := s.r.QueryRowContext(ctx, "SELECT payload FROM crossings ORDER BY seq DESC LIMIT 1").Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return s.fail(err, "open")
	}
	if p, err := unpackPayload(last); err == nil && len(p) > 0 {
		s.noteID(recordID(p))
	}
	for _, q := range []string{
		"SELECT max(id) FROM inspections",
	} {
		var id sql.NullString
		err := s.r.QueryRowContext(ctx, q).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) || !id.Valid {
			continue
		}
		if err != nil {
			return s.fail(err, "open")
		}
		s.noteID(id.String)
	}
	return nil
}

// noteID makes NewID sort after id when id is a newer UUIDv7 than any seen.
func (s *Store) noteID(id string) {
	u, err := uuid.Parse(id)
	if err != nil || u.Version() != 7 {
		return
	}
	s.idMu.Lock()
	defer s.idMu.Unlock()
	if string(u[:]) > string(s.lastID[:]) {
		s.lastID = u
	}
}
