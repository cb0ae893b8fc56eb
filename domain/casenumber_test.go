package domain

import (
	"strings"
	"testing"

	"github.com/region-jh/gns/sv"
)

func TestParseCaseNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    CaseNumber
		wantStr string
	}{
		{"GNS/10/2020", CaseNumber{"GNS", 10, 2020}, "GNS/10/2020"},
		{"GNS/03/2019", CaseNumber{"GNS", 3, 2019}, "GNS/3/2019"},
		{"  gns/3/2019\t", CaseNumber{"GNS", 3, 2019}, "GNS/3/2019"},
		{"Uph/1/2021", CaseNumber{"UPH", 1, 2021}, "UPH/1/2021"},
		{"ABCDEFGHIJ/999999/2020", CaseNumber{"ABCDEFGHIJ", 999999, 2020}, "ABCDEFGHIJ/999999/2020"},
		{"GNS/000999999/2020", CaseNumber{"GNS", 999999, 2020}, "GNS/999999/2020"},
		{"GNS/11/2018", CaseNumber{"GNS", 11, 2018}, "GNS/11/2018"},
		{"GN/1/0001", CaseNumber{"GN", 1, 1}, "GN/1/0001"}, // the form only; Validate refuses the year
	}
	for _, tt := range tests {
		got, err := ParseCaseNumber(tt.in)
		if err != nil {
			t.Errorf("ParseCaseNumber(%q) error = %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseCaseNumber(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
		if s := got.String(); s != tt.wantStr {
			t.Errorf("ParseCaseNumber(%q).String() = %q, want %q", tt.in, s, tt.wantStr)
		}
	}
}

func TestParseCaseNumberErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, wantMsg string }{
		{"", "Ange ett diarienummer"},
		{"   ", "Ange ett diarienummer"},
		{"X", `Diarienumret "X" ska skrivas PREFIX/löpnummer/år, t.ex. GNS/10/2020.`},
		{"GNS 10 2020", "ska skrivas PREFIX/löpnummer/år"},
		{"GNS/10/2020/1", "ska skrivas PREFIX/löpnummer/år"},
		{"GNS-10-2020", "ska skrivas PREFIX/löpnummer/år"},
		{"G/1/2020", "ogiltigt prefix"},
		{"ABCDEFGHIJK/1/2020", "ogiltigt prefix"},
		{"/1/2020", "ogiltigt prefix"},
		{"G1S/1/2020", "ogiltigt prefix"},
		{"GÅS/1/2020", "ogiltigt prefix"},
		{"gnſ/1/2020", "ogiltigt prefix"}, // long s upper-cases to S
		{"GNS /1/2020", "ogiltigt prefix"},
		{"GNS/0/2020", `Löpnumret i diarienumret "GNS/0/2020" ska vara minst 1.`},
		{"GNS/000/2020", "ska vara minst 1"},
		{"GNS/1000000/2020", "får vara högst 999999"},
		{"GNS/0001000000/2020", "får vara högst 999999"},
		{"GNS/99999999999999999999999/2020", "får vara högst 999999"},
		{"GNS//2020", "ska vara ett heltal"},
		{"GNS/+1/2020", "ska vara ett heltal"},
		{"GNS/-1/2020", "ska vara ett heltal"},
		{"GNS/1 /2020", "ska vara ett heltal"},
		{"GNS/١/2020", "ska vara ett heltal"}, // Arabic-Indic digit one
		{"GNS/10/20", "Årtalet i diarienumret \"GNS/10/20\" ska skrivas med fyra siffror"},
		{"GNS/10/02020", "fyra siffror"},
		{"GNS/10/", "fyra siffror"},
		{"GNS/10/20x0", "fyra siffror"},
		{"GNS/1/" + strings.Repeat("9", 100), "…"}, // long input is shortened in the message
	}
	for _, tt := range tests {
		_, err := ParseCaseNumber(tt.in)
		checkDomainError(t, "ParseCaseNumber("+sv.Quote(tt.in)+")", err, EINVALID, "", tt.wantMsg)
	}
}

func TestCaseNumberValidate(t *testing.T) {
	t.Parallel()
	today := MustDate("2020-12-14")
	tests := []struct {
		c       CaseNumber
		prefix  string
		wantMsg string // "" means valid
	}{
		{CaseNumber{"GNS", 3, 2019}, "GNS", ""},
		{CaseNumber{"GNS", 3, 2019}, "gns", ""},
		{CaseNumber{"GNS", 10, 2020}, " GNS ", ""},
		{CaseNumber{"GNS", 1, 1900}, "GNS", ""},
		{CaseNumber{"GNS", 3, 2019}, "UPH", "Diarienumret GNS/3/2019 hör inte till nämnden UPH."},
		{CaseNumber{"GNS", 3, 2019}, "", "hör inte till nämnden"},
		{CaseNumber{"GNS", 1, 2021}, "GNS", "Diarienumret GNS/1/2021 har ett årtal efter innevarande år (2020)."},
		{CaseNumber{"GNS", 1, 1899}, "GNS", "för tidigt årtal"},
		{CaseNumber{"GNS", 0, 2019}, "GNS", "ska skrivas PREFIX/löpnummer/år"},
		{CaseNumber{"GNS", 1000000, 2019}, "GNS", "ska skrivas PREFIX/löpnummer/år"},
		{CaseNumber{"gns", 1, 2019}, "GNS", "ska skrivas PREFIX/löpnummer/år"},
		{CaseNumber{"GNS", 1, -1}, "GNS", "ska skrivas PREFIX/löpnummer/år"},
		{CaseNumber{}, "GNS", "ska skrivas PREFIX/löpnummer/år"},
	}
	for _, tt := range tests {
		err := tt.c.Validate(tt.prefix, today)
		checkValidation(t, tt.c.String()+".Validate("+sv.Quote(tt.prefix)+")", err, "", tt.wantMsg)
	}
}

func TestCaseNumberValidateWithoutToday(t *testing.T) {
	t.Parallel()
	err := CaseNumber{"GNS", 3, 2019}.Validate("GNS", Date{})
	if got := ErrorCode(err); got != EINTERNAL {
		t.Errorf("Validate with zero today: code = %q, want %q", got, EINTERNAL)
	}
}

func FuzzParseCaseNumber(f *testing.F) {
	for _, s := range []string{"GNS/10/2020", "GNS/03/2019", " gns/3/2019 ", "GNS/0/2020", "GNS/1000000/2020", "GNS/10/20", "gnſ/1/2020", "A/B/C", "//"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCaseNumber(s)
		if err != nil {
			checkDomainError(t, "ParseCaseNumber", err, EINVALID, "", "")
			return
		}
		str := c.String()
		again, err := ParseCaseNumber(str)
		if err != nil {
			t.Fatalf("ParseCaseNumber(%q) = %+v, whose String %q does not parse: %v", s, c, str, err)
		}
		if again != c {
			t.Fatalf("ParseCaseNumber(%q) = %+v, but its String %q parses to %+v", s, c, str, again)
		}
		if again.String() != str {
			t.Fatalf("String not stable: %q, then %q", str, again.String())
		}
		if c.Seq < 1 || c.Seq > CaseNumberSeqMax || c.Year < 0 || c.Year > 9999 {
			t.Fatalf("ParseCaseNumber(%q) = %+v, out of range", s, c)
		}
		// A number that parsed is well formed, so Validate can only object
		// to the committee or the year.
		if err := c.Validate(c.Prefix, Date{Year: 9999, Month: 12, Day: 31}); err != nil && c.Year >= CaseNumberYearMin {
			t.Fatalf("%+v.Validate(own prefix) = %v", c, err)
		}
	})
}
