// Package economy keeps a committee's economy: the ledger imports
// (actuals), account mappings, budgets, carry-forwards and interim reports.
package economy

import (
	"github.com/region-jh/gns/store/internal/minutes"
	"github.com/region-jh/gns/store/internal/money"
	"github.com/region-jh/gns/store/internal/registry"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// Economy holds the economy, actuals, budget and carry-forward methods, run on one connection.
// store.Conn embeds it, so callers reach them as methods of store.Conn.
type Economy struct{ db *sqlconn.Conn }

// New returns the economy, actuals, budget and carry-forward methods run on db.
func New(db *sqlconn.Conn) Economy { return Economy{db: db} }

// minutes returns the minutes methods on the same connection.
func (c Economy) minutes() minutes.Minutes { return minutes.New(c.db) }

// money returns the money methods on the same connection.
func (c Economy) money() money.Money { return money.New(c.db) }

// registry returns the registry methods on the same connection.
func (c Economy) registry() registry.Registry { return registry.New(c.db) }
