package store

import (
	"context"
	"fmt"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store/internal/search"
)

// Search finds what u may read that matches f, best first (see
// domain.SearchFilter): cases, paragraphs, agenda items, assignments, case
// documents (their text too) and invoices. Every hit has passed
// domain.CanReadSearchHit for u.
func (c *Conn) Search(ctx context.Context, u domain.User, f domain.SearchFilter) ([]domain.SearchHit, error) {
	return search.Search(ctx, c.core, u, f)
}

// Reindex rebuilds the search index from the tables in one transaction and
// returns how many entries it holds: for a database whose index is new (the
// migration that adds it runs it) or suspected to be out of step. Every
// change keeps the index up to date by itself.
func (d *DB) Reindex(ctx context.Context) (int, error) {
	var n int
	err := d.InTx(ctx, func(c *Conn) error {
		var err error
		n, err = search.Reindex(ctx, c.core)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("reindex: %w", err)
	}
	return n, nil
}
