package sie_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/reports/sie"
	"github.com/shopspring/decimal"
	"golang.org/x/text/encoding/charmap"
)

// cp437 decodes a written file for comparison with UTF-8 text.
func cp437(t testing.TB, b []byte) string {
	t.Helper()
	s, err := charmap.CodePage437.NewDecoder().Bytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(s)
}

func write(t testing.TB, f *sie.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := sie.Write(&buf, f); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

func TestWriteFormat(t *testing.T) {
	t.Parallel()
	f := &sie.File{
		Flag: 1, Program: "GNS", ProgramVersion: "1.0", Generated: domain.MustDate("2021-01-15"), GeneratedBy: "Åsa Öberg",
		Company:    sie.Company{Name: "Region Jämtland Härjedalen", OrgNumber: "232100-0214"},
		Years:      []sie.Year{{Index: 0, Start: domain.MustDate("2021-01-01"), End: domain.MustDate("2021-12-31")}},
		Accounts:   []sie.Account{{Number: "1510", Name: "Kundfordringar", Type: sie.Asset}, {Number: "3611", Name: "Basarvode från parter"}},
		Dimensions: []sie.Dimension{{Number: 1, Name: "Objekt"}, {Number: 21, Name: "Underobjekt", Parent: 1}},
		Objects:    []sie.Object{{Dimension: 1, Number: "6663", Name: "Serverdrift Åre kommun"}},
		Results:    []sie.Balance{{Year: 0, Account: "3611", Amount: dec("-101600"), Quantity: nullDec("1.5")}},
		PeriodBudgets: []sie.PeriodBalance{
			{Year: 0, Period: sie.Period{Year: 2021, Month: 1}, Account: "3611", Object: sie.ObjectRef{Dimension: 1, Number: "6663"}, Amount: dec("-8466.67")},
		},
		Verifications: []sie.Verification{
			{Date: domain.MustDate("2021-01-15"), Text: `Basarvode 2021, faktura 2021-3 "Åre kommun"`, Transactions: []sie.Transaction{
				{Account: "1510", Amount: dec("101600"), Text: "Åre kommun"},
				{Account: "3611", Objects: []sie.ObjectRef{{Dimension: 1, Number: "6663"}}, Amount: dec("-101600.00"), Date: domain.MustDate("2021-01-15"), Quantity: nullDec("1")},
			}},
			{Series: "A", Number: "17", Date: domain.MustDate("2021-01-31"), Registered: domain.MustDate("2021-02-01"), Transactions: []sie.Transaction{
				{Account: "1510", Amount: dec("0.5"), Sign: "ekonom"},
				{Account: "3611", Amount: dec("-0.50")},
			}},
		},
	}
	want := lines(
		"#FLAGGA 0",
		`#PROGRAM "GNS" 1.0`,
		"#FORMAT PC8",
		`#GEN 20210115 "Åsa Öberg"`,
		"#SIETYP 4",
		`#PROSA "Skriven av GNS i teckentabell 437 (ÅÄÖ åäö)"`,
		"#ORGNR 232100-0214",
		`#FNAMN "Region Jämtland Härjedalen"`,
		"#RAR 0 20210101 20211231",
		`#KONTO 1510 "Kundfordringar"`,
		"#KTYP 1510 T",
		`#KONTO 3611 "Basarvode från parter"`,
		`#DIM 1 "Objekt"`,
		`#UNDERDIM 21 "Underobjekt" 1`,
		`#OBJEKT 1 "6663" "Serverdrift Åre kommun"`,
		"#RES 0 3611 -101600.00 1.5",
		`#PBUDGET 0 202101 3611 {1 "6663"} -8466.67`,
		`#VER "" "" 20210115 "Basarvode 2021, faktura 2021-3 \"Åre kommun\""`,
		"{",
		`#TRANS 1510 {} 101600.00 "" "Åre kommun"`,
		`#TRANS 3611 {1 "6663"} -101600.00 20210115 "" 1`,
		"}",
		`#VER A 17 20210131 "" 20210201`,
		"{",
		`#TRANS 1510 {} 0.50 "" "" "" "ekonom"`,
		"#TRANS 3611 {} -0.50",
		"}",
	)
	got := write(t, f)
	if s := cp437(t, got); s != want {
		t.Errorf("Write wrote\n%s\nwant\n%s", s, want)
	}
	if !bytes.Contains(got, []byte("J\x84mtland H\x84rjedalen")) {
		t.Error("the file is not in code page 437")
	}
}

func TestSanitize(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Region Jämtland Härjedalen":  "Region Jämtland Härjedalen",
		"Årsredovisning 2020 – del 1": "Årsredovisning 2020 - del 1",
		"“Citat” och ‘citat’":         `"Citat" och 'citat'`,
		"Kostnad 12 €…":               "Kostnad 12 EUR...",
		"rad ett\nrad två\tflik":      "rad ett rad två flik",
		"Łódź":                        "?ód?",
		"Ω ß µ ± ½":                   "Ω ß µ ± ½",
		`C:\sie\`:                     `C:\sie/`,
		`a\"b`:                        `a\"b`,
	} {
		if got := sie.Sanitize(in); got != want {
			t.Errorf("Sanitize(%q) = %q, want %q", in, got, want)
		}
	}
	// What Write cleans reads back cleaned.
	f := mustParse(t, string(write(t, &sie.File{Company: sie.Company{Name: "Bolag – “Citat” €\tx\\"}})))
	if f.Company.Name != `Bolag - "Citat" EUR x/` {
		t.Errorf("name read back = %q", f.Company.Name)
	}
}

func TestWriteRefuses(t *testing.T) {
	t.Parallel()
	day := domain.MustDate("2021-01-15")
	balanced := func(amount string, objects ...sie.ObjectRef) []sie.Verification {
		return []sie.Verification{{Date: day, Transactions: []sie.Transaction{
			{Account: "1510", Amount: dec(amount)}, {Account: "3611", Objects: objects, Amount: dec(amount).Neg()},
		}}}
	}
	for _, c := range []struct {
		name string
		f    sie.File
		msg  string
	}{
		{"account with letters", sie.File{Accounts: []sie.Account{{Number: "30A1", Name: "X"}}}, `kontot "30A1" är inget kontonummer`},
		{"empty account", sie.File{Verifications: []sie.Verification{{Date: day, Transactions: []sie.Transaction{{Amount: dec("0")}}}}}, `kontot "" är inget kontonummer`},
		{"bad account type", sie.File{Accounts: []sie.Account{{Number: "3011", Name: "X", Type: "X"}}}, `konto 3011 har kontotypen "X"`},
		{"sub-öre amount", sie.File{Verifications: balanced("1.005")}, "beloppet 1.005 i verifikationen utan nummer 2021-01-15 har fler än två decimaler"},
		{"unbalanced", sie.File{Verifications: []sie.Verification{{Series: "A", Number: "1", Date: day, Transactions: []sie.Transaction{{Account: "1510", Amount: dec("1")}}}}}, "verifikationen A 1 är inte i balans: summan är 1.00"},
		{"no date", sie.File{Verifications: []sie.Verification{{Series: "A", Number: "1"}}}, "verifikationen A 1 saknar datum"},
		{"series code page 437 lacks", sie.File{Verifications: []sie.Verification{{Series: "Ł", Number: "1", Date: day}}}, `verifikationsserien "Ł" har tecken som inte kan skrivas`},
		{"object without number", sie.File{Verifications: balanced("1", sie.ObjectRef{Dimension: 1})}, "saknar dimension eller nummer"},
		{"object number code page 437 lacks", sie.File{Objects: []sie.Object{{Dimension: 1, Number: "66–63", Name: "X"}}}, `objektnumret "66–63" har tecken`},
		{"positive year", sie.File{Years: []sie.Year{{Index: 1, Start: day, End: day}}}, "årsnumret 1 ska vara 0 eller negativt"},
		{"year without dates", sie.File{Years: []sie.Year{{Index: 0}}}, "räkenskapsår 0 saknar start- eller slutdatum"},
		{"bad month", sie.File{PeriodBalances: []sie.PeriodBalance{{Period: sie.Period{Year: 2021, Month: 13}, Account: "3011", Amount: dec("1")}}}, "perioden 2021-13 är ingen månad"},
		{"sub-öre balance", sie.File{Closing: []sie.Balance{{Account: "1510", Amount: dec("0.001")}}}, "beloppet 0.001 för konto 1510"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := sie.Write(&buf, &c.f)
			if err == nil || domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), c.msg) {
				t.Errorf("Write = %v, want EINVALID with %q", err, c.msg)
			}
			if buf.Len() != 0 {
				t.Errorf("Write wrote %d bytes before refusing", buf.Len())
			}
		})
	}
}

// normalized returns a copy of f without what a round trip may change: line
// numbers, the header, the encoding, the checksum and the skipped records;
// texts are cleaned as Write cleans them.
func normalized(f *sie.File) *sie.File {
	n := &sie.File{
		Company:  sie.Company{Name: sie.Sanitize(f.Company.Name), OrgNumber: sie.Sanitize(f.Company.OrgNumber)},
		Currency: f.Currency, Through: f.Through, Years: f.Years, ChartType: f.ChartType,
		Opening: cleared(f.Opening, noBalanceLine), Closing: cleared(f.Closing, noBalanceLine), Results: cleared(f.Results, noBalanceLine),
		PeriodBalances: cleared(f.PeriodBalances, noPeriodLine), PeriodBudgets: cleared(f.PeriodBudgets, noPeriodLine),
	}
	for _, a := range f.Accounts {
		n.Accounts = append(n.Accounts, sie.Account{Number: a.Number, Name: sie.Sanitize(a.Name), Type: a.Type})
	}
	for _, d := range f.Dimensions {
		n.Dimensions = append(n.Dimensions, sie.Dimension{Number: d.Number, Name: sie.Sanitize(d.Name), Parent: d.Parent})
	}
	for _, o := range f.Objects {
		n.Objects = append(n.Objects, sie.Object{Dimension: o.Dimension, Number: o.Number, Name: sie.Sanitize(o.Name)})
	}
	for _, v := range f.Verifications {
		v.Line, v.Text, v.Sign = 0, sie.Sanitize(v.Text), sie.Sanitize(v.Sign)
		ts := v.Transactions
		v.Transactions = nil
		for _, t := range ts {
			t.Line, t.Text, t.Sign = 0, sie.Sanitize(t.Text), sie.Sanitize(t.Sign)
			if len(t.Objects) == 0 {
				t.Objects = nil
			}
			v.Transactions = append(v.Transactions, t)
		}
		n.Verifications = append(n.Verifications, v)
	}
	return n
}

// cleared returns a copy of xs with clear applied to each element.
func cleared[T any](xs []T, clear func(*T)) []T {
	var out []T
	for _, x := range xs {
		clear(&x)
		out = append(out, x)
	}
	return out
}

func noBalanceLine(b *sie.Balance)      { b.Line = 0 }
func noPeriodLine(p *sie.PeriodBalance) { p.Line = 0 }

// TestRoundTrip writes each test file and reads it back.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	for _, name := range testFiles(t) {
		t.Run(name, func(t *testing.T) {
			f := mustParseFile(t, name)
			again := mustParse(t, string(write(t, f)))
			same(t, "file", normalized(again), normalized(f))
			if len(again.Verifications) != len(f.Verifications) || again.Company.Name != f.Company.Name {
				t.Errorf("lost content: %d verifications, company %q", len(again.Verifications), again.Company.Name)
			}
		})
	}
}

// ExampleWrite exports an invoice run as an import file (SIE 4I) for the
// host's ledger: one verification per invoice, the receivable against the
// contribution account, without series and number so the ledger numbers them.
func ExampleWrite() {
	run := &sie.File{
		Program: "GNS", ProgramVersion: "1.0", Generated: domain.MustDate("2021-01-15"),
		Company: sie.Company{Name: "Region Jämtland Härjedalen", OrgNumber: "232100-0214"},
		Accounts: []sie.Account{
			{Number: "1510", Name: "Kundfordringar"},
			{Number: "3611", Name: "Basarvode från parter"},
		},
	}
	for _, invoice := range []struct{ number, party, amount string }{
		{"2021-1", "Bergs kommun", "101600.00"},
		{"2021-2", "Bräcke kommun", "101600.00"},
	} {
		amount := decimal.RequireFromString(invoice.amount)
		run.Verifications = append(run.Verifications, sie.Verification{
			Date: domain.MustDate("2021-01-15"),
			Text: "Faktura " + invoice.number + " " + invoice.party + ", basarvode 2021",
			Transactions: []sie.Transaction{
				{Account: "1510", Amount: amount, Text: invoice.party},
				{Account: "3611", Amount: amount.Neg()},
			},
		})
	}
	var out bytes.Buffer
	if err := sie.Write(&out, run); err != nil {
		fmt.Println(err)
		return
	}
	text, _ := charmap.CodePage437.NewDecoder().String(out.String())
	fmt.Print(strings.ReplaceAll(text, "\r\n", "\n"))
	// Output:
	// #FLAGGA 0
	// #PROGRAM "GNS" 1.0
	// #FORMAT PC8
	// #GEN 20210115
	// #SIETYP 4
	// #PROSA "Skriven av GNS i teckentabell 437 (ÅÄÖ åäö)"
	// #ORGNR 232100-0214
	// #FNAMN "Region Jämtland Härjedalen"
	// #KONTO 1510 "Kundfordringar"
	// #KONTO 3611 "Basarvode från parter"
	// #VER "" "" 20210115 "Faktura 2021-1 Bergs kommun, basarvode 2021"
	// {
	// #TRANS 1510 {} 101600.00 "" "Bergs kommun"
	// #TRANS 3611 {} -101600.00
	// }
	// #VER "" "" 20210115 "Faktura 2021-2 Bräcke kommun, basarvode 2021"
	// {
	// #TRANS 1510 {} 101600.00 "" "Bräcke kommun"
	// #TRANS 3611 {} -101600.00
	// }
}
