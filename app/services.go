package app

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
)

// LedgerObjectDimension is the dimension of the host's ledger that holds the
// cost objects services are billed from (#DIM 1, kostnadsställe/objekt).
const LedgerObjectDimension = 1

// ServiceCosts reads the costs booked on a cost object over the months
// from–to: each account of the object whose report row is a cost row, in
// the ledger's signs (a cost positive), and the months that have an import
// of the ledger in force.
func ServiceCosts(ctx context.Context, c *store.Conn, committeeID int64, object string, from, to finance.Period) ([]finance.ServiceCost, []finance.Period, error) {
	amounts, err := c.OutcomeByObject(ctx, committeeID, from, to)
	if err != nil {
		return nil, nil, err
	}
	m, err := c.AccountMapping(ctx, committeeID)
	if err != nil {
		return nil, nil, err
	}
	rows, err := c.ReportRows(ctx, committeeID)
	if err != nil {
		return nil, nil, err
	}
	byID := map[int64]finance.ReportRow{}
	for _, r := range rows {
		byID[r.ID] = r
	}
	var costs []finance.ServiceCost
	for _, a := range amounts {
		if a.Dimension != LedgerObjectDimension || a.Object != object || a.Amount.IsZero() {
			continue
		}
		id, n := m.RowOf(a.Account)
		if r := byID[id]; n == 1 && r.Kind == finance.RowCost {
			costs = append(costs, finance.ServiceCost{Account: a.Account, RowName: r.Name, Amount: a.Amount})
		}
	}
	covered, err := c.CoveredPeriods(ctx, committeeID, from, to)
	if err != nil {
		return nil, nil, err
	}
	return costs, covered, nil
}

// PlanServiceBill works out what billing service s for the months from–to
// makes, without saving anything: for a ledger service the costs on its
// cost object less what earlier bills of those months billed, for a time
// service quantity × the rate.
func PlanServiceBill(ctx context.Context, c *store.Conn, s finance.Service, from, to finance.Period, quantity decimal.Decimal) (finance.ServiceBillPlan, error) {
	earlier, err := c.ServiceBills(ctx, s.ID)
	if err != nil {
		return finance.ServiceBillPlan{}, err
	}
	if s.Kind == finance.ServiceTime {
		return finance.PlanTimeBill(s, from, to, quantity, earlier)
	}
	if from.Valid() && to.Valid() && !to.Before(from) {
		costs, covered, err := ServiceCosts(ctx, c, s.CommitteeID, s.CostObject, from, to)
		if err != nil {
			return finance.ServiceBillPlan{}, err
		}
		return finance.PlanLedgerBill(s, from, to, costs, covered, earlier)
	}
	return finance.PlanLedgerBill(s, from, to, nil, nil, earlier)
}

// BillService bills service s for the months from–to inside tx: it locks the
// committee's services, plans the bill again and refuses it unless it is
// what the confirm step showed (fingerprint), then saves the direct
// allocation the bill becomes (the service's decision, cost object and
// months) and the bill. The ordinary invoicing issues the allocation.
func BillService(ctx context.Context, tx *store.Conn, s finance.Service, from, to finance.Period, quantity decimal.Decimal, note, fingerprint string) (finance.ServiceBill, finance.Allocation, error) {
	if err := tx.LockServices(ctx, s.CommitteeID); err != nil {
		return finance.ServiceBill{}, finance.Allocation{}, err
	}
	plan, err := PlanServiceBill(ctx, tx, s, from, to, quantity)
	if err != nil {
		return finance.ServiceBill{}, finance.Allocation{}, err
	}
	if fingerprint != plan.Fingerprint() {
		return finance.ServiceBill{}, finance.Allocation{}, domain.Errorf(domain.ECONFLICT, "Underlaget har ändrats sedan förhandsgranskningen (nytt utfall eller ett annat underlag). Granska det igen innan du skapar det.")
	}
	if err := domain.CheckText("note", "Kommentaren", note, 500); err != nil {
		return finance.ServiceBill{}, finance.Allocation{}, err
	}
	plan.Note = note
	parties, err := tx.CommitteeParties(ctx, s.CommitteeID)
	if err != nil {
		return finance.ServiceBill{}, finance.Allocation{}, err
	}
	var party *domain.MemberParty
	for i := range parties {
		if parties[i].ID == s.PartyID {
			party = &parties[i]
		}
	}
	if party == nil {
		return finance.ServiceBill{}, finance.Allocation{}, domain.Errorf(domain.ECONFLICT, "%s är inte längre part i nämnden.", s.PartyName)
	}
	a, err := tx.CreateAllocation(ctx, plan.Allocation(*party))
	if err != nil {
		return finance.ServiceBill{}, finance.Allocation{}, fmt.Errorf("bill service %d: %w", s.ID, err)
	}
	bill, err := tx.CreateServiceBill(ctx, plan, a.ID)
	if err != nil {
		return finance.ServiceBill{}, finance.Allocation{}, err
	}
	return bill, a, nil
}

// ProposeBaseFunding saves the base-funding allocation of year proposed from
// the year's budget in force: its base contribution (which an uppräkning
// decision computed, when there is one) split in equal shares between the
// parties that are members on 1 January of the year. With paragraphID it is
// decided by that paragraph; without, it is a proposal that a decided
// allocation later supersedes. It refuses when the year has no budget or a
// base-funding allocation in force already.
func ProposeBaseFunding(ctx context.Context, tx *store.Conn, committeeID int64, year int, paragraphID int64) (finance.Allocation, error) {
	b, err := tx.CurrentBudget(ctx, committeeID, year)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return finance.Allocation{}, domain.Errorf(domain.ECONFLICT, "Budget %d saknas: spara budgeten först, basfinansieringen föreslås ur den.", year)
	}
	if err != nil {
		return finance.Allocation{}, err
	}
	if !b.BaseFunding.IsPositive() {
		return finance.Allocation{}, domain.Errorf(domain.ECONFLICT, "Budget %d har ingen basfinansiering att fördela.", year)
	}
	existing, err := tx.Allocations(ctx, committeeID)
	if err != nil {
		return finance.Allocation{}, err
	}
	for _, a := range existing {
		if a.Kind == finance.AllocationBaseFunding && a.BudgetYear == year && !a.Superseded() {
			return finance.Allocation{}, domain.Errorf(domain.ECONFLICT, "Basfinansieringen %d finns redan som fördelning %d; rätta den i stället.", year, a.ID)
		}
	}
	parties, err := tx.CommitteePartiesOn(ctx, committeeID, domain.Date{Year: year, Month: 1, Day: 1})
	if err != nil {
		return finance.Allocation{}, err
	}
	a, err := equalShares(committeeID, year, b.BaseFunding, parties)
	if err != nil {
		return finance.Allocation{}, err
	}
	if len(a.Shares) == 0 {
		return finance.Allocation{}, domain.Errorf(domain.ECONFLICT, "Nämnden har inga parter den 1 januari %d.", year)
	}
	a.ParagraphID = paragraphID
	return tx.CreateAllocation(ctx, a)
}
