package finance

import "github.com/region-jh/gns/domain"

// Length limits of an OCR reference, as Bankgirot defines them: the whole
// reference, check digit and any length digit included.
const (
	OCRMinLength = 2
	OCRMaxLength = 25
)

// NewOCR builds an OCR payment reference (OCR-nummer) for Bankgirot from base,
// the invoice's own digits: it appends, when withLengthDigit is set, a length
// digit (the total length of the reference, check digit included, mod 10) and
// then a Luhn (mod 10) check digit over everything before it. The check digit
// lets the payer's bank refuse a mistyped reference, and the length digit
// catches a dropped or added digit; whether the payee's bankgiro agreement asks
// for it decides withLengthDigit. The base must be ASCII digits and the result
// OCRMinLength–OCRMaxLength digits long; otherwise the error is EINVALID with a
// Swedish message.
func NewOCR(base string, withLengthDigit bool) (string, error) {
	if base == "" || !domain.ASCIIDigitsOnly(base) {
		return "", domain.Errorf(domain.EINVALID, "Underlaget till OCR-numret får bara innehålla siffror, minst en.")
	}
	total := len(base) + 1
	if withLengthDigit {
		total++
	}
	if total > OCRMaxLength {
		return "", domain.Errorf(domain.EINVALID, "Ett OCR-nummer får vara högst %d siffror, men underlaget ger %d.", OCRMaxLength, total)
	}
	ref := base
	if withLengthDigit {
		ref += string(rune('0' + total%10))
	}
	check, err := domain.LuhnCheckDigit(ref)
	if err != nil {
		return "", err // cannot happen: ref is digits only
	}
	return ref + string(rune('0'+check)), nil
}

// ValidOCR reports whether s is a well-formed OCR payment reference: ASCII
// digits only, OCRMinLength–OCRMaxLength long, a valid Luhn check digit last
// and, when withLengthDigit is set, a correct length digit before it. It is the
// check for references read back from payment files, so it accepts no spaces;
// strip them first.
func ValidOCR(s string, withLengthDigit bool) bool {
	minLen := OCRMinLength
	if withLengthDigit {
		minLen++ // at least one digit of base besides the length and check digits
	}
	if len(s) < minLen || len(s) > OCRMaxLength || !domain.LuhnValid(s) {
		return false
	}
	return !withLengthDigit || int(s[len(s)-2]-'0') == len(s)%10
}
