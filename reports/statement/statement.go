// Package statement builds a party's annual statement (årsbesked): every
// share of the year with its basis and decision, and every invoice and credit
// note with what has been paid, as a PDF.
package statement

import (
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/pdf"
	"github.com/region-jh/gns/sv"
)

// Share is one share of the year as the statement prints it.
type Share struct {
	Title    string
	Kind     string
	Basis    string
	Decision string
	Amount   decimal.Decimal
}

// Statement is everything the annual statement shows.
type Statement struct {
	Committee domain.Committee
	Party     domain.Party
	Year      int
	Shares    []Share
	Invoices  []finance.Invoice
	// Made is when the statement was made (printed, and the PDF's date).
	Made time.Time
}

// YearRule says which year an amount and a document count in, the same on
// "Vår andel" and in the årsbesked: the year the money concerns.
const YearRule = "Året är det år pengarna gäller: fördelningens budgetår (eller, utan budgetår, det år den sparades). " +
	"Fakturor och kreditfakturor står under samma år som fördelningen de fakturerar, oavsett fakturadatum."

// Build returns the statement as a PDF.
func Build(s Statement) ([]byte, error) {
	title := "Årsbesked " + itoa(s.Year)
	d := pdf.New(pdf.Options{
		Title: title + " – " + s.Party.Name, Subject: "Andelar, fakturor och betalningar", Author: s.Committee.Name,
		Creator: "GNS", Created: s.Made, Header: s.Committee.Name, Footer: s.Party.Name,
	})
	d.Title(title + ": " + s.Party.Name)
	d.KeyValues(
		pdf.KeyValue{Label: "Nämnd", Value: s.Committee.Name + " (" + s.Committee.Code + ")"},
		pdf.KeyValue{Label: "Part", Value: s.Party.Name},
		pdf.KeyValue{Label: "Organisationsnummer", Value: orMissing(s.Party.OrgNumber)},
		pdf.KeyValue{Label: "Utskrivet", Value: sv.DateTime(s.Made)},
	)
	d.Paragraph(YearRule)
	d.Heading(1, "Andelar "+itoa(s.Year))
	if len(s.Shares) == 0 {
		d.Paragraph("Det finns inga beslutade andelar för året.")
	} else {
		t := pdf.Table{Columns: []pdf.Column{
			{Title: "Vad", Width: 3}, {Title: "Underlag", Width: 3}, {Title: "Beslut", Width: 2}, {Title: "Belopp", Width: 2, Align: pdf.AlignRight},
		}}
		sum := decimal.Zero
		for _, sh := range s.Shares {
			t.Rows = append(t.Rows, pdf.Row{Cells: []string{sh.Title + " (" + sh.Kind + ")", sh.Basis, orMissingDecision(sh.Decision), sv.Kronor(sh.Amount)}})
			sum = sum.Add(sh.Amount)
		}
		t.Total = []string{"Summa att betala (netto)", "", "", sv.Kronor(sum)}
		t.Note = "Negativa belopp betalas tillbaka till parten."
		d.Table(t)
	}
	d.Heading(1, "Fakturor och kreditfakturor "+itoa(s.Year))
	if len(s.Invoices) == 0 {
		d.Paragraph("Inga fakturor eller kreditfakturor för året är utställda till parten.")
	} else {
		t := pdf.Table{Columns: []pdf.Column{
			{Title: "Nummer", Width: 2}, {Title: "Slag", Width: 2}, {Title: "Datum", Width: 2, Align: pdf.AlignCenter},
			{Title: "Belopp", Width: 2, Align: pdf.AlignRight}, {Title: "Betalt", Width: 2, Align: pdf.AlignRight}, {Title: "Status", Width: 2},
		}}
		net, paid := decimal.Zero, decimal.Zero
		for _, inv := range s.Invoices {
			p := inv.Paid
			if inv.Kind == finance.InvoiceKindCreditNote {
				p = p.Neg()
			}
			t.Rows = append(t.Rows, pdf.Row{Cells: []string{inv.Number, inv.Kind.Label(), sv.Date(inv.IssueDate), sv.Kronor(inv.Signed()), sv.Kronor(p), inv.StatusLabel()}})
			net, paid = net.Add(inv.Signed()), paid.Add(p)
		}
		t.Total = []string{"Summa", "", "", sv.Kronor(net), sv.Kronor(paid), ""}
		t.Note = "Kreditfakturor och återbetalningar står med minustecken."
		d.Table(t)
	}
	return d.Bytes()
}

func itoa(n int) string { return strconv.Itoa(n) }

func orMissing(s string) string {
	if s == "" {
		return "saknas"
	}
	return s
}

func orMissingDecision(s string) string {
	if s == "" {
		return "förslag, ej beslutat"
	}
	return s
}
