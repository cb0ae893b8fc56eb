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
	for i, sh := range res.Shares {
		p := parties[i]
		a.Shares = append(a.Shares, finance.AllocationShare{PartyID: p.ID, PartyName: sh.Name, Position: p.Membership.Position, Host: sh.Host,
			Amount: sh.Amount, Quota: sh.Quota, Weight: sh.Weight, WeightKind: string(sh.WeightSource.Kind), Residue: sh.Residue})
	}
	return a, nil
}
