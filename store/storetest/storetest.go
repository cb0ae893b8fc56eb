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
	"errors"
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

// RunFrom runs test as Run does, on databases filled by fill: on SQLite a
// copy of one built once per binary (see SQLiteFrom), on PostgreSQL a new
// database filled by fill.
func RunFrom(t *testing.T, name string, fill func(context.Context, *store.DB) error, test func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { test(t, SQLiteFrom(t, name, fill)) })
	t.Run("postgres", func(t *testing.T) {
		db := NewPostgres(t)
		if err := fill(context.Background(), db); err != nil {
			t.Fatalf("fill the %s database: %v", name, err)
		}
		test(t, db)
	})
}

// NewSQLite returns a migrated SQLite database in a temporary folder, closed
// when the test ends.
//
// The database is a copy of one migrated once per test binary: migrating
// takes a good part of a second (seconds under -race), copying milliseconds.
func NewSQLite(t testing.TB) *store.DB {
	t.Helper()
	return SQLiteFrom(t, "migrated", func(context.Context, *store.DB) error { return nil })
}

// filled holds the SQLite databases SQLiteFrom built, by name, per test
// binary: the bytes of the database file, each built once.
var filled sync.Map // name → *filledSQLite

type filledSQLite struct {
	once sync.Once
	data []byte
	err  error
}

// SQLiteFrom returns a migrated SQLite database in a temporary folder filled
// by fill, closed when the test ends. The database is built by fill once per
// test binary and name (e.g. "demo" for demo.Load) and then copied for each
// test, so many tests can start from the same data at the cost of a file copy
// while each still changes a database of its own. fill must give the same
// data whenever it runs.
func SQLiteFrom(t testing.TB, name string, fill func(context.Context, *store.DB) error) *store.DB {
	t.Helper()
	v, _ := filled.LoadOrStore(name, &filledSQLite{})
	f := v.(*filledSQLite)
	f.once.Do(func() { f.data, f.err = buildSQLite(fill) })
	if f.err != nil {
		t.Fatalf("build the %s SQLite database: %v", name, f.err)
	}
	path := filepath.Join(t.TempDir(), "gns.db")
	if err := os.WriteFile(path, f.data, 0o600); err != nil {
		t.Fatal(err)
	}
	return open(t, path)
}

// buildSQLite migrates and fills a new SQLite database and returns its file,
// complete: closing the last connection writes the write-ahead log back.
func buildSQLite(fill func(context.Context, *store.DB) error) ([]byte, error) {
	dir, err := os.MkdirTemp("", "gns-storetest-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "gns.db")
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("migrate: %w", err), db.Close())
	}
	if err := fill(ctx, db); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	if err := db.Close(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		return nil, fmt.Errorf("the write-ahead log %s-wal is left after closing", path)
	}
	return os.ReadFile(path)
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
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close test database: %v", err)
		}
	})
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
		err = errors.Join(err, db.Close())
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
