package meetings

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/region-jh/gns/domain"
)

// CalendarToken is a user's secret calendar address, as far as it is kept:
// when it was made and last used. The token itself is never stored.
type CalendarToken struct {
	CreatedAt  time.Time
	LastUsedAt time.Time
}

// SetCalendarToken gives the user a new calendar address by storing the
// hash of its token; an earlier address stops working.
func (c Meetings) SetCalendarToken(ctx context.Context, userID int64, tokenHash string) error {
	if tokenHash == "" {
		return errors.New("calendar token: no hash")
	}
	at := c.db.Now()
	_, err := c.db.Exec(ctx, `INSERT INTO calendar_tokens (user_id, token_hash, created_at) VALUES (?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at, last_used_at = NULL`,
		userID, tokenHash, at)
	if err != nil {
		return fmt.Errorf("calendar token of user %d: %w", userID, err)
	}
	return c.db.Audit(ctx, "create_calendar_token", "user", userID, nil, map[string]any{"created_at": at})
}

// RemoveCalendarToken turns the user's calendar address off. It reports
// whether there was one.
func (c Meetings) RemoveCalendarToken(ctx context.Context, userID int64) (bool, error) {
	res, err := c.db.Exec(ctx, `DELETE FROM calendar_tokens WHERE user_id = ?`, userID)
	if err != nil {
		return false, fmt.Errorf("remove calendar token of user %d: %w", userID, err)
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return false, err
	}
	return true, c.db.Audit(ctx, "remove_calendar_token", "user", userID, nil, nil)
}

// CalendarTokenOf returns the user's calendar address, or ENOTFOUND when the
// user has none.
func (c Meetings) CalendarTokenOf(ctx context.Context, userID int64) (CalendarToken, error) {
	var r struct {
		CreatedAt  time.Time    `db:"created_at"`
		LastUsedAt sql.NullTime `db:"last_used_at"`
	}
	err := c.db.Get(ctx, &r, `SELECT created_at, last_used_at FROM calendar_tokens WHERE user_id = ?`, userID)
	if errors.Is(err, sql.ErrNoRows) {
		return CalendarToken{}, domain.Errorf(domain.ENOTFOUND, "Du har ingen kalenderadress.")
	}
	if err != nil {
		return CalendarToken{}, fmt.Errorf("calendar token of user %d: %w", userID, err)
	}
	return CalendarToken{CreatedAt: r.CreatedAt.UTC(), LastUsedAt: r.LastUsedAt.Time.UTC()}, nil
}

// UserByCalendarToken returns the active user whose calendar address has the
// token with this hash, and records the use when the last one is a minute
// old (domain.TokenUseEvery): a calendar app that polls the feed writes
// nothing most of the time. An unknown token, or one of a disabled user, is
// ENOTFOUND.
func (c Meetings) UserByCalendarToken(ctx context.Context, tokenHash string) (domain.User, error) {
	var tok struct {
		UserID   int64        `db:"user_id"`
		LastUsed sql.NullTime `db:"last_used_at"`
	}
	err := c.db.Get(ctx, &tok, `SELECT user_id, last_used_at FROM calendar_tokens WHERE token_hash = ?`, tokenHash)
	userID := tok.UserID
	notFound := domain.Errorf(domain.ENOTFOUND, "Kalendern finns inte. Adressen kan ha ersatts av en ny under Min kalender i GNS.")
	if errors.Is(err, sql.ErrNoRows) {
		return domain.User{}, notFound
	}
	if err != nil {
		return domain.User{}, fmt.Errorf("calendar token: %w", err)
	}
	u, err := c.access().UserByID(ctx, userID)
	if err != nil {
		return domain.User{}, err
	}
	if u.Disabled() {
		return domain.User{}, notFound
	}
	now := c.db.Now()
	if tok.LastUsed.Valid && now.Sub(tok.LastUsed.Time) < domain.TokenUseEvery {
		return u, nil
	}
	if _, err := c.db.Exec(ctx, `UPDATE calendar_tokens SET last_used_at = ? WHERE user_id = ?`, now, userID); err != nil {
		return domain.User{}, fmt.Errorf("calendar token use: %w", err)
	}
	return u, nil
}
