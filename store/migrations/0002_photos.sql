-- 0002: the traveller's face photo, part of the inspection's record.
-- Forward-only: never edit a migration that has shipped; add the next number.

-- At most one photo per inspection, written in the same transaction as the
-- read; its SHA-256 is also in the read's "document_read" audit entry, so a
-- changed or removed photo breaks CheckAudit. A photo goes with its inspection
-- (retention purge). Photos stay at the booth: they are not in the outbox and
-- HQ never receives them. A rowid table: rows of tens of KiB do not belong in a
-- WITHOUT ROWID b-tree.
CREATE TABLE photos (
	inspection_id TEXT NOT NULL UNIQUE REFERENCES inspections (id) ON DELETE CASCADE,
	jpeg          BLOB NOT NULL CHECK (length(jpeg) <= 524288), -- store.MaxPhotoBytes
	sha256        BLOB NOT NULL,
	taken_at      INTEGER NOT NULL  -- unix nanoseconds
);
