package money

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// The reads behind the start pages: each answers one section with a bounded
// query (a LIMIT), so a start page costs the same however much the
// committee has behind it.

// AllocationLine is an allocation as a list shows it, without its shares,
// with the run that invoiced it (0 while not invoiced).
type AllocationLine struct {
	Allocation finance.Allocation
	RunID      int64
}

// RecentAllocations returns a committee's newest allocations in force (not
// superseded), at most limit: the decided ones when decided is true, else
// the proposals not yet tied to a decision.
func (c Money) RecentAllocations(ctx context.Context, committeeID int64, decided bool, limit int) ([]AllocationLine, error) {
	cond := `a.decision = ''`
	if decided {
		cond = `a.decision <> ''`
	}
	// Each allocation comes with the run that invoiced it, in the same query.
	var rows []struct {
		allocationRow
		RunID sql.NullInt64 `db:"run_id"`
	}
	if err := c.db.Select(ctx, &rows, `SELECT (SELECT MAX(r.id) FROM invoice_runs r WHERE r.allocation_id = a.id) AS run_id, `+
		strings.TrimPrefix(allocationSelect, "SELECT ")+` WHERE a.committee_id = ? AND a.superseded_by IS NULL AND `+cond+`
		ORDER BY a.id DESC LIMIT ?`, committeeID, limit); err != nil {
		return nil, fmt.Errorf("recent allocations: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	out := make([]AllocationLine, len(rows))
	for i, r := range rows {
		a, err := r.allocation()
		if err != nil {
			return nil, err
		}
		out[i] = AllocationLine{Allocation: a, RunID: r.RunID.Int64}
	}
	return out, nil
}

// OpenInvoices are a committee's invoices with something left to pay: the
// first few, earliest due first, and the count and sums of all of them.
type OpenInvoices struct {
	Invoices []finance.Invoice
	// Count and Open are all open invoices and what is left to pay on them;
	// Overdue and OverdueOpen those past their due date.
	Count, Overdue    int
	Open, OverdueOpen decimal.Decimal
}

// openInvoiceCond selects the invoices (not credit notes) with something
// left to pay, as finance.Invoice.Open computes it.
const openInvoiceCond = `i.committee_id = ? AND i.kind = 'invoice' AND i.amount_ore - i.paid_ore - i.credited_ore > 0`

// OpenInvoicesOf returns a committee's open invoices, at most limit of
// them, earliest due first, with the count and sums of all, overdue as of
// today.
func (c Money) OpenInvoicesOf(ctx context.Context, committeeID int64, today domain.Date, limit int) (OpenInvoices, error) {
	var out OpenInvoices
	// The first few and the sums of all in one query: the sums are window
	// aggregates over every match, computed before the LIMIT, so each row
	// carries them (and no row means nothing is open).
	var rows []struct {
		invoiceRow
		Count      int   `db:"n"`
		OpenOre    int64 `db:"open_ore"`
		Overdue    int   `db:"overdue"`
		OverdueOre int64 `db:"overdue_ore"`
	}
	if err := c.db.Select(ctx, &rows, `SELECT COUNT(*) OVER () AS n,
		SUM(i.amount_ore - i.paid_ore - i.credited_ore) OVER () AS open_ore,
		SUM(CASE WHEN i.due_date < ? THEN 1 ELSE 0 END) OVER () AS overdue,
		SUM(CASE WHEN i.due_date < ? THEN i.amount_ore - i.paid_ore - i.credited_ore ELSE 0 END) OVER () AS overdue_ore, `+
		strings.TrimPrefix(invoiceSelect, "SELECT ")+` WHERE `+openInvoiceCond+` ORDER BY i.due_date, i.year, i.seq LIMIT ?`,
		sqlconn.Date(today), sqlconn.Date(today), committeeID, limit); err != nil {
		return out, fmt.Errorf("open invoices: %w", err)
	}
	out.Invoices = domainRows(rows)
	out.Open, out.OverdueOpen = sqlconn.FromOre(0), sqlconn.FromOre(0)
	if len(rows) > 0 {
		r := rows[0]
		out.Count, out.Open, out.Overdue, out.OverdueOpen = r.Count, sqlconn.FromOre(r.OpenOre), r.Overdue, sqlconn.FromOre(r.OverdueOre)
	}
	return out, nil
}

// RunSummary is an invoice run as a list shows it: how many documents it
// issued and what is still open on its invoices.
type RunSummary struct {
	ID        int64
	Title     string
	IssueDate domain.Date
	Documents int
	Open      decimal.Decimal
}

// RecentInvoiceRuns returns a committee's newest runs, at most limit.
func (c Money) RecentInvoiceRuns(ctx context.Context, committeeID int64, limit int) ([]RunSummary, error) {
	var rows []struct {
		ID        int64        `db:"id"`
		Title     string       `db:"title"`
		IssueDate sqlconn.Date `db:"issue_date"`
		Documents int          `db:"documents"`
		OpenOre   int64        `db:"open_ore"`
	}
	if err := c.db.Select(ctx, &rows, `SELECT r.id, r.title, r.issue_date, COUNT(i.id) AS documents,
		COALESCE(SUM(CASE WHEN i.kind = 'invoice' THEN i.amount_ore - i.paid_ore - i.credited_ore ELSE 0 END), 0) AS open_ore
		FROM invoice_runs r LEFT JOIN invoices i ON i.run_id = r.id WHERE r.committee_id = ?
		GROUP BY r.id, r.title, r.issue_date ORDER BY r.id DESC LIMIT ?`, committeeID, limit); err != nil {
		return nil, fmt.Errorf("recent invoice runs: %w", err)
	}
	out := make([]RunSummary, len(rows))
	for i, r := range rows {
		out[i] = RunSummary{ID: r.ID, Title: r.Title, IssueDate: domain.Date(r.IssueDate), Documents: r.Documents, Open: sqlconn.FromOre(r.OpenOre)}
	}
	return out, nil
}
