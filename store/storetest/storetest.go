// Package storetest runs store tests on every engine: on SQLite always, and on
// PostgreSQL when GNS_TEST_POSTGRES holds a connection URL to a server where the
// user may create databases. Each PostgreSQL test gets a database of its own,
// cloned from a template migrated once per schema.
package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/region-jh/gns/migrations"
	"github.com/region-jh/gns/store"
)

// PostgresEnv is the environment variable that holds the PostgreSQL server URL
// for tests, e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable.
const PostgresEnv = "GNS_TEST_POSTGRES"

// Run runs test once per engine, as subtests named "sqlite" and "postgres", each
// with a freshly migrated, empty database of its own.
func Run(t *testing.T, test func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { test(t, NewSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { test(t, NewPostgres(t)) })
}

// NewSQLite returns a migrated SQLite database in a temporary folder, closed
// when the test ends.
func NewSQLite(t testing.TB) *store.DB {
	t.Helper()
	db := open(t, filepath.Join(t.TempDir(), "gns.db"))
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate SQLite: %v", err)
	}
	return db
}

// NewPostgres returns a migrated PostgreSQL database of the test's own, dropped
// when the test ends. Without GNS_TEST_POSTGRES the test is skipped; with it
// set but the server unreachable, the test fails.
func NewPostgres(t testing.TB) *store.DB {
	t.Helper()
	return open(t, PostgresURL(t, true))
}

// PostgresURL creates an empty database of the test's own and returns its URL.
// With migrated true the database is a clone of the migrated template; with
// false it has no tables at all. The database is dropped when the test ends.
func PostgresURL(t testing.TB, migrated bool) string {
	t.Helper()
	server := os.Getenv(PostgresEnv)
	if server == "" && os.Getenv("CI") != "" {
		t.Fatalf("%s is not set in CI: the PostgreSQL half must run there", PostgresEnv)
	}
	if server == "" {
		t.Skipf("PostgreSQL half skipped: set %s to a PostgreSQL URL to run it (CI always does)", PostgresEnv)
	}
	admin, err := sql.Open("postgres", server)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	defer admin.Close()
	ctx := context.Background()
	template := ""
	if migrated {
		template, err = migratedTemplate(ctx, admin, server)
		if err != nil {
			t.Fatalf("PostgreSQL template: %v", err)
		}
	}
	name := "gns_test_" + randomHex(t)
	create := "CREATE DATABASE " + name
	if template != "" {
		create += " TEMPLATE " + template
	}
	if err := withLock(ctx, admin, func(conn *sql.Conn) error {
		_, err := conn.ExecContext(ctx, create)
		return err
	}); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("postgres", server)
		if err != nil {
			t.Errorf("drop test database: %v", err)
			return
		}
		defer admin.Close()
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	return withDatabase(t, server, name)
}

func open(t testing.TB, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var templates sync.Map // schema hash → template database name, per test binary

// migratedTemplate returns the name of a template database holding the current
// schema. Its name carries a hash of the migrations, so a changed schema gets a
// new template and an unchanged one is reused across test runs and packages.
func migratedTemplate(ctx context.Context, admin *sql.DB, server string) (string, error) {
	hash, err := schemaHash()
	if err != nil {
		return "", err
	}
	name := "gns_template_" + hash
	if _, done := templates.Load(name); done {
		return name, nil
	}
	err = withLock(ctx, admin, func(conn *sql.Conn) error {
		var exists bool
		if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
			return err
		}
		if exists {
			return nil
		}
		// Build under a temporary name and rename when complete, so a
		// half-migrated template is never used.
		building := name + "_building"
		if _, err := conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)"); err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+building); err != nil {
			return err
		}
		db, err := store.Open(ctx, replaceDatabase(server, building))
		if err != nil {
			return err
		}
		_, err = db.Migrate(ctx)
		db.Close()
		if err != nil {
			return err
		}
		_, err = conn.ExecContext(ctx, "ALTER DATABASE "+building+" RENAME TO "+name)
		return err
	})
	if err != nil {
		return "", err
	}
	templates.Store(name, true)
	return name, nil
}

// withLock runs fn holding a server-wide advisory lock, so test binaries running
// in parallel do not build the same template or clone it at the same time.
func withLock(ctx context.Context, admin *sql.DB, fn func(*sql.Conn) error) error {
	conn, err := admin.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	const lockID = 0x474e53 // "GNS"
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lockID); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", lockID)
	return fn(conn)
}

func schemaHash() (string, error) {
	h := sha256.New()
	fsys := migrations.Postgres()
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:16], err
}

func withDatabase(t testing.TB, server, name string) string {
	t.Helper()
	u := replaceDatabase(server, name)
	if u == "" {
		t.Fatalf("%s is not a postgres:// URL", PostgresEnv)
	}
	return u
}

func replaceDatabase(server, name string) string {
	u, err := url.Parse(server)
	if err != nil || !strings.HasPrefix(u.Scheme, "postgres") {
		return ""
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(t testing.TB) string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
