// Package screening owns the watchlists at the booth: the list file format HQ
// publishes (snapshots and deltas, see docs/lists.md), the index built from a
// list (persisted so a booth starts fast), and the matcher that screens a
// traveller's names, birth date, nationality and document against it.
//
// It is pure: it reads and writes only through io.Reader and io.Writer, never
// opens files, never looks at the clock, and knows nothing of the UI, SQLite
// or HTTP.
package screening
