// Package chip reads ePassport chips (ICAO Doc 9303 parts 10 and 11): the APDU layer,
// BAC and PACE access with secure messaging, file reads, and the parsers of what a
// chip returns (BER-TLV, EF.COM, DG1, DG2's face header, EF.SOD). Passive
// authentication is in chip/pa, which is pure; the simulated ePassport in chip/chipsim.
//
// The card is reached through Card (one APDU in, one response out); PC/SC through
// pcscd is one Card (pcsc.go), the simulator in-process another. Every byte a chip
// returns is outside input: a parser returns an error, never panics, and has a fuzz
// target. The package must not touch the booth's store, the UI or the network.
package chip
