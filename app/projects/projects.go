// Package projects holds the use cases of projects (samverkansprojekt): their
// budget against actual per year and row, and the settlement of a year by
// months of participation through the committee's invoicing. It is a
// package of its own so that the demo can settle its project.
package projects

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/allocation"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/interim"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
)

// ProjectYear is a project's figures for one year: the budget and the
// actual outcome on its cost objects per report row (report signs: revenue
// positive, costs negative), with the totals.
type ProjectYear struct {
	Year int
	Rows []ProjectRow
	// Budget and Actual are the net of the rows (revenue less costs).
	Budget decimal.Decimal
	Actual decimal.Decimal
	// Through is the last month of the year with outcome in force (zero
	// when none).
	Through finance.Period
}

// ProjectRow is one report row of a project's year.
type ProjectRow struct {
	RowID  int64
	Name   string
	Kind   finance.RowKind
	Budget decimal.Decimal
	Actual decimal.Decimal
}

// Deviation is actual less budget: positive is favourable.
func (r ProjectRow) Deviation() decimal.Decimal { return r.Actual.Sub(r.Budget) }

// Deviation is the year's actual less budget.
func (y ProjectYear) Deviation() decimal.Decimal { return y.Actual.Sub(y.Budget) }

// ProjectYears returns a project's budget against actual for every year it
// has a budget, outcome or participants, by the committee's report rows and
// account mapping, up to and including the month through (the whole year
// when through is zero). Accounts on the project's objects without a row are
// reported as an error naming them.
func ProjectYears(ctx context.Context, conn *store.Conn, p finance.Project, through finance.Period) ([]ProjectYear, error) {
	rows, err := conn.ReportRows(ctx, p.CommitteeID)
	if err != nil {
		return nil, err
	}
	mapping, err := conn.AccountMapping(ctx, p.CommitteeID)
	if err != nil {
		return nil, err
	}
	budget, err := conn.ProjectBudget(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	last := finance.Period{Year: domain.MaxYear, Month: 12}
	if !through.IsZero() {
		last = through
	}
	actuals, err := conn.ProjectActuals(ctx, p.ID, finance.Period{Year: domain.MinYear, Month: 1}, last)
	if err != nil {
		return nil, err
	}
	years := map[int]*ProjectYear{}
	year := func(y int) *ProjectYear {
		if years[y] == nil {
			years[y] = &ProjectYear{Year: y}
		}
		return years[y]
	}
	type key struct {
		year int
		row  int64
	}
	budgets, outcome := map[key]decimal.Decimal{}, map[key]decimal.Decimal{}
	for _, l := range budget {
		if through.IsZero() || l.Year <= through.Year {
			year(l.Year)
			budgets[key{l.Year, l.RowID}] = l.Amount
		}
	}
	var unmapped []string
	for _, a := range actuals {
		row, n := mapping.RowOf(a.Account)
		if n != 1 {
			unmapped = append(unmapped, a.Account)
			continue
		}
		y := year(a.Period.Year)
		if y.Through.Before(a.Period) {
			y.Through = a.Period
		}
		k := key{a.Period.Year, row}
		outcome[k] = outcome[k].Sub(a.Amount) // ledger signs to report signs
	}
	if len(unmapped) > 0 {
		return nil, errUnmapped(unmapped)
	}
	var out []ProjectYear
	for y := domain.MinYear; y <= domain.MaxYear; y++ {
		py := years[y]
		if py == nil {
			continue
		}
		for _, r := range rows {
			if r.Kind == finance.RowTotal {
				continue
			}
			k := key{y, r.ID}
			b, a := budgets[k], outcome[k]
			if b.IsZero() && a.IsZero() {
				continue
			}
			py.Rows = append(py.Rows, ProjectRow{RowID: r.ID, Name: r.Name, Kind: r.Kind, Budget: b, Actual: a})
			py.Budget, py.Actual = py.Budget.Add(b), py.Actual.Add(a)
		}
		out = append(out, *py)
	}
	return out, nil
}

// SettlementPlan is a settlement worked out but not saved, with what the
// economist should know before confirming it.
type SettlementPlan struct {
	finance.Settlement
	// Missing names the months of the settlement without outcome in force
	// in the ledger ("september–december"); empty when all are there.
	Missing string
}

// Fingerprint identifies the plan's figures, so a confirmation made on a
// preview is refused if the figures changed since.
func (p SettlementPlan) Fingerprint() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d/%d/%d-%d/%s/%s", p.ProjectID, p.Year, p.FromMonth, p.ToMonth, p.Cost.StringFixed(2), p.External.StringFixed(2))
	for _, s := range p.Shares {
		fmt.Fprintf(&b, ";%d:%s:%s", s.PartyID, s.Share.StringFixed(2), s.Advance.StringFixed(2))
	}
	return b.String()
}

// PlanSettlement works out the settlement of a project's year: its actual
// cost on the cost objects (the mapping's cost rows; revenue booked on the
// objects, such as the parties' payments, is left out) less the external
// grants granted for the year, split by the key over the months each party
// took part (finance.ParticipationStretches, allocation.AllocateOverStretches),
// and each party's difference against what the project's allocations of
// the year have invoiced it. A year is settled from January to December, or
// to the month the project closed when it closed that year; a year not yet
// over is refused unless the project closed in it.
func PlanSettlement(ctx context.Context, conn *store.Conn, p finance.Project, year int) (SettlementPlan, error) {
	s := finance.Settlement{ProjectID: p.ID, Year: year, FromMonth: time.January, ToMonth: time.December, Kind: finance.SettlementYear}
	today := domain.DateOf(conn.Now().In(sv.Location()))
	switch {
	case year < domain.MinYear || year > domain.MaxYear:
		return SettlementPlan{}, domain.FieldErrorf("year", "Ange året med fyra siffror, t.ex. 2020.")
	case !p.ClosedOn.IsZero() && p.ClosedOn.Year == year:
		s.Kind, s.ToMonth = finance.SettlementClose, p.ClosedOn.Month
	case !p.ClosedOn.IsZero() && p.ClosedOn.Year < year:
		return SettlementPlan{}, domain.FieldErrorf("year", "Projektet avslutades %s; det finns inget %d att avräkna.", p.ClosedOn, year)
	case today.Year <= year:
		return SettlementPlan{}, domain.FieldErrorf("year", "År %d är inte slut. Ett år avräknas efter årets slut, eller när projektet avslutas.", year)
	}
	stretches := finance.ParticipationStretches(p.Participants, year, s.FromMonth, s.ToMonth)
	if len(stretches) == 0 {
		return SettlementPlan{}, domain.Errorf(domain.EINVALID, "Ingen part deltog i projektet under %s: det finns ingen att fördela kostnaden på.", s.Period())
	}
	s.FromMonth, s.ToMonth = stretches[0].From, stretches[len(stretches)-1].To
	from, to := finance.Period{Year: year, Month: s.FromMonth}, finance.Period{Year: year, Month: s.ToMonth}
	cost, err := projectCost(ctx, conn, p, from, to)
	if err != nil {
		return SettlementPlan{}, err
	}
	funding, err := conn.ProjectFunding(ctx, p.ID)
	if err != nil {
		return SettlementPlan{}, err
	}
	s.Cost, s.External = cost, decimal.Zero
	for _, f := range funding {
		if f.Year == year && f.Kind == finance.FundingGrant && f.Status == finance.FundingGranted {
			s.External = s.External.Add(f.Amount)
		}
	}
	s.Net = s.Cost.Sub(s.External)
	spec := projectSpec(p)
	spec.Total = s.Net
	byID := map[int64]finance.Participant{}
	for _, pt := range p.Participants {
		byID[pt.PartyID] = pt
	}
	parties := map[int64]allocation.Party{}
	for _, pt := range p.Participants {
		if _, ok := parties[pt.PartyID]; ok {
			continue
		}
		ap := allocation.Party{ID: strconv.FormatInt(pt.PartyID, 10), Name: pt.PartyName, Host: pt.Host, Order: pt.Order}
		if pt.KeyPercent.Valid {
			k := pt.KeyPercent.Decimal
			ap.Percent = &k
		}
		parties[pt.PartyID] = ap
	}
	if err := withPopulations(ctx, conn, p, parties); err != nil {
		return SettlementPlan{}, err
	}
	months := map[int64]int{}
	var st []allocation.Stretch
	for _, x := range stretches {
		var ps []allocation.Party
		for _, id := range x.PartyIDs {
			ps = append(ps, parties[id])
			months[id] += x.Months()
		}
		st = append(st, allocation.Stretch{Months: x.Months(), Parties: ps})
		s.Months += x.Months()
	}
	res, err := allocation.AllocateOverStretches(spec, st)
	if err != nil {
		var fe *allocation.FieldError
		if errors.As(err, &fe) {
			return SettlementPlan{}, domain.Errorf(domain.EINVALID, "Kostnaden kan inte fördelas med projektets nyckel: %s.", fe.Error())
		}
		return SettlementPlan{}, fmt.Errorf("settle project %d: %w", p.ID, err)
	}
	advances, err := conn.ProjectInvoiced(ctx, p.ID, year)
	if err != nil {
		return SettlementPlan{}, err
	}
	for _, sh := range res.Shares {
		id, _ := strconv.ParseInt(sh.PartyID, 10, 64)
		adv := advances[id]
		delete(advances, id)
		s.Shares = append(s.Shares, finance.SettlementShare{PartyID: id, PartyName: sh.Name, Host: sh.Host, Months: months[id], Weight: sh.Weight,
			Quota: sh.Quota, Share: sh.Amount, Advance: adv, Difference: sh.Amount.Sub(adv), Residue: sh.Residue})
	}
	for id, adv := range advances { // invoiced in advance but took no part in the period
		if adv.IsZero() {
			continue
		}
		s.Shares = append(s.Shares, finance.SettlementShare{PartyID: id, PartyName: byID[id].PartyName, Host: byID[id].Host, Weight: decimal.Zero,
			Quota: decimal.Zero, Share: decimal.Zero, Advance: adv, Difference: adv.Neg()})
	}
	plan := SettlementPlan{Settlement: s}
	covered, err := conn.CoveredPeriods(ctx, p.CommitteeID, from, to)
	if err != nil {
		return SettlementPlan{}, err
	}
	plan.Missing = missingMonths(from, to, covered)
	return plan, nil
}

// projectCost sums the outcome on the project's objects on the mapping's
// cost rows over from..to, costs positive.
func projectCost(ctx context.Context, conn *store.Conn, p finance.Project, from, to finance.Period) (decimal.Decimal, error) {
	actuals, err := conn.ProjectActuals(ctx, p.ID, from, to)
	if err != nil {
		return decimal.Zero, err
	}
	rows, err := conn.ReportRows(ctx, p.CommitteeID)
	if err != nil {
		return decimal.Zero, err
	}
	mapping, err := conn.AccountMapping(ctx, p.CommitteeID)
	if err != nil {
		return decimal.Zero, err
	}
	kind := map[int64]finance.RowKind{}
	for _, r := range rows {
		kind[r.ID] = r.Kind
	}
	cost := decimal.Zero
	var unmapped []string
	for _, a := range actuals {
		row, n := mapping.RowOf(a.Account)
		switch {
		case n != 1:
			unmapped = append(unmapped, a.Account)
		case kind[row] == finance.RowCost:
			cost = cost.Add(a.Amount)
		}
	}
	if len(unmapped) > 0 {
		return decimal.Zero, errUnmapped(unmapped)
	}
	return cost, nil
}

// errUnmapped names the accounts on a project's objects without a row.
func errUnmapped(accounts []string) error {
	return domain.Errorf(domain.ECONFLICT, "Konto %s på projektets kostnadsobjekt saknar rad i kontoplanen. Lägg till kontot under Ekonomi → Kontoplan.", strings.Join(accounts, ", "))
}

// projectSpec is the allocation spec of a project's key, without parties.
func projectSpec(p finance.Project) allocation.Spec {
	spec := allocation.Spec{Method: allocation.Method(p.Method), Unit: allocation.UnitOre}
	if p.HostShare.Valid {
		h := p.HostShare.Decimal
		spec.HostShare = &h
	}
	return spec
}

// withPopulations gives the parties their population at the project's
// reference date under a population key; a party without a figure is
// refused by name.
func withPopulations(ctx context.Context, conn *store.Conn, p finance.Project, parties map[int64]allocation.Party) error {
	if p.Method != finance.ProjectPopulation {
		return nil
	}
	cm, err := conn.CommitteeByID(ctx, p.CommitteeID)
	if err != nil {
		return err
	}
	table, err := conn.PopulationTable(ctx, cm, p.PopulationDate)
	if err != nil {
		return err
	}
	have := map[int64]domain.PopulationRow{}
	for _, r := range table.Rows {
		have[r.Party.ID] = r
	}
	for id, ap := range parties {
		r, ok := have[id]
		if ap.Host && p.HostShare.Valid {
			continue
		}
		if !ok || r.Figure == nil {
			return domain.Errorf(domain.EINVALID, "%s saknar invånarantal per %s. Registrera det under Parter innan projektet avräknas.", ap.Name, p.PopulationDate)
		}
		n := r.Figure.Inhabitants
		ap.Population, ap.PopulationDate, ap.PopulationSource = &n, p.PopulationDate.String(), r.Figure.Source
		parties[id] = ap
	}
	return nil
}

// missingMonths names the months from..to that are not covered, as
// "september–december" or "mars, maj"; empty when all are.
func missingMonths(from, to finance.Period, covered []finance.Period) string {
	have := map[finance.Period]bool{}
	for _, p := range covered {
		have[p] = true
	}
	var parts []string
	for p := from; !to.Before(p); {
		if have[p] {
			p = p.Next()
			continue
		}
		first := p
		for !to.Before(p.Next()) && !have[p.Next()] {
			p = p.Next()
		}
		part := sv.MonthName(first.Month)
		if p != first {
			part += "–" + sv.MonthName(p.Month)
		}
		parts = append(parts, part)
		p = p.Next()
	}
	return strings.Join(parts, ", ")
}

// Decision is what a settlement is made by: a paragraph of the committee's
// minutes (ParagraphID), or the name of a decision older than the system
// (Text, e.g. "GNS § 20/2020").
type Decision struct {
	Text        string
	ParagraphID int64
}

// ConfirmSettlement settles a project's year (Settle) in one transaction,
// by the decision named in decision.
func ConfirmSettlement(ctx context.Context, db *store.DB, projectID int64, year int, decision string, issue domain.Date, fingerprint string) (finance.Settlement, error) {
	var out finance.Settlement
	err := db.InTx(ctx, func(tx *store.Conn) error {
		var err error
		out, err = Settle(ctx, tx, projectID, year, Decision{Text: decision}, issue, fingerprint)
		return err
	})
	return out, err
}

// Settle settles a project's year as PlanSettlement works it out, inside
// the transaction of tx: the settlement is saved, the parties' differences
// become allocations of the project's costs tied to the decision (one for
// the parties that pay more, one for those that get money back), and each is
// issued through the committee's invoicing on issue: invoices for the
// positive differences, credit notes for the negative, an internal transfer
// for the host, each line naming the project, the period and the decision.
// fingerprint, when given, must match the plan the economist confirmed.
func Settle(ctx context.Context, tx *store.Conn, projectID int64, year int, d Decision, issue domain.Date, fingerprint string) (finance.Settlement, error) {
	decision := strings.TrimSpace(d.Text)
	if d.ParagraphID != 0 {
		p, err := tx.ParagraphByID(ctx, d.ParagraphID)
		if err != nil {
			return finance.Settlement{}, domain.FieldErrorf("decision", "Paragrafen finns inte i nämndens protokoll.")
		}
		cm, err := tx.CommitteeByID(ctx, p.CommitteeID)
		if err != nil {
			return finance.Settlement{}, err
		}
		decision = cm.Code + " " + p.Ref()
	}
	if decision == "" {
		return finance.Settlement{}, domain.FieldErrorf("decision", "Ange beslutet som avräkningen görs enligt, t.ex. ”GNS § 20/2020”.")
	}
	if err := domain.CheckLine("decision", "Beslutet", decision, 100); err != nil {
		return finance.Settlement{}, err
	}
	if issue.IsZero() {
		return finance.Settlement{}, domain.FieldErrorf("issue_date", "Ange fakturadatum.")
	}
	p, err := tx.ProjectByID(ctx, projectID)
	if err != nil {
		return finance.Settlement{}, err
	}
	plan, err := PlanSettlement(ctx, tx, p, year)
	if err != nil {
		return finance.Settlement{}, err
	}
	if fingerprint != "" && fingerprint != plan.Fingerprint() {
		return finance.Settlement{}, domain.Errorf(domain.ECONFLICT, "Underlaget har ändrats sedan förhandsgranskningen (utfall, bidrag, deltagare eller förskott). Granska avräkningen igen.")
	}
	s := plan.Settlement
	s.Decision = decision
	for _, positive := range []bool{true, false} {
		a := finance.Allocation{CommitteeID: p.CommitteeID, Kind: finance.AllocationProject, Title: s.Title(p.Name), Method: p.Method,
			Unit: string(allocation.UnitOre), BudgetYear: year, CaseID: p.CaseID, Decision: decision, ParagraphID: d.ParagraphID,
			HostShare: p.HostShare, ReferenceDate: p.PopulationDate}
		if !positive {
			a.Title += " – återbetalning"
		}
		for _, sh := range s.Shares {
			if sh.Difference.IsZero() || sh.Difference.IsPositive() != positive {
				continue
			}
			a.Shares = append(a.Shares, finance.AllocationShare{PartyID: sh.PartyID, PartyName: sh.PartyName, Host: sh.Host,
				Amount: sh.Difference, Quota: sh.Difference, Weight: sh.Weight, WeightKind: finance.WeightParticipation})
			a.Total = a.Total.Add(sh.Difference)
		}
		if len(a.Shares) == 0 {
			continue
		}
		saved, err := tx.CreateAllocation(ctx, a)
		if err != nil {
			return finance.Settlement{}, err
		}
		if _, err := tx.IssueInvoiceRun(ctx, saved.ID, issue, ""); err != nil {
			return finance.Settlement{}, err
		}
		s.AllocationIDs = append(s.AllocationIDs, saved.ID)
	}
	return tx.SaveProjectSettlement(ctx, s)
}

// InterimSections are the projects' sections of an interim report for the
// period p: every project of the committee with budget or outcome in p's
// year, its budget for the year against the outcome through p per row, its
// participants and, when the year is settled, the settlement.
func InterimSections(ctx context.Context, conn *store.Conn, committeeID int64, p finance.Period) ([]interim.ProjectSection, error) {
	list, err := conn.Projects(ctx, committeeID)
	if err != nil {
		return nil, err
	}
	var out []interim.ProjectSection
	for _, pr := range list {
		years, err := ProjectYears(ctx, conn, pr, p)
		if err != nil {
			return nil, err
		}
		for _, y := range years {
			if y.Year != p.Year {
				continue
			}
			sec := interim.ProjectSection{Name: pr.Name, Case: pr.CaseNumber, Key: pr.MethodLabel(), Budget: y.Budget, Actual: y.Actual}
			var names []string
			for _, pt := range pr.Participants {
				n := pt.PartyName + " från " + pt.Joined.String()
				if !pt.Left.IsZero() {
					n += " till " + pt.Left.String()
				}
				names = append(names, n)
			}
			sec.Participants = strings.Join(names, ", ")
			for _, r := range y.Rows {
				sec.Rows = append(sec.Rows, interim.ProjectLine{Name: r.Name, Budget: r.Budget, Actual: r.Actual})
			}
			settled, err := conn.ProjectSettlements(ctx, pr.ID)
			if err != nil {
				return nil, err
			}
			for _, s := range settled {
				if s.Year == p.Year {
					sec.Settlement = fmt.Sprintf("%s: %s fördelat efter deltagandemånader enligt beslut %s.", s.Title(pr.Name), sv.Kronor(s.Net), s.Decision)
				}
			}
			out = append(out, sec)
		}
	}
	return out, nil
}
