package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/store"
)

// openMigrated opens the database and brings its schema up to date, printing
// the migrations it applied.
func openMigrated(ctx context.Context, dsn string, out io.Writer) (*store.DB, error) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		_ = db.Close() // the migration's error is the one to report
		return nil, err
	}
	for _, m := range applied {
		fmt.Fprintf(out, "migrated %s to version %d (%s)\n", db, m.Version, m.Name)
	}
	return db, nil
}

func runMigrate(ctx context.Context, env *environment, args []string) error {
	fs := flags(env, "migrate", "[up|status] [flags]",
		"up (the default) brings the database schema to this program's version; status lists\nevery migration and whether the database has it. A database migrated by a newer\ngns is refused and left untouched.")
	dsn := dbFlag(fs, env)
	action := "up"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		action, args = args[0], args[1:]
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments: %v", errUsage, fs.Args())
	}
	switch action {
	case "up":
		db, err := openMigrated(ctx, *dsn, env.stdout)
		if err != nil {
			return err
		}
		defer db.Close()
		fmt.Fprintf(env.stdout, "%s: schema up to date\n", db)
		return nil
	case "status":
		db, err := store.Open(ctx, *dsn)
		if err != nil {
			return err
		}
		defer db.Close()
		status, err := db.MigrationStatus(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "%s\n", db)
		for _, s := range status {
			state := "pending"
			if s.Applied {
				state = "applied " + s.AppliedAt.UTC().Format("2006-01-02 15:04:05 UTC")
			}
			fmt.Fprintf(env.stdout, "  %05d  %-40s %s\n", s.Version, s.Name, state)
		}
		return nil
	}
	return fmt.Errorf("%w: unknown action %q: use up or status", errUsage, action)
}

func runDemo(ctx context.Context, env *environment, args []string) error {
	fs := flags(env, "demo", "[flags]",
		"Loads the demo committee GNS and its nine parties into the database, after bringing\nits schema up to date. Nothing happens when the demo committee is already there.")
	dsn := dbFlag(fs, env)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments: %v", errUsage, fs.Args())
	}
	db, err := openMigrated(ctx, *dsn, env.stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	return loadDemo(ctx, db, env.stdout)
}

func loadDemo(ctx context.Context, db *store.DB, out io.Writer) error {
	loaded, err := demo.Load(ctx, db)
	if err != nil {
		return err
	}
	if loaded {
		fmt.Fprintf(out, "loaded the demo committee %s with %d parties\n", demo.CommitteeCode, len(demo.Parties))
	} else {
		fmt.Fprintf(out, "the demo committee %s is already there; nothing loaded\n", demo.CommitteeCode)
	}
	return nil
}
