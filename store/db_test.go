package store_test

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pressly/goose/v3/lock"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

func TestParseDSN(t *testing.T) {
	t.Parallel()
	tests := []struct {
		dsn     string
		want    store.Location
		wantErr string
	}{
		{dsn: "gns.db", want: store.Location{Dialect: store.SQLite, Path: "gns.db"}},
		{dsn: "./data/gns.db", want: store.Location{Dialect: store.SQLite, Path: "./data/gns.db"}},
		{dsn: "sqlite:gns.db", want: store.Location{Dialect: store.SQLite, Path: "gns.db"}},
		{dsn: "sqlite:///var/lib/gns/gns.db", want: store.Location{Dialect: store.SQLite, Path: "/var/lib/gns/gns.db"}},
		{dsn: "postgres://gns:secret@db.example:5432/gns?sslmode=verify-full",
			want: store.Location{Dialect: store.Postgres, URL: "postgres://gns:secret@db.example:5432/gns?sslmode=verify-full"}},
		{dsn: "postgresql://db.example/gns", want: store.Location{Dialect: store.Postgres, URL: "postgresql://db.example/gns"}},
		{dsn: "", wantErr: "no database given"},
		{dsn: "mysql://root@localhost/gns", wantErr: `unknown database scheme "mysql"`},
		{dsn: "sqlite:", wantErr: "names no SQLite file"},
		{dsn: "postgres:///gns", wantErr: "names no host"},
		{dsn: "postgres://u:p@[::1/gns", wantErr: "not valid"},
	}
	for _, tt := range tests {
		got, err := store.ParseDSN(tt.dsn)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseDSN(%q) error = %v, want one containing %q", tt.dsn, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseDSN(%q) = %+v, %v; want %+v", tt.dsn, got, err, tt.want)
		}
	}
}

func TestLocationStringHidesPassword(t *testing.T) {
	t.Parallel()
	loc, err := store.ParseDSN("postgres://gns:hemligt@db.example/gns")
	if err != nil {
		t.Fatal(err)
	}
	if s := loc.String(); strings.Contains(s, "hemligt") {
		t.Errorf("Location.String() = %q shows the password", s)
	}
}

func TestOpenRejectsBadDatabase(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, dsn, want string
	}{
		{"unknown scheme", "redis://localhost/0", "unknown database scheme"},
		{"missing folder", filepath.Join(t.TempDir(), "nope", "gns.db"), "does not exist"},
		{"folder is a file", filepath.Join(file, "gns.db"), "is not a folder"},
		{"file is a folder", t.TempDir(), "cannot be written"},
		{"unreachable server", "postgres://gns@127.0.0.1:1/gns?sslmode=disable&connect_timeout=2", "cannot reach PostgreSQL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := store.Open(context.Background(), tt.dsn)
			if err == nil {
				db.Close()
				t.Fatalf("Open(%q) succeeded, want an error", tt.dsn)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Open(%q) error = %q, want it to contain %q", tt.dsn, err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans several lines: %q", err)
			}
		})
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		applied, err := db.Migrate(ctx)
		if err != nil {
			t.Fatalf("second Migrate: %v", err)
		}
		if len(applied) != 0 {
			t.Errorf("second Migrate applied %v, want nothing", applied)
		}
		status, err := db.MigrationStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(status) == 0 {
			t.Fatal("MigrationStatus lists no migrations")
		}
		for _, s := range status {
			if !s.Applied || s.AppliedAt.IsZero() {
				t.Errorf("migration %d %s: applied %v at %v, want applied with a time", s.Version, s.Name, s.Applied, s.AppliedAt)
			}
		}
	})
}

func TestMigrateRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.SQL().ExecContext(ctx,
			`INSERT INTO goose_db_version (version_id, is_applied, tstamp) VALUES (9999, true, CURRENT_TIMESTAMP)`); err != nil {
			t.Fatal(err)
		}
		before := tableCount(t, db)
		_, err := db.Migrate(ctx)
		if !errors.Is(err, store.ErrSchemaTooNew) {
			t.Fatalf("Migrate on a newer schema: err = %v, want ErrSchemaTooNew", err)
		}
		if !strings.Contains(err.Error(), "9999") {
			t.Errorf("error %q does not name the database's version", err)
		}
		if _, err := db.MigrationStatus(ctx); !errors.Is(err, store.ErrSchemaTooNew) {
			t.Errorf("MigrationStatus on a newer schema: err = %v, want ErrSchemaTooNew", err)
		}
		if after := tableCount(t, db); after != before {
			t.Errorf("tables changed from %d to %d", before, after)
		}
	})
}

func tableCount(t *testing.T, db *store.DB) int {
	t.Helper()
	q := `SELECT count(*) FROM sqlite_master WHERE type = 'table'`
	if db.Dialect() == store.Postgres {
		q = `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'`
	}
	var n int
	if err := db.SQL().QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestConcurrentMigrationOnPostgres starts several instances against one empty
// database at once: the session lock must let exactly one of them migrate.
func TestConcurrentMigrationOnPostgres(t *testing.T) {
	t.Parallel()
	url := storetest.PostgresURL(t, false)
	ctx := context.Background()
	const instances = 4
	dbs := make([]*store.DB, instances)
	for i := range dbs {
		db, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs[i] = db
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make([]error, instances)
	for i, db := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = db.Migrate(ctx)
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: %v", i, err)
		}
	}
	var dup int
	if err := dbs[0].SQL().QueryRow(`SELECT count(*) FROM (SELECT version_id FROM goose_db_version GROUP BY version_id HAVING count(*) > 1) d`).Scan(&dup); err != nil {
		t.Fatal(err)
	}
	if dup != 0 {
		t.Errorf("%d migration versions were applied more than once", dup)
	}
}

// TestMigrationWaitsForSessionLock holds goose's advisory lock as another
// instance would while it migrates: Migrate must wait, touching nothing, and
// migrate once the lock is released.
func TestMigrationWaitsForSessionLock(t *testing.T) {
	t.Parallel()
	url := storetest.PostgresURL(t, false)
	ctx := context.Background()
	other, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lock.DefaultLockID); err != nil {
		t.Fatal(err)
	}

	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	done := make(chan error, 1)
	go func() {
		_, err := db.Migrate(ctx)
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("Migrate returned (%v) while another instance held the migration lock", err)
	case <-time.After(1500 * time.Millisecond):
	}
	if n := tableCount(t, other); n != 0 {
		t.Errorf("%d tables exist while the lock was held, want none", n)
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", lock.DefaultLockID); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Migrate after the lock was released: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Migrate did not finish after the lock was released")
	}
	if n := tableCount(t, other); n == 0 {
		t.Error("no tables after Migrate")
	}
}

func TestInTxRollsBackOnError(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := db.InTx(ctx, func(c *store.Conn) error {
			if _, err := c.CreateParty(ctx, domain.Party{Slug: "berg", Name: "Bergs kommun", Kind: domain.PartyKindKommun}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx = %v, want the function's error", err)
		}
		if _, err := db.Conn().PartyBySlug(ctx, "berg"); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("party after rollback: err = %v, want not found", err)
		}
	})
}

// Every connection to PostgreSQL plans each statement for its values
// (plan_cache_mode = force_custom_plan): a prepared statement run by
// committee must not fall back to a generic plan that fits the whole
// installation rather than the committee. A plan_cache_mode in the URL wins.
func TestPostgresKeepsCustomPlans(t *testing.T) {
	t.Parallel()
	dsn := storetest.PostgresURL(t, false)
	auto, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := auto.Query()
	q.Set("plan_cache_mode", "auto")
	auto.RawQuery = q.Encode()
	ctx := context.Background()
	for _, tt := range []struct{ url, want string }{
		{dsn, "force_custom_plan"},
		{auto.String(), "auto"},
	} {
		db, err := store.Open(ctx, tt.url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		// Several connections at once, so that more than one is asked.
		conns := make([]*sql.Conn, 3)
		for i := range conns {
			if conns[i], err = db.SQL().Conn(ctx); err != nil {
				t.Fatal(err)
			}
			defer conns[i].Close()
			var mode string
			if err := conns[i].QueryRowContext(ctx, "SHOW plan_cache_mode").Scan(&mode); err != nil || mode != tt.want {
				t.Errorf("connection %d: plan_cache_mode = %q (%v), want %s", i, mode, err, tt.want)
			}
		}
	}
}
