package peppol

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestBuildGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		doc  Document
	}{
		{"invoice-base-funding.xml", baseFundingInvoice(t)},
		{"creditnote-surplus.xml", surplusCreditNote()},
		{"creditnote-correction.xml", correctionCreditNote(t)},
		{"invoice-vat.xml", serviceInvoice(t)},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := mustBuild(t, tt.doc)
			path := filepath.Join("testdata", tt.file)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Build(%s) differs from %s (run go test -update if the change is intended):\n%s", tt.doc.Number, path, got)
			}
			if v := Check(got); len(v) > 0 {
				t.Errorf("Check(%s) = %v, want no violations", tt.file, v)
			}
		})
	}
}

// TestGoldenFilesPassCheck checks the files as stored, so a hand edit of a
// golden file cannot slip past.
func TestGoldenFilesPassCheck(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/*.xml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if v := Check(b); len(v) > 0 {
			t.Errorf("%s: %v", f, v)
		}
	}
}

// ublRoundTrip is what another system would read from our XML with a plain
// encoding/xml struct: namespaces resolved, values as text.
type ublRoundTrip struct {
	XMLName        xml.Name
	ID             string `xml:"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2 ID"`
	IssueDate      string `xml:"IssueDate"`
	DueDate        string `xml:"DueDate"`
	TypeCode       string `xml:"InvoiceTypeCode"`
	CreditTypeCode string `xml:"CreditNoteTypeCode"`
	Currency       string `xml:"DocumentCurrencyCode"`
	BuyerReference string `xml:"BuyerReference"`
	BillingID      string `xml:"BillingReference>InvoiceDocumentReference>ID"`
	BillingDate    string `xml:"BillingReference>InvoiceDocumentReference>IssueDate"`
	Seller         struct {
		Endpoint struct {
			Scheme string `xml:"schemeID,attr"`
			Value  string `xml:",chardata"`
		} `xml:"Party>EndpointID"`
		Name string `xml:"Party>PartyLegalEntity>RegistrationName"`
		Org  string `xml:"Party>PartyLegalEntity>CompanyID"`
	} `xml:"AccountingSupplierParty"`
	Buyer struct {
		Endpoint string `xml:"Party>EndpointID"`
		Name     string `xml:"Party>PartyLegalEntity>RegistrationName"`
	} `xml:"AccountingCustomerParty"`
	PaymentCode string `xml:"PaymentMeans>PaymentMeansCode"`
	PaymentID   string `xml:"PaymentMeans>PaymentID"`
	PaymentDue  string `xml:"PaymentMeans>PaymentDueDate"`
	Account     string `xml:"PaymentMeans>PayeeFinancialAccount>ID"`
	Branch      string `xml:"PaymentMeans>PayeeFinancialAccount>FinancialInstitutionBranch>ID"`
	Payable     struct {
		Currency string `xml:"currencyID,attr"`
		Value    string `xml:",chardata"`
	} `xml:"LegalMonetaryTotal>PayableAmount"`
	Lines []struct {
		ID     string `xml:"ID"`
		Amount string `xml:"LineExtensionAmount"`
		Name   string `xml:"Item>Name"`
	} `xml:"InvoiceLine"`
	CreditLines []struct {
		ID     string `xml:"ID"`
		Amount string `xml:"LineExtensionAmount"`
		Name   string `xml:"Item>Name"`
	} `xml:"CreditNoteLine"`
}

func TestBuildRoundTrip(t *testing.T) {
	t.Parallel()
	var inv ublRoundTrip
	if err := xml.Unmarshal(mustBuild(t, baseFundingInvoice(t)), &inv); err != nil {
		t.Fatalf("xml.Unmarshal: %v", err)
	}
	checks := []struct{ name, got, want string }{
		{"root", inv.XMLName.Space + " " + inv.XMLName.Local, nsInvoice + " Invoice"},
		{"ID", inv.ID, "2021-0001"},
		{"IssueDate", inv.IssueDate, "2021-01-04"},
		{"DueDate", inv.DueDate, "2021-01-29"},
		{"InvoiceTypeCode", inv.TypeCode, "380"},
		{"currency", inv.Currency, "SEK"},
		{"BuyerReference", inv.BuyerReference, "KS-2380"},
		{"seller endpoint", inv.Seller.Endpoint.Scheme + ":" + inv.Seller.Endpoint.Value, "0007:2321000214"},
		{"seller name", inv.Seller.Name, "Region Jämtland Härjedalen"},
		{"seller org", inv.Seller.Org, "2321000214"},
		{"buyer endpoint", inv.Buyer.Endpoint, "2120002528"},
		{"buyer name", inv.Buyer.Name, "Östersunds kommun"},
		{"payment code", inv.PaymentCode, "30"},
		{"OCR", inv.PaymentID, "2021000100"},
		{"bankgiro", inv.Account, "50501055"},
		{"branch", inv.Branch, "SE:BANKGIRO"},
		{"payable", inv.Payable.Value + " " + inv.Payable.Currency, "101600.00 SEK"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if len(inv.Lines) != 1 || inv.Lines[0].Amount != "101600.00" || !strings.HasPrefix(inv.Lines[0].Name, "Basfinansiering 2021") {
		t.Errorf("lines = %+v", inv.Lines)
	}

	var cn ublRoundTrip
	if err := xml.Unmarshal(mustBuild(t, correctionCreditNote(t)), &cn); err != nil {
		t.Fatalf("xml.Unmarshal: %v", err)
	}
	checks = []struct{ name, got, want string }{
		{"root", cn.XMLName.Space + " " + cn.XMLName.Local, nsCreditNote + " CreditNote"},
		{"CreditNoteTypeCode", cn.CreditTypeCode, "381"},
		{"no DueDate in a CreditNote", cn.DueDate, ""},
		{"PaymentDueDate", cn.PaymentDue, "2021-03-01"},
		{"credited invoice", cn.BillingID + " " + cn.BillingDate, "2021-0001 2021-01-04"},
		{"payable", cn.Payable.Value, "1000.00"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if len(cn.CreditLines) != 1 || len(cn.Lines) != 0 {
		t.Errorf("credit note lines = %+v, invoice lines = %+v", cn.CreditLines, cn.Lines)
	}
}

// topLevel returns the names of the root's children in order, each once.
func topLevel(t *testing.T, doc []byte) []string {
	t.Helper()
	root, err := parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, k := range root.kids {
		if len(names) == 0 || names[len(names)-1] != k.name {
			names = append(names, k.name)
		}
	}
	return names
}

// TestElementOrder pins the top-level element order against the UBL 2.1
// schema sequence as the Peppol syntax trees list it. Without the XSD at hand
// this is the guard that a reordered struct field is noticed.
func TestElementOrder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		doc  Document
		want string
	}{
		{"invoice", baseFundingInvoice(t), `cbc:CustomizationID cbc:ProfileID cbc:ID cbc:IssueDate cbc:DueDate
			cbc:InvoiceTypeCode cbc:DocumentCurrencyCode cbc:BuyerReference cac:AccountingSupplierParty
			cac:AccountingCustomerParty cac:PaymentMeans cac:PaymentTerms cac:TaxTotal cac:LegalMonetaryTotal
			cac:InvoiceLine`},
		{"invoice with every optional part", func() Document {
			d := serviceInvoice(t)
			d.Note = "Avser mars 2021."
			d.BuyerReference = "KS-2380"
			d.BillingReference = &InvoiceReference{Number: "2021-0001"}
			d.References = []Reference{{ID: "GNS/8/2020"}}
			d.PaymentTerms = "30 dagar netto"
			return d
		}(), `cbc:CustomizationID cbc:ProfileID cbc:ID cbc:IssueDate cbc:DueDate cbc:InvoiceTypeCode cbc:Note
			cbc:DocumentCurrencyCode cbc:BuyerReference cac:OrderReference cac:BillingReference
			cac:AdditionalDocumentReference cac:AccountingSupplierParty cac:AccountingCustomerParty
			cac:PaymentMeans cac:PaymentTerms cac:TaxTotal cac:LegalMonetaryTotal cac:InvoiceLine`},
		{"credit note", correctionCreditNote(t), `cbc:CustomizationID cbc:ProfileID cbc:ID cbc:IssueDate
			cbc:CreditNoteTypeCode cbc:DocumentCurrencyCode cbc:BuyerReference cac:BillingReference
			cac:AccountingSupplierParty cac:AccountingCustomerParty cac:PaymentMeans cac:TaxTotal
			cac:LegalMonetaryTotal cac:CreditNoteLine`},
		{"refund credit note", surplusCreditNote(), `cbc:CustomizationID cbc:ProfileID cbc:ID cbc:IssueDate
			cbc:CreditNoteTypeCode cbc:DocumentCurrencyCode cbc:BuyerReference cac:AdditionalDocumentReference
			cac:AccountingSupplierParty cac:AccountingCustomerParty cac:PaymentTerms cac:TaxTotal
			cac:LegalMonetaryTotal cac:CreditNoteLine`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(topLevel(t, mustBuild(t, tt.doc)), " ")
			want := strings.Join(strings.Fields(tt.want), " ")
			if got != want {
				t.Errorf("top-level elements\n got %s\nwant %s", got, want)
			}
		})
	}
}

// TestSequencesMatchStructs checks that what the writer's structs can emit is
// in the order checkSchema expects, for every aggregate that has a sequence:
// a document with every optional part filled must pass UBL-SEQUENCE.
func TestSequencesMatchStructs(t *testing.T) {
	t.Parallel()
	d := serviceInvoice(t)
	d.Note = "Avser mars 2021."
	d.BuyerReference = "KS-2380"
	d.BillingReference = &InvoiceReference{Number: "2021-0001", IssueDate: domain.MustDate("2021-01-04")}
	d.References = []Reference{{ID: "GNS/8/2020", Description: "Budget 2021"}}
	d.PaymentTerms = "30 dagar netto"
	d.Seller.Address.Additional = "Kyrkgatan 12"
	d.Seller.Contact = Contact{Name: "Ekonomi", Phone: "063-14 75 00", Email: "ekonomi@example.se"}
	d.Lines[0].Name = "Konsult"
	d.Lines[0].Period = Period{Start: domain.MustDate("2021-03-01"), End: domain.MustDate("2021-03-31")}
	out := mustBuild(t, d)
	for _, v := range Check(out) {
		t.Errorf("%v", v)
	}
}

func TestMissingPartyData(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		edit    func(*Document)
		party   string
		missing []string
		msg     string
	}{
		{"buyer without org number and Peppol id", func(d *Document) {
			d.Buyer.Name, d.Buyer.OrgNumber, d.Buyer.PeppolID = "Bräcke kommun", "", ""
		}, "Bräcke kommun", []string{"organisationsnummer", "Peppol-id"},
			"Bräcke kommun saknar organisationsnummer och Peppol-id: e-faktura kan inte skapas. PDF-fakturan går att ladda ner."},
		{"buyer without Peppol id", func(d *Document) { d.Buyer.PeppolID = "  " },
			"Östersunds kommun", []string{"Peppol-id"},
			"Östersunds kommun saknar Peppol-id: e-faktura kan inte skapas. PDF-fakturan går att ladda ner."},
		{"buyer without any reference", func(d *Document) { d.Buyer.OrgNumber, d.BuyerReference = "", "" },
			"Östersunds kommun", []string{"organisationsnummer", "fakturareferens"},
			"Östersunds kommun saknar organisationsnummer och fakturareferens: e-faktura kan inte skapas. PDF-fakturan går att ladda ner."},
		{"seller without org number, Peppol id and bankgiro", func(d *Document) {
			d.Seller.OrgNumber, d.Seller.PeppolID, d.Payment.Bankgiro = "", "", ""
		}, "Region Jämtland Härjedalen", []string{"organisationsnummer", "Peppol-id", "bankgironummer"},
			"Region Jämtland Härjedalen saknar organisationsnummer, Peppol-id och bankgironummer: e-faktura kan inte skapas. PDF-fakturan går att ladda ner."},
		{"seller without VAT number on a VAT invoice", func(d *Document) {
			d.Seller.VATNumber = ""
			d.Lines[0].VAT, d.Lines[0].VATRate = VATStandard, dec("25")
			d.Lines[0].Price, d.Lines[0].Amount = dec("101600"), dec("101600")
		}, "Region Jämtland Härjedalen", []string{"momsregistreringsnummer"},
			"Region Jämtland Härjedalen saknar momsregistreringsnummer: e-faktura kan inte skapas. PDF-fakturan går att ladda ner."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := baseFundingInvoice(t)
			tt.edit(&d)
			out, err := Build(d)
			if out != nil {
				t.Errorf("Build returned a document despite missing data")
			}
			var me *MissingError
			if !errors.As(err, &me) {
				t.Fatalf("Build error = %v (%T), want *MissingError", err, err)
			}
			if me.Party != tt.party || strings.Join(me.Missing, "|") != strings.Join(tt.missing, "|") {
				t.Errorf("MissingError = %+v, want party %q missing %q", me, tt.party, tt.missing)
			}
			if err.Error() != tt.msg {
				t.Errorf("message\n got %q\nwant %q", err.Error(), tt.msg)
			}
			if got := domain.ErrorCode(err); got != domain.ECONFLICT {
				t.Errorf("ErrorCode = %q, want %q", got, domain.ECONFLICT)
			}
			if got := domain.ErrorMessage(err); got != tt.msg {
				t.Errorf("ErrorMessage = %q, want the Swedish message", got)
			}
		})
	}
}

// TestBuildRejects covers the documents Build refuses with EINVALID: each
// would otherwise be a document the receiver refuses or an invoice the law
// does not allow.
func TestBuildRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(*Document)
		want string // a part of the Swedish message
	}{
		{"unknown type", func(d *Document) { d.Type = 384 }, "Dokumenttypen 384 finns inte"},
		{"no number", func(d *Document) { d.Number = " " }, "Fakturan saknar nummer."},
		{"control character in number", func(d *Document) { d.Number = "2021\x00" }, "styrtecken"},
		{"no issue date", func(d *Document) { d.IssueDate = domain.Date{} }, "saknar fakturadatum"},
		{"invoice without due date", func(d *Document) { d.DueDate = domain.Date{} }, "Fakturan saknar förfallodag."},
		{"due before issue", func(d *Document) { d.DueDate = domain.MustDate("2020-12-31") }, "före fakturadatum"},
		{"unknown currency", func(d *Document) { d.Currency = "SKR" }, "Valutakoden \"SKR\""},
		{"bad bankgiro format", func(d *Document) { d.Payment.Bankgiro = "50501055" }, "Bankgironumret \"50501055\""},
		{"bankgiro check digit", func(d *Document) { d.Payment.Bankgiro = "5050-1056" }, "kontrollsiffra"},
		{"no OCR", func(d *Document) { d.Payment.PaymentID = "" }, "Fakturan saknar OCR-nummer."},
		{"OCR check digit", func(d *Document) { d.Payment.PaymentID = "2021000101" }, "OCR-numret \"2021000101\""},
		{"bad org number", func(d *Document) { d.Buyer.OrgNumber = "212000-2529" }, "Östersunds kommun: Organisationsnumret"},
		{"bad Peppol id", func(d *Document) { d.Buyer.PeppolID = "0088:7300010000002" }, "Östersunds kommun: Peppol-id:t \"0088:7300010000002\" har fel kontrollsiffra för ett GLN"},
		{"Peppol id of another scheme", func(d *Document) { d.Buyer.PeppolID = "0192:987654321" }, "schema som GNS inte tar emot"},
		{"Peppol VAT id with a bad number", func(d *Document) { d.Buyer.PeppolID = "9955:SE212000252901" }, "fel kontrollsiffra"},
		{"bad VAT number", func(d *Document) { d.Seller.VATNumber = "SE2321000214" }, "momsregistreringsnumret"},
		{"bad country", func(d *Document) { d.Buyer.Address.Country = "Sverige" }, "landskoden"},
		{"no lines", func(d *Document) { d.Lines = nil }, "Fakturan har inga rader."},
		{"line without description", func(d *Document) { d.Lines[0].Description = "" }, "saknar beskrivning"},
		{"sub-öre amount", func(d *Document) { d.Lines[0].Amount = dec("101600.005") }, "fler än två decimaler"},
		{"amount not quantity × price", func(d *Document) {
			d.Lines[0].Quantity, d.Lines[0].Price = dec("2"), dec("50000")
		}, "antal × pris är 100000.00"},
		{"negative price", func(d *Document) { d.Lines[0].Price, d.Lines[0].Amount = dec("-5"), dec("-5") }, "negativt pris"},
		{"period ends before start", func(d *Document) {
			d.Lines[0].Period = Period{Start: domain.MustDate("2021-12-31"), End: domain.MustDate("2021-01-01")}
		}, "slutar före den börjar"},
		{"unsupported VAT category", func(d *Document) { d.Lines[0].VAT = "AE" }, "Momskategorin \"AE\""},
		{"S without rate", func(d *Document) { d.Lines[0].VAT = VATStandard }, "ingen momssats"},
		{"O with rate", func(d *Document) { d.Lines[0].VATRate = dec("25") }, "kan inte ha momssats 25"},
		{"E without reason", func(d *Document) { d.Lines[0].VAT = VATExempt }, "saknar skäl"},
		{"S with reason", func(d *Document) {
			d.Lines[0].VAT, d.Lines[0].VATRate, d.Lines[0].ExemptionReason = VATStandard, dec("25"), "Undantag"
		}, "kan inte ha ett skäl"},
		{"O mixed with S", func(d *Document) {
			d.Lines = append(d.Lines, Line{Description: "Konsult", Amount: dec("100"), VAT: VATStandard, VATRate: dec("25")})
		}, "kan inte blandas"},
		{"two reasons for O", func(d *Document) {
			d.Lines = append(d.Lines, Line{Description: "Annat", Amount: dec("100"), ExemptionReason: "Annat skäl"})
		}, "olika skäl"},
		{"duplicate line id", func(d *Document) {
			d.Lines = append(d.Lines, Line{ID: "1", Description: "Annat", Amount: dec("100")})
		}, "Radnumret 1 förekommer två gånger."},
		{"billing reference without number", func(d *Document) { d.BillingReference = &InvoiceReference{} }, "utan nummer"},
		{"reference without id", func(d *Document) { d.References = []Reference{{Description: "Beslut"}} }, "utan beteckning"},
		{"credit note due date without payment", func(d *Document) {
			d.Type, d.Payment = CreditNote, PaymentMeans{}
		}, "Kreditfakturans förfallodag kan bara anges"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := baseFundingInvoice(t)
			tt.edit(&d)
			out, err := Build(d)
			if err == nil {
				t.Fatalf("Build succeeded, want an error containing %q:\n%s", tt.want, out)
			}
			if code := domain.ErrorCode(err); code != domain.EINVALID {
				t.Errorf("ErrorCode = %q (%v), want %q", code, err, domain.EINVALID)
			}
			if msg := domain.ErrorMessage(err); !strings.Contains(msg, tt.want) {
				t.Errorf("message %q does not contain %q", msg, tt.want)
			}
		})
	}
}

// TestBuildDefaults checks what Build fills in: currency, country, unit,
// quantity and price from the amount, line numbers, and the reason for O.
func TestBuildDefaults(t *testing.T) {
	t.Parallel()
	d := baseFundingInvoice(t)
	d.Lines = append(d.Lines, Line{Description: "Justering", Amount: dec("-100.50")})
	root, err := parse(mustBuild(t, d))
	if err != nil {
		t.Fatal(err)
	}
	line2 := root.kidsNamed("cac:InvoiceLine")[1]
	got := map[string]string{
		"currency":    root.val("cbc:DocumentCurrencyCode"),
		"country":     root.val("cac:AccountingCustomerParty", "cac:Party", "cac:PostalAddress", "cac:Country", "cbc:IdentificationCode"),
		"line id":     line2.val("cbc:ID"),
		"quantity":    line2.val("cbc:InvoicedQuantity"),
		"price":       line2.val("cac:Price", "cbc:PriceAmount"),
		"reason code": root.val("cac:TaxTotal", "cac:TaxSubtotal", "cac:TaxCategory", "cbc:TaxExemptionReasonCode"),
		"reason":      root.val("cac:TaxTotal", "cac:TaxSubtotal", "cac:TaxCategory", "cbc:TaxExemptionReason"),
		"payable":     root.val("cac:LegalMonetaryTotal", "cbc:PayableAmount"),
		"seller VAT":  strconv.Itoa(len(vatSchemes(root.at("cac:AccountingSupplierParty", "cac:Party")))),
	}
	unit, _ := line2.kid("cbc:InvoicedQuantity").attr("unitCode")
	got["unit"] = unit
	want := map[string]string{
		"currency": "SEK", "country": "SE", "line id": "2", "quantity": "-1", "price": "100.50", "unit": "EA",
		"reason code": "VATEX-EU-O", "reason": DefaultOutOfScopeReason, "payable": "101499.50",
		"seller VAT": "0", // BR-O-02: never on a document outside the scope of VAT
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
}

// TestBuyerSchemes builds the invoice for buyers addressed by each scheme
// Swedish buyers use and checks the electronic address it writes and that
// the document keeps every rule: a GLN (0088) as it is, and a VAT number
// (9955, withdrawn from the EAS code list) as the organisation number in it.
func TestBuyerSchemes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ id, scheme, endpoint string }{
		{"0007:2120002528", "0007", "2120002528"},
		{"0088:7300010000001", "0088", "7300010000001"},
		{" 9955:se212000252801 ", "0007", "2120002528"},
	} {
		d := baseFundingInvoice(t)
		d.Buyer.PeppolID = c.id
		b := mustBuild(t, d)
		if v := Check(b); len(v) > 0 {
			t.Errorf("%s: the document breaks %v", c.id, v)
		}
		root, err := parse(b)
		if err != nil {
			t.Fatal(err)
		}
		e := root.at("cac:AccountingCustomerParty", "cac:Party").kid("cbc:EndpointID")
		scheme, _ := e.attr("schemeID")
		if scheme != c.scheme || e.text != c.endpoint {
			t.Errorf("%s: EndpointID %s:%s, want %s:%s", c.id, scheme, e.text, c.scheme, c.endpoint)
		}
	}
}
