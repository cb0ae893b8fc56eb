package finance

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/domaintest"
)

// FuzzParsePeriod: an accepted month is valid (a year of domain.MinDate …
// domain.MaxDate), reads back from its String and from JSON; a refused one
// is EINVALID, in JSON as well.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2020-08", "202008", " 2020-08 ", "1900-01", "2199-12", "2200-01", "1899-12", "2020-13", "2020-00", "+020-08", "2020-8", "20-08", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		var j Period
		jerr := json.Unmarshal([]byte(strconv.Quote(s)), &j)
		if err != nil {
			domaintest.CheckError(t, "ParsePeriod", err, domain.EINVALID, "", "Perioden")
			if jerr == nil {
				t.Fatalf("JSON %q accepted as %v, which ParsePeriod refuses", s, j)
			}
			return
		}
		if !p.Valid() {
			t.Fatalf("ParsePeriod(%q) = %v, not valid", s, p)
		}
		if again, err := ParsePeriod(p.String()); err != nil || again != p {
			t.Fatalf("ParsePeriod(%q) = %v, written %q, read back as %v, %v", s, p, p, again, err)
		}
		if b, _ := json.Marshal(p); json.Unmarshal(b, &j) != nil || j != p {
			t.Fatalf("period %v does not round-trip through JSON %s", p, b)
		}
	})
}

// FuzzParsePaymentMonths: accepted months are 1–12, ascending, each once,
// and read back from PaymentMonthsText; refused input is a field error.
func FuzzParsePaymentMonths(f *testing.F) {
	for _, s := range []string{"1", "1, 7", "1;4;7;10", " ", "7, 1", "1, 1", "13", "0", "1,,2", "+1", "-1", "januari"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		months, err := ParsePaymentMonths(s)
		if err != nil {
			domaintest.CheckError(t, "ParsePaymentMonths", err, domain.EINVALID, "payment_months", "")
			return
		}
		if len(months) == 0 {
			t.Fatalf("ParsePaymentMonths(%q): no month", s)
		}
		for i, m := range months {
			if m < 1 || m > 12 || (i > 0 && m <= months[i-1]) {
				t.Fatalf("ParsePaymentMonths(%q) = %v", s, months)
			}
		}
		text := Budget{PaymentMonths: months}.PaymentMonthsText()
		if again, err := ParsePaymentMonths(text); err != nil || len(again) != len(months) {
			t.Fatalf("ParsePaymentMonths(%q) = %v, written %q, read back as %v, %v", s, months, text, again, err)
		}
	})
}

// FuzzParseYears: a refund's originating years as the form takes them;
// accepted years have four digits and read back from FormatYears; refused
// input is a field error.
func FuzzParseYears(f *testing.F) {
	for _, s := range []string{"2018, 2019", "2018 och 2019", "2018;2019", "", " ", "+201", "20188", "år 2018", "2018,,2019"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		years, err := ParseYears(s)
		if err != nil {
			domaintest.CheckError(t, "ParseYears", err, domain.EINVALID, "origin_years", "")
			return
		}
		for _, y := range years {
			if y < 0 || y > 9999 {
				t.Fatalf("ParseYears(%q) = %v", s, years)
			}
		}
		if again, err := ParseYears(FormatYears(years)); err != nil || !slices.Equal(again, years) {
			t.Fatalf("ParseYears(%q) = %v, read back as %v, %v", s, years, again, err)
		}
	})
}

var bankgiroForm = regexp.MustCompile(`^[0-9]{3,4}-[0-9]{4}$`)

// FuzzCheckAccountFields checks the account number and bankgiro checks: an
// accepted account is digits only, an accepted bankgiro has the form and a
// valid check digit; refusals are field errors.
func FuzzCheckAccountFields(f *testing.F) {
	for _, s := range []string{"3611", "1510", "36x1", "12345678901", "5050-1055", "505-1055", "5050-1056", "50501055", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if err := CheckAccount("account", s); err != nil {
			domaintest.CheckError(t, "CheckAccount", err, domain.EINVALID, "account", "")
		} else if s == "" || len(s) > MaxAccountDigits || strings.Trim(s, "0123456789") != "" {
			t.Fatalf("CheckAccount accepted %q", s)
		}
		if err := CheckBankgiro(s); err != nil {
			domaintest.CheckError(t, "CheckBankgiro", err, domain.EINVALID, "bankgiro", "Bankgironumret")
		} else if !bankgiroForm.MatchString(s) || !domain.LuhnValid(strings.Replace(s, "-", "", 1)) {
			t.Fatalf("CheckBankgiro accepted %q", s)
		}
	})
}
