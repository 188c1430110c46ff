// Package reader drives document readers that speak over a serial port, and
// simulates them.
//
// It owns three layers:
//
//   - framers (Protocol, Decoder): pure byte-level codecs for the protocols
//     "lines", "3m", "desko" and "elyctis", in both directions. A Decoder takes
//     bytes as they arrive and yields Frames (a document's MRZ lines, or an
//     error); Protocol.Encode turns MRZ lines back into the protocol's bytes.
//     They do no I/O and keep no clock: the caller tells a decoder when the line
//     has gone quiet (Decoder.Silence).
//   - the driver (Reader): a serial port opened with go.bug.st/serial, read with
//     an inter-byte timeout, reopened with capped backoff after an unplug. It
//     implements app.DocumentSource.
//   - the simulator (Simulate): writes documents through the same framers, with
//     faults, for training rooms and tests.
//
// It must not touch the MRZ's meaning (that is app/mrz) nor the booth's
// workflow: it hands lines to the core and nothing else. It never depends on
// DTR/RTS or modem-status lines, which USB readers and ptys do not have.
package reader
