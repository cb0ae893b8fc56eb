package store

import (
	"context"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
)

// IssueInvoiceRun issues allocation allocationID on issue (see the money
// area's IssueInvoiceRun: every document or none) and, for a refund that
// names its originating years, books what it pays back in the carry-forward
// ledger in the same transaction (BookRefund, issue 16 §2): so the ledger
// follows the credit notes, and a refund the years cannot hold issues
// nothing.
func (c *Conn) IssueInvoiceRun(ctx context.Context, allocationID int64, issue domain.Date, fingerprint string) (finance.InvoiceRun, error) {
	run, err := c.moneyArea.IssueInvoiceRun(ctx, allocationID, issue, fingerprint)
	if err != nil {
		return finance.InvoiceRun{}, err
	}
	a, err := c.AllocationByID(ctx, allocationID)
	if err != nil {
		return finance.InvoiceRun{}, err
	}
	if _, err := c.BookRefund(ctx, a, issue); err != nil {
		return finance.InvoiceRun{}, err
	}
	return run, nil
}
