package app

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
)

// nineParties are the seed's nine parties in the committee's order, the
// region hosting.
func nineParties() []domain.MemberParty {
	var parties []domain.MemberParty
	for i, name := range []string{"Region Jämtland Härjedalen", "Östersunds kommun", "Åre kommun", "Krokoms kommun", "Bergs kommun", "Bräcke kommun", "Ragunda kommun", "Strömsunds kommun", "Härjedalens kommun"} {
		parties = append(parties, domain.MemberParty{Party: domain.Party{ID: int64(i + 1), Slug: "p" + string(rune('a'+i)), Name: name}, Host: i == 0,
			Membership: domain.Membership{Position: i + 1}})
	}
	return parties
}

func TestEqualShares(t *testing.T) {
	d := decimal.RequireFromString
	tests := []struct {
		total string
		want  []string // per party, in order
	}{
		{"914400", []string{"101600", "101600", "101600", "101600", "101600", "101600", "101600", "101600", "101600"}},
		// The öre left over after 11.11 each goes to the host.
		{"100", []string{"11.12", "11.11", "11.11", "11.11", "11.11", "11.11", "11.11", "11.11", "11.11"}},
	}
	for _, tt := range tests {
		a, err := equalShares(1, 2021, d(tt.total), nineParties())
		if err != nil {
			t.Fatalf("equalShares(%s): %v", tt.total, err)
		}
		if a.ID != 0 || a.Kind != finance.AllocationBaseFunding || a.Title != "Basfinansiering 2021" || a.BudgetYear != 2021 || a.Method != "equal" {
			t.Errorf("equalShares(%s) = %+v", tt.total, a)
		}
		if len(a.Shares) != len(tt.want) {
			t.Fatalf("equalShares(%s): %d shares, want %d", tt.total, len(a.Shares), len(tt.want))
		}
		for i, sh := range a.Shares {
			if !sh.Amount.Equal(d(tt.want[i])) || sh.WeightKind != "equal" || sh.PartyID != int64(i+1) || sh.Position != i+1 {
				t.Errorf("equalShares(%s) share %d = %+v, want %s kr", tt.total, i, sh, tt.want[i])
			}
		}
		if got := a.Sum(); !got.Equal(d(tt.total)) {
			t.Errorf("equalShares(%s) sums to %s", tt.total, got)
		}
	}
	if a, err := equalShares(1, 2021, decimal.Zero, nineParties()); err != nil || len(a.Shares) != 0 {
		t.Errorf("no base funding = %+v, %v; want no shares", a.Shares, err)
	}
}
