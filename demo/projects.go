package demo

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/app/projects"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
)

// ProjectName is the demo's project, Projekt Digital transformation
// (GNS/8/2019, seed 004).
const ProjectName = "Projekt Digital transformation"

// ProjectObject is the project's cost object in the demo ledger: the
// consultant costs outside server operations, 71 462,00 kr in March, May
// and August 2020. The seeds give no project ledger; the demo file books
// these costs on it (constructed, said on the project page).
var ProjectObject = finance.ProjectObject{Dimension: 1, Object: "6670", Name: "Projekt Digital transformation"}

// ProjectJoins are the participants of Digital transformation and the
// month they joined (seed 004, item 8): Bräcke, Krokom and Strömsund were
// presented in February 2020, Åre, Ragunda, Berg and Härjedalen joined in May
// 2020. The seeds give the months only; the demo dates them the first of
// the month, which by the settlement's rule (a party carries every month it
// takes part in) is the same as any day of it.
var ProjectJoins = []struct {
	Party  string
	Joined string
}{
	{"bracke", "2020-02-01"}, {"krokom", "2020-02-01"}, {"stromsund", "2020-02-01"},
	{"are", "2020-05-01"}, {"ragunda", "2020-05-01"}, {"berg", "2020-05-01"}, {"harjedalen", "2020-05-01"},
}

// ProjectClosed is the day the committee closed the project: the December
// 2020 meeting's paragraph on "Avslut av Projekt Digital transformation".
var ProjectClosed = domain.MustDate("2020-12-14")

// ProjectEarmark is the 2018 surplus that § 8/2020 earmarked for the
// project ("knappt 417 tkr"), the demo's 2020 budget for its consultant
// costs.
var ProjectEarmark = decimal.NewFromInt(417_000)

// ProjectSettlementDate is the issue date of the settlement's invoices: the
// årsbokslut meeting of 8 February 2021 (constructed; the seeds have no
// settlement).
var ProjectSettlementDate = domain.MustDate("2021-02-08")

// projectDescription is the project's aim and story from the seeds.
const projectDescription = `Projektet syftade till att öka tillgången till, användningen av och kvaliteten på informations- och kommunikationsteknik. Extern finansiering skulle sökas via Tillväxtverkets EU-program för Mellersta Norrland (ERUF). Den 3 juni 2019 uppdrog nämnden till e-strategen att skriva fram en projektansökan och säkerställa medfinansiering från parterna; den 14 februari 2020, § 8, beslutade nämnden att återstående medel från 2018, knappt 417 tkr, skulle finansiera projektet. Någon projektansökan skickades aldrig in, och i december 2020 avslutades projektet.

Konstruerat för demon: seeds saknar projektets bokföring och avräkning. Demons huvudbok bokför konsultkostnaderna utanför serverdriften (71 462 kr) på objekt 6670, och avräkningen fördelar dem på deltagarna efter deltagandemånader.`

// loadProject gives the demo committee Projekt Digital transformation
// unless it has projects: its case, object, key (population on 31 December
// 2020, the demo's figures, among the participants as DOMAIN.md §6.1 says),
// the seven participants with the months they joined, the earmarked 417 tkr
// as the 2020 budget on Konsultkostnader, the ERUF application that was
// never sent, the closing on 14 December 2020, and the settlement of 2020
// issued as invoices through the committee's invoicing.
func loadProject(ctx context.Context, c *store.Conn, loaded bool, err error) (bool, error) {
	if err != nil {
		return loaded, err
	}
	cm, err := c.CommitteeByCode(ctx, CommitteeCode)
	if err != nil {
		return loaded, err
	}
	if list, err := c.Projects(ctx, cm.ID); err != nil || len(list) > 0 {
		return loaded, err
	}
	if runs, err := c.InvoiceRuns(ctx, cm.ID); err != nil || len(runs) == 0 {
		return loaded, err // the invoicing is loaded first
	}
	n, err := domain.ParseCaseNumber("GNS/8/2019")
	if err != nil {
		return loaded, err
	}
	k, err := c.CaseByNumber(ctx, n)
	if err != nil {
		return loaded, err
	}
	closing, err := DecidedIn(ctx, c, "GNS/8/2019")
	if err != nil {
		return loaded, err
	}
	p, err := c.CreateProject(ctx, finance.Project{CommitteeID: cm.ID, Name: ProjectName, Description: projectDescription, CaseID: k.ID,
		Method: finance.ProjectPopulation, PopulationDate: populationDate, Decision: "GNS § 8/2020", Objects: []finance.ProjectObject{ProjectObject}})
	if err != nil {
		return loaded, fmt.Errorf("demo project: %w", err)
	}
	for _, j := range ProjectJoins {
		party, err := c.PartyBySlug(ctx, j.Party)
		if err != nil {
			return loaded, err
		}
		note := "seeds: februari 2020"
		if j.Joined == "2020-05-01" {
			note = "seeds: maj 2020"
		}
		if _, err := c.AddProjectParticipant(ctx, finance.Participant{ProjectID: p.ID, PartyID: party.ID, Joined: domain.MustDate(j.Joined), Note: note}); err != nil {
			return loaded, fmt.Errorf("demo participant %s: %w", j.Party, err)
		}
	}
	rows, err := c.ReportRows(ctx, cm.ID)
	if err != nil {
		return loaded, err
	}
	for _, r := range rows {
		if r.Key == "konsultkostnader" {
			if _, err := c.AddProjectBudgetLine(ctx, finance.ProjectBudgetLine{ProjectID: p.ID, Year: 2020, RowID: r.ID, Amount: ProjectEarmark.Neg()}); err != nil {
				return loaded, err
			}
		}
	}
	if _, err := c.AddProjectFunding(ctx, finance.ProjectFunding{ProjectID: p.ID, Year: 2020, Kind: finance.FundingGrant,
		Funder: "ERUF via Tillväxtverket (EU-programmet för Mellersta Norrland)", Status: finance.FundingNotApplied, Amount: decimal.Zero,
		Note: "Projektansökan skickades aldrig in (GNS/8/2019)."}); err != nil {
		return loaded, err
	}
	if _, err := c.CloseProject(ctx, p.ID, ProjectClosed); err != nil {
		return loaded, err
	}
	if _, err := projects.Settle(ctx, c, p.ID, 2020, projects.Decision{ParagraphID: closing.ID}, ProjectSettlementDate, ""); err != nil {
		return loaded, fmt.Errorf("demo settlement: %w", err)
	}
	return true, nil
}
