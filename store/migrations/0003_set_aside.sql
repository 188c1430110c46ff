-- 0003: no read is lost. A read that ends without a decision is a record of
-- its own, uploaded like a crossing; every read knows whether it was settled
-- (decided or set aside), so closing a shift lists the reads that were not;
-- shifts count overrides and set-aside reads. Forward-only: never edit a
-- migration that has shipped; add the next number.

-- A set-aside read's rowid is its outbox seq, as a crossing's. payload is the
-- wire.SetAside record, fixed at commit: what HQ receives.
CREATE TABLE set_asides (
	seq           INTEGER PRIMARY KEY REFERENCES outbox (seq),
	id            TEXT NOT NULL UNIQUE,
	inspection_id TEXT NOT NULL UNIQUE,
	booth_time    INTEGER NOT NULL,  -- unix nanoseconds
	payload       BLOB NOT NULL
);

ALTER TABLE inspections ADD COLUMN settled INTEGER NOT NULL DEFAULT 0; -- 1 once decided or set aside
-- Reads decided before this migration are settled: their crossings name them
-- (format 2 and later as inspection_id, format 1 as InspectionID).
UPDATE inspections SET settled = 1 WHERE id IN (
	SELECT json_extract(CAST(payload AS TEXT), '$.inspection_id') FROM crossings
	UNION SELECT json_extract(CAST(payload AS TEXT), '$.InspectionID') FROM crossings);
CREATE INDEX inspections_undecided ON inspections (shift_id, read_at) WHERE settled = 0;

ALTER TABLE shifts ADD COLUMN overrides INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shifts ADD COLUMN set_aside INTEGER NOT NULL DEFAULT 0;
