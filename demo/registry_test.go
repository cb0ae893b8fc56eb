package demo_test

import (
	"context"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

func TestDemoRegistry(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		c := db.Conn()
		for _, p := range demo.Parties {
			got, err := c.PartyBySlug(ctx, p.Slug)
			if err != nil {
				t.Fatal(err)
			}
			if got.OrgNumber != demo.OrgNumbers[p.Slug] || got.PeppolID != demo.PeppolIDs[p.Slug] {
				t.Errorf("%s: org number %q, Peppol %q", p.Slug, got.OrgNumber, got.PeppolID)
			}
		}
		gns, _ := c.CommitteeByCode(ctx, demo.CommitteeCode)
		tab, err := c.PopulationTable(ctx, gns, demo.PopulationDate)
		if err != nil {
			t.Fatal(err)
		}
		if tab.Total != 131155 || tab.Missing != 1 || tab.Rows[0].Figure != nil {
			t.Errorf("population table: total %d, missing %d; want 131 155 with only the region missing", tab.Total, tab.Missing)
		}
		members, err := c.Members(ctx, gns.ID)
		if err != nil || len(members) != 18 {
			t.Fatalf("members = %d, %v", len(members), err)
		}
		count := map[domain.MemberRole]int{}
		for _, m := range members {
			count[m.Role]++
		}
		if count[domain.MemberChair] != 1 || count[domain.MemberViceChair] != 1 || count[domain.MemberOrdinary] != 7 || count[domain.MemberSubstitute] != 9 {
			t.Errorf("members by role = %v", count)
		}
		if members[0].DisplayName() != "Robert Hamberg (M)" || members[1].DisplayName() != "Susanne Hansson (S)" {
			t.Errorf("chair and vice chair = %s, %s", members[0].DisplayName(), members[1].DisplayName())
		}

		// Loading again adds nothing and overwrites nothing a user changed.
		ostersund, _ := c.PartyBySlug(ctx, "ostersund")
		ostersund.OrgNumber = ""
		if err := db.InTx(ctx, func(c *store.Conn) error {
			if _, err := c.UpdateParty(ctx, ostersund); err != nil {
				return err
			}
			_, _, err := c.RecordPopulation(ctx, domain.Population{PartyID: ostersund.ID, ReferenceDate: demo.PopulationDate, Inhabitants: 63986, Source: "Rättad"}, "test")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		hist, _ := c.PopulationHistory(ctx, ostersund.ID)
		if len(hist) != 2 || hist[0].Inhabitants != 63986 {
			t.Errorf("Östersund's history after a second load = %+v", hist)
		}
		if got, _ := c.PartyBySlug(ctx, "ostersund"); got.OrgNumber != "" {
			t.Errorf("a second load put back the org number the admin removed: %q", got.OrgNumber)
		}
		if again, _ := c.Members(ctx, gns.ID); len(again) != 18 {
			t.Errorf("members after a second load = %d", len(again))
		}
	})
}
