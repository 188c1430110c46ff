-- 0005: the training centre (issue 18). A centre's own database holds the
-- scenario packs it imported, the trainer's assignments and every session's
-- score; the sessions' crossings live in a database of their own per session
-- and never here, nor in a real booth's store.
CREATE TABLE IF NOT EXISTS training_packs (
	id          TEXT PRIMARY KEY,
	title       TEXT NOT NULL,
	pack        BLOB NOT NULL,   -- the pack file as imported (validated)
	imported_at INTEGER NOT NULL -- unix nanoseconds
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS training_assignments (
	trainee     TEXT NOT NULL REFERENCES officers (id),
	pack        TEXT NOT NULL REFERENCES training_packs (id),
	debrief     TEXT NOT NULL CHECK (debrief IN ('each', 'end')),
	assigned_by TEXT NOT NULL,
	assigned_at INTEGER NOT NULL,
	PRIMARY KEY (trainee, pack)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS training_sessions (
	id       TEXT PRIMARY KEY,
	trainee  TEXT NOT NULL REFERENCES officers (id),
	pack     TEXT NOT NULL,
	started  INTEGER NOT NULL,
	finished INTEGER NOT NULL DEFAULT 0,
	session  BLOB NOT NULL -- training.Session as JSON: the score and every outcome
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS training_sessions_trainee ON training_sessions (trainee, started);
