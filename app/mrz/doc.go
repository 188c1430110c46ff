// Package mrz reads, validates, repairs and composes the machine readable zones of
// ICAO Doc 9303 travel documents (TD1, TD2, TD3, MRV-A, MRV-B) and of the French
// national identity card (2 × 36, its own layout).
//
// It owns the booth's policies for MRZ data (see REFERENCE.md §1): the error codes,
// the centuries of two-digit years relative to an injected "today", and which OCR
// confusions may be repaired. It is pure Go with no dependencies and does no I/O:
// readers, OCR, the booth and `bmis mrz` hand it lines and get a Result back.
//
// Parse is on the hot path of every inspection and of bulk checks, so a valid
// document costs at most two allocations: one string for the derived field values
// (names with spaces, ISO dates, long document numbers) and one for the warnings.
// Everything else is a slice of the caller's lines.
package mrz
