package invoice

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"

	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/peppol"
)

// Peppol turns an issued document into the Peppol BIS Billing 3.0 document
// it is sent as: an Invoice (380) with the bankgiro and the OCR reference as
// payment instructions, or a CreditNote (381) that refers to the invoice it
// corrects (BG-3) or to the decision whose refund it pays out (BG-24).
func Peppol(d finance.Invoice) peppol.Document {
	out := peppol.Document{
		Type: peppol.Invoice, Number: d.Number, IssueDate: d.IssueDate, BuyerReference: d.Buyer.Reference,
		Seller: peppol.Party{
			Name: d.Seller.Name, Address: address(d.Seller.Address), OrgNumber: d.Seller.OrgNumber, VATNumber: d.Seller.VATNumber,
			PeppolID: d.Seller.PeppolID, FTax: d.Seller.FTax,
			Contact: peppol.Contact{Name: d.Seller.ContactName, Phone: d.Seller.ContactPhone, Email: d.Seller.ContactEmail},
		},
		Buyer: peppol.Party{Name: d.Buyer.Name, Address: address(d.Buyer.Address), OrgNumber: d.Buyer.OrgNumber, PeppolID: d.Buyer.PeppolID},
		Lines: []peppol.Line{{
			Name: lineName(d), Description: d.LineText, Period: peppol.Period{Start: d.PeriodStart, End: d.PeriodEnd},
			Amount: d.Amount, VAT: d.VATCategory, ExemptionReason: d.VATExemptionReason,
		}},
	}
	switch {
	case d.Kind == finance.InvoiceKindInvoice:
		out.DueDate = d.DueDate
		out.Payment = peppol.PaymentMeans{Bankgiro: d.Seller.Bankgiro, PaymentID: d.OCR}
		out.PaymentTerms = "Betalas senast " + d.DueDate.String() + " till bankgiro " + d.Seller.Bankgiro + " med OCR-nummer " + d.OCR + "."
	case d.Corrects():
		out.Type = peppol.CreditNote
		out.BillingReference = &peppol.InvoiceReference{Number: d.CreditsNumber, IssueDate: d.CreditsIssueDate}
		out.PaymentTerms = "Avräknas mot faktura " + d.CreditsNumber + ". Betala inte denna kreditfaktura."
	default:
		out.Type = peppol.CreditNote
		id := d.CaseNumber
		if id == "" {
			id = d.Decision
		}
		if id != "" {
			out.References = []peppol.Reference{{ID: id, Description: strings.TrimSpace("Beslut " + d.Decision + " om återbetalning")}}
		}
		out.PaymentTerms = "Beloppet betalas ut till er"
		if !d.DueDate.IsZero() {
			out.PaymentTerms += " senast " + d.DueDate.String()
		}
		out.PaymentTerms += ". Betala inte denna kreditfaktura."
	}
	return out
}

// UBL writes the document as a Peppol BIS Billing 3.0 UBL file. A party
// without organisation number, Peppol id or reference gives a
// *peppol.MissingError that names the party and what is missing; the PDF
// needs none of them.
func UBL(d finance.Invoice) ([]byte, error) { return peppol.Build(Peppol(d)) }

// lineName is the short item name (BT-153): what kind of charge the line is.
func lineName(d finance.Invoice) string {
	switch {
	case d.Corrects():
		return "Kreditering av faktura " + d.CreditsNumber
	case d.AllocationKind != "":
		return d.AllocationKind.Label()
	}
	return d.Kind.Label()
}

// address splits an address written one line per row into the parts a
// Peppol address has: the first line, the rest joined, and the post code and
// town of the last line.
func address(s string) peppol.Address {
	lines, postal, town := finance.SplitAddress(s)
	a := peppol.Address{PostalCode: postal, City: town}
	if len(lines) > 0 {
		a.Street = lines[0]
		a.Additional = strings.Join(lines[1:], ", ")
	}
	return a
}

// UBLArchive writes the e-invoices of docs into one zip file, one UBL file
// per document named after its number, for an e-invoice operator's upload.
// Documents that cannot be e-invoices (a party without organisation number or
// Peppol id) are left out and returned, with the reason, in skipped; any
// other error stops the archive. The files carry the documents' issue dates,
// so the same documents give the same bytes.
func UBLArchive(docs []finance.Invoice) (archive []byte, included []finance.Invoice, skipped []error, err error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, d := range docs {
		xml, err := UBL(d)
		var missing *peppol.MissingError
		if errors.As(err, &missing) {
			skipped = append(skipped, err)
			continue
		}
		if err != nil {
			return nil, nil, nil, err
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: FileName(d, "xml"), Method: zip.Deflate, Modified: d.IssueDate.Time()})
		if err != nil {
			return nil, nil, nil, err
		}
		if _, err := w.Write(xml); err != nil {
			return nil, nil, nil, err
		}
		included = append(included, d)
	}
	if err := zw.Close(); err != nil {
		return nil, nil, nil, err
	}
	return buf.Bytes(), included, skipped, nil
}
