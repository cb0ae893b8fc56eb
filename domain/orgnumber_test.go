package domain

import (
	"regexp"
	"testing"

	"github.com/region-jh/gns/sv"
)

// The parties' organisation numbers, from their own registers.
var knownOrgNumbers = []struct{ name, org string }{
	{"Region Jämtland Härjedalen", "232100-0214"},
	{"Östersunds kommun", "212000-2528"},
	{"Härjedalens kommun", "212000-2510"},
	{"Strömsunds kommun", "212000-2486"},
}

func TestParseOrgNumberKnown(t *testing.T) {
	t.Parallel()
	for _, k := range knownOrgNumbers {
		digits := k.org[:6] + k.org[7:]
		for _, in := range []string{k.org, digits, "16" + k.org, "16" + digits, " " + k.org + "\t"} {
			got, err := ParseOrgNumber(in)
			if err != nil || got != k.org {
				t.Errorf("ParseOrgNumber(%q) (%s) = %q, %v, want %q, nil", in, k.name, got, err, k.org)
			}
		}
		if !LuhnValid(digits) {
			t.Errorf("%s: %s fails the Luhn check", k.name, k.org)
		}
	}
}

func TestParseOrgNumberErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, wantMsg string }{
		{"", "ska skrivas NNNNNN-NNNN"},
		{"232100-0215", `Organisationsnumret "232100-0215" har fel kontrollsiffra.`},
		{"2321000241", "har fel kontrollsiffra"},
		{"16232100-0215", "har fel kontrollsiffra"},
		{"811218-9876", "hör inte till en organisation"}, // a personnummer's shape
		{"232100 0214", "ska skrivas NNNNNN-NNNN"},
		{"23210-00214", "ska skrivas NNNNNN-NNNN"},
		{"232100-021", "ska skrivas NNNNNN-NNNN"},
		{"232100-02140", "ska skrivas NNNNNN-NNNN"},
		{"17232100-0214", "ska skrivas NNNNNN-NNNN"},
		{"19232100-0214", "ska skrivas NNNNNN-NNNN"},
		{"16232100+0214", "ska skrivas NNNNNN-NNNN"},
		{"SE232100021401", "ska skrivas NNNNNN-NNNN"}, // a VAT number is not an org number
		{"abcdef-ghij", "ska skrivas NNNNNN-NNNN"},
	}
	for _, tt := range tests {
		_, err := ParseOrgNumber(tt.in)
		checkDomainError(t, "ParseOrgNumber("+sv.Quote(tt.in)+")", err, EINVALID, "", tt.wantMsg)
	}
}

func TestPeppolID(t *testing.T) {
	t.Parallel()
	checkStringFunc(t, "PeppolID", PeppolID, []stringCase{
		{"232100-0214", "0007:2321000214"},
		{"2120002528", "0007:2120002528"},
		{"16212000-2510", "0007:2120002510"},
		{"232100-0215", ""},
		{"", ""},
	})
}

func TestParsePeppolID(t *testing.T) {
	t.Parallel()
	for _, k := range knownOrgNumbers {
		id := PeppolID(k.org)
		if got, err := ParsePeppolID(" " + id + " "); err != nil || got != id {
			t.Errorf("ParsePeppolID(%q) (%s) = %q, %v, want %q, nil", id, k.name, got, err, id)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"0088:7300010000001", "0088:7300010000001"},
		{" 9955:se232100021401", "9955:SE232100021401"},
		{"9955:SE212000252801", "9955:SE212000252801"},
	} {
		if got, err := ParsePeppolID(c.in); err != nil || got != c.want {
			t.Errorf("ParsePeppolID(%q) = %q, %v, want %q", c.in, got, err, c.want)
		}
	}
	tests := []struct{ in, wantMsg string }{
		{"0007:2321000215", `Peppol-id:t "0007:2321000215" har fel kontrollsiffra.`},
		{"0007:8112189876", "hör inte till en organisation"},
		{"0007:232100-0214", "ska ha organisationsnumrets tio siffror efter 0007:"},
		{"0007:232100021", "ska ha organisationsnumrets tio siffror efter 0007:"},
		{"0088:2321000214", "ska ha ett GLN med 13 siffror efter 0088:"},
		{"0088:7300010000002", "har fel kontrollsiffra för ett GLN"},
		{"9955:SE232100021501", "har fel kontrollsiffra"},
		{"9955:SE811218987601", "hör inte till en organisation"},
		{"9955:SE2321000214", "ska ha momsregistreringsnumret efter 9955:"},
		{"9955:2321000214", "ska ha momsregistreringsnumret efter 9955:"},
		{"0192:987654321", "har ett schema som GNS inte tar emot"},
		{"2321000214", "saknar schema"},
		{"0007 2321000214", "saknar schema"},
		{"", "saknar schema"},
	}
	for _, tt := range tests {
		_, err := ParsePeppolID(tt.in)
		checkDomainError(t, "ParsePeppolID("+sv.Quote(tt.in)+")", err, EINVALID, "", tt.wantMsg)
	}
	for id, want := range map[string]string{"0007:2321000214": "0007:2321000214", "0088:7300010000001": "0088:7300010000001",
		"9955:se232100021401": "0007:2321000214", "9955:SE2321000214": ":"} {
		scheme, number, _ := PeppolEndpoint(id)
		if got := scheme + ":" + number; got != want {
			t.Errorf("PeppolEndpoint(%q) = %q, want %q", id, got, want)
		}
	}
}

func TestGLNValid(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{"7300010000001": true, "7350053850019": true, "7300010000002": false, "730001000000": false, "73000100000011": false, "73000100000a1": false} {
		if GLNValid(s) != want {
			t.Errorf("GLNValid(%q) = %v", s, !want)
		}
	}
}

var orgNumberForm = regexp.MustCompile(`^[0-9]{2}[2-9][0-9]{3}-[0-9]{4}$`)

func FuzzParseOrgNumber(f *testing.F) {
	for _, s := range []string{"232100-0214", "2120002528", "16212000-2510", "162120002486", "232100-0215", "811218-9876", "0007:2321000214"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		org, err := ParseOrgNumber(s)
		if err != nil {
			checkDomainError(t, "ParseOrgNumber", err, EINVALID, "", "")
			if PeppolID(s) != "" {
				t.Fatalf("PeppolID(%q) = %q for an invalid organisation number", s, PeppolID(s))
			}
			return
		}
		if !orgNumberForm.MatchString(org) || !LuhnValid(org[:6]+org[7:]) {
			t.Fatalf("ParseOrgNumber(%q) = %q, not a valid normalised number", s, org)
		}
		if again, err := ParseOrgNumber(org); err != nil || again != org {
			t.Fatalf("ParseOrgNumber(%q) = %q, %v, want it unchanged", org, again, err)
		}
		id := PeppolID(s)
		if got, err := ParsePeppolID(id); err != nil || got != id || id != "0007:"+org[:6]+org[7:] {
			t.Fatalf("PeppolID(%q) = %q, which ParsePeppolID reads as %q, %v", s, id, got, err)
		}
	})
}
