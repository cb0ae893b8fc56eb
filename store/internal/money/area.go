// Package money keeps allocations between parties and the invoicing of
// them: settings, runs, invoices, payments, transfers and the money sections
// of the start pages.
package money

import (
	"github.com/region-jh/gns/store/internal/minutes"
	"github.com/region-jh/gns/store/internal/registry"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// Money holds the allocation and invoice methods, run on one connection.
// store.Conn embeds it, so callers reach them as methods of store.Conn.
type Money struct{ db *sqlconn.Conn }

// New returns the allocation and invoice methods run on db.
func New(db *sqlconn.Conn) Money { return Money{db: db} }

// minutes returns the minutes methods on the same connection.
func (c Money) minutes() minutes.Minutes { return minutes.New(c.db) }

// registry returns the registry methods on the same connection.
func (c Money) registry() registry.Registry { return registry.New(c.db) }

// domainRows converts rows read from the database to their domain values.
func domainRows[R interface{ domain() T }, T any](rows []R) []T {
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out
}

// SetAfterDocument makes f run after each document of an invoice run is
// stored (nil for nothing), so that a test can inject a fault between two
// documents.
func SetAfterDocument(f func(stored int) error) { afterDocument = f }
