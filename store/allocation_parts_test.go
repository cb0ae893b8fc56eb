package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/allocation"
	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// loadDemo loads the demo into db.
func loadDemo(t *testing.T, db *store.DB) {
	t.Helper()
	if _, err := demo.Load(context.Background(), db); err != nil {
		t.Fatal(err)
	}
}

// mixedAllocation splits 100 000,01 kr over three of the demo's parties by a
// mixed key: 50 % in equal shares, 50 % by the directive's key renormalised
// over them.
func mixedAllocation(t *testing.T, db *store.DB) finance.Allocation {
	t.Helper()
	ctx := context.Background()
	cm, err := db.Conn().CommitteeByCode(ctx, "GNS")
	if err != nil {
		t.Fatal(err)
	}
	key := map[string]string{"bracke": "2.54", "krokom": "5.81", "stromsund": "4.60"}
	spec := allocation.Spec{Total: decimal.RequireFromString("100000.01"), Method: allocation.MethodMixed, Parts: []allocation.Part{
		{Percent: decimal.NewFromInt(50), Method: allocation.MethodEqual},
		{Percent: decimal.NewFromInt(50), Method: allocation.MethodPercent, Renormalise: true},
	}}
	parties := map[string]domain.MemberParty{}
	for i, slug := range []string{"bracke", "krokom", "stromsund"} {
		p, err := db.Conn().PartyBySlug(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		pct := decimal.RequireFromString(key[slug])
		spec.Parties = append(spec.Parties, allocation.Party{ID: slug, Name: p.Name, Order: i, Percent: &pct})
		parties[slug] = domain.MemberParty{Party: p}
	}
	res, err := allocation.Allocate(spec)
	if err != nil {
		t.Fatal(err)
	}
	a := finance.Allocation{CommitteeID: cm.ID, Kind: finance.AllocationProject, Title: "Digital transformation", Method: "mixed", Unit: "ore", Total: res.Total}
	a.Shares, a.Parts = allocation.SavedShares(res, func(slug string) domain.MemberParty { return parties[slug] })
	return a
}

func TestMixedAllocationIsStoredWithItsParts(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := domain.WithActor(context.Background(), domain.Actor{Label: "ekonom@example.se"})
		loadDemo(t, db)
		a := mixedAllocation(t, db)
		var saved finance.Allocation
		if err := db.InTx(ctx, func(c *store.Conn) error { var err error; saved, err = c.CreateAllocation(ctx, a); return err }); err != nil {
			t.Fatal(err)
		}
		got, err := db.Conn().AllocationByID(ctx, saved.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Method != "mixed" || len(got.Parts) != 2 || len(got.Shares) != 3 || !got.Sum().Equal(a.Total) {
			t.Fatalf("read back %+v", got)
		}
		p0, p1 := got.Parts[0], got.Parts[1]
		if p0.Method != "equal" || p0.Total.String() != "50000.01" || !p0.Residue || p1.Method != "percent" || !p1.Renormalise || p1.Total.String() != "50000" {
			t.Errorf("parts = %+v / %+v", p0, p1)
		}
		if len(p1.Shares) != 3 || p1.Shares[0].Weight.String() != "2.54" || p1.Shares[0].PartyName != "Bräcke kommun" || !finance.Renormalised(p1.Method, p1.Shares) {
			t.Errorf("part 2 shares = %+v", p1.Shares)
		}
		if err := got.CheckParts(); err != nil {
			t.Errorf("CheckParts on what was read back: %v", err)
		}
		list, err := db.Conn().Allocations(ctx, a.CommitteeID)
		if err != nil || list[0].ID != saved.ID || len(list[0].Parts) != 2 {
			t.Errorf("Allocations: first %+v, %v", list[0], err)
		}
		for _, stmt := range []string{"UPDATE allocation_parts SET total_ore = 0", "DELETE FROM allocation_parts",
			"UPDATE allocation_part_shares SET amount_ore = 0", "DELETE FROM allocation_part_shares",
			"UPDATE allocations SET method = 'bogus'", "INSERT INTO allocation_parts (allocation_id, position, percent, method, renormalise, total_ore, quota, residue) VALUES (1, 9, '1', 'direct', false, 0, '0', false)"} {
			if _, err := db.SQL().ExecContext(ctx, stmt); err == nil {
				t.Errorf("%s succeeded", stmt)
			}
		}
	})
}

func TestCreateMixedAllocationRejects(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		loadDemo(t, db)
		cm, err := db.Conn().CommitteeByCode(ctx, "GNS")
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name   string
			change func(a *finance.Allocation)
			want   string
		}{
			{"mixed without parts", func(a *finance.Allocation) { a.Parts = nil }, "minst två delar"},
			{"parts without mixed", func(a *finance.Allocation) { a.Method = "equal" }, "minst två delar"},
			{"a part that does not sum", func(a *finance.Allocation) {
				a.Parts[0].Shares[0].Amount = a.Parts[0].Shares[0].Amount.Add(decimal.New(1, -2))
			}, "Del 1"},
			{"parts that do not sum to the total", func(a *finance.Allocation) {
				a.Parts[0].Total = a.Parts[0].Total.Add(decimal.New(1, -2))
				a.Parts[0].Shares[0].Amount = a.Parts[0].Shares[0].Amount.Add(decimal.New(1, -2))
			}, "Delarna"},
			{"a share not the sum of its parts", func(a *finance.Allocation) {
				a.Shares[0].Amount = a.Shares[0].Amount.Add(decimal.New(1, -2))
				a.Shares[1].Amount = a.Shares[1].Amount.Sub(decimal.New(1, -2))
			}, "summan av dess delar"},
			{"a part by a direct method", func(a *finance.Allocation) { a.Parts[1].Method = "direct" }, "lika delar"},
		}
		for _, tt := range tests {
			a := mixedAllocation(t, db)
			tt.change(&a)
			err := db.InTx(ctx, func(c *store.Conn) error { _, err := c.CreateAllocation(ctx, a); return err })
			if err == nil || !strings.Contains(domain.ErrorMessage(err), tt.want) {
				t.Errorf("%s: %v, want an error about %q", tt.name, err, tt.want)
			}
		}
		if list, _ := db.Conn().Allocations(ctx, cm.ID); len(list) != demo.SavedAllocations() {
			t.Errorf("%d allocations saved by rejected calls", len(list))
		}
	})
}
