package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/region-jh/gns/domain"
)

// Audit appends one entry to the audit trail, in the same transaction as the
// change it records. The actor comes from ctx (domain.WithActor). before and
// after are the entity as it was and as it became, encoded as JSON (nil for
// none); they must never hold secrets.
func (c *Conn) Audit(ctx context.Context, action, entity string, entityID any, before, after any) error {
	a := domain.ActorFrom(ctx)
	b, err := auditJSON(before)
	if err != nil {
		return err
	}
	af, err := auditJSON(after)
	if err != nil {
		return err
	}
	actorID := sql.NullInt64{Int64: a.UserID, Valid: a.UserID != 0}
	_, err = c.exec(ctx, `INSERT INTO audit_log (at, actor_user_id, actor, action, entity, entity_id, before_json, after_json, remote_addr, request_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		now(), actorID, a.Label, action, entity, fmt.Sprint(entityID), b, af, a.RemoteAddr, a.RequestID)
	if err != nil {
		return fmt.Errorf("audit %s %s %v: %w", action, entity, entityID, err)
	}
	return nil
}

func auditJSON(v any) (sql.NullString, error) {
	if v == nil {
		return sql.NullString{}, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return sql.NullString{}, fmt.Errorf("audit: encode: %w", err)
	}
	return sql.NullString{String: string(b), Valid: true}, nil
}

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

// MaxAuditPage is the most entries one call to AuditEntries returns.
const MaxAuditPage = 500

// AuditEntries returns the entries that match f, newest first, and how many
// match in all.
func (c *Conn) AuditEntries(ctx context.Context, f domain.AuditFilter) ([]domain.AuditEntry, int, error) {
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
	if !f.To.IsZero() {
		where, args = append(where, "at < ?"), append(args, f.To.Time().AddDate(0, 0, 1))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := c.get(ctx, &total, "SELECT COUNT(*) FROM audit_log"+cond, args...); err != nil {
		return nil, 0, fmt.Errorf("count audit entries: %w", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > MaxAuditPage {
		limit = MaxAuditPage
	}
	var rows []auditRow
	err := c.selectAll(ctx, &rows, `SELECT id, at, actor_user_id, actor, action, entity, entity_id, before_json, after_json, remote_addr, request_id
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
