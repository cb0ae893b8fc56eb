package demo

import (
	"context"
	"fmt"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
)

// RemissCase is the case the demo's remiss is about: seed 004's GNS/3/2019,
// whose tjänsteskrivelse reports the answers under "Resultat Remiss".
const RemissCase = "GNS/3/2019"

// RemissAnswer is one party's answer to the demo remiss.
type RemissAnswer struct {
	Party      string // slug
	Position   domain.RemissPosition
	ReceivedOn domain.Date
}

// The demo remiss. The seed gives the question (the tjänsteskrivelse's
// "Gemensamma nämnden för samverkan önskade därför inhämta ...") and the
// answers: six parties answered, Bräcke took no position, Åre, Berg and
// Ragunda never answered. It gives no dates: those below are the demo's
// own, in the order the seed names the parties (which the drafted summary
// follows).
var (
	RemissSentOn   = domain.MustDate("2020-09-21")
	RemissLastDay  = domain.MustDate("2020-11-20")
	RemissSubject  = "förstudien"
	RemissQuestion = "Gemensamma nämnden för samverkan önskar inhämta parternas respektive ställningstagande kring förstudien i sin helhet. Vidare ska parterna lämna en enskild bedömning hur vida något av förstudiens scenarion anses lämplig för samverkan inom Gemensam IT-serverdrift."
	RemissAnswers  = []RemissAnswer{
		{"ostersund", domain.RemissApproves, domain.MustDate("2020-10-27")},
		{"stromsund", domain.RemissApproves, domain.MustDate("2020-11-03")},
		{"harjedalen", domain.RemissApproves, domain.MustDate("2020-11-10")},
		{"krokom", domain.RemissApproves, domain.MustDate("2020-11-16")},
		{"region-jh", domain.RemissApproves, domain.MustDate("2020-11-18")},
		{"bracke", domain.RemissAbstains, domain.MustDate("2020-11-19")},
	}
)

// loadRemiss sends GNS/3/2019 on remiss to all nine parties with its
// tjänsteskrivelse and records the seed's six answers, unless the case has
// a remiss already. The summary is left for the secretariat to draft.
func loadRemiss(ctx context.Context, c *store.Conn, loaded bool, err error) (bool, error) {
	if err != nil {
		return loaded, err
	}
	n, err := domain.ParseCaseNumber(RemissCase)
	if err != nil {
		return loaded, err
	}
	k, err := c.CaseByNumber(ctx, n)
	if err != nil {
		return loaded, err
	}
	existing, err := c.CaseRemisser(ctx, k.ID)
	if err != nil || len(existing) > 0 {
		return loaded, err
	}
	parties, err := c.CommitteePartiesOn(ctx, k.CommitteeID, RemissSentOn)
	if err != nil {
		return loaded, err
	}
	docs, err := c.CaseDocuments(ctx, k.ID)
	if err != nil {
		return loaded, err
	}
	r := domain.Remiss{Question: RemissQuestion, Subject: RemissSubject, LastDay: RemissLastDay}
	slugs := map[string]int64{}
	for _, p := range parties {
		r.Parties = append(r.Parties, domain.RemissParty{PartyID: p.ID})
		slugs[p.Slug] = p.ID
	}
	r.Documents = docs
	r, err = c.CreateRemiss(ctx, k.ID, r, RemissSentOn)
	if err != nil {
		return loaded, fmt.Errorf("demo remiss: %w", err)
	}
	for _, a := range RemissAnswers {
		if _, err := c.AnswerRemiss(ctx, r.ID, slugs[a.Party], domain.RemissAnswer{Position: a.Position, ReceivedOn: a.ReceivedOn}, nil, a.ReceivedOn); err != nil {
			return loaded, fmt.Errorf("demo remiss answer of %s: %w", a.Party, err)
		}
	}
	return true, nil
}
