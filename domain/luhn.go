package domain

// The Luhn algorithm (mod 10) guards Swedish organisation numbers, personal
// identity numbers and OCR payment references against mistyped digits: it
// catches every single wrong digit and most swaps of two neighbouring digits.

// LuhnCheckDigit returns the Luhn (mod 10) check digit to append to digits. It
// is what makes an OCR reference or an organisation number self-checking, so a
// payment or an invoice with a mistyped number can be caught before it is sent.
// The digits must be at least one ASCII digit and nothing else; any other input
// is an EINVALID error.
func LuhnCheckDigit(digits string) (int, error) {
	if digits == "" || !ASCIIDigitsOnly(digits) {
		return 0, Errorf(EINVALID, "Underlaget för en kontrollsiffra får bara innehålla siffror, minst en.")
	}
	// The payload's rightmost digit is doubled, because the check digit will
	// take the undoubled last place.
	return (10 - luhnSum(digits, true)%10) % 10, nil
}

// LuhnValid reports whether digits, whose last digit is the check digit, pass
// the Luhn (mod 10) test. It needs at least two digits, a payload and its check
// digit, and rejects anything that is not an ASCII digit, including spaces and
// hyphens, so callers normalise first.
func LuhnValid(digits string) bool {
	if len(digits) < 2 || !ASCIIDigitsOnly(digits) {
		return false
	}
	return luhnSum(digits, false)%10 == 0
}

// luhnSum adds up the digits of s from the right, doubling every second one
// (the rightmost first when doubleLast is set) and subtracting 9 from doubled
// values above 9. s must hold only ASCII digits.
func luhnSum(s string, doubleLast bool) int {
	sum := 0
	double := doubleLast
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum
}

// ASCIIDigitsOnly reports whether s consists of ASCII digits only (true for "").
func ASCIIDigitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
