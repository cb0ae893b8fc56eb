package main

import (
	"context"
	"fmt"
	"time"
)

// runReindex rebuilds the search index of a database.
func runReindex(ctx context.Context, env *environment, args []string) error {
	fs := flags(env, "reindex", "[--db D]",
		"Rebuilds the search index from the database in one transaction: every case, paragraph,\nagenda item, assignment, case document (reading the text of its file again) and invoice.\nEvery change keeps the index up to date by itself, and migrating to the version that\nadds the index builds it; run this after restoring an old backup or when the index is\nsuspected to be out of step. gns serve may keep running.")
	dsn := dbFlag(fs, env)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments: %v", errUsage, fs.Args())
	}
	db, err := openMigrated(ctx, *dsn, env.stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	n, err := db.Reindex(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "reindexed %s: %d search entries in %v\n", db, n, time.Since(start).Round(time.Millisecond))
	return nil
}
