// Package interim writes the committee's economic reports: the interim
// report for a period end (tertialrapport per april, delårsrapport per
// augusti, årsbokslut per december, or any month on demand) as a PDF in the
// layout of seed 004 and its table as an XLSX workbook, and the budget PDF for
// a year. It also reads the host's ledger exports (SIE 4 and CSV) into the
// monthly outcome GNS imports.
//
// Every figure arrives computed in exact kronor (finance.BuildInterimTable);
// this package only rounds for display, to whole tkr, which is why the PDF
// prints "Avrundningsdifferenser kan förekomma" under the table. The XLSX
// keeps the exact kronor, shown in tkr by its number format, with the totals
// and differences as formulas.
package interim

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/pdf"
	"github.com/region-jh/gns/sv"
)

// Report is everything the interim report shows.
type Report struct {
	// Committee is the committee's full name; Host the host party's name.
	Committee string
	Host      string
	// Texts holds the title and the sections' texts; its Period is the
	// period end.
	Texts finance.InterimReport
	Table finance.InterimTable
	// Created fixes the PDF's creation date, so the same report gives the
	// same bytes.
	Created time.Time
	// Projects are the committee's projects with budget or outcome in the
	// report's year, a section each.
	Projects []ProjectSection
}

// Title is the report's title by its period end: "Tertialrapport april
// 2021", "Delårsrapport augusti 2020", "Årsbokslut 2020", and for another
// month "Ekonomisk uppföljning mars 2021".
func Title(p finance.Period) string {
	switch finance.ReportKindOf(p) {
	case finance.ReportTertial:
		return "Tertialrapport " + MonthYear(p)
	case finance.ReportInterim:
		return "Delårsrapport " + MonthYear(p)
	case finance.ReportAnnual:
		return fmt.Sprintf("Årsbokslut %d", p.Year)
	}
	return "Ekonomisk uppföljning " + MonthYear(p)
}

// MonthYear writes a period as "augusti 2020".
func MonthYear(p finance.Period) string {
	return strings.TrimPrefix(sv.LongDate(domain.Date{Year: p.Year, Month: p.Month, Day: 1}), "1 ")
}

// Span writes the months a report accumulates, "januari–augusti 2020", or
// "januari 2021" for January alone.
func Span(p finance.Period) string {
	if p.Month == time.January {
		return MonthYear(p)
	}
	first := strings.TrimSuffix(MonthYear(p.First()), fmt.Sprintf(" %d", p.Year))
	return first + "–" + MonthYear(p)
}

// SignedTkr writes an amount in tkr with its sign, "+32" or "−508", for a
// difference in running text; zero is "0".
func SignedTkr(d decimal.Decimal) string {
	s := sv.Tkr(d)
	if s != "0" && !strings.HasPrefix(s, sv.MinusSign) {
		return "+" + s
	}
	return s
}

// Columns are the table's column headings, after the row names.
var Columns = []string{"Ack utfall", "Ack budget", "Avvikelse", "Ack utfall fg år", "Förändring mot fg år"}

// RowHeading is the heading of the column of row names.
const RowHeading = "Intäkter och kostnader i tkr"

// RoundingNote is printed under every table in tkr.
const RoundingNote = "Avrundningsdifferenser kan förekomma."

// Cells returns a line's figures in the order of Columns.
func Cells(l finance.TableLine) []decimal.Decimal {
	return []decimal.Decimal{l.Actual, l.Budget, l.Deviation(), l.Prior, l.Change()}
}

// BuildPDF lays the report out: the title, a table of contents, then
// Sammanfattning, Händelser av väsentlig betydelse and Ekonomiskt resultat
// with the table in tkr, the comments on income, costs and the result, and a
// bar chart of outcome against budget for the rows with figures.
func BuildPDF(r Report) ([]byte, error) {
	t := r.Texts
	title := t.Title
	if title == "" {
		title = Title(t.Period)
	}
	d := pdf.New(pdf.Options{
		Title:   title,
		Subject: title + " – " + r.Committee,
		Author:  r.Committee,
		Creator: "GNS",
		Created: r.Created,
		Header:  r.Committee,
		Footer:  r.Host,
	})
	d.Title(title)
	d.Paragraph(r.Committee)
	if !t.Final() {
		d.Note(fmt.Sprintf("Utkast, version %d: inte fastställt. Siffrorna är de som finns i GNS när dokumentet skapas.", max(t.Version, 1)))
	} else {
		d.Note(fmt.Sprintf("Fastställd %s, version %d.", sv.Date(domain.DateOf(t.FinalisedAt.In(sv.Location()))), t.Version))
	}
	d.TableOfContents()

	d.Heading(1, "Sammanfattning")
	withSubheadings(d, t.Summary, "Ingen sammanfattning är skriven.")
	d.Heading(1, "Händelser av väsentlig betydelse")
	paragraphs(d, t.Events, "Inga händelser av väsentlig betydelse under perioden.")

	d.PageBreak()
	d.Heading(1, "Ekonomiskt resultat")
	d.Note("Ackumulerat " + Span(r.Table.Period) + ", jämfört med budget och med samma period föregående år. Intäkter positiva, kostnader negativa.")
	d.Table(table(r.Table))
	if len(r.Table.Missing) > 0 {
		d.Note("Utfall saknas för " + finance.JoinPeriods(r.Table.Missing) + ".")
	}
	if len(r.Table.MissingPrior) > 0 {
		d.Note("Föregående års utfall saknas för " + finance.JoinPeriods(r.Table.MissingPrior) + ".")
	}
	comment(d, "Verksamhetens utfall mot föregående år", t.PriorComment)
	comment(d, "Verksamhetens intäkter", t.IncomeComment)
	comment(d, "Verksamhetens bruttokostnader", t.CostComment)
	comment(d, "Verksamhetens resultat jämfört med budget", t.ResultComment)
	if bars := chartBars(r.Table); len(bars) > 0 {
		d.BarChart("Utfall och budget per rad, tkr ("+Span(r.Table.Period)+")", []string{"Ack utfall", "Ack budget"}, bars)
	}
	projectSections(d, r)
	return d.Bytes()
}

// table is the report's table: every row in tkr, the subtotals in bold and
// the bottom line as the table's total.
func table(t finance.InterimTable) pdf.Table {
	cols := []pdf.Column{{Title: RowHeading, Width: 3.5}}
	for _, c := range Columns {
		cols = append(cols, pdf.Column{Title: c, Width: 1.15, Align: pdf.AlignRight})
	}
	out := pdf.Table{Columns: cols, Note: RoundingNote}
	bottom, hasBottom := t.TotalOf(finance.RowAll)
	for _, l := range t.Lines {
		if hasBottom && l.Total && l.TotalOf == finance.RowAll {
			continue
		}
		out.Rows = append(out.Rows, pdf.Row{Cells: tkrCells(l), Bold: l.Total})
	}
	if hasBottom {
		out.Total = tkrCells(bottom)
	}
	return out
}

func tkrCells(l finance.TableLine) []string {
	cells := []string{l.Name}
	for _, v := range Cells(l) {
		cells = append(cells, sv.Tkr(v))
	}
	return cells
}

// chartBars are the detail rows with any outcome or budget, in tkr.
func chartBars(t finance.InterimTable) []pdf.Bar {
	var bars []pdf.Bar
	thousand := decimal.NewFromInt(1000)
	for _, l := range t.Lines {
		if l.Total || (l.Actual.IsZero() && l.Budget.IsZero()) {
			continue
		}
		a, _ := l.Actual.Div(thousand).Float64()
		b, _ := l.Budget.Div(thousand).Float64()
		bars = append(bars, pdf.Bar{Label: l.Name, Values: []float64{a, b}, Texts: []string{sv.Tkr(l.Actual), sv.Tkr(l.Budget)}})
	}
	return bars
}

// paragraphs prints a text one paragraph per block between blank lines, or
// the fallback when it is empty.
func paragraphs(d *pdf.Document, text, fallback string) {
	blocks := Blocks(text)
	if len(blocks) == 0 {
		d.Note(fallback)
		return
	}
	for _, b := range blocks {
		d.Paragraph(b)
	}
}

// withSubheadings prints a text as paragraphs, with its sub-headings as
// headings: the committee writes its Sammanfattning as "Ekonomiskt utfall",
// a paragraph, "Verksamhet", a paragraph (see Subheading).
func withSubheadings(d *pdf.Document, text, fallback string) {
	blocks := Blocks(text)
	if len(blocks) == 0 {
		d.Note(fallback)
		return
	}
	for i, b := range blocks {
		if i < len(blocks)-1 && Subheading(b) {
			d.Heading(3, b)
		} else {
			d.Paragraph(b)
		}
	}
}

// Subheading reports whether a block of a report's text is a sub-heading:
// one short line (at most 60 characters) that does not end as a sentence
// does.
func Subheading(block string) bool {
	if strings.Contains(block, "\n") || utf8.RuneCountInString(block) > 60 {
		return false
	}
	return !strings.ContainsAny(block[len(block)-1:], ".:;!?,)")
}

// Blocks splits a text at blank lines into its paragraphs, trimmed.
func Blocks(text string) []string {
	var out []string
	for _, b := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if b = strings.TrimSpace(b); b != "" {
			out = append(out, b)
		}
	}
	return out
}

func comment(d *pdf.Document, heading, text string) {
	if strings.TrimSpace(text) == "" {
		return
	}
	d.Heading(3, heading)
	paragraphs(d, text, "")
}

// DefaultTexts fills the texts of a new report from its table and the
// decisions of the period: the summary and comments state the figures in
// tkr, and every decision becomes an event, "Title (§ 8/2020): decision".
// The economist edits them before the report is finalised.
func DefaultTexts(r *finance.InterimReport, t finance.InterimTable, decisions []meeting.Paragraph) {
	res := t.Result()
	span := Span(t.Period)
	r.Summary = fmt.Sprintf("Ekonomiskt utfall\n\nUtfallet för %s är %s tkr jämfört med budget. Se Ekonomiskt resultat.\n\nVerksamhet\n\nSe Händelser av väsentlig betydelse.",
		span, SignedTkr(res.Deviation()))
	var events []string
	for _, p := range decisions {
		decision := strings.Join(strings.Fields(strings.ReplaceAll(p.Decision, "\n", " ")), " ")
		text := fmt.Sprintf("%s (%s)", p.Title, p.Ref())
		if decision != "" {
			text += ": " + decision
		}
		events = append(events, text)
	}
	r.Events = strings.Join(events, "\n\n")
	income, _ := t.TotalOf(finance.RowRevenue)
	costs, _ := t.TotalOf(finance.RowCost)
	r.IncomeComment = fmt.Sprintf("Intäkterna är %s tkr mot budgeterade %s tkr, en avvikelse på %s tkr.", sv.Tkr(income.Actual), sv.Tkr(income.Budget), SignedTkr(income.Deviation()))
	r.CostComment = fmt.Sprintf("Bruttokostnaderna är %s tkr mot budgeterade %s tkr, en avvikelse på %s tkr.", sv.Tkr(costs.Actual), sv.Tkr(costs.Budget), SignedTkr(costs.Deviation()))
	for _, o := range t.Objects {
		line := fmt.Sprintf("\n\nObjekt %s", o.Object)
		if o.Name != "" {
			line += " (" + o.Name + ")"
		}
		line += fmt.Sprintf(", %s: %s tkr.", strings.ToLower(o.RowName), sv.Tkr(o.Amount))
		if o.Kind == finance.RowRevenue {
			r.IncomeComment += line
		} else {
			r.CostComment += line
		}
	}
	r.PriorComment = fmt.Sprintf("Verksamhetens nettokostnader är %s tkr för %s, mot %s tkr samma period föregående år, en förändring på %s tkr.",
		sv.Tkr(res.Actual), span, sv.Tkr(res.Prior), SignedTkr(res.Change()))
	r.ResultComment = fmt.Sprintf("Utfallet är %s tkr jämfört med budget.", SignedTkr(res.Deviation()))
}
