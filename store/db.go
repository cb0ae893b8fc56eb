// Package store keeps GNS's data in SQLite or PostgreSQL through one
// implementation written with sqlx. Transactions live here; the SQL is written
// once with ? placeholders and rebound for the engine in use.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"  // registers the "postgres" driver
	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, no cgo)
)

func init() {
	sqlx.BindDriver("sqlite", sqlx.QUESTION)
}

// Dialect names the SQL engine behind a DB. It is the one seam where the two
// engines differ; it grows only when a difference forces it.
type Dialect string

// The engines GNS runs on.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open database: a connection pool and the engine it talks to.
type DB struct {
	db      *sqlx.DB
	dialect Dialect
	// where is a printable description of the database, without passwords.
	where string
	stmts *stmtCache
}

// Location says which database a DSN points to, after parsing.
type Location struct {
	Dialect Dialect
	// Path is the SQLite file path.
	Path string
	// URL is the PostgreSQL connection URL as given.
	URL string
}

var schemePattern = regexp.MustCompile(`^([a-zA-Z][a-zA-Z0-9+.-]+):`)

// ParseDSN tells which engine a database setting names: a file path or a
// sqlite: URL (sqlite:gns.db, sqlite:///var/lib/gns/gns.db) for SQLite, a
// postgres:// or postgresql:// URL for PostgreSQL. Any other scheme is refused.
func ParseDSN(dsn string) (Location, error) {
	dsn = strings.TrimSpace(dsn)
	if dsn == "" {
		return Location{}, errors.New("no database given: set --db or GNS_DB (a file path, sqlite:PATH or postgres://URL)")
	}
	m := schemePattern.FindStringSubmatch(dsn)
	if m == nil {
		return Location{Dialect: SQLite, Path: dsn}, nil
	}
	switch scheme := strings.ToLower(m[1]); scheme {
	case "sqlite", "sqlite3":
		path := strings.TrimPrefix(dsn[len(m[0]):], "//")
		if path == "" {
			return Location{}, fmt.Errorf("database %q names no SQLite file", dsn)
		}
		return Location{Dialect: SQLite, Path: path}, nil
	case "postgres", "postgresql":
		u, err := url.Parse(dsn)
		if err != nil {
			return Location{}, fmt.Errorf("database URL is not valid: %s", redactURLError(err))
		}
		if u.Host == "" && u.Query().Get("host") == "" {
			return Location{}, fmt.Errorf("database URL %s names no host", redact(u))
		}
		return Location{Dialect: Postgres, URL: dsn}, nil
	default:
		return Location{}, fmt.Errorf("unknown database scheme %q: use a file path, sqlite:PATH or postgres://URL", scheme)
	}
}

// String describes the location for logs and messages, without any password.
func (l Location) String() string {
	if l.Dialect == SQLite {
		return "SQLite " + l.Path
	}
	u, err := url.Parse(l.URL)
	if err != nil {
		return "PostgreSQL"
	}
	return "PostgreSQL " + redact(u)
}

func redact(u *url.URL) string {
	c := *u
	if c.User != nil {
		if _, has := c.User.Password(); has {
			c.User = url.UserPassword(c.User.Username(), "xxxxx")
		}
	}
	return c.String()
}

// redactURLError drops the URL (and so any password) from a url.Parse error.
func redactURLError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return "malformed URL"
}

// maxOpenConns bounds the connections one GNS process opens, well below
// PostgreSQL's default of 100 so that a few instances fit.
const maxOpenConns = 32

// Open connects to the database named by dsn (see ParseDSN) and checks that it
// answers. It does not migrate: call Migrate for that.
func Open(ctx context.Context, dsn string) (*DB, error) {
	loc, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	var db *sqlx.DB
	switch loc.Dialect {
	case SQLite:
		if err := checkWritable(loc.Path); err != nil {
			return nil, err
		}
		db, err = sqlx.Open("sqlite", sqliteDSN(loc.Path))
	case Postgres:
		db, err = sqlx.Open("postgres", loc.URL)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", loc, err)
	}
	// Keep enough connections open for the requests in flight: database/sql
	// keeps only two idle by default, so a busy server would open and close
	// connections all the time.
	db.SetMaxOpenConns(maxOpenConns)
	db.SetMaxIdleConns(maxOpenConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	d := &DB{db: db, dialect: loc.Dialect, where: loc.String(), stmts: newStmtCache(db)}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := d.Ping(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot reach %s: %w", loc, err)
	}
	return d, nil
}

// sqliteDSN adds the pragmas GNS relies on: waiting instead of failing on a
// locked database, write-ahead logging, foreign keys, timestamps in SQLite's own
// text format, and transactions that take the write lock at BEGIN.
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_time_format", "sqlite")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// checkWritable fails early, in plain words, when the SQLite file cannot be
// created or written; SQLite's own message for that is obscure.
func checkWritable(path string) error {
	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("SQLite database %s: folder %s does not exist", path, dir)
	}
	if !info.IsDir() {
		return fmt.Errorf("SQLite database %s: %s is not a folder", path, dir)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("SQLite database %s cannot be written: %w", path, errors.Unwrap(err))
	}
	return f.Close()
}

// Dialect returns the engine behind db.
func (d *DB) Dialect() Dialect { return d.dialect }

// String describes the database without any password.
func (d *DB) String() string { return d.where }

// Ping checks that the database answers.
func (d *DB) Ping(ctx context.Context) error {
	var one int
	return d.db.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Close closes the connection pool, waiting for queries in progress.
func (d *DB) Close() error {
	d.stmts.close()
	return d.db.Close()
}

// SQL returns the underlying pool, for tools that need database/sql itself
// (migrations). Application code goes through Conn and InTx.
func (d *DB) SQL() *sql.DB { return d.db.DB }

// Conn returns a Conn that runs each statement on its own, outside any
// transaction. Use it for reads; changes go through InTx.
func (d *DB) Conn() *Conn { return &Conn{ext: d.db, dialect: d.dialect, stmts: d.stmts} }

// InTx runs fn inside one transaction: committed when fn returns nil, rolled
// back when it returns an error or panics.
func (d *DB) InTx(ctx context.Context, fn func(c *Conn) error) (err error) {
	tx, err := d.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
		}
	}()
	if err = fn(&Conn{ext: tx, dialect: d.dialect}); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Conn runs statements on the pool or inside a transaction; the same query code
// serves both.
type Conn struct {
	ext     sqlx.ExtContext
	dialect Dialect
	// stmts prepares the reads run on the pool once per connection; it is
	// nil inside a transaction, whose statements are prepared as they come.
	stmts *stmtCache
}

// Dialect returns the engine behind c.
func (c *Conn) Dialect() Dialect { return c.dialect }

func (c *Conn) get(ctx context.Context, dest any, query string, args ...any) error {
	if st := c.stmts.prepared(ctx, query); st != nil {
		return st.GetContext(ctx, dest, args...)
	}
	return sqlx.GetContext(ctx, c.ext, dest, c.ext.Rebind(query), args...)
}

func (c *Conn) selectAll(ctx context.Context, dest any, query string, args ...any) error {
	if st := c.stmts.prepared(ctx, query); st != nil {
		return st.SelectContext(ctx, dest, args...)
	}
	return sqlx.SelectContext(ctx, c.ext, dest, c.ext.Rebind(query), args...)
}

func (c *Conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return c.ext.ExecContext(ctx, c.ext.Rebind(query), args...)
}

// insert runs an INSERT ... RETURNING id and returns the new id.
func (c *Conn) insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := c.ext.QueryRowxContext(ctx, c.ext.Rebind(query+" RETURNING id"), args...).Scan(&id)
	return id, err
}

// now is the current time in UTC, truncated to microseconds so both engines
// store and return the same value.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// maxPreparedStatements bounds the statement cache. The queries GNS runs are
// a fixed set of texts, but a few are built from filters; past the bound a
// query simply runs unprepared.
const maxPreparedStatements = 1024

// maxPreparedList bounds the IN lists kept prepared. sqlx.In writes one ?
// per value, so the text of such a query changes with the number of values:
// the short lists of the busy pages (a party's shares of one year) are worth
// keeping, one statement per length, but a list past this length is run
// unprepared rather than fill the cache with one statement per length.
const maxPreparedList = 16

// stmtCache holds the reads run on the pool as prepared statements, keyed by
// their text. database/sql prepares each on a connection the first time it
// runs there and reuses it after, so a page's queries skip SQLite's parser
// and PostgreSQL's extra round trip for parsing.
type stmtCache struct {
	db *sqlx.DB
	mu sync.RWMutex
	m  map[string]*sqlx.Stmt
}

func newStmtCache(db *sqlx.DB) *stmtCache {
	return &stmtCache{db: db, m: map[string]*sqlx.Stmt{}}
}

// prepared returns the prepared statement for query, preparing it on first
// use, or nil when the query should run unprepared: no cache (inside a
// transaction), a long IN list, the cache full, or preparing failed (running
// the query then reports the error in the usual way).
func (sc *stmtCache) prepared(ctx context.Context, query string) *sqlx.Stmt {
	if sc == nil || strings.Count(query, "?, ") >= maxPreparedList {
		return nil
	}
	sc.mu.RLock()
	st, ok := sc.m[query]
	full := len(sc.m) >= maxPreparedStatements
	sc.mu.RUnlock()
	if ok {
		return st
	}
	if full {
		return nil
	}
	st, err := sc.db.PreparexContext(ctx, sc.db.Rebind(query))
	if err != nil {
		return nil
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if old, ok := sc.m[query]; ok {
		st.Close() // another request prepared it first
		return old
	}
	sc.m[query] = st
	return st
}

// close closes every cached statement.
func (sc *stmtCache) close() {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	for q, st := range sc.m {
		st.Close()
		delete(sc.m, q)
	}
}
