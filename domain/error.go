package domain

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer. The web layer maps each code to an HTTP
// status in exactly one place; nothing else decides what a user sees.
const (
	ECONFLICT     = "conflict"     // the action conflicts with the current state
	EINTERNAL     = "internal"     // a fault the user cannot fix; its text is never shown
	EINVALID      = "invalid"      // the input is wrong; the message says how
	ENOTFOUND     = "not_found"    // the thing does not exist (or may not be seen)
	EUNAUTHORIZED = "unauthorized" // not logged in
	EFORBIDDEN    = "forbidden"    // logged in but not allowed
	// EUNAVAILABLE: the database cannot be reached or written just now (a
	// restart, a lost connection, a full disk); trying again later may work.
	EUNAVAILABLE = "unavailable"
)

// UnavailableMessage is what a user is told while the database is unavailable.
const UnavailableMessage = "Databasen är inte tillgänglig just nu. Försök igen om en stund."

// Error is an error meant for the user: a stable code and a Swedish message that
// can be shown as it is. Other errors are internal and are shown as a generic
// message.
type Error struct {
	Code    string
	Message string
	// Field names the input field the error is about, when there is one.
	Field string
	// Err is the error behind this one, for the log (a driver's error behind
	// EUNAVAILABLE); it is never shown to a user.
	Err error
}

// Error implements the error interface.
func (e *Error) Error() string {
	msg := fmt.Sprintf("%s: %s", e.Code, e.Message)
	if e.Field != "" {
		msg = fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Message)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the error behind e, if any.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf returns an EINVALID error about one input field.
func FieldErrorf(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first Error in err's chain, EINTERNAL for any
// other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err: the message of the first
// Error in its chain, or a generic Swedish message for internal errors, whose text
// must never reach a user.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Ett internt fel inträffade. Försök igen eller kontakta systemadministratören."
}

// IsFault reports whether err is not the user's to fix: an internal error or
// an unavailable database. A page answers such an error with its error page
// (Kit.Fail), never as a message on a form.
func IsFault(err error) bool {
	code := ErrorCode(err)
	return code == EINTERNAL || code == EUNAVAILABLE
}
