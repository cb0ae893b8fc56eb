package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/region-jh/gns/migrations"
)

// ErrSchemaTooNew is returned when the database has migrations this binary does
// not know: it was migrated by a newer GNS and must not be touched by this one.
var ErrSchemaTooNew = errors.New("database schema is newer than this program")

// searchMigration is the version that adds the search index, after which
// Migrate fills it (Reindex).
const searchMigration = 19

// MigrationState is one migration and whether the database has it.
type MigrationState struct {
	Version   int64
	Name      string
	Applied   bool
	AppliedAt time.Time
}

// provider builds a goose provider for db's engine. On PostgreSQL a session
// lock (pg_advisory_lock) makes a second instance starting at the same time wait
// until the first has migrated, instead of migrating too.
func (d *DB) provider() (*goose.Provider, error) {
	var (
		dialect goose.Dialect
		fsys    fs.FS
		opts    []goose.ProviderOption
	)
	switch d.dialect {
	case SQLite:
		dialect, fsys = goose.DialectSQLite3, migrations.SQLite()
	case Postgres:
		dialect, fsys = goose.DialectPostgres, migrations.Postgres()
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300)) // poll every second, give up after 5 min
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, d.db.DB, fsys, opts...)
}

// Migrate brings the schema up to this binary's newest version and returns the
// versions it applied. A database that has versions this binary does not know
// is refused with ErrSchemaTooNew and left as it is.
func (d *DB) Migrate(ctx context.Context) ([]MigrationState, error) {
	p, err := d.provider()
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	if err := d.checkNotNewer(ctx, p); err != nil {
		return nil, err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	applied := make([]MigrationState, 0, len(results))
	reindex := false
	for _, r := range results {
		applied = append(applied, MigrationState{Version: r.Source.Version, Name: path.Base(r.Source.Path), Applied: true})
		reindex = reindex || r.Source.Version == searchMigration
	}
	if reindex {
		// The migration made the index; fill it from what the database
		// already holds.
		if _, err := d.Reindex(ctx); err != nil {
			return applied, fmt.Errorf("migrate: %w", err)
		}
	}
	return applied, nil
}

// MigrationStatus lists every migration this binary knows, in order, with
// whether and when the database got it.
func (d *DB) MigrationStatus(ctx context.Context) ([]MigrationState, error) {
	p, err := d.provider()
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	if err := d.checkNotNewer(ctx, p); err != nil {
		return nil, err
	}
	status, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	out := make([]MigrationState, 0, len(status))
	for _, s := range status {
		out = append(out, MigrationState{
			Version:   s.Source.Version,
			Name:      path.Base(s.Source.Path),
			Applied:   s.State == goose.StateApplied,
			AppliedAt: s.AppliedAt,
		})
	}
	return out, nil
}

func (d *DB) checkNotNewer(ctx context.Context, p *goose.Provider) error {
	dbVersion, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	var known int64
	for _, s := range p.ListSources() {
		known = max(known, s.Version)
	}
	if dbVersion > known {
		return fmt.Errorf("%w: the database is at version %d, this program knows up to %d; run a newer gns", ErrSchemaTooNew, dbVersion, known)
	}
	return nil
}
