package sqlconn

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/lib/pq"
	"modernc.org/sqlite"

	"github.com/region-jh/gns/domain"
)

func TestClassifyPostgresAndNetworkErrors(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"admin shutdown 57P01", &pq.Error{Code: "57P01", Message: "terminating connection due to administrator command"}, true},
		{"crash shutdown 57P02", &pq.Error{Code: "57P02"}, true},
		{"cannot connect now 57P03", &pq.Error{Code: "57P03", Message: "the database system is starting up"}, true},
		{"disk full 53100", &pq.Error{Code: "53100", Message: "could not extend file"}, true},
		{"too many connections 53300", &pq.Error{Code: "53300"}, true},
		{"connection failure 08006", &pq.Error{Code: "08006"}, true},
		{"read-only standby 25006", &pq.Error{Code: "25006"}, true},
		{"wrapped 57P01", fmt.Errorf("list cases: %w", &pq.Error{Code: "57P01"}), true},
		{"unique violation 23505", &pq.Error{Code: "23505"}, false},
		{"undefined table 42P01", &pq.Error{Code: "42P01"}, false},
		{"serialization 40001", &pq.Error{Code: "40001"}, false},
		{"connection refused", &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, true},
		{"connection reset", fmt.Errorf("read: %w", syscall.ECONNRESET), true},
		{"bad connection", driver.ErrBadConn, true},
		{"connection done", sql.ErrConnDone, true},
		{"unexpected EOF", io.ErrUnexpectedEOF, true},
		{"closed pool", errors.New("sql: database is closed"), true},
		{"no rows", sql.ErrNoRows, false},
		{"cancelled", context.Canceled, false},
		{"not found", domain.Errorf(domain.ENOTFOUND, "Ärendet finns inte."), false},
		{"plain", errors.New("something else"), false},
		{"nil", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Unavailable(tt.err); got != tt.want {
				t.Errorf("Unavailable(%v) = %v, want %v", tt.err, got, tt.want)
			}
			checkClassified(t, tt.err, tt.want)
		})
	}
}

// checkClassified checks what Classify makes of err: an EUNAVAILABLE error
// with the Swedish message that still wraps err when unavailable is true,
// err itself otherwise.
func checkClassified(t *testing.T, err error, unavailable bool) {
	t.Helper()
	got := Classify(err)
	if !unavailable {
		if got != err {
			t.Errorf("Classify(%v) = %v, want it unchanged", err, got)
		}
		return
	}
	if code := domain.ErrorCode(got); code != domain.EUNAVAILABLE {
		t.Errorf("Classify(%v) has code %q, want %q", err, code, domain.EUNAVAILABLE)
	}
	if msg := domain.ErrorMessage(got); msg != domain.UnavailableMessage {
		t.Errorf("Classify(%v) message = %q, want %q", err, msg, domain.UnavailableMessage)
	}
	if !errors.Is(got, err) || !strings.Contains(got.Error(), err.Error()) {
		t.Errorf("Classify(%v) = %v, want it to wrap the driver's error for the log", err, got)
	}
	if again := Classify(got); again != got {
		t.Errorf("Classify of a classified error = %v, want it unchanged", again)
	}
}

// openSQLite opens a database file with the driver the store uses.
func openSQLite(t *testing.T, path, pragmas string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)"+pragmas)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1) // pragmas hold per connection
	t.Cleanup(func() { db.Close() })
	return db
}

// TestClassifySQLiteErrors produces the SQLite driver's own errors: busy
// past the timeout, full, read-only, and a constraint that is no such thing.
func TestClassifySQLiteErrors(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "gns.db")
	db := openSQLite(t, path, "&_pragma=busy_timeout(50)")
	if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB)`); err != nil {
		t.Fatal(err)
	}
	sqliteCode := func(err error) int {
		var se *sqlite.Error
		if !errors.As(err, &se) {
			t.Fatalf("%v is not a *sqlite.Error", err)
		}
		return se.Code() & 0xff
	}

	t.Run("busy", func(t *testing.T) {
		other := openSQLite(t, path, "&_pragma=busy_timeout(50)")
		tx, err := other.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if _, err := tx.Exec(`INSERT INTO t (b) VALUES (x'00')`); err != nil {
			t.Fatal(err)
		}
		_, err = db.Exec(`INSERT INTO t (b) VALUES (x'01')`)
		if code := sqliteCode(err); code != 5 {
			t.Fatalf("code %d, want SQLITE_BUSY (5): %v", code, err)
		}
		checkClassified(t, err, true)
	})

	t.Run("full", func(t *testing.T) {
		var pages int
		if err := db.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(fmt.Sprintf(`PRAGMA max_page_count = %d`, pages)); err != nil {
			t.Fatal(err)
		}
		_, err := db.Exec(`INSERT INTO t (b) VALUES (?)`, make([]byte, 1<<20))
		if code := sqliteCode(err); code != 13 {
			t.Fatalf("code %d, want SQLITE_FULL (13): %v", code, err)
		}
		checkClassified(t, err, true)
		if _, err := db.Exec(`PRAGMA max_page_count = 1073741823`); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("read-only", func(t *testing.T) {
		ro := openSQLite(t, path, "&_pragma=query_only(1)")
		_, err := ro.Exec(`INSERT INTO t (b) VALUES (x'02')`)
		if code := sqliteCode(err); code != 8 {
			t.Fatalf("code %d, want SQLITE_READONLY (8): %v", code, err)
		}
		checkClassified(t, err, true)
	})

	t.Run("constraint", func(t *testing.T) {
		if _, err := db.Exec(`INSERT INTO t (id) VALUES (100)`); err != nil {
			t.Fatal(err)
		}
		_, err := db.Exec(`INSERT INTO t (id) VALUES (100)`)
		if err == nil {
			t.Fatal("a duplicate key was accepted")
		}
		checkClassified(t, err, false)
	})
}
