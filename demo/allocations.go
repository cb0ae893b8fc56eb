package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/allocation"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
)

// Allocation is one of the demo committee's decided allocations: what the
// December 2020 meeting decided in the seeds' cases, split in equal shares
// between the nine parties by the allocation engine, and tied to the
// paragraph of the demo's December minutes (constructed from the kallelse,
// see loadDecember) that decided its case.
type Allocation struct {
	Kind  finance.AllocationKind
	Title string
	// Total is the amount in kronor; negative for a refund.
	Total      string
	BudgetYear int
	// Case is the case the December 2020 minutes decided it in.
	Case string
	// StatedShare is the amount per party the decision's text states, if
	// any; PaysDecided pays it ("enligt beslutets belopp").
	StatedShare string
	PaysDecided bool
	// OriginYears are a refund's originating years, oldest first.
	OriginYears []int
}

// Allocations are the demo allocations: the base funding 2021 (914 400 kr,
// GNS/8/2020, item 4 of the December 2020 kallelse) and the refund of the
// remaining funds from 2018 and 2019 (468 091 kr, GNS/2/2020, item 6),
// paid as the decision states it, "52 010 kr till respektive part": the
// 1,00 kr the nine amounts leave stays in the committee.
var Allocations = []Allocation{
	{Kind: finance.AllocationBaseFunding, Title: "Basfinansiering 2021", Total: "914400.00", BudgetYear: 2021, Case: "GNS/8/2020"},
	{Kind: finance.AllocationRefund, Title: "Återbetalning av återstående medel från 2018 och 2019", Total: "-468091.00",
		BudgetYear: 2021, Case: "GNS/2/2020", StatedShare: "-52010", PaysDecided: true, OriginYears: []int{2018, 2019}},
}

// DirectiveKey is the fixed percentage key of the 2015 project directive
// (DirectiveSource): the region 50 %, the municipalities by population.
var DirectiveKey = map[string]string{
	"region-jh": "50.00", "berg": "2.77", "bracke": "2.54", "harjedalen": "4.02", "krokom": "5.81",
	"ragunda": "2.13", "stromsund": "4.60", "are": "4.16", "ostersund": "23.97",
}

// DirectiveSource is where DirectiveKey is written (shared/seeds/003).
const DirectiveSource = "projektdirektivet 2015 (utkast), Regional samverkan inom e- och IT-området i Jämtland Härjedalen: förslag till kostnadsfördelning efter invånarantal per den 1 november"

// DigitalTransformation are the participants of Projekt Digital
// transformation (seed 004, item 8): Bräcke, Krokom and Strömsund from
// February 2020, joined by Åre, Ragunda, Berg and Härjedalen in May 2020.
// Östersund and the region never took part.
var DigitalTransformation = []string{"bracke", "krokom", "stromsund", "are", "ragunda", "berg", "harjedalen"}

// Proposal is a demo allocation proposed but not decided, with an example
// amount (the seeds decide none): by the directive's key over some parties
// or all, or by population with a fixed host share.
type Proposal struct {
	Title string
	Total string
	// Parties are the participants' slugs; nil means all the parties.
	Parties []string
	// Directive splits by DirectiveKey (renormalised over a subset);
	// otherwise the split is by population at populationDate, with
	// HostShare when given.
	Directive bool
	HostShare string
}

// Proposals are the demo's proposals: the directive's key over the seven
// participants of Digital transformation (renormalised exactly over them),
// the directive's key over all nine parties, and, as a different
// allocation, a population split by the figures of 31 December 2020 with
// the host paying 50 %.
var Proposals = []Proposal{
	{Title: "Projekt Digital transformation, exempelbelopp: projektdirektivets nyckel över de sju deltagande (förslag)", Total: "100000.00",
		Parties: DigitalTransformation, Directive: true},
	{Title: "Projektkostnader, exempelbelopp: projektdirektivets nyckel 2015 (förslag)", Total: "100000.00", Directive: true},
	{Title: "Projektkostnader, exempelbelopp: värdparten 50 %, övriga efter invånarantal 31 december 2020 – inte direktivets nyckel (förslag)",
		Total: "100000.00", HostShare: "50"},
}

// populationDate is the reference date of the demo's population figures.
var populationDate = domain.MustDate("2020-12-31")

// loadProposals saves the demo proposals.
func loadProposals(ctx context.Context, c *store.Conn, cm domain.Committee) error {
	table, err := c.PopulationTable(ctx, cm, populationDate)
	if err != nil {
		return err
	}
	for _, p := range Proposals {
		want := map[string]bool{}
		for _, slug := range p.Parties {
			want[slug] = true
		}
		spec := allocation.Spec{Total: decimal.RequireFromString(p.Total), Method: allocation.MethodPopulation}
		if p.Directive {
			spec.Method, spec.Renormalise = allocation.MethodPercent, p.Parties != nil
		}
		if p.HostShare != "" {
			h := decimal.RequireFromString(p.HostShare)
			spec.HostShare = &h
		}
		rows := map[string]domain.MemberParty{}
		for _, r := range table.Rows {
			if p.Parties != nil && !want[r.Party.Slug] {
				continue
			}
			sp := allocation.Party{ID: r.Party.Slug, Name: r.Party.Name, Host: r.Party.Host, Order: r.Party.Membership.Position}
			switch {
			case p.Directive:
				pct := decimal.RequireFromString(DirectiveKey[r.Party.Slug])
				sp.Percent = &pct
			case r.Figure != nil:
				n := r.Figure.Inhabitants
				sp.Population, sp.PopulationDate, sp.PopulationSource = &n, r.Figure.ReferenceDate.String(), r.Figure.Source
			}
			rows[r.Party.Slug] = r.Party
			spec.Parties = append(spec.Parties, sp)
		}
		res, err := allocation.Allocate(spec)
		if err != nil {
			return fmt.Errorf("demo proposal %s: %w", p.Title, err)
		}
		a := finance.Allocation{CommitteeID: cm.ID, Kind: finance.AllocationProject, Title: p.Title, Method: string(res.Method),
			Unit: string(res.Unit), Total: res.Total, BudgetYear: 2021}
		if !p.Directive {
			a.ReferenceDate = populationDate
		}
		if res.HostShare != nil {
			a.HostShare = decimal.NullDecimal{Decimal: *res.HostShare, Valid: true}
		}
		a.Shares, _ = allocation.SavedShares(res, func(slug string) domain.MemberParty { return rows[slug] })
		for i := range a.Shares {
			if p.Directive {
				a.Shares[i].PopulationSource = DirectiveSource
			}
		}
		if _, err := c.CreateAllocation(ctx, a); err != nil {
			return fmt.Errorf("demo proposal %s: %w", p.Title, err)
		}
	}
	return nil
}

// loadAllocations saves the demo allocations when the committee has none
// (a new demo database, or one from before allocations existed), and returns
// what it saved. Allocations someone has made are left alone.
func loadAllocations(ctx context.Context, c *store.Conn, cm domain.Committee) ([]finance.Allocation, error) {
	if existing, err := c.Allocations(ctx, cm.ID); err != nil || len(existing) > 0 {
		return nil, err
	}
	if _, err := DecidedIn(ctx, c, Allocations[0].Case); domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, nil // a demo from before the December minutes: nothing to tie the allocations to
	}
	var saved []finance.Allocation
	for _, da := range Allocations {
		members, err := c.CommitteePartiesOn(ctx, cm.ID, domain.Date{Year: da.BudgetYear, Month: time.January, Day: 1})
		if err != nil {
			return nil, err
		}
		a, err := demoAllocation(ctx, c, cm, members, da)
		if err != nil {
			return nil, fmt.Errorf("demo allocation %s: %w", da.Title, err)
		}
		if a, err = c.CreateAllocation(ctx, a); err != nil {
			return nil, fmt.Errorf("demo allocation %s: %w", da.Title, err)
		}
		saved = append(saved, a)
	}
	if err := loadProposals(ctx, c, cm); err != nil {
		return nil, err
	}
	return saved, nil
}

// demoAllocation splits da between the committee's parties in equal shares
// with the allocation engine, as the economist's form does.
func demoAllocation(ctx context.Context, c *store.Conn, cm domain.Committee, members []domain.MemberParty, da Allocation) (finance.Allocation, error) {
	spec := allocation.Spec{Total: decimal.RequireFromString(da.Total), Method: allocation.MethodEqual, Unit: allocation.UnitOre}
	byID := map[string]domain.MemberParty{}
	for _, m := range members {
		byID[m.Slug] = m
		spec.Parties = append(spec.Parties, allocation.Party{ID: m.Slug, Name: m.Name, Host: m.Host, Order: m.Membership.Position})
	}
	res, err := allocation.Allocate(spec)
	if err != nil {
		return finance.Allocation{}, err
	}
	n, err := domain.ParseCaseNumber(da.Case)
	if err != nil {
		return finance.Allocation{}, err
	}
	k, err := c.CaseByNumber(ctx, n)
	if err != nil {
		return finance.Allocation{}, err
	}
	decided, err := DecidedIn(ctx, c, da.Case)
	if err != nil {
		return finance.Allocation{}, err
	}
	a := finance.Allocation{CommitteeID: cm.ID, Kind: da.Kind, Title: da.Title, Method: string(res.Method), Unit: string(res.Unit),
		Total: res.Total, BudgetYear: da.BudgetYear, CaseID: k.ID, CaseNumber: k.Number.String(), ParagraphID: decided.ID,
		PaysDecided: da.PaysDecided, OriginYears: da.OriginYears}
	if da.StatedShare != "" {
		a.StatedShare = decimal.NullDecimal{Decimal: decimal.RequireFromString(da.StatedShare), Valid: true}
	}
	for _, sh := range res.Shares {
		m := byID[sh.PartyID]
		a.Shares = append(a.Shares, finance.AllocationShare{PartyID: m.ID, PartyName: sh.Name, Position: m.Membership.Position,
			Host: sh.Host, Amount: sh.Amount, Quota: sh.Quota, Weight: sh.Weight, WeightKind: string(sh.WeightSource.Kind), Residue: sh.Residue})
	}
	return a, nil
}

// SavedAllocations is how many allocations the demo saves: the decided ones
// the proposals, the bills of the services (loadServices) and the
// settlement of Projekt Digital transformation (loadProject).
func SavedAllocations() int { return len(Allocations) + len(Proposals) + ServiceBills + 1 }
