package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/allocation"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
)

// Allocation is one of the demo committee's decided allocations: what the
// December 2020 meeting decided in the seeds' cases, split in equal shares
// between the nine parties by the allocation engine.
type Allocation struct {
	Kind  finance.AllocationKind
	Title string
	// Total is the amount in kronor; negative for a refund.
	Total      string
	BudgetYear int
	Case       string
	// Decision names the deciding paragraph. The refund was decided in § 8
	// on 14 February 2020 (the demo minutes hold it, and the allocation is
	// tied to it); the base funding in December 2020, whose minutes the
	// seeds do not hold, so its number follows the agenda's order from § 42
	// (Budget 2021, item 4) and is illustrative.
	Decision string
	// StatedShare is the amount per party the decision's text states, if any.
	StatedShare string
}

// Allocations are the demo allocations: the base funding 2021 (914 400 kr,
// GNS/8/2020) and the refund of the surplus from 2018 and 2019 (468 091 kr,
// GNS/2/2020, whose text says "52 010 kr till respektive part", one krona
// short of the total).
var Allocations = []Allocation{
	{Kind: finance.AllocationBaseFunding, Title: "Basfinansiering 2021", Total: "914400.00", BudgetYear: 2021,
		Case: "GNS/8/2020", Decision: "GNS § 42/2020"},
	{Kind: finance.AllocationRefund, Title: "Återbetalning av återstående medel från 2018 och 2019", Total: "-468091.00",
		BudgetYear: 2021, Case: "GNS/2/2020", Decision: "GNS § 8/2020", StatedShare: "-52010"},
}

// Proposal is a demo allocation proposed but not decided: a population
// split at a reference date, over some of the parties or all of them with a
// fixed host share.
type Proposal struct {
	Title string
	Total string
	// Parties are the participants' slugs; nil means all the parties.
	Parties   []string
	HostShare string
}

// Proposals are the demo's population splits: a project over the seven
// participants of Digital transformation (the seeds do not name them; the
// demo takes the municipalities other than Ragunda, for illustration), and
// the 2015 directive's key, the host paying 50 % and the others sharing the
// rest by population, both by the figures of 31 December 2020.
var Proposals = []Proposal{
	{Title: "Digital transformation, etapp 2 (förslag)", Total: "700000.00",
		Parties: []string{"ostersund", "are", "krokom", "berg", "bracke", "stromsund", "harjedalen"}},
	{Title: "Projektkostnader enligt direktivet 2015: värdparten 50 % (förslag)", Total: "1000000.00", HostShare: "50"},
}

// populationDate is the reference date of the demo's population figures.
var populationDate = domain.MustDate("2020-12-31")

// loadProposals saves the demo proposals with the committee's population
// figures at populationDate.
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
		if p.HostShare != "" {
			h := decimal.RequireFromString(p.HostShare)
			spec.HostShare = &h
		}
		rows := map[string]domain.PopulationRow{}
		for _, r := range table.Rows {
			if p.Parties != nil && !want[r.Party.Slug] {
				continue
			}
			sp := allocation.Party{ID: r.Party.Slug, Name: r.Party.Name, Host: r.Party.Host, Order: r.Party.Membership.Position}
			if r.Figure != nil {
				n := r.Figure.Inhabitants
				sp.Population, sp.PopulationDate, sp.PopulationSource = &n, r.Figure.ReferenceDate.String(), r.Figure.Source
			}
			rows[r.Party.Slug] = r
			spec.Parties = append(spec.Parties, sp)
		}
		res, err := allocation.Allocate(spec)
		if err != nil {
			return fmt.Errorf("demo proposal %s: %w", p.Title, err)
		}
		a := finance.Allocation{CommitteeID: cm.ID, Kind: finance.AllocationProject, Title: p.Title, Method: string(res.Method),
			Unit: string(res.Unit), Total: res.Total, ReferenceDate: populationDate, BudgetYear: 2021}
		if res.HostShare != nil {
			a.HostShare = decimal.NullDecimal{Decimal: *res.HostShare, Valid: true}
		}
		for _, sh := range res.Shares {
			r := rows[sh.PartyID]
			share := finance.AllocationShare{PartyID: r.Party.ID, PartyName: sh.Name, Position: r.Party.Membership.Position, Host: sh.Host,
				Amount: sh.Amount, Quota: sh.Quota, Weight: sh.Weight, WeightKind: string(sh.WeightSource.Kind),
				PopulationSource: sh.WeightSource.Source, Residue: sh.Residue}
			if sh.WeightSource.Kind == allocation.WeightPopulation {
				share.Population, share.PopulationDate = sh.Weight.IntPart(), populationDate
			}
			a.Shares = append(a.Shares, share)
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
	a := finance.Allocation{CommitteeID: cm.ID, Kind: da.Kind, Title: da.Title, Method: string(res.Method), Unit: string(res.Unit),
		Total: res.Total, BudgetYear: da.BudgetYear, CaseID: k.ID, CaseNumber: k.Number.String(), Decision: da.Decision}
	if ref, ok := strings.CutPrefix(da.Decision, cm.Code+" "); ok {
		if number, year, err := meeting.ParseParagraphRef("decision", ref); err == nil {
			if p, err := c.ParagraphByNumber(ctx, cm.ID, year, number); err == nil {
				a.ParagraphID = p.ID // in the demo minutes: tie the allocation to it
			}
		}
	}
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
// and the proposals.
func SavedAllocations() int { return len(Allocations) + len(Proposals) }
