package access

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/region-jh/gns/domain"
)

type auditRow struct {
	ID          int64          `db:"id"`
	At          time.Time      `db:"at"`
	ActorUserID sql.NullInt64  `db:"actor_user_id"`
	Actor       string         `db:"actor"`
	Action      string         `db:"action"`
	Entity      string         `db:"entity"`
	EntityID    string         `db:"entity_id"`
	Before      sql.NullString `db:"before_json"`
	After       sql.NullString `db:"after_json"`
	RemoteAddr  string         `db:"remote_addr"`
	RequestID   string         `db:"request_id"`
}

func rawJSON(s sql.NullString) json.RawMessage {
	if !s.Valid {
		return nil
	}
	return json.RawMessage(s.String)
}

// AuditEntities lists the kinds of thing the trail has entries for, so a
// filter can offer every one.
func (c Access) AuditEntities(ctx context.Context) ([]string, error) {
	var out []string
	if err := c.db.Select(ctx, &out, `SELECT DISTINCT entity FROM audit_log ORDER BY entity`); err != nil {
		return nil, fmt.Errorf("audit entities: %w", err)
	}
	return out, nil
}

// MaxAuditPage is the most entries one call to AuditEntries returns.
const MaxAuditPage = 500

// AuditEntries returns the entries that match f, newest first, and how many
// match in all.
func (c Access) AuditEntries(ctx context.Context, f domain.AuditFilter) ([]domain.AuditEntry, int, error) {
	var where []string
	var args []any
	if f.ActorUserID != 0 {
		where, args = append(where, "actor_user_id = ?"), append(args, f.ActorUserID)
	}
	if f.Entity != "" {
		where, args = append(where, "entity = ?"), append(args, f.Entity)
	}
	if !f.From.IsZero() {
		where, args = append(where, "at >= ?"), append(args, f.From.Time())
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.ToLower(q)) + "%"
		where = append(where, `(LOWER(actor) LIKE ? ESCAPE '\' OR LOWER(action) LIKE ? ESCAPE '\' OR LOWER(entity) LIKE ? ESCAPE '\'
			OR LOWER(entity_id) LIKE ? ESCAPE '\' OR LOWER(COALESCE(before_json, '')) LIKE ? ESCAPE '\' OR LOWER(COALESCE(after_json, '')) LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like, like, like, like)
	}
	if !f.To.IsZero() {
		where, args = append(where, "at < ?"), append(args, f.To.Time().AddDate(0, 0, 1))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := c.db.Get(ctx, &total, "SELECT COUNT(*) FROM audit_log"+cond, args...); err != nil {
		return nil, 0, fmt.Errorf("count audit entries: %w", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > MaxAuditPage {
		limit = MaxAuditPage
	}
	var rows []auditRow
	err := c.db.Select(ctx, &rows, `SELECT id, at, actor_user_id, actor, action, entity, entity_id, before_json, after_json, remote_addr, request_id
		FROM audit_log`+cond+` ORDER BY id DESC LIMIT ? OFFSET ?`, append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("list audit entries: %w", err)
	}
	out := make([]domain.AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = domain.AuditEntry{
			ID: r.ID, At: r.At.UTC(), ActorUserID: r.ActorUserID.Int64, Actor: r.Actor, Action: r.Action,
			Entity: r.Entity, EntityID: r.EntityID, Before: rawJSON(r.Before), After: rawJSON(r.After),
			RemoteAddr: r.RemoteAddr, RequestID: r.RequestID,
		}
	}
	return out, total, nil
}
