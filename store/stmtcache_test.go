package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestStatementCache: reads on the pool are prepared once per text and give
// the same answers as unprepared ones; long IN lists and transactions are
// not cached; a bad query still reports its error.
func TestStatementCache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "gns.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	cached := func() int {
		db.stmts.mu.RLock()
		defer db.stmts.mu.RUnlock()
		return len(db.stmts.m)
	}
	for i := range 3 {
		var n int
		if err := db.Conn().get(ctx, &n, `SELECT ? + 1`, i); err != nil || n != i+1 {
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
	if err := db.Conn().selectAll(ctx, &ns, in(2), 1, 3); err != nil || len(ns) != 2 || ns[1] != 3 {
		t.Fatalf("short IN list = %v, %v", ns, err)
	}
	if got := cached(); got != 2 {
		t.Errorf("%d statements cached after a short IN list, want 2", got)
	}
	ns = nil
	if err := db.Conn().selectAll(ctx, &ns, in(len(args)), args...); err != nil || len(ns) != 3 {
		t.Fatalf("long IN list = %v, %v", ns, err)
	}
	err = db.InTx(ctx, func(c *Conn) error {
		var n int
		return c.get(ctx, &n, `SELECT ? + 2`, 1)
	})
	if got := cached(); err != nil || got != 2 {
		t.Errorf("after a long IN list and a transaction %d statements are cached (%v), want still 2", got, err)
	}
	var n int
	if err := db.Conn().get(ctx, &n, `SELECT FROM nowhere`); err == nil {
		t.Error("a query that cannot be prepared ran without an error")
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if got := cached(); got != 0 {
		t.Errorf("%d statements left after Close", got)
	}
}
