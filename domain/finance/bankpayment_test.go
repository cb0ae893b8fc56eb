package finance

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
)

func TestMatchBankPaymentsRules(t *testing.T) {
	t.Parallel()
	d := decimal.RequireFromString
	issued := domain.MustDate("2021-01-04")
	inv := func(n, ocr, buyer, amount string) Invoice {
		return Invoice{ID: int64(len(n) + len(ocr)), Number: n, OCR: ocr, Kind: InvoiceKindInvoice, Amount: d(amount), IssueDate: issued,
			Buyer: InvoiceBuyer{Name: buyer}}
	}
	docs := []Invoice{
		inv("GNS-2021-0001", "2021000100", "Åre kommun", "100"),
		inv("GNS-2021-0002", "2021000209", "Bergs kommun", "100"),
		inv("GNS-2021-0003", "2021000308", "Bräcke kommun", "250"),
		{ID: 99, Number: "GNS-2021-0009", OCR: "2021000902", Kind: InvoiceKindCreditNote, Amount: d("50"), IssueDate: issued},
	}
	for i := range docs {
		docs[i].ID = int64(i + 1)
	}
	today := domain.MustDate("2021-02-01")
	pay := func(amount string, change func(*BankPayment)) BankPayment {
		p := BankPayment{Amount: d(amount), PaidOn: domain.MustDate("2021-01-20"), Currency: "SEK"}
		if change != nil {
			change(&p)
		}
		return p
	}
	for _, tc := range []struct {
		name    string
		p       BankPayment
		outcome MatchOutcome
		numbers string
		reason  string
	}{
		{"two invoices by extra references, the exact sum", pay("200", func(p *BankPayment) { p.References = []string{"2021000100", "2021000209"} }),
			MatchPaid, "GNS-2021-0001, GNS-2021-0002", ""},
		{"two invoices, not their sum", pay("150", func(p *BankPayment) { p.References = []string{"2021000100", "2021000209"} }),
			MatchNone, "", "inte det som återstår av dem tillsammans"},
		{"the same amount open twice, no payer", pay("100", nil), MatchNone, "", "Flera öppna fakturor"},
		{"the same amount open twice, the payer names one", pay("100", func(p *BankPayment) { p.Payer = "BERGS KOMMUN, EKONOMI" }),
			MatchPaid, "GNS-2021-0002", "belopp och betalare"},
		{"an OCR in the message", pay("250", func(p *BankPayment) { p.Texts = []string{"avser ocr 2021000308"} }), MatchPaid, "GNS-2021-0003", "referens i meddelandet"},
		{"a credit note's OCR", pay("50", func(p *BankPayment) { p.Reference, p.OCRChecked = "2021000902", true }), MatchNone, "", "betalas ut, inte in"},
		{"paid before the invoice", pay("250", func(p *BankPayment) { p.Reference, p.PaidOn = "2021000308", domain.MustDate("2020-12-31") }),
			MatchNone, "", "före fakturadatum"},
		{"paid after today", pay("250", func(p *BankPayment) { p.Reference, p.PaidOn = "2021000308", domain.MustDate("2021-03-01") }),
			MatchNone, "", "senare än i dag"},
		{"in euro", pay("250", func(p *BankPayment) { p.Reference, p.Currency = "2021000308", "EUR" }), MatchNone, "", "i EUR"},
		{"a bad reference, then the amount", pay("250", func(p *BankPayment) { p.Reference, p.BadReference = "2021000307", true }),
			MatchPaid, "GNS-2021-0003", "felaktig"},
		{"nothing at all", pay("1", nil), MatchNone, "", "Ingen faktura hittades"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := MatchBankPayments([]BankPayment{tc.p}, docs, today).Matches[0]
			if m.Outcome != tc.outcome || m.InvoiceNumbers() != tc.numbers || !strings.Contains(m.Reason, tc.reason) {
				t.Errorf("%s on %q (%s), want %s on %q (%q)", m.Outcome, m.InvoiceNumbers(), m.Reason, tc.outcome, tc.numbers, tc.reason)
			}
		})
	}
	// The file's earlier payments count: a second payment of the same
	// invoice finds only what the first left.
	ms := MatchBankPayments([]BankPayment{
		pay("60", func(p *BankPayment) { p.Reference = "2021000100" }),
		pay("60", func(p *BankPayment) { p.Reference = "2021000100" }),
	}, docs, today).Matches
	if ms[0].Outcome != MatchPartial || !ms[0].Remaining.Equal(d("40")) || ms[1].Outcome != MatchOver || !ms[1].Excess.Equal(d("20")) ||
		!ms[1].Registered().Equal(d("40")) {
		t.Errorf("two payments of one invoice: %+v", ms)
	}
}
