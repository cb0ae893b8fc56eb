package domain

import (
	"strings"

	"github.com/region-jh/gns/sv"
)

// The Peppol participant identifier schemes (ISO 6523 ICD and Peppol EAS
// codes) that Swedish buyers are addressed by, besides PeppolSchemeSE (0007,
// the organisation number).
const (
	// PeppolSchemeGLN is a GS1 Global Location Number: 13 digits, the last a
	// GS1 check digit. Regions and municipalities that route e-invoices to
	// units (a hospital, a school) publish GLNs.
	PeppolSchemeGLN = "0088"
	// PeppolSchemeSEVAT is the Swedish VAT number, SE + the ten digits of the
	// organisation number + 01. Peppol's EAS code list has withdrawn it, but
	// organisations registered under it in the Peppol network still receive
	// on it; see PeppolEndpoint.
	PeppolSchemeSEVAT = "9955"
)

// peppolIDHelp is what every refused Peppol id is told.
const peppolIDHelp = "Skriv schemat, kolon och numret: 0007: och organisationsnumrets tio siffror (0007:2321000214), 0088: och ett GLN med 13 siffror (0088:7300010000001) eller 9955: och momsregistreringsnumret (9955:SE232100021401)."

// ParsePeppolID reads a Peppol participant identifier of a Swedish buyer or
// seller, scheme:number, and returns it with surrounding spaces removed (and
// a VAT number's SE in capitals). Each scheme is checked by its own rule:
//
//   - 0007, the organisation number: ten digits, the third at least 2 and the
//     last the Luhn check digit (as ParseOrgNumber);
//   - 0088, a GS1 GLN: thirteen digits, the last the GS1 check digit;
//   - 9955, the Swedish VAT number: SE, a valid organisation number's ten
//     digits and 01.
//
// Other schemes are refused: Swedish public bodies are addressed by these.
// Errors are EINVALID with a Swedish message.
func ParsePeppolID(s string) (string, error) {
	in := strings.TrimSpace(s)
	scheme, number, ok := strings.Cut(in, ":")
	bad := func(what string) error {
		return Errorf(EINVALID, "Peppol-id:t %s %s %s", sv.Quote(in), what, peppolIDHelp)
	}
	if !ok {
		return "", bad("saknar schema.")
	}
	switch scheme {
	case PeppolSchemeSE:
		if len(number) != 10 || !ASCIIDigitsOnly(number) {
			return "", bad("ska ha organisationsnumrets tio siffror efter 0007:, utan bindestreck.")
		}
		if err := checkOrgNumberDigits(number, "Peppol-id:t", in); err != nil {
			return "", err
		}
		return in, nil
	case PeppolSchemeGLN:
		if len(number) != 13 || !ASCIIDigitsOnly(number) {
			return "", bad("ska ha ett GLN med 13 siffror efter 0088:.")
		}
		if !GLNValid(number) {
			return "", Errorf(EINVALID, "Peppol-id:t %s har fel kontrollsiffra för ett GLN. Kontrollera att det är rätt skrivet.", sv.Quote(in))
		}
		return in, nil
	case PeppolSchemeSEVAT:
		vat := strings.ToUpper(number)
		if len(vat) != 14 || !strings.HasPrefix(vat, "SE") || !strings.HasSuffix(vat, "01") || !ASCIIDigitsOnly(vat[2:]) {
			return "", bad("ska ha momsregistreringsnumret efter 9955: SE, organisationsnumrets tio siffror och 01.")
		}
		if err := checkOrgNumberDigits(vat[2:12], "Peppol-id:t", in); err != nil {
			return "", err
		}
		return scheme + ":" + vat, nil
	}
	return "", bad("har ett schema som GNS inte tar emot.")
}

// GLNValid reports whether digits is a GS1 Global Location Number: 13 digits
// whose last is the GS1 check digit (weights 3 and 1 from the right over the
// first twelve, the check digit making the sum a multiple of ten).
func GLNValid(digits string) bool {
	if len(digits) != 13 || !ASCIIDigitsOnly(digits) {
		return false
	}
	sum := 0
	for i := 0; i < 12; i++ {
		d := int(digits[11-i] - '0')
		if i%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return (10-sum%10)%10 == int(digits[12]-'0')
}

// PeppolEndpoint returns the scheme and number an e-invoice writes as the
// electronic address (EndpointID) of a party with the Peppol id id, which
// ParsePeppolID has accepted: the id itself for 0007 and 0088, and for a
// 9955 VAT number the organisation number inside it under 0007, because the
// EAS code list the invoice is validated against (PEPPOL-EN16931-CL008) no
// longer has 9955. ok is false for an id ParsePeppolID refuses.
func PeppolEndpoint(id string) (scheme, number string, ok bool) {
	normal, err := ParsePeppolID(id)
	if err != nil {
		return "", "", false
	}
	scheme, number, _ = strings.Cut(normal, ":")
	if scheme == PeppolSchemeSEVAT {
		return PeppolSchemeSE, number[2:12], true
	}
	return scheme, number, true
}
