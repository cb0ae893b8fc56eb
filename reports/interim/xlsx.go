package interim

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/region-jh/gns/domain/finance"
	"github.com/shopspring/decimal"
)

// The parts of an XLSX workbook (Office Open XML SpreadsheetML, ECMA-376):
// the package's content types and relationships, the workbook with one
// sheet, and the styles the sheet's cells use.
const (
	xlsxContentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`
	xlsxRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`
	xlsxWorkbookRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`
	xlsxWorkbook = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="%s" sheetId="1" r:id="rId1"/></sheets></workbook>`
	// The styles: 0 plain, 1 an amount in kronor shown in tkr (the trailing
	// comma of the format divides by 1000 for display only), 2 bold text,
	// 3 a bold amount, 4 a small italic note, 5 the bold title; 6 and 7 are
	// 1 and 3 for an amount between −500 and 0 kr, which rounds to 0 tkr:
	// their format (165) has no minus in its negative section, so the cell
	// shows 0, as the PDF does, where format 164 would show "-0".
	xlsxStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="#,##0,;\-#,##0,;0"/><numFmt numFmtId="165" formatCode="#,##0,;#,##0,;0"/></numFmts><fonts count="4"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font><font><i/><sz val="9"/><name val="Calibri"/></font><font><b/><sz val="14"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="8"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/><xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`
)

// Cell styles of xlsxStyles.
const (
	stylePlain = iota
	styleAmount
	styleBold
	styleBoldAmount
	styleNote
	styleTitle
	styleNearZeroAmount
	styleNearZeroBoldAmount
)

// amountStyle is the style of an amount cell: a negative amount that rounds
// to 0 tkr gets the style that shows it as 0 instead of "-0".
func amountStyle(d decimal.Decimal, bold bool) int {
	nearZero := d.Sign() < 0 && d.Shift(-3).Round(0).IsZero()
	switch {
	case nearZero && bold:
		return styleNearZeroBoldAmount
	case nearZero:
		return styleNearZeroAmount
	case bold:
		return styleBoldAmount
	}
	return styleAmount
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
	var sheet strings.Builder
	sheet.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	sheet.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="4" topLeftCell="A5" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`)
	fmt.Fprintf(&sheet, `<cols><col min="1" max="1" width="40" customWidth="1"/><col min="2" max="%d" width="16" customWidth="1"/></cols><sheetData>`, len(cols)+1)
	w := &sheetWriter{b: &sheet}
	w.row(text(title, styleTitle))
	w.row(text(subtitle, styleNote))
	w.row()
	head := []cell{text(RowHeading, styleBold)}
	for _, c := range cols {
		head = append(head, text(c.title, styleBold))
	}
	w.row(head...)

	// The sheet row of every line, for the totals' formulas.
	first := w.n + 1
	rowOf := map[int]int{}
	for i := range lines {
		rowOf[i] = first + i
	}
	for i, l := range lines {
		n := rowOf[i]
		cells := []cell{text(l.Name, stylePlain)}
		if l.Total {
			cells[0].style = styleBold
		}
		for c, col := range cols {
			var f string
			switch {
			case col.minus[0] != "":
				f = fmt.Sprintf("%s%d-%s%d", col.minus[0], n, col.minus[1], n)
			case l.Total:
				f = sumFormula(string(rune('B'+c)), lines, l, rowOf)
			}
			v := col.value(l)
			cells = append(cells, cell{number: v, formula: f, style: amountStyle(v, l.Total), isNumber: true})
		}
		w.row(cells...)
	}
	w.row()
	w.row(text(RoundingNote+" Summor och skillnader är formler över de exakta beloppen.", styleNote))
	sheet.WriteString(`</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><pageSetup paperSize="9" orientation="landscape"/></worksheet>`)

	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	if created.IsZero() {
		created = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	parts := []struct{ name, content string }{
		{"[Content_Types].xml", xlsxContentTypes},
		{"_rels/.rels", xlsxRels},
		{"xl/workbook.xml", fmt.Sprintf(xlsxWorkbook, escape(sheetName(title)))},
		{"xl/_rels/workbook.xml.rels", xlsxWorkbookRels},
		{"xl/styles.xml", xlsxStyles},
		{"xl/worksheets/sheet1.xml", sheet.String()},
	}
	for _, p := range parts {
		f, err := z.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: created.UTC()})
		if err != nil {
			return nil, fmt.Errorf("xlsx: %w", err)
		}
		if _, err := f.Write([]byte(p.content)); err != nil {
			return nil, fmt.Errorf("xlsx: %w", err)
		}
	}
	if err := z.Close(); err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	return buf.Bytes(), nil
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

// sheetName makes a title a valid sheet name: at most 31 characters and none
// of : \ / ? * [ ].
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	return s
}

// cell is one cell of the sheet: a text, or a number with an optional
// formula.
type cell struct {
	text     string
	number   decimal.Decimal
	isNumber bool
	formula  string
	style    int
}

func text(s string, style int) cell { return cell{text: s, style: style} }

// sheetWriter writes rows, numbering them from 1.
type sheetWriter struct {
	b *strings.Builder
	n int
}

func (w *sheetWriter) row(cells ...cell) {
	w.n++
	fmt.Fprintf(w.b, `<row r="%d">`, w.n)
	for i, c := range cells {
		ref := fmt.Sprintf("%c%d", 'A'+i, w.n)
		switch {
		case c.isNumber && c.formula != "":
			fmt.Fprintf(w.b, `<c r="%s" s="%d"><f>%s</f><v>%s</v></c>`, ref, c.style, escape(c.formula), c.number.String())
		case c.isNumber:
			fmt.Fprintf(w.b, `<c r="%s" s="%d"><v>%s</v></c>`, ref, c.style, c.number.String())
		default:
			fmt.Fprintf(w.b, `<c r="%s" s="%d" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>`, ref, c.style, escape(c.text))
		}
	}
	w.b.WriteString(`</row>`)
}

// escape writes s as XML character data, leaving out the characters XML 1.0
// does not allow.
func escape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s)) // writing to a bytes.Buffer cannot fail
	return b.String()
}
