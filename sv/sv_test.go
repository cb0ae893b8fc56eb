package sv

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// nb writes want strings readably: every plain space becomes the no-break
// space the formats use.
func nb(s string) string { return strings.ReplaceAll(s, " ", NoBreakSpace) }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestNumbers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		f    func(decimal.Decimal) string
		in   string
		want string
	}{
		{"Kronor", Kronor, "1234567.5", "1 234 567,50 kr"},
		{"Kronor", Kronor, "914400", "914 400,00 kr"},
		{"Kronor", Kronor, "0", "0,00 kr"},
		{"Kronor", Kronor, "-52010.11", "−52 010,11 kr"},
		{"Kronor", Kronor, "0.005", "0,01 kr"},   // half away from zero
		{"Kronor", Kronor, "-0.005", "−0,01 kr"}, // half away from zero
		{"Kronor", Kronor, "0.0049", "0,00 kr"},
		{"Kronor", Kronor, "-0.004", "0,00 kr"}, // never −0
		{"Kronor", Kronor, "400000", "400 000,00 kr"},
		{"Kronor", Kronor, "-52010.115", "−52 010,12 kr"},
		{"Kronor", Kronor, "-0.001", "0,00 kr"},
		{"Amount", Amount, "1234567.50", "1 234 567,50"},
		{"Amount", Amount, "999.999", "1 000,00"},
		{"Amount", Amount, "100", "100,00"},
		{"Amount", Amount, "1000", "1 000,00"},
		{"Amount", Amount, "52010.12", "52 010,12"},
		{"Amount", Amount, "-123456789012.34", "−123 456 789 012,34"},
		{"Tkr", Tkr, "2151000", "2 151"},
		{"Tkr", Tkr, "-1474499", "−1 474"},
		{"Tkr", Tkr, "-1474500", "−1 475"},
		{"Tkr", Tkr, "1500", "2"},
		{"Tkr", Tkr, "0", "0"},
		{"Tkr", Tkr, "-499.99", "0"},
		{"Tkr", Tkr, "-615000", "−615"},
		{"WholeKronor", WholeKronor, "52011", "52 011 kr"},
		{"WholeKronor", WholeKronor, "52010.50", "52 011 kr"},
		{"WholeKronor", WholeKronor, "-468091", "−468 091 kr"},
		{"WholeKronor", WholeKronor, "-0.4", "0 kr"},
		{"Percent2", func(d decimal.Decimal) string { return Percent(d, 2) }, "23.9749", "23,97 %"},
		{"Percent2", func(d decimal.Decimal) string { return Percent(d, 2) }, "50", "50,00 %"},
		{"Percent0", func(d decimal.Decimal) string { return Percent(d, 0) }, "50", "50 %"},
		{"Percent1", func(d decimal.Decimal) string { return Percent(d, 1) }, "-2.25", "−2,3 %"},
		{"Percent-1", func(d decimal.Decimal) string { return Percent(d, -1) }, "12.5", "13 %"},
		{"Exact2", func(d decimal.Decimal) string { return Exact(d, 2) }, "52010.1111111111", "52 010,1111111111"},
		{"Exact2", func(d decimal.Decimal) string { return Exact(d, 2) }, "101600", "101 600,00"},
		{"Exact2", func(d decimal.Decimal) string { return Exact(d, 2) }, "101600.0000000000", "101 600,00"},
		{"Exact2", func(d decimal.Decimal) string { return Exact(d, 2) }, "-0.5", "−0,50"},
		{"Exact0", func(d decimal.Decimal) string { return Exact(d, 0) }, "50", "50"},
		{"Exact0", func(d decimal.Decimal) string { return Exact(d, 0) }, "33.333", "33,333"},
	}
	for _, tt := range tests {
		if got, want := tt.f(dec(tt.in)), nb(tt.want); got != want {
			t.Errorf("%s(%s) = %q, want %q", tt.name, tt.in, got, want)
		}
	}
}

func TestInteger(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0"},
		{7, "7"},
		{999, "999"},
		{5208, "5 208"},
		{63985, "63 985"},
		{130000, "130 000"},
		{1234567, "1 234 567"},
		{-1000, "−1 000"},
		{-9223372036854775808, "−9 223 372 036 854 775 808"},
	}
	for _, tt := range tests {
		if got, want := Integer(tt.in), nb(tt.want); got != want {
			t.Errorf("Integer(%d) = %q, want %q", tt.in, got, want)
		}
	}
}

// day is a calendar date as domain.Date is (sv cannot import domain).
type day struct{ t time.Time }

func (d day) IsZero() bool    { return d.t.IsZero() }
func (d day) Time() time.Time { return d.t }

func TestDates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in        day
		iso, long string
	}{
		{day{time.Date(2020, 12, 14, 0, 0, 0, 0, time.UTC)}, "2020-12-14", "14 december 2020"},
		{day{time.Date(2021, 2, 8, 0, 0, 0, 0, time.UTC)}, "2021-02-08", "8 februari 2021"},
		{day{time.Date(2018, 7, 1, 0, 0, 0, 0, time.UTC)}, "2018-07-01", "1 juli 2018"},
		{day{time.Date(2021, 5, 3, 0, 0, 0, 0, time.UTC)}, "2021-05-03", "3 maj 2021"},
		{day{time.Date(2020, 3, 31, 0, 0, 0, 0, time.UTC)}, "2020-03-31", "31 mars 2020"},
		{day{}, "", ""},
	}
	for _, tt := range tests {
		if got := Date(tt.in); got != tt.iso {
			t.Errorf("Date(%v) = %q, want %q", tt.in, got, tt.iso)
		}
		if got := LongDate(tt.in); got != tt.long {
			t.Errorf("LongDate(%v) = %q, want %q", tt.in, got, tt.long)
		}
	}
}

func TestTimes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in             time.Time
		clock, instant string
	}{
		// Winter: Stockholm is UTC+1.
		{time.Date(2020, 12, 14, 8, 0, 0, 0, time.UTC), "kl. 09.00", "2020-12-14 kl. 09.00"},
		// Summer: UTC+2.
		{time.Date(2021, 5, 3, 11, 30, 59, 0, time.UTC), "kl. 13.30", "2021-05-03 kl. 13.30"},
		// The date is the Swedish one, not the UTC one.
		{time.Date(2020, 12, 31, 23, 15, 0, 0, time.UTC), "kl. 00.15", "2021-01-01 kl. 00.15"},
		// A time in another zone is shown in Swedish time.
		{time.Date(2020, 12, 14, 9, 0, 0, 0, time.FixedZone("X", -5*3600)), "kl. 15.00", "2020-12-14 kl. 15.00"},
		{time.Time{}, "", ""},
	}
	for _, tt := range tests {
		if got := Time(tt.in); got != tt.clock {
			t.Errorf("Time(%v) = %q, want %q", tt.in, got, tt.clock)
		}
		if got := DateTime(tt.in); got != tt.instant {
			t.Errorf("DateTime(%v) = %q, want %q", tt.in, got, tt.instant)
		}
	}
	if Location().String() != "Europe/Stockholm" {
		t.Errorf("Location() = %v", Location())
	}
}

func TestParseAmount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string
	}{
		{"1 234,50", "1234.50"},
		{"1234.50", "1234.50"},
		{"1234,5", "1234.5"},
		{"1 234 567,5", "1234567.5"},
		{"1\u00a0234\u00a0567,50\u00a0kr", "1234567.50"},
		{"1\u2009234", "1234"},
		{"1\u202f234", "1234"},
		{"  468 091,00 kr ", "468091"},
		{"468091kr", "468091"},
		{"100 KR", "100"},
		{"-52 010,11", "-52010.11"},
		{"−52 010,11 kr", "-52010.11"},
		{"- 5", "-5"},
		{"0", "0"},
		{"-0", "0"},
		{"0,07", "0.07"},
		{"007", "7"},
		{"1 234:-", "1234"},
		{"500,-", "500"},
		{"999 999 999 999 999,99", "999999999999999.99"},
	}
	for _, tt := range tests {
		got, err := ParseAmount(tt.in)
		if err != nil {
			t.Errorf("ParseAmount(%q): %v", tt.in, err)
			continue
		}
		if !got.Equal(dec(tt.want)) {
			t.Errorf("ParseAmount(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseAmountRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string // the user-facing message
	}{
		{"", "Ange ett belopp."},
		{"  \u00a0", "Ange ett belopp."},
		{"12a", `Beloppet "12a" är inte ett tal.`},
		{"abc", `Beloppet "abc" är inte ett tal.`},
		{"kr", `Beloppet "kr" är inte ett tal.`},
		{"-", `Beloppet "-" är inte ett tal.`},
		{"+5", `Beloppet "+5" är inte ett tal.`},
		{",50", `Beloppet ",50" är inte ett tal.`},
		{"12,", `Beloppet "12," är inte ett tal.`},
		{"1e5", `Beloppet "1e5" är inte ett tal.`},
		{"--5", `Beloppet "--5" är inte ett tal.`},
		{"5-", `Beloppet "5-" är inte ett tal.`},
		{"1  234", `Beloppet "1  234" är inte ett tal.`},
		{" 12\t34", `Beloppet "12�34" är inte ett tal.`},
		{"١٢٣", `Beloppet "١٢٣" är inte ett tal.`},
		{"12,5 0", `Beloppet "12,5 0" är inte ett tal.`},
		{"12,345", "Beloppet får ha högst två decimaler."},
		{"0.001", "Beloppet får ha högst två decimaler."},
		{"1,2,3", `Beloppet "1,2,3" har mer än ett decimaltecken. Skriv tusental med mellanslag, till exempel 1 234 567,50.`},
		{"1.234,50", `Beloppet "1.234,50" har mer än ett decimaltecken. Skriv tusental med mellanslag, till exempel 1 234 567,50.`},
		{"12 34", `Beloppet "12 34" har fel siffergruppering. Skriv tusental i grupper om tre siffror, till exempel 1 234 567,50.`},
		{"1234 567", `Beloppet "1234 567" har fel siffergruppering. Skriv tusental i grupper om tre siffror, till exempel 1 234 567,50.`},
		{"1 000 000 000 000 000", "Beloppet är för stort."},
		{strings.Repeat("9", 40), "Beloppet är för stort."},
		{strings.Repeat("x", 40), `Beloppet "` + strings.Repeat("x", 29) + `…" är inte ett tal.`},
	}
	for _, tt := range tests {
		_, err := ParseAmount(tt.in)
		if err == nil {
			t.Errorf("ParseAmount(%q) succeeded, want %q", tt.in, tt.want)
			continue
		}
		var e *InputError
		if !errors.As(err, &e) {
			t.Errorf("ParseAmount(%q): %v is not an *InputError", tt.in, err)
			continue
		}
		if got := e.Message; got != tt.want {
			t.Errorf("ParseAmount(%q): message %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzParseAmount checks that whatever ParseAmount accepts has at most two
// decimals, and reads back as the same value once written with Amount and
// with Kronor.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{
		"1 234,50", "1234.50", "1 234 567,5", "−52 010,11 kr", "-0", "0,07",
		"1\u00a0234", "12a", "1,2,3", "1 234:-", "999 999 999 999 999,99", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseAmount(s)
		if err != nil {
			var e *InputError
			if !errors.As(err, &e) {
				t.Fatalf("ParseAmount(%q): %v is not an *InputError", s, err)
			}
			return
		}
		if !d.Shift(2).IsInteger() {
			t.Fatalf("ParseAmount(%q) = %s, more than two decimals", s, d)
		}
		for _, format := range []func(decimal.Decimal) string{Amount, Kronor} {
			written := format(d)
			again, err := ParseAmount(written)
			if err != nil {
				t.Fatalf("ParseAmount(%q) = %s, written %q, which does not parse: %v", s, d, written, err)
			}
			if !again.Equal(d) {
				t.Fatalf("ParseAmount(%q) = %s, written %q, read back as %s", s, d, written, again)
			}
		}
	})
}
