package peppol

import (
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/shopspring/decimal"
)

// The documents the tests start from: the base funding invoice 2021 from
// Region Jämtland Härjedalen (host of the committee GNS) to Östersunds kommun,
// and the credit note that pays out the party's share of the surplus the
// committee decided to refund in case GNS/2/2020 (468 091 kr in nine equal
// shares of 52 010,11 kr). The bankgiro number 5050-1055 is Bankgirot's own
// test number, not the region's.

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func regionJH() Party {
	return Party{
		Name:      "Region Jämtland Härjedalen",
		Address:   Address{Street: "Box 654", PostalCode: "831 27", City: "Östersund"},
		OrgNumber: "232100-0214",
		VATNumber: "SE232100021401",
		PeppolID:  "0007:2321000214",
		FTax:      true,
	}
}

func ostersund() Party {
	return Party{
		Name:      "Östersunds kommun",
		Address:   Address{Street: "Rådhusgatan 42", PostalCode: "831 82", City: "Östersund"},
		OrgNumber: "212000-2528",
		VATNumber: "SE212000252801",
		PeppolID:  "0007:2120002528",
	}
}

func mustOCR(t testing.TB, base string) string {
	t.Helper()
	ocr, err := finance.NewOCR(base, true)
	if err != nil {
		t.Fatal(err)
	}
	return ocr
}

// baseFundingInvoice is the invoice for Östersund's share of the base funding
// 2021 (914 400 kr in nine equal shares), outside the scope of VAT.
func baseFundingInvoice(t testing.TB) Document {
	return Document{
		Type:           Invoice,
		Number:         "2021-0001",
		IssueDate:      domain.MustDate("2021-01-04"),
		DueDate:        domain.MustDate("2021-01-29"),
		BuyerReference: "KS-2380",
		Seller:         regionJH(),
		Buyer:          ostersund(),
		Lines: []Line{{
			Description: "Basfinansiering 2021, lika delar 1/9, enligt beslut GNS § 42/2020",
			Period:      Period{Start: domain.MustDate("2021-01-01"), End: domain.MustDate("2021-12-31")},
			Amount:      dec("101600.00"),
		}},
		Payment:      PaymentMeans{Bankgiro: "5050-1055", PaymentID: mustOCR(t, "20210001")},
		PaymentTerms: "Betalas i januari i förskott enligt samarbetsöverenskommelsen.",
	}
}

// surplusCreditNote pays out Östersund's share of the surplus.
func surplusCreditNote() Document {
	return Document{
		Type:           CreditNote,
		Number:         "2021-0010",
		IssueDate:      domain.MustDate("2021-01-15"),
		BuyerReference: "KS-2380",
		References: []Reference{{
			ID:          "GNS/2/2020",
			Description: "Beslut om återbetalning av återstående medel från 2018 och 2019",
		}},
		Seller: regionJH(),
		Buyer:  ostersund(),
		Lines: []Line{{
			Name:        "Återbetalning av överskott",
			Description: "Återstående medel från 2018 och 2019, 468 091 kr, lika delar 1/9, enligt beslut GNS/2/2020",
			Amount:      dec("52010.11"),
		}},
		PaymentTerms: "Beloppet betalas ut till kommunen.",
	}
}

// correctionCreditNote credits part of the base funding invoice.
func correctionCreditNote(t testing.TB) Document {
	return Document{
		Type:             CreditNote,
		Number:           "2021-0011",
		IssueDate:        domain.MustDate("2021-02-01"),
		DueDate:          domain.MustDate("2021-03-01"),
		BuyerReference:   "KS-2380",
		BillingReference: &InvoiceReference{Number: "2021-0001", IssueDate: domain.MustDate("2021-01-04")},
		Seller:           regionJH(),
		Buyer:            ostersund(),
		Lines: []Line{{
			Description: "Kreditering av basfinansiering 2021, felaktigt belopp",
			Amount:      dec("1000.00"),
		}},
		Payment: PaymentMeans{Bankgiro: "5050-1055", PaymentID: mustOCR(t, "20210011")},
	}
}

// serviceInvoice charges a service with 25 % VAT and one with 12 %, to
// exercise category S and the Swedish VAT rules.
func serviceInvoice(t testing.TB) Document {
	return Document{
		Type:           Invoice,
		Number:         "2021-0020",
		IssueDate:      domain.MustDate("2021-03-01"),
		DueDate:        domain.MustDate("2021-03-31"),
		OrderReference: "PO-4711",
		Seller:         regionJH(),
		Buyer:          ostersund(),
		Lines: []Line{
			{Description: "Konsulttimmar IT-serverdrift", Quantity: dec("12.5"), Price: dec("950"), Amount: dec("11875.00"), VAT: VATStandard, VATRate: dec("25")},
			{Description: "Kursmaterial", Quantity: dec("3"), Price: dec("333.33"), Amount: dec("999.99"), VAT: VATStandard, VATRate: dec("12")},
		},
		Payment: PaymentMeans{Bankgiro: "5050-1055", PaymentID: mustOCR(t, "20210020")},
	}
}

func mustBuild(t testing.TB, d Document) []byte {
	t.Helper()
	out, err := Build(d)
	if err != nil {
		t.Fatalf("Build(%s): %v", d.Number, err)
	}
	return out
}
