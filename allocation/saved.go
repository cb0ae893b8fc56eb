package allocation

import (
	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
)

// SavedShares turns a result into the shares and (for a mixed key) the parts
// of a saved allocation (domain/finance), for the web's form and API, the
// demo and the base funding alike. party gives the committee's party for a
// share's id (its slug); the result's parties must all be the committee's.
func SavedShares(res Result, party func(slug string) domain.MemberParty) ([]finance.AllocationShare, []finance.AllocationPart) {
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
func savedShares(in []Share, party func(slug string) domain.MemberParty) []finance.AllocationShare {
	out := make([]finance.AllocationShare, len(in))
	for i, sh := range in {
		p := party(sh.PartyID)
		s := finance.AllocationShare{
			PartyID: p.ID, PartyName: sh.Name, Position: p.Membership.Position, Host: sh.Host,
			Amount: sh.Amount, Quota: sh.Quota, Weight: sh.Weight, WeightKind: string(sh.WeightSource.Kind),
			PopulationSource: sh.WeightSource.Source, Residue: sh.Residue,
		}
		if sh.WeightSource.Kind == WeightPopulation {
			s.Population = sh.Weight.IntPart()
			s.PopulationDate, _ = domain.ParseDate(sh.WeightSource.ReferenceDate)
		}
		out[i] = s
	}
	return out
}
