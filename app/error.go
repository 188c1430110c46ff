package app

import (
	"errors"
	"fmt"
)

// Error codes a caller can act on. Anything else is an internal error: logged in
// full, shown to the officer as "internal error".
const (
	ECONFLICT     = "conflict"     // the action conflicts with the current state (e.g. a shift already open)
	EINTERNAL     = "internal"     // a fault of the booth itself
	EINVALID      = "invalid"      // the input is not acceptable
	ENOTFOUND     = "not_found"    // the thing asked for does not exist
	EUNAUTHORIZED = "unauthorized" // the officer may not do this, or sign-in failed
	ELOCKED       = "locked"       // the account is locked after failed sign-ins
	EUNAVAILABLE  = "unavailable"  // a device or HQ is not reachable right now
)

// Error is an error with a code and a sentence meant for people. Key and Args
// name the sentence the officer reads, in their language (assets/i18n through
// app/i18n: the catalogue's text for Key, its verbs filled with Args); Message
// is the English sentence, for logs and the command line. An error without a
// Key reaches a Kyrgyz or Russian screen only as its code's general sentence.
type Error struct {
	Code    string
	Key     string // "" when the error has no sentence of its own in the catalogues
	Args    []any
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and a formatted English
// message, for errors the officer does not read (HQ, bmis, bad files).
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Errork returns an *Error the officer reads: key names its sentence in the
// catalogues, format is the same sentence in English (the catalogue's en text)
// and args fill both.
func Errork(code, key, format string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any
// other non-nil error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the officer-facing message of err: the message of the first
// *Error in its chain, or "Internal error." for anything else.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
