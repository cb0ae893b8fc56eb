package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/app/projects"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// TestProjectSettlementAgainstAdvances settles a project whose parties were
// invoiced in advance: Bräcke takes part all 2020, Åre July–September, the
// 71 462 kr on object 6670 split equally month by month (Åre carries 3 × ½
// of 12 months = 1/8), and the differences against the advances become an
// invoice to Bräcke and a credit note to Åre, each naming the project, the
// period and the decision. Rejected inputs change nothing.
func TestProjectSettlementAgainstAdvances(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, cm, rows := economyDemo(t, db)
		c := db.Conn()
		bracke, _ := c.PartyBySlug(ctx, "bracke")
		are, _ := c.PartyBySlug(ctx, "are")
		obj := []finance.ProjectObject{{Dimension: 1, Object: "6670"}}
		var p finance.Project
		if err := tx(t, db, ctx, func(c *store.Conn) error {
			var err error
			p, err = c.CreateProject(ctx, finance.Project{CommitteeID: cm.ID, Name: "Testprojekt", Method: finance.ProjectEqual, Objects: obj})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		// Rejected: the same name, an overlapping stretch, a total row's
		// budget, a grant without funder, a base-funding allocation as
		// advance.
		rejected := map[string]func(c *store.Conn) error{
			"same name": func(c *store.Conn) error {
				_, err := c.CreateProject(ctx, finance.Project{CommitteeID: cm.ID, Name: "Testprojekt", Method: finance.ProjectEqual, Objects: obj})
				return err
			},
			"total row": func(c *store.Conn) error {
				_, err := c.AddProjectBudgetLine(ctx, finance.ProjectBudgetLine{ProjectID: p.ID, Year: 2020, RowID: rows["summa-bruttokostnader"].ID, Amount: kr("-1")})
				return err
			},
			"grant without funder": func(c *store.Conn) error {
				_, err := c.AddProjectFunding(ctx, finance.ProjectFunding{ProjectID: p.ID, Year: 2020, Kind: finance.FundingGrant, Status: finance.FundingApplied, Amount: kr("10")})
				return err
			},
			"contribution of a non-participant": func(c *store.Conn) error {
				_, err := c.AddProjectFunding(ctx, finance.ProjectFunding{ProjectID: p.ID, Year: 2020, Kind: finance.FundingContribution, PartyID: are.ID, Status: finance.FundingPlanned, Amount: kr("10")})
				return err
			},
		}
		for name, fn := range rejected {
			if err := tx(t, db, ctx, fn); domain.ErrorCode(err) == "" || domain.IsFault(err) {
				t.Errorf("%s: error %v, want a user error", name, err)
			}
		}
		var advance finance.Allocation
		if err := tx(t, db, ctx, func(c *store.Conn) error {
			if _, err := c.AddProjectParticipant(ctx, finance.Participant{ProjectID: p.ID, PartyID: bracke.ID, Joined: domain.MustDate("2020-01-01")}); err != nil {
				return err
			}
			if _, err := c.AddProjectParticipant(ctx, finance.Participant{ProjectID: p.ID, PartyID: are.ID, Joined: domain.MustDate("2020-07-15")}); err != nil {
				return err
			}
			var err error
			advance, err = c.CreateAllocation(ctx, finance.Allocation{CommitteeID: cm.ID, Kind: finance.AllocationProject, Title: "Testprojekt, förskott 2020",
				Method: "equal", Unit: "ore", Total: kr("70000"), BudgetYear: 2020, Decision: "GNS § 99/2019",
				Shares: []finance.AllocationShare{{PartyID: bracke.ID, PartyName: bracke.Name, Amount: kr("50000"), Quota: kr("50000"), Weight: kr("1"), WeightKind: "equal"},
					{PartyID: are.ID, PartyName: are.Name, Amount: kr("20000"), Quota: kr("20000"), Weight: kr("1"), WeightKind: "equal"}}})
			if err != nil {
				return err
			}
			if _, err := c.IssueInvoiceRun(ctx, advance.ID, domain.MustDate("2021-02-09"), ""); err != nil {
				return err
			}
			return c.LinkProjectAdvance(ctx, p.ID, advance.ID, 2020)
		}); err != nil {
			t.Fatal(err)
		}
		pt := func() finance.Participant {
			p, _ = c.ProjectByID(ctx, p.ID)
			for _, x := range p.Participants {
				if x.PartyID == are.ID {
					return x
				}
			}
			return finance.Participant{}
		}
		if err := tx(t, db, ctx, func(c *store.Conn) error {
			_, err := c.AddProjectParticipant(ctx, finance.Participant{ProjectID: p.ID, PartyID: are.ID, Joined: domain.MustDate("2020-08-01")})
			return err
		}); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("overlapping stretch: %v", err)
		}
		if err := tx(t, db, ctx, func(c *store.Conn) error {
			_, err := c.EndProjectParticipation(ctx, p.ID, pt().ID, domain.MustDate("2020-09-30"))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if err := tx(t, db, ctx, func(c *store.Conn) error {
			_, err := c.EndProjectParticipation(ctx, p.ID, pt().ID, domain.MustDate("2020-10-30"))
			return err
		}); domain.ErrorCode(err) != domain.ECONFLICT || pt().Left.String() != "2020-09-30" {
			t.Errorf("leaving twice: %v, left %s", err, pt().Left)
		}
		if err := tx(t, db, ctx, func(c *store.Conn) error { return c.LinkProjectAdvance(ctx, p.ID, advance.ID, 2020) }); err == nil {
			t.Error("an allocation linked twice")
		}

		plan, err := projects.PlanSettlement(ctx, c, p, 2020)
		if err != nil {
			t.Fatal(err)
		}
		if plan.Kind != finance.SettlementYear || plan.FromMonth != time.January || plan.ToMonth != time.December || plan.Months != 12 ||
			plan.Cost.StringFixed(2) != "71462.00" || plan.Missing != "september–december" || len(plan.Shares) != 2 {
			t.Fatalf("plan = %+v", plan)
		}
		want := map[int64][4]string{bracke.ID: {"62529.25", "50000.00", "12529.25", "12"}, are.ID: {"8932.75", "20000.00", "-11067.25", "3"}}
		for _, sh := range plan.Shares {
			w := want[sh.PartyID]
			if sh.Share.StringFixed(2) != w[0] || sh.Advance.StringFixed(2) != w[1] || sh.Difference.StringFixed(2) != w[2] || sh.Months != map[string]int{"12": 12, "3": 3}[w[3]] {
				t.Errorf("%s: share %s advance %s difference %s months %d, want %v", sh.PartyName, sh.Share, sh.Advance, sh.Difference, sh.Months, w)
			}
		}
		if _, err := projects.ConfirmSettlement(ctx, db, p.ID, 2020, "GNS § 5/2021", domain.MustDate("2021-02-10"), "stale"); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("stale fingerprint: %v", err)
		}
		if _, err := projects.ConfirmSettlement(ctx, db, p.ID, 2020, " ", domain.MustDate("2021-02-10"), plan.Fingerprint()); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("no decision: %v", err)
		}
		s, err := projects.ConfirmSettlement(ctx, db, p.ID, 2020, "GNS § 5/2021", domain.MustDate("2021-02-10"), plan.Fingerprint())
		if err != nil || len(s.AllocationIDs) != 2 {
			t.Fatalf("confirm: %+v, %v", s, err)
		}
		docs, _ := c.Invoices(ctx, finance.InvoiceFilter{CommitteeID: cm.ID, PartyIDs: []int64{bracke.ID, are.ID}})
		var inv, credit int
		for _, d := range docs {
			if !strings.HasPrefix(d.LineText, "Avräkning Testprojekt, januari–december 2020") {
				continue
			}
			if !strings.Contains(d.LineText, "enligt beslut GNS § 5/2021") {
				t.Errorf("%s: %q", d.Number, d.LineText)
			}
			switch {
			case d.Kind == finance.InvoiceKindInvoice && d.PartyID == bracke.ID && d.Amount.StringFixed(2) == "12529.25":
				inv++
			case d.Kind == finance.InvoiceKindCreditNote && d.PartyID == are.ID && d.Amount.StringFixed(2) == "11067.25":
				credit++
			default:
				t.Errorf("unexpected %s %s to %s: %s", d.Kind, d.Number, d.Buyer.Name, d.Amount)
			}
		}
		if inv != 1 || credit != 1 {
			t.Errorf("settlement documents: %d invoices, %d credit notes; want 1 and 1", inv, credit)
		}
		if _, err := projects.ConfirmSettlement(ctx, db, p.ID, 2020, "GNS § 5/2021", domain.MustDate("2021-02-10"), ""); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("second settlement of 2020: %v", err)
		}
		if _, err := projects.PlanSettlement(ctx, c, p, c.Now().Year()); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("a year not over: %v", err)
		}
		// Settled rows never change.
		for _, stmt := range []string{"UPDATE project_settlement_shares SET share_ore = 0", "DELETE FROM project_settlements",
			"DELETE FROM project_allocations", "UPDATE project_budget_lines SET amount_ore = 0"} {
			if _, err := db.SQL().ExecContext(ctx, stmt); err == nil {
				t.Errorf("%s succeeded", stmt)
			}
		}
	})
}
