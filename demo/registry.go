package demo

import (
	"context"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
)

// OrgNumbers are the organisation numbers known for the demo parties, by
// slug. The others are left empty and show as "saknas" for the secretariat to
// fill in.
var OrgNumbers = map[string]string{
	"region-jh":  "232100-0214",
	"ostersund":  "212000-2528",
	"harjedalen": "212000-2510",
	"stromsund":  "212000-2486",
}

// PeppolIDs are the Peppol ids known for the demo parties, by slug.
var PeppolIDs = map[string]string{"region-jh": "0007:2321000214"}

// PopulationDate is the reference date of the demo population figures.
var PopulationDate = domain.MustDate("2020-12-31")

// PopulationSource is the source of the demo population figures.
const PopulationSource = "SCB, folkmängd 31 december 2020"

// Populations are the municipalities' populations on PopulationDate, by slug.
// The region's is not in the seeds and is left out rather than guessed.
var Populations = map[string]int64{
	"berg":       7120,
	"bracke":     6181,
	"harjedalen": 10070,
	"krokom":     15054,
	"ragunda":    5208,
	"stromsund":  11488,
	"are":        12049,
	"ostersund":  63985,
}

// TermStart is when the demo members' term began: the seeds' kallelse of
// December 2020 lists them, and the term of office then in progress began on
// 1 January 2019. When it ends is not in the seeds, so the terms are left
// open ("tills vidare") for the secretariat to close.
var TermStart = domain.MustDate("2019-01-01")

// Members are the committee's members as the kallelse in the seeds lists
// them: the chair, the ledamöter (the vice chair among them) and the
// ersättare. The seeds do not say which party appointed whom, so that is left
// for the secretariat to record.
var Members = []domain.Member{
	{Name: "Robert Hamberg", PoliticalParty: "M", Role: domain.MemberChair},
	{Name: "Susanne Hansson", PoliticalParty: "S", Role: domain.MemberViceChair},
	{Name: "Björn Hammarberg", PoliticalParty: "M", Role: domain.MemberOrdinary},
	{Name: "Therese Kärngård", PoliticalParty: "S", Role: domain.MemberOrdinary},
	{Name: "Jörgen Persson", PoliticalParty: "S", Role: domain.MemberOrdinary},
	{Name: "Daniel Danielsson", PoliticalParty: "C", Role: domain.MemberOrdinary},
	{Name: "Anders Häggkvist", PoliticalParty: "C", Role: domain.MemberOrdinary},
	{Name: "Mikael Westin", PoliticalParty: "C", Role: domain.MemberOrdinary},
	{Name: "Bosse Svensson", PoliticalParty: "C", Role: domain.MemberOrdinary},
	{Name: "Ann-Marie Johansson", PoliticalParty: "S", Role: domain.MemberSubstitute},
	{Name: "Maria Jakobsson", PoliticalParty: "S", Role: domain.MemberSubstitute},
	{Name: "Bo Karlsson", PoliticalParty: "C", Role: domain.MemberSubstitute},
	{Name: "Ingrid Kjelsson", PoliticalParty: "C", Role: domain.MemberSubstitute},
	{Name: "Peter Bergman", PoliticalParty: "S", Role: domain.MemberSubstitute},
	{Name: "Lars Gunnar Nordlander", PoliticalParty: "S", Role: domain.MemberSubstitute},
	{Name: "Jonas Andersson", PoliticalParty: "S", Role: domain.MemberSubstitute},
	{Name: "Mats Gärd", PoliticalParty: "C", Role: domain.MemberSubstitute},
	{Name: "Anders Edvinsson", PoliticalParty: "S", Role: domain.MemberSubstitute},
}

// AppointedBy names the party (by slug) that appointed a demo member, where
// the demo records one. The seeds do not say which party appointed whom; the
// demo constructs Bräcke kommun's ledamot and ersättare (both (C), as the
// kallelse lists them) so that Bräcke's representative has an arvode basis
// to download. The other members' parties are left for the secretariat.
var AppointedBy = map[string]string{"Daniel Danielsson": "bracke", "Bo Karlsson": "bracke"}

// loadRegistry adds the registry of the demo committee — the known
// organisation numbers and Peppol ids, the population figures and the members
// — once: when the committee has neither members nor population figures
// (a new demo database, or one from before the registry existed). It never
// overwrites a value, and once loaded it leaves the data to its users, so a
// number an administrator removed does not come back at the next start.
func loadRegistry(ctx context.Context, c *store.Conn) (bool, error) {
	cm, err := c.CommitteeByCode(ctx, CommitteeCode)
	if err != nil {
		return false, err
	}
	members, err := c.Members(ctx, cm.ID)
	if err != nil || len(members) > 0 {
		return false, err
	}
	dates, err := c.PopulationDates(ctx, cm.ID)
	if err != nil || len(dates) > 0 {
		return false, err
	}
	for _, demo := range Parties {
		p, err := c.PartyBySlug(ctx, demo.Slug)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			continue // renamed by an administrator
		}
		if err != nil {
			return false, err
		}
		changed := false
		if p.OrgNumber == "" && OrgNumbers[p.Slug] != "" {
			p.OrgNumber, changed = OrgNumbers[p.Slug], true
		}
		if p.PeppolID == "" && PeppolIDs[p.Slug] != "" {
			p.PeppolID, changed = PeppolIDs[p.Slug], true
		}
		if changed {
			// A number an administrator gave another party is left out.
			if _, err := c.UpdateParty(ctx, p); err != nil && domain.ErrorCode(err) != domain.EINVALID {
				return false, err
			}
		}
		if n, ok := Populations[p.Slug]; ok {
			pop := domain.Population{PartyID: p.ID, ReferenceDate: PopulationDate, Inhabitants: n, Source: PopulationSource}
			if _, _, err := c.RecordPopulation(ctx, pop, ""); err != nil {
				return false, err
			}
		}
	}
	for _, m := range Members {
		m.CommitteeID, m.From = cm.ID, TermStart
		if slug := AppointedBy[m.Name]; slug != "" {
			p, err := c.PartyBySlug(ctx, slug)
			if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
				return false, err
			}
			m.AppointedBy = p.ID
		}
		if _, err := c.CreateMember(ctx, m); err != nil {
			return false, err
		}
	}
	return true, nil
}
