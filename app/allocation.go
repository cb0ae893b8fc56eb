package app

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/allocation"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
)

// equalShares splits the base funding between the parties in equal shares
// with the allocation engine (largest remainder in öre, ties to the host and
// then the committee's order), for a year whose base-funding allocation is
// not saved yet. The result is not saved: its ID is 0.
func equalShares(committeeID int64, year int, total decimal.Decimal, parties []domain.MemberParty) (finance.Allocation, error) {
	a := finance.Allocation{CommitteeID: committeeID, Kind: finance.AllocationBaseFunding, Title: fmt.Sprintf("Basfinansiering %d", year),
		Method: string(allocation.MethodEqual), Unit: string(allocation.UnitOre), Total: total, BudgetYear: year}
	if total.IsZero() || len(parties) == 0 {
		return a, nil
	}
	spec := allocation.Spec{Total: total, Method: allocation.MethodEqual, Unit: allocation.UnitOre}
	for _, p := range parties {
		spec.Parties = append(spec.Parties, allocation.Party{ID: p.Slug, Name: p.Name, Host: p.Host, Order: p.Membership.Position})
	}
	res, err := allocation.Allocate(spec)
	if err != nil {
		var fe *allocation.FieldError
		if errors.As(err, &fe) {
			return a, domain.Errorf(domain.EINVALID, "Basfinansieringen kan inte fördelas: %s.", fe.Error())
		}
		return a, err
	}
	bySlug := make(map[string]domain.MemberParty, len(parties))
	for _, p := range parties {
		bySlug[p.Slug] = p
	}
	a.Shares, _ = allocation.SavedShares(res, func(slug string) domain.MemberParty { return bySlug[slug] })
	return a, nil
}
