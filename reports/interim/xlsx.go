package interim

import (
	"fmt"
	"strings"
	"time"

	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/xlsx"
	"github.com/shopspring/decimal"
)

// amountStyle is the style of an amount cell: a negative amount that rounds
// to 0 tkr gets the style that shows it as 0 instead of "-0".
func amountStyle(d decimal.Decimal, bold bool) xlsx.Style {
	nearZero := d.Sign() < 0 && d.Shift(-3).Round(0).IsZero()
	switch {
	case nearZero && bold:
		return xlsx.NearZeroBoldTkr
	case nearZero:
		return xlsx.NearZeroTkr
	case bold:
		return xlsx.BoldTkr
	}
	return xlsx.Tkr
}

// xlsxColumn is an amount column of a table workbook: a value per line
// (totals become SUM formulas of the lines they sum), or, with minus set,
// the difference of two earlier columns as a formula.
type xlsxColumn struct {
	title string
	value func(finance.TableLine) decimal.Decimal
	// minus holds the sheet columns (letters) of a difference: B−C.
	minus [2]string
}

// BuildXLSX writes the report's table as a workbook of one sheet: the title,
// the column headings, one row per report row with the amounts as numbers in
// exact kronor (displayed in tkr), the totals as SUM formulas of the rows
// they sum and the differences as formulas, each with its computed value
// cached so the file reads right before any recalculation.
func BuildXLSX(r Report) ([]byte, error) {
	title := r.Texts.Title
	if title == "" {
		title = Title(r.Table.Period)
	}
	cols := []xlsxColumn{
		{title: Columns[0], value: func(l finance.TableLine) decimal.Decimal { return l.Actual }},
		{title: Columns[1], value: func(l finance.TableLine) decimal.Decimal { return l.Budget }},
		{title: Columns[2], value: finance.TableLine.Deviation, minus: [2]string{"B", "C"}},
		{title: Columns[3], value: func(l finance.TableLine) decimal.Decimal { return l.Prior }},
		{title: Columns[4], value: finance.TableLine.Change, minus: [2]string{"B", "E"}},
	}
	return tableWorkbook(title, r.Committee+", ackumulerat "+Span(r.Table.Period)+"; belopp i kronor, visade i tkr", r.Table.Lines, cols, r.Created)
}

// BuildBudgetXLSX writes the budget table of a year as a workbook: the
// annual amount per row, last year's budget when there is one and the
// change, in exact kronor shown in tkr, totals and change as formulas.
func BuildBudgetXLSX(r BudgetReport) ([]byte, error) {
	b := r.Budget
	annual, previous := map[int64]decimal.Decimal{}, map[int64]decimal.Decimal{}
	for _, l := range b.Lines {
		annual[l.RowID] = l.Annual
	}
	cols := []xlsxColumn{{title: fmt.Sprintf("Budget %d", b.Year), value: func(l finance.TableLine) decimal.Decimal { return l.Actual }}}
	if r.Previous != nil {
		for _, l := range r.Previous.Lines {
			previous[l.RowID] = l.Annual
		}
		cols = append(cols, xlsxColumn{title: fmt.Sprintf("Budget %d", r.Previous.Year), value: func(l finance.TableLine) decimal.Decimal { return l.Prior }},
			xlsxColumn{title: "Förändring", value: finance.TableLine.Change, minus: [2]string{"B", "C"}})
	}
	t := finance.BuildInterimTable(finance.Period{Year: b.Year, Month: time.December}, r.Rows, annual, nil, previous)
	title := fmt.Sprintf("Budget %d", b.Year)
	return tableWorkbook(title, fmt.Sprintf("%s, version %d; belopp i kronor, visade i tkr", r.Committee, b.Version), t.Lines, cols, r.Created)
}

// tableWorkbook writes a table of report rows as an XLSX workbook of one
// sheet.
func tableWorkbook(title, subtitle string, lines []finance.TableLine, cols []xlsxColumn, created time.Time) ([]byte, error) {
	head := []xlsx.Cell{xlsx.Text(RowHeading, xlsx.Bold)}
	widths := []float64{40}
	for _, c := range cols {
		head = append(head, xlsx.Text(c.title, xlsx.Bold))
		widths = append(widths, 16)
	}
	rows := [][]xlsx.Cell{{xlsx.Text(title, xlsx.Title)}, {xlsx.Text(subtitle, xlsx.Note)}, nil, head}

	// The sheet row of every line, for the totals' formulas.
	first := len(rows) + 1
	rowOf := map[int]int{}
	for i := range lines {
		rowOf[i] = first + i
	}
	for i, l := range lines {
		n := rowOf[i]
		cells := []xlsx.Cell{xlsx.Text(l.Name, xlsx.Plain)}
		if l.Total {
			cells[0].Style = xlsx.Bold
		}
		for c, col := range cols {
			var f string
			switch {
			case col.minus[0] != "":
				f = fmt.Sprintf("%s%d-%s%d", col.minus[0], n, col.minus[1], n)
			case l.Total:
				f = sumFormula(xlsx.Column(c+1), lines, l, rowOf)
			}
			v := col.value(l)
			cells = append(cells, xlsx.Formula(f, v, amountStyle(v, l.Total)))
		}
		rows = append(rows, cells)
	}
	rows = append(rows, nil, []xlsx.Cell{xlsx.Text(RoundingNote+" Summor och skillnader är formler över de exakta beloppen.", xlsx.Note)})
	return xlsx.Write(xlsx.Sheet{Name: title, Widths: widths, FreezeRows: 4, Landscape: true, Rows: rows, Created: created})
}

// sumFormula is a total's formula: the sum of the cells in col of the lines
// the total sums ("0" when it sums none).
func sumFormula(col string, lines []finance.TableLine, total finance.TableLine, rowOf map[int]int) string {
	var refs []string
	for i, l := range lines {
		if !l.Total && (total.TotalOf == finance.RowAll || total.TotalOf == l.Kind) {
			refs = append(refs, fmt.Sprintf("%s%d", col, rowOf[i]))
		}
	}
	if len(refs) == 0 {
		return "0"
	}
	return "SUM(" + strings.Join(refs, ",") + ")"
}
