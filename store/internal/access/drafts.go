package access

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/region-jh/gns/domain"
)

// DraftLifetime is how long a form kept at a session's end waits for its
// user to log in again.
const DraftLifetime = 24 * time.Hour

// SaveFormDraft keeps what a user submitted after the session had ended:
// sealed (the caller seals it with the server's key), under the hash of a
// random token the browser holds, for that user alone. Drafts older than
// DraftLifetime are removed on the way.
func (c Access) SaveFormDraft(ctx context.Context, userID int64, tokenHash, path, sealed string) error {
	at := c.db.Now()
	if _, err := c.db.Exec(ctx, `DELETE FROM form_drafts WHERE created_at < ?`, at.Add(-DraftLifetime)); err != nil {
		return fmt.Errorf("remove old drafts: %w", err)
	}
	if _, err := c.db.Exec(ctx, `INSERT INTO form_drafts (user_id, token_hash, path, sealed, created_at) VALUES (?, ?, ?, ?, ?)`,
		userID, tokenHash, path, sealed, at); err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	return nil
}

// TakeFormDraft returns the sealed draft kept under tokenHash for the user
// when the page it returns to is path, and removes it: a draft is given
// back once. Another user's draft, another page's, or one older than
// DraftLifetime is ENOTFOUND (and stays until it is taken or too old).
func (c Access) TakeFormDraft(ctx context.Context, userID int64, tokenHash, path string) (sealed string, err error) {
	var r struct {
		ID        int64     `db:"id"`
		Sealed    string    `db:"sealed"`
		CreatedAt time.Time `db:"created_at"`
	}
	err = c.db.Get(ctx, &r, `SELECT id, sealed, created_at FROM form_drafts WHERE token_hash = ? AND user_id = ? AND path = ?`, tokenHash, userID, path)
	if errors.Is(err, sql.ErrNoRows) {
		return "", domain.Errorf(domain.ENOTFOUND, "Utkastet finns inte.")
	}
	if err != nil {
		return "", fmt.Errorf("read draft: %w", err)
	}
	if _, err := c.db.Exec(ctx, `DELETE FROM form_drafts WHERE id = ?`, r.ID); err != nil {
		return "", fmt.Errorf("take draft: %w", err)
	}
	if c.db.Now().Sub(r.CreatedAt) > DraftLifetime {
		return "", domain.Errorf(domain.ENOTFOUND, "Utkastet finns inte.")
	}
	return r.Sealed, nil
}
