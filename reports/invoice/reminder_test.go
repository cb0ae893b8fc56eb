package invoice

import (
	"bytes"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/pdf/pdftest"
)

// TestReminderPDFReadsBack: a second påminnelse of Östersund's base funding,
// partly paid, names the invoice, what is left and the new due date, and is
// the same bytes each time.
func TestReminderPDFReadsBack(t *testing.T) {
	t.Parallel()
	d := baseFunding()
	d.Paid = decimal.RequireFromString("600")
	r := finance.Reminder{ID: 7, InvoiceID: d.ID, Seq: 2, Day: domain.MustDate("2021-02-15"), DueDate: domain.MustDate("2021-02-25"), Open: d.Open()}
	b, err := ReminderPDF(d, r, committee)
	if err != nil {
		t.Fatal(err)
	}
	flat := pdftest.Text(t, b, true)
	for _, want := range []string{
		"Påminnelse 2 – faktura GNS-2021-0001", "Datum 2021-02-15", "Avser faktura GNS-2021-0001 daterad 2021-01-04",
		"Ursprunglig förfallodag 2021-01-31", "Ny förfallodag 2021-02-25", "Er referens KS-2380", "Östersunds kommun",
		"inte betald i sin helhet", "101 000,00 kr, senast 25 februari 2021", "Betalt och krediterat −600,00",
		"Återstår att betala 101 000,00", "Bankgiro 5050-1055", "OCR-nummer 2021000100", "Ingen påminnelseavgift tas ut",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the reminder PDF lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(flat)
	}
	again, _ := ReminderPDF(d, r, committee)
	if !bytes.Equal(b, again) {
		t.Error("the same reminder gave different PDFs")
	}
	if got := ReminderFileName(d, r); got != "GNS-2021-0001-paminnelse-2.pdf" {
		t.Errorf("file name %q", got)
	}
	if _, err := ReminderPDF(refund(), finance.Reminder{InvoiceID: refund().ID, Seq: 1}, committee); err == nil {
		t.Error("a reminder of a credit note was written")
	}
}
