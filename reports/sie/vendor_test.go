package sie_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/reports/sie"
)

// TestVendorFiles reads the files in the styles of Fortnox, BL
// Administration and PayEx (testdata/README.md): none ends with a line feed,
// all are code page 437, and the faults in records a reader of the outcome
// does not need are warnings with their line.
func TestVendorFiles(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name        string
		program     string
		chart       string
		warnings    []string
		periods     int
		budgets     int
		vers        int
		strictLine  int // the line strict Parse refuses, 0 when it accepts
		verTextHas  string
		objectOnVer bool
	}{
		{name: "fortnox-2020-02.se", program: "Fortnox 3.52.4", chart: "BAS2014", periods: 10, vers: 2, verTextHas: "GNS § 8/2020"},
		{name: "bl-administration-2020-01.se", program: "BL Administration 2020.3.100", chart: "EUBAS97", periods: 2, vers: 1, strictLine: 11,
			warnings: []string{
				`rad 11: kontotypen "O" ska vara T, S, K eller I (tillgång, skuld, kostnad, intäkt); posten läses inte`,
				`rad 16: #PBUDGET: fält 4 ska vara en objektlista inom { }, som {} eller {1 "6663"}; därför läses ingen av filens #PBUDGET-poster`,
				`rad 17: #PBUDGET: fält 4 ska vara en objektlista inom { }, som {} eller {1 "6663"}`,
			}, verTextHas: "Basarvode § 8"},
		{name: "payex-2020-02.se", program: "PayEx Ekonomi 7.1", chart: "BAS2014", vers: 2, strictLine: 16,
			warnings:   []string{`rad 16: #PBUDGET: fält 4 ska vara en objektlista inom { }, som {} eller {1 "6663"}; därför läses ingen av filens #PBUDGET-poster`},
			verTextHas: "GNS § 42/2019", objectOnVer: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile("testdata/" + c.name)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.HasSuffix(data, []byte("\n")) || !bytes.Contains(data, []byte{0x15}) {
				t.Fatal("the test file should end without a line feed and hold § as byte 0x15")
			}
			f := mustParseFile(t, "testdata/"+c.name)
			var got []string
			for _, w := range f.Warnings {
				got = append(got, w.String())
			}
			same(t, "warnings", got, c.warnings)
			if f.Encoding != sie.CP437 || f.Company.Name != "Region Jämtland Härjedalen" || f.Program+" "+f.ProgramVersion != c.program || f.ChartType != c.chart {
				t.Errorf("header: %s %q %q %q", f.Encoding, f.Company.Name, f.Program+" "+f.ProgramVersion, f.ChartType)
			}
			if len(f.PeriodBalances) != c.periods || len(f.PeriodBudgets) != c.budgets || len(f.Verifications) != c.vers {
				t.Errorf("read %d #PSALDO, %d #PBUDGET, %d #VER", len(f.PeriodBalances), len(f.PeriodBudgets), len(f.Verifications))
			}
			if !strings.Contains(f.Verifications[0].Text, c.verTextHas) {
				t.Errorf("verification text %q lacks %q", f.Verifications[0].Text, c.verTextHas)
			}
			if c.objectOnVer && (len(f.Verifications[0].Transactions[1].Objects) != 1 || f.Verifications[0].Transactions[1].Objects[0] != (sie.ObjectRef{Dimension: 1, Number: "6663"})) {
				t.Errorf("object of #TRANS: %+v", f.Verifications[0].Transactions[1])
			}
			_, err = sie.Parse(bytes.NewReader(data))
			var pe *sie.ParseError
			switch {
			case c.strictLine == 0 && err != nil:
				t.Errorf("strict Parse: %v", err)
			case c.strictLine != 0 && (!errors.As(err, &pe) || pe.Line != c.strictLine):
				t.Errorf("strict Parse = %v, want a fault on line %d", err, c.strictLine)
			}
		})
	}
}

// TestOptionalFaults covers what an optional record's fault does: a warning
// and the record left out, all records of a figure label left out, and a
// fault on a last line without line feed refusing the file as cut off.
func TestOptionalFaults(t *testing.T) {
	t.Parallel()
	f, err := sie.ParseWith(strings.NewReader(withHeader(
		"#KONTO 3011 Försäljning", "#KTYP 3011 X", "#KTYP 3012 I", "#GEN 2020",
		"#UB 0 1510 12", "#UB 0 1510 13", "#IB 0 1510 5",
		"#PSALDO 0 202008 3011 {} -12",
	)), lenient)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range f.Warnings {
		got = append(got, w.String())
	}
	same(t, "warnings", got, []string{
		`rad 8: kontotypen "X" ska vara T, S, K eller I (tillgång, skuld, kostnad, intäkt); posten läses inte`,
		"rad 9: #KTYP för konto 3012, som inte har deklarerats med #KONTO före; posten läses inte",
		`rad 10: datumet "2020" är inget giltigt datum; skriv ÅÅÅÅMMDD, t.ex. 20200831; posten läses inte`,
		"rad 12: #UB för konto 1510 år 0 finns redan på rad 11; därför läses ingen av filens #UB-poster",
	})
	if f.Generated != domain.MustDate("2020-09-10") || f.Accounts[0].Type != "" || f.Closing != nil || len(f.Opening) != 1 || len(f.PeriodBalances) != 1 {
		t.Errorf("read %+v, closing %v, opening %v", f.Accounts, f.Closing, f.Opening)
	}
	// The last line, cut off: refused even though #KTYP is optional.
	_, err = sie.ParseWith(strings.NewReader(withHeader("#KONTO 3011 Försäljning")+"#KTYP 3011"), lenient)
	var pe *sie.ParseError
	if !errors.As(err, &pe) || pe.Line != 8 || !strings.Contains(pe.Msg, "filen är troligen avkortad") {
		t.Errorf("cut-off last line: %v", err)
	}
	// A fault in what the reader uses refuses the file.
	if _, err := sie.ParseWith(strings.NewReader(withHeader("#PSALDO 0 202008 3011 -12")), lenient); err == nil {
		t.Error("a #PSALDO without object list was accepted")
	}
}

// TestSectionSign writes § as byte 0x15 of code page 437 and reads it back.
func TestSectionSign(t *testing.T) {
	t.Parallel()
	f := &sie.File{Company: sie.Company{Name: "Region Jämtland Härjedalen"}, Verifications: []sie.Verification{{
		Date: domain.MustDate("2020-12-14"), Text: "GNS § 42/2020 ¶ 2",
		Transactions: []sie.Transaction{{Account: "1510", Amount: dec("100")}, {Account: "3611", Amount: dec("-100")}},
	}}}
	out := write(t, f)
	if !bytes.Contains(out, []byte("\"GNS \x15 42/2020 \x14 2\"")) {
		t.Errorf("§ and ¶ are not 0x15 and 0x14:\n%q", out)
	}
	again := mustParse(t, string(out))
	if again.Verifications[0].Text != "GNS § 42/2020 ¶ 2" {
		t.Errorf("read back %q", again.Verifications[0].Text)
	}
	if sie.Sanitize("§ 8") != "§ 8" {
		t.Errorf("Sanitize(§ 8) = %q", sie.Sanitize("§ 8"))
	}
}
