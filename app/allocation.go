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

// AllocationShares turns the allocation engine's result into the shares and
// (for a mixed key) the parts of a saved allocation. party gives the
// committee's party for a share's id (its slug); the result's parties must
// all be the committee's.
func AllocationShares(res allocation.Result, party func(slug string) domain.MemberParty) ([]finance.AllocationShare, []finance.AllocationPart) {
	shares := savedShares(res.Shares, party)
	var parts []finance.AllocationPart
	for _, p := range res.Parts {
		part := finance.AllocationPart{Percent: p.Part.Percent, Method: string(p.Part.Method), Renormalise: p.Part.Renormalise,
			Total: p.Total, Quota: p.Quota, Residue: p.Residue, Shares: savedShares(p.Shares, party)}
		if p.HostShare != nil {
			part.HostShare = decimal.NullDecimal{Decimal: *p.HostShare, Valid: true}
		}
		parts = append(parts, part)
	}
	return shares, parts
}

// savedShares turns the engine's shares into saved ones, with the figure
// behind a population weight.
func savedShares(in []allocation.Share, party func(slug string) domain.MemberParty) []finance.AllocationShare {
	out := make([]finance.AllocationShare, len(in))
	for i, sh := range in {
		p := party(sh.PartyID)
		s := finance.AllocationShare{
			PartyID: p.ID, PartyName: sh.Name, Position: p.Membership.Position, Host: sh.Host,
			Amount: sh.Amount, Quota: sh.Quota, Weight: sh.Weight, WeightKind: string(sh.WeightSource.Kind),
			PopulationSource: sh.WeightSource.Source, Residue: sh.Residue,
		}
		if sh.WeightSource.Kind == allocation.WeightPopulation {
			s.Population = sh.Weight.IntPart()
			s.PopulationDate, _ = domain.ParseDate(sh.WeightSource.ReferenceDate)
		}
		out[i] = s
	}
	return out
}
