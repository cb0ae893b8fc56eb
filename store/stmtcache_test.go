package store

import (
	"context"
	"path/filepath"
	"testing"
)

// TestStatementCache: reads on the pool are prepared once per text and give
// the same answers as unprepared ones; IN lists and transactions are not
// cached; a bad query still reports its error.
func TestStatementCache(t *testing.T) {
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
	var ns []int
	if err := db.Conn().selectAll(ctx, &ns, `SELECT value FROM (SELECT 1 AS value UNION SELECT 2 UNION SELECT 3) t WHERE value IN (?, ?) ORDER BY value`, 1, 3); err != nil || len(ns) != 2 || ns[1] != 3 {
		t.Fatalf("IN list = %v, %v", ns, err)
	}
	err = db.InTx(ctx, func(c *Conn) error {
		var n int
		return c.get(ctx, &n, `SELECT ? + 2`, 1)
	})
	if got := cached(); err != nil || got != 1 {
		t.Errorf("after an IN list and a transaction %d statements are cached (%v), want still 1", got, err)
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
