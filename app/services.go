package app

import (
	"context"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
)

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
	if a, err := BaseFundingAllocation(ctx, tx, committeeID, year); err != nil {
		return finance.Allocation{}, err
	} else if a != nil {
		return finance.Allocation{}, domain.Errorf(domain.ECONFLICT, "Basfinansieringen %d finns redan som fördelning %d; rätta den i stället.", year, a.ID)
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

// BaseFundingAllocation returns the year's base-funding allocation in force
// (not superseded; the latest when there are several), or nil.
func BaseFundingAllocation(ctx context.Context, c *store.Conn, committeeID int64, year int) (*finance.Allocation, error) {
	list, err := c.Allocations(ctx, committeeID)
	if err != nil {
		return nil, err
	}
	for i, a := range list {
		if a.Kind == finance.AllocationBaseFunding && a.BudgetYear == year && !a.Superseded() {
			return &list[i], nil
		}
	}
	return nil, nil
}
