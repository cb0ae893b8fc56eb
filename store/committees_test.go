package store_test

import (
	"context"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

func TestCommitteeOverviews(t *testing.T) {
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
