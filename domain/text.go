package domain

import (
	"errors"
	"unicode"
	"unicode/utf8"

	"github.com/region-jh/gns/sv"
	"github.com/shopspring/decimal"
)

// FoldSwedish returns the search key for a Swedish text: lower case, with
// whitespace runs collapsed to one space and trimmed. SQLite's lower() and LIKE
// fold ASCII letters only, so "ÅRE" would never match "Åre"; the store keeps a
// column filled with this key and folds the search term the same way, which
// makes a plain LIKE on that column case-insensitive for å, ä, ö, é and the
// rest of Unicode. Accents are kept, because å, ä and ö are letters of their own
// in Swedish and "Ål" is not "Al".
//
// Text typed on some systems arrives decomposed (a letter followed by a
// combining mark, as in "a\u030a" for å); the common Swedish and West European
// letters are composed so both spellings give the same key. Invalid UTF-8 bytes
// become U+FFFD. Folding a key again leaves it unchanged.
func FoldSwedish(s string) string {
	out := make([]rune, 0, len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = len(out) > 0
			continue
		}
		r = unicode.ToLower(r)
		if space {
			out = append(out, ' ')
			space = false
		} else if n := len(out); n > 0 {
			if c, ok := composeMark[[2]rune{out[n-1], r}]; ok {
				out[n-1] = c
				continue
			}
		}
		out = append(out, r)
	}
	return string(out)
}

// composeMark maps a lower-case letter and a following combining mark to the
// precomposed letter, for the letters Swedish text is likely to contain.
var composeMark = func() map[[2]rune]rune {
	const (
		grave      = '\u0300'
		acute      = '\u0301'
		circumflex = '\u0302'
		tilde      = '\u0303'
		diaeresis  = '\u0308'
		ring       = '\u030a'
		cedilla    = '\u0327'
	)
	m := make(map[[2]rune]rune)
	for mark, pairs := range map[rune]string{
		ring:       "aå",
		diaeresis:  "aäoöuüeëiïyÿ",
		acute:      "aáeéiíoóuúyý",
		grave:      "aàeèiìoòuù",
		circumflex: "aâeêiîoôuû",
		tilde:      "aãnñoõ",
		cedilla:    "cç",
	} {
		rs := []rune(pairs)
		for i := 0; i+1 < len(rs); i += 2 {
			m[[2]rune{rs[i], mark}] = rs[i+1]
		}
	}
	return m
}()

// CheckText checks free text from a form before it is stored: it must be valid
// UTF-8, hold no control characters other than line breaks and tabs, and be at
// most max characters (runes) long; max ≤ 0 means no length limit. Control
// characters are refused because they are invisible in the interface yet end up
// in public records, PDFs and e-invoices, where they break layouts and XML.
//
// The label is the field's Swedish name in the definite form, capitalised, as it
// begins the message ("Titeln" gives "Titeln får vara högst 300 tecken."). The
// error is a FieldErrorf for field. Whether the text may be empty is the
// caller's rule, not this function's.
func CheckText(field, label, s string, max int) error {
	if !utf8.ValidString(s) {
		return FieldErrorf(field, "%s innehåller ogiltiga tecken. Skriv in texten igen.", label)
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return FieldErrorf(field, "%s innehåller otillåtna styrtecken (%U). Ta bort dem och försök igen.", label, r)
		}
	}
	if max > 0 && utf8.RuneCountInString(s) > max {
		return FieldErrorf(field, "%s får vara högst %s tecken.", label, sv.Integer(int64(max)))
	}
	return nil
}

// ParseAmount reads an amount of kronor as a Swede types it (see
// sv.ParseAmount), refusing anything else with an EINVALID error whose
// message names what is wrong.
func ParseAmount(s string) (decimal.Decimal, error) {
	d, err := sv.ParseAmount(s)
	var e *sv.InputError
	if errors.As(err, &e) {
		return decimal.Zero, Errorf(EINVALID, "%s", e.Message)
	}
	return d, err
}
