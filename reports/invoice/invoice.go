// Package invoice writes the committee's invoices and credit notes for the
// people and systems that receive them: the PDF in Swedish (one document, or
// a whole run in one file), the Peppol BIS Billing 3.0 e-invoice through
// reports/peppol, and the SIE 4I import file of a run for the host's ledger.
//
// Every document carries what mervärdesskattelagen (2023:200) 17 kap. 24 §
// asks of an invoice: the date of issue, the number from a series without
// gaps, seller and buyer with their addresses, the seller's VAT number, what
// is charged for and the period, the amount, and the reason no VAT is
// charged; a credit note names the invoice it corrects, or the decision whose
// refund it pays out.
package invoice

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/pdf"
	"github.com/region-jh/gns/sv"
)

// Options describes the PDF as a whole.
type Options struct {
	// Committee is the committee's full name, printed in the running header:
	// the seller issues the documents for it.
	Committee string
	// Title is the PDF's title, printed at the right of the header; empty
	// gives "Faktura GNS-2021-0001" for one document and "Fakturor" for more.
	Title string
	// Created fixes the PDF's creation date; zero takes the latest issue date
	// of the documents, so the same documents always give the same bytes.
	Created time.Time
}

// PDF writes docs into one PDF, each starting on a page of its own, in the
// order given: one invoice to download, or a whole run to print. The page
// numbers in the footer count the whole file.
func PDF(docs []finance.Invoice, opts Options) ([]byte, error) {
	if len(docs) == 0 {
		return nil, fmt.Errorf("invoice PDF: no documents")
	}
	if opts.Title == "" {
		opts.Title = "Fakturor"
		if len(docs) == 1 {
			opts.Title = Heading(docs[0])
		}
	}
	if opts.Created.IsZero() {
		for _, d := range docs {
			if t := d.IssueDate.Time(); t.After(opts.Created) {
				opts.Created = t
			}
		}
	}
	s := docs[0].Seller
	p := pdf.New(pdf.Options{
		Title: opts.Title, Subject: "Fakturor från " + s.Name, Author: s.Name, Creator: "GNS", Created: opts.Created,
		Header: opts.Committee, Footer: footer(s),
	})
	for i, d := range docs {
		if i > 0 {
			p.PageBreak()
		}
		write(p, d)
	}
	return p.Bytes()
}

// Heading is the document's name with its number: "Faktura GNS-2021-0001",
// "Kreditfaktura GNS-2021-0010".
func Heading(d finance.Invoice) string { return d.Kind.Label() + " " + d.Number }

// FileName is the name a document's file is downloaded under, e.g.
// "GNS-2021-0001.pdf" for ext "pdf".
func FileName(d finance.Invoice, ext string) string { return d.Number + "." + ext }

// footer is the seller's identity on every page.
func footer(s finance.InvoiceSeller) string {
	parts := []string{s.Name, "Org.nr " + s.OrgNumber, "Bankgiro " + s.Bankgiro}
	if s.FTax {
		parts = append(parts, "Godkänd för F-skatt")
	}
	return strings.Join(parts, " · ")
}

// write adds one document.
func write(p *pdf.Document, d finance.Invoice) {
	p.Title(Heading(d))
	facts := []pdf.KeyValue{
		{Label: "Fakturadatum", Value: sv.Date(d.IssueDate)},
		{Label: d.Kind.Label() + "nummer", Value: d.Number},
	}
	switch {
	case d.Kind == finance.InvoiceKindInvoice:
		facts = append(facts,
			pdf.KeyValue{Label: "Förfallodag", Value: sv.Date(d.DueDate)},
			pdf.KeyValue{Label: "OCR-nummer", Value: d.OCR})
	case d.Corrects():
		facts = append(facts, pdf.KeyValue{Label: "Krediterar", Value: fmt.Sprintf("Faktura %s daterad %s", d.CreditsNumber, sv.Date(d.CreditsIssueDate))})
	default:
		facts = append(facts, pdf.KeyValue{Label: "Avser beslut", Value: decisionText(d)})
	}
	head(p, d, facts)

	total := "Att betala"
	switch {
	case d.Corrects():
		total = "Krediterat belopp"
	case d.Refund():
		total = "Betalas ut till er"
	}
	vatNote := "Ingen moms: " + d.VATExemptionReason + "."
	p.Table(pdf.Table{
		Columns: []pdf.Column{{Title: "Beskrivning", Width: 4.2}, {Title: "Period", Width: 1.9}, {Title: "Belopp, kr", Width: 1.4, Align: pdf.AlignRight}},
		Rows: []pdf.Row{
			{Cells: []string{d.LineText, period(d), sv.Amount(d.Amount)}},
			{Cells: []string{"Moms 0 %", "", sv.Amount(decimal.Zero)}},
		},
		Total: []string{total, "", sv.Amount(d.Amount)},
		Note:  vatNote,
	})
	p.Spacer(3)

	switch {
	case d.Kind == finance.InvoiceKindInvoice:
		p.Heading(3, "Betalning")
		p.KeyValues(
			pdf.KeyValue{Label: "Bankgiro", Value: d.Seller.Bankgiro},
			pdf.KeyValue{Label: "OCR-nummer", Value: d.OCR},
			pdf.KeyValue{Label: "Belopp", Value: sv.Kronor(d.Amount)},
			pdf.KeyValue{Label: "Förfallodag", Value: sv.Date(d.DueDate)},
		)
		p.Note("Ange OCR-numret vid betalning, så att betalningen hamnar rätt.")
	case d.Corrects():
		p.Paragraph(fmt.Sprintf("Kreditfakturan krediterar %s av faktura %s daterad %s. Skäl: %s",
			sv.Kronor(d.Amount), d.CreditsNumber, sv.Date(d.CreditsIssueDate), d.CreditReason))
		p.Paragraph("Beloppet avräknas mot fakturan. Betala inte denna kreditfaktura.")
	default:
		text := fmt.Sprintf("Kreditfakturan avser återbetalning enligt beslut %s.", decisionText(d))
		if !d.DueDate.IsZero() {
			text += fmt.Sprintf(" Beloppet %s betalas ut till er senast %s.", sv.Kronor(d.Amount), sv.LongDate(d.DueDate))
		}
		p.Paragraph(text + " Betala inte denna kreditfaktura.")
	}
}

// head writes a document's facts with the references (Er referens, and
// Vår referens when the seller names a contact), then seller and buyer.
func head(p *pdf.Document, d finance.Invoice, facts []pdf.KeyValue) {
	facts = append(facts, pdf.KeyValue{Label: "Er referens", Value: orNone(d.Buyer.Reference)})
	if d.Seller.ContactName != "" {
		facts = append(facts, pdf.KeyValue{Label: "Vår referens", Value: contact(d.Seller)})
	}
	p.KeyValues(facts...)
	p.Table(pdf.Table{
		Columns: []pdf.Column{{Title: "Säljare"}, {Title: "Köpare"}},
		Rows:    []pdf.Row{{Cells: []string{sellerBlock(d.Seller), buyerBlock(d.Buyer)}}},
	})
	p.Spacer(3)
}

// decisionText names the decision behind a document: "GNS § 44/2020
// (ärende GNS/2/2020)".
func decisionText(d finance.Invoice) string {
	switch {
	case d.Decision != "" && d.CaseNumber != "":
		return d.Decision + " (ärende " + d.CaseNumber + ")"
	case d.Decision != "":
		return d.Decision
	case d.CaseNumber != "":
		return "ärende " + d.CaseNumber
	}
	return "–"
}

func orNone(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// contact writes "Vår referens": the name, then phone and e-mail.
func contact(s finance.InvoiceSeller) string {
	out := s.ContactName
	for _, x := range []string{s.ContactPhone, s.ContactEmail} {
		if x != "" {
			out += ", " + x
		}
	}
	return out
}

func sellerBlock(s finance.InvoiceSeller) string {
	lines := []string{s.Name, s.Address, "Org.nr " + s.OrgNumber, "Momsreg.nr " + s.VATNumber}
	if s.FTax {
		lines = append(lines, "Godkänd för F-skatt")
	}
	return strings.Join(lines, "\n")
}

func buyerBlock(b finance.InvoiceBuyer) string {
	lines := []string{b.Name, b.Address}
	if b.OrgNumber != "" {
		lines = append(lines, "Org.nr "+b.OrgNumber)
	}
	return strings.Join(lines, "\n")
}

// period writes the period a document concerns: "2021-01-01 – 2021-12-31".
func period(d finance.Invoice) string {
	switch {
	case d.PeriodStart.IsZero() && d.PeriodEnd.IsZero():
		return ""
	case d.PeriodEnd.IsZero():
		return "från " + sv.Date(d.PeriodStart)
	case d.PeriodStart.IsZero():
		return "till " + sv.Date(d.PeriodEnd)
	}
	return sv.Date(d.PeriodStart) + " – " + sv.Date(d.PeriodEnd)
}
