package domain

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/region-jh/gns/sv"
)

// CaseNumber is a diarienummer, PREFIX/löpnummer/år such as GNS/10/2020: the
// committee's code, the running number within the year, and the year of
// registration. The running number starts at 1 each calendar year and is unique
// per committee and year, so the three fields together identify a case.
type CaseNumber struct {
	// Prefix is the committee's code in upper case, e.g. "GNS".
	Prefix string
	// Seq is the running number (löpnummer) within the year, from 1.
	Seq int
	// Year is the year the case was registered.
	Year int
}

// Limits on the parts of a case number.
const (
	// CaseNumberPrefixMin and CaseNumberPrefixMax bound the length of the
	// prefix, a committee code of ASCII letters.
	CaseNumberPrefixMin = 2
	CaseNumberPrefixMax = 10
	// CaseNumberSeqMax is the highest running number accepted, far above the
	// few hundred cases a committee registers in a year, so a stray digit is
	// caught instead of stored.
	CaseNumberSeqMax = 999999
	// CaseNumberYearMin is the earliest year a case number may carry.
	CaseNumberYearMin = 1900
)

// ParseCaseNumber reads a case number as people write it. Surrounding spaces
// are ignored, the prefix may be typed in lower case and is stored in upper
// case, and the running number may be zero-padded (GNS/03/2019 is case 3 of
// 2019), as in older registers; the year must be four digits. It checks the
// form only: whether the number belongs to a given committee, and whether its
// year is plausible, is Validate's job. Errors are EINVALID with a Swedish
// message.
func ParseCaseNumber(s string) (CaseNumber, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return CaseNumber{}, Errorf(EINVALID, "Ange ett diarienummer, t.ex. GNS/10/2020.")
	}
	parts := strings.Split(in, "/")
	if len(parts) != 3 {
		return CaseNumber{}, Errorf(EINVALID, "Diarienumret %s ska skrivas PREFIX/löpnummer/år, t.ex. GNS/10/2020.", sv.Quote(in))
	}
	prefix, ok := caseNumberPrefix(parts[0])
	seq, year := parts[1], parts[2]
	if !ok {
		return CaseNumber{}, Errorf(EINVALID, "Diarienumret %s har ett ogiltigt prefix: det ska vara nämndens kod, %d–%d bokstäver A–Z, t.ex. GNS/10/2020.",
			sv.Quote(in), CaseNumberPrefixMin, CaseNumberPrefixMax)
	}
	if seq == "" || !ASCIIDigitsOnly(seq) {
		return CaseNumber{}, Errorf(EINVALID, "Löpnumret i diarienumret %s ska vara ett heltal, t.ex. GNS/10/2020.", sv.Quote(in))
	}
	n := strings.TrimLeft(seq, "0")
	if n == "" {
		return CaseNumber{}, Errorf(EINVALID, "Löpnumret i diarienumret %s ska vara minst 1.", sv.Quote(in))
	}
	if len(n) > len(strconv.Itoa(CaseNumberSeqMax)) {
		return CaseNumber{}, Errorf(EINVALID, "Löpnumret i diarienumret %s får vara högst %d.", sv.Quote(in), CaseNumberSeqMax)
	}
	if len(year) != 4 || !ASCIIDigitsOnly(year) {
		return CaseNumber{}, Errorf(EINVALID, "Årtalet i diarienumret %s ska skrivas med fyra siffror, t.ex. GNS/10/2020.", sv.Quote(in))
	}
	c := CaseNumber{Prefix: prefix}
	c.Seq, _ = strconv.Atoi(n)     // at most six digits: cannot fail
	c.Year, _ = strconv.Atoi(year) // four digits: cannot fail
	return c, nil
}

// String writes the case number in its canonical form, without zero padding in
// the running number: GNS/3/2019. The year is always four digits, so the result
// parses back to the same CaseNumber.
func (c CaseNumber) String() string {
	return fmt.Sprintf("%s/%d/%04d", c.Prefix, c.Seq, c.Year)
}

// IsZero reports whether c is the zero CaseNumber (no case number).
func (c CaseNumber) IsZero() bool { return c == CaseNumber{} }

// Validate checks that c is a well-formed case number of the committee whose
// code is prefix (compared without regard to case) and that its year is not
// later than today's year nor earlier than CaseNumberYearMin: a case cannot be
// registered in the future, and a number from another committee's register must
// not be filed under this one. It returns an EINVALID error with a Swedish
// message, or an internal error if today is not set.
func (c CaseNumber) Validate(prefix string, today Date) error {
	if today.IsZero() {
		return errors.New("validate case number: today is not set")
	}
	if p, ok := caseNumberPrefix(c.Prefix); !ok || p != c.Prefix || c.Seq < 1 || c.Seq > CaseNumberSeqMax || c.Year < 0 || c.Year > 9999 {
		return Errorf(EINVALID, "Diarienumret %s ska skrivas PREFIX/löpnummer/år, t.ex. GNS/10/2020.", sv.Quote(c.String()))
	}
	if p, _ := caseNumberPrefix(strings.TrimSpace(prefix)); p != c.Prefix {
		return Errorf(EINVALID, "Diarienumret %s hör inte till nämnden %s.", c, strings.TrimSpace(prefix))
	}
	if c.Year > today.Year {
		return Errorf(EINVALID, "Diarienumret %s har ett årtal efter innevarande år (%d).", c, today.Year)
	}
	if c.Year < CaseNumberYearMin {
		return Errorf(EINVALID, "Diarienumret %s har ett för tidigt årtal; det ska vara %d eller senare.", c, CaseNumberYearMin)
	}
	return nil
}

// caseNumberPrefix returns p in upper case and reports whether it is a
// committee code of allowed length made of ASCII letters only. The check comes
// before the case mapping, because Unicode upper-casing turns some non-ASCII
// letters (the long s, the dotless i) into ASCII ones.
func caseNumberPrefix(p string) (string, bool) {
	if len(p) < CaseNumberPrefixMin || len(p) > CaseNumberPrefixMax {
		return "", false
	}
	b := []byte(p)
	for i, c := range b {
		switch {
		case 'a' <= c && c <= 'z':
			b[i] = c - 'a' + 'A'
		case 'A' <= c && c <= 'Z':
		default:
			return "", false
		}
	}
	return string(b), true
}
