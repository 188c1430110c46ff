// Package app is Chekara's domain: the border's own types on a traveller's path
// (document, hit, stay, inspection, crossing, officer, shift, audit entry,
// device state), the error codes, the interfaces the booth needs from the
// outside world, and the inspection workflow (Booth: Present, Resolve, Decide).
//
// One file per concept: document.go (what a source reads and the MRZ engine
// makes of it), screening.go, stay.go, crossing.go (inspections, crossings and
// their record), officer.go (officers and shifts), audit.go, link.go (the HQ
// link as the status bar sees it), device.go, clock.go, error.go.
//
// The engines (app/mrz, app/screening, app/rules) import app and speak its
// types; store implements its record interfaces; sync/wire is the versioned
// format its records travel in; package booth assembles a booth from them; HQ
// imports app for these types and codes, never the booth's store or UI.
// It must not touch Fyne, SQL, serial ports, HTTP or the file system, and
// builds and tests with CGO_ENABLED=0.
package app
