// Package access keeps who may use GNS and what they did: users, their
// roles and credentials, sessions, API tokens and the audit trail.
package access

import (
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// Access holds the users, sessions, API tokens and audit-trail methods, run on one connection.
// store.Conn embeds it, so callers reach them as methods of store.Conn.
type Access struct{ db *sqlconn.Conn }

// New returns the users, sessions, API tokens and audit-trail methods run on db.
func New(db *sqlconn.Conn) Access { return Access{db: db} }
