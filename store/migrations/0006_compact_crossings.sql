-- Schema 5 (issue 14 item 13): a crossing row keeps 8-byte keys instead of
-- repeating what its payload holds (store/keys.go): of its id (unique), and
-- for travel history of its document and person, indexed. The keys of the rows
-- written before are computed by chekara_key, the same function as the
-- store's Go code. The payloads are copied as they are (JSON, or deflated by
-- a booth since issue 14: store/compact.go).
CREATE TABLE crossings_0005 (
	seq         INTEGER PRIMARY KEY REFERENCES outbox (seq),
	id_key      INTEGER NOT NULL UNIQUE, -- chekara_key(id)
	booth_time  INTEGER NOT NULL,  -- unix nanoseconds
	doc_key     INTEGER NOT NULL,  -- chekara_key(doc_number, doc_state)
	person_key  INTEGER NOT NULL,  -- chekara_key(surname, birth_date, given_names, nationality)
	payload     BLOB NOT NULL
);
INSERT INTO crossings_0005 (seq, id_key, booth_time, doc_key, person_key, payload)
	SELECT seq, chekara_key(id), booth_time, chekara_key(doc_number, doc_state),
		chekara_key(surname, birth_date, given_names, nationality), payload
	FROM crossings;
DROP TABLE crossings;
ALTER TABLE crossings_0005 RENAME TO crossings;
-- seq (the rowid) ends every index entry, so "newest first" is still a
-- backwards walk of the index with no sort.
CREATE INDEX crossings_document ON crossings (doc_key);
CREATE INDEX crossings_person ON crossings (person_key);
