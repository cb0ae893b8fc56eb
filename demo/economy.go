package demo

import (
	"context"
	_ "embed" // the demo's SIE file
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/interim"
	"github.com/region-jh/gns/store"
)

// August2020SIE is the host's ledger export for the committee after August
// 2020, a copy of reports/sie/testdata/region-jh-2020-08.se (a test keeps the
// two the same): the outcome of January–August 2020 and of all 2019, and the
// budget of 2020, which reproduce the seed's delårsrapport in exact kronor.
//
//go:embed region-jh-2020-08.se
var August2020SIE []byte

// August2020FileName is the name the demo file is imported under.
const August2020FileName = "region-jh-2020-08.se"

// AccountRange is one range of the demo's account mapping: the accounts
// From–To go to the report row with the key Row.
type AccountRange struct {
	From, To string
	Row      string
}

// AccountRanges map the demo file's accounts to the host region's rows
// (reports/sie/testdata/README.md).
var AccountRanges = []AccountRange{
	{"3600", "3699", "forsaljning"},
	{"4600", "4699", "sjukvardsartiklar"},
	{"5100", "5199", "personalkostnader"},
	{"5500", "5599", "personalkostnader"},
	{"6500", "6599", "konsultkostnader"},
	{"7100", "7199", "ovriga-kostnader"},
	{"7600", "7699", "ovriga-kostnader"},
	{"7800", "7899", "avskrivningar"},
}

// BaseFunding is the committee's yearly base funding (basfinansiering) in
// 2020 and 2021, 914 400 kr (GNS/8/2020: "fortsatt 914 400 kr").
var BaseFunding = decimal.NewFromInt(914_400)

// CarryForward is the story of the 2018 surplus in the seeds: 745 tkr carried
// to 2019, about 328 tkr spent on the pre-study of shared IT server
// operations, and the rest earmarked for Projekt Digital transformation on 14
// February 2020, § 8; and the part of 2019's result that the December 2020
// refund pays back with it ("återstående medel från 2018 och 2019, totalt
// 468 091 kr"). The seeds do not give 2019's result: the demo records what
// the refund needs from it, 468 091 − 417 000 = 51 091 kr, and says so. The
// refund itself is booked when its credit notes are issued (loadInvoices).
var CarryForward = []finance.CarryEntry{
	{OriginYear: 2018, Kind: finance.CarryResult, Amount: decimal.NewFromInt(745_000), Date: domain.MustDate("2019-02-15"),
		Purpose: "Överskott enligt årsredovisningen 2018, reserverat till 2019 års budget"},
	{OriginYear: 2018, Kind: finance.CarryUse, Amount: decimal.NewFromInt(328_000), Date: domain.MustDate("2019-12-31"),
		Purpose: "Konsult för förstudie om samverkan inom IT-serverdrift", Decision: "GNS/3/2019"},
	{OriginYear: 2018, Kind: finance.CarryEarmark, Amount: decimal.NewFromInt(417_000), Date: domain.MustDate("2020-02-14"),
		Purpose: "Projekt Digital transformation och Svenskt ramverk för digital samverkan", Decision: "GNS § 8/2020"},
	{OriginYear: 2019, Kind: finance.CarryResult, Amount: decimal.NewFromInt(51_091), Date: domain.MustDate("2020-02-14"),
		Purpose: "Den del av 2019 års resultat som återstod i december 2020 (468 091 kr enligt GNS/2/2020 minus 2018 års 417 000 kr); seeds anger inte årets hela resultat"},
}

// LoadEconomy loads the demo committee's economy (see loadEconomy) in one
// transaction, unless the committee has imports already; Load does the same.
// It reports whether it loaded anything.
func LoadEconomy(ctx context.Context, db *store.DB) (loaded bool, err error) {
	ctx = domain.WithActor(ctx, domain.Actor{Label: "system (demo)"})
	err = db.InTx(ctx, func(c *store.Conn) error {
		loaded, err = loadEconomy(ctx, c, false, nil)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("load demo economy: %w", err)
	}
	return loaded, nil
}

// loadEconomy gives the demo committee its economy unless it has imports:
// the row chart, the account mapping, the August 2020 SIE file imported
// through the same preview and commit as the economist's, the 2020 budget
// from the file's #PBUDGET, a 2021 budget with the same rows, and the
// carry-forward of the 2018 surplus.
func loadEconomy(ctx context.Context, c *store.Conn, loaded bool, err error) (bool, error) {
	if err != nil {
		return loaded, err
	}
	cm, err := c.CommitteeByCode(ctx, CommitteeCode)
	if err != nil {
		return loaded, err
	}
	if imports, err := c.Imports(ctx, cm.ID); err != nil || len(imports) > 0 {
		return loaded, err
	}
	rows, err := c.EnsureReportRows(ctx, cm.ID)
	if err != nil {
		return loaded, err
	}
	byKey := map[string]int64{}
	for _, r := range rows {
		byKey[r.Key] = r.ID
	}
	for _, ar := range AccountRanges {
		if _, err := c.AddAccountRange(ctx, finance.AccountRange{CommitteeID: cm.ID, From: ar.From, To: ar.To, RowID: byKey[ar.Row]}); err != nil {
			return loaded, fmt.Errorf("demo mapping %s–%s: %w", ar.From, ar.To, err)
		}
	}
	lf, err := interim.ReadSIE(August2020FileName, August2020SIE)
	if err != nil {
		return loaded, err
	}
	imp, err := c.SaveImport(ctx, cm.ID, lf, August2020SIE)
	if err != nil {
		return loaded, err
	}
	if _, err := c.CommitImport(ctx, imp.ID); err != nil {
		return loaded, fmt.Errorf("demo import: %w", err)
	}
	lines, err := c.BudgetFromImport(ctx, imp.ID, 2020)
	if err != nil {
		return loaded, err
	}
	jan := []time.Month{time.January}
	b2020 := finance.Budget{CommitteeID: cm.ID, Year: 2020, BaseFunding: BaseFunding, PaymentMonths: jan, Lines: lines,
		Note: "Budget 2020 ur värdregionens ekonomisystem (#PBUDGET i SIE-filen)."}
	if _, err := c.CreateBudget(ctx, b2020); err != nil {
		return loaded, err
	}
	next := finance.Budget{CommitteeID: cm.ID, Year: 2021, BaseFunding: BaseFunding, PaymentMonths: jan, Decision: "GNS/8/2020",
		Note: "Ingen uppräkning inför 2021: basfinansieringen är fortsatt 914 400 kr, som delas lika mellan nämndens parter. Raderna som 2020."}
	for _, l := range lines {
		next.Lines = append(next.Lines, finance.BudgetLine{RowID: l.RowID, Annual: l.Annual})
	}
	if _, err := c.CreateBudget(ctx, next); err != nil {
		return loaded, err
	}
	for _, e := range CarryForward {
		e.CommitteeID = cm.ID
		if _, err := c.AddCarryEntry(ctx, e); err != nil {
			return loaded, fmt.Errorf("demo carry-forward: %w", err)
		}
	}
	return true, nil
}
