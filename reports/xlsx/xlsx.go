// Package xlsx writes workbooks of one sheet (Office Open XML SpreadsheetML,
// ECMA-376) from rows of cells: text, and exact decimal numbers with an
// optional formula whose computed value is cached, so the file reads right
// before any recalculation. The reports that give a table as a spreadsheet
// (the interim report, the budget, the arvode basis) share it.
package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// The parts of the package: content types and relationships, the workbook
// with one sheet, and the styles the cells use.
const (
	contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`
	rels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`
	workbookRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`
	workbook = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="%s" sheetId="1" r:id="rId1"/></sheets></workbook>`
	// The styles, in the order of Style: format 164 shows kronor in tkr
	// (the trailing comma divides by 1000 for display only); 165 is the same
	// without a minus in its negative section, for an amount between −500
	// and 0 kr that rounds to 0 tkr, so the cell shows 0 instead of "-0";
	// 166 shows two decimals.
	styles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="3"><numFmt numFmtId="164" formatCode="#,##0,;\-#,##0,;0"/><numFmt numFmtId="165" formatCode="#,##0,;#,##0,;0"/><numFmt numFmtId="166" formatCode="#,##0.00"/></numFmts><fonts count="4"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font><font><i/><sz val="9"/><name val="Calibri"/></font><font><b/><sz val="14"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="10"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/><xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/><xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="166" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`
)

// Style is how a cell looks: its font and number format.
type Style int

// The styles a cell can have.
const (
	Plain Style = iota
	// Tkr is an amount in kronor shown in tkr; BoldTkr the same in bold.
	Tkr
	Bold
	BoldTkr
	// Note is small italic text; Title the sheet's bold title.
	Note
	Title
	// NearZeroTkr and NearZeroBoldTkr are Tkr and BoldTkr for an amount
	// between −500 and 0 kr: they show 0, not "-0".
	NearZeroTkr
	NearZeroBoldTkr
	// Decimal2 is a number with two decimals (kronor and öre, hours, km);
	// BoldDecimal2 the same in bold.
	Decimal2
	BoldDecimal2
)

// Cell is one cell of a sheet: a text, or a number with an optional formula.
type Cell struct {
	Text     string
	Number   decimal.Decimal
	IsNumber bool
	// Formula is written without the leading "="; Number is its cached value.
	Formula string
	Style   Style
}

// Text returns a text cell.
func Text(s string, style Style) Cell { return Cell{Text: s, Style: style} }

// Number returns a number cell.
func Number(d decimal.Decimal, style Style) Cell {
	return Cell{Number: d, IsNumber: true, Style: style}
}

// Formula returns a number cell computed by formula f, with its value v.
func Formula(f string, v decimal.Decimal, style Style) Cell {
	return Cell{Number: v, IsNumber: true, Formula: f, Style: style}
}

// Sheet is a workbook's one sheet.
type Sheet struct {
	// Name is the sheet's name; SheetName makes it valid.
	Name string
	// Widths are the widths of the first columns, in characters.
	Widths []float64
	// FreezeRows keeps that many rows at the top when scrolling (0: none).
	FreezeRows int
	Landscape  bool
	// Rows are the rows from row 1; an empty row is a blank line.
	Rows [][]Cell
	// Created dates the package's parts (a zero time: 1980-01-01), so the
	// same sheet gives the same bytes.
	Created time.Time
}

// Column returns the letters of the sheet column with index i (0 is "A").
func Column(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// Write returns the sheet as an XLSX workbook.
func Write(s Sheet) ([]byte, error) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	b.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	if s.FreezeRows > 0 {
		fmt.Fprintf(&b, `<sheetViews><sheetView workbookViewId="0"><pane ySplit="%d" topLeftCell="A%d" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`, s.FreezeRows, s.FreezeRows+1)
	}
	if len(s.Widths) > 0 {
		b.WriteString(`<cols>`)
		for i, w := range s.Widths {
			fmt.Fprintf(&b, `<col min="%d" max="%d" width="%s" customWidth="1"/>`, i+1, i+1, decimal.NewFromFloat(w).String())
		}
		b.WriteString(`</cols>`)
	}
	b.WriteString(`<sheetData>`)
	for r, row := range s.Rows {
		fmt.Fprintf(&b, `<row r="%d">`, r+1)
		for i, c := range row {
			ref := fmt.Sprintf("%s%d", Column(i), r+1)
			switch {
			case c.IsNumber && c.Formula != "":
				fmt.Fprintf(&b, `<c r="%s" s="%d"><f>%s</f><v>%s</v></c>`, ref, c.Style, escape(c.Formula), c.Number.String())
			case c.IsNumber:
				fmt.Fprintf(&b, `<c r="%s" s="%d"><v>%s</v></c>`, ref, c.Style, c.Number.String())
			default:
				fmt.Fprintf(&b, `<c r="%s" s="%d" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>`, ref, c.Style, escape(c.Text))
			}
		}
		b.WriteString(`</row>`)
	}
	orientation := "portrait"
	if s.Landscape {
		orientation = "landscape"
	}
	fmt.Fprintf(&b, `</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><pageSetup paperSize="9" orientation="%s"/></worksheet>`, orientation)

	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	created := s.Created
	if created.IsZero() {
		created = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	parts := []struct{ name, content string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rels},
		{"xl/workbook.xml", fmt.Sprintf(workbook, escape(SheetName(s.Name)))},
		{"xl/_rels/workbook.xml.rels", workbookRels},
		{"xl/styles.xml", styles},
		{"xl/worksheets/sheet1.xml", b.String()},
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

// SheetName makes a title a valid sheet name: at most 31 characters and none
// of : \ / ? * [ ].
func SheetName(s string) string {
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

// escape writes s as XML character data, leaving out the characters XML 1.0
// does not allow.
func escape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s)) // writing to a bytes.Buffer cannot fail
	return b.String()
}
