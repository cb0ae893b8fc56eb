package invoice

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"golang.org/x/text/encoding/charmap"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/pdf/pdftest"
	"github.com/region-jh/gns/reports/peppol"
	"github.com/region-jh/gns/reports/sie"
)

const committee = "Gemensam nämnd för samverkan inom drift och service, utveckling samt specialistfunktioner"

func seller() finance.InvoiceSeller {
	return finance.InvoiceSeller{Name: "Region Jämtland Härjedalen", Address: "Box 654\n831 27 Östersund", OrgNumber: "232100-0214",
		VATNumber: "SE232100021401", PeppolID: "0007:2321000214", FTax: true, Bankgiro: "5050-1055",
		ContactName: "Erik Holm", ContactEmail: "ekonom@regionjh.example", ContactPhone: "063-14 75 00"}
}

// baseFunding is Östersund's invoice of the base funding 2021, ready for an
// e-invoice.
func baseFunding() finance.Invoice {
	return finance.Invoice{
		ID: 1, Number: "GNS-2021-0001", Year: 2021, Seq: 1, Kind: finance.InvoiceKindInvoice, PartyID: 2,
		Buyer: finance.InvoiceBuyer{Name: "Östersunds kommun", Address: "Rådhusgatan 42\n831 82 Östersund", OrgNumber: "212000-2528",
			Reference: "KS-2380", PeppolID: "0007:2120002528"},
		Seller: seller(), IssueDate: domain.MustDate("2021-01-04"), DueDate: domain.MustDate("2021-01-31"),
		PeriodStart: domain.MustDate("2021-01-01"), PeriodEnd: domain.MustDate("2021-12-31"),
		LineText: "Basfinansiering 2021, lika delar 1/9, enligt beslut GNS § 42/2020", Amount: decimal.RequireFromString("101600"),
		VATCategory: "O", VATExemptionReason: finance.DefaultOutOfScopeReason, OCR: "2021000100",
		AllocationKind: finance.AllocationBaseFunding, Decision: "GNS § 42/2020", CaseNumber: "GNS/8/2020",
		Paid: decimal.Zero, Credited: decimal.Zero,
	}
}

// bracke is Bräcke's invoice: the register lacks its organisation number,
// Peppol id and reference, so it can only be sent as a PDF.
func bracke() finance.Invoice {
	d := baseFunding()
	d.ID, d.Number, d.Seq, d.OCR = 5, "GNS-2021-0005", 5, "2021000506"
	d.Buyer = finance.InvoiceBuyer{Name: "Bräcke kommun", Address: "Box 190\n840 60 Bräcke"}
	return d
}

// refund pays Åre's share of the surplus out.
func refund() finance.Invoice {
	d := baseFunding()
	d.ID, d.Number, d.Seq, d.Kind, d.OCR = 10, "GNS-2021-0010", 10, finance.InvoiceKindCreditNote, ""
	d.Buyer = finance.InvoiceBuyer{Name: "Åre kommun", Address: "Box 201\n830 05 Järpen", OrgNumber: "212000-2460", Reference: "KS-2321", PeppolID: "0007:2120002460"}
	d.DueDate, d.AllocationKind = domain.MustDate("2021-02-03"), finance.AllocationRefund
	d.LineText = "Återbetalning av återstående medel från 2018 och 2019, lika delar 1/9, enligt beslut GNS § 44/2020"
	d.Amount, d.Decision, d.CaseNumber = decimal.RequireFromString("52010.11"), "GNS § 44/2020", "GNS/2/2020"
	return d
}

// correction credits part of Östersund's invoice.
func correction() finance.Invoice {
	d := baseFunding()
	d.ID, d.Number, d.Seq, d.Kind, d.OCR, d.DueDate = 20, "GNS-2021-0020", 20, finance.InvoiceKindCreditNote, "", domain.Date{}
	d.IssueDate = domain.MustDate("2021-02-01")
	d.CreditsInvoiceID, d.CreditsNumber, d.CreditsIssueDate, d.CreditReason = 1, "GNS-2021-0001", domain.MustDate("2021-01-04"), "Fel belopp: basfinansieringen sänktes"
	d.LineText, d.Amount = "Kreditering av faktura GNS-2021-0001: Fel belopp: basfinansieringen sänktes", decimal.RequireFromString("1000")
	return d
}

func TestPDFReadsBack(t *testing.T) {
	t.Parallel()
	b, err := PDF([]finance.Invoice{baseFunding(), bracke(), refund(), correction()}, Options{Committee: committee})
	if err != nil {
		t.Fatal(err)
	}
	flat := pdftest.Text(t, b, true)
	for _, want := range []string{
		"Faktura GNS-2021-0001", "Fakturadatum 2021-01-04", "Förfallodag 2021-01-31", "OCR-nummer 2021000100",
		"Er referens KS-2380", "Vår referens Erik Holm, 063-14 75 00, ekonom@regionjh.example",
		"Region Jämtland Härjedalen", "Östersunds kommun", "Rådhusgatan 42", "831 82 Östersund", "Org.nr 212000-2528",
		"Momsreg.nr SE232100021401", "Godkänd för F-skatt",
		"Basfinansiering 2021, lika delar 1/9, enligt beslut GNS §", "2021-01-01 – 2021-12-31",
		"Att betala 101 600,00", "Ingen moms: Utanför mervärdesskattelagens tillämpningsområde.",
		"Bankgiro 5050-1055", "Belopp 101 600,00 kr",
		"Faktura GNS-2021-0005", "Bräcke kommun", "840 60 Bräcke", "Er referens –",
		"Kreditfaktura GNS-2021-0010", "Avser beslut GNS § 44/2020 (ärende GNS/2/2020)", "Åre kommun", "830 05 Järpen",
		"Betalas ut till er 52 010,11", "betalas ut till er senast 3 februari 2021",
		"Kreditfaktura GNS-2021-0020", "Krediterar Faktura GNS-2021-0001 daterad 2021-01-04", "Krediterat belopp 1 000,00",
		"Betala inte denna kreditfaktura", "Sida 1 av 4", "Sida 4 av 4",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(flat)
	}
	fonts := pdftest.Fonts(t, b)
	if len(fonts) < 2 {
		t.Fatalf("pdffonts lists too few fonts: %q", fonts)
	}
	for _, line := range fonts {
		// name, type, encoding, then emb sub uni: the emb column is "yes".
		if f := strings.Fields(line); !strings.Contains(strings.ToLower(f[0]), "liberation") || len(f) < 7 || f[len(f)-5] != "yes" {
			t.Errorf("not an embedded Liberation font: %s", line)
		}
	}
}

func TestPDFIsDeterministic(t *testing.T) {
	t.Parallel()
	docs := []finance.Invoice{baseFunding(), refund()}
	a, err := PDF(docs, Options{Committee: committee})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := PDF(docs, Options{Committee: committee})
	if !bytes.Equal(a, b) {
		t.Error("the same documents gave different PDFs")
	}
	if _, err := PDF(nil, Options{}); err == nil {
		t.Error("a PDF of no documents was made")
	}
}

func TestUBL(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		doc  finance.Invoice
		want []string
	}{
		{"invoice", baseFunding(), []string{
			"<cbc:CustomizationID>" + peppol.CustomizationID, "<cbc:ProfileID>" + peppol.ProfileID,
			"<cbc:ID>GNS-2021-0001</cbc:ID>", "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>", "<cbc:DueDate>2021-01-31</cbc:DueDate>",
			"<cbc:BuyerReference>KS-2380</cbc:BuyerReference>", `<cbc:EndpointID schemeID="0007">2120002528</cbc:EndpointID>`,
			`<cbc:EndpointID schemeID="0007">2321000214</cbc:EndpointID>`, "<cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>",
			"<cbc:PaymentID>2021000100</cbc:PaymentID>", "<cbc:ID>50501055</cbc:ID>", "<cbc:TaxExemptionReasonCode>VATEX-EU-O</cbc:TaxExemptionReasonCode>",
			"<cbc:PayableAmount currencyID=\"SEK\">101600.00</cbc:PayableAmount>", "<cbc:StartDate>2021-01-01</cbc:StartDate>",
			"Basfinansiering 2021, lika delar 1/9, enligt beslut GNS § 42/2020",
		}},
		{"refund", refund(), []string{"<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>", "<cbc:ID>GNS/2/2020</cbc:ID>",
			"Beslut GNS § 44/2020 om återbetalning", "<cbc:PayableAmount currencyID=\"SEK\">52010.11</cbc:PayableAmount>"}},
		{"correction", correction(), []string{"<cac:BillingReference>", "<cbc:ID>GNS-2021-0001</cbc:ID>", "<cbc:IssueDate>2021-01-04</cbc:IssueDate>",
			"<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			xml, err := UBL(tt.doc)
			if err != nil {
				t.Fatal(err)
			}
			if v := peppol.Check(xml); len(v) > 0 {
				t.Errorf("the e-invoice breaks rules: %v", v)
			}
			for _, want := range tt.want {
				if !bytes.Contains(xml, []byte(want)) {
					t.Errorf("the e-invoice lacks %s", want)
				}
			}
		})
	}
}

func TestUBLNamesWhatIsMissing(t *testing.T) {
	t.Parallel()
	_, err := UBL(bracke())
	var missing *peppol.MissingError
	if !errors.As(err, &missing) {
		t.Fatalf("UBL of Bräcke's invoice: %v", err)
	}
	if want := "Bräcke kommun saknar organisationsnummer, Peppol-id och fakturareferens: e-faktura kan inte skapas. PDF-fakturan går att ladda ner."; domain.ErrorMessage(err) != want || domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("message %q (%s), want %q", domain.ErrorMessage(err), domain.ErrorCode(err), want)
	}
}

func TestUBLArchive(t *testing.T) {
	t.Parallel()
	docs := []finance.Invoice{baseFunding(), bracke(), refund()}
	archive, included, skipped, err := UBLArchive(docs)
	if err != nil {
		t.Fatal(err)
	}
	if len(included) != 2 || len(skipped) != 1 || !strings.Contains(skipped[0].Error(), "Bräcke kommun") {
		t.Fatalf("included %d, skipped %v", len(included), skipped)
	}
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if v := peppol.Check(b); len(v) > 0 {
			t.Errorf("%s breaks rules: %v", f.Name, v)
		}
	}
	if strings.Join(names, ",") != "GNS-2021-0001.xml,GNS-2021-0010.xml" {
		t.Errorf("files %v", names)
	}
	again, _, _, _ := UBLArchive(docs)
	if !bytes.Equal(archive, again) {
		t.Error("the same documents gave different archives")
	}
}

func TestSIE(t *testing.T) {
	t.Parallel()
	s := finance.InvoiceSettings{InvoiceSeller: seller(), ReceivableAccount: "1510", ContributionAccount: "3540", InternalAccount: "4950"}
	transfers := []finance.InternalTransfer{{PartyName: "Region Jämtland Härjedalen", Amount: decimal.RequireFromString("-52010.12"), LineText: "Återbetalning, lika delar 1/9, enligt beslut GNS § 44/2020"}}
	service := baseFunding()
	service.Number, service.AllocationID, service.AllocationKind = "GNS-2021-0011", 7, finance.AllocationDirect
	run := finance.InvoiceRun{AllocationID: 3, IssueDate: domain.MustDate("2021-01-04"), Invoices: []finance.Invoice{baseFunding(), refund(), service}, Transfers: transfers}
	f := SIE(s, run, map[int64]string{7: "6663"}, "1.4.2", domain.MustDate("2021-01-05"))
	var out bytes.Buffer
	if err := sie.Write(&out, f); err != nil {
		t.Fatal(err)
	}
	// § is byte 0x15 in code page 437 (the issue's "GNS ? 42/2020" was the
	// sign lost).
	if !bytes.Contains(out.Bytes(), []byte("GNS \x15 44/2020")) || bytes.Contains(out.Bytes(), []byte("GNS ? ")) {
		t.Error("§ is not written as 0x15")
	}
	text, err := charmap.CodePage437.NewDecoder().String(out.String())
	if err != nil {
		t.Fatal(err)
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	for _, want := range []string{
		"#PROGRAM \"GNS\" 1.4.2\n", "#SIETYP 4\n", "#ORGNR 232100-0214\n", "#KPTYP EUBAS97\n",
		`#DIM 1 "Kostnadsställe/objekt"` + "\n" + `#OBJEKT 1 "6663" "Objekt 6663"` + "\n",
		`#TRANS 3540 {1 "6663"} -101600.00 "" "GNS-2021-0011"`, `#FNAMN "Region Jämtland Härjedalen"`, `#KONTO 1510 "Kundfordringar"`,
		`#KONTO 4950 "Värdpartens andel, intern omföring"`,
		`#VER "" "" 20210104 "Faktura GNS-2021-0001 Östersunds kommun"` + "\n{\n" +
			`#TRANS 1510 {} 101600.00 "" "Östersunds kommun"` + "\n" + `#TRANS 3540 {} -101600.00 "" "GNS-2021-0001"` + "\n}",
		`#VER "" "" 20210104 "Kreditfaktura GNS-2021-0010 Åre kommun"` + "\n{\n" + `#TRANS 1510 {} -52010.11 "" "Åre kommun"` + "\n" + `#TRANS 3540 {} 52010.11`,
		`#VER "" "" 20210104 "Intern omföring Region Jämtland Härjedalen"` + "\n{\n" + `#TRANS 4950 {} -52010.12`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the SIE file lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(text)
	}
	parsed, err := sie.Parse(bytes.NewReader(out.Bytes()))
	if err != nil || len(parsed.Verifications) != 4 {
		t.Fatalf("read back: %v", err)
	}
	for _, v := range parsed.Verifications {
		sum := decimal.Zero
		for _, tr := range v.Transactions {
			sum = sum.Add(tr.Amount)
		}
		if !sum.IsZero() {
			t.Errorf("%s does not balance: %s", v.Text, sum)
		}
	}
}
