// Package sync owns the link between a booth and HQ: the wire protocol both sides
// speak (wire.go: batches up, acknowledgements, signed list and rule envelopes down,
// the enrolment bundle, export files for removable media), and the booth's side of
// it (the uploader loop, the list and rule puller, the mutual-TLS client).
//
// HQ's server imports this package for the wire types; sync never imports hq, never
// imports Fyne, and never touches the booth's SQLite directly: it reads the outbox
// through the small Outbox interface declared here.
package sync
