// Package cases keeps cases: their numbers, status, events, documents and
// links.
package cases

import (
	"context"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// Cases holds the case methods, run on one connection.
// store.Conn embeds it, so callers reach them as methods of store.Conn.
type Cases struct{ db *sqlconn.Conn }

// New returns the case methods run on db.
func New(db *sqlconn.Conn) Cases { return Cases{db: db} }

// AddEvent appends an event to a case's history, for the areas whose changes
// show in a case (the agenda, paragraphs).
func AddEvent(ctx context.Context, db *sqlconn.Conn, e domain.CaseEvent) error {
	return New(db).addCaseEvent(ctx, e)
}

// ChangeStatus moves a case to status with an event of kind, for the areas
// whose changes move a case (the agenda, paragraphs).
func ChangeStatus(ctx context.Context, db *sqlconn.Conn, before domain.Case, status domain.CaseStatus, kind domain.CaseEventKind, note, action string) (domain.Case, error) {
	return New(db).changeStatus(ctx, before, status, kind, note, action)
}
