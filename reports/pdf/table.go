package pdf

// Align is the horizontal alignment of a table column.
type Align int

const (
	// AlignLeft sets text flush left, for names and descriptions.
	AlignLeft Align = iota
	// AlignRight sets text flush right, for amounts.
	AlignRight
	// AlignCenter centres text, for short codes and dates.
	AlignCenter
)

func (a Align) gofpdf() string {
	switch a {
	case AlignRight:
		return "R"
	case AlignCenter:
		return "C"
	}
	return "L"
}

// Column describes one table column.
type Column struct {
	// Title is printed in the header row, which is repeated at the top of
	// every page the table continues on.
	Title string
	// Width is the column's share of the text width, relative to the other
	// columns (e.g. 3, 1, 1 gives the first column 60 %); 0 counts as 1.
	Width float64
	// Align applies to the header and every cell of the column.
	Align Align
}

// Row is one table row; it has one cell per column.
type Row struct {
	Cells []string
	// Bold marks a subtotal such as "Summa intäkter": set in bold with a
	// rule above.
	Bold bool
}

// Table is a table of text. Amounts arrive as formatted strings (the caller
// owns rounding and Swedish number format); cells wrap within their column.
type Table struct {
	Columns []Column
	Rows    []Row
	// Total, when not nil, is a last row set in bold between strong rules,
	// such as "Summa verksamhetens nettokostnader" or an invoice total.
	Total []string
	// Note, when not empty, is a small remark kept under the table, such as
	// "Avrundningsdifferenser kan förekomma."
	Note string
}

// Table layout in millimetres and points.
const (
	tableSize    = 9.0
	tableLead    = 4.2
	tablePadX    = 1.5
	tablePadY    = 1.0
	tableMinRows = 2 // body rows kept with the header at the table's start
)

// Table adds a table. Every row and the total must have one cell per column.
func (d *Document) Table(t Table) {
	if len(t.Columns) == 0 {
		d.fail("table without columns")
		return
	}
	cols := append([]Column(nil), t.Columns...)
	sum := 0.0
	for i := range cols {
		if cols[i].Width < 0 {
			d.fail("table column %d: negative width", i+1)
			return
		}
		if cols[i].Width == 0 {
			cols[i].Width = 1
		}
		sum += cols[i].Width
		cols[i].Title = d.clean(cols[i].Title, false)
	}
	for i := range cols {
		cols[i].Width = textWidth * cols[i].Width / sum
	}
	rows := make([]Row, 0, len(t.Rows)+1)
	for i, row := range t.Rows {
		if len(row.Cells) != len(cols) {
			d.fail("table row %d has %d cells for %d columns", i+1, len(row.Cells), len(cols))
			return
		}
		rows = append(rows, Row{Cells: d.cleanCells(row.Cells), Bold: row.Bold})
	}
	var total []string
	if t.Total != nil {
		if len(t.Total) != len(cols) {
			d.fail("table total has %d cells for %d columns", len(t.Total), len(cols))
			return
		}
		total = d.cleanCells(t.Total)
	}
	note := d.clean(t.Note, false)
	d.add(func(r *renderer) { r.table(cols, rows, total, note) })
}

func (d *Document) cleanCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = d.clean(c, false)
	}
	return out
}

// tableRow is a row wrapped into lines per cell.
type tableRow struct {
	cells [][]string
	style fontStyle
}

func (t tableRow) height() float64 {
	n := 1
	for _, c := range t.cells {
		n = max(n, len(c))
	}
	return float64(n)*tableLead + 2*tablePadY
}

func (r *renderer) tableRow(cols []Column, cells []string, style fontStyle) tableRow {
	r.font(style, tableSize, colText)
	row := tableRow{cells: make([][]string, len(cols)), style: style}
	for i, c := range cells {
		row.cells[i] = r.wrap(c, cols[i].Width-2*tablePadX)
	}
	return row
}

func (r *renderer) table(cols []Column, rows []Row, total []string, note string) {
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.Title
	}
	head := r.tableRow(cols, titles, bold)
	body := make([]tableRow, len(rows))
	for i, row := range rows {
		style := regular
		if row.Bold {
			style = bold
		}
		body[i] = r.tableRow(cols, row.Cells, style)
	}
	// tail is what must stay with the last body row: the total and the note.
	var t tableRow
	tail := 0.0
	if total != nil {
		t = r.tableRow(cols, total, bold)
		tail += t.height()
	}
	if note != "" {
		r.font(noteText.style, noteText.size, noteText.colour)
		tail += float64(len(r.wrap(note, textWidth)))*noteText.lead + 1
	}
	// Keep the header with the first rows (and a short table whole).
	need := head.height()
	for _, b := range body[:min(len(body), tableMinRows)] {
		need += b.height()
	}
	if len(body) <= tableMinRows {
		need += tail
	}
	r.ensure(need)
	r.tableHeader(cols, head)
	for i, b := range body {
		need := b.height()
		if i == len(body)-1 {
			need += tail
		}
		if r.ensure(need) {
			r.tableHeader(cols, head)
		}
		if rows[i].Bold {
			r.rule(r.f.GetY(), 0.3, colText)
		}
		r.drawRow(cols, b, false)
		r.rule(r.f.GetY(), 0.1, colRule)
	}
	if total != nil {
		if r.ensure(tail) {
			r.tableHeader(cols, head)
		}
		r.rule(r.f.GetY(), 0.5, colText)
		r.drawRow(cols, t, false)
		r.rule(r.f.GetY(), 0.5, colText)
	}
	if note != "" {
		r.space(1)
		r.text(noteText, note)
	}
	r.f.SetX(marginLeft)
	r.space(paraGapMM + 1)
}

// tableHeader prints the shaded header row and the rule under it.
func (r *renderer) tableHeader(cols []Column, head tableRow) {
	r.drawRow(cols, head, true)
	r.rule(r.f.GetY(), 0.4, colAccent)
}

// drawRow prints a wrapped row at the current position and moves below it;
// the header row is shaded.
func (r *renderer) drawRow(cols []Column, row tableRow, header bool) {
	y := r.f.GetY()
	h := row.height()
	if header {
		r.fillColor(colHeadRow)
		r.f.Rect(marginLeft, y, textWidth, h, "F")
	}
	r.font(row.style, tableSize, colText)
	x := marginLeft
	for i, col := range cols {
		for j, line := range row.cells[i] {
			r.f.SetXY(x+tablePadX, y+tablePadY+float64(j)*tableLead)
			r.f.CellFormat(col.Width-2*tablePadX, tableLead, line, "", 0, col.Align.gofpdf(), false, 0, "")
		}
		x += col.Width
	}
	r.f.SetXY(marginLeft, y+h)
}
