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
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, no cgo)

	"github.com/region-jh/gns/store/internal/access"
	"github.com/region-jh/gns/store/internal/arvode"
	"github.com/region-jh/gns/store/internal/cases"
	"github.com/region-jh/gns/store/internal/economy"
	"github.com/region-jh/gns/store/internal/meetings"
	"github.com/region-jh/gns/store/internal/minutes"
	"github.com/region-jh/gns/store/internal/money"
	"github.com/region-jh/gns/store/internal/outbox"
	"github.com/region-jh/gns/store/internal/projects"
	"github.com/region-jh/gns/store/internal/registry"
	"github.com/region-jh/gns/store/internal/remiss"
	"github.com/region-jh/gns/store/internal/search"
	"github.com/region-jh/gns/store/internal/services"
	"github.com/region-jh/gns/store/internal/sqlconn"
	"github.com/region-jh/gns/store/internal/sso"
)

func init() {
	sqlx.BindDriver("sqlite", sqlx.QUESTION)
}

// Dialect names the SQL engine behind a DB. It is the one seam where the two
// engines differ; it grows only when a difference forces it.
type Dialect = sqlconn.Dialect

// The engines GNS runs on.
const (
	SQLite   = sqlconn.SQLite
	Postgres = sqlconn.Postgres
)

// DB is an open database: a connection pool and the engine it talks to.
type DB struct {
	db      *sqlx.DB
	dialect Dialect
	// where is a printable description of the database, without passwords.
	where string
	stmts *sqlconn.StmtCache
	// clock, when set, replaces time.Now (see SetClock).
	clock atomic.Pointer[func() time.Time]
	// mailQueue, when set, is where kept mails go (SetMailQueue).
	mailQueue atomic.Pointer[MailQueue]
	// searchReady is set once the schema is known to have the search index
	// (a database at an older version, as some tests make, has none).
	searchReady atomic.Bool
}

// flushSearch writes the search entries of what the transaction core
// changed (search.Flush), once the schema has the index.
func (d *DB) flushSearch(ctx context.Context, core *sqlconn.Conn) error {
	if !d.searchReady.Load() {
		ok, err := search.Ready(ctx, core)
		if err != nil || !ok {
			return err
		}
		d.searchReady.Store(true)
	}
	return search.Flush(ctx, core)
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
		db, err = openPostgres(loc.URL)
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
	d := &DB{db: db, dialect: loc.Dialect, where: loc.String(), stmts: sqlconn.NewStmtCache(db)}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := d.Ping(pingCtx); err != nil {
		_ = db.Close() // the failed ping is the error to report
		return nil, fmt.Errorf("cannot reach %s: %w", loc, err)
	}
	return d, nil
}

// openPostgres opens a pool on PostgreSQL whose connections plan every
// statement for the values it runs with (plan_cache_mode =
// force_custom_plan), unless the URL sets plan_cache_mode itself.
//
// The reads run as prepared statements (sqlconn.StmtCache), and after five
// runs of one PostgreSQL may switch it to a generic plan, made once for any
// values. For a query by committee that plan fits the installation as a
// whole, not the committee: a committee with 1 000 cases beside one with
// 100 000 got its case list through a scan, 16–18 ms against ~1 ms for the
// big one (see BenchmarkPagesUnderLoad). Planning each run costs a few tens
// of microseconds; the statements still skip parsing.
func openPostgres(dsn string) (*sqlx.DB, error) {
	cfg, err := pq.NewConfig(dsn)
	if err != nil {
		return nil, err
	}
	if _, set := cfg.Runtime["plan_cache_mode"]; !set {
		if cfg.Runtime == nil {
			cfg.Runtime = map[string]string{}
		}
		cfg.Runtime["plan_cache_mode"] = "force_custom_plan"
	}
	connector, err := pq.NewConnectorConfig(cfg)
	if err != nil {
		return nil, err
	}
	return sqlx.NewDb(sql.OpenDB(connector), "postgres"), nil
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
	return sqlconn.Classify(d.db.QueryRowContext(ctx, "SELECT 1").Scan(&one))
}

// Close closes the connection pool, waiting for queries in progress.
func (d *DB) Close() error {
	d.stmts.Close()
	return d.db.Close()
}

// SQL returns the underlying pool, for tools that need database/sql itself
// (migrations). Application code goes through Conn and InTx.
func (d *DB) SQL() *sql.DB { return d.db.DB }

// SetClock makes now the clock of d: each Conn and each transaction takes
// its time (Conn.Now) from it once, when it is made. nil restores the real
// clock. Tests set a fixed clock to check date rules and stored times
// without waiting.
func (d *DB) SetClock(now func() time.Time) {
	if now == nil {
		d.clock.Store(nil)
		return
	}
	d.clock.Store(&now)
}

// Now is the current time by d's clock (see SetClock), in UTC and truncated
// to microseconds as the database keeps it.
func (d *DB) Now() time.Time {
	if now := d.clock.Load(); now != nil {
		return sqlconn.Timestamp((*now)())
	}
	return sqlconn.Timestamp(time.Now())
}

// Conn returns a Conn that runs each statement on its own, outside any
// transaction, with its time (Conn.Now) fixed now. Use it for reads, one per
// request or task; changes go through InTx.
func (d *DB) Conn() *Conn { return newConn(sqlconn.New(d.db, d.dialect, d.stmts, d.Now()), d.queue()) }

// InTx runs fn inside one transaction: committed when fn returns nil, rolled
// back when it returns an error or panics. The time of the transaction
// (Conn.Now) is fixed when it begins. A database that cannot be reached or
// written gives an error with the code domain.EUNAVAILABLE (see Unavailable).
func (d *DB) InTx(ctx context.Context, fn func(c *Conn) error) (err error) {
	tx, err := d.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", sqlconn.Classify(err))
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback() // the panic goes on; a failed rollback ends with the connection
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback() // err is what the caller needs; a failed rollback ends with the connection
		}
	}()
	core := sqlconn.New(tx, d.dialect, nil, d.Now())
	if err = fn(newConn(core, d.queue())); err != nil {
		return sqlconn.Classify(err)
	}
	// The search index changes with what it indexes, in this transaction.
	if err = d.flushSearch(ctx, core); err != nil {
		return sqlconn.Classify(err)
	}
	sqlconn.Count(ctx) // BEGIN; COMMIT below
	sqlconn.Count(ctx)
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", sqlconn.Classify(err))
	}
	return nil
}

// Conn runs statements on the pool or inside a transaction; the same query code
// serves both. Its methods are those of the areas it embeds, one package each
// under store/internal, all on the same connection.
type Conn struct {
	core *sqlconn.Conn
	accessArea
	registryArea
	casesArea
	meetingsArea
	minutesArea
	moneyArea
	economyArea
	servicesArea
	outboxArea
	remissArea
	// queue is where QueueMail puts mails (nil: kept unsent, or not in a
	// transaction).
	queue MailQueue
	ssoArea
	arvodeArea
	projectsArea
}

// The areas Conn embeds, under names of their own: unexported, so that Conn
// shows their methods but not the areas themselves, and distinct from the
// methods (Conn.Meetings lists meetings).
type (
	accessArea   = access.Access
	registryArea = registry.Registry
	casesArea    = cases.Cases
	meetingsArea = meetings.Meetings
	minutesArea  = minutes.Minutes
	moneyArea    = money.Money
	economyArea  = economy.Economy
	servicesArea = services.Services
	outboxArea   = outbox.Outbox
	remissArea   = remiss.Remisser
	ssoArea      = sso.SSO
	arvodeArea   = arvode.Arvode
	projectsArea = projects.Projects
)

// newConn returns the Conn whose areas all run on core.
func newConn(core *sqlconn.Conn, queue MailQueue) *Conn {
	return &Conn{
		core:         core,
		queue:        queue,
		outboxArea:   outbox.New(core),
		remissArea:   remiss.New(core),
		accessArea:   access.New(core),
		registryArea: registry.New(core),
		casesArea:    cases.New(core),
		meetingsArea: meetings.New(core),
		minutesArea:  minutes.New(core),
		moneyArea:    money.New(core),
		economyArea:  economy.New(core),
		servicesArea: services.New(core),
		ssoArea:      sso.New(core),
		arvodeArea:   arvode.New(core),
		projectsArea: projects.New(core),
	}
}

// Dialect returns the engine behind c.
func (c *Conn) Dialect() Dialect { return c.core.Dialect() }

// Now is the time of c, fixed when c was made (for a transaction, when it
// began) from the DB's clock, in UTC and truncated to microseconds: every
// row one transaction stamps gets the same time.
func (c *Conn) Now() time.Time { return c.core.Now() }

// Audit appends one entry to the audit trail, in the same transaction as the
// change it records. The actor comes from ctx (domain.WithActor). before and
// after are the entity as it was and as it became, encoded as JSON (nil for
// none); they must never hold secrets.
func (c *Conn) Audit(ctx context.Context, action, entity string, entityID any, before, after any) error {
	return c.core.Audit(ctx, action, entity, entityID, before, after)
}

// CountStatements returns a context in which every statement run through a
// Conn (and each BEGIN and COMMIT of InTx) is counted, and a function that
// tells how many so far. Tests and benchmarks use it to see how many round
// trips to the database a page makes.
func CountStatements(ctx context.Context) (context.Context, func() int64) {
	return sqlconn.CountStatements(ctx)
}

// Unavailable reports whether err says that the database cannot be reached
// or written just now (a restart, a lost connection, a full disk, SQLite busy
// past its timeout): the store returns such errors with the code
// domain.EUNAVAILABLE, wrapping the driver's error for the log.
func Unavailable(err error) bool { return sqlconn.Unavailable(err) }

// writeCheckBytes is how much CheckWritable writes: enough to need new pages
// of the database's files, as real writes do, so a full disk shows.
const writeCheckBytes = 64 << 10

// CheckWritable checks that the database can be written, for the readiness
// probe: in a transaction that is rolled back it creates a table and writes
// some 64 kB to it, so nothing is left behind. A database that answers reads
// but cannot take a write (a full disk, a read-only file or standby) gives
// an error with the code domain.EUNAVAILABLE.
//
// On PostgreSQL the new table's file is extended at once, so a full disk
// shows; SQLite writes its pages at commit, so there a full disk shows only
// once a page no longer fits (a read-only or locked file shows at once).
func (d *DB) CheckWritable(ctx context.Context) error {
	tx, err := d.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("write check: begin: %w", sqlconn.Classify(err))
	}
	defer func() { _ = tx.Rollback() }() // rolling back is the point; its error changes nothing
	blob := "BLOB"
	if d.dialect == Postgres {
		blob = "BYTEA"
	}
	if _, err := tx.ExecContext(ctx, "CREATE TABLE gns_write_check (b "+blob+")"); err != nil {
		return fmt.Errorf("write check: create: %w", sqlconn.Classify(err))
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind("INSERT INTO gns_write_check (b) VALUES (?)"), make([]byte, writeCheckBytes)); err != nil {
		return fmt.Errorf("write check: insert: %w", sqlconn.Classify(err))
	}
	return nil
}
