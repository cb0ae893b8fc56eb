package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestReindex: gns reindex rebuilds the index of a database and says how
// many entries it holds.
func TestReindex(t *testing.T) {
	t.Parallel()
	dsn := filepath.Join(t.TempDir(), "gns.db")
	env, out, errs := testEnv(map[string]string{"GNS_DB": dsn})
	if code := run(context.Background(), env, []string{"demo"}); code != 0 {
		t.Fatalf("gns demo: exit %d: %s", code, errs)
	}
	if code := run(context.Background(), env, []string{"reindex"}); code != 0 {
		t.Fatalf("gns reindex: exit %d: %s", code, errs)
	}
	if !strings.Contains(out.String(), "reindexed SQLite "+dsn+": ") || !strings.Contains(out.String(), " search entries in ") {
		t.Errorf("gns reindex printed %q", out)
	}
	if code := run(context.Background(), env, []string{"reindex", "extra"}); code != 2 {
		t.Errorf("gns reindex extra: exit %d, want 2", code)
	}
}
