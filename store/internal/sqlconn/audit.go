package sqlconn

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

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
	_, err = c.Exec(ctx, `INSERT INTO audit_log (at, actor_user_id, actor, action, entity, entity_id, before_json, after_json, remote_addr, request_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Now(), actorID, a.Label, action, entity, fmt.Sprint(entityID), b, af, a.RemoteAddr, a.RequestID)
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
