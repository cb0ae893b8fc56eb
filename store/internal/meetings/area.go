// Package meetings keeps meetings, their attendance and agendas, the
// calendar feed tokens and the meeting sections of the start pages.
package meetings

import (
	"github.com/region-jh/gns/store/internal/access"
	"github.com/region-jh/gns/store/internal/cases"
	"github.com/region-jh/gns/store/internal/registry"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// Meetings holds the meeting, agenda and calendar methods, run on one connection.
// store.Conn embeds it, so callers reach them as methods of store.Conn.
type Meetings struct{ db *sqlconn.Conn }

// New returns the meeting, agenda and calendar methods run on db.
func New(db *sqlconn.Conn) Meetings { return Meetings{db: db} }

// access returns the access methods on the same connection.
func (c Meetings) access() access.Access { return access.New(c.db) }

// cases returns the cases methods on the same connection.
func (c Meetings) cases() cases.Cases { return cases.New(c.db) }

// registry returns the registry methods on the same connection.
func (c Meetings) registry() registry.Registry { return registry.New(c.db) }

// domainRows converts rows read from the database to their domain values.
func domainRows[R interface{ domain() T }, T any](rows []R) []T {
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out
}
