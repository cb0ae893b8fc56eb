// Package minutes keeps the minutes of meetings: paragraphs with their
// motions and votes, justering (approval and locking) and the assignments
// that decisions give.
package minutes

import (
	"context"

	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store/internal/access"
	"github.com/region-jh/gns/store/internal/cases"
	"github.com/region-jh/gns/store/internal/meetings"
	"github.com/region-jh/gns/store/internal/registry"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// Minutes holds the paragraph, justering and assignment methods, run on one connection.
// store.Conn embeds it, so callers reach them as methods of store.Conn.
type Minutes struct{ db *sqlconn.Conn }

// New returns the paragraph, justering and assignment methods run on db.
func New(db *sqlconn.Conn) Minutes { return Minutes{db: db} }

// access returns the access methods on the same connection.
func (c Minutes) access() access.Access { return access.New(c.db) }

// cases returns the cases methods on the same connection.
func (c Minutes) cases() cases.Cases { return cases.New(c.db) }

// meetings returns the meetings methods on the same connection.
func (c Minutes) meetings() meetings.Meetings { return meetings.New(c.db) }

// registry returns the registry methods on the same connection.
func (c Minutes) registry() registry.Registry { return registry.New(c.db) }

// domainRows converts rows read from the database to their domain values.
func domainRows[R interface{ domain() T }, T any](rows []R) []T {
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out
}

// ParagraphsWhere returns the paragraphs that match cond (SQL on the
// paragraphs p), for the economy's reads of decisions.
func ParagraphsWhere(ctx context.Context, db *sqlconn.Conn, cond string, args ...any) ([]meeting.Paragraph, error) {
	return New(db).paragraphsWhere(ctx, cond, args...)
}
