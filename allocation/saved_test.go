package allocation

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
)

func TestSavedShares(t *testing.T) {
	t.Parallel()
	ps := pick(committee(), "region-jh", "bracke", "krokom")
	for i := range ps {
		ps[i].PopulationDate, ps[i].PopulationSource = "2020-12-31", "SCB"
	}
	res, err := Allocate(Spec{Total: decimal.RequireFromString("1000.01"), Method: MethodMixed, Parties: ps, Parts: []Part{
		{Percent: decimal.NewFromInt(40), Method: MethodEqual},
		{Percent: decimal.NewFromInt(60), Method: MethodPopulation, HostShare: decp("50")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{"region-jh": 1, "bracke": 6, "krokom": 4}
	shares, parts := SavedShares(res, func(slug string) domain.MemberParty {
		return domain.MemberParty{Party: domain.Party{ID: ids[slug], Slug: slug}, Membership: domain.Membership{Position: int(ids[slug])}}
	})
	if len(shares) != 3 || len(parts) != 2 || shares[1].PartyID != 6 || shares[1].Position != 6 || shares[1].WeightKind != "mixed" || !shares[0].Host {
		t.Fatalf("shares %+v, %d parts", shares, len(parts))
	}
	p := parts[1]
	if p.Method != "population" || !p.HostShare.Valid || p.HostShare.Decimal.String() != "50" || !p.Total.Equal(res.Parts[1].Total) {
		t.Errorf("part = %+v", p)
	}
	if s := p.Shares[2]; s.Population != 15000 || s.PopulationDate != domain.MustDate("2020-12-31") || s.PopulationSource != "SCB" || s.WeightKind != "population" {
		t.Errorf("Krokom's population share = %+v", s)
	}
	if s := p.Shares[0]; s.WeightKind != "host_share" || s.Population != 0 {
		t.Errorf("the host's share = %+v", s)
	}
	sum := decimal.Zero
	for i, s := range shares {
		if !s.Amount.Equal(parts[0].Shares[i].Amount.Add(parts[1].Shares[i].Amount)) {
			t.Errorf("%d: %s is not the sum of its parts", i, s.Amount)
		}
		sum = sum.Add(s.Amount)
	}
	if !sum.Equal(res.Total) {
		t.Errorf("sum %s, want %s", sum, res.Total)
	}
}
