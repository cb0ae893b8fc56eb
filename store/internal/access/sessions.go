package access

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

type sessionRow struct {
	ID         int64     `db:"id"`
	UserID     int64     `db:"user_id"`
	CSRFToken  string    `db:"csrf_token"`
	MFADone    bool      `db:"mfa_done"`
	CreatedAt  time.Time `db:"created_at"`
	LastSeenAt time.Time `db:"last_seen_at"`
	ExpiresAt  time.Time `db:"expires_at"`
}

func (r sessionRow) session() domain.Session {
	return domain.Session{ID: r.ID, UserID: r.UserID, CSRFToken: r.CSRFToken, MFADone: r.MFADone,
		CreatedAt: r.CreatedAt.UTC(), LastSeenAt: r.LastSeenAt.UTC(), ExpiresAt: r.ExpiresAt.UTC()}
}

// CreateSession stores a session under the hash of its token. Only the hash
// is kept, so a copy of the database does not let anyone log in.
func (c Access) CreateSession(ctx context.Context, s domain.Session, tokenHash string) (domain.Session, error) {
	at := c.db.Now()
	s.CreatedAt, s.LastSeenAt = at, at
	id, err := c.db.Insert(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, mfa_done, created_at, last_seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, tokenHash, s.UserID, s.CSRFToken, s.MFADone, at, at, s.ExpiresAt.UTC())
	if err != nil {
		return domain.Session{}, fmt.Errorf("create session: %w", err)
	}
	s.ID = id
	return s, nil
}

// userRoleRow is the part of a row that carries a user and one of the
// user's roles (none when the user has no role): SessionUser and
// APITokenUser read the user with a join, since every request needs it, so
// that a request's credentials cost one query.
type userRoleRow struct {
	Email         string         `db:"email"`
	UserName      string         `db:"user_name"`
	TOTPSecret    sql.NullString `db:"totp_secret"`
	Demo          bool           `db:"demo"`
	DisabledAt    sql.NullTime   `db:"disabled_at"`
	UserCreatedAt time.Time      `db:"user_created_at"`
	RoleID        sql.NullInt64  `db:"role_id"`
	Role          sql.NullString `db:"role"`
	CommitteeID   sql.NullInt64  `db:"committee_id"`
	PartyID       sql.NullInt64  `db:"party_id"`
	CommitteeCode sql.NullString `db:"committee_code"`
	PartyName     sql.NullString `db:"party_name"`
}

// userRoleColumns and userRoleJoins read a userRoleRow for the users row u:
// join u first, then these.
const (
	userRoleColumns = `u.email, u.name AS user_name, u.totp_secret, u.demo, u.disabled_at, u.created_at AS user_created_at,
			r.id AS role_id, r.role, r.committee_id, r.party_id, cm.code AS committee_code, p.name AS party_name`
	userRoleJoins = ` LEFT JOIN user_roles r ON r.user_id = u.id
			LEFT JOIN committees cm ON cm.id = r.committee_id
			LEFT JOIN parties p ON p.id = r.party_id`
)

func (r userRoleRow) userRole() userRoleRow { return r }

// userOf is the user userID with its roles, from the rows of a join that
// gives one row per role (ordered by role id).
func userOf[R interface{ userRole() userRoleRow }](userID int64, rows []R) domain.User {
	first := rows[0].userRole()
	u := UserRow{ID: userID, Email: first.Email, Name: first.UserName, TOTPSecret: first.TOTPSecret, Demo: first.Demo,
		DisabledAt: first.DisabledAt, CreatedAt: first.UserCreatedAt}.User()
	for _, row := range rows {
		if r := row.userRole(); r.RoleID.Valid {
			u.Roles = append(u.Roles, roleRow{ID: r.RoleID.Int64, UserID: userID, Role: r.Role.String, CommitteeID: r.CommitteeID,
				PartyID: r.PartyID, CommitteeCode: r.CommitteeCode, PartyName: r.PartyName}.grant())
		}
	}
	return u
}

// sessionUserRow is one row of SessionUser: the session, its user and one of
// the user's roles, and whether demo users can log in.
type sessionUserRow struct {
	sessionRow
	userRoleRow
	DemoActive bool `db:"demo_active"`
}

// SessionUser returns the session stored under tokenHash with its user and
// the user's roles, and whether any demo user can log in (DemoUsersActive:
// every page shows the demo banner while one can), in one query since every
// page asks for all of it, or ENOTFOUND. It does not judge expiry: the
// caller does, by its own rules.
func (c Access) SessionUser(ctx context.Context, tokenHash string) (domain.Session, domain.User, bool, error) {
	var rows []sessionUserRow
	err := c.db.Select(ctx, &rows, `SELECT s.id, s.user_id, s.csrf_token, s.mfa_done, s.created_at, s.last_seen_at, s.expires_at,
			`+userRoleColumns+`, `+demoActive+` AS demo_active
		FROM sessions s JOIN users u ON u.id = s.user_id`+userRoleJoins+`
		WHERE s.token_hash = ? ORDER BY r.id`, tokenHash)
	if err != nil {
		return domain.Session{}, domain.User{}, false, fmt.Errorf("read session: %w", err)
	}
	if len(rows) == 0 {
		return domain.Session{}, domain.User{}, false, domain.Errorf(domain.ENOTFOUND, "Sessionen finns inte.")
	}
	return rows[0].session(), userOf(rows[0].UserID, rows), rows[0].DemoActive, nil
}

// TouchSession records that the session was used now.
func (c Access) TouchSession(ctx context.Context, id int64) error {
	_, err := c.db.Exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, c.db.Now(), id)
	return err
}

// EndSession removes one session (logout or expiry).
func (c Access) EndSession(ctx context.Context, id int64) error {
	_, err := c.db.Exec(ctx, `DELETE FROM sessions WHERE id = ?`, id)
	return err
}

// EndUserSessions removes every session of the user ("log out everywhere").
func (c Access) EndUserSessions(ctx context.Context, userID int64) error {
	if _, err := c.db.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	return c.db.Audit(ctx, "logout_everywhere", "user", userID, nil, nil)
}

// EndExpiredSessions removes sessions past their absolute expiry or idle
// longer than idle, and returns how many.
func (c Access) EndExpiredSessions(ctx context.Context, idle time.Duration) (int64, error) {
	t := c.db.Now()
	res, err := c.db.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?`, t, t.Add(-idle))
	if err != nil {
		return 0, fmt.Errorf("end expired sessions: %w", err)
	}
	return res.RowsAffected()
}

type apiTokenRow struct {
	ID         int64        `db:"id"`
	UserID     int64        `db:"user_id"`
	Name       string       `db:"name"`
	CreatedAt  time.Time    `db:"created_at"`
	ExpiresAt  sql.NullTime `db:"expires_at"`
	RevokedAt  sql.NullTime `db:"revoked_at"`
	LastUsedAt sql.NullTime `db:"last_used_at"`
}

func (r apiTokenRow) token() domain.APIToken {
	return domain.APIToken{ID: r.ID, UserID: r.UserID, Name: r.Name, CreatedAt: r.CreatedAt.UTC(),
		ExpiresAt: r.ExpiresAt.Time.UTC(), RevokedAt: r.RevokedAt.Time.UTC(), LastUsedAt: r.LastUsedAt.Time.UTC()}
}

const apiTokenColumns = `id, user_id, name, created_at, expires_at, revoked_at, last_used_at`

// CreateAPIToken stores a named token of the user under its hash.
func (c Access) CreateAPIToken(ctx context.Context, t domain.APIToken, tokenHash string) (domain.APIToken, error) {
	name, err := domain.CheckName(t.Name)
	if err != nil {
		return domain.APIToken{}, domain.FieldErrorf("name", "Ge nyckeln ett namn (högst %d tecken) som säger vad den används till.", domain.MaxNameLength)
	}
	t.Name, t.CreatedAt = name, c.db.Now()
	if !t.ExpiresAt.IsZero() && !t.ExpiresAt.After(t.CreatedAt) {
		return domain.APIToken{}, domain.FieldErrorf("expires", "Giltighetstiden måste sluta i framtiden.")
	}
	if t.ExpiresAt.After(domain.MaxDate.AddDays(1).Time()) {
		// Valid through a day after MaxDate could not even be written to the
		// audit trail (year 10000 has no JSON form).
		return domain.APIToken{}, domain.FieldErrorf("expires", "Slutdatumet måste ligga mellan %s och %s.", domain.MinDate, domain.MaxDate)
	}
	id, err := c.db.Insert(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		t.UserID, t.Name, tokenHash, t.CreatedAt, sqlconn.NullTime(t.ExpiresAt))
	if err != nil {
		return domain.APIToken{}, fmt.Errorf("create API token: %w", err)
	}
	t.ID = id
	if err := c.db.Audit(ctx, "create", "api_token", id, nil, map[string]any{"user_id": t.UserID, "name": t.Name, "expires_at": sqlconn.NullTime(t.ExpiresAt).Time}); err != nil {
		return domain.APIToken{}, err
	}
	return t, nil
}

// APITokens lists a user's tokens, newest first, revoked ones included.
func (c Access) APITokens(ctx context.Context, userID int64) ([]domain.APIToken, error) {
	var rows []apiTokenRow
	if err := c.db.Select(ctx, &rows, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE user_id = ? ORDER BY id DESC`, userID); err != nil {
		return nil, fmt.Errorf("list API tokens: %w", err)
	}
	out := make([]domain.APIToken, len(rows))
	for i, r := range rows {
		out[i] = r.token()
	}
	return out, nil
}

// APITokenByHash returns the token stored under hash, or ENOTFOUND.
func (c Access) APITokenByHash(ctx context.Context, hash string) (domain.APIToken, error) {
	var r apiTokenRow
	err := c.db.Get(ctx, &r, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE token_hash = ?`, hash)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.APIToken{}, domain.Errorf(domain.ENOTFOUND, "Nyckeln finns inte.")
	}
	if err != nil {
		return domain.APIToken{}, fmt.Errorf("read API token: %w", err)
	}
	return r.token(), nil
}

// RevokeAPIToken revokes one of the user's tokens; it stays listed as revoked.
func (c Access) RevokeAPIToken(ctx context.Context, userID, tokenID int64) error {
	res, err := c.db.Exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL`, c.db.Now(), tokenID, userID)
	if err != nil {
		return fmt.Errorf("revoke API token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENOTFOUND, "Nyckeln finns inte eller är redan återkallad.")
	}
	return c.db.Audit(ctx, "revoke", "api_token", tokenID, nil, nil)
}

// tokenUserRow is one row of APITokenUser: the token, whether it was used
// from the address before, its user and one of the user's roles.
type tokenUserRow struct {
	apiTokenRow
	AddressFirstUsedAt sql.NullTime `db:"address_first_used_at"`
	userRoleRow
}

// APITokenUser returns the token stored under hash with its user and the
// user's roles, and whether the token has been used from addr before, in one
// query (every API request asks for all of it), or ENOTFOUND.
func (c Access) APITokenUser(ctx context.Context, hash, addr string) (domain.APIToken, domain.User, bool, error) {
	var rows []tokenUserRow
	err := c.db.Select(ctx, &rows, `SELECT t.id, t.user_id, t.name, t.created_at, t.expires_at, t.revoked_at, t.last_used_at,
			a.first_used_at AS address_first_used_at, `+userRoleColumns+`
		FROM api_tokens t JOIN users u ON u.id = t.user_id
			LEFT JOIN api_token_addresses a ON a.token_id = t.id AND a.remote_addr = ?`+userRoleJoins+`
		WHERE t.token_hash = ? ORDER BY r.id`, addr, hash)
	if err != nil {
		return domain.APIToken{}, domain.User{}, false, fmt.Errorf("read API token: %w", err)
	}
	if len(rows) == 0 {
		return domain.APIToken{}, domain.User{}, false, domain.Errorf(domain.ENOTFOUND, "Nyckeln finns inte.")
	}
	return rows[0].token(), userOf(rows[0].UserID, rows), rows[0].AddressFirstUsedAt.Valid, nil
}

// RecordAPITokenUse records a use of a token from addr, at the time of the
// transaction, as far as domain.TokenUseToRecord asks: the token's last use
// when it is a minute old or from an earlier day, and an entry in the audit
// trail on the token's first use of a day and on its first use from an
// address. The conditions are checked again by the statements that write, so
// requests at the same moment record one entry, not one each. A read
// through a token writes nothing else.
func (c Access) RecordAPITokenUse(ctx context.Context, tokenID int64, addr, method, path string) error {
	now := c.db.Now()
	res, err := c.db.Exec(ctx, `INSERT INTO api_token_addresses (token_id, remote_addr, first_used_at) VALUES (?, ?, ?)
		ON CONFLICT (token_id, remote_addr) DO NOTHING`, tokenID, addr, now)
	if err != nil {
		return fmt.Errorf("record token address: %w", err)
	}
	newAddress := affected(res)
	res, err = c.db.Exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)`,
		now, tokenID, domain.DayStart(now))
	if err != nil {
		return fmt.Errorf("record token use: %w", err)
	}
	firstToday := affected(res)
	if !firstToday {
		_, err := c.db.Exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND last_used_at <= ?`,
			now, tokenID, now.Add(-domain.TokenUseEvery))
		if err != nil {
			return fmt.Errorf("record token use: %w", err)
		}
	}
	if !newAddress && !firstToday {
		return nil
	}
	return c.db.Audit(ctx, "token_use", "api_token", tokenID, nil, map[string]any{"method": method, "path": path,
		"first_use_today": firstToday, "new_address": newAddress})
}

// affected reports whether a statement changed a row.
func affected(res sql.Result) bool {
	n, err := res.RowsAffected()
	return err == nil && n > 0
}
