package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

func TestCommitteeOverviews(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		err := db.InTx(ctx, func(c *store.Conn) error {
			region, err := c.CreateParty(ctx, domain.Party{Slug: "region", Name: "Region Jämtland Härjedalen", Kind: domain.PartyKindRegion, OrgNumber: "232100-0214"})
			if err != nil {
				return err
			}
			are, err := c.CreateParty(ctx, domain.Party{Slug: "are", Name: "Åre kommun", Kind: domain.PartyKindKommun, MunicipalityCode: "2321"})
			if err != nil {
				return err
			}
			left, err := c.CreateParty(ctx, domain.Party{Slug: "left", Name: "Utträdd kommun", Kind: domain.PartyKindKommun})
			if err != nil {
				return err
			}
			cm, err := c.CreateCommittee(ctx, domain.Committee{Code: "GNS", Name: "Gemensam nämnd", StartedOn: domain.MustDate("2018-07-01"), HostPartyID: region.ID})
			if err != nil {
				return err
			}
			for _, m := range []domain.Membership{
				{CommitteeID: cm.ID, PartyID: are.ID, Position: 2, From: domain.MustDate("2018-07-01")},
				{CommitteeID: cm.ID, PartyID: region.ID, Position: 1, From: domain.MustDate("2018-07-01")},
				{CommitteeID: cm.ID, PartyID: left.ID, Position: 3, From: domain.MustDate("2018-07-01"), To: domain.MustDate("2019-12-31")},
			} {
				if err := c.AddMembership(ctx, m); err != nil {
					return err
				}
			}
			_, err = c.CreateCommittee(ctx, domain.Committee{Code: "UPH", Name: "Upphandlingsnämnd", StartedOn: domain.MustDate("2020-01-01")})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}

		tests := []struct {
			day  string
			want []string
		}{
			{"2019-06-01", []string{"region", "are", "left"}},
			{"2019-12-31", []string{"region", "are", "left"}},
			{"2020-01-01", []string{"region", "are"}},
			{"2018-06-30", nil},
		}
		for _, tt := range tests {
			got, err := db.Conn().CommitteeOverviews(ctx, domain.MustDate(tt.day))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || got[0].Code != "GNS" || got[1].Code != "UPH" {
				t.Fatalf("committees on %s = %+v, want GNS and UPH", tt.day, got)
			}
			var slugs []string
			for _, p := range got[0].Parties {
				slugs = append(slugs, p.Slug)
				if p.Host != (p.Slug == "region") {
					t.Errorf("%s: host = %v", p.Slug, p.Host)
				}
			}
			if !equal(slugs, tt.want) {
				t.Errorf("parties on %s = %v, want %v", tt.day, slugs, tt.want)
			}
			if len(got[1].Parties) != 0 {
				t.Errorf("UPH has parties %v, want none", got[1].Parties)
			}
		}

		gns, err := db.Conn().CommitteeByCode(ctx, "GNS")
		if err != nil {
			t.Fatal(err)
		}
		if gns.StartedOn != domain.MustDate("2018-07-01") {
			t.Errorf("StartedOn = %v, want 2018-07-01", gns.StartedOn)
		}
		if _, err := db.Conn().CommitteeByCode(ctx, "XYZ"); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("unknown committee: err = %v, want not found", err)
		}
	})
}

func TestCreateRejectsInvalid(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := db.Conn()
		if _, err := c.CreateParty(ctx, domain.Party{Slug: "x", Name: "X", Kind: "stad"}); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("party of unknown kind: err = %v, want invalid", err)
		}
		if _, err := c.CreateCommittee(ctx, domain.Committee{Code: "GNS", Name: "GNS"}); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("committee without start date: err = %v, want invalid", err)
		}
		p, err := c.CreateParty(ctx, domain.Party{Slug: "berg", Name: "Bergs kommun", Kind: domain.PartyKindKommun})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.CreateParty(ctx, p); err == nil {
			t.Error("a second party with the same slug was accepted")
		}
		cm, err := c.CreateCommittee(ctx, domain.Committee{Code: "GNS", Name: "GNS", StartedOn: domain.MustDate("2018-07-01")})
		if err != nil {
			t.Fatal(err)
		}
		bad := domain.Membership{CommitteeID: cm.ID, PartyID: p.ID, Position: 1, From: domain.MustDate("2020-01-01"), To: domain.MustDate("2019-01-01")}
		if err := c.AddMembership(ctx, bad); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("membership ending before it starts: err = %v, want invalid", err)
		}
	})
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCommitteeMemberships(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := db.Conn()
		day := domain.MustDate("2021-01-01")
		order := func() string {
			t.Helper()
			ps, err := c.CommitteePartiesOn(registryCtx, f.cm.ID, day)
			if err != nil {
				t.Fatal(err)
			}
			var s []string
			for _, p := range ps {
				s = append(s, p.Slug)
			}
			return strings.Join(s, ",")
		}
		if got := order(); got != "region-jh,ostersund,berg" {
			t.Fatalf("order = %s", got)
		}

		// Refused: a code that is taken, overlapping memberships, moving the
		// host or above it, the host leaving, an end before the start.
		refused := []struct {
			name string
			fn   func(c *store.Conn) error
			code string
		}{
			{"same code", func(c *store.Conn) error {
				_, err := c.CreateCommittee(registryCtx, domain.Committee{Code: "gns", Name: "Annan", StartedOn: day})
				return err
			}, domain.EINVALID},
			{"overlapping membership", func(c *store.Conn) error {
				return c.AddMembership(registryCtx, domain.Membership{CommitteeID: f.cm.ID, PartyID: f.berg.ID, From: domain.MustDate("2020-01-01")})
			}, domain.EINVALID},
			{"unknown party", func(c *store.Conn) error {
				return c.AddMembership(registryCtx, domain.Membership{CommitteeID: f.cm.ID, PartyID: 999999, From: day})
			}, domain.EINVALID},
			{"move the host", func(c *store.Conn) error { return c.MoveParty(registryCtx, f.cm.ID, f.region.ID, false, day) }, domain.ECONFLICT},
			{"move above the host", func(c *store.Conn) error { return c.MoveParty(registryCtx, f.cm.ID, f.ostersund.ID, true, day) }, domain.ECONFLICT},
			{"move past the end", func(c *store.Conn) error { return c.MoveParty(registryCtx, f.cm.ID, f.berg.ID, false, day) }, domain.ECONFLICT},
			{"host leaves", func(c *store.Conn) error { return c.EndMembership(registryCtx, f.cm.ID, f.region.ID, day) }, domain.ECONFLICT},
			{"end before start", func(c *store.Conn) error {
				return c.EndMembership(registryCtx, f.cm.ID, f.berg.ID, domain.MustDate("2018-01-01"))
			}, domain.EINVALID},
			{"host not a member", func(c *store.Conn) error {
				p, err := c.CreateParty(registryCtx, domain.Party{Name: "Utomstående kommun", Kind: domain.PartyKindKommun})
				if err != nil {
					return err
				}
				cm := f.cm
				cm.HostPartyID = p.ID
				_, err = c.UpdateCommittee(registryCtx, cm, day)
				return err
			}, domain.EINVALID},
			{"no host", func(c *store.Conn) error {
				cm := f.cm
				cm.HostPartyID = 0
				_, err := c.UpdateCommittee(registryCtx, cm, day)
				return err
			}, domain.EINVALID},
		}
		for _, tt := range refused {
			if err := inTx(db, tt.fn); domain.ErrorCode(err) != tt.code {
				t.Errorf("%s: err = %v, want %s", tt.name, err, tt.code)
			}
		}
		if got := order(); got != "region-jh,ostersund,berg" {
			t.Errorf("order after refused changes = %s", got)
		}

		if err := inTx(db, func(c *store.Conn) error { return c.MoveParty(registryCtx, f.cm.ID, f.berg.ID, true, day) }); err != nil {
			t.Fatal(err)
		}
		if got := order(); got != "region-jh,berg,ostersund" {
			t.Errorf("after moving Berg up: %s", got)
		}

		// A new host moves to the head of the order; the code never changes.
		cm := f.cm
		cm.HostPartyID, cm.Name, cm.Code = f.ostersund.ID, "Nytt namn", "XYZ"
		if err := inTx(db, func(c *store.Conn) error { _, err := c.UpdateCommittee(registryCtx, cm, day); return err }); err != nil {
			t.Fatal(err)
		}
		if got := order(); got != "ostersund,region-jh,berg" {
			t.Errorf("after the host change: %s", got)
		}
		got, err := c.CommitteeByID(registryCtx, f.cm.ID)
		if err != nil || got.Code != "GNS" || got.Name != "Nytt namn" || got.HostPartyID != f.ostersund.ID {
			t.Errorf("committee after update = %+v, %v", got, err)
		}

		// Berg leaves at the end of 2021 and comes back in 2023.
		if err := inTx(db, func(c *store.Conn) error {
			return c.EndMembership(registryCtx, f.cm.ID, f.berg.ID, domain.MustDate("2021-12-31"))
		}); err != nil {
			t.Fatal(err)
		}
		if err := inTx(db, func(c *store.Conn) error {
			return c.EndMembership(registryCtx, f.cm.ID, f.berg.ID, domain.MustDate("2022-12-31"))
		}); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("ending an ended membership: %v, want not found", err)
		}
		if err := inTx(db, func(c *store.Conn) error {
			return c.AddMembership(registryCtx, domain.Membership{CommitteeID: f.cm.ID, PartyID: f.berg.ID, From: domain.MustDate("2023-01-01")})
		}); err != nil {
			t.Fatal(err)
		}
		all, err := c.CommitteeParties(registryCtx, f.cm.ID)
		if err != nil || len(all) != 4 {
			t.Fatalf("CommitteeParties = %d, %v; want 4 memberships", len(all), err)
		}
		if !all[0].Host || all[0].Slug != "ostersund" {
			t.Errorf("first membership = %s (host %v), want the host", all[0].Slug, all[0].Host)
		}
		day = domain.MustDate("2022-06-01")
		if got := order(); got != "ostersund,region-jh" {
			t.Errorf("members in 2022 = %s", got)
		}
		ms, err := c.PartyMemberships(registryCtx, f.berg.ID)
		if err != nil || len(ms) != 2 || ms[0].Membership.To != domain.MustDate("2021-12-31") || !ms[1].Membership.To.IsZero() {
			t.Errorf("Berg's memberships = %+v, %v", ms, err)
		}

		// Memberships are history: never deleted.
		if _, err := db.SQL().ExecContext(registryCtx, "DELETE FROM committee_parties"); err == nil {
			t.Error("a membership could be deleted")
		}
	})
}
