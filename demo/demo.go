// Package demo loads the demonstration committee from shared/DOMAIN.md §2: the
// committee GNS, hosted by Region Jämtland Härjedalen, and its nine parties in
// the committee's own order.
package demo

import (
	"context"
	"fmt"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
)

// CommitteeCode is the code of the demo committee.
const CommitteeCode = "GNS"

// Parties are the demo committee's parties in its party order, host first.
// Organisation numbers are given only where DOMAIN.md states them.
var Parties = []domain.Party{
	{Slug: "region-jh", Name: "Region Jämtland Härjedalen", Kind: domain.PartyKindRegion, OrgNumber: "232100-0214", MunicipalityCode: "23"},
	{Slug: "ostersund", Name: "Östersunds kommun", Kind: domain.PartyKindKommun, MunicipalityCode: "2380"},
	{Slug: "are", Name: "Åre kommun", Kind: domain.PartyKindKommun, MunicipalityCode: "2321"},
	{Slug: "krokom", Name: "Krokoms kommun", Kind: domain.PartyKindKommun, MunicipalityCode: "2309"},
	{Slug: "berg", Name: "Bergs kommun", Kind: domain.PartyKindKommun, MunicipalityCode: "2326"},
	{Slug: "bracke", Name: "Bräcke kommun", Kind: domain.PartyKindKommun, MunicipalityCode: "2305"},
	{Slug: "ragunda", Name: "Ragunda kommun", Kind: domain.PartyKindKommun, MunicipalityCode: "2303"},
	{Slug: "stromsund", Name: "Strömsunds kommun", Kind: domain.PartyKindKommun, MunicipalityCode: "2313"},
	{Slug: "harjedalen", Name: "Härjedalens kommun", Kind: domain.PartyKindKommun, MunicipalityCode: "2361"},
}

// Committee is the demo committee; its host is the first of Parties.
var Committee = domain.Committee{
	Code:      CommitteeCode,
	Name:      "Gemensam nämnd för samverkan inom drift och service, utveckling samt specialistfunktioner",
	StartedOn: domain.MustDate("2018-07-01"),
}

// Load stores the demo data unless the demo committee already exists, all in
// one transaction. It reports whether it loaded anything, so it can be run on
// every start.
func Load(ctx context.Context, db *store.DB) (loaded bool, err error) {
	err = db.InTx(ctx, func(c *store.Conn) error {
		if _, err := c.CommitteeByCode(ctx, CommitteeCode); err == nil {
			return nil
		} else if domain.ErrorCode(err) != domain.ENOTFOUND {
			return err
		}
		ids := make([]int64, len(Parties))
		for i, p := range Parties {
			stored, err := c.CreateParty(ctx, p)
			if err != nil {
				return err
			}
			ids[i] = stored.ID
		}
		cm := Committee
		cm.HostPartyID = ids[0]
		cm, err := c.CreateCommittee(ctx, cm)
		if err != nil {
			return err
		}
		for i, id := range ids {
			m := domain.Membership{CommitteeID: cm.ID, PartyID: id, Position: i + 1, From: cm.StartedOn}
			if err := c.AddMembership(ctx, m); err != nil {
				return err
			}
		}
		loaded = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("load demo data: %w", err)
	}
	return loaded, nil
}
