package app

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/bankfile"
	"github.com/region-jh/gns/sv"
)

// ReadPaymentFile reads a bank's file of incoming payments, BgMax or
// camt.054 (format "bgmax" or "camt054"; empty tells them apart by the
// content), into the payments that are matched against invoices, numbered
// in file order. A damaged file is refused whole (EINVALID, naming the line
// and field).
func ReadPaymentFile(format, name string, data []byte) (finance.PaymentFile, error) {
	if len(data) > bankfile.MaxFile {
		return finance.PaymentFile{}, domain.FieldErrorf("file", "Filen är för stor: högst %d MB.", bankfile.MaxFile>>20)
	}
	f, err := bankfile.Read(bankfile.Format(format), data)
	if err != nil {
		return finance.PaymentFile{}, err
	}
	sum := sha256.Sum256(data)
	pf := finance.PaymentFile{Format: finance.PaymentFileFormat(f.Format), FileName: name, SHA256: hex.EncodeToString(sum[:]),
		Size: int64(len(data)), Created: f.Created, Test: f.Test, Notes: f.Notes}
	for i, d := range f.Deposits {
		pf.Deposits = append(pf.Deposits, finance.PaymentDeposit{Line: d.Line, Account: d.Account, Currency: d.Currency, Date: d.Date,
			Total: d.Total, Count: len(d.Payments)})
		for _, p := range d.Payments {
			bp := finance.BankPayment{Seq: len(pf.Payments) + 1, Line: p.Line, Deposit: i + 1, Account: d.Account, Currency: d.Currency,
				PaidOn: d.Date, Amount: p.Amount, Reference: p.Reference, OCRChecked: p.OCRChecked, BadReference: p.BadReference,
				Texts: p.Texts, Payer: p.Payer, BankRef: p.BankRef}
			for _, x := range p.Extra {
				bp.References = append(bp.References, x.Reference)
			}
			pf.Payments = append(pf.Payments, bp)
		}
	}
	return pf, nil
}

// ExamplePaymentFile writes a BgMax file that pays the given open invoices
// in full into bankgiro, dated day: one payment per invoice with its OCR
// number and its buyer as payer, marked as a test file. It is the demo's
// "Exempelfil för demon", so that the import can be tried on the demo's own
// invoices.
func ExamplePaymentFile(bankgiro string, invoices []finance.Invoice, day domain.Date, now time.Time) []byte {
	dep := bankfile.Deposit{Account: bankgiro, Currency: "SEK", Date: day}
	for _, inv := range invoices {
		if inv.Kind != finance.InvoiceKindInvoice || !inv.Open().IsPositive() || inv.OCR == "" {
			continue
		}
		dep.Payments = append(dep.Payments, bankfile.Payment{Amount: inv.Open(), Reference: inv.OCR, OCRChecked: true, Payer: inv.Buyer.Name,
			PayerOrgNumber: inv.Buyer.OrgNumber})
	}
	return bankfile.WriteBgMax(bankfile.File{Format: bankfile.BgMax, Test: true, Deposits: []bankfile.Deposit{dep}}, now.In(sv.Location()))
}
