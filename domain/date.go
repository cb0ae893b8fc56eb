package domain

import (
	"fmt"
	"time"

	"github.com/region-jh/gns/sv"
)

// Date is a calendar date without time of day or zone, such as a population
// reference date or the day a party joined a committee.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateLayout is the ISO 8601 form dates are written and parsed in (2020-12-14).
const DateLayout = "2006-01-02"

// MinYear and MaxYear bound the years of every date GNS accepts: a date
// field holds a plausible day of a committee's life (1900-01-01 through
// 2199-12-31), the same on both engines. Without the bound, year 0 was stored
// by SQLite and refused by PostgreSQL, and year 9999 plus a day could not be
// written to the audit trail's JSON.
const (
	MinYear = 1900
	MaxYear = 2199
)

// MinDate and MaxDate are the first and last dates GNS accepts.
var (
	MinDate = Date{Year: MinYear, Month: time.January, Day: 1}
	MaxDate = Date{Year: MaxYear, Month: time.December, Day: 31}
)

// DateRangeMessage is the Swedish message for a date outside MinDate …
// MaxDate.
const DateRangeMessage = "Datumet måste ligga mellan 1900-01-01 och 2199-12-31."

// ParseDate reads an ISO date (YYYY-MM-DD) and rejects impossible dates and
// dates outside MinDate … MaxDate. Errors are EINVALID with a Swedish
// message.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return Date{}, Errorf(EINVALID, "Datumet %s är inget giltigt datum: skriv ÅÅÅÅ-MM-DD, t.ex. 2020-12-31.", sv.Quote(s))
	}
	d := DateOf(t)
	if !d.InRange() {
		return Date{}, Errorf(EINVALID, "%s", DateRangeMessage)
	}
	return d, nil
}

// InRange reports whether d lies within MinDate … MaxDate. The zero Date
// (no date) does not.
func (d Date) InRange() bool {
	return !d.Before(MinDate) && !d.After(MaxDate)
}

// CheckDateRange checks that a date given for field lies within MinDate …
// MaxDate; the zero Date (no date) passes. The error is a field error
// naming label, the field's Swedish name in the definite form.
func CheckDateRange(field, label string, d Date) error {
	if d.IsZero() || d.InRange() {
		return nil
	}
	return FieldErrorf(field, "%s måste ligga mellan %s och %s.", label, MinDate, MaxDate)
}

// MustDate is ParseDate for constants in code and tests; it panics on a bad date.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d == Date{} }

// Time returns midnight UTC at the start of d.
func (d Date) Time() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// String formats d as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.Time().Before(e.Time()) }

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.Time().After(e.Time()) }

// MarshalJSON writes d as "YYYY-MM-DD", or null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads "YYYY-MM-DD" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return jsonDateError{Errorf(EINVALID, "Datumet %s är inget giltigt datum: skriv \"ÅÅÅÅ-MM-DD\" eller null.", b)}
	}
	parsed, err := ParseDate(string(b[1 : len(b)-1]))
	if e, ok := err.(*Error); ok {
		return jsonDateError{e}
	} else if err != nil {
		return err
	}
	*d = parsed
	return nil
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.Time().Weekday() }

// AddDays returns the date n days after d (before, for negative n).
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// WeekdayName returns the Swedish name of d's day of the week, e.g. "måndag".
func (d Date) WeekdayName() string { return sv.WeekdayName(d.Weekday()) }

// jsonDateError is the error of Date.UnmarshalJSON: its text is the Swedish
// message alone, since the JSON decoder's caller shows it as it is, and it
// unwraps to the domain error.
type jsonDateError struct{ err *Error }

func (e jsonDateError) Error() string { return e.err.Message }
func (e jsonDateError) Unwrap() error { return e.err }
