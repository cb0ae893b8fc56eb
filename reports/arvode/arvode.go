// Package arvode writes the arvode basis of a committee's members for a
// period — per member and justerat meeting the date, time, role, the
// paragraphs they were present for and their attested claims — as CSV and
// XLSX with stable column names, and as a PDF to sign.
package arvode

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/pdf"
	"github.com/region-jh/gns/reports/xlsx"
	"github.com/region-jh/gns/sv"
)

// Basis is the arvode basis of one party's members (or of all members, when
// Party is the zero value) for a period.
type Basis struct {
	Committee domain.Committee
	Party     domain.Party
	From, To  domain.Date
	Lines     []meeting.BasisLine
	// Made is when the basis was made (printed, and the files' date).
	Made time.Time
}

// Columns are the CSV's and the workbook's column names, in order. They are
// stable: programs that read the export rely on them.
var Columns = []string{
	"namnd", "sammantrade_datum", "tid_fran", "tid_till", "ledamot", "parti", "utsedd_av", "roll", "paragrafer",
	"arbetsinkomst_timmar", "resa_km", "resa_fran", "ovriga_kostnader_kr", "ovriga_kostnader_avser", "ej_attesterade",
}

// Rule says what the numbers of the basis are.
const Rule = "Timmar, kilometer och kostnader är summan av de anspråk som sekretariatet har attesterat; " +
	"anspråk som väntar på attest räknas i kolumnen ej attesterade. Varje part betalar sina ledamöters arvoden och ersättningar enligt sina egna regler."

// line is one line of the basis as the exports write it.
type line struct {
	meeting.BasisLine
	hours, km, amount decimal.Decimal
	pending           int
	from, costs       string
}

func lines(b Basis) []line {
	out := make([]line, len(b.Lines))
	for i, l := range b.Lines {
		x := line{BasisLine: l}
		x.hours, x.km, x.amount, x.pending = l.Totals()
		var from, costs []string
		for _, c := range l.Claims {
			if c.Status != meeting.ClaimAttested {
				continue
			}
			switch c.Kind {
			case meeting.ClaimTravel:
				from = append(from, c.From)
			case meeting.ClaimCost:
				costs = append(costs, c.Description)
			}
		}
		x.from, x.costs = strings.Join(from, "; "), strings.Join(costs, "; ")
		out[i] = x
	}
	return out
}

// decimalComma writes d with places decimals and a decimal comma, without
// grouping, as Swedish spreadsheets read it: "3,50".
func decimalComma(d decimal.Decimal, places int32) string {
	return strings.Replace(d.StringFixed(places), ".", ",", 1)
}

// CSV writes the basis as CSV: UTF-8 with a byte order mark, semicolons
// between fields, Columns as the header, numbers with a decimal comma (hours
// and kronor with two decimals, km with one).
func CSV(b Basis) []byte {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	_ = w.Write(Columns) // writing to a bytes.Buffer cannot fail
	for _, l := range lines(b) {
		_ = w.Write([]string{
			b.Committee.Code, l.Meeting.Date.String(), l.Meeting.StartTime, l.Meeting.EndTime, l.Member.Name,
			l.Member.PoliticalParty, l.Member.AppointedByName, string(l.Role), meeting.ParagraphRanges(l.Paragraphs),
			decimalComma(l.hours, 2), decimalComma(l.km, 1), l.from, decimalComma(l.amount, 2), l.costs, strconv.Itoa(l.pending),
		})
	}
	w.Flush()
	return buf.Bytes()
}

// title is the document's title: "Arvodesunderlag 2020-01-01 – 2020-12-31".
func title(b Basis) string {
	return "Arvodesunderlag " + b.From.String() + " – " + b.To.String()
}

// whose names the members the basis covers.
func whose(b Basis) string {
	if b.Party.Name == "" {
		return "Samtliga ledamöter och ersättare"
	}
	return "Ledamöter och ersättare utsedda av " + b.Party.Name
}

// XLSX writes the basis as a workbook of one sheet: a title, the Columns as
// headings, one row per line with the numbers as exact numbers, and a total
// row of SUM formulas.
func XLSX(b Basis) ([]byte, error) {
	head := make([]xlsx.Cell, len(Columns))
	widths := make([]float64, len(Columns))
	for i, c := range Columns {
		head[i], widths[i] = xlsx.Text(c, xlsx.Bold), 14
	}
	widths[4], widths[6], widths[13] = 24, 24, 30
	rows := [][]xlsx.Cell{
		{xlsx.Text(title(b), xlsx.Title)},
		{xlsx.Text(b.Committee.Name+" ("+b.Committee.Code+"). "+whose(b)+". "+Rule, xlsx.Note)},
		nil, head,
	}
	first := len(rows) + 1
	ls := lines(b)
	total := [3]decimal.Decimal{}
	for _, l := range ls {
		rows = append(rows, []xlsx.Cell{
			xlsx.Text(b.Committee.Code, xlsx.Plain), xlsx.Text(l.Meeting.Date.String(), xlsx.Plain),
			xlsx.Text(l.Meeting.StartTime, xlsx.Plain), xlsx.Text(l.Meeting.EndTime, xlsx.Plain),
			xlsx.Text(l.Member.Name, xlsx.Plain), xlsx.Text(l.Member.PoliticalParty, xlsx.Plain),
			xlsx.Text(l.Member.AppointedByName, xlsx.Plain), xlsx.Text(string(l.Role), xlsx.Plain),
			xlsx.Text(meeting.ParagraphRanges(l.Paragraphs), xlsx.Plain),
			xlsx.Number(l.hours, xlsx.Decimal2), xlsx.Number(l.km, xlsx.Decimal2), xlsx.Text(l.from, xlsx.Plain),
			xlsx.Number(l.amount, xlsx.Decimal2), xlsx.Text(l.costs, xlsx.Plain), xlsx.Number(decimal.NewFromInt(int64(l.pending)), xlsx.Plain),
		})
		total[0], total[1], total[2] = total[0].Add(l.hours), total[1].Add(l.km), total[2].Add(l.amount)
	}
	sum := func(col int, v decimal.Decimal) xlsx.Cell {
		if len(ls) == 0 {
			return xlsx.Number(v, xlsx.BoldDecimal2)
		}
		c := xlsx.Column(col)
		return xlsx.Formula("SUM("+c+strconv.Itoa(first)+":"+c+strconv.Itoa(first+len(ls)-1)+")", v, xlsx.BoldDecimal2)
	}
	rows = append(rows, []xlsx.Cell{
		xlsx.Text("Summa", xlsx.Bold), {}, {}, {}, {}, {}, {}, {}, {},
		sum(9, total[0]), sum(10, total[1]), {}, sum(12, total[2]),
	})
	return xlsx.Write(xlsx.Sheet{Name: "Arvodesunderlag", Widths: widths, FreezeRows: 4, Landscape: true, Rows: rows, Created: b.Made})
}

// PDF writes the basis as a document to sign: who and which period, one
// table row per member and meeting, the totals, and lines for the
// signatures of the one who certifies the basis and the one who attests the
// payment.
func PDF(b Basis) ([]byte, error) {
	t := title(b)
	d := pdf.New(pdf.Options{Title: t, Subject: whose(b), Author: b.Committee.Name, Creator: "GNS", Created: b.Made,
		Header: b.Committee.Name, Footer: orAll(b.Party.Name)})
	d.Title(t)
	d.KeyValues(
		pdf.KeyValue{Label: "Nämnd", Value: b.Committee.Name + " (" + b.Committee.Code + ")"},
		pdf.KeyValue{Label: "Part", Value: orAll(b.Party.Name)},
		pdf.KeyValue{Label: "Period", Value: b.From.String() + " – " + b.To.String()},
		pdf.KeyValue{Label: "Utskrivet", Value: sv.DateTime(b.Made)},
	)
	d.Paragraph(whose(b) + ", närvarande vid sammanträden med justerat protokoll. " + Rule)
	if len(b.Lines) == 0 {
		d.Paragraph("Inga ledamöter eller ersättare var närvarande vid ett justerat sammanträde under perioden.")
	} else {
		tbl := pdf.Table{Columns: []pdf.Column{
			{Title: "Sammanträde", Width: 2.4}, {Title: "Ledamot", Width: 3}, {Title: "Roll", Width: 3.2},
			{Title: "Närvaro", Width: 2}, {Title: "Arbetsinkomst", Width: 2.2, Align: pdf.AlignRight},
			{Title: "Resa", Width: 2.6, Align: pdf.AlignRight}, {Title: "Övriga kostnader", Width: 2.6, Align: pdf.AlignRight},
		}}
		var hours, km, amount decimal.Decimal
		pending := 0
		for _, l := range lines(b) {
			trip := ""
			if !l.km.IsZero() {
				trip = sv.Exact(l.km, 0) + " km från " + l.from
			}
			cost := ""
			if !l.amount.IsZero() {
				cost = sv.Kronor(l.amount) + " (" + l.costs + ")"
			}
			tbl.Rows = append(tbl.Rows, pdf.Row{Cells: []string{
				l.Meeting.Date.String() + " " + l.Meeting.StartTime + "–" + l.Meeting.EndTime, l.Member.DisplayName(), l.Role.Label(),
				meeting.ParagraphRanges(l.Paragraphs), hoursText(l.hours), trip, cost,
			}})
			hours, km, amount, pending = hours.Add(l.hours), km.Add(l.km), amount.Add(l.amount), pending+l.pending
		}
		tbl.Total = []string{"Summa", "", "", "", hoursText(hours), sv.Exact(km, 0) + " km", sv.Kronor(amount)}
		if pending > 0 {
			tbl.Note = sv.Count(pending, "anspråk väntar", "anspråk väntar") + " på attest och ingår inte i summorna."
		}
		d.Table(tbl)
	}
	d.Heading(1, "Underskrifter")
	d.Paragraph("Underlaget intygas av nämndens sekretariat:")
	d.Paragraph("Datum: ____________________   Underskrift: ________________________________________")
	d.Paragraph("Namnförtydligande: ________________________________________")
	d.Paragraph("Attesteras för utbetalning av " + orAll(b.Party.Name) + ":")
	d.Paragraph("Datum: ____________________   Underskrift: ________________________________________")
	d.Paragraph("Namnförtydligande: ________________________________________")
	return d.Bytes()
}

// hoursText writes hours as "3,5 tim", or "" for none.
func hoursText(h decimal.Decimal) string {
	if h.IsZero() {
		return ""
	}
	return sv.Exact(h, 0) + " tim"
}

func orAll(name string) string {
	if name == "" {
		return "Samtliga parter"
	}
	return name
}
