-- 0007: supervision (issue 17). A supervisor reviews a shift's reads and
-- records in order, the officer on secondary records each referral's outcome,
-- a supervisor signs off closed shifts and, where the post says so, confirms
-- refusals. Forward-only: never edit a migration that has shipped; add the
-- next number. (IF NOT EXISTS: tests rewind user_version on a newer file.)

-- Which shift each crossing and set-aside read belongs to (their payloads say
-- it, but a payload is deflated and unindexed). decision is the crossing's
-- (admit, refuse, refer), '' for a set-aside read; post is '' for training
-- records, which never reach the secondary queue.
CREATE TABLE IF NOT EXISTS shift_records (
	shift_id    TEXT NOT NULL,
	seq         INTEGER NOT NULL,            -- the record's outbox seq
	crossing_id TEXT NOT NULL DEFAULT '',
	decision    TEXT NOT NULL DEFAULT '',
	post        TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (shift_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS shift_records_referrals ON shift_records (post, seq) WHERE decision = 'refer';
-- A crossing's line by its id: an outcome or a confirmation checks what it
-- names was referred or refused.
CREATE INDEX IF NOT EXISTS shift_records_crossing ON shift_records (crossing_id) WHERE crossing_id <> '';

INSERT OR IGNORE INTO shift_records (shift_id, seq, crossing_id, decision, post)
	SELECT COALESCE(json_extract(p, '$.shift_id'), json_extract(p, '$.ShiftID'), ''), seq,
		COALESCE(json_extract(p, '$.id'), json_extract(p, '$.ID'), ''),
		COALESCE(json_extract(p, '$.decision'), json_extract(p, '$.Decision'), ''),
		CASE WHEN kind = 'crossing' THEN COALESCE(json_extract(p, '$.post'), json_extract(p, '$.Post'), '') ELSE '' END
	FROM (SELECT c.seq AS seq, o.kind AS kind, chekara_payload(c.payload) AS p FROM crossings c JOIN outbox o ON o.seq = c.seq);
INSERT OR IGNORE INTO shift_records (shift_id, seq)
	SELECT COALESCE(json_extract(chekara_payload(payload), '$.shift_id'), ''), seq FROM set_asides;

-- The reads of a shift, in order, for its review.
CREATE INDEX IF NOT EXISTS inspections_shift ON inspections (shift_id, read_at);

-- The supervision records: referral outcomes, sign-offs, refusal
-- confirmations. A record's rowid is its outbox seq, as a crossing's; payload
-- is its wire record (sync/wire/supervision.go), fixed at commit.
CREATE TABLE IF NOT EXISTS supervision (
	seq         INTEGER PRIMARY KEY REFERENCES outbox (seq),
	id          TEXT NOT NULL UNIQUE,
	kind        TEXT NOT NULL CHECK (kind IN ('referral_outcome', 'sign_off', 'refusal_confirmation')),
	shift_id    TEXT NOT NULL,
	crossing_id TEXT NOT NULL DEFAULT '',    -- outcomes and confirmations
	booth_time  INTEGER NOT NULL,
	payload     BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS supervision_shift ON supervision (shift_id);
-- One outcome per referral, one confirmation per refusal, one sign-off per shift.
CREATE UNIQUE INDEX IF NOT EXISTS supervision_one_outcome ON supervision (crossing_id) WHERE kind = 'referral_outcome';
CREATE UNIQUE INDEX IF NOT EXISTS supervision_one_confirmation ON supervision (crossing_id) WHERE kind = 'refusal_confirmation';
CREATE UNIQUE INDEX IF NOT EXISTS supervision_one_sign_off ON supervision (shift_id) WHERE kind = 'sign_off';
