package domain

import (
	"strings"

	"github.com/region-jh/gns/sv"
)

// PeppolSchemeSE is the Peppol participant identifier scheme (ISO 6523 ICD 0007)
// for Swedish organisation numbers, the scheme Swedish public bodies receive
// e-invoices under.
const PeppolSchemeSE = "0007"

// ParseOrgNumber reads a Swedish organisation number (organisationsnummer) and
// returns it in the normalised form NNNNNN-NNNN. It accepts NNNNNN-NNNN, ten
// digits without the hyphen, and the twelve-digit form with the century-like
// prefix 16 (16NNNNNN-NNNN or 16NNNNNNNNNN) that some registers and the tax
// agency's systems use; surrounding spaces are ignored.
//
// The number is checked the way Skatteverket builds it: the third and fourth
// digits are at least 20, which tells an organisation number from a personal
// identity number, and the last digit is the Luhn check digit over the other
// nine. A mistyped number is thus refused before it reaches an invoice. Errors
// are EINVALID with a Swedish message.
func ParseOrgNumber(s string) (string, error) {
	in := strings.TrimSpace(s)
	digits, ok := orgNumberDigits(in)
	if !ok {
		return "", Errorf(EINVALID, "Organisationsnumret %s ska skrivas NNNNNN-NNNN, t.ex. 232100-0214.", sv.Quote(in))
	}
	if err := checkOrgNumberDigits(digits, "Organisationsnumret", in); err != nil {
		return "", err
	}
	return digits[:6] + "-" + digits[6:], nil
}

// orgNumberDigits returns the ten digits of an organisation number written in
// one of the accepted forms.
func orgNumberDigits(s string) (string, bool) {
	if len(s) == 12 || len(s) == 13 {
		if !strings.HasPrefix(s, "16") {
			return "", false
		}
		s = s[2:]
	}
	switch {
	case len(s) == 11 && s[6] == '-':
		s = s[:6] + s[7:]
	case len(s) != 10:
		return "", false
	}
	return s, ASCIIDigitsOnly(s)
}

// checkOrgNumberDigits checks ten digits as an organisation number. The message
// begins with what (the definite noun, "Organisationsnumret") and quotes in, the
// input as the user wrote it.
func checkOrgNumberDigits(digits, what, in string) error {
	if digits[2] < '2' {
		return Errorf(EINVALID, "%s %s hör inte till en organisation: tredje och fjärde siffran i ett organisationsnummer är minst 20.", what, sv.Quote(in))
	}
	if !LuhnValid(digits) {
		return Errorf(EINVALID, "%s %s har fel kontrollsiffra. Kontrollera att det är rätt skrivet.", what, sv.Quote(in))
	}
	return nil
}

// PeppolID returns the Peppol participant identifier of a Swedish organisation,
// the scheme 0007 and the ten digits of its organisation number
// (0007:2321000214 for 232100-0214). The organisation number may be in any form
// ParseOrgNumber accepts; for an invalid one PeppolID returns "", so a bad
// number never becomes an e-invoice address.
func PeppolID(org string) string {
	n, err := ParseOrgNumber(org)
	if err != nil {
		return ""
	}
	return PeppolSchemeSE + ":" + strings.Replace(n, "-", "", 1)
}
