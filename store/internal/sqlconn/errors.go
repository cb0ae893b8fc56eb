package sqlconn

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/lib/pq"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/region-jh/gns/domain"
)

// Classify turns a driver's error that says the database cannot be reached
// or written just now into a domain.EUNAVAILABLE error, which wraps it for
// the log; any other error (nil, a domain error, a constraint, no rows) is
// returned as it is. Every statement the store runs returns its error
// through Classify, so the web answers 503 "try again" instead of 500 while
// PostgreSQL restarts or the disk is full.
func Classify(err error) error {
	if err == nil || !Unavailable(err) {
		return err
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return err // classified already, or a message of its own
	}
	return &domain.Error{Code: domain.EUNAVAILABLE, Message: domain.UnavailableMessage, Err: err}
}

// Unavailable reports whether err says that the database cannot be reached
// or written just now, on either engine: a refused, reset or lost
// connection, a server shutting down or starting up (57P01, 57P02, 57P03), a
// connection exception (class 08), insufficient resources (class 53: disk
// full, out of memory, too many connections), a read-only server (25006, a
// standby), an I/O error (58030); SQLite busy past its timeout, full,
// read-only, unable to open its file or failing to read or write it. A
// closed pool is unavailable too.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return de.Code == domain.EUNAVAILABLE
	}
	var pe *pq.Error
	if errors.As(err, &pe) {
		switch pe.Code {
		case "57P01", "57P02", "57P03", "25006", "58030":
			return true
		}
		switch pe.Code.Class() {
		case "08", "53":
			return true
		}
		return false
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff { // the primary code of an extended one
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR,
			sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PROTOCOL, sqlite3.SQLITE_NOMEM:
			return true
		}
		return false
	}
	var ne net.Error
	switch {
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, syscall.ENOSPC),
		errors.As(err, &ne):
		return true
	}
	// database/sql does not export the error of a closed pool.
	return strings.Contains(err.Error(), "sql: database is closed")
}
