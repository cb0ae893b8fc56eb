package sqlconn

import (
	"context"
	"strings"
	"sync"

	"github.com/jmoiron/sqlx"
)

// maxPreparedStatements bounds the statement cache. The queries GNS runs are
// a fixed set of texts, but a few are built from filters; past the bound a
// query simply runs unprepared.
const maxPreparedStatements = 1024

// maxPreparedList bounds the IN lists kept prepared. sqlx.In writes one ?
// per value, so the text of such a query changes with the number of values:
// the short lists of the busy pages (a party's shares of one year) are worth
// keeping, one statement per length, but a list past this length is run
// unprepared rather than fill the cache with one statement per length.
const maxPreparedList = 16

// StmtCache holds the reads run on the pool as prepared statements, keyed by
// their text. database/sql prepares each on a connection the first time it
// runs there and reuses it after, so a page's queries skip SQLite's parser
// and PostgreSQL's extra round trip for parsing.
type StmtCache struct {
	db *sqlx.DB
	mu sync.RWMutex
	m  map[string]*sqlx.Stmt
}

// NewStmtCache returns an empty statement cache for the pool db.
func NewStmtCache(db *sqlx.DB) *StmtCache {
	return &StmtCache{db: db, m: map[string]*sqlx.Stmt{}}
}

// prepared returns the prepared statement for query, preparing it on first
// use, or nil when the query should run unprepared: no cache (inside a
// transaction), a long IN list, the cache full, or preparing failed (running
// the query then reports the error in the usual way).
func (sc *StmtCache) prepared(ctx context.Context, query string) *sqlx.Stmt {
	if sc == nil || strings.Count(query, "?, ") >= maxPreparedList {
		return nil
	}
	sc.mu.RLock()
	st, ok := sc.m[query]
	full := len(sc.m) >= maxPreparedStatements
	sc.mu.RUnlock()
	if ok {
		return st
	}
	if full {
		return nil
	}
	st, err := sc.db.PreparexContext(ctx, sc.db.Rebind(query))
	if err != nil {
		return nil
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if old, ok := sc.m[query]; ok {
		_ = st.Close() // another request prepared it first; an unused statement has nothing to lose
		return old
	}
	sc.m[query] = st
	return st
}

// Close closes every cached statement.
func (sc *StmtCache) Close() {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	for q, st := range sc.m {
		_ = st.Close() // closing with the database; nothing is left to save
		delete(sc.m, q)
	}
}
