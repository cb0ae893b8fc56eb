package peppol

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var betweenTags = regexp.MustCompile(`>\s+<`)

// compact removes the indentation between tags, so mutations can be written
// on one line. The documents have no mixed content, so nothing else changes.
func compact(b []byte) string { return betweenTags.ReplaceAllString(string(b), "><") }

// edit applies old→new replacements to doc; each old must occur exactly once,
// so a test cannot silently mutate nothing or the wrong element.
func edit(t *testing.T, doc string, pairs ...string) string {
	t.Helper()
	for i := 0; i+1 < len(pairs); i += 2 {
		if n := strings.Count(doc, pairs[i]); n != 1 {
			t.Fatalf("%q occurs %d times, want once", pairs[i], n)
		}
		doc = strings.Replace(doc, pairs[i], pairs[i+1], 1)
	}
	return doc
}

// Fragments of the compact base documents.
const (
	sellerEndpoint = `<cbc:EndpointID schemeID="0007">2321000214</cbc:EndpointID>`
	buyerEndpoint  = `<cbc:EndpointID schemeID="0007">2120002528</cbc:EndpointID>`
	sellerOrg      = `<cbc:CompanyID schemeID="0007">2321000214</cbc:CompanyID>`
	sellerVAT      = `<cac:PartyTaxScheme><cbc:CompanyID>SE232100021401</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>`
	fTax           = `<cac:PartyTaxScheme><cbc:CompanyID>Godkänd för F-skatt</cbc:CompanyID><cac:TaxScheme><cbc:ID>TAX</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>`
	account        = `<cac:PayeeFinancialAccount><cbc:ID>50501055</cbc:ID><cac:FinancialInstitutionBranch><cbc:ID>SE:BANKGIRO</cbc:ID></cac:FinancialInstitutionBranch></cac:PayeeFinancialAccount>`
	reasonO        = `<cbc:TaxExemptionReasonCode>VATEX-EU-O</cbc:TaxExemptionReasonCode><cbc:TaxExemptionReason>Utanför mervärdesskattelagens tillämpningsområde</cbc:TaxExemptionReason>`
	subtotalO      = `<cac:TaxSubtotal><cbc:TaxableAmount currencyID="SEK">101600.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="SEK">0.00</cbc:TaxAmount><cac:TaxCategory><cbc:ID>O</cbc:ID>` + reasonO + `<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>`
	lineCategoryO  = `<cac:ClassifiedTaxCategory><cbc:ID>O</cbc:ID><cac:TaxScheme>`
	linePeriod     = `<cac:InvoicePeriod><cbc:StartDate>2021-01-01</cbc:StartDate><cbc:EndDate>2021-12-31</cbc:EndDate></cac:InvoicePeriod>`
	totalsO        = `<cbc:LineExtensionAmount currencyID="SEK">101600.00</cbc:LineExtensionAmount><cbc:TaxExclusiveAmount currencyID="SEK">101600.00</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount currencyID="SEK">101600.00</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="SEK">101600.00</cbc:PayableAmount>`
	subtotal25     = `<cbc:TaxableAmount currencyID="SEK">11875.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="SEK">2968.75</cbc:TaxAmount>`
	vatTotals      = `<cbc:TaxInclusiveAmount currencyID="SEK">15963.74</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="SEK">15963.74</cbc:PayableAmount>`
)

// zeroRatedInvoice and exemptInvoice exercise categories Z and E.
func zeroRatedInvoice(t testing.TB) Document {
	d := serviceInvoice(t)
	d.Lines = []Line{{Description: "Tidskrift", Amount: dec("1000.00"), VAT: VATZero}}
	return d
}

func exemptInvoice(t testing.TB) Document {
	d := serviceInvoice(t)
	d.Lines = []Line{{Description: "Utbildning", Amount: dec("1000.00"), VAT: VATExempt, ExemptionReason: "Undantagen enligt 10 kap. mervärdesskattelagen"}}
	return d
}

// TestCheckRules gives, for every rule Check implements, a document that
// breaks it, and the exact set of rules Check must report for that document:
// the rule itself and, where one fault necessarily breaks more than one rule,
// those too.
func TestCheckRules(t *testing.T) {
	t.Parallel()
	inv := compact(mustBuild(t, baseFundingInvoice(t)))
	vat := compact(mustBuild(t, serviceInvoice(t)))
	cn := compact(mustBuild(t, correctionCreditNote(t)))
	refund := compact(mustBuild(t, surplusCreditNote()))
	zero := compact(mustBuild(t, zeroRatedInvoice(t)))
	exempt := compact(mustBuild(t, exemptInvoice(t)))
	subtotalZ := `<cbc:TaxableAmount currencyID="SEK">1000.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="SEK">0.00</cbc:TaxAmount><cac:TaxCategory><cbc:ID>Z</cbc:ID>`
	subtotalE := `<cbc:TaxableAmount currencyID="SEK">1000.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="SEK">0.00</cbc:TaxAmount><cac:TaxCategory><cbc:ID>E</cbc:ID>`
	reasonE := `<cbc:TaxExemptionReason>Undantagen enligt 10 kap. mervärdesskattelagen</cbc:TaxExemptionReason>`
	plusgiro := func(id string) string {
		return edit(t, vat, account, `<cac:PayeeFinancialAccount><cbc:ID>`+id+`</cbc:ID><cac:FinancialInstitutionBranch><cbc:ID>SE:PLUSGIRO</cbc:ID></cac:FinancialInstitutionBranch></cac:PayeeFinancialAccount>`)
	}

	tests := []struct {
		rule string
		doc  string
		also []string
	}{
		// The UBL 2.1 schema.
		{RuleSyntax, inv[:200], nil},
		{RuleSyntax, strings.Repeat("<a>", maxDepth+1) + strings.Repeat("</a>", maxDepth+1), nil},
		{RuleSyntax, edit(t, inv, `<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"`, `<Invoice xmlns="urn:example"`), nil},
		{RuleSyntax, edit(t, inv, `<cbc:ID>2021-0001</cbc:ID>`, `<cbc:ID>2021-0001</cbc:ID><cbc:UUID>1</cbc:UUID>`), nil},
		{RuleSyntax, edit(t, inv, `<cbc:PayableAmount currencyID="SEK">101600.00</cbc:PayableAmount>`, `<cbc:PayableAmount currencyID="SEK">1e5</cbc:PayableAmount>`), []string{"BR-CO-16"}},
		{RuleSyntax, edit(t, inv, `<cbc:PayableAmount currencyID="SEK">`, `<cbc:PayableAmount>`), nil},
		{RuleSyntax, edit(t, inv, `<cac:LegalMonetaryTotal>`+totalsO+`</cac:LegalMonetaryTotal>`, ``), nil},
		{RuleSequence, edit(t, inv, `<cbc:IssueDate>2021-01-04</cbc:IssueDate><cbc:DueDate>2021-01-29</cbc:DueDate>`,
			`<cbc:DueDate>2021-01-29</cbc:DueDate><cbc:IssueDate>2021-01-04</cbc:IssueDate>`), nil},
		{RuleSequence, edit(t, inv, `<cbc:DocumentCurrencyCode>SEK</cbc:DocumentCurrencyCode>`,
			`<cbc:DocumentCurrencyCode>SEK</cbc:DocumentCurrencyCode><cbc:DocumentCurrencyCode>SEK</cbc:DocumentCurrencyCode>`), nil},

		// Document level.
		{"BR-01", edit(t, inv, `<cbc:CustomizationID>`+CustomizationID+`</cbc:CustomizationID>`, ``), []string{"PEPPOL-EN16931-R004"}},
		{"PEPPOL-EN16931-R004", edit(t, inv, CustomizationID, `urn:cen.eu:en16931:2017`), nil},
		{"PEPPOL-EN16931-R001", edit(t, inv, `<cbc:ProfileID>`+ProfileID+`</cbc:ProfileID>`, ``), nil},
		{"PEPPOL-EN16931-R007", edit(t, inv, ProfileID, `urn:fdc:peppol.eu:2017:poacc:billing:1:1.0`), nil},
		{"BR-02", edit(t, inv, `<cbc:ID>2021-0001</cbc:ID>`, ``), nil},
		{"BR-03", edit(t, inv, `<cbc:IssueDate>2021-01-04</cbc:IssueDate>`, ``), nil},
		{"BR-04", edit(t, inv, `<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>`, ``), nil},
		{"PEPPOL-EN16931-P0100", edit(t, inv, `<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>`, `<cbc:InvoiceTypeCode>381</cbc:InvoiceTypeCode>`), nil},
		{"PEPPOL-EN16931-P0101", edit(t, cn, `<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>`, `<cbc:CreditNoteTypeCode>380</cbc:CreditNoteTypeCode>`), nil},
		{"BR-05", edit(t, inv, `<cbc:DocumentCurrencyCode>SEK</cbc:DocumentCurrencyCode>`, ``), []string{"PEPPOL-EN16931-R051"}},
		{"PEPPOL-EN16931-R002", edit(t, inv, `<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>`,
			`<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode><cbc:Note>a</cbc:Note><cbc:Note>b</cbc:Note>`), nil},
		{"PEPPOL-EN16931-R003", edit(t, inv, `<cbc:BuyerReference>KS-2380</cbc:BuyerReference>`, ``), nil},
		{"BR-16", inv[:strings.Index(inv, "<cac:InvoiceLine>")] + "</Invoice>", []string{"BR-CO-10", "BR-O-08"}},
		{"BR-CO-25", edit(t, inv, `<cbc:DueDate>2021-01-29</cbc:DueDate>`, ``,
			`<cac:PaymentTerms><cbc:Note>Betalas i januari i förskott enligt samarbetsöverenskommelsen.</cbc:Note></cac:PaymentTerms>`, ``), nil},
		{"UBL-CR-412", edit(t, inv, `<cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>`,
			`<cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cbc:PaymentDueDate>2021-01-29</cbc:PaymentDueDate>`), nil},
		{"BR-55", edit(t, cn, `<cac:InvoiceDocumentReference><cbc:ID>2021-0001</cbc:ID>`, `<cac:InvoiceDocumentReference>`), nil},
		{"BR-52", edit(t, refund, `<cbc:ID>GNS/2/2020</cbc:ID>`, ``), nil},
		{"BR-29", edit(t, inv, `<cbc:BuyerReference>KS-2380</cbc:BuyerReference>`,
			`<cbc:BuyerReference>KS-2380</cbc:BuyerReference><cac:InvoicePeriod><cbc:StartDate>2021-12-31</cbc:StartDate><cbc:EndDate>2021-01-01</cbc:EndDate></cac:InvoicePeriod>`),
			[]string{"PEPPOL-EN16931-R110", "PEPPOL-EN16931-R111"}},
		{"BR-CO-19", edit(t, inv, `<cbc:BuyerReference>KS-2380</cbc:BuyerReference>`,
			`<cbc:BuyerReference>KS-2380</cbc:BuyerReference><cac:InvoicePeriod><cbc:StartDate>2021-01-01</cbc:StartDate><cbc:DescriptionCode>35</cbc:DescriptionCode></cac:InvoicePeriod>`), nil},
		{"PEPPOL-EN16931-R110", edit(t, inv, `<cbc:BuyerReference>KS-2380</cbc:BuyerReference>`,
			`<cbc:BuyerReference>KS-2380</cbc:BuyerReference><cac:InvoicePeriod><cbc:StartDate>2021-02-01</cbc:StartDate><cbc:EndDate>2021-12-31</cbc:EndDate></cac:InvoicePeriod>`), nil},
		{"PEPPOL-EN16931-R111", edit(t, inv, `<cbc:BuyerReference>KS-2380</cbc:BuyerReference>`,
			`<cbc:BuyerReference>KS-2380</cbc:BuyerReference><cac:InvoicePeriod><cbc:StartDate>2021-01-01</cbc:StartDate><cbc:EndDate>2021-06-30</cbc:EndDate></cac:InvoicePeriod>`), nil},

		// Seller and buyer.
		{"BR-06", edit(t, inv, `<cbc:RegistrationName>Region Jämtland Härjedalen</cbc:RegistrationName>`, ``), nil},
		{"BR-07", edit(t, inv, `<cbc:RegistrationName>Östersunds kommun</cbc:RegistrationName>`, ``), nil},
		{"BR-08", edit(t, inv, `<cac:PostalAddress><cbc:StreetName>Box 654</cbc:StreetName><cbc:CityName>Östersund</cbc:CityName><cbc:PostalZone>831 27</cbc:PostalZone><cac:Country><cbc:IdentificationCode>SE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>`, ``), nil},
		{"BR-10", edit(t, inv, `<cac:PostalAddress><cbc:StreetName>Rådhusgatan 42</cbc:StreetName><cbc:CityName>Östersund</cbc:CityName><cbc:PostalZone>831 82</cbc:PostalZone><cac:Country><cbc:IdentificationCode>SE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>`, ``), nil},
		{"BR-09", edit(t, inv, `<cbc:PostalZone>831 27</cbc:PostalZone><cac:Country><cbc:IdentificationCode>SE</cbc:IdentificationCode></cac:Country>`, `<cbc:PostalZone>831 27</cbc:PostalZone>`), nil},
		{"BR-11", edit(t, inv, `<cbc:PostalZone>831 82</cbc:PostalZone><cac:Country><cbc:IdentificationCode>SE</cbc:IdentificationCode></cac:Country>`, `<cbc:PostalZone>831 82</cbc:PostalZone>`), nil},
		{"PEPPOL-EN16931-R020", edit(t, inv, sellerEndpoint, ``), nil},
		{"PEPPOL-EN16931-R010", edit(t, inv, buyerEndpoint, ``), nil},
		{"BR-62", edit(t, inv, sellerEndpoint, `<cbc:EndpointID>2321000214</cbc:EndpointID>`), nil},
		{"BR-63", edit(t, inv, buyerEndpoint, `<cbc:EndpointID>2120002528</cbc:EndpointID>`), nil},
		{"PEPPOL-EN16931-CL008", edit(t, inv, sellerEndpoint, `<cbc:EndpointID schemeID="9999">2321000214</cbc:EndpointID>`), nil},
		{"PEPPOL-COMMON-R049", edit(t, inv, buyerEndpoint, `<cbc:EndpointID schemeID="0007">2120002529</cbc:EndpointID>`), nil},
		{"PEPPOL-COMMON-R040", edit(t, inv, buyerEndpoint, `<cbc:EndpointID schemeID="0088">7300010000002</cbc:EndpointID>`), nil},
		{"BR-CO-26", edit(t, inv, sellerOrg, ``), nil},
		{"UBL-SR-42", edit(t, vat, fTax, fTax+fTax), nil},
		{"BR-CO-09", edit(t, vat, `<cbc:CompanyID>SE212000252801</cbc:CompanyID>`, `<cbc:CompanyID>XX212000252801</cbc:CompanyID>`), nil},

		// Payment.
		{"BR-49", edit(t, inv, `<cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>`, ``), nil},
		{"BR-61", edit(t, inv, account, ``), nil},
		{"BR-50", edit(t, inv, `<cbc:ID>50501055</cbc:ID>`, ``), []string{"BR-61"}},

		// Lines.
		{"BR-21", edit(t, inv, `<cbc:ID>1</cbc:ID>`, ``), nil},
		{"BR-22", edit(t, inv, `<cbc:InvoicedQuantity unitCode="EA">1</cbc:InvoicedQuantity>`, ``), []string{"BR-23"}},
		{"BR-23", edit(t, inv, `<cbc:InvoicedQuantity unitCode="EA">`, `<cbc:InvoicedQuantity>`), nil},
		{"BR-24", edit(t, inv, `<cbc:LineExtensionAmount currencyID="SEK">101600.00</cbc:LineExtensionAmount>`+linePeriod, linePeriod),
			[]string{"BR-CO-10", "PEPPOL-EN16931-R120", "BR-O-08"}},
		{"BR-25", edit(t, inv, `<cbc:Name>Basfinansiering 2021, lika delar 1/9, enligt beslut GNS § 42/2020</cbc:Name>`, ``), nil},
		{"BR-26", edit(t, inv, `<cac:Price><cbc:PriceAmount currencyID="SEK">101600.00</cbc:PriceAmount></cac:Price>`, ``), []string{"PEPPOL-EN16931-R120"}},
		{"BR-27", edit(t, inv, `<cbc:PriceAmount currencyID="SEK">101600.00</cbc:PriceAmount>`, `<cbc:PriceAmount currencyID="SEK">-101600.00</cbc:PriceAmount>`),
			[]string{"PEPPOL-EN16931-R120"}},
		{"BR-CO-04", edit(t, inv, lineCategoryO+`<cbc:ID>VAT</cbc:ID>`, lineCategoryO+`<cbc:ID>GST</cbc:ID>`), []string{"BR-O-08"}},
		{"PEPPOL-EN16931-R120", edit(t, inv, `unitCode="EA">1<`, `unitCode="EA">2<`), nil},
		{"PEPPOL-EN16931-R121", edit(t, inv, `<cbc:PriceAmount currencyID="SEK">101600.00</cbc:PriceAmount>`,
			`<cbc:PriceAmount currencyID="SEK">101600.00</cbc:PriceAmount><cbc:BaseQuantity unitCode="EA">0</cbc:BaseQuantity>`), nil},
		{"BR-30", edit(t, inv, linePeriod, `<cac:InvoicePeriod><cbc:StartDate>2021-12-31</cbc:StartDate><cbc:EndDate>2021-01-01</cbc:EndDate></cac:InvoicePeriod>`), nil},
		{"BR-CO-20", edit(t, inv, linePeriod, `<cac:InvoicePeriod><cbc:DescriptionCode>35</cbc:DescriptionCode></cac:InvoicePeriod>`), nil},

		// VAT breakdown.
		{"PEPPOL-EN16931-R053", edit(t, inv, `<cac:LegalMonetaryTotal>`,
			`<cac:TaxTotal><cbc:TaxAmount currencyID="SEK">0.00</cbc:TaxAmount>`+subtotalO+`</cac:TaxTotal><cac:LegalMonetaryTotal>`), []string{"BR-O-01"}},
		{"PEPPOL-EN16931-R054", edit(t, inv, `<cbc:DocumentCurrencyCode>SEK</cbc:DocumentCurrencyCode>`,
			`<cbc:DocumentCurrencyCode>SEK</cbc:DocumentCurrencyCode><cbc:TaxCurrencyCode>EUR</cbc:TaxCurrencyCode>`), nil},
		// A TaxTotal without subtotals is the tax total in accounting currency,
		// so R054 fires too.
		{"BR-CO-18", edit(t, inv, subtotalO, ``), []string{"PEPPOL-EN16931-R053", "PEPPOL-EN16931-R054", "BR-O-01"}},
		{"BR-CO-14", edit(t, vat, `<cbc:TaxAmount currencyID="SEK">3088.75</cbc:TaxAmount>`, `<cbc:TaxAmount currencyID="SEK">1.00</cbc:TaxAmount>`), []string{"BR-CO-15"}},
		{"BR-45", edit(t, inv, `<cbc:TaxableAmount currencyID="SEK">101600.00</cbc:TaxableAmount>`, ``), []string{"BR-O-08"}},
		{"BR-46", edit(t, inv, `<cbc:TaxableAmount currencyID="SEK">101600.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="SEK">0.00</cbc:TaxAmount>`,
			`<cbc:TaxableAmount currencyID="SEK">101600.00</cbc:TaxableAmount>`), nil},
		{"BR-47", edit(t, inv, `<cac:TaxCategory><cbc:ID>O</cbc:ID>`, `<cac:TaxCategory>`), []string{"BR-48", "BR-O-01", "PEPPOL-EN16931-P0105"}},
		{"BR-48", edit(t, vat, `<cbc:ID>S</cbc:ID><cbc:Percent>25.00</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>`,
			`<cbc:ID>S</cbc:ID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>`), []string{"BR-CO-17", "BR-S-08", "BR-S-09", "SE-R-006"}},
		{"BR-CO-17", edit(t, vat, subtotal25, `<cbc:TaxableAmount currencyID="SEK">11875.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="SEK">2900.00</cbc:TaxAmount>`,
			`<cbc:TaxAmount currencyID="SEK">3088.75</cbc:TaxAmount>`, `<cbc:TaxAmount currencyID="SEK">3020.00</cbc:TaxAmount>`,
			vatTotals, `<cbc:TaxInclusiveAmount currencyID="SEK">15894.99</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="SEK">15894.99</cbc:PayableAmount>`),
			[]string{"BR-S-09"}},
		{"PEPPOL-EN16931-P0105", edit(t, inv, `<cac:TaxCategory><cbc:ID>O</cbc:ID>`, `<cac:TaxCategory><cbc:ID>E</cbc:ID>`), []string{"BR-48", "BR-O-01", "BR-E-08"}},

		// Category S.
		{"BR-S-01", edit(t, inv, `</cac:TaxSubtotal></cac:TaxTotal>`, `</cac:TaxSubtotal><cac:TaxSubtotal><cbc:TaxableAmount currencyID="SEK">0.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="SEK">0.00</cbc:TaxAmount><cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25.00</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>`),
			[]string{"BR-O-11"}},
		{"BR-S-02", edit(t, vat, sellerVAT+fTax, ``), nil},
		{"BR-S-05", edit(t, vat, `<cbc:Name>Konsulttimmar IT-serverdrift</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25.00</cbc:Percent>`,
			`<cbc:Name>Konsulttimmar IT-serverdrift</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>0.00</cbc:Percent>`), []string{"BR-S-08", "SE-R-006"}},
		{"BR-S-08", edit(t, vat, subtotal25, `<cbc:TaxableAmount currencyID="SEK">11000.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="SEK">2750.00</cbc:TaxAmount>`,
			`<cbc:TaxAmount currencyID="SEK">3088.75</cbc:TaxAmount>`, `<cbc:TaxAmount currencyID="SEK">2870.00</cbc:TaxAmount>`,
			vatTotals, `<cbc:TaxInclusiveAmount currencyID="SEK">15744.99</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="SEK">15744.99</cbc:PayableAmount>`), nil},
		{"BR-S-09", edit(t, vat, subtotal25, `<cbc:TaxableAmount currencyID="SEK">11875.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="SEK">2900.00</cbc:TaxAmount>`,
			`<cbc:TaxAmount currencyID="SEK">3088.75</cbc:TaxAmount>`, `<cbc:TaxAmount currencyID="SEK">3020.00</cbc:TaxAmount>`,
			vatTotals, `<cbc:TaxInclusiveAmount currencyID="SEK">15894.99</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="SEK">15894.99</cbc:PayableAmount>`),
			[]string{"BR-CO-17"}},
		{"BR-S-10", edit(t, vat, `<cbc:Percent>25.00</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>`,
			`<cbc:Percent>25.00</cbc:Percent><cbc:TaxExemptionReason>Ingen</cbc:TaxExemptionReason><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>`), nil},

		// Category Z.
		{"BR-Z-01", edit(t, zero, `</cac:TaxSubtotal></cac:TaxTotal>`, `</cac:TaxSubtotal><cac:TaxSubtotal>`+subtotalZ+`<cbc:Percent>0.00</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>`), nil},
		{"BR-Z-02", edit(t, zero, sellerVAT+fTax, ``), nil},
		{"BR-Z-05", edit(t, zero, `<cac:ClassifiedTaxCategory><cbc:ID>Z</cbc:ID><cbc:Percent>0.00</cbc:Percent>`, `<cac:ClassifiedTaxCategory><cbc:ID>Z</cbc:ID><cbc:Percent>5.00</cbc:Percent>`), nil},
		{"BR-Z-08", edit(t, zero, subtotalZ, strings.Replace(subtotalZ, "1000.00", "900.00", 1)), nil},
		{"BR-Z-09", edit(t, zero, subtotalZ, strings.Replace(subtotalZ, ">0.00<", ">10.00<", 1),
			`<cbc:TaxAmount currencyID="SEK">0.00</cbc:TaxAmount><cac:TaxSubtotal>`, `<cbc:TaxAmount currencyID="SEK">10.00</cbc:TaxAmount><cac:TaxSubtotal>`,
			`<cbc:TaxInclusiveAmount currencyID="SEK">1000.00</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="SEK">1000.00</cbc:PayableAmount>`,
			`<cbc:TaxInclusiveAmount currencyID="SEK">1010.00</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="SEK">1010.00</cbc:PayableAmount>`),
			[]string{"BR-CO-17"}},
		{"BR-Z-10", edit(t, zero, subtotalZ+`<cbc:Percent>0.00</cbc:Percent>`, subtotalZ+`<cbc:Percent>0.00</cbc:Percent><cbc:TaxExemptionReason>Noll</cbc:TaxExemptionReason>`), nil},

		// Category E.
		{"BR-E-01", edit(t, exempt, `</cac:TaxSubtotal></cac:TaxTotal>`, `</cac:TaxSubtotal><cac:TaxSubtotal>`+subtotalE+`<cbc:Percent>0.00</cbc:Percent>`+reasonE+`<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>`), nil},
		{"BR-E-02", edit(t, exempt, sellerVAT+fTax, ``), nil},
		{"BR-E-05", edit(t, exempt, `<cac:ClassifiedTaxCategory><cbc:ID>E</cbc:ID><cbc:Percent>0.00</cbc:Percent>`, `<cac:ClassifiedTaxCategory><cbc:ID>E</cbc:ID><cbc:Percent>25.00</cbc:Percent>`), nil},
		{"BR-E-08", edit(t, exempt, subtotalE, strings.Replace(subtotalE, "1000.00", "900.00", 1)), nil},
		{"BR-E-09", edit(t, exempt, subtotalE, strings.Replace(subtotalE, ">0.00<", ">10.00<", 1),
			`<cbc:TaxAmount currencyID="SEK">0.00</cbc:TaxAmount><cac:TaxSubtotal>`, `<cbc:TaxAmount currencyID="SEK">10.00</cbc:TaxAmount><cac:TaxSubtotal>`,
			`<cbc:TaxInclusiveAmount currencyID="SEK">1000.00</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="SEK">1000.00</cbc:PayableAmount>`,
			`<cbc:TaxInclusiveAmount currencyID="SEK">1010.00</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="SEK">1010.00</cbc:PayableAmount>`),
			[]string{"BR-CO-17"}},
		{"BR-E-10", edit(t, exempt, reasonE, ``), nil},

		// Category O.
		{"BR-O-01", edit(t, inv, subtotalO, subtotalO+subtotalO), nil},
		{"BR-O-02", edit(t, inv, fTax, sellerVAT+fTax), nil},
		{"BR-O-05", edit(t, inv, lineCategoryO, `<cac:ClassifiedTaxCategory><cbc:ID>O</cbc:ID><cbc:Percent>0.00</cbc:Percent><cac:TaxScheme>`), nil},
		{"BR-O-08", edit(t, inv, `<cbc:TaxableAmount currencyID="SEK">101600.00</cbc:TaxableAmount>`, `<cbc:TaxableAmount currencyID="SEK">100000.00</cbc:TaxableAmount>`), nil},
		{"BR-O-09", edit(t, inv,
			`<cbc:TaxAmount currencyID="SEK">0.00</cbc:TaxAmount><cac:TaxSubtotal><cbc:TaxableAmount currencyID="SEK">101600.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="SEK">0.00</cbc:TaxAmount>`,
			`<cbc:TaxAmount currencyID="SEK">1.00</cbc:TaxAmount><cac:TaxSubtotal><cbc:TaxableAmount currencyID="SEK">101600.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="SEK">1.00</cbc:TaxAmount>`,
			`<cbc:TaxInclusiveAmount currencyID="SEK">101600.00</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="SEK">101600.00</cbc:PayableAmount>`,
			`<cbc:TaxInclusiveAmount currencyID="SEK">101601.00</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="SEK">101601.00</cbc:PayableAmount>`),
			[]string{"BR-CO-17"}},
		{"BR-O-10", edit(t, inv, reasonO, ``), nil},
		{"BR-O-11", edit(t, inv, `</cac:TaxSubtotal></cac:TaxTotal>`, `</cac:TaxSubtotal><cac:TaxSubtotal><cbc:TaxableAmount currencyID="SEK">0.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="SEK">0.00</cbc:TaxAmount><cac:TaxCategory><cbc:ID>Z</cbc:ID><cbc:Percent>0.00</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>`), nil},
		{"BR-O-12", edit(t, inv, `</cac:InvoiceLine>`, `</cac:InvoiceLine><cac:InvoiceLine><cbc:ID>2</cbc:ID><cbc:InvoicedQuantity unitCode="EA">1</cbc:InvoicedQuantity><cbc:LineExtensionAmount currencyID="SEK">0.00</cbc:LineExtensionAmount><cac:Item><cbc:Name>Noll</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>Z</cbc:ID><cbc:Percent>0.00</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item><cac:Price><cbc:PriceAmount currencyID="SEK">0.00</cbc:PriceAmount></cac:Price></cac:InvoiceLine>`),
			[]string{"BR-Z-01"}},

		// Totals.
		{"BR-12", edit(t, inv, `<cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="SEK">101600.00</cbc:LineExtensionAmount>`, `<cac:LegalMonetaryTotal>`),
			[]string{"BR-CO-10", "BR-CO-13"}},
		{"BR-13", edit(t, inv, `<cbc:TaxExclusiveAmount currencyID="SEK">101600.00</cbc:TaxExclusiveAmount>`, ``), []string{"BR-CO-13", "BR-CO-15"}},
		{"BR-14", edit(t, inv, `<cbc:TaxInclusiveAmount currencyID="SEK">101600.00</cbc:TaxInclusiveAmount>`, ``), []string{"BR-CO-15", "BR-CO-16"}},
		{"BR-15", edit(t, inv, `<cbc:PayableAmount currencyID="SEK">101600.00</cbc:PayableAmount>`, ``), []string{"BR-CO-16"}},
		{"BR-CO-10", edit(t, inv, totalsO, strings.ReplaceAll(totalsO, "101600.00", "101600.01")), nil},
		{"BR-CO-11", edit(t, inv, `<cbc:PayableAmount currencyID="SEK">101600.00</cbc:PayableAmount>`,
			`<cbc:AllowanceTotalAmount currencyID="SEK">5.00</cbc:AllowanceTotalAmount><cbc:PayableAmount currencyID="SEK">101600.00</cbc:PayableAmount>`), []string{"BR-CO-13"}},
		{"BR-CO-12", edit(t, inv, `<cbc:PayableAmount currencyID="SEK">101600.00</cbc:PayableAmount>`,
			`<cbc:ChargeTotalAmount currencyID="SEK">5.00</cbc:ChargeTotalAmount><cbc:PayableAmount currencyID="SEK">101600.00</cbc:PayableAmount>`), []string{"BR-CO-13"}},
		{"BR-CO-13", edit(t, inv, totalsO, strings.Replace(strings.ReplaceAll(totalsO, "101600.00", "100000.00"), "100000.00", "101600.00", 1)), nil},
		{"BR-CO-15", edit(t, inv, `<cbc:TaxInclusiveAmount currencyID="SEK">101600.00</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="SEK">101600.00</cbc:PayableAmount>`,
			`<cbc:TaxInclusiveAmount currencyID="SEK">101700.00</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="SEK">101700.00</cbc:PayableAmount>`), nil},
		{"BR-CO-16", edit(t, inv, `<cbc:PayableAmount currencyID="SEK">101600.00</cbc:PayableAmount>`, `<cbc:PayableAmount currencyID="SEK">101700.00</cbc:PayableAmount>`), nil},

		// Values.
		{"PEPPOL-EN16931-R008", edit(t, inv, `<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>`, `<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode><cbc:Note> </cbc:Note>`), nil},
		{"UBL-DT-01", edit(t, inv, `<cbc:LineExtensionAmount currencyID="SEK">101600.00</cbc:LineExtensionAmount>`+linePeriod,
			`<cbc:LineExtensionAmount currencyID="SEK">101600.000</cbc:LineExtensionAmount>`+linePeriod), nil},
		{"PEPPOL-EN16931-CL007", edit(t, inv, `<cbc:PayableAmount currencyID="SEK">`, `<cbc:PayableAmount currencyID="XYZ">`), []string{"PEPPOL-EN16931-R051"}},
		{"PEPPOL-EN16931-R051", edit(t, inv, `<cbc:PayableAmount currencyID="SEK">`, `<cbc:PayableAmount currencyID="EUR">`), nil},
		{"PEPPOL-EN16931-F001", edit(t, inv, `<cbc:IssueDate>2021-01-04</cbc:IssueDate>`, `<cbc:IssueDate>2021-1-4</cbc:IssueDate>`), nil},

		// Sweden.
		{"SE-R-001", edit(t, vat, `SE232100021401`, `SE2321000214011`), nil},
		{"SE-R-002", edit(t, vat, `SE232100021401`, `SE23210002140A`), nil},
		{"SE-R-003", edit(t, vat, sellerOrg, `<cbc:CompanyID>232100021X</cbc:CompanyID>`), []string{"SE-R-013"}},
		{"SE-R-004", edit(t, vat, sellerOrg, `<cbc:CompanyID>23210002140</cbc:CompanyID>`), nil},
		{"SE-R-005", edit(t, inv, `Godkänd för F-skatt`, `F-skatt`), nil},
		{"SE-R-006", edit(t, vat, `<cbc:TaxableAmount currencyID="SEK">999.99</cbc:TaxableAmount><cbc:TaxAmount currencyID="SEK">120.00</cbc:TaxAmount><cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>12.00</cbc:Percent>`,
			`<cbc:TaxableAmount currencyID="SEK">999.99</cbc:TaxableAmount><cbc:TaxAmount currencyID="SEK">100.00</cbc:TaxAmount><cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>10.00</cbc:Percent>`,
			`<cbc:Name>Kursmaterial</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>12.00</cbc:Percent>`,
			`<cbc:Name>Kursmaterial</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>10.00</cbc:Percent>`,
			`<cbc:TaxAmount currencyID="SEK">3088.75</cbc:TaxAmount>`, `<cbc:TaxAmount currencyID="SEK">3068.75</cbc:TaxAmount>`,
			vatTotals, `<cbc:TaxInclusiveAmount currencyID="SEK">15943.74</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="SEK">15943.74</cbc:PayableAmount>`), nil},
		{"SE-R-007", plusgiro("ABC"), nil},
		{"SE-R-008", edit(t, vat, `<cbc:ID>50501055</cbc:ID>`, `<cbc:ID>5050105X</cbc:ID>`), nil},
		{"SE-R-009", edit(t, vat, `<cbc:ID>50501055</cbc:ID>`, `<cbc:ID>505010551</cbc:ID>`), nil},
		{"SE-R-010", plusgiro("123456789"), nil},
		{"SE-R-011", edit(t, vat, `<cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>`, `<cbc:PaymentMeansCode>50</cbc:PaymentMeansCode>`), nil},
		{"SE-R-012", edit(t, vat, `<cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>`, `<cbc:PaymentMeansCode>31</cbc:PaymentMeansCode>`), nil},
		{"SE-R-013", edit(t, vat, sellerOrg, `<cbc:CompanyID>2321000215</cbc:CompanyID>`), nil},
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.rule] = true
		t.Run(tt.rule, func(t *testing.T) {
			got := ruleSet(Check([]byte(tt.doc)))
			want := ruleSet(nil, append([]string{tt.rule}, tt.also...)...)
			if !slices.Equal(got, want) {
				t.Errorf("Check reports %v, want %v\n%v", got, want, Check([]byte(tt.doc)))
			}
		})
	}
	for _, id := range implementedRules() {
		if !covered[id] {
			t.Errorf("rule %s has no failing example", id)
		}
	}
}

// ruleSet returns the sorted distinct rule ids of vs and extra.
func ruleSet(vs []Violation, extra ...string) []string {
	ids := extra
	for _, v := range vs {
		ids = append(ids, v.Rule)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// implementedRules lists every rule id the checker's source can report, read
// from the calls of assert and from the category rule table, so a new rule
// without a failing example fails TestCheckRules.
func implementedRules() []string {
	ids := []string{RuleSyntax, RuleSequence}
	for _, r := range vatCategoryRules {
		for _, text := range []string{r.breakdown, r.sellerVAT, r.lineRate, r.taxable, r.tax, r.reason} {
			ids = append(ids, ruleID(text))
		}
	}
	return append(ids, assertedRules...)
}

// assertedRules are the rule ids passed to assert as literals in the
// checker's source; TestAssertedRulesListed keeps the list honest.
var assertedRules = []string{
	"BR-01", "BR-02", "BR-03", "BR-04", "BR-05", "BR-06", "BR-07", "BR-08", "BR-09", "BR-10", "BR-11",
	"BR-12", "BR-13", "BR-14", "BR-15", "BR-16", "BR-21", "BR-22", "BR-23", "BR-24", "BR-25", "BR-26",
	"BR-27", "BR-29", "BR-30", "BR-45", "BR-46", "BR-47", "BR-48", "BR-49", "BR-50", "BR-52", "BR-55",
	"BR-61", "BR-62", "BR-63", "BR-CO-04", "BR-CO-09", "BR-CO-10", "BR-CO-11", "BR-CO-12", "BR-CO-13",
	"BR-CO-14", "BR-CO-15", "BR-CO-16", "BR-CO-17", "BR-CO-18", "BR-CO-19", "BR-CO-20", "BR-CO-25",
	"BR-CO-26", "BR-O-11", "BR-O-12", "UBL-CR-412", "UBL-DT-01", "UBL-SR-42",
	"PEPPOL-COMMON-R040", "PEPPOL-COMMON-R049", "PEPPOL-EN16931-CL007", "PEPPOL-EN16931-CL008", "PEPPOL-EN16931-F001",
	"PEPPOL-EN16931-P0100", "PEPPOL-EN16931-P0101", "PEPPOL-EN16931-P0105", "PEPPOL-EN16931-R001",
	"PEPPOL-EN16931-R002", "PEPPOL-EN16931-R003", "PEPPOL-EN16931-R004", "PEPPOL-EN16931-R007",
	"PEPPOL-EN16931-R008", "PEPPOL-EN16931-R010", "PEPPOL-EN16931-R020", "PEPPOL-EN16931-R051",
	"PEPPOL-EN16931-R053", "PEPPOL-EN16931-R054", "PEPPOL-EN16931-R110", "PEPPOL-EN16931-R111",
	"PEPPOL-EN16931-R120", "PEPPOL-EN16931-R121",
	"SE-R-001", "SE-R-002", "SE-R-003", "SE-R-004", "SE-R-005", "SE-R-006", "SE-R-007", "SE-R-008",
	"SE-R-009", "SE-R-010", "SE-R-011", "SE-R-012", "SE-R-013",
}

// ruleLiteral matches a rule id written as a Go string literal.
var ruleLiteral = regexp.MustCompile(`"((?:BR|PEPPOL|SE-R|UBL)-[A-Z0-9-]+)"`)

// TestAssertedRulesListed checks that assertedRules names exactly the rule
// ids the checker's source passes as literals.
func TestAssertedRulesListed(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "//") {
				continue
			}
			for _, m := range ruleLiteral.FindAllStringSubmatch(line, -1) {
				found = append(found, m[1])
			}
		}
	}
	got, want := ruleSet(nil, found...), ruleSet(nil, append([]string{RuleSyntax, RuleSequence}, assertedRules...)...)
	if !slices.Equal(got, want) {
		t.Errorf("rule literals in the source %v\nassertedRules %v", got, want)
	}
}

// TestCheckFlags checks that the warnings of the official Schematron stay
// warnings and everything else is fatal.
func TestCheckFlags(t *testing.T) {
	t.Parallel()
	vat := compact(mustBuild(t, serviceInvoice(t)))
	for _, tt := range []struct {
		doc  string
		rule string
		flag string
	}{
		{edit(t, vat, `<cbc:ID>50501055</cbc:ID>`, `<cbc:ID>505010551</cbc:ID>`), "SE-R-009", Warning},
		{edit(t, vat, `SE232100021401`, `SE2321000214011`), "SE-R-001", Fatal},
		{edit(t, vat, `<cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>`, `<cbc:PaymentMeansCode>31</cbc:PaymentMeansCode>`), "SE-R-012", Warning},
	} {
		v := Check([]byte(tt.doc))
		if len(v) != 1 || v[0].Rule != tt.rule || v[0].Flag != tt.flag {
			t.Errorf("Check = %v, want one %s %s", v, tt.rule, tt.flag)
		}
	}
}

// TestSwedishRulesOnlyForSwedishSellers checks the context of the SE rules: a
// seller outside Sweden is not held to them.
func TestSwedishRulesOnlyForSwedishSellers(t *testing.T) {
	t.Parallel()
	vat := compact(mustBuild(t, serviceInvoice(t)))
	doc := edit(t, vat,
		`<cbc:PostalZone>831 27</cbc:PostalZone><cac:Country><cbc:IdentificationCode>SE</cbc:IdentificationCode>`,
		`<cbc:PostalZone>831 27</cbc:PostalZone><cac:Country><cbc:IdentificationCode>NO</cbc:IdentificationCode>`,
		`<cbc:ID>50501055</cbc:ID>`, `<cbc:ID>5050-1055</cbc:ID>`,
		`<cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>`, `<cbc:PaymentMeansCode>31</cbc:PaymentMeansCode>`,
		`Godkänd för F-skatt`, `Foretaksregisteret`)
	if v := Check([]byte(doc)); len(v) > 0 {
		t.Errorf("Check = %v, want no violations for a Norwegian seller", v)
	}
}

// TestCheckMessages checks that a violation says where and why.
func TestCheckMessages(t *testing.T) {
	t.Parallel()
	inv := compact(mustBuild(t, baseFundingInvoice(t)))
	v := Check([]byte(edit(t, inv, `<cbc:PayableAmount currencyID="SEK">101600.00</cbc:PayableAmount>`, `<cbc:PayableAmount currencyID="SEK">101700.00</cbc:PayableAmount>`)))
	if len(v) != 1 {
		t.Fatalf("Check = %v", v)
	}
	want := "[BR-CO-16]-Amount due for payment (BT-115) = Invoice total amount with VAT (BT-112) -Paid amount (BT-113) +Rounding amount (BT-114). (at /Invoice/cac:LegalMonetaryTotal): found 101700, expected 101600"
	if v[0].Msg != want {
		t.Errorf("Msg = %q\nwant  %q", v[0].Msg, want)
	}
	if s := v[0].String(); !strings.HasPrefix(s, "BR-CO-16 [fatal] ") {
		t.Errorf("String() = %q", s)
	}
}
