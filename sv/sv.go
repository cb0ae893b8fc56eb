// Package sv holds the Swedish formats every page, PDF and export uses:
// amounts in kronor and tkr, percentages, whole numbers, dates and times, and
// the parsing of an amount as a Swede types it. Keeping them in one package
// makes every surface of the system write "1 234 567,50 kr" the same way.
//
// Numbers are grouped in threes with a no-break space (U+00A0) and written with a
// decimal comma; the same no-break space separates a number from its unit ("kr",
// "%", "inv."), so a line never breaks between them. Negative numbers carry the
// typographic minus sign "−" (U+2212), not the hyphen-minus, as Swedish print does;
// ParseAmount accepts both. Values are rounded for display half away from zero
// (decimal.Decimal's Round), and a value that rounds to zero is shown without a
// sign, never as "−0".
//
// Dates are ISO 8601 ("2020-12-14"), written out in running text ("14 december
// 2020"); times are "kl. 09.00" in Swedish time (Europe/Stockholm), whatever the
// location of the time.Time passed in.
package sv

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Stockholm must load on servers without a zone database

	"github.com/shopspring/decimal"
)

// NoBreakSpace is the thousands separator and the space between a number and
// its unit.
const NoBreakSpace = "\u00a0"

// MinusSign is the sign written before negative numbers.
const MinusSign = "\u2212"

var stockholm = mustLoadLocation("Europe/Stockholm")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("sv: " + err.Error()) // cannot happen: time/tzdata is embedded
	}
	return loc
}

// Location returns Swedish time (Europe/Stockholm), the zone every time is
// shown in.
func Location() *time.Location { return stockholm }

// Kronor formats an amount in kronor with two decimals and the unit:
// "1 234 567,50 kr", "−52 010,11 kr". Sub-öre input is rounded half away from
// zero.
func Kronor(d decimal.Decimal) string {
	return Amount(d) + NoBreakSpace + "kr"
}

// Amount formats an amount in kronor with two decimals and no unit, for table
// cells: "1 234 567,50". Sub-öre input is rounded half away from zero.
func Amount(d decimal.Decimal) string {
	return number(d, 2)
}

// WholeKronor formats an amount rounded to whole kronor (half away from zero),
// with the unit: "52 011 kr". It is for amounts split in whole kronor.
func WholeKronor(d decimal.Decimal) string {
	return number(d, 0) + NoBreakSpace + "kr"
}

// Tkr formats an amount in kronor as thousands of kronor with no decimals, the
// way financial tables show it: 2151000 gives "2 151", −1474499 gives "−1 474".
// It rounds half away from zero and adds no unit, since the column heading
// says "tkr". Sums and differences should be computed on the exact amounts and
// only the result passed here.
func Tkr(d decimal.Decimal) string {
	return number(d.Shift(-3), 0)
}

// Percent formats a percentage with the given number of decimals (negative
// counts as zero), rounded half away from zero: Percent(23.9749, 2) gives
// "23,97 %".
func Percent(d decimal.Decimal, places int32) string {
	return number(d, max(places, 0)) + NoBreakSpace + "%"
}

// ExactPercent formats a percentage with every decimal it has, "23,97 %",
// as a key or a fixed share is written in a decision.
func ExactPercent(d decimal.Decimal) string {
	return Exact(d, 0) + NoBreakSpace + "%"
}

// Integer formats a whole number such as a population figure: "63 985".
func Integer(n int64) string {
	return number(decimal.NewFromInt(n), 0)
}

// Exact formats d with every significant decimal it has, but at least
// minPlaces of them, without rounding: Exact(52010.1111111111, 2) gives
// "52 010,1111111111" and Exact(101600, 2) gives "101 600,00". It is for values
// whose precision matters to the reader, such as the exact quota of a split.
func Exact(d decimal.Decimal, minPlaces int32) string {
	places := max(minPlaces, 0)
	if s := d.String(); strings.Contains(s, ".") {
		_, frac, _ := strings.Cut(s, ".")
		places = max(places, int32(len(frac)))
	}
	return number(d, places)
}

// number rounds d half away from zero to places decimals and writes it with
// grouped thousands, a decimal comma and a minus sign when it is below zero.
func number(d decimal.Decimal, places int32) string {
	d = d.Round(places)
	digits := d.Abs().StringFixed(places)
	intPart, frac, _ := strings.Cut(digits, ".")

	var b strings.Builder
	if d.Sign() < 0 {
		b.WriteString(MinusSign)
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(NoBreakSpace)
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

// months are the Swedish month names, lower case as Swedish writes them.
var months = [...]string{
	"januari", "februari", "mars", "april", "maj", "juni",
	"juli", "augusti", "september", "oktober", "november", "december",
}

// Count writes a number with the noun in the form that fits it: "1
// period", "3 perioder", "0 perioder".
func Count(n int, one, many string) string {
	if n == 1 || n == -1 {
		return Integer(int64(n)) + " " + one
	}
	return Integer(int64(n)) + " " + many
}

// MonthName returns the Swedish name of a month, "januari".
func MonthName(m time.Month) string {
	if m < time.January || m > time.December {
		return ""
	}
	return months[m-1]
}

// Day is a calendar date as domain.Date holds one. sv takes dates through it
// so that it imports nothing of GNS and every package may use it.
type Day interface {
	IsZero() bool
	Time() time.Time
}

var weekdays = [...]string{"söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"}

// WeekdayName returns the Swedish name of a day of the week, "måndag".
func WeekdayName(w time.Weekday) string { return weekdays[w] }

// Date formats a date the ISO way, "2020-12-14", or "" for the zero date.
func Date(d Day) string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format(time.DateOnly)
}

// LongDate formats a date for running text, "14 december 2020", or "" for the
// zero Date.
func LongDate(d Day) string {
	if d.IsZero() {
		return ""
	}
	t := d.Time()
	return fmt.Sprintf("%d %s %d", t.Day(), months[t.Month()-1], t.Year())
}

// Time formats the time of day in Swedish time, "kl. 09.00", or "" for the
// zero time.
func Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return clock(t.In(stockholm))
}

// clock writes the time of day of t the Swedish way, "kl. 09.00".
func clock(t time.Time) string {
	return fmt.Sprintf("kl. %02d.%02d", t.Hour(), t.Minute())
}

// DateTime formats a moment in Swedish time, "2020-12-14 kl. 09.00", or "" for
// the zero time.
func DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(stockholm)
	return t.Format(time.DateOnly) + " " + clock(t)
}

// List joins items the Swedish way: "a", "a och b", "a, b och c".
func List(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " och " + items[len(items)-1]
}
