-- 0008: the document page image recorded with a read (issue 17: the supervisor
-- reviews "the traveller's photo and document image as recorded"). Only reads
-- from a picture (the desk camera's OCR) have one; a serial reader gives text.
-- Forward-only: never edit a migration that has shipped; add the next number.
-- (IF NOT EXISTS: tests rewind user_version on a newer file.)

-- As photos (0002): at most one page per inspection, written in the read's
-- transaction, its SHA-256 in the read's "document_read" audit entry, gone
-- with its inspection (retention purge), never sent to HQ.
CREATE TABLE IF NOT EXISTS pages (
	inspection_id TEXT NOT NULL UNIQUE REFERENCES inspections (id) ON DELETE CASCADE,
	jpeg          BLOB NOT NULL CHECK (length(jpeg) <= 786432), -- app.MaxPageBytes
	sha256        BLOB NOT NULL
);
