package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
)

// InvoiceSettings are the demo committee's invoice settings: Region Jämtland
// Härjedalen invoices for the committee. Its name, organisation number, VAT
// number and Peppol id are from shared/DOMAIN.md; the bankgiro 5050-1055 is
// Bankgirot's own test number and the accounts are examples, so the settings
// are marked as demo and the interface says so.
var InvoiceSettings = finance.InvoiceSettings{
	InvoiceSeller: finance.InvoiceSeller{
		Name: "Region Jämtland Härjedalen", Address: "Box 654\n831 27 Östersund", OrgNumber: "232100-0214",
		VATNumber: "SE232100021401", PeppolID: "0007:2321000214", FTax: true, Bankgiro: "5050-1055",
		ContactName: "Erik Holm", ContactEmail: "ekonom@demo.gns.example",
	},
	PaymentTermsDays: finance.DefaultPaymentTermsDays, OCRLengthDigit: true, VATCategory: finance.VATOutOfScope,
	ReceivableAccount: finance.DefaultReceivableAccount, ContributionAccount: "3540", InternalAccount: "4950", Demo: true,
}

// Addresses are the demo parties' invoice addresses, by slug. They are not
// in the seeds: they are plausible postal addresses of the municipalities'
// offices for the demo, to be checked before real use.
var Addresses = map[string]string{
	"region-jh":  "Box 654\n831 27 Östersund",
	"ostersund":  "Rådhusgatan 42\n831 82 Östersund",
	"are":        "Box 201\n830 05 Järpen",
	"krokom":     "Box 34\n835 21 Krokom",
	"berg":       "Box 54\n840 40 Svenstavik",
	"bracke":     "Box 190\n840 60 Bräcke",
	"ragunda":    "Box 150\n840 70 Hammarstrand",
	"stromsund":  "Box 500\n833 24 Strömsund",
	"harjedalen": "Box 4\n842 21 Sveg",
}

// InvoiceIssueDate is the date of the demo runs: the base funding is
// invoiced in advance in January (due 31 January 2021) and the refund paid
// out at the same time.
var InvoiceIssueDate = domain.MustDate("2021-01-04")

// DemoPayment is a payment the demo registers, to show paid and partly paid
// invoices beside unpaid ones.
type DemoPayment struct {
	Party  string
	PaidOn domain.Date
	Amount string
}

// Payments are the demo's payments of the base funding 2021. Bräcke's
// invoice is left unpaid, and so overdue.
var Payments = []DemoPayment{
	{Party: "ostersund", PaidOn: domain.MustDate("2021-01-27"), Amount: "101600.00"},
	{Party: "stromsund", PaidOn: domain.MustDate("2021-01-29"), Amount: "101600.00"},
	{Party: "berg", PaidOn: domain.MustDate("2021-01-29"), Amount: "50000.00"},
}

// loadInvoices invoices the demo allocations once: when the committee has no
// invoice runs and no allocations of anyone's making. It saves the demo
// invoice settings unless the committee has its own, fills in the parties'
// addresses and invoice references where they are empty, issues the base funding
// 2021 run (eight invoices of 101 600,00 kr and the region's internal share)
// and the refund run (eight credit notes of 52 010,11 kr and the region's
// 52 010,12 kr), and registers Payments.
func loadInvoices(ctx context.Context, c *store.Conn, loaded bool, err error) (bool, error) {
	if err != nil {
		return loaded, err
	}
	cm, err := c.CommitteeByCode(ctx, CommitteeCode)
	if err != nil {
		return loaded, err
	}
	if runs, err := c.InvoiceRuns(ctx, cm.ID); err != nil || len(runs) > 0 {
		return loaded, err
	}
	allocations, err := loadAllocations(ctx, c, cm)
	if err != nil || len(allocations) == 0 {
		return loaded, err
	}
	if _, err := c.InvoiceSettings(ctx, cm.ID); domain.ErrorCode(err) == domain.ENOTFOUND {
		s := InvoiceSettings
		s.CommitteeID = cm.ID
		if _, err := c.SaveInvoiceSettings(ctx, s); err != nil {
			return loaded, fmt.Errorf("demo invoice settings: %w", err)
		}
	} else if err != nil {
		return loaded, err
	}
	if err := completeInvoiceDetails(ctx, c); err != nil {
		return loaded, err
	}
	for _, a := range allocations {
		if _, err := c.IssueInvoiceRun(ctx, a.ID, InvoiceIssueDate, ""); err != nil {
			return loaded, fmt.Errorf("demo invoice run %s: %w", a.Title, err)
		}
	}
	today := domain.DateOf(time.Now())
	for _, p := range Payments {
		party, err := c.PartyBySlug(ctx, p.Party)
		if err != nil {
			return loaded, err
		}
		list, err := c.Invoices(ctx, finance.InvoiceFilter{CommitteeID: cm.ID, PartyIDs: []int64{party.ID}, Kind: finance.InvoiceKindInvoice})
		if err != nil || len(list) == 0 {
			return loaded, err
		}
		pay := finance.Payment{PaidOn: p.PaidOn, Amount: decimal.RequireFromString(p.Amount), Note: "Bankgiro, OCR " + list[0].OCR}
		if _, err := c.RegisterPayment(ctx, list[0].Number, pay, today); err != nil {
			return loaded, fmt.Errorf("demo payment of %s: %w", list[0].Number, err)
		}
	}
	return true, nil
}

// completeInvoiceDetails fills in what the demo parties' register entries
// lack for invoicing, never overwriting a value: the address and an invoice
// reference (the kommunkod, as "KS-2305").
func completeInvoiceDetails(ctx context.Context, c *store.Conn) error {
	for _, dp := range Parties {
		p, err := c.PartyBySlug(ctx, dp.Slug)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			continue // renamed by an administrator
		}
		if err != nil {
			return err
		}
		d, changed := p.PartyDetails, false
		if d.Address == "" && Addresses[p.Slug] != "" {
			d.Address, changed = Addresses[p.Slug], true
		}
		if d.InvoiceReference == "" && p.MunicipalityCode != "" {
			d.InvoiceReference, changed = "KS-"+p.MunicipalityCode, true
		}
		if changed {
			if _, err := c.UpdatePartyDetails(ctx, p.ID, d); err != nil {
				return fmt.Errorf("demo invoice details of %s: %w", p.Name, err)
			}
		}
	}
	return nil
}
