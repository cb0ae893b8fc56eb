package allocation

import "fmt"

// FieldError reports one invalid field of a Spec. Field names the field the way
// it is written in the JSON spec, such as "total", "host_share" or
// "parties[3].population", so that a person can find and fix it; Problem says
// what is wrong with it.
type FieldError struct {
	// Field is the path of the offending field, for example "parties[3].id".
	Field string
	// Problem describes what is wrong, in a short English phrase.
	Problem string
}

// Error returns the field and the problem as "field: problem".
func (e *FieldError) Error() string {
	return e.Field + ": " + e.Problem
}

// fieldErrorf returns a *FieldError for field with a formatted problem.
func fieldErrorf(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// partyField returns the path of a field of the i-th party, such as
// "parties[3].population".
func partyField(i int, name string) string {
	return fmt.Sprintf("parties[%d].%s", i, name)
}
