// Package demo loads the demonstration committee from shared/DOMAIN.md §2: the
// committee GNS, hosted by Region Jämtland Härjedalen, and its nine parties in
// the committee's own order, and one demo user per role.
package demo

import (
	"context"
	"fmt"

	"github.com/region-jh/gns/auth"
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

// Password is the password of every demo user. The demo users exist to try
// GNS out; while any of them can log in, every page shows a demo banner.
const Password = "Storsjon-2026-demo"

// User is one demo user: a role of the demo committee (or a global one).
type User struct {
	Email string
	Name  string
	Role  domain.Role
	// Party is the slug of the party a party representative speaks for.
	Party string
}

// Users are the demo users, one per role.
var Users = []User{
	{Email: "admin@demo.gns.example", Name: "Alva Berglund", Role: domain.RoleAdmin},
	{Email: "sekretariat@demo.gns.example", Name: "Sofia Nordin", Role: domain.RoleSecretariat},
	{Email: "ekonom@demo.gns.example", Name: "Erik Holm", Role: domain.RoleEconomist},
	{Email: "bracke@demo.gns.example", Name: "Birgitta Sjöberg", Role: domain.RoleParty, Party: "bracke"},
	{Email: "ledamot@demo.gns.example", Name: "Lars Åström", Role: domain.RoleMember},
	{Email: "revisor@demo.gns.example", Name: "Ragnhild Ek", Role: domain.RoleAuditor},
}

// Load stores the demo data that is not there yet, all in one transaction:
// the demo committee unless it exists, and the demo users unless any demo
// user exists (an admin may have disabled them, which ends demo mode). It
// reports whether it loaded anything, so it can be run on every start.
func Load(ctx context.Context, db *store.DB) (loaded bool, err error) {
	ctx = domain.WithActor(ctx, domain.Actor{Label: "system (demo)"})
	err = db.InTx(ctx, func(c *store.Conn) error {
		committeeLoaded, err := loadCommittee(ctx, c)
		if err != nil {
			return err
		}
		usersLoaded, err := loadUsers(ctx, c)
		if err != nil {
			return err
		}
		registryLoaded, err := loadRegistry(ctx, c)
		loaded = committeeLoaded || usersLoaded || registryLoaded
		loaded, err = loadCases(ctx, c, loaded, err)
		loaded, err = loadRemiss(ctx, c, loaded, err)
		loaded, err = loadMeetings(ctx, c, loaded, err)
		loaded, err = loadMinutes(ctx, c, loaded, err)
		loaded, err = loadDecember(ctx, c, loaded, err)
		loaded, err = loadArvode(ctx, c, loaded, err)
		loaded, err = loadEconomy(ctx, c, loaded, err)
		loaded, err = loadInvoices(ctx, c, loaded, err)
		loaded, err = loadProject(ctx, c, loaded, err)
		loaded, err = loadServices(ctx, c, loaded, err)
		loaded, err = loadMailAddresses(ctx, c, loaded, err)
		loaded, err = loadAnslag(ctx, c, loaded, err)
		loaded, err = loadVoters(ctx, c, loaded, err)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("load demo data: %w", err)
	}
	return loaded, nil
}

func loadCommittee(ctx context.Context, c *store.Conn) (bool, error) {
	if _, err := c.CommitteeByCode(ctx, CommitteeCode); err == nil {
		return false, nil
	} else if domain.ErrorCode(err) != domain.ENOTFOUND {
		return false, err
	}
	ids := make([]int64, len(Parties))
	for i, p := range Parties {
		stored, err := c.CreateParty(ctx, p)
		if err != nil {
			return false, err
		}
		ids[i] = stored.ID
	}
	cm := Committee
	cm.HostPartyID = ids[0]
	cm, err := c.CreateCommittee(ctx, cm)
	if err != nil {
		return false, err
	}
	for i, id := range ids {
		m := domain.Membership{CommitteeID: cm.ID, PartyID: id, Position: i + 1, From: cm.StartedOn}
		if err := c.AddMembership(ctx, m); err != nil {
			return false, err
		}
	}
	return true, nil
}

func loadUsers(ctx context.Context, c *store.Conn) (bool, error) {
	users, err := c.Users(ctx)
	if err != nil {
		return false, err
	}
	for _, u := range users {
		if u.Demo {
			return false, nil
		}
	}
	cm, err := c.CommitteeByCode(ctx, CommitteeCode)
	if err != nil {
		return false, err
	}
	hash := auth.HashPassword(Password)
	for _, du := range Users {
		g := domain.RoleGrant{Role: du.Role}
		if !du.Role.Global() {
			g.CommitteeID = cm.ID
		}
		if du.Party != "" {
			p, err := c.PartyBySlug(ctx, du.Party)
			if err != nil {
				return false, err
			}
			g.PartyID = p.ID
		}
		if _, err := c.CreateUser(ctx, domain.User{Email: du.Email, Name: du.Name, Demo: true, Roles: []domain.RoleGrant{g}}, hash); err != nil {
			return false, err
		}
	}
	return true, nil
}
