package reader

import (
	"errors"
	"strings"
	"time"

	"github.com/chekara/chekara/app"
)

// ErrNothingTyped is the message of the event Typed returns for text without an MRZ line.
var ErrNothingTyped = errors.New("nothing was typed — type the MRZ lines, one per line")

// Typed turns text the officer typed (or a keyboard-wedge reader typed into the
// focused field) into the event a serial reader would have given for it, so the
// booth core handles both through one path. Lines are split and their padding
// stripped exactly as the "lines" framer does it: CR, LF or CR LF end a line,
// surrounding spaces and tabs and trailing '_' go; empty lines are skipped.
//
// It returns a ReaderDocument event, or a ReaderError event when the text holds
// no line or a control character. It never fails otherwise: judging the MRZ is
// app/mrz's work.
func Typed(text string, at time.Time) app.ReaderEvent {
	if !strings.HasSuffix(text, "\r") && !strings.HasSuffix(text, "\n") {
		text += "\n" // the last typed line need not be ended
	}
	d := &linesDecoder{max: len(text) + 1}
	frames := append(d.Feed([]byte(text)), d.Silence()...)
	var lines []string
	for _, f := range frames {
		if f.Err != nil {
			return Frame{Raw: []byte(text), Err: f.Err}.Event(at)
		}
		lines = append(lines, f.Lines...)
	}
	if len(lines) == 0 {
		return app.ReaderEvent{Kind: app.ReaderError, Raw: []byte(text), Message: ErrNothingTyped.Error(), At: at}
	}
	return app.ReaderEvent{Kind: app.ReaderDocument, Lines: lines, Raw: []byte(text), At: at}
}
