package invoice

import (
	"fmt"

	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/pdf"
	"github.com/region-jh/gns/sv"
)

// ReminderPDF writes påminnelse r of invoice d: the original invoice (number,
// date, due date, amount, paid and credited), what is left to pay, the new
// due date and how to pay (the invoice's bankgiro and OCR number), from the
// same seller to the same buyer. Its creation date is the reminder's day, so
// the same reminder always gives the same bytes.
func ReminderPDF(d finance.Invoice, r finance.Reminder, committee string) ([]byte, error) {
	if d.Kind != finance.InvoiceKindInvoice || r.InvoiceID != d.ID {
		return nil, fmt.Errorf("reminder PDF: reminder %d is not of invoice %s", r.ID, d.Number)
	}
	title := r.Title() + " – faktura " + d.Number
	p := pdf.New(pdf.Options{
		Title: title, Subject: "Påminnelse från " + d.Seller.Name, Author: d.Seller.Name, Creator: "GNS", Created: r.Day.Time(),
		Header: committee, Footer: footer(d.Seller),
	})
	p.Title(title)
	facts := []pdf.KeyValue{
		{Label: "Datum", Value: sv.Date(r.Day)},
		{Label: "Avser faktura", Value: fmt.Sprintf("%s daterad %s", d.Number, sv.Date(d.IssueDate))},
		{Label: "Ursprunglig förfallodag", Value: sv.Date(d.DueDate)},
		{Label: "Ny förfallodag", Value: sv.Date(r.DueDate)},
	}
	head(p, d, facts)
	p.Paragraph(fmt.Sprintf("Enligt våra noteringar är faktura %s inte betald i sin helhet. Vi ber er betala det som återstår, %s, senast %s.",
		d.Number, sv.Kronor(r.Open), sv.LongDate(r.DueDate)))
	rows := []pdf.Row{{Cells: []string{"Fakturans belopp: " + d.LineText, sv.Amount(d.Amount)}}}
	paidAndCredited := d.Amount.Sub(r.Open)
	if paidAndCredited.IsPositive() {
		rows = append(rows, pdf.Row{Cells: []string{"Betalt och krediterat", sv.Amount(paidAndCredited.Neg())}})
	}
	p.Table(pdf.Table{
		Columns: []pdf.Column{{Title: "Beskrivning", Width: 5.6}, {Title: "Belopp, kr", Width: 1.4, Align: pdf.AlignRight}},
		Rows:    rows,
		Total:   []string{"Återstår att betala", sv.Amount(r.Open)},
	})
	p.Spacer(3)
	p.Heading(3, "Betalning")
	p.KeyValues(
		pdf.KeyValue{Label: "Bankgiro", Value: d.Seller.Bankgiro},
		pdf.KeyValue{Label: "OCR-nummer", Value: d.OCR},
		pdf.KeyValue{Label: "Belopp", Value: sv.Kronor(r.Open)},
		pdf.KeyValue{Label: "Förfallodag", Value: sv.Date(r.DueDate)},
	)
	p.Note("Ange fakturans OCR-nummer vid betalning, så att betalningen hamnar rätt. Har ni redan betalat kan ni bortse från påminnelsen. Ingen påminnelseavgift tas ut.")
	return p.Bytes()
}

// ReminderFileName is the name a påminnelse's PDF is sent and downloaded
// under, e.g. "GNS-2021-0001-paminnelse-1.pdf".
func ReminderFileName(d finance.Invoice, r finance.Reminder) string {
	return fmt.Sprintf("%s-paminnelse-%d.pdf", d.Number, r.Seq)
}
