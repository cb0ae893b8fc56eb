// Package sqlconn is the plumbing every area of store shares: the connection
// a statement runs on (the pool or one transaction) with the engine behind it
// and the statement cache, the time fixed for that connection, the
// conversions between Go values and columns (öre, dates, NULLs), error
// mapping and the audit trail. The area packages build on it and on nothing
// of each other but what they call.
package sqlconn

import (
	"context"
	"database/sql"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
)

// Dialect names the SQL engine behind a DB. It is the one seam where the two
// engines differ; it grows only when a difference forces it.
type Dialect string

// The engines GNS runs on.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Conn runs statements on the pool or inside a transaction; the same query code
// serves both. Every error a statement returns has been through Classify.
type Conn struct {
	ext     sqlx.ExtContext
	dialect Dialect
	// stmts prepares the reads run on the pool once per connection; it is
	// nil inside a transaction, whose statements are prepared as they come.
	stmts *StmtCache
	// now is the time of this connection, fixed when it was made.
	now time.Time
}

// New returns a Conn that runs statements on ext (the pool or a
// transaction) for the engine dialect, with now as its time. stmts is the
// pool's statement cache, nil inside a transaction.
func New(ext sqlx.ExtContext, dialect Dialect, stmts *StmtCache, now time.Time) *Conn {
	return &Conn{ext: ext, dialect: dialect, stmts: stmts, now: Timestamp(now)}
}

// Timestamp is t as the database keeps it: in UTC, truncated to microseconds
// so both engines store and return the same value.
func Timestamp(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// Dialect returns the engine behind c.
func (c *Conn) Dialect() Dialect { return c.dialect }

// Now is the time of c, fixed when c was made (for a transaction, when it
// began), in UTC and truncated to microseconds: every row a transaction
// stamps gets the same time, and tests can set the clock.
func (c *Conn) Now() time.Time { return c.now }

// statementCounter is the context key of CountStatements.
type statementCounter struct{}

// CountStatements returns a context in which every statement a Conn runs is
// counted, and a function that tells how many so far: what the tests and
// benchmarks of a page's round trips to the database use.
func CountStatements(ctx context.Context) (context.Context, func() int64) {
	n := new(atomic.Int64)
	return context.WithValue(ctx, statementCounter{}, n), n.Load
}

// Count counts a statement (or a round trip such as BEGIN) made in ctx, when
// its statements are counted (CountStatements).
func Count(ctx context.Context) {
	if n, ok := ctx.Value(statementCounter{}).(*atomic.Int64); ok {
		n.Add(1)
	}
}

// Get runs a query that returns one row and scans it into dest.
func (c *Conn) Get(ctx context.Context, dest any, query string, args ...any) error {
	Count(ctx)
	if st := c.stmts.prepared(ctx, query); st != nil {
		return Classify(st.GetContext(ctx, dest, args...))
	}
	return Classify(sqlx.GetContext(ctx, c.ext, dest, c.ext.Rebind(query), args...))
}

// Select runs a query and scans all its rows into dest, a pointer to a slice.
func (c *Conn) Select(ctx context.Context, dest any, query string, args ...any) error {
	Count(ctx)
	if st := c.stmts.prepared(ctx, query); st != nil {
		return Classify(st.SelectContext(ctx, dest, args...))
	}
	return Classify(sqlx.SelectContext(ctx, c.ext, dest, c.ext.Rebind(query), args...))
}

// Exec runs a statement that returns no rows.
func (c *Conn) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	Count(ctx)
	res, err := c.ext.ExecContext(ctx, c.ext.Rebind(query), args...)
	return res, Classify(err)
}

// Insert runs an INSERT ... RETURNING id and returns the new id.
func (c *Conn) Insert(ctx context.Context, query string, args ...any) (int64, error) {
	Count(ctx)
	var id int64
	err := c.ext.QueryRowxContext(ctx, c.ext.Rebind(query+" RETURNING id"), args...).Scan(&id)
	return id, Classify(err)
}

// SQLTx returns the transaction c runs in, nil when c runs on the pool: for
// a kept library (the job queue) that writes in the same transaction.
func (c *Conn) SQLTx() *sql.Tx {
	if tx, ok := c.ext.(*sqlx.Tx); ok {
		return tx.Tx
	}
	return nil
}
