package demo

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
)

// ServerOperations is the demo's service billed from the ledger: serverdrift
// for Åre kommun on Objekt 6663. The seed's delårsrapport August 2020 says
// "Objekt 6663: serverdrift fakturerat Åre kommun 1607 tkr" and "Kostnader
// kopplade till serverdrift Åre kommun: 1607 tkr" for January–August 2020;
// the demo ledger's object lines hold exactly 1 607 410,00 kr of costs. The
// seeds do not name the decision behind the service: the demo's is
// constructed and says so.
var ServerOperations = finance.Service{
	Kind: finance.ServiceLedger, Name: "Serverdrift Åre kommun", CostObject: "6663",
	Decision: "Överenskommelse om serverdrift för Åre kommun (konstruerat för demon)",
	Description: "Delårsrapport augusti 2020: objekt 6663, serverdrift fakturerat Åre kommun 1 607 tkr januari–augusti 2020. " +
		"Seeds anger inte beslutet bakom tjänsten; beslutstexten är konstruerad för demon.",
}

// ServerOperationsBilled are the months the demo bills, January–August 2020
// (the months of the demo ledger), and ServerOperationsIssued the date of
// the invoice.
var (
	ServerOperationsFrom   = finance.Period{Year: 2020, Month: 1}
	ServerOperationsTo     = finance.Period{Year: 2020, Month: 8}
	ServerOperationsIssued = domain.MustDate("2020-09-15")
)

// ServiceBills is how many bills (each a direct allocation) the demo makes:
// ServerOperations for January–August 2020.
const ServiceBills = 1

// EStrategist is the demo's staff-time service: "Gemensamma nämnden för
// samverkan uppdrar till E-strateg Li Zakrisson att inom ramen för projekt
// Digital transformation utföra arbetsuppgifter för Bräcke kommuns räkning
// under tre dagar i veckan fram till 2020-06-26" (delårsrapport augusti
// 2020, GNS/9/2020). The seeds give neither a day rate nor what was billed:
// the rate is constructed for the demo and nothing is billed.
var EStrategist = finance.Service{
	Kind: finance.ServiceTime, Name: "E-strateg Li Zakrisson för Bräcke kommun", Unit: finance.UnitDay,
	Rate: decimal.NewFromInt(4_000), EndsOn: domain.MustDate("2020-06-26"),
	Decision: "Uppdrag till e-strategen enligt delårsrapport augusti 2020 (GNS/9/2020)",
	Description: "Tre dagar i veckan fram till 2020-06-26, inom ramen för projekt Digital transformation. " +
		"Dagpriset 4 000 kr är konstruerat för demon: seeds anger inget pris.",
}

// Indexation2022 is the demo's constructed uppräkning for 2022: the seeds
// end with budget 2021 ("Ingen uppräkning har skett inför budget 2021") and
// say nothing of 2022, so the index and its decision are the demo's example,
// and say so.
var Indexation2022 = finance.Indexation{
	Year: 2022, Rule: finance.IndexByIndex, IndexName: "PKV", IndexPercent: decimal.RequireFromString("2.0"),
	Decision: "Konstruerat för demon – seeds saknar beslutet om budget 2022",
	Note:     "Demons konstruerade exempel: basfinansieringen 2021 räknad upp med PKV 2,0 %. Seeds säger inget om 2022.",
}

// loadServices loads the demo's services and funding cycle once Load's
// earlier steps have succeeded, unless the committee has services: the
// uppräkning decisions for 2021 (unchanged, GNS/8/2020) and 2022 (the
// constructed Indexation2022) and the 2022 budget computed from it;
// ServerOperations billed for January–August 2020 from the ledger's lines
// on Objekt 6663 and invoiced; and EStrategist, not billed.
func loadServices(ctx context.Context, c *store.Conn, loaded bool, err error) (bool, error) {
	if err != nil {
		return loaded, err
	}
	cm, err := c.CommitteeByCode(ctx, CommitteeCode)
	if err != nil {
		return loaded, err
	}
	if list, err := c.Services(ctx, cm.ID); err != nil || len(list) > 0 {
		return loaded, err
	}
	if _, err := c.CurrentBudget(ctx, cm.ID, 2021); domain.ErrorCode(err) == domain.ENOTFOUND {
		return loaded, nil // an economy of the admin's making: leave it alone
	} else if err != nil {
		return loaded, err
	}
	if err := loadFundingCycle(ctx, c, cm); err != nil {
		return loaded, err
	}
	for _, p := range []struct {
		s    finance.Service
		slug string
	}{{ServerOperations, "are"}, {EStrategist, "bracke"}} {
		party, err := c.PartyBySlug(ctx, p.slug)
		if err != nil {
			return loaded, err
		}
		p.s.CommitteeID, p.s.PartyID = cm.ID, party.ID
		if _, err := c.CreateService(ctx, p.s); err != nil {
			return loaded, fmt.Errorf("demo service %s: %w", p.s.Name, err)
		}
	}
	list, err := c.Services(ctx, cm.ID)
	if err != nil {
		return loaded, err
	}
	server := list[0]
	plan, err := c.PlanServiceBill(ctx, server, ServerOperationsFrom, ServerOperationsTo, decimal.Zero)
	if err != nil {
		return loaded, fmt.Errorf("demo bill of %s: %w", server.Name, err)
	}
	_, a, err := c.BillService(ctx, server, ServerOperationsFrom, ServerOperationsTo, decimal.Zero, "", plan.Fingerprint())
	if err != nil {
		return loaded, fmt.Errorf("demo bill of %s: %w", server.Name, err)
	}
	if _, err := c.InvoiceSettings(ctx, cm.ID); err == nil {
		if _, err := c.IssueInvoiceRun(ctx, a.ID, ServerOperationsIssued, ""); err != nil {
			return loaded, fmt.Errorf("demo invoice of %s: %w", server.Name, err)
		}
	}
	return true, nil
}

// loadFundingCycle records the uppräkning decisions of 2021 and 2022 and
// the 2022 budget computed from the latter, with the 2021 budget's rows.
func loadFundingCycle(ctx context.Context, c *store.Conn, cm domain.Committee) error {
	unchanged := finance.Indexation{CommitteeID: cm.ID, Year: 2021, Rule: finance.IndexUnchanged, Decision: "GNS/8/2020",
		Note: "Ingen uppräkning har skett inför budget 2021 vilket innebär att basfinansieringen för 2021 fortsatt är 914 400 kr (GNS/8/2020)."}
	if p, err := DecidedIn(ctx, c, "GNS/8/2020"); err == nil {
		unchanged.ParagraphID = p.ID
	} else if domain.ErrorCode(err) != domain.ENOTFOUND {
		return err
	}
	if _, err := c.CreateIndexation(ctx, unchanged); err != nil {
		return fmt.Errorf("demo uppräkning 2021: %w", err)
	}
	x := Indexation2022
	x.CommitteeID = cm.ID
	x, err := c.CreateIndexation(ctx, x)
	if err != nil {
		return fmt.Errorf("demo uppräkning 2022: %w", err)
	}
	b2021, err := c.CurrentBudget(ctx, cm.ID, 2021)
	if err != nil {
		return err
	}
	b := finance.Budget{CommitteeID: cm.ID, Year: 2022, BaseFunding: x.Base, PaymentMonths: b2021.PaymentMonths, Decision: x.Decision,
		Note: "Demons konstruerade exempel: basfinansieringen beräknad enligt uppräkningen (" + x.RuleText() + "). Raderna som 2021."}
	for _, l := range b2021.Lines {
		b.Lines = append(b.Lines, finance.BudgetLine{RowID: l.RowID, Annual: l.Annual})
	}
	if _, err := c.CreateBudget(ctx, b); err != nil {
		return fmt.Errorf("demo budget 2022: %w", err)
	}
	return nil
}
