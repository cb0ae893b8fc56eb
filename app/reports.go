package app

import (
	"context"
	"github.com/region-jh/gns/app/projects"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/interim"
	"github.com/region-jh/gns/store"
)

// hostName returns the name of the committee's host party, for the PDFs'
// footers.
func hostName(ctx context.Context, conn *store.Conn, cm domain.Committee) (string, error) {
	if cm.HostPartyID == 0 {
		return "", nil
	}
	p, err := conn.PartyByID(ctx, cm.HostPartyID)
	return p.Name, err
}

// NewInterimReport returns an unsaved report for a period end with its
// table as the figures stand now and the texts filled in from them and from
// the decisions of the committee's meetings January through the period
// (interim.DefaultTexts).
func NewInterimReport(ctx context.Context, conn *store.Conn, cm domain.Committee, p finance.Period) (finance.InterimReport, finance.InterimTable, error) {
	r := finance.InterimReport{CommitteeID: cm.ID, Period: p, Title: interim.Title(p), Status: finance.ReportDraft}
	t, err := conn.InterimFigures(ctx, cm.ID, p)
	if err != nil {
		return r, t, err
	}
	decisions, err := conn.PeriodDecisions(ctx, cm.ID, domain.Date{Year: p.Year, Month: time.January, Day: 1}, p.LastDay())
	if err != nil {
		return r, t, err
	}
	interim.DefaultTexts(&r, t, decisions)
	return r, t, nil
}

// InterimDocument returns what a report's PDF and XLSX show: a finalised
// report with the figures frozen in it, a draft with the figures as they
// stand now.
func InterimDocument(ctx context.Context, conn *store.Conn, cm domain.Committee, r finance.InterimReport) (interim.Report, error) {
	host, err := hostName(ctx, conn, cm)
	if err != nil {
		return interim.Report{}, err
	}
	doc := interim.Report{Committee: cm.Name, Host: host, Texts: r, Created: r.UpdatedAt}
	if r.Final() && r.Figures != nil {
		doc.Table, doc.Created = *r.Figures, r.FinalisedAt
		return doc, nil
	}
	if doc.Created.IsZero() {
		doc.Created = time.Now()
	}
	if doc.Table, err = conn.InterimFigures(ctx, cm.ID, r.Period); err != nil {
		return doc, err
	}
	doc.Projects, err = projects.InterimSections(ctx, conn, cm.ID, r.Period)
	return doc, err
}

// BudgetDocument returns what the budget PDF of a year shows: the current
// budget and last year's, the base funding split in equal shares (the saved
// base-funding allocation of the year if there is one, otherwise computed by
// the allocation engine over the parties on 1 January), the year's decided
// project allocations, and the payment plan.
func BudgetDocument(ctx context.Context, conn *store.Conn, cm domain.Committee, year int) (interim.BudgetReport, error) {
	b, err := conn.CurrentBudget(ctx, cm.ID, year)
	if err != nil {
		return interim.BudgetReport{}, err
	}
	rows, err := conn.ReportRows(ctx, cm.ID)
	if err != nil {
		return interim.BudgetReport{}, err
	}
	host, err := hostName(ctx, conn, cm)
	if err != nil {
		return interim.BudgetReport{}, err
	}
	doc := interim.BudgetReport{Committee: cm.Name, Host: host, Rows: rows, Budget: b, Created: b.CreatedAt}
	if prev, err := conn.CurrentBudget(ctx, cm.ID, year-1); err == nil {
		doc.Previous = &prev
	} else if domain.ErrorCode(err) != domain.ENOTFOUND {
		return doc, err
	}
	if x, err := conn.CurrentIndexation(ctx, cm.ID, year); err == nil {
		doc.Indexation = &x
	} else if domain.ErrorCode(err) != domain.ENOTFOUND {
		return doc, err
	}
	allocations, err := conn.Allocations(ctx, cm.ID)
	if err != nil {
		return doc, err
	}
	for i := len(allocations) - 1; i >= 0; i-- { // oldest first
		a := allocations[i]
		if a.Superseded() || a.BudgetYear != year {
			continue
		}
		switch {
		case a.Kind == finance.AllocationBaseFunding:
			doc.Base = a
		case a.Kind == finance.AllocationProject && a.Decision != "":
			doc.Projects = append(doc.Projects, a)
		}
	}
	if doc.Base.ID == 0 {
		parties, err := conn.CommitteePartiesOn(ctx, cm.ID, domain.Date{Year: year, Month: time.January, Day: 1})
		if err != nil {
			return doc, err
		}
		if doc.Base, err = equalShares(cm.ID, year, b.BaseFunding, parties); err != nil {
			return doc, err
		}
	}
	return doc, nil
}
