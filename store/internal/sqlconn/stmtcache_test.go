package sqlconn

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	_ "modernc.org/sqlite"
)

// TestStatementCache: reads on the pool are prepared once per text and give
// the same answers as unprepared ones; long IN lists and transactions are
// not cached; a bad query still reports its error.
func TestStatementCache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, err := sqlx.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "gns.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	stmts := NewStmtCache(pool)
	conn := func() *Conn { return New(pool, SQLite, stmts, time.Now()) }
	cached := func() int {
		stmts.mu.RLock()
		defer stmts.mu.RUnlock()
		return len(stmts.m)
	}
	for i := range 3 {
		var n int
		if err := conn().Get(ctx, &n, `SELECT ? + 1`, i); err != nil || n != i+1 {
			t.Fatalf("prepared read %d = %d, %v", i, n, err)
		}
	}
	if got := cached(); got != 1 {
		t.Errorf("%d statements cached after one text three times, want 1", got)
	}
	in := func(n int) string {
		return `SELECT value FROM (SELECT 1 AS value UNION SELECT 2 UNION SELECT 3) t WHERE value IN (` + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + `) ORDER BY value`
	}
	args := make([]any, maxPreparedList+1)
	for i := range args {
		args[i] = i%3 + 1
	}
	var ns []int
	if err := conn().Select(ctx, &ns, in(2), 1, 3); err != nil || len(ns) != 2 || ns[1] != 3 {
		t.Fatalf("short IN list = %v, %v", ns, err)
	}
	if got := cached(); got != 2 {
		t.Errorf("%d statements cached after a short IN list, want 2", got)
	}
	ns = nil
	if err := conn().Select(ctx, &ns, in(len(args)), args...); err != nil || len(ns) != 3 {
		t.Fatalf("long IN list = %v, %v", ns, err)
	}
	tx, err := pool.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var two int
	err = New(tx, SQLite, nil, time.Now()).Get(ctx, &two, `SELECT ? + 2`, 1)
	tx.Rollback()
	if got := cached(); err != nil || got != 2 {
		t.Errorf("after a long IN list and a transaction %d statements are cached (%v), want still 2", got, err)
	}
	var n int
	if err := conn().Get(ctx, &n, `SELECT FROM nowhere`); err == nil {
		t.Error("a query that cannot be prepared ran without an error")
	}
	stmts.Close()
	if got := cached(); got != 0 {
		t.Errorf("%d statements left after Close", got)
	}
}
