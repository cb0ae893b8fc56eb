package allocation

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// FieldError reports one invalid field of a Spec. Field names the field the way
// it is written in the JSON spec, such as "total", "host_share" or
// "parties[3].population", so that a person can find and fix it; Problem says
// what is wrong with it. Code names the problem for a program that explains it
// in words of its own (the web form does so in Swedish), with the party and
// the value concerned.
type FieldError struct {
	// Field is the path of the offending field, for example "parties[3].id".
	Field string
	// Problem describes what is wrong, in a short English phrase.
	Problem string
	// Code names the problem; it never changes for the same problem.
	Code Code
	// Party is the index in Spec.Parties of the party a rule of Validate
	// found at fault, or -1 when the problem is about no single party (or
	// is one of reading the JSON).
	Party int
	// Part is the index in Spec.Parts of the part of a mixed key the
	// problem was found in, or -1 when it is in no single part. A party's
	// problem within a part has both Party and Part set.
	Part int
	// Value is the figure at fault where the code has one: the sum of the
	// percentages (CodePercentSum, CodeKeySubsetSum, CodePartSum), the
	// percentage (CodePercentNotPositive, CodePartPercentNotPositive), the
	// host share (CodeHostShareRange), the population
	// (CodePopulationNotPositive), the number of parties
	// (CodeDirectNeedsOne) or of parts (CodePartsTooFew).
	Value decimal.Decimal
}

// Code names a problem with a spec. The values are stable: programs compare
// them, and may show them.
type Code string

// The problems Validate and ParseSpec report.
const (
	// CodeMissing: a required value is absent (the total, the method, the
	// parties, a party's id).
	CodeMissing Code = "missing"
	// CodeUnknownUnit: the unit is neither ore nor krona.
	CodeUnknownUnit Code = "unknown_unit"
	// CodeUnknownMethod: the method is not one of the five.
	CodeUnknownMethod Code = "unknown_method"
	// CodeTooManyDecimals: the total has more than two decimals.
	CodeTooManyDecimals Code = "too_many_decimals"
	// CodeNotWholeKronor: the total is not a whole number of kronor though
	// the unit is krona.
	CodeNotWholeKronor Code = "not_whole_kronor"
	// CodeNoParties: the spec has no participating parties.
	CodeNoParties Code = "no_parties"
	// CodeDuplicateID: two parties have the same id.
	CodeDuplicateID Code = "duplicate_id"
	// CodeSecondHost: more than one party is flagged host.
	CodeSecondHost Code = "second_host"
	// CodeDirectNeedsOne: the direct method with other than exactly one
	// party; Value is the number of parties.
	CodeDirectNeedsOne Code = "direct_needs_one"
	// CodePercentMissing: a party has no percentage under the percent method.
	CodePercentMissing Code = "percent_missing"
	// CodePercentNotPositive: a party's percentage is zero or less; Value
	// is the percentage.
	CodePercentNotPositive Code = "percent_not_positive"
	// CodePercentSum: the percentages do not sum to exactly 100; Value is
	// their sum.
	CodePercentSum Code = "percent_sum"
	// CodeKeySubsetSum: the percentages of a key renormalised over its
	// participants (Spec.Renormalise) sum to more than 100; Value is their
	// sum.
	CodeKeySubsetSum Code = "key_subset_sum"
	// CodePartsTooFew: a mixed key has fewer than two parts; Value is the
	// number of parts.
	CodePartsTooFew Code = "parts_too_few"
	// CodePartMethod: a part of a mixed key names a method a part cannot
	// have (direct, mixed or an unknown one).
	CodePartMethod Code = "part_method"
	// CodePartPercentNotPositive: a part's percentage is zero or less;
	// Value is the percentage.
	CodePartPercentNotPositive Code = "part_percent_not_positive"
	// CodePartSum: the parts' percentages do not sum to exactly 100; Value
	// is their sum.
	CodePartSum Code = "part_sum"
	// CodeHostShareRange: the host share is not between 0 and 100; Value
	// is the host share.
	CodeHostShareRange Code = "host_share_range"
	// CodeHostShareNoHost: a host share is given but no party is host.
	CodeHostShareNoHost Code = "host_share_no_host"
	// CodeHostShareAlone: a host share is given but the host is the only
	// party.
	CodeHostShareAlone Code = "host_share_alone"
	// CodePopulationMissing: a party has no population under the
	// population method.
	CodePopulationMissing Code = "population_missing"
	// CodePopulationNotPositive: a party's population is zero or less;
	// Value is the population.
	CodePopulationNotPositive Code = "population_not_positive"
	// CodeMalformed: the input is not one well-formed JSON object.
	CodeMalformed Code = "malformed"
	// CodeUnknownField: the JSON has a field the spec does not know.
	CodeUnknownField Code = "unknown_field"
	// CodeRepeatedField: the JSON has a field twice.
	CodeRepeatedField Code = "repeated_field"
	// CodeWrongType: a JSON value is of the wrong type (or an integer does
	// not fit in 64 bits).
	CodeWrongType Code = "wrong_type"
	// CodeNotDecimal: a string that should hold a decimal number does not.
	CodeNotDecimal Code = "not_decimal"
)

// Error returns the field and the problem as "field: problem".
func (e *FieldError) Error() string {
	return e.Field + ": " + e.Problem
}

// fieldErrorf returns a *FieldError with code for field, about no single
// party, with a formatted problem.
func fieldErrorf(code Code, field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Problem: fmt.Sprintf(format, args...), Code: code, Party: -1, Part: -1}
}

// partErrorf returns a *FieldError with code for the field name of the k-th
// part of a mixed key.
func partErrorf(code Code, k int, name, format string, args ...any) *FieldError {
	e := fieldErrorf(code, fmt.Sprintf("parts[%d].%s", k, name), format, args...)
	e.Part = k
	return e
}

// inPart places err, found by the rules of the k-th part's method, in that
// part: a party's field keeps its name ("parties[3].population"), any other
// is named within the part ("parts[1].host_share"), and the problem says
// which part it is.
func inPart(k int, err error) error {
	fe, ok := err.(*FieldError)
	if !ok {
		return err
	}
	out := *fe
	out.Part = k
	if !strings.HasPrefix(out.Field, "parties[") {
		out.Field = fmt.Sprintf("parts[%d].%s", k, out.Field)
	}
	out.Problem = fmt.Sprintf("%s (in parts[%d])", out.Problem, k)
	return &out
}

// partyErrorf returns a *FieldError with code for the field name of the
// i-th party, with a formatted problem.
func partyErrorf(code Code, i int, name, format string, args ...any) *FieldError {
	e := fieldErrorf(code, partyField(i, name), format, args...)
	e.Party = i
	return e
}

// with sets the value at fault of e.
func (e *FieldError) with(v decimal.Decimal) *FieldError {
	e.Value = v
	return e
}

// partyField returns the path of a field of the i-th party, such as
// "parties[3].population".
func partyField(i int, name string) string {
	return fmt.Sprintf("parties[%d].%s", i, name)
}
