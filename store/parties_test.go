package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// registryCtx is the context registry tests make their changes in.
var registryCtx = domain.WithActor(context.Background(), domain.Actor{Label: "test"})

// inTx runs fn in a transaction of the test's actor.
func inTx(db *store.DB, fn func(c *store.Conn) error) error {
	return db.InTx(registryCtx, fn)
}

// fixture is a committee with three parties, the region hosting it.
type fixture struct {
	cm                      domain.Committee
	region, ostersund, berg domain.Party
}

func newFixture(t *testing.T, db *store.DB) fixture {
	t.Helper()
	var f fixture
	err := inTx(db, func(c *store.Conn) error {
		var err error
		if f.region, err = c.CreateParty(registryCtx, domain.Party{Slug: "region-jh", Name: "Region Jämtland Härjedalen", Kind: domain.PartyKindRegion,
			OrgNumber: "232100-0214", MunicipalityCode: "23"}); err != nil {
			return err
		}
		if f.ostersund, err = c.CreateParty(registryCtx, domain.Party{Slug: "ostersund", Name: "Östersunds kommun", Kind: domain.PartyKindKommun,
			OrgNumber: "212000-2528", MunicipalityCode: "2380"}); err != nil {
			return err
		}
		if f.berg, err = c.CreateParty(registryCtx, domain.Party{Slug: "berg", Name: "Bergs kommun", Kind: domain.PartyKindKommun, MunicipalityCode: "2326"}); err != nil {
			return err
		}
		if f.cm, err = c.CreateCommittee(registryCtx, domain.Committee{Code: "GNS", Name: "Gemensam nämnd", StartedOn: domain.MustDate("2018-07-01"), HostPartyID: f.region.ID}); err != nil {
			return err
		}
		for _, p := range []domain.Party{f.region, f.ostersund, f.berg} {
			if err := c.AddMembership(registryCtx, domain.Membership{CommitteeID: f.cm.ID, PartyID: p.ID, From: f.cm.StartedOn}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// count returns the number of rows in a table.
func count(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRowContext(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestParties(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := db.Conn()

		// Bad input: a clear error on the field, and nothing written.
		tests := []struct {
			name    string
			p       domain.Party
			field   string
			wantMsg string
		}{
			{"same org number, other form", domain.Party{Name: "Dubblett", Kind: domain.PartyKindKommun, OrgNumber: "2120002528"}, "org_number", "används redan av Östersunds kommun"},
			{"failed Luhn check", domain.Party{Name: "Fel", Kind: domain.PartyKindKommun, OrgNumber: "212000-2529"}, "org_number", "kontrollsiffra"},
			{"same kommunkod", domain.Party{Name: "Annan", Kind: domain.PartyKindKommun, MunicipalityCode: "2380"}, "municipality_code", "används redan av Östersunds kommun"},
			{"same slug", domain.Party{Slug: "berg", Name: "Berg igen", Kind: domain.PartyKindKommun}, "slug", "används redan av Bergs kommun"},
			{"name of 10 000 characters", domain.Party{Name: strings.Repeat("å", 10_000), Kind: domain.PartyKindKommun}, "name", "högst 200"},
			{"unknown kind", domain.Party{Name: "Staden", Kind: "stad"}, "kind", "kommun eller en region"},
		}
		before, audits := count(t, db, "parties"), count(t, db, "audit_log")
		for _, tt := range tests {
			err := inTx(db, func(c *store.Conn) error { _, err := c.CreateParty(registryCtx, tt.p); return err })
			if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), tt.wantMsg) {
				t.Errorf("%s: err = %v, want invalid with %q", tt.name, err, tt.wantMsg)
			}
		}
		if count(t, db, "parties") != before || count(t, db, "audit_log") != audits {
			t.Error("refused parties left rows behind")
		}

		// HTML in a name is kept as text; the slug comes from the name.
		var are domain.Party
		err := inTx(db, func(c *store.Conn) error {
			var err error
			are, err = c.CreateParty(registryCtx, domain.Party{Name: "Åre <b>kommun</b>", Kind: domain.PartyKindKommun, MunicipalityCode: "2321"})
			return err
		})
		if err != nil || are.Slug != "are-b-kommun-b" {
			t.Fatalf("create Åre = %+v, %v", are, err)
		}
		got, err := c.PartyByID(registryCtx, are.ID)
		if err != nil || got.Name != "Åre <b>kommun</b>" {
			t.Errorf("PartyByID = %+v, %v", got, err)
		}

		// The secretariat's edit changes the details only; the admin's all.
		details := domain.PartyDetails{Address: "Rådhusgatan 42\n831 82 Östersund", InvoiceReference: "GNS-1234", PeppolID: "0007:2120002528",
			ContactName: "Eva Ek", ContactEmail: "eva.ek@ostersund.se", ContactPhone: "063-14 30 00"}
		err = inTx(db, func(c *store.Conn) error {
			_, err := c.UpdatePartyDetails(registryCtx, f.ostersund.ID, details)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		got, _ = c.PartyByID(registryCtx, f.ostersund.ID)
		if got.PartyDetails != details || got.OrgNumber != "212000-2528" || got.Name != "Östersunds kommun" {
			t.Errorf("after UpdatePartyDetails: %+v", got)
		}
		err = inTx(db, func(c *store.Conn) error {
			_, err := c.UpdatePartyDetails(registryCtx, f.ostersund.ID, domain.PartyDetails{PeppolID: "0007:2120002529"})
			return err
		})
		if domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("bad Peppol id: %v, want invalid", err)
		}
		berg := f.berg
		berg.OrgNumber = "212000-2510"
		err = inTx(db, func(c *store.Conn) error { _, err := c.UpdateParty(registryCtx, berg); return err })
		if err != nil {
			t.Fatal(err)
		}
		berg.OrgNumber = "212000-2528" // Östersund's
		err = inTx(db, func(c *store.Conn) error { _, err := c.UpdateParty(registryCtx, berg); return err })
		if domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("taking another party's org number: %v, want invalid", err)
		}
		if err := inTx(db, func(c *store.Conn) error {
			_, err := c.UpdateParty(registryCtx, domain.Party{ID: 999999, Name: "X", Kind: domain.PartyKindKommun})
			return err
		}); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("update of a missing party: %v, want not found", err)
		}

		all, err := c.Parties(registryCtx)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range all {
			names = append(names, p.Name)
		}
		if want := "Bergs kommun,Region Jämtland Härjedalen,Åre <b>kommun</b>,Östersunds kommun"; strings.Join(names, ",") != want {
			t.Errorf("Parties() = %v, want %s", names, want)
		}
		ids, err := c.PartyCommitteeIDs(registryCtx, f.berg.ID)
		if err != nil || len(ids) != 1 || ids[0] != f.cm.ID {
			t.Errorf("PartyCommitteeIDs = %v, %v", ids, err)
		}
		entries, _, _ := c.AuditEntries(registryCtx, domain.AuditFilter{Entity: "party"})
		if len(entries) < 6 || entries[0].Action != "update" {
			t.Errorf("audit trail of parties: %d entries", len(entries))
		}
	})
}
