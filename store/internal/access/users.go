package access

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// Credentials are what a login checks, kept apart from domain.User so they are
// never rendered or logged by accident.
type Credentials struct {
	PasswordHash string
	// TOTPSecret is the sealed two-factor secret, "" when not enrolled.
	TOTPSecret string
	// TOTPPending is a sealed secret awaiting its confirming code.
	TOTPPending  string
	TOTPLastStep int64
}

// UserRow is a user as the users table holds it; the areas that read users
// (case handlers, members) scan into it.
type UserRow struct {
	ID            int64          `db:"id"`
	Email         string         `db:"email"`
	Name          string         `db:"name"`
	PasswordHash  string         `db:"password_hash"`
	TOTPSecret    sql.NullString `db:"totp_secret"`
	TOTPPending   sql.NullString `db:"totp_pending"`
	TOTPLastStep  int64          `db:"totp_last_step"`
	Demo          bool           `db:"demo"`
	DisabledAt    sql.NullTime   `db:"disabled_at"`
	CreatedAt     time.Time      `db:"created_at"`
	TOTPEnabledAt sql.NullTime   `db:"totp_enabled_at"`
}

// UserColumns are the columns of the users table that UserRow holds.
const UserColumns = `id, email, name, password_hash, totp_secret, totp_pending, totp_last_step, demo, disabled_at, created_at, totp_enabled_at`

// User converts the row to its domain value, without the credentials.
func (r UserRow) User() domain.User {
	return domain.User{
		ID: r.ID, Email: r.Email, Name: r.Name, TOTPEnabled: r.TOTPSecret.Valid, Demo: r.Demo,
		DisabledAt: r.DisabledAt.Time.UTC(), CreatedAt: r.CreatedAt.UTC(),
	}
}

func (r UserRow) credentials() Credentials {
	return Credentials{PasswordHash: r.PasswordHash, TOTPSecret: r.TOTPSecret.String, TOTPPending: r.TOTPPending.String, TOTPLastStep: r.TOTPLastStep}
}

// userAudit is how a user appears in the audit trail: never with secrets.
type userAudit struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Disabled bool   `json:"disabled"`
	TOTP     bool   `json:"two_factor"`
}

func auditOfUser(u domain.User) userAudit {
	return userAudit{Email: u.Email, Name: u.Name, Disabled: u.Disabled(), TOTP: u.TOTPEnabled}
}

// CreateUser stores a new user with a password hash (from auth) and the
// given roles. The e-mail address must be unused, whatever its case.
func (c Access) CreateUser(ctx context.Context, u domain.User, passwordHash string) (domain.User, error) {
	email, fold, err := domain.NormalizeEmail(u.Email)
	if err != nil {
		return domain.User{}, err
	}
	name, err := domain.CheckName(u.Name)
	if err != nil {
		return domain.User{}, err
	}
	if passwordHash == "" {
		return domain.User{}, errors.New("create user: no password hash")
	}
	at := c.db.Now()
	id, err := c.db.Insert(ctx, `INSERT INTO users (email, email_fold, name, password_hash, password_changed_at, demo, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, email, fold, name, passwordHash, at, u.Demo, at)
	if sqlconn.IsUniqueViolation(err) {
		return domain.User{}, domain.FieldErrorf("email", "E-postadressen %s används redan av en annan användare.", email)
	}
	if err != nil {
		return domain.User{}, fmt.Errorf("create user: %w", err)
	}
	created := domain.User{ID: id, Email: email, Name: name, Demo: u.Demo, CreatedAt: at}
	if err := c.db.Audit(ctx, "create", "user", id, nil, auditOfUser(created)); err != nil {
		return domain.User{}, err
	}
	for _, g := range u.Roles {
		if _, err := c.GrantRole(ctx, id, g); err != nil {
			return domain.User{}, err
		}
	}
	return c.UserByID(ctx, id)
}

// UserByID returns the user with its roles, or ENOTFOUND.
func (c Access) UserByID(ctx context.Context, id int64) (domain.User, error) {
	u, _, err := c.userWhere(ctx, "id = ?", id)
	return u, err
}

// UserForLogin returns the user with the e-mail address (in any case) and its
// credentials, or ENOTFOUND.
func (c Access) UserForLogin(ctx context.Context, email string) (domain.User, Credentials, error) {
	return c.userWhere(ctx, "email_fold = ?", strings.ToLower(strings.TrimSpace(email)))
}

// NameByEmail returns the name of the user with the e-mail address (in any
// case), in one query, or ENOTFOUND: how a page names who made a change it
// has recorded by address.
func (c Access) NameByEmail(ctx context.Context, email string) (string, error) {
	var name string
	err := c.db.Get(ctx, &name, "SELECT name FROM users WHERE email_fold = ?", strings.ToLower(strings.TrimSpace(email)))
	if errors.Is(err, sql.ErrNoRows) {
		return "", domain.Errorf(domain.ENOTFOUND, "Användaren finns inte.")
	}
	if err != nil {
		return "", fmt.Errorf("name of user: %w", err)
	}
	return name, nil
}

// CredentialsOf returns the credentials of a user.
func (c Access) CredentialsOf(ctx context.Context, userID int64) (Credentials, error) {
	_, cred, err := c.userWhere(ctx, "id = ?", userID)
	return cred, err
}

func (c Access) userWhere(ctx context.Context, cond string, arg any) (domain.User, Credentials, error) {
	var r UserRow
	err := c.db.Get(ctx, &r, "SELECT "+UserColumns+" FROM users WHERE "+cond, arg)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.User{}, Credentials{}, domain.Errorf(domain.ENOTFOUND, "Användaren finns inte.")
	}
	if err != nil {
		return domain.User{}, Credentials{}, fmt.Errorf("read user: %w", err)
	}
	u := r.User()
	roles, err := c.rolesOf(ctx, []int64{u.ID})
	if err != nil {
		return domain.User{}, Credentials{}, err
	}
	u.Roles = roles[u.ID]
	return u, r.credentials(), nil
}

// Users lists every user by name, with their roles.
func (c Access) Users(ctx context.Context) ([]domain.User, error) {
	var rows []UserRow
	if err := c.db.Select(ctx, &rows, "SELECT "+UserColumns+" FROM users ORDER BY name, id"); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	roles, err := c.rolesOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]domain.User, len(rows))
	for i, r := range rows {
		out[i] = r.User()
		out[i].Roles = roles[r.ID]
	}
	return out, nil
}

type roleRow struct {
	ID            int64          `db:"id"`
	UserID        int64          `db:"user_id"`
	Role          string         `db:"role"`
	CommitteeID   sql.NullInt64  `db:"committee_id"`
	PartyID       sql.NullInt64  `db:"party_id"`
	CommitteeCode sql.NullString `db:"committee_code"`
	PartyName     sql.NullString `db:"party_name"`
}

// rolesOf returns the roles of the given users (all users when ids is empty is
// not supported: pass the ids).
func (c Access) rolesOf(ctx context.Context, ids []int64) (map[int64][]domain.RoleGrant, error) {
	out := map[int64][]domain.RoleGrant{}
	if len(ids) == 0 {
		return out, nil
	}
	query, args, err := sqlx.In(`SELECT r.id, r.user_id, r.role, r.committee_id, r.party_id, cm.code AS committee_code, p.name AS party_name
		FROM user_roles r LEFT JOIN committees cm ON cm.id = r.committee_id LEFT JOIN parties p ON p.id = r.party_id
		WHERE r.user_id IN (?) ORDER BY r.user_id, r.id`, ids)
	if err != nil {
		return nil, err
	}
	var rows []roleRow
	if err := c.db.Select(ctx, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("read roles: %w", err)
	}
	for _, r := range rows {
		out[r.UserID] = append(out[r.UserID], r.grant())
	}
	return out, nil
}

func (r roleRow) grant() domain.RoleGrant {
	return domain.RoleGrant{
		ID: r.ID, Role: domain.Role(r.Role), CommitteeID: r.CommitteeID.Int64, PartyID: r.PartyID.Int64,
		CommitteeCode: r.CommitteeCode.String, PartyName: r.PartyName.String,
	}
}

// GrantRole gives a user a role in its scope. A party role's party must be a
// member of the committee.
func (c Access) GrantRole(ctx context.Context, userID int64, g domain.RoleGrant) (domain.RoleGrant, error) {
	if err := g.Validate(); err != nil {
		return domain.RoleGrant{}, err
	}
	if g.Role == domain.RoleParty {
		var n int
		if err := c.db.Get(ctx, &n, `SELECT COUNT(*) FROM committee_parties WHERE committee_id = ? AND party_id = ?`, g.CommitteeID, g.PartyID); err != nil {
			return domain.RoleGrant{}, fmt.Errorf("grant role: %w", err)
		}
		if n == 0 {
			return domain.RoleGrant{}, domain.FieldErrorf("party", "Parten är inte medlem i nämnden.")
		}
	}
	committee := sql.NullInt64{Int64: g.CommitteeID, Valid: g.CommitteeID != 0}
	party := sql.NullInt64{Int64: g.PartyID, Valid: g.PartyID != 0}
	id, err := c.db.Insert(ctx, `INSERT INTO user_roles (user_id, role, committee_id, party_id, created_at) VALUES (?, ?, ?, ?, ?)`,
		userID, string(g.Role), committee, party, c.db.Now())
	if sqlconn.IsUniqueViolation(err) {
		return domain.RoleGrant{}, domain.Errorf(domain.ECONFLICT, "Användaren har redan den rollen.")
	}
	if err != nil {
		return domain.RoleGrant{}, fmt.Errorf("grant role: %w", err)
	}
	g.ID = id
	if err := c.db.Audit(ctx, "grant_role", "user", userID, nil, g); err != nil {
		return domain.RoleGrant{}, err
	}
	return g, nil
}

// RevokeRole takes a role from a user. The grant is gone; the audit trail
// keeps what it was.
func (c Access) RevokeRole(ctx context.Context, userID, grantID int64) error {
	u, err := c.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	for _, g := range u.Roles {
		if g.ID != grantID {
			continue
		}
		if _, err := c.db.Exec(ctx, `DELETE FROM user_roles WHERE id = ? AND user_id = ?`, grantID, userID); err != nil {
			return fmt.Errorf("revoke role: %w", err)
		}
		return c.db.Audit(ctx, "revoke_role", "user", userID, g, nil)
	}
	return domain.Errorf(domain.ENOTFOUND, "Användaren har inte den rollen.")
}

// SetPassword replaces a user's password hash and ends every session of the
// user except keepSession (0 for none).
func (c Access) SetPassword(ctx context.Context, userID int64, hash string, keepSession int64) error {
	res, err := c.db.Exec(ctx, `UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?`, hash, c.db.Now(), userID)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENOTFOUND, "Användaren finns inte.")
	}
	if _, err := c.db.Exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, userID, keepSession); err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	return c.db.Audit(ctx, "change_password", "user", userID, nil, nil)
}

// SetDisabled disables a user (who can then not log in, and whose sessions end
// at once) or enables it again.
func (c Access) SetDisabled(ctx context.Context, userID int64, disabled bool) error {
	before, err := c.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	if before.Disabled() == disabled {
		return nil
	}
	at := sql.NullTime{}
	if disabled {
		at = sqlconn.NullTime(c.db.Now())
		if _, err := c.db.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
	}
	if _, err := c.db.Exec(ctx, `UPDATE users SET disabled_at = ? WHERE id = ?`, at, userID); err != nil {
		return fmt.Errorf("disable user: %w", err)
	}
	after := before
	after.DisabledAt = at.Time
	action := "enable"
	if disabled {
		action = "disable"
	}
	return c.db.Audit(ctx, action, "user", userID, auditOfUser(before), auditOfUser(after))
}

// SetPendingTOTP stores a sealed two-factor secret that waits for its
// confirming code.
func (c Access) SetPendingTOTP(ctx context.Context, userID int64, sealed string) error {
	_, err := c.db.Exec(ctx, `UPDATE users SET totp_pending = ? WHERE id = ?`, sealed, userID)
	if err != nil {
		return fmt.Errorf("pending TOTP: %w", err)
	}
	return nil
}

// EnableTOTP turns on two-factor login with the sealed secret, records the
// step of the confirming code (so it cannot be used again) and replaces the
// user's recovery codes with the given hashes.
func (c Access) EnableTOTP(ctx context.Context, userID int64, sealed string, step int64, recoveryHashes []string) error {
	at := c.db.Now()
	if _, err := c.db.Exec(ctx, `UPDATE users SET totp_secret = ?, totp_pending = NULL, totp_enabled_at = ?, totp_last_step = ? WHERE id = ?`,
		sealed, at, step, userID); err != nil {
		return fmt.Errorf("enable TOTP: %w", err)
	}
	if err := c.replaceRecoveryCodes(ctx, userID, recoveryHashes); err != nil {
		return err
	}
	return c.db.Audit(ctx, "enable_two_factor", "user", userID, nil, map[string]int{"recovery_codes": len(recoveryHashes)})
}

// ResetTOTP turns two-factor login off for a user (an admin's help for a lost
// phone); the user enrols again at the next login when the role requires it.
func (c Access) ResetTOTP(ctx context.Context, userID int64) error {
	if _, err := c.db.Exec(ctx, `UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_enabled_at = NULL WHERE id = ?`, userID); err != nil {
		return fmt.Errorf("reset TOTP: %w", err)
	}
	if err := c.replaceRecoveryCodes(ctx, userID, nil); err != nil {
		return err
	}
	if _, err := c.db.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	return c.db.Audit(ctx, "reset_two_factor", "user", userID, nil, nil)
}

func (c Access) replaceRecoveryCodes(ctx context.Context, userID int64, hashes []string) error {
	at := c.db.Now()
	if _, err := c.db.Exec(ctx, `UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, at, userID); err != nil {
		return fmt.Errorf("retire recovery codes: %w", err)
	}
	for _, h := range hashes {
		if _, err := c.db.Exec(ctx, `INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)`, userID, h, at); err != nil {
			return fmt.Errorf("store recovery code: %w", err)
		}
	}
	return nil
}

// AdvanceTOTPStep records that the code of step was used. It fails with
// ECONFLICT when that step or a later one was used already: a replayed code.
func (c Access) AdvanceTOTPStep(ctx context.Context, userID, step int64) error {
	res, err := c.db.Exec(ctx, `UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`, step, userID, step)
	if err != nil {
		return fmt.Errorf("advance TOTP step: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ECONFLICT, "Koden har redan använts. Vänta på nästa kod.")
	}
	return nil
}

// UseRecoveryCode marks an unused recovery code of the user as used. It fails
// with EINVALID when there is no such unused code.
func (c Access) UseRecoveryCode(ctx context.Context, userID int64, hash string) error {
	res, err := c.db.Exec(ctx, `UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`, c.db.Now(), userID, hash)
	if err != nil {
		return fmt.Errorf("use recovery code: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.FieldErrorf("code", "Koden är fel eller har redan använts.")
	}
	return c.db.Audit(ctx, "use_recovery_code", "user", userID, nil, nil)
}

// UnusedRecoveryCodes counts a user's recovery codes left.
func (c Access) UnusedRecoveryCodes(ctx context.Context, userID int64) (int, error) {
	var n int
	err := c.db.Get(ctx, &n, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`, userID)
	return n, err
}

// MFARequiredRoles returns the roles whose users must log in with two factors.
func (c Access) MFARequiredRoles(ctx context.Context) (map[domain.Role]bool, error) {
	var roles []string
	if err := c.db.Select(ctx, &roles, `SELECT role FROM mfa_required_roles`); err != nil {
		return nil, fmt.Errorf("two-factor roles: %w", err)
	}
	out := map[domain.Role]bool{}
	for _, r := range roles {
		out[domain.Role(r)] = true
	}
	return out, nil
}

// SetMFARequiredRoles replaces the set of roles that require two factors.
// admin, secretariat and economist always do.
func (c Access) SetMFARequiredRoles(ctx context.Context, roles map[domain.Role]bool) error {
	before, err := c.MFARequiredRoles(ctx)
	if err != nil {
		return err
	}
	want := map[domain.Role]bool{}
	for r, on := range roles {
		want[r] = on
	}
	for _, r := range domain.AlwaysMFA {
		want[r] = true
	}
	roles = want
	if _, err := c.db.Exec(ctx, `DELETE FROM mfa_required_roles`); err != nil {
		return fmt.Errorf("two-factor roles: %w", err)
	}
	for _, r := range domain.Roles {
		if roles[r] {
			if _, err := c.db.Exec(ctx, `INSERT INTO mfa_required_roles (role) VALUES (?)`, string(r)); err != nil {
				return fmt.Errorf("two-factor roles: %w", err)
			}
		}
	}
	return c.db.Audit(ctx, "update", "mfa_required_roles", "all", before, roles)
}

// DemoUsersActive reports whether any demo user can log in; while one can,
// every page shows the demo banner.
func (c Access) DemoUsersActive(ctx context.Context) (bool, error) {
	var active bool
	err := c.db.Get(ctx, &active, `SELECT `+demoActive)
	return active, err
}

// demoActive is the expression of DemoUsersActive, which SessionUser reads
// too: an indexed look-up (users_demo_active).
const demoActive = `EXISTS (SELECT 1 FROM users WHERE demo AND disabled_at IS NULL)`
