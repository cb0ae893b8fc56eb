package interim

import (
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/reports/pdf"
	"github.com/region-jh/gns/sv"
)

// ProjectSection is one project's part of an interim report: its budget for
// the year against the outcome on its cost objects through the report's
// period, per report row, and its participants.
type ProjectSection struct {
	Name string
	// Case is the project's case number; Key its key in words.
	Case string
	Key  string
	// Participants names the parties with the dates they joined and left.
	Participants string
	// Rows are the report rows with a budget or outcome, in report signs;
	// Budget and Actual their net.
	Rows           []ProjectLine
	Budget, Actual decimal.Decimal
	// Settlement says how the year was settled, when it was.
	Settlement string
}

// ProjectLine is one report row of a project's section.
type ProjectLine struct {
	Name           string
	Budget, Actual decimal.Decimal
}

// projectSections prints a section per project: the key and participants,
// then budget for the year, accumulated outcome and their difference per
// row, in kronor.
func projectSections(d *pdf.Document, r Report) {
	if len(r.Projects) == 0 {
		return
	}
	d.Heading(1, "Projekt")
	d.Note("Budget för helåret " + strconv.Itoa(r.Texts.Period.Year) + " mot ackumulerat utfall " + Span(r.Texts.Period) + " på projektens kostnadsobjekt, i kronor. Intäkter positiva, kostnader negativa; avvikelse = utfall − budget.")
	for _, p := range r.Projects {
		d.Heading(2, p.Name)
		facts := []pdf.KeyValue{{Label: "Fördelningsnyckel", Value: p.Key}, {Label: "Deltagare", Value: p.Participants}}
		if p.Case != "" {
			facts = append([]pdf.KeyValue{{Label: "Ärende", Value: p.Case}}, facts...)
		}
		d.KeyValues(facts...)
		t := pdf.Table{Columns: []pdf.Column{{Title: RowHeading, Width: 3}, {Title: "Budget helår", Width: 1.4, Align: pdf.AlignRight},
			{Title: "Ack utfall", Width: 1.4, Align: pdf.AlignRight}, {Title: "Avvikelse", Width: 1.4, Align: pdf.AlignRight}}}
		for _, l := range p.Rows {
			t.Rows = append(t.Rows, pdf.Row{Cells: []string{l.Name, sv.Amount(l.Budget), sv.Amount(l.Actual), sv.Amount(l.Actual.Sub(l.Budget))}})
		}
		t.Total = []string{"Netto", sv.Amount(p.Budget), sv.Amount(p.Actual), sv.Amount(p.Actual.Sub(p.Budget))}
		if len(p.Rows) == 0 {
			d.Note("Ingen budget och inget utfall på projektets objekt under året.")
		} else {
			d.Table(t)
		}
		if p.Settlement != "" {
			d.Paragraph(p.Settlement)
		}
	}
}
