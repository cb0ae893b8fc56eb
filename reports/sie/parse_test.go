package sie_test

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/reports/sie"
	"github.com/shopspring/decimal"
)

// lines joins records into a file with CR LF line ends.
func lines(records ...string) string { return strings.Join(records, "\r\n") + "\r\n" }

// header is the start of most test files: six lines.
var header = []string{
	"#FLAGGA 0",
	`#PROGRAM "Testprogram" 1.0`,
	"#FORMAT PC8",
	"#GEN 20200910",
	"#SIETYP 4",
	`#FNAMN "Region Jämtland Härjedalen"`,
}

// withHeader returns a file of the header and the given records, which begin
// on line 7.
func withHeader(records ...string) string {
	return lines(append(append([]string{}, header...), records...)...)
}

func mustParse(t *testing.T, s string) *sie.File {
	t.Helper()
	f, err := sie.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

func mustParseFile(t *testing.T, name string) *sie.File {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	f, err := sie.ParseWith(bytes.NewReader(data), lenient)
	if err != nil {
		t.Fatalf("Parse %s: %v", name, err)
	}
	return f
}

// lenient makes optional the records a reader of the monthly outcome can do
// without, as reports/interim does.
var lenient = sie.Options{Optional: []string{"#FLAGGA", "#PROGRAM", "#FORMAT", "#GEN", "#SIETYP", "#KPTYP", "#FNAMN", "#ORGNR",
	"#KTYP", "#DIM", "#UNDERDIM", "#OBJEKT", "#IB", "#UB", "#RES", "#PBUDGET"}}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func nullDec(s string) decimal.NullDecimal { return decimal.NewNullDecimal(dec(s)) }

// same fails unless got and want print alike with %+v, which shows decimals
// and dates by their String methods.
func same(t *testing.T, what string, got, want any) {
	t.Helper()
	if g, w := fmt.Sprintf("%+v", got), fmt.Sprintf("%+v", want); g != w {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

func TestParseHeader(t *testing.T) {
	t.Parallel()
	f := mustParse(t, lines(
		"#FLAGGA 1",
		`#PROGRAM "Visma Compact" 5.1`,
		"#FORMAT PC8",
		`#GEN 20080518 AN`,
		"#SIETYP 4",
		`#PROSA "Exporterat med Visma Compact 080512"`,
		"#ORGNR 556334-3689 1",
		`#FNAMN "Målerifirman Axelsson & Johnsson \"AJ\" AB"`,
		"#VALUTA sek",
		"#OMFATTN 20080630",
		"#RAR 0 20080101 20081231",
		"#RAR -1 20070101 20071231",
	))
	same(t, "identification", []any{f.Flag, f.Program, f.ProgramVersion, f.Format, f.Generated, f.GeneratedBy, f.Type, f.Company, f.Currency, f.Through},
		[]any{1, "Visma Compact", "5.1", "PC8", "2008-05-18", "AN", "4", sie.Company{Name: `Målerifirman Axelsson & Johnsson "AJ" AB`, OrgNumber: "556334-3689"}, "SEK", "2008-06-30"})
	same(t, "years", f.Years, []sie.Year{
		{Index: 0, Start: domain.MustDate("2008-01-01"), End: domain.MustDate("2008-12-31")},
		{Index: -1, Start: domain.MustDate("2007-01-01"), End: domain.MustDate("2007-12-31")},
	})
	same(t, "skipped", f.Skipped, map[string]int{"#PROSA": 1})
	if f.Encoding != sie.UTF8 {
		t.Errorf("Encoding = %s, want UTF-8 (the test's Go strings are UTF-8)", f.Encoding)
	}
}

func TestParseChartAndBalances(t *testing.T) {
	t.Parallel()
	f := mustParse(t, withHeader(
		`#KONTO 3611 "Basarvode från parter"`,
		"#KTYP 3611 I",
		"#KONTO\t1510\tKundfordringar",
		"#KTYP 1510 t",
		"#KONTO 5110 Löner extra-fält-som-ignoreras",
		`#DIM 1 "Kostnadsställe"`,
		`#UNDERDIM 2 "Kostnadsbärare" 1`,
		`#OBJEKT 1 "6663" "Serverdrift Åre kommun"`,
		`#OBJEKT 1 0123 Serviceavdelningen`,
		"#IB 0 1930 23780.78",
		"#UB 0 2440 -2380.39",
		"#UB -1 2440 -2380.4 12",
		"#RES 0 3011 -23780",
		"#PSALDO 0 200808 1910 {} 1243.50 123",
		`#PSALDO 0 200809 5010 {1 "0123"} 3411.80`,
		`#PSALDO -1 200709 5010 { 1   "0123" } -0.5`,
		`#PBUDGET 0 200801 3011 {} -1243.50 -415`,
		`#PBUDGET 0 200801 5010 {1 "0123"} 3411.8`,
		"",
		"   ",
	))
	same(t, "accounts", f.Accounts, []sie.Account{
		{Number: "3611", Name: "Basarvode från parter", Type: sie.Revenue, Line: 7},
		{Number: "1510", Name: "Kundfordringar", Type: sie.Asset, Line: 9},
		{Number: "5110", Name: "Löner", Line: 11},
	})
	same(t, "dimensions", f.Dimensions, []sie.Dimension{
		{Number: 1, Name: "Kostnadsställe", Line: 12},
		{Number: 2, Name: "Kostnadsbärare", Parent: 1, Line: 13},
	})
	same(t, "objects", f.Objects, []sie.Object{
		{Dimension: 1, Number: "6663", Name: "Serverdrift Åre kommun", Line: 14},
		{Dimension: 1, Number: "0123", Name: "Serviceavdelningen", Line: 15},
	})
	same(t, "opening", f.Opening, []string{"{Year:0 Account:1930 Amount:23780.78 Quantity:{Decimal:0 Valid:false} Line:16}"})
	same(t, "closing", f.Closing, []string{
		"{Year:0 Account:2440 Amount:-2380.39 Quantity:{Decimal:0 Valid:false} Line:17}",
		"{Year:-1 Account:2440 Amount:-2380.4 Quantity:{Decimal:12 Valid:true} Line:18}",
	})
	same(t, "results", f.Results, []string{"{Year:0 Account:3011 Amount:-23780 Quantity:{Decimal:0 Valid:false} Line:19}"})
	o := sie.ObjectRef{Dimension: 1, Number: "0123"}
	same(t, "period balances", f.PeriodBalances, []sie.PeriodBalance{
		{Year: 0, Period: sie.Period{Year: 2008, Month: 8}, Account: "1910", Amount: dec("1243.50"), Quantity: nullDec("123"), Line: 20},
		{Year: 0, Period: sie.Period{Year: 2008, Month: 9}, Account: "5010", Object: o, Amount: dec("3411.80"), Line: 21},
		{Year: -1, Period: sie.Period{Year: 2007, Month: 9}, Account: "5010", Object: o, Amount: dec("-0.5"), Line: 22},
	})
	same(t, "period budgets", f.PeriodBudgets, []sie.PeriodBalance{
		{Year: 0, Period: sie.Period{Year: 2008, Month: 1}, Account: "3011", Amount: dec("-1243.50"), Quantity: nullDec("-415"), Line: 23},
		{Year: 0, Period: sie.Period{Year: 2008, Month: 1}, Account: "5010", Object: o, Amount: dec("3411.8"), Line: 24},
	})
	if f.PeriodBalances[0].Amount.String() != "1243.5" || !f.PeriodBalances[2].Amount.Equal(dec("-0.50")) {
		t.Errorf("amounts = %v", f.PeriodBalances)
	}
}

func TestParseVerifications(t *testing.T) {
	t.Parallel()
	f := mustParse(t, withHeader(
		`#DIM 7 "Anställningsnummer"`,
		`#VER A 567 20081216 "Kontant lön" 20081217 "Åsa"`,
		"",
		"{",
		`    #TRANS 7010 {"1" "456" "7" "47"} 13200.00 20081215 "Lön december" 160 "Åsa"`,
		"    #TRANS 1910 {} -13200.00",
		"}",
		`#VER "" "" 20080101 "Porto"`,
		"{",
		"\t#TRANS 1910 { } -1200.00",
		"\t#TRANS 2640 { } 240.00",
		"\t#TRANS 6250 { } 960.00",
		"\t#RTRANS 1910 {} 200.00",
		"\t#TRANS 1910 {} 200.00",
		"\t#BTRANS 6250 {} -200.00",
		`	#TRANS 6250 {} -200.00 "" "Rättelse"`,
		"\t#OKAND 1 2 3",
		"}",
		"#VER B 1 20081231",
		"{",
		"}",
	))
	same(t, "verifications", f.Verifications, []sie.Verification{
		{Series: "A", Number: "567", Date: domain.MustDate("2008-12-16"), Text: "Kontant lön", Registered: domain.MustDate("2008-12-17"), Sign: "Åsa", Line: 8,
			Transactions: []sie.Transaction{
				{Account: "7010", Objects: []sie.ObjectRef{{Dimension: 1, Number: "456"}, {Dimension: 7, Number: "47"}}, Amount: dec("13200"), Date: domain.MustDate("2008-12-15"), Text: "Lön december", Quantity: nullDec("160"), Sign: "Åsa", Line: 11},
				{Account: "1910", Amount: dec("-13200"), Line: 12},
			}},
		{Date: domain.MustDate("2008-01-01"), Text: "Porto", Line: 14,
			Transactions: []sie.Transaction{
				{Account: "1910", Amount: dec("-1200"), Line: 16},
				{Account: "2640", Amount: dec("240"), Line: 17},
				{Account: "6250", Amount: dec("960"), Line: 18},
				{Account: "1910", Amount: dec("200"), Line: 20},
				{Account: "6250", Amount: dec("-200"), Text: "Rättelse", Line: 22},
			}},
		{Series: "B", Number: "1", Date: domain.MustDate("2008-12-31"), Line: 25},
	})
	same(t, "skipped", f.Skipped, map[string]int{"#BTRANS": 1, "#OKAND": 1, "#RTRANS": 1})
	if got := f.Verifications[1].Name(); got != "utan nummer 2008-01-01" {
		t.Errorf("Name() = %q", got)
	}
}

// TestParseLenient covers what the spec allows and Parse must accept.
func TestParseLenient(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, in string }{
		{"LF line ends", strings.Join(header, "\n") + "\n"},
		{"blank lines and indentation", "\r\n  \r\n\t" + strings.Join(header, "\r\n\r\n  ") + "\r\n\r\n"},
		{"DOS end-of-file mark", withHeader() + "\x1a"},
		{"unknown label and trailing fields", withHeader("#NYETIKETT 1 {2 \"3\"} x", "#RAR 0 20200101 20201231 extra fält")},
		{"lower-case label", withHeader("#konto 3011 Försäljning")},
		{"label written like an earlier field", withHeader(`#OBJEKT 1 "#konto" "Objekt"`, "#konto 3011 Försäljning")},
		{"escaped quote in an unquoted field", withHeader(`#KONTO 3011 Sälj\"bar`)},
		{"final blank line without line feed", withHeader() + "  "},
		{"last record without line feed", strings.TrimSuffix(withHeader("#KONTO 3011 Försäljning"), "\r\n")},
		{"last amount without decimals, as the file writes them", strings.TrimSuffix(withHeader("#PSALDO 0 202002 3011 {} -12", "#PSALDO 0 202003 3011 {} -13"), "\r\n")},
		{"closing brace without line feed", strings.TrimSuffix(withHeader(`#VER A 1 20200831`, "{", "#TRANS 3011 {} -12", "#TRANS 1510 {} 12", "}"), "\r\n")},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := mustParse(t, c.in)
			if f.Company.Name != "Region Jämtland Härjedalen" {
				t.Errorf("Company = %+v", f.Company)
			}
			if strings.Contains(c.in, "#konto 3011") && (len(f.Accounts) != 1 || f.Accounts[0].Name != "Försäljning") {
				t.Errorf("#konto read as %+v", f.Accounts)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	ver := func(trans ...string) string {
		return withHeader(append(append([]string{`#VER A 1 20200831 "Test"`, "{"}, trans...), "}")...)
	}
	for _, c := range []struct {
		name, in string
		line     int
		msg      string
	}{
		{"empty file", "", 0, "Filen innehåller inga SIE-poster."},
		{"only blank lines", "\r\n \r\n", 0, "Filen innehåller inga SIE-poster."},
		{"not an SIE file", "%PDF-1.4\n%âãÏÓ\n", 1, "raden börjar inte med en etikett"},
		{"truncated in a line", strings.TrimSuffix(ver("#TRANS 3011 {} -12", "#TRANS 1510 {} 12"), "}\r\n") + "#TRANS 1510 {} 1", 7, "filen tar slut mitt i verifikationen som börjar här (raden } saknas)"},
		{"truncated in a quoted field", withHeader(`#KONTO 3011 "Försäljning"`) + `#KONTO 3012 "Förs`, 8, "avslutas aldrig (raden är filens sista och saknar radslut: filen är troligen avkortad)"},
		{"truncated in an object list", withHeader(`#KONTO 3011 "Försäljning"`) + `#PSALDO 0 202008 3011 {1 "6663"`, 8, "objektlistan avslutas inte med } (raden är filens sista"},
		{"truncated before a mandatory field", withHeader(`#KONTO 3011 "Försäljning"`) + `#PSALDO 0 202008 3011 {}`, 8, "#PSALDO saknar belopp (raden är filens sista"},
		{"truncated in an amount", withHeader("#PSALDO 0 202002 3011 {} -67932.50") + "#PSALDO 0 202003 3011 {} -679", 8, "dess belopp har inte två decimaler som filens övriga belopp; filen är troligen avkortad"},
		{"truncated in a label", withHeader("#PSALDO 0 202002 3011 {} -67932.50") + "#PSA", 8, "den okända posten #PSA; filen är troligen avkortad"},
		{"section sign in a UTF-8 file", "#FLAGGA 0\r\n#FNAMN \"Jämtland \x15 1\"\r\n", 2, "otillåtet styrtecken (tecken 21)"},
		{"truncated inside a verification", withHeader(`#VER A 1 20200831 "Test"`, "{", "#TRANS 3011 {} -12"), 7, "filen tar slut mitt i verifikationen"},
		{"truncated after #VER", withHeader(`#VER A 1 20200831 "Test"`), 7, "filen tar slut mitt i verifikationen"},
		{"#VER without {", withHeader(`#VER A 1 20200831 "Test"`, "#TRANS 3011 {} -12"), 8, "verifikationen på rad 7 ska följas av en rad med bara {"},
		{"#VER inside #VER", withHeader(`#VER A 1 20200831 "Test"`, "{", `#VER A 2 20200831 "Test"`), 9, "#VER får inte stå inuti en verifikation; verifikationen på rad 7 saknar sin avslutande }"},
		{"bad date", withHeader(`#VER A 1 20201332 "Test"`, "{", "}"), 7, `datumet "20201332" är inget giltigt datum; skriv ÅÅÅÅMMDD`},
		{"short date", withHeader("#OMFATTN 2020831"), 7, `datumet "2020831" är inget giltigt datum`},
		{"year zero", withHeader("#OMFATTN 00000101"), 7, `datumet "00000101" är inget giltigt datum`},
		{"period in year zero", withHeader("#PSALDO 0 000001 3011 {} -12"), 7, `perioden "000001" är ingen giltig period`},
		{"date after 2199", withHeader("#OMFATTN 99991231"), 7, `datumet "99991231" ligger utanför 1900-01-01–2199-12-31`},
		{"date before 1900", withHeader(`#VER "" "" 18991231 "Porto"`, "{", "#TRANS 1910 {} -1", "#TRANS 6250 {} 1", "}"), 7, `datumet "18991231" ligger utanför`},
		{"period after 2199", withHeader("#PSALDO 0 220001 3011 {} -12"), 7, `perioden "220001" ligger utanför 190001–219912`},
		{"bad transaction date", ver(`#TRANS 3011 {} -12 2020-08-31`, "#TRANS 1510 {} 12"), 9, `datumet "2020-08-31" är inget giltigt datum`},
		{"bad amount", ver("#TRANS 3011 {} 12a", "#TRANS 1510 {} -12"), 9, `beloppet "12a" är inget tal`},
		{"decimal comma", ver("#TRANS 3011 {} 12,50", "#TRANS 1510 {} -12.50"), 9, `beloppet "12,50" är inget tal`},
		{"plus sign", ver("#TRANS 3011 {} +12", "#TRANS 1510 {} -12"), 9, `beloppet "+12" är inget tal`},
		{"point without decimals", ver("#TRANS 3011 {} 12.", "#TRANS 1510 {} -12"), 9, `beloppet "12." är inget tal`},
		{"three decimals", ver("#TRANS 3011 {} 12.005", "#TRANS 1510 {} -12.005"), 9, `beloppet "12.005" har fler än 2 decimaler`},
		{"huge amount", ver("#TRANS 3011 {} 1234567890123456", "#TRANS 1510 {} -1234567890123456"), 9, "har fler än 15 siffror före decimalpunkten"},
		{"missing amount", ver("#TRANS 3011 {}"), 9, "#TRANS saknar belopp"},
		{"missing object list", ver("#TRANS 3011 -12", "#TRANS 1510 12"), 9, "#TRANS: fält 2 ska vara en objektlista inom { }"},
		{"missing account", ver("#TRANS"), 9, "#TRANS saknar konto"},
		{"account with letters", ver("#TRANS 30A1 {} 12", "#TRANS 1510 {} -12"), 9, `kontot "30A1" ska vara ett kontonummer med bara siffror`},
		{"object list for the amount", ver("#TRANS 3011 {} {1 \"2\"}"), 9, "#TRANS: fält 3 (belopp) ska vara ett värde, inte en objektlista"},
		{"bad quantity", ver("#TRANS 3011 {} 12 20200831 \"\" 1,5", "#TRANS 1510 {} -12"), 9, `kvantiteten "1,5" är inget tal`},
		{"unbalanced verification", ver("#TRANS 3011 {} -12.50", "#TRANS 1510 {} 12"), 7, "verifikationen A 1 är inte i balans: summan av dess #TRANS är -0.50, ska vara 0"},
		{"#TRANS outside a verification", withHeader("#TRANS 3011 {} 12"), 7, "#TRANS får bara stå inuti en verifikation"},
		{"#KONTO inside a verification", ver("#KONTO 3011 Försäljning"), 9, "#KONTO får inte stå inuti en verifikation"},
		{"} without #VER", withHeader("}"), 7, "raden } avslutar ingen verifikation"},
		{"{ without #VER", withHeader("{"), 7, "raden { står inte direkt efter en #VER"},
		{"unclosed quote", withHeader(`#KONTO 3011 "Försäljning`), 7, `citattecknet som börjar fältet "Försäljning avslutas aldrig`},
		{"quote inside a field", withHeader(`#KONTO 3011 Förs"äljning`), 7, "innehåller ett citattecken; inuti ett fält skrivs det \\\""},
		{"no space after quote", withHeader(`#KONTO 3011 "Försälj"ning`), 7, `ett mellanslag saknas efter det citerade fältet "Försälj"`},
		{"escaped closing quote", withHeader(`#KONTO 3011 "Försäljning\"`), 7, "avslutas aldrig"},
		{"unclosed object list", ver(`#TRANS 3011 {1 "6663" -12`), 9, "objektlistan avslutas inte med }"},
		{"nested object list", ver(`#TRANS 3011 {1 {6663}} -12`), 9, "en objektlista kan inte innehålla en annan objektlista"},
		{"stray }", withHeader(`#KONTO 3011 Försäljning}`), 7, "raden har } utan ett { före"},
		{"odd object list", ver(`#TRANS 3011 {1} -12`, "#TRANS 1510 {} 12"), 9, "objektlistan ska innehålla par av dimensionsnummer och objektnummer"},
		{"bad dimension", ver(`#TRANS 3011 {x "6663"} -12`, "#TRANS 1510 {} 12"), 9, `dimensionsnumret "x" ska vara ett positivt heltal`},
		{"empty object number", ver(`#TRANS 3011 {1 ""} -12`, "#TRANS 1510 {} 12"), 9, "objektlistan saknar objektnummer efter dimension 1"},
		{"dimension twice", ver(`#TRANS 3011 {1 "1" 1 "2"} -12`, "#TRANS 1510 {} 12"), 9, "objektlistan anger dimension 1 mer än en gång"},
		{"#PSALDO with two objects", withHeader(`#PSALDO 0 202008 3011 {1 "6663" 6 "P1"} -12`), 7, "#PSALDO får ange högst ett objekt"},
		{"bad period", withHeader("#PSALDO 0 202013 3011 {} -12"), 7, `perioden "202013" är ingen giltig period; skriv ÅÅÅÅMM`},
		{"missing period", withHeader("#PBUDGET 0"), 7, "#PBUDGET saknar period"},
		{"positive year index", withHeader("#RES 1 3011 -12"), 7, `årsnumret "1" ska vara 0 för innevarande år eller -1, -2 ... för tidigare år`},
		{"year ending before it starts", withHeader("#RAR 0 20201231 20200101"), 7, "räkenskapsåret slutar 2020-01-01, före sin start 2020-12-31"},
		{"duplicate year", withHeader("#RAR 0 20200101 20201231", "#RAR 0 20200101 20201231"), 8, "räkenskapsår 0 finns redan på rad 7"},
		{"duplicate account", withHeader("#KONTO 3011 A", "#KONTO 3011 B"), 8, "konto 3011 finns redan på rad 7"},
		{"duplicate period balance", withHeader("#PSALDO 0 202008 3011 {} -12", "#PSALDO 0 202008 3011 {} -13"), 8, "#PSALDO för konto 3011 period 202008 finns redan på rad 7"},
		{"duplicate balance", withHeader("#UB 0 1510 12", "#UB 0 1510 13"), 8, "#UB för konto 1510 år 0 finns redan på rad 7"},
		{"duplicate object", withHeader(`#OBJEKT 1 "6663" A`, `#OBJEKT 1 "6663" B`), 8, `objekt 1 "6663" finns redan på rad 7`},
		{"duplicate dimension", withHeader(`#DIM 1 A`, `#DIM 1 B`), 8, "dimension 1 finns redan på rad 7"},
		{"duplicate verification", withHeader(`#VER A 1 20200831`, "{", "}", `#VER A 1 20200831`, "{", "}"), 10, "verifikationen A 1 finns redan på rad 7"},
		{"duplicate #FNAMN", withHeader(`#FNAMN "Annat namn"`), 7, "#FNAMN förekommer redan på rad 6"},
		{"#KTYP before #KONTO", withHeader("#KTYP 3011 I"), 7, "#KTYP för konto 3011, som inte har deklarerats med #KONTO före"},
		{"bad account type", withHeader("#KONTO 3011 A", "#KTYP 3011 X"), 8, `kontotypen "X" ska vara T, S, K eller I`},
		{"missing account name", withHeader("#KONTO 3011"), 7, "#KONTO saknar kontonamn"},
		{"missing object number", withHeader(`#OBJEKT 1 "" "Namn"`), 7, "#OBJEKT saknar objektnummer (fältet är tomt)"},
		{"bad flag", lines("#FLAGGA 2"), 1, `#FLAGGA ska vara 0 eller 1, inte "2"`},
		{"bad type", withHeader("#SIETYP 5"), 7, `#SIETYP ska vara 1, 2, 3 eller 4, inte "5"`},
		{"bad currency", withHeader("#VALUTA KRONOR"), 7, `valutakoden "KRONOR" ska vara tre bokstäver enligt ISO 4217`},
		{"control character", withHeader("#KONTO 3011 \"Förs\x07ljning\""), 7, "raden innehåller ett otillåtet styrtecken (tecken 7)"},
		{"carriage return alone", withHeader("#KONTO 3011 A\r#KONTO 3012 B"), 7, "otillåtet styrtecken (tecken 13)"},
		{"invalid UTF-8 after the byte order mark", "\xef\xbb\xbf#FLAGGA 0\r\n#FNAMN \"J\xe4mtland\"\r\n", 0, "Filen börjar som UTF-8 men innehåller tecken som inte är giltig UTF-8."},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := sie.Parse(strings.NewReader(c.in))
			if err == nil {
				t.Fatalf("Parse accepted the file: %+v", f)
			}
			if f != nil {
				t.Errorf("Parse returned a File with the error %v", err)
			}
			var pe *sie.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T) is not a *ParseError", err, err)
			}
			if pe.Line != c.line || !strings.Contains(pe.Msg, c.msg) {
				t.Errorf("error = line %d %q, want line %d with %q", pe.Line, pe.Msg, c.line, c.msg)
			}
			if domain.ErrorCode(err) != domain.EINVALID || domain.ErrorMessage(err) != err.Error() {
				t.Errorf("domain code %q message %q, want EINVALID with %q", domain.ErrorCode(err), domain.ErrorMessage(err), err.Error())
			}
			if c.line > 0 && !strings.HasPrefix(err.Error(), fmt.Sprintf("rad %d: ", c.line)) {
				t.Errorf("Error() = %q, want it to start with the line", err.Error())
			}
		})
	}
}

func TestParseErrorMessage(t *testing.T) {
	t.Parallel()
	_, err := sie.Parse(strings.NewReader(withHeader(`#VER A 1 20200831`, "{", "#TRANS 3011 {}", "}")))
	if err == nil || err.Error() != "rad 9: #TRANS saknar belopp" {
		t.Errorf("error = %v, want rad 9: #TRANS saknar belopp", err)
	}
}

// TestEncodings reads the same file in code page 437, Windows-1252 and UTF-8.
func TestEncodings(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		file string
		enc  sie.Encoding
	}{
		{"testdata/verifikationer-6663.se", sie.CP437},
		{"testdata/verifikationer-6663-windows1252.se", sie.Windows1252},
		{"testdata/verifikationer-6663-utf8.se", sie.UTF8},
	} {
		t.Run(string(c.enc), func(t *testing.T) {
			f := mustParseFile(t, c.file)
			if f.Encoding != c.enc {
				t.Errorf("Encoding = %s, want %s", f.Encoding, c.enc)
			}
			if f.Format != "PC8" {
				t.Errorf("Format = %q, want the declared PC8", f.Format)
			}
			v := f.Verifications[0]
			same(t, "texts", []string{f.Company.Name, f.Accounts[1].Name, f.Accounts[4].Name, f.Objects[0].Name, f.Objects[1].Name, v.Text, v.Sign, v.Transactions[0].Text, f.Verifications[1].Transactions[0].Text},
				[]string{"Region Jämtland Härjedalen", "Leverantörsskulder", "Övriga kostnader", "Serverdrift Åre kommun", "Säkerhetskopiering Östersunds kommun",
					`Konsultfaktura serverdrift augusti, avtal "Drift 2020"`, "Åsa Öberg", "Drift- och övervakningstjänst", "Åre kommun, faktura 2020-97"})
		})
	}
}

func TestEncodingDetection(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		bom  bool
		text string // the name in #FNAMN, in some encoding
		want sie.Encoding
	}{
		{"ASCII", false, "Region JH", sie.CP437},
		{"code page 437", false, "J\x84mtland H\x84rjedalen \x8fre \x99stersund", sie.CP437},
		{"Windows-1252", false, "J\xe4mtland H\xe4rjedalen \xc5re \xd6stersund", sie.Windows1252},
		{"Windows-1252 with a dash", false, "J\xe4mtland \x96 \xc5re", sie.Windows1252},
		{"UTF-8", false, "Jämtland Härjedalen Åre Östersund", sie.UTF8},
		{"UTF-8 with byte order mark", true, "Jämtland", sie.UTF8},
		{"ASCII with byte order mark", true, "Region JH", sie.UTF8},
		{"code page 437 wins a tie", false, "\x94\xe4", sie.CP437},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := "#FNAMN \"" + c.text + "\"\r\n"
			if c.bom {
				in = "\xef\xbb\xbf" + in
			}
			f, err := sie.Parse(strings.NewReader(in))
			if err != nil {
				t.Fatal(err)
			}
			if f.Encoding != c.want {
				t.Errorf("Encoding = %s, want %s (name read as %q)", f.Encoding, c.want, f.Company.Name)
			}
		})
	}
	f := mustParse(t, "#FNAMN \"J\x84mtland \x8fre \x99stersund \x86\x94\"\r\n")
	if f.Company.Name != "Jämtland Åre Östersund åö" {
		t.Errorf("code page 437 name = %q", f.Company.Name)
	}
}

func TestChecksum(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/verifikationer-6663.se")
	if err != nil {
		t.Fatal(err)
	}
	f, err := sie.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if !f.Checksummed {
		t.Error("Checksummed = false for a file with a correct #KSUMMA")
	}
	lines := strings.SplitAfter(string(data), "\r\n")
	closing := len(lines) - 2 // the last element is empty
	if !strings.HasPrefix(lines[closing], "#KSUMMA 132745905") {
		t.Fatalf("last record = %q", lines[closing])
	}
	replace := func(old, new string) string { return strings.Replace(string(data), old, new, 1) }
	for _, c := range []struct {
		name, in string
		line     int
		msg      string
	}{
		{"changed amount", replace("182450.00", "182450.10"), 0, ""}, // unbalanced first
		{"changed text", replace("Drift- och", "Drift-  och"), closing + 1, "kontrollsumman stämmer inte med innehållet (filen anger 132745905"},
		{"closing missing", strings.Join(lines[:closing], ""), 2, "filen har en inledande #KSUMMA men ingen avslutande"},
		{"records after the closing", string(data) + "#KONTO 3011 X\r\n", closing + 2, "#KONTO står efter den avslutande #KSUMMA"},
		{"closing without opening", strings.Replace(string(data), "#KSUMMA\r\n", "", 1), closing, "#KSUMMA med en kontrollsumma saknar den inledande #KSUMMA"},
		{"not a number", replace("#KSUMMA 132745905", "#KSUMMA 13274590x"), closing + 1, `kontrollsumman "13274590x" är inte ett 32-bitars heltal`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := sie.Parse(strings.NewReader(c.in))
			var pe *sie.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error = %v, want a ParseError", err)
			}
			if c.msg != "" && (pe.Line != c.line || !strings.Contains(pe.Msg, c.msg)) {
				t.Errorf("error = %v, want line %d with %q", err, c.line, c.msg)
			}
		})
	}
	// Whitespace and quotes do not count.
	in := replace("#TRANS 2440 {} -185570.50", "#TRANS\t2440  { }   \"-185570.50\"")
	if f, err := sie.Parse(strings.NewReader(in)); err != nil || !f.Checksummed {
		t.Errorf("Parse = %v, Checksummed %v", err, f != nil && f.Checksummed)
	}
}

// TestChecksumForms accepts a sum above 2^31 written as a signed 32-bit
// number, and a sum computed without the # of the labels.
func TestChecksumForms(t *testing.T) {
	t.Parallel()
	name := ""
	var sum uint32
	for i := 0; sum < 1<<31; i++ {
		name = fmt.Sprintf("Bolag %d", i)
		sum = crc32.ChecksumIEEE([]byte("#FNAMN" + name))
	}
	bare := crc32.ChecksumIEEE([]byte("FNAMN" + name))
	for _, value := range []string{fmt.Sprint(sum), fmt.Sprint(int32(sum)), fmt.Sprint(bare)} {
		f, err := sie.Parse(strings.NewReader(lines("#FLAGGA 0", "#KSUMMA", `#FNAMN "`+name+`"`, "#KSUMMA "+value)))
		if err != nil || !f.Checksummed {
			t.Errorf("#KSUMMA %s: %v", value, err)
		}
	}
	if _, err := sie.Parse(strings.NewReader(lines("#FLAGGA 0", "#KSUMMA", `#FNAMN "`+name+`"`, fmt.Sprintf("#KSUMMA %d", sum+1)))); err == nil {
		t.Error("a wrong sum was accepted")
	}
}
