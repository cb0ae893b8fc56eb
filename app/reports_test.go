package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/interim"
	"github.com/region-jh/gns/reports/pdf/pdftest"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// demoCommittee loads the demo (committee GNS with the August 2020 ledger
// imported, budgets for 2020 and 2021, and a saved base-funding allocation
// for 2021) and returns the committee.
func demoCommittee(t *testing.T, db *store.DB) (context.Context, domain.Committee) {
	t.Helper()
	ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
	if _, err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	cm, err := db.Conn().CommitteeByCode(ctx, demo.CommitteeCode)
	if err != nil {
		t.Fatal(err)
	}
	return ctx, cm
}

// bottomLine is the table's line for the result of all rows.
func bottomLine(t *testing.T, tab finance.InterimTable) finance.TableLine {
	t.Helper()
	for _, l := range tab.Lines {
		if l.Total && l.TotalOf == finance.RowAll {
			return l
		}
	}
	t.Fatalf("the table has no bottom line: %+v", tab.Lines)
	return finance.TableLine{}
}

func TestInterimReportOfTheDemo(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, cm := demoCommittee(t, db)
		conn := db.Conn()
		p := finance.Period{Year: 2020, Month: time.August}
		r, tab, err := NewInterimReport(ctx, conn, cm, p)
		if err != nil {
			t.Fatal(err)
		}
		if r.ID != 0 || r.CommitteeID != cm.ID || r.Title != "Delårsrapport augusti 2020" || r.Status != finance.ReportDraft || r.Summary == "" {
			t.Errorf("NewInterimReport = %+v", r)
		}
		// The seed's bottom line: +32 470 kr against the budget.
		if got := bottomLine(t, tab).Deviation(); !got.Equal(decimal.NewFromInt(32_470)) {
			t.Errorf("deviation = %s kr, want 32 470", got)
		}

		doc, err := InterimDocument(ctx, conn, cm, r)
		if err != nil {
			t.Fatal(err)
		}
		if doc.Committee != cm.Name || doc.Host != "Region Jämtland Härjedalen" || doc.Created.IsZero() || doc.Texts.Title != r.Title {
			t.Errorf("InterimDocument = %q, host %q, created %v", doc.Committee, doc.Host, doc.Created)
		}
		if !bottomLine(t, doc.Table).Actual.Equal(bottomLine(t, tab).Actual) {
			t.Error("a draft's document does not show the figures as they stand")
		}

		// A finalised report shows its frozen figures, whatever the
		// ledger says now.
		frozen := finance.InterimTable{Period: p}
		r.Status, r.Figures, r.FinalisedAt = finance.ReportFinal, &frozen, time.Date(2020, 9, 10, 8, 0, 0, 0, time.UTC)
		if doc, err = InterimDocument(ctx, conn, cm, r); err != nil || len(doc.Table.Lines) != 0 || !doc.Created.Equal(r.FinalisedAt) {
			t.Errorf("a finalised report's document = %d lines, created %v, %v", len(doc.Table.Lines), doc.Created, err)
		}
	})
}

func TestBudgetDocumentOfTheDemo(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, cm := demoCommittee(t, db)
		conn := db.Conn()

		saved, err := BudgetDocument(ctx, conn, cm, 2021)
		if err != nil {
			t.Fatal(err)
		}
		if saved.Base.ID == 0 || saved.Previous == nil || saved.Previous.Year != 2020 || saved.Budget.Year != 2021 || len(saved.Rows) == 0 {
			t.Errorf("2021: base %d, previous %v, budget %d, %d rows", saved.Base.ID, saved.Previous, saved.Budget.Year, len(saved.Rows))
		}

		// No base-funding allocation is saved for 2020: the equal split
		// is computed, not saved.
		computed, err := BudgetDocument(ctx, conn, cm, 2020)
		if err != nil {
			t.Fatal(err)
		}
		if computed.Base.ID != 0 || len(computed.Base.Shares) != 9 || !computed.Base.Sum().Equal(computed.Budget.BaseFunding) || computed.Base.Method != "equal" {
			t.Errorf("2020: base %d with %d shares summing to %s, budget's base funding %s", computed.Base.ID, len(computed.Base.Shares), computed.Base.Sum(), computed.Budget.BaseFunding)
		}

		if _, err := BudgetDocument(ctx, conn, cm, 2030); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("a year without a budget = %v, want not found", err)
		}
	})
}

// TestInterimReportProjectSection reads the demo's August 2020 report back
// from its PDF: a section for Projekt Digital transformation with its key,
// participants and dates, its 2020 budget against the outcome on object 6670
// through August, and its settlement.
func TestInterimReportProjectSection(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, cm := demoCommittee(t, db)
		conn := db.Conn()
		r, _, err := NewInterimReport(ctx, conn, cm, finance.Period{Year: 2020, Month: time.August})
		if err != nil {
			t.Fatal(err)
		}
		doc, err := InterimDocument(ctx, conn, cm, r)
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Projects) != 1 || doc.Projects[0].Actual.String() != "-71462" || doc.Projects[0].Budget.String() != "-417000" {
			t.Fatalf("project sections = %+v", doc.Projects)
		}
		b, err := interim.BuildPDF(doc)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(strings.ReplaceAll(pdftest.Text(t, b, false), "\u00a0", " ")), " ")
		for _, want := range []string{"Projekt Digital transformation", "GNS/8/2019", "efter invånarantal per 2020-12-31",
			"Bräcke kommun från 2020-02-01 till 2020-12-14", "Åre kommun från 2020-05-01 till 2020-12-14",
			"Konsultkostnader −417 000,00 −71 462,00 345 538,00", "Netto −417 000,00 −71 462,00 345 538,00",
			"Slutavräkning Projekt Digital transformation, februari–december 2020: 71 462,00 kr fördelat efter deltagandemånader enligt beslut GNS § 20/2020."} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q", want)
			}
		}
	})
}
