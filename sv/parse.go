package sv

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// MaxAmountDigits is the most digits ParseAmount accepts before the decimal
// comma: amounts up to 999 999 999 999 999,99 kr, well inside what the database
// stores as integer öre.
const MaxAmountDigits = 15

// ParseAmount reads an amount in kronor the way a Swede types it: "1 234,50",
// "1234.50", "1 234 567,5", "-52 010,11 kr", "−500", "1 234:-". Thousands may be
// grouped in threes with a space, a no-break space or a thin space; the decimal
// separator is a comma or a point, with at most two decimals; a leading "-" or
// "−" makes it negative; " kr" may follow, and ":-" or ",-" may mark whole
// kronor. The value is returned exactly as typed, without rounding.
//
// Anything else is refused with an *InputError whose Swedish
// message can be shown to the user as it is, such as
// `Beloppet "12a" är inte ett tal.` or "Beloppet får ha högst två decimaler.".
func ParseAmount(s string) (decimal.Decimal, error) {
	t := strings.TrimFunc(s, unicode.IsSpace)
	if t == "" {
		return decimal.Zero, inputErrorf("Ange ett belopp.")
	}
	notNumber := inputErrorf("Beloppet %s är inte ett tal.", Quote(s))

	if rest, ok := cutSuffixFold(t, "kr"); ok {
		t = strings.TrimRightFunc(rest, unicode.IsSpace)
	}
	whole := false
	for _, mark := range []string{":-", ",-", ".-"} {
		if rest, ok := strings.CutSuffix(t, mark); ok {
			t, whole = rest, true
			break
		}
	}
	negative := false
	for _, sign := range []string{"-", MinusSign} {
		if rest, ok := strings.CutPrefix(t, sign); ok {
			t, negative = strings.TrimLeftFunc(rest, unicode.IsSpace), true
			break
		}
	}

	intPart, frac, hasSep := t, "", false
	if i := strings.IndexAny(t, ",."); i >= 0 {
		intPart, frac, hasSep = t[:i], t[i+1:], true
	}
	if hasSep && (whole || strings.ContainsAny(frac, ",.")) {
		return decimal.Zero, inputErrorf("Beloppet %s har mer än ett decimaltecken. Skriv tusental med mellanslag, till exempel 1 234 567,50.", Quote(s))
	}
	if hasSep && !allDigits(frac) {
		return decimal.Zero, notNumber
	}
	if len(frac) > 2 {
		return decimal.Zero, inputErrorf("Beloppet får ha högst två decimaler.")
	}

	groups := strings.FieldsFunc(intPart, isGroupSeparator)
	if len(groups) == 0 || strings.Join(groups, " ") != replaceGroupSeparators(intPart) {
		return decimal.Zero, notNumber // empty, or separators at an edge or doubled
	}
	for i, g := range groups {
		if !allDigits(g) {
			return decimal.Zero, notNumber
		}
		if len(groups) > 1 && (len(g) > 3 || i > 0 && len(g) != 3) {
			return decimal.Zero, inputErrorf("Beloppet %s har fel siffergruppering. Skriv tusental i grupper om tre siffror, till exempel 1 234 567,50.", Quote(s))
		}
	}
	digits := strings.TrimLeft(strings.Join(groups, ""), "0")
	if len(digits) > MaxAmountDigits {
		return decimal.Zero, inputErrorf("Beloppet är för stort.")
	}
	if digits == "" {
		digits = "0"
	}
	if frac != "" {
		digits += "." + frac
	}
	d, err := decimal.NewFromString(digits)
	if err != nil {
		return decimal.Zero, notNumber
	}
	if negative {
		d = d.Neg()
	}
	return d, nil
}

// isGroupSeparator reports whether r may separate groups of thousands: a
// space, a no-break space, a thin space, a narrow no-break space or a figure
// space.
func isGroupSeparator(r rune) bool {
	switch r {
	case ' ', '\u00a0', '\u2009', '\u202f', '\u2007':
		return true
	}
	return false
}

// replaceGroupSeparators writes every thousands separator in s as a plain space.
func replaceGroupSeparators(s string) string {
	return strings.Map(func(r rune) rune {
		if isGroupSeparator(r) {
			return ' '
		}
		return r
	}, s)
}

// cutSuffixFold is strings.CutSuffix ignoring ASCII case, so "KR" and "Kr" are
// units too.
func cutSuffixFold(s, suffix string) (string, bool) {
	if len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix) {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// Quote puts what the user typed in quotation marks for a message, trimmed,
// shortened if long, and with invisible characters replaced so the message
// stays one readable line.
func Quote(s string) string {
	s = strings.TrimFunc(s, unicode.IsSpace)
	if utf8.RuneCountInString(s) > 30 {
		s = string([]rune(s)[:29]) + "…"
	}
	s = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || !unicode.IsGraphic(r) {
			return '\ufffd'
		}
		return r
	}, s)
	return `"` + s + `"`
}

// InputError is input that could not be read, with a Swedish message that
// can be shown to the user as it is. domain.ParseAmount turns it into the
// domain's EINVALID error.
type InputError struct {
	Message string
}

// Error implements the error interface.
func (e *InputError) Error() string { return e.Message }

func inputErrorf(format string, args ...any) *InputError {
	return &InputError{Message: fmt.Sprintf(format, args...)}
}
