// Package registry keeps the register that the rest of GNS refers to:
// committees, parties, their populations, committee members and the
// committees' documents.
package registry

import (
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// Registry holds the committee, party, population, member and committee-document methods, run on one connection.
// store.Conn embeds it, so callers reach them as methods of store.Conn.
type Registry struct{ db *sqlconn.Conn }

// New returns the committee, party, population, member and committee-document methods run on db.
func New(db *sqlconn.Conn) Registry { return Registry{db: db} }
