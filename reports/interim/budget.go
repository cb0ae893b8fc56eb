package interim

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/allocation"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/pdf"
	"github.com/region-jh/gns/sv"
)

// BudgetReport is everything the budget PDF for a year shows.
type BudgetReport struct {
	Committee string
	Host      string
	// Rows are the committee's report rows in order; Budget the version
	// printed and Previous, when there is one, last year's budget for
	// comparison.
	Rows     []finance.ReportRow
	Budget   finance.Budget
	Previous *finance.Budget
	// Base is the split of the base funding between the parties: the
	// saved base-funding allocation of the year, or an equal split the
	// caller computed with the allocation engine and did not save (then
	// Base.ID is 0). The report only lays the shares out.
	Base finance.Allocation
	// Projects are the year's decided project allocations.
	Projects []finance.Allocation
	// Indexation is the year's uppräkning decision in force (its rule,
	// index, decision and amounts), when there is one.
	Indexation *finance.Indexation
	Created    time.Time
}

// BuildBudgetPDF lays out the budget for a year: the budget per row in tkr
// (with last year's budget when there is one), the base funding and each
// party's share, every decided project with its key, and the payment plan
// of the base funding.
func BuildBudgetPDF(r BudgetReport) ([]byte, error) {
	b := r.Budget
	title := fmt.Sprintf("Budget %d", b.Year)
	d := pdf.New(pdf.Options{Title: title, Subject: title + " – " + r.Committee, Author: r.Committee, Creator: "GNS",
		Created: r.Created, Header: r.Committee, Footer: r.Host})
	d.Title(title)
	d.Paragraph(r.Committee)
	facts := []pdf.KeyValue{{Label: "Version", Value: fmt.Sprintf("%d, sparad %s av %s", b.Version, sv.DateTime(b.CreatedAt), b.CreatedBy)}}
	if b.Decision != "" {
		facts = append(facts, pdf.KeyValue{Label: "Beslut", Value: b.Decision})
	}
	d.KeyValues(facts...)
	if b.Note != "" {
		d.Paragraph(b.Note)
	}
	d.TableOfContents()

	d.Heading(1, "Budget per rad")
	annual := map[int64]decimal.Decimal{}
	for _, l := range b.Lines {
		annual[l.RowID] = l.Annual
	}
	previous := map[int64]decimal.Decimal{}
	cols := []pdf.Column{{Title: RowHeading, Width: 3.2}, {Title: fmt.Sprintf("Budget %d", b.Year), Width: 1.2, Align: pdf.AlignRight}}
	if r.Previous != nil {
		for _, l := range r.Previous.Lines {
			previous[l.RowID] = l.Annual
		}
		cols = append(cols, pdf.Column{Title: fmt.Sprintf("Budget %d", r.Previous.Year), Width: 1.2, Align: pdf.AlignRight},
			pdf.Column{Title: "Förändring", Width: 1.2, Align: pdf.AlignRight})
	}
	t := finance.BuildInterimTable(finance.Period{Year: b.Year, Month: time.December}, r.Rows, annual, nil, previous)
	tab := pdf.Table{Columns: cols, Note: RoundingNote}
	for _, l := range t.Lines {
		cells := []string{l.Name, sv.Tkr(l.Actual)}
		if r.Previous != nil {
			cells = append(cells, sv.Tkr(l.Prior), sv.Tkr(l.Change()))
		}
		if l.Total && l.TotalOf == finance.RowAll {
			tab.Total = cells
			continue
		}
		tab.Rows = append(tab.Rows, pdf.Row{Cells: cells, Bold: l.Total})
	}
	d.Table(tab)

	d.Heading(1, "Basfinansiering")
	base := r.Base
	n := len(base.Shares)
	d.Paragraph(fmt.Sprintf("Basfinansieringen för %d är %s, som delas lika mellan nämndens %d parter.", b.Year, sv.Kronor(b.BaseFunding), n))
	if x := r.Indexation; x != nil {
		d.Paragraph(x.RuleText() + ", enligt beslut " + x.Decision + ".")
	}
	if base.ID != 0 {
		src := fmt.Sprintf("Andelarna är fördelning %d, %s", base.ID, base.Title)
		if base.Decision != "" {
			src += ", beslut " + base.Decision
		}
		d.Note(src + ".")
	} else {
		d.Note("Andelarna är beräknade i lika delar; ingen fördelning av basfinansieringen är sparad för året.")
	}
	d.Table(sharesTable(base, "Andel"))

	d.Heading(1, "Projekt")
	if len(r.Projects) == 0 {
		d.Note(fmt.Sprintf("Inga beslutade projektfördelningar för %d.", b.Year))
	}
	for _, p := range r.Projects {
		d.Heading(2, p.Title)
		key := keyText(p)
		if p.Decision != "" {
			key += " Beslut " + p.Decision + "."
		}
		d.Paragraph(fmt.Sprintf("%s fördelas: %s", sv.Kronor(p.Total), key))
		d.Table(sharesTable(p, "Belopp"))
	}

	d.Heading(1, "Betalningsplan")
	months := b.PaymentMonths
	if len(months) == 0 {
		months = []time.Month{time.January}
	}
	names := make([]string, len(months))
	for i, m := range months {
		names[i] = MonthYear(finance.Period{Year: b.Year, Month: m})
	}
	d.Paragraph(fmt.Sprintf("Basfinansieringen faktureras i förskott i %s.", strings.Join(names, " och ")))
	plan := pdf.Table{Columns: []pdf.Column{{Title: "Part", Width: 2.5}}}
	for _, name := range names {
		plan.Columns = append(plan.Columns, pdf.Column{Title: name, Width: 1.3, Align: pdf.AlignRight})
	}
	plan.Columns = append(plan.Columns, pdf.Column{Title: "Summa", Width: 1.3, Align: pdf.AlignRight})
	sums := make([]decimal.Decimal, len(months))
	for _, s := range base.Shares {
		cells := []string{s.PartyName}
		for i, part := range Instalments(s.Amount, len(months)) {
			cells = append(cells, sv.Amount(part))
			sums[i] = sums[i].Add(part)
		}
		plan.Rows = append(plan.Rows, pdf.Row{Cells: append(cells, sv.Amount(s.Amount))})
	}
	total := []string{"Summa"}
	for _, s := range sums {
		total = append(total, sv.Amount(s))
	}
	plan.Total = append(total, sv.Amount(base.Sum()))
	d.Table(plan)
	return d.Bytes()
}

// Instalments splits an amount into n payments in öre: equal parts rounded
// down, the last taking what is left, so they sum exactly.
func Instalments(amount decimal.Decimal, n int) []decimal.Decimal {
	if n <= 1 {
		return []decimal.Decimal{amount}
	}
	part := amount.Div(decimal.NewFromInt(int64(n))).RoundDown(2)
	out := make([]decimal.Decimal, n)
	rest := amount
	for i := range n - 1 {
		out[i] = part
		rest = rest.Sub(part)
	}
	out[n-1] = rest
	return out
}

// sharesTable is an allocation's shares with the basis of each.
func sharesTable(a finance.Allocation, amountTitle string) pdf.Table {
	t := pdf.Table{Columns: []pdf.Column{{Title: "Part", Width: 2.6}, {Title: "Underlag", Width: 2.6}, {Title: amountTitle, Width: 1.4, Align: pdf.AlignRight}}}
	for _, s := range a.Shares {
		t.Rows = append(t.Rows, pdf.Row{Cells: []string{s.PartyName, basis(a, s), sv.Kronor(s.Amount)}})
	}
	t.Total = []string{"Summa", "", sv.Kronor(a.Sum())}
	return t
}

// keyText describes an allocation's key in a sentence.
func keyText(a finance.Allocation) string {
	switch a.Method {
	case string(allocation.MethodEqual):
		return fmt.Sprintf("i lika delar mellan %d parter.", len(a.Shares))
	case string(allocation.MethodPopulation):
		s := "efter invånarantal"
		if !a.ReferenceDate.IsZero() {
			s += " per " + a.ReferenceDate.String()
		}
		if a.HostShare.Valid {
			s += fmt.Sprintf(", värdparten %s och övriga parter efter invånarantal", sv.Percent(a.HostShare.Decimal, 2))
		}
		return s + "."
	case string(allocation.MethodPercent):
		if finance.Renormalised(a.Method, a.Shares) {
			return "enligt fast fördelningsnyckel i procent, omräknad över de deltagande parterna (deras procentsatser summerar till " + sv.ExactPercent(finance.KeySum(a.Shares)) + ")."
		}
		return "enligt fast fördelningsnyckel i procent."
	case string(allocation.MethodMixed):
		return "med blandad nyckel, varje del för sig: " + partsText(a) + "."
	case string(allocation.MethodDirect):
		return "direkt till en part."
	}
	return a.Method + "."
}

// partsText lists a mixed key's parts: "50 % (117 045,50 kr) i lika delar
// mellan 7 parter, 50 % (117 045,50 kr) efter invånarantal".
func partsText(a finance.Allocation) string {
	parts := make([]string, len(a.Parts))
	for k, p := range a.Parts {
		part := finance.Allocation{Method: p.Method, HostShare: p.HostShare, Shares: p.Shares}
		parts[k] = fmt.Sprintf("%s (%s) %s", sv.ExactPercent(p.Percent), sv.Kronor(p.Total), strings.TrimSuffix(keyText(part), "."))
	}
	return strings.Join(parts, ", ")
}

// basis is the ground of one share: its weight as a share of the whole.
func basis(a finance.Allocation, s finance.AllocationShare) string {
	if key := finance.KeyBasis(a, s); key != "" {
		return key
	}
	switch allocation.WeightKind(s.WeightKind) {
	case allocation.WeightEqual:
		return fmt.Sprintf("lika delar, 1/%d", len(a.Shares))
	case allocation.WeightPopulation:
		return fmt.Sprintf("%s invånare per %s", sv.Integer(s.Population), s.PopulationDate)
	case allocation.WeightHostShare:
		return "värdpart, fast andel " + sv.Percent(s.Weight, 2)
	case allocation.WeightPercent:
		return "nyckel " + sv.Percent(s.Weight, 2)
	case allocation.WeightDirect:
		return "direkt 100 %"
	}
	return s.WeightKind
}
