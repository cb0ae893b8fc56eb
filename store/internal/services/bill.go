package services

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store/internal/economy"
	"github.com/region-jh/gns/store/internal/money"
	"github.com/region-jh/gns/store/internal/registry"
)

// LedgerObjectDimension is the dimension of the host's ledger that holds the
// cost objects services are billed from (#DIM 1, kostnadsställe/objekt).
const LedgerObjectDimension = 1

// ServiceCosts reads the costs booked on a cost object over the months
// from–to: each account of the object whose report row is a cost row, in
// the ledger's signs (a cost positive), and the months that have an import
// of the ledger in force.
func (c Services) ServiceCosts(ctx context.Context, committeeID int64, object string, from, to finance.Period) ([]finance.ServiceCost, []finance.Period, error) {
	ec := economy.New(c.db)
	amounts, err := ec.OutcomeByObject(ctx, committeeID, from, to)
	if err != nil {
		return nil, nil, err
	}
	m, err := ec.AccountMapping(ctx, committeeID)
	if err != nil {
		return nil, nil, err
	}
	rows, err := ec.ReportRows(ctx, committeeID)
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
	covered, err := ec.CoveredPeriods(ctx, committeeID, from, to)
	if err != nil {
		return nil, nil, err
	}
	return costs, covered, nil
}

// PlanServiceBill works out what billing service s for the months from–to
// makes, without saving anything: for a ledger service the costs on its
// cost object less what earlier bills of those months billed, for a time
// service quantity × the rate.
func (c Services) PlanServiceBill(ctx context.Context, s finance.Service, from, to finance.Period, quantity decimal.Decimal) (finance.ServiceBillPlan, error) {
	earlier, err := c.ServiceBills(ctx, s.ID)
	if err != nil {
		return finance.ServiceBillPlan{}, err
	}
	if s.Kind == finance.ServiceTime {
		return finance.PlanTimeBill(s, from, to, quantity, earlier)
	}
	if from.Valid() && to.Valid() && !to.Before(from) {
		costs, covered, err := c.ServiceCosts(ctx, s.CommitteeID, s.CostObject, from, to)
		if err != nil {
			return finance.ServiceBillPlan{}, err
		}
		return finance.PlanLedgerBill(s, from, to, costs, covered, earlier)
	}
	return finance.PlanLedgerBill(s, from, to, nil, nil, earlier)
}

// BillService bills service s for the months from–to; it must run inside a
// transaction (DB.InTx). It locks the
// committee's services, plans the bill again and refuses it unless it is
// what the confirm step showed (fingerprint), then saves the direct
// allocation the bill becomes (the service's decision, cost object and
// months) and the bill. The ordinary invoicing issues the allocation.
func (c Services) BillService(ctx context.Context, s finance.Service, from, to finance.Period, quantity decimal.Decimal, note, fingerprint string) (finance.ServiceBill, finance.Allocation, error) {
	if err := c.LockServices(ctx, s.CommitteeID); err != nil {
		return finance.ServiceBill{}, finance.Allocation{}, err
	}
	plan, err := c.PlanServiceBill(ctx, s, from, to, quantity)
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
	parties, err := registry.New(c.db).CommitteeParties(ctx, s.CommitteeID)
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
	a, err := money.New(c.db).CreateAllocation(ctx, plan.Allocation(*party))
	if err != nil {
		return finance.ServiceBill{}, finance.Allocation{}, fmt.Errorf("bill service %d: %w", s.ID, err)
	}
	bill, err := c.CreateServiceBill(ctx, plan, a.ID)
	if err != nil {
		return finance.ServiceBill{}, finance.Allocation{}, err
	}
	return bill, a, nil
}
