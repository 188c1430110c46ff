// Package app is the booth's core: the border's domain types (officers, shifts,
// inspections, crossings, the audit log), the inspection workflow, and the small
// interfaces the workflow needs from the outside world.
//
// It must not touch Fyne, SQL, serial ports, HTTP or the file system. Adapters in
// devices/, store/ and sync/ implement the interfaces declared here, ui/ draws
// what the workflow decides, and main.go wires them together. Everything under
// app/ builds and tests with CGO_ENABLED=0.
package app
