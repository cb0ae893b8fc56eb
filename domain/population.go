package domain

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// PopulationSourceMax is the longest source text a population figure may have.
const PopulationSourceMax = 200

// Population is a party's number of inhabitants (invånarantal) on a reference
// date, with where the figure comes from ("SCB, folkmängd 1 november 2020").
// Population-weighted allocations use it, so the figure and its source are part
// of why a party pays what it pays. Figures are never overwritten: a new year is
// a new Population, and a correction keeps the old one in the history.
type Population struct {
	PartyID       int64
	ReferenceDate Date
	Inhabitants   int64
	Source        string
}

// Validate checks that p can be recorded: a positive number of inhabitants, a
// reference date, and a source that is given, clean text and at most
// PopulationSourceMax characters. It does not check PartyID, which the store
// checks against the parties. The error is a FieldErrorf naming the field
// (inhabitants, reference_date or source) with a Swedish message.
func (p Population) Validate() error {
	if p.Inhabitants <= 0 {
		return FieldErrorf("inhabitants", "Invånarantalet måste vara större än noll.")
	}
	if p.ReferenceDate.IsZero() {
		return FieldErrorf("reference_date", "Ange vilket datum invånarantalet avser.")
	}
	if err := CheckDateRange("reference_date", "Referensdatumet", p.ReferenceDate); err != nil {
		return err
	}
	if strings.TrimSpace(p.Source) == "" {
		return FieldErrorf("source", "Ange källan, t.ex. SCB, folkmängd 1 november 2020.")
	}
	return CheckText("source", "Källan", p.Source, PopulationSourceMax)
}

// ParsePopulation reads a number of inhabitants as people write it, with or
// without thousands separators: "63985", "63 985", with a no-break or thin space
// as well, as text copied from SCB's tables has. It refuses anything but a whole
// number above zero; a decimal comma or point is refused rather than rounded,
// because a population figure with decimals is a mistake in the source. Errors
// are FieldErrorf for the inhabitants field with a Swedish message.
func ParsePopulation(s string) (int64, error) {
	digits := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\u2009':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if digits == "" {
		return 0, FieldErrorf("inhabitants", "Ange invånarantalet, t.ex. 63 985.")
	}
	negative := false
	if r, size := utf8.DecodeRuneInString(digits); r == '-' || r == '\u2212' {
		negative, digits = true, digits[size:]
	}
	if strings.ContainsAny(digits, ",.") {
		return 0, FieldErrorf("inhabitants", "Invånarantalet måste vara ett heltal.")
	}
	if digits == "" || !ASCIIDigitsOnly(digits) {
		return 0, FieldErrorf("inhabitants", "Invånarantalet får bara innehålla siffror, t.ex. 63 985.")
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, FieldErrorf("inhabitants", "Invånarantalet är orimligt stort.")
	}
	if negative || n == 0 {
		return 0, FieldErrorf("inhabitants", "Invånarantalet måste vara större än noll.")
	}
	return n, nil
}
