-- 0004: the roles HQ assigns (issue 13): trainer and post-admin sign in at
-- booths besides officer, supervisor, trainee and the older administrator.
-- SQLite cannot change a CHECK in place, so the table is rebuilt as SQLite's
-- ALTER TABLE page says (foreign keys are off during migrations and checked
-- before commit: see Store.migrate). HQ's own roles (analyst, auditor,
-- hq-admin) are never stored at a booth.
CREATE TABLE officers_0004 (
	id           TEXT PRIMARY KEY,
	name         TEXT NOT NULL,
	role         TEXT NOT NULL CHECK (role IN ('officer', 'supervisor', 'administrator', 'trainee', 'trainer', 'post-admin')),
	language     TEXT NOT NULL DEFAULT 'en',
	disabled     INTEGER NOT NULL DEFAULT 0,
	password     TEXT NOT NULL DEFAULT '',   -- PHC string: $argon2id$v=19$m=…,t=…,p=…$salt$hash
	failed       INTEGER NOT NULL DEFAULT 0, -- consecutive failed sign-ins
	locked_until INTEGER NOT NULL DEFAULT 0  -- unix nanoseconds; 0 when not locked
) WITHOUT ROWID;

INSERT INTO officers_0004 SELECT id, name, role, language, disabled, password, failed, locked_until FROM officers;
DROP TABLE officers;
ALTER TABLE officers_0004 RENAME TO officers;
