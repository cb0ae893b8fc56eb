package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// refund builds the seed's refund of 468 091 kr in equal shares: the host gets
// the extra öre.
func refund(t *testing.T, db *store.DB) finance.Allocation {
	t.Helper()
	ctx := context.Background()
	if _, err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	cm, err := db.Conn().CommitteeByCode(ctx, "GNS")
	if err != nil {
		t.Fatal(err)
	}
	a := finance.Allocation{
		CommitteeID: cm.ID, Kind: finance.AllocationRefund, Title: "Återbetalning av överskott 2019", Method: "equal", Unit: "ore",
		Total: decimal.RequireFromString("-468091.00"), BudgetYear: 2020, Decision: "GNS § 8/2020",
		StatedShare: decimal.NullDecimal{Decimal: decimal.RequireFromString("-52010"), Valid: true},
	}
	for i, p := range demo.Parties {
		party, err := db.Conn().PartyBySlug(ctx, p.Slug)
		if err != nil {
			t.Fatal(err)
		}
		amount := "-52010.11"
		if i == 0 {
			amount = "-52010.12"
		}
		a.Shares = append(a.Shares, finance.AllocationShare{
			PartyID: party.ID, PartyName: party.Name, Host: i == 0, Amount: decimal.RequireFromString(amount),
			Quota: decimal.RequireFromString("-52010.1111111111"), Weight: decimal.NewFromInt(1), WeightKind: "equal", Residue: i == 0,
		})
	}
	return a
}

func TestAllocationsAreStoredExactlyAndNeverChange(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := domain.WithActor(context.Background(), domain.Actor{Label: "ekonom@example.se"})
		a := refund(t, db)
		var saved finance.Allocation
		if err := db.InTx(ctx, func(c *store.Conn) error {
			var err error
			saved, err = c.CreateAllocation(ctx, a)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Conn().AllocationByID(ctx, saved.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Total.Equal(a.Total) || !got.Sum().Equal(a.Total) || len(got.Shares) != 9 || got.CreatedBy != "ekonom@example.se" {
			t.Fatalf("read back %+v", got)
		}
		if s := got.Shares[0]; !s.Host || !s.Residue || s.Amount.String() != "-52010.12" || s.Quota.String() != "-52010.1111111111" || s.PartyName != "Region Jämtland Härjedalen" {
			t.Errorf("host share = %+v", s)
		}
		if d := got.StatedDifference(); d.String() != "1" {
			t.Errorf("StatedDifference = %s, want 1 (the decision's text sums to 468 090)", d)
		}
		for _, stmt := range []string{"UPDATE allocations SET title = 'ändrad'", "UPDATE allocation_shares SET amount_ore = 0", "DELETE FROM allocation_shares", "DELETE FROM allocations"} {
			if _, err := db.SQL().ExecContext(ctx, stmt); err == nil {
				t.Errorf("%s succeeded on a saved allocation", stmt)
			}
		}

		// A correction supersedes, once; the old one stays.
		fix := a
		fix.Title, fix.SupersedesID = "Återbetalning av överskott 2019 (rättad)", saved.ID
		var corrected finance.Allocation
		if err := db.InTx(ctx, func(c *store.Conn) error {
			var err error
			corrected, err = c.CreateAllocation(ctx, fix)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		old, _ := db.Conn().AllocationByID(ctx, saved.ID)
		if old.SupersededByID != corrected.ID || corrected.SupersedesID != saved.ID {
			t.Errorf("old superseded by %d, new supersedes %d", old.SupersededByID, corrected.SupersedesID)
		}
		err = db.InTx(ctx, func(c *store.Conn) error { _, err := c.CreateAllocation(ctx, fix); return err })
		if domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("superseding twice: %v, want conflict", err)
		}
		list, err := db.Conn().Allocations(ctx, a.CommitteeID)
		if err != nil || len(list) != 2+demo.SavedAllocations() || list[0].ID != corrected.ID {
			t.Errorf("Allocations = %d, %v", len(list), err)
		}
	})
}

func TestCreateAllocationRejects(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		base := refund(t, db)
		other := domain.Party{Slug: "utanfor", Name: "Kommun utanför", Kind: domain.PartyKindKommun}
		db.InTx(ctx, func(c *store.Conn) error { var err error; other, err = c.CreateParty(ctx, other); return err })
		tests := []struct {
			name   string
			change func(a *finance.Allocation)
			want   string
		}{
			{"shares do not sum", func(a *finance.Allocation) { a.Shares[1].Amount = decimal.RequireFromString("-52010.10") }, "summerar"},
			{"sub-öre total", func(a *finance.Allocation) { a.Total = decimal.RequireFromString("-468091.005") }, "öre"},
			{"no title", func(a *finance.Allocation) { a.Title = "" }, "rubrik"},
			{"unknown kind", func(a *finance.Allocation) { a.Kind = "gåva" }, "gäller"},
			{"no shares", func(a *finance.Allocation) { a.Shares, a.Total = nil, decimal.NewFromInt(1) }, "inga parter"},
			{"party not in committee", func(a *finance.Allocation) { a.Shares[1].PartyID, a.Shares[1].PartyName = other.ID, other.Name }, "inte part"},
			{"party twice", func(a *finance.Allocation) { a.Shares[1].PartyID = a.Shares[2].PartyID }, "två gånger"},
			{"supersedes nothing", func(a *finance.Allocation) { a.SupersedesID = 999 }, "finns inte"},
		}
		for _, tt := range tests {
			a := base
			a.Shares = append([]finance.AllocationShare(nil), base.Shares...)
			tt.change(&a)
			err := db.InTx(ctx, func(c *store.Conn) error { _, err := c.CreateAllocation(ctx, a); return err })
			if err == nil || !strings.Contains(domain.ErrorMessage(err), tt.want) {
				t.Errorf("%s: %v, want an error about %q", tt.name, err, tt.want)
			}
		}
		if list, _ := db.Conn().Allocations(ctx, base.CommitteeID); len(list) != demo.SavedAllocations() {
			t.Errorf("%d allocations saved by rejected calls", len(list))
		}
	})
}

// TestPartyShareAmountsAndShares: the brief list covers every allocation in
// force (a proposal marked undecided, a superseded one left out); the full
// read returns only the allocations asked for that are in force and the
// party's, newest budget year first.
func TestPartyShareAmountsAndShares(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := domain.WithActor(context.Background(), domain.Actor{Label: "ekonom@example.se"})
		a := refund(t, db)
		bracke, err := db.Conn().PartyBySlug(ctx, "bracke")
		if err != nil {
			t.Fatal(err)
		}
		var first, fixed, proposal finance.Allocation
		err = db.InTx(ctx, func(c *store.Conn) error {
			var err error
			if first, err = c.CreateAllocation(ctx, a); err != nil {
				return err
			}
			fix := a
			fix.Title, fix.SupersedesID = "Återbetalning av överskott 2019 (rättad)", first.ID
			if fixed, err = c.CreateAllocation(ctx, fix); err != nil {
				return err
			}
			prop := a
			prop.Title, prop.Decision, prop.BudgetYear, prop.StatedShare = "Förslag utan budgetår", "", 0, decimal.NullDecimal{}
			proposal, err = c.CreateAllocation(ctx, prop)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		amounts, err := db.Conn().PartyShareAmounts(ctx, a.CommitteeID, bracke.ID)
		if err != nil {
			t.Fatal(err)
		}
		byID := map[int64]store.PartyShareAmount{}
		for _, x := range amounts {
			byID[x.AllocationID] = x
		}
		if _, ok := byID[first.ID]; ok {
			t.Error("a superseded allocation is among the amounts")
		}
		if x := byID[fixed.ID]; !x.Decided || x.BudgetYear != 2020 || x.Kind != finance.AllocationRefund || x.Amount.String() != "-52010.11" {
			t.Errorf("the corrected refund in brief = %+v", x)
		}
		if x := byID[proposal.ID]; x.Decided || x.BudgetYear != 0 || x.CreatedAt.IsZero() {
			t.Errorf("the proposal in brief = %+v", x)
		}

		shares, err := db.Conn().PartyShares(ctx, a.CommitteeID, bracke.ID, []int64{proposal.ID, first.ID, fixed.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(shares) != 2 || shares[0].Allocation.ID != fixed.ID || shares[1].Allocation.ID != proposal.ID {
			t.Fatalf("PartyShares = %d shares %+v, want the corrected refund then the proposal", len(shares), shares)
		}
		if sh := shares[0].Share; sh.PartyID != bracke.ID || sh.Amount.String() != "-52010.11" || shares[0].Allocation.Decision != "GNS § 8/2020" {
			t.Errorf("Bräcke's share = %+v of %+v", sh, shares[0].Allocation)
		}
		if other, err := db.Conn().PartyShares(ctx, a.CommitteeID+1000, bracke.ID, []int64{fixed.ID}); err != nil || len(other) != 0 {
			t.Errorf("another committee's view = %v, %v; want none", other, err)
		}
		if none, err := db.Conn().PartyShares(ctx, a.CommitteeID, bracke.ID, nil); err != nil || none != nil {
			t.Errorf("no allocations asked for = %v, %v", none, err)
		}
	})
}
