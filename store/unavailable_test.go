package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// TestUnavailableDatabase makes each engine unavailable in a way it really
// fails, and checks that the store says EUNAVAILABLE (the web's 503) rather
// than an internal error: on PostgreSQL the server ends the connection of a
// transaction in progress (pg_terminate_backend, as a restart does); on
// SQLite the database has no room for another page (SQLITE_FULL, as a full
// disk). CheckWritable, the readiness probe's check, sees the full database
// too.
func TestUnavailableDatabase(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.CheckWritable(ctx); err != nil {
			t.Fatalf("CheckWritable on a healthy database: %v", err)
		}
		if err := db.CheckWritable(ctx); err != nil {
			t.Fatalf("CheckWritable a second time (nothing left behind): %v", err)
		}
		big := strings.Repeat("x", 1<<20)
		var err error
		switch db.Dialect() {
		case store.SQLite:
			db.SQL().SetMaxOpenConns(1) // the page limit holds per connection
			var pages int
			if err := db.SQL().QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
				t.Fatal(err)
			}
			if _, err := db.SQL().Exec(fmt.Sprintf(`PRAGMA max_page_count = %d`, pages)); err != nil {
				t.Fatal(err)
			}
			if err := db.CheckWritable(ctx); domain.ErrorCode(err) != domain.EUNAVAILABLE {
				t.Errorf("CheckWritable on a full database = %v, want %s", err, domain.EUNAVAILABLE)
			}
			err = db.InTx(ctx, func(c *store.Conn) error {
				return c.Audit(ctx, "test", "test", 1, nil, big)
			})
		case store.Postgres:
			var name string
			if err := db.SQL().QueryRow(`SELECT current_database()`).Scan(&name); err != nil {
				t.Fatal(err)
			}
			admin, aerr := sql.Open("postgres", os.Getenv(storetest.PostgresEnv))
			if aerr != nil {
				t.Fatal(aerr)
			}
			defer admin.Close()
			err = db.InTx(ctx, func(c *store.Conn) error {
				if err := c.Audit(ctx, "test", "test", 1, nil, nil); err != nil {
					return fmt.Errorf("before the termination: %w", err)
				}
				// End every connection to this test's own database, this
				// transaction's included, and wait until they are gone.
				var ended int
				if err := admin.QueryRow(`SELECT count(*) FROM (SELECT pg_terminate_backend(pid, 5000)
					FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()) AS t`, name).Scan(&ended); err != nil {
					t.Fatalf("terminate: %v", err)
				}
				if ended == 0 {
					t.Fatal("no connection was terminated")
				}
				return c.Audit(ctx, "test", "test", 2, nil, nil)
			})
		}
		if domain.ErrorCode(err) != domain.EUNAVAILABLE {
			t.Fatalf("a write the database could not take = %v, want %s", err, domain.EUNAVAILABLE)
		}
		if !store.Unavailable(err) || domain.ErrorMessage(err) != domain.UnavailableMessage {
			t.Errorf("error %v: want the Swedish message %q", err, domain.UnavailableMessage)
		}
		var de *domain.Error
		if !errors.As(err, &de) || de.Err == nil {
			t.Errorf("error %q does not carry the driver's error for the log", err)
		}
		t.Logf("the error: %v", err)
		if db.Dialect() == store.Postgres {
			// The pool opens new connections: once the server is back, so
			// is the store.
			if err := db.Ping(ctx); err != nil {
				t.Errorf("Ping after the connections were ended: %v", err)
			}
		}
	})
}
