-- 0001: the booth's record. Forward-only: never edit a migration that has
-- shipped; add the next number instead.

PRAGMA application_id = 1128811329; -- 0x43484B41, "CHKA": marks the file as a Chekara booth store

-- Settings that belong to this booth: its identity and the sync high-water marks.
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE officers (
	id           TEXT PRIMARY KEY,
	name         TEXT NOT NULL,
	role         TEXT NOT NULL CHECK (role IN ('officer', 'supervisor', 'administrator', 'trainee')),
	language     TEXT NOT NULL DEFAULT 'en',
	disabled     INTEGER NOT NULL DEFAULT 0,
	password     TEXT NOT NULL DEFAULT '',   -- PHC string: $argon2id$v=19$m=…,t=…,p=…$salt$hash
	failed       INTEGER NOT NULL DEFAULT 0, -- consecutive failed sign-ins
	locked_until INTEGER NOT NULL DEFAULT 0  -- unix nanoseconds; 0 when not locked
) WITHOUT ROWID;

-- Shifts keep their own counters, updated in the same transaction as each
-- inspection and decision, so closing a shift never scans the crossings.
CREATE TABLE shifts (
	id          TEXT PRIMARY KEY,
	officer_id  TEXT NOT NULL REFERENCES officers (id),
	post        TEXT NOT NULL,
	booth       TEXT NOT NULL,
	direction   TEXT NOT NULL CHECK (direction IN ('entry', 'exit')),
	opened_at   INTEGER NOT NULL,
	closed_at   INTEGER,              -- NULL while open
	inspections INTEGER NOT NULL DEFAULT 0,
	admitted    INTEGER NOT NULL DEFAULT 0,
	refused     INTEGER NOT NULL DEFAULT 0,
	referred    INTEGER NOT NULL DEFAULT 0,
	hits        INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX shifts_one_open ON shifts (officer_id) WHERE closed_at IS NULL;

CREATE TABLE inspections (
	id           TEXT PRIMARY KEY,
	shift_id     TEXT NOT NULL,
	officer_id   TEXT NOT NULL,
	post         TEXT NOT NULL,
	booth        TEXT NOT NULL,
	source       TEXT NOT NULL,
	lines        TEXT NOT NULL,   -- JSON array of the MRZ lines as read
	format       TEXT NOT NULL,
	valid        INTEGER NOT NULL,
	doc_state    TEXT NOT NULL,
	doc_number   TEXT NOT NULL,
	surname      TEXT NOT NULL,
	given_names  TEXT NOT NULL,
	birth_date   TEXT NOT NULL,
	nationality  TEXT NOT NULL,
	sex          TEXT NOT NULL,
	expiry       TEXT NOT NULL,
	read_at      INTEGER NOT NULL  -- unix nanoseconds
);
CREATE INDEX inspections_read_at ON inspections (read_at);

-- The outbox: one row per record waiting for (or already given to) HQ. seq is
-- the booth's upload sequence; AUTOINCREMENT guarantees it is never reused,
-- even after a purge deletes acknowledged rows.
CREATE TABLE outbox (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT,
	kind       TEXT NOT NULL,     -- "crossing"
	record_id  TEXT NOT NULL,
	created_at INTEGER NOT NULL   -- booth time, unix nanoseconds
);

-- A crossing's rowid is its outbox seq, so the table grows at its end and the
-- history indexes point at seq directly. payload is the canonical JSON of
-- app.Crossing, fixed at commit: what HQ receives and what History returns.
CREATE TABLE crossings (
	seq         INTEGER PRIMARY KEY REFERENCES outbox (seq),
	id          TEXT NOT NULL UNIQUE,
	booth_time  INTEGER NOT NULL,  -- unix nanoseconds
	doc_state   TEXT NOT NULL,
	doc_number  TEXT NOT NULL,
	surname     TEXT NOT NULL,
	given_names TEXT NOT NULL,
	birth_date  TEXT NOT NULL,
	nationality TEXT NOT NULL,
	payload     BLOB NOT NULL
);
-- Travel history by document and by person; seq (the rowid) ends every index
-- entry, so "newest first" is a backwards walk of the index with no sort.
CREATE INDEX crossings_document ON crossings (doc_number, doc_state);
CREATE INDEX crossings_person ON crossings (surname, birth_date, given_names, nationality);

-- The audit log: append-only and hash-chained (see store/audit.go).
CREATE TABLE audit (
	seq        INTEGER PRIMARY KEY,  -- 1, 2, 3, … with no gaps
	at         INTEGER NOT NULL,     -- unix nanoseconds
	officer_id TEXT NOT NULL,
	action     TEXT NOT NULL,
	subject    TEXT NOT NULL,
	detail     TEXT NOT NULL,
	prev_hash  BLOB NOT NULL,
	hash       BLOB NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only');
END;
