package bankfile

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestParseBgMaxSeveralPayments(t *testing.T) {
	t.Parallel()
	f, err := Read("", readTestdata(t, "several.bgmax"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Format != BgMax || f.Test || f.Created != "2026-12-07 10:15:00" || len(f.Deposits) != 1 {
		t.Fatalf("file = %+v", f)
	}
	d := f.Deposits[0]
	if d.Account != "5050-1055" || d.Currency != "SEK" || d.Date != (domain.Date{Year: 2026, Month: 12, Day: 7}) ||
		!d.Total.Equal(dec("175100")) || d.Serial != "12" || d.BankAccount != "5011223344" || len(d.Payments) != 4 {
		t.Fatalf("deposit = %+v", d)
	}
	p := d.Payments
	if p[0].Reference != "1234567897" || !p[0].OCRChecked || !p[0].Amount.Equal(dec("101600")) || p[0].Payer != "Bräcke kommun" ||
		p[0].PayerOrgNumber != "2120002411" || p[0].BankRef != "000000001001" || p[0].Line != 3 {
		t.Errorf("payment 1 = %+v", p[0])
	}
	if p[1].PayerAccount != "991-2346" || p[1].Payer != "Krokoms kommun" {
		t.Errorf("payment 2 = %+v", p[1])
	}
	// A payment without OCR: the message and the payer are what is left.
	if p[2].Reference != "" || p[2].OCRChecked || len(p[2].Texts) != 1 || p[2].Texts[0] != "Faktura GNS-2021-0003 delbetalning" ||
		p[2].Payer != "Ragunda kommun Ekonomienheten" {
		t.Errorf("payment 3 = %+v", p[2])
	}
	// A deduction (avdrag) is a negative amount.
	if !p[3].Deduction || !p[3].Amount.Equal(dec("-1500")) || p[3].Reference != "18" {
		t.Errorf("deduction = %+v", p[3])
	}
}

func TestParseBgMaxTwoAccounts(t *testing.T) {
	t.Parallel()
	f, err := ParseBgMax(readTestdata(t, "two-accounts.bgmax"))
	if err != nil {
		t.Fatal(err)
	}
	if !f.Test || len(f.Deposits) != 2 || f.Payments() != 3 {
		t.Fatalf("file = %+v", f)
	}
	a, b := f.Deposits[0], f.Deposits[1]
	if a.Account != "5050-1055" || b.Account != "991-2346" || !a.Total.Equal(dec("204200")) || !b.Total.Equal(dec("10")) {
		t.Fatalf("deposits = %+v, %+v", a, b)
	}
	multi := a.Payments[0]
	if multi.OCRChecked || multi.Reference != "GNS-2021-0004 0005" || len(multi.Extra) != 2 ||
		multi.Extra[0].Reference != "2021000403" || multi.Extra[1].Reference != "2021000510" || multi.Payer != "Östersunds kommun" {
		t.Errorf("payment with extra references = %+v", multi)
	}
	if bad := a.Payments[1]; !bad.BadReference || bad.Reference != "12345678" {
		t.Errorf("payment with a bad reference = %+v", bad)
	}
}

func TestParseCamt054(t *testing.T) {
	t.Parallel()
	f, err := Read("", readTestdata(t, "two-accounts.camt054.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Format != Camt054 || f.Created != "2026-12-07 10:15:00" || len(f.Deposits) != 2 || len(f.Notes) != 1 || !strings.Contains(f.Notes[0], "PDNG") {
		t.Fatalf("file = %+v", f)
	}
	a, b := f.Deposits[0], f.Deposits[1]
	if a.Account != "5050-1055" || a.Serial != "DEP-0001" || !a.Total.Equal(dec("150100")) || len(a.Payments) != 3 ||
		a.Date != (domain.Date{Year: 2026, Month: 12, Day: 7}) {
		t.Fatalf("deposit 1 = %+v", a)
	}
	if p := a.Payments[0]; p.Reference != "1234567897" || !p.OCRChecked || p.Payer != "Bräcke kommun" || p.BankRef != "TX-1" {
		t.Errorf("payment 1 = %+v", p)
	}
	if p := a.Payments[1]; p.Reference != "" || len(p.Texts) != 1 || p.Texts[0] != "Faktura GNS-2021-0003" || p.BankRef != "E2E-2" {
		t.Errorf("payment 2 = %+v", p)
	}
	if p := a.Payments[2]; !p.Deduction || !p.Amount.Equal(dec("-1500")) {
		t.Errorf("debit = %+v", p)
	}
	if b.Account != "SE4550000000058398257466" || len(b.Payments) != 1 || !b.Payments[0].Amount.Equal(dec("2500.50")) ||
		b.Payments[0].Reference != "411111111111111" || b.Payments[0].OCRChecked {
		t.Errorf("deposit 2 = %+v", b)
	}
}

// TestBadFilesNameLineAndField: a damaged file is refused whole with the line
// and the field.
func TestBadFilesNameLineAndField(t *testing.T) {
	t.Parallel()
	good := string(readTestdata(t, "several.bgmax"))
	lines := strings.Split(good, "\r\n")
	with := func(i int, l string) string {
		c := append([]string(nil), lines...)
		c[i] = l
		return strings.Join(c, "\r\n")
	}
	camt := string(readTestdata(t, "two-accounts.camt054.xml"))
	for _, tc := range []struct {
		name   string
		format Format
		data   string
		want   string
	}{
		{"empty", BgMax, "", "Filen är tom"},
		{"not bgmax", BgMax, "hello\n", "Rad 1, startpost"},
		{"letters in amount", BgMax, with(2, lines[2][:40]+"12x"+lines[2][43:]), "Rad 3, belopp (position 38–55)"},
		{"reference code", BgMax, with(2, lines[2][:55]+"9"+lines[2][56:]), "Rad 3, referenskod (position 56)"},
		{"deposit sum", BgMax, strings.Replace(good, "000000000017510000SEK", "000000000017510100SEK", 1), "Rad 15, insättningsbelopp"},
		{"deposit count", BgMax, strings.Replace(good, "SEK00000004", "SEK00000005", 1), "Rad 15, antal betalningar"},
		{"end counts", BgMax, strings.Replace(good, "7000000003", "7000000002", 1), "Rad 16, antal betalningsposter"},
		{"cut off", BgMax, strings.Join(lines[:10], "\r\n"), "saknar slutpost (70) efter rad 10"},
		{"bad date", BgMax, strings.Replace(good, "20261207000", "20261307000", 1), "Rad 15, betalningsdag"},
		{"record outside section", BgMax, with(1, "26Someone"), "Rad 2, transaktionskod 26"},
		{"long line", BgMax, with(3, lines[3]+"x"), "Rad 4, postlängd"},
		{"xml syntax", Camt054, strings.Replace(camt, "</Ntry>", "</Ntr>", 1), "Rad 46, XML"},
		{"camt amount", Camt054, strings.Replace(camt, ">101600.00<", ">101 600,00<", 1), "TxDtls 1/Amt"},
		{"camt sum", Camt054, strings.Replace(camt, ">150100.00<", ">150000.00<", 1), "Rad 19, Ntry/Amt"},
		{"camt indicator", Camt054, strings.Replace(camt, "<CdtDbtInd>DBIT", "<CdtDbtInd>DEBIT", 1), "CdtDbtInd"},
		{"camt date", Camt054, strings.Replace(camt, "<Dt>2026-12-06</Dt>", "<Dt>2026-13-06</Dt>", 1), "Ntry/BookgDt"},
		{"other xml", Camt054, `<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>`, "namnrymd"},
		{"doctype", Camt054, `<!DOCTYPE x [<!ENTITY a "b">]><Document/>`, "DOCTYPE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(tc.format, []byte(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want one with %q", err, tc.want)
			}
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("code = %s, want EINVALID", domain.ErrorCode(err))
			}
		})
	}
}

// TestWriteBgMaxReadsBack: the writer's file reads back as what was written.
func TestWriteBgMaxReadsBack(t *testing.T) {
	t.Parallel()
	in := File{Format: BgMax, Test: true, Deposits: []Deposit{{Account: "5050-1055", Currency: "SEK", Date: domain.Date{Year: 2026, Month: 12, Day: 7},
		Payments: []Payment{
			{Amount: dec("101600"), Reference: "1234567897", OCRChecked: true, Payer: "Åre kommun", PayerOrgNumber: "212000-2494"},
			{Amount: dec("10.50"), Reference: "GNS-2021-0002", Texts: []string{"Faktura GNS-2021-0002"}},
			{Amount: dec("-5"), Deduction: true, Extra: []ExtraReference{{Reference: "55", Amount: dec("5"), Negative: true}}},
		}}}}
	out := WriteBgMax(in, time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
	if !bytes.Contains(out, []byte("26\xc5re kommun")) {
		t.Errorf("the payer's name is not ISO 8859-1: %q", out)
	}
	f, err := ParseBgMax(out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	d := f.Deposits[0]
	if !f.Test || len(d.Payments) != 3 || !d.Total.Equal(dec("101605.50")) || d.Payments[0].Payer != "Åre kommun" ||
		d.Payments[0].PayerOrgNumber != "2120002494" || d.Payments[1].Reference != "GNS-2021-0002" || !d.Payments[2].Amount.Equal(dec("-5")) ||
		len(d.Payments[2].Extra) != 1 || !d.Payments[2].Extra[0].Negative {
		t.Errorf("read back = %+v", f)
	}
}

func FuzzParseBgMax(f *testing.F) {
	for _, name := range []string{"several.bgmax", "two-accounts.bgmax"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ParseBgMax(data)
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		checkDeposits(t, file)
	})
}

func FuzzParseCamt054(f *testing.F) {
	b, err := os.ReadFile("testdata/two-accounts.camt054.xml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn><Ntfctn><Ntry><Amt Ccy="SEK">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-01-01</Dt></BookgDt></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ParseCamt054(data)
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		checkDeposits(t, file)
	})
}

// checkDeposits fails unless every deposit of a file read is the sum of its
// payments, and every payment is a deduction exactly when it is negative.
func checkDeposits(t *testing.T, file File) {
	t.Helper()
	for _, d := range file.Deposits {
		sum := decimal.Zero
		for _, p := range d.Payments {
			sum = sum.Add(p.Amount)
			if p.Deduction != p.Amount.IsNegative() && !p.Amount.IsZero() {
				t.Fatalf("payment %+v: deduction and sign disagree", p)
			}
		}
		if !sum.Equal(d.Total) {
			t.Fatalf("deposit %+v: sum %s", d, sum)
		}
	}
}
