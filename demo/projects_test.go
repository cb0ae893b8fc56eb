package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/app/projects"
	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// TestDemoProject: Digital transformation holds the seed's participants and
// the months they joined, its 2020 costs from the demo ledger's object 6670,
// and a settlement by months of participation issued as invoices naming the
// project, the period and the decision, that sums to the cost to the öre.
func TestDemoProject(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for range 2 { // the second load adds nothing
			if _, err := demo.Load(ctx, db); err != nil {
				t.Fatal(err)
			}
		}
		c := db.Conn()
		cm, _ := c.CommitteeByCode(ctx, demo.CommitteeCode)
		list, err := c.Projects(ctx, cm.ID)
		if err != nil || len(list) != 1 {
			t.Fatalf("projects = %d, %v", len(list), err)
		}
		p := list[0]
		if p.Name != demo.ProjectName || p.CaseNumber != "GNS/8/2019" || p.ClosedOn != demo.ProjectClosed || len(p.Participants) != 7 {
			t.Fatalf("project = %+v", p)
		}
		joined := map[string]string{}
		for _, j := range demo.ProjectJoins {
			joined[j.Party] = j.Joined
		}
		early := map[int64]bool{}
		for i, pt := range p.Participants {
			if pt.Joined.String() != joined[pt.PartySlug] || pt.Left != demo.ProjectClosed {
				t.Errorf("participant %d = %s joined %s left %s", i, pt.PartySlug, pt.Joined, pt.Left)
			}
			early[pt.PartyID] = pt.Joined.Month == time.February
		}
		years, err := projects.ProjectYears(ctx, c, p, finance.Period{})
		if err != nil || len(years) != 1 || years[0].Year != 2020 || years[0].Actual.String() != "-71462" || years[0].Budget.String() != "-417000" {
			t.Fatalf("years = %+v, %v", years, err)
		}
		ss, err := c.ProjectSettlements(ctx, p.ID)
		if err != nil || len(ss) != 1 {
			t.Fatalf("settlements = %d, %v", len(ss), err)
		}
		s := ss[0]
		if s.Kind != finance.SettlementClose || s.FromMonth != time.February || s.ToMonth != time.December || s.Months != 11 ||
			s.Cost.StringFixed(2) != "71462.00" || !s.External.IsZero() || len(s.Shares) != 7 || s.Decision != "GNS § 20/2020" {
			t.Fatalf("settlement = %+v", s)
		}
		sum := decimal.Zero
		byParty := map[int64]finance.SettlementShare{}
		for _, sh := range s.Shares {
			sum = sum.Add(sh.Share)
			byParty[sh.PartyID] = sh
			if want := map[bool]int{true: 11, false: 8}[early[sh.PartyID]]; sh.Months != want || !sh.Difference.Equal(sh.Share) {
				t.Errorf("%s: %d months, share %s, difference %s", sh.PartyName, sh.Months, sh.Share, sh.Difference)
			}
		}
		if !sum.Equal(s.Net) {
			t.Errorf("shares sum to %s, want %s", sum, s.Net)
		}
		bracke, _ := c.PartyBySlug(ctx, "bracke")
		own, err := c.Invoices(ctx, finance.InvoiceFilter{CommitteeID: cm.ID, PartyIDs: []int64{bracke.ID}})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, inv := range own {
			if strings.HasPrefix(inv.LineText, "Slutavräkning Projekt Digital transformation, februari–december 2020") {
				found = true
				if !strings.Contains(inv.LineText, "enligt beslut GNS § 20/2020") || inv.IssueDate != domain.MustDate("2021-02-08") || !inv.Amount.Equal(byParty[bracke.ID].Share) {
					t.Errorf("settlement invoice %s: %q %s %s", inv.Number, inv.LineText, inv.IssueDate, inv.Amount)
				}
			}
		}
		if !found {
			t.Errorf("Bräcke has no settlement invoice among %d documents", len(own))
		}
		acc, err := c.ProjectPartyAccount(ctx, p.ID, bracke.ID)
		if err != nil || !acc.Invoiced.Equal(byParty[bracke.ID].Share) {
			t.Errorf("Bräcke's account = %+v, %v", acc, err)
		}
	})
}
