// Package sso keeps single sign-on: the OpenID Connect providers the admin
// configures, users linked to a provider's subject, the logins under way
// (state, nonce and PKCE verifier, each used once) and the sessions begun
// through a provider.
package sso

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// SSO holds the single sign-on methods, run on one connection. store.Conn
// embeds it.
type SSO struct{ db *sqlconn.Conn }

// New returns the single sign-on methods run on db.
func New(db *sqlconn.Conn) SSO { return SSO{db: db} }

type providerRow struct {
	ID           int64        `db:"id"`
	Name         string       `db:"name"`
	Issuer       string       `db:"issuer"`
	ClientID     string       `db:"client_id"`
	ClientSecret string       `db:"client_secret"`
	Domains      string       `db:"domains"`
	MFAACR       string       `db:"mfa_acr"`
	DisabledAt   sql.NullTime `db:"disabled_at"`
	CreatedAt    time.Time    `db:"created_at"`
	UpdatedAt    time.Time    `db:"updated_at"`
}

const providerColumns = `id, name, issuer, client_id, client_secret, domains, mfa_acr, disabled_at, created_at, updated_at`

func (r providerRow) provider() domain.OIDCProvider {
	return domain.OIDCProvider{ID: r.ID, Name: r.Name, Issuer: r.Issuer, ClientID: r.ClientID, SealedSecret: r.ClientSecret,
		Domains: domain.SplitList(r.Domains), MFAACR: domain.SplitList(r.MFAACR), DisabledAt: r.DisabledAt.Time.UTC(),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// providerAudit is what the audit trail keeps of a provider: never the secret.
type providerAudit struct {
	Name     string `json:"name"`
	Issuer   string `json:"issuer"`
	ClientID string `json:"client_id"`
	Domains  string `json:"domains"`
	MFAACR   string `json:"mfa_acr"`
	Disabled bool   `json:"disabled"`
	// SecretChanged tells that a change gave a new client secret.
	SecretChanged bool `json:"client_secret_changed,omitempty"`
}

func auditOf(p domain.OIDCProvider) providerAudit {
	return providerAudit{Name: p.Name, Issuer: p.Issuer, ClientID: p.ClientID, Domains: strings.Join(p.Domains, " "),
		MFAACR: strings.Join(p.MFAACR, " "), Disabled: p.Disabled()}
}

// OIDCProviders lists every provider, disabled ones too, by name.
func (c SSO) OIDCProviders(ctx context.Context) ([]domain.OIDCProvider, error) {
	var rows []providerRow
	if err := c.db.Select(ctx, &rows, `SELECT `+providerColumns+` FROM oidc_providers ORDER BY name, id`); err != nil {
		return nil, fmt.Errorf("list identity providers: %w", err)
	}
	return sqlconn.MapRows(rows, providerRow.provider), nil
}

// OIDCProvider returns one provider, or ENOTFOUND.
func (c SSO) OIDCProvider(ctx context.Context, id int64) (domain.OIDCProvider, error) {
	var r providerRow
	err := c.db.Get(ctx, &r, `SELECT `+providerColumns+` FROM oidc_providers WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.OIDCProvider{}, domain.Errorf(domain.ENOTFOUND, "Inloggningstjänsten finns inte.")
	}
	if err != nil {
		return domain.OIDCProvider{}, fmt.Errorf("read identity provider: %w", err)
	}
	return r.provider(), nil
}

// checkDomains refuses a domain that another enabled provider already
// serves: typing an address must pick one provider.
func (c SSO) checkDomains(ctx context.Context, p domain.OIDCProvider) error {
	others, err := c.OIDCProviders(ctx)
	if err != nil {
		return err
	}
	for _, o := range others {
		if o.ID == p.ID || o.Disabled() {
			continue
		}
		for _, d := range p.Domains {
			if o.Serves("x@" + d) {
				return domain.FieldErrorf("domains", "Domänen %s hör redan till %s.", d, o.Name)
			}
		}
	}
	return nil
}

// SaveOIDCProvider creates a provider (ID 0) or changes one. The secret is
// sealed by the caller; an empty SealedSecret on a change keeps the old one.
// The provider is checked by domain.CheckOIDCProvider; an issuer or domain
// already used by another provider is refused.
func (c SSO) SaveOIDCProvider(ctx context.Context, p domain.OIDCProvider) (domain.OIDCProvider, error) {
	if err := domain.CheckOIDCProvider(&p); err != nil {
		return domain.OIDCProvider{}, err
	}
	if err := c.checkDomains(ctx, p); err != nil {
		return domain.OIDCProvider{}, err
	}
	at := c.db.Now()
	domains, acr := strings.Join(p.Domains, " "), strings.Join(p.MFAACR, " ")
	var before any
	secretChanged := false
	if p.ID == 0 {
		if p.SealedSecret == "" {
			return domain.OIDCProvider{}, domain.FieldErrorf("client_secret", "Ange klienthemligheten som leverantören gav GNS.")
		}
		id, err := c.db.Insert(ctx, `INSERT INTO oidc_providers (name, issuer, client_id, client_secret, domains, mfa_acr, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, p.Name, p.Issuer, p.ClientID, p.SealedSecret, domains, acr, at, at)
		if sqlconn.IsUniqueViolation(err) {
			return domain.OIDCProvider{}, domain.FieldErrorf("issuer", "En inloggningstjänst med den utfärdaren finns redan.")
		}
		if err != nil {
			return domain.OIDCProvider{}, fmt.Errorf("create identity provider: %w", err)
		}
		p.ID = id
	} else {
		old, err := c.OIDCProvider(ctx, p.ID)
		if err != nil {
			return domain.OIDCProvider{}, err
		}
		before = auditOf(old)
		secretChanged = p.SealedSecret != ""
		if !secretChanged {
			p.SealedSecret = old.SealedSecret
		}
		_, err = c.db.Exec(ctx, `UPDATE oidc_providers SET name = ?, issuer = ?, client_id = ?, client_secret = ?, domains = ?, mfa_acr = ?, updated_at = ?
			WHERE id = ?`, p.Name, p.Issuer, p.ClientID, p.SealedSecret, domains, acr, at, p.ID)
		if sqlconn.IsUniqueViolation(err) {
			return domain.OIDCProvider{}, domain.FieldErrorf("issuer", "En inloggningstjänst med den utfärdaren finns redan.")
		}
		if err != nil {
			return domain.OIDCProvider{}, fmt.Errorf("change identity provider: %w", err)
		}
	}
	saved, err := c.OIDCProvider(ctx, p.ID)
	if err != nil {
		return domain.OIDCProvider{}, err
	}
	action := "create"
	if before != nil {
		action = "update"
	}
	after := auditOf(saved)
	after.SecretChanged = secretChanged
	return saved, c.db.Audit(ctx, action, "oidc_provider", saved.ID, before, after)
}

// SetOIDCProviderDisabled disables a provider (no one logs in through it
// any more; it stays listed) or enables it again.
func (c SSO) SetOIDCProviderDisabled(ctx context.Context, id int64, disabled bool) error {
	p, err := c.OIDCProvider(ctx, id)
	if err != nil {
		return err
	}
	if !disabled {
		if err := c.checkDomains(ctx, p); err != nil {
			return domain.Errorf(domain.ECONFLICT, "%s", domain.ErrorMessage(err))
		}
	}
	at := sqlconn.NullTime(time.Time{})
	action := "enable"
	if disabled {
		at, action = sqlconn.NullTime(c.db.Now()), "disable"
	}
	if _, err := c.db.Exec(ctx, `UPDATE oidc_providers SET disabled_at = ?, updated_at = ? WHERE id = ?`, at, c.db.Now(), id); err != nil {
		return fmt.Errorf("disable identity provider: %w", err)
	}
	return c.db.Audit(ctx, action, "oidc_provider", id, nil, nil)
}

// OIDCLink is a GNS user linked by the admin to a subject (sub) at a
// provider: a login with that subject is that user, whatever e-mail address
// the provider gives.
type OIDCLink struct {
	ID         int64     `db:"id"`
	ProviderID int64     `db:"provider_id"`
	Subject    string    `db:"subject"`
	UserID     int64     `db:"user_id"`
	UserEmail  string    `db:"email"`
	UserName   string    `db:"name"`
	CreatedAt  time.Time `db:"created_at"`
}

// LinkOIDCSubject links a user to a subject at a provider. A subject
// already linked is refused.
func (c SSO) LinkOIDCSubject(ctx context.Context, providerID int64, subject string, userID int64) error {
	subject = strings.TrimSpace(subject)
	if subject == "" || len(subject) > 255 {
		return domain.FieldErrorf("subject", "Ange användarens subjekt (sub) hos leverantören, högst 255 tecken.")
	}
	_, err := c.db.Insert(ctx, `INSERT INTO oidc_links (provider_id, subject, user_id, created_at) VALUES (?, ?, ?, ?)`,
		providerID, subject, userID, c.db.Now())
	if sqlconn.IsUniqueViolation(err) {
		return domain.FieldErrorf("subject", "Subjektet är redan kopplat till en användare.")
	}
	if err != nil {
		return fmt.Errorf("link subject: %w", err)
	}
	return c.db.Audit(ctx, "link_subject", "oidc_provider", providerID, nil, map[string]any{"subject": subject, "user_id": userID})
}

// OIDCLinks lists a provider's linked subjects with their users.
func (c SSO) OIDCLinks(ctx context.Context, providerID int64) ([]OIDCLink, error) {
	var out []OIDCLink
	err := c.db.Select(ctx, &out, `SELECT l.id, l.provider_id, l.subject, l.user_id, u.email, u.name, l.created_at
		FROM oidc_links l JOIN users u ON u.id = l.user_id WHERE l.provider_id = ? ORDER BY u.email, l.id`, providerID)
	if err != nil {
		return nil, fmt.Errorf("list linked subjects: %w", err)
	}
	return out, nil
}

// LinkedUserID returns the user linked to a subject at a provider, or 0.
func (c SSO) LinkedUserID(ctx context.Context, providerID int64, subject string) (int64, error) {
	var id int64
	err := c.db.Get(ctx, &id, `SELECT user_id FROM oidc_links WHERE provider_id = ? AND subject = ?`, providerID, subject)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read linked subject: %w", err)
	}
	return id, nil
}

// OIDCLogin is a login under way at a provider: what the callback needs to
// finish it, kept under the hash of its state.
type OIDCLogin struct {
	ProviderID   int64     `db:"provider_id"`
	Nonce        string    `db:"nonce"`
	CodeVerifier string    `db:"code_verifier"`
	Next         string    `db:"next_path"`
	CreatedAt    time.Time `db:"created_at"`
	ExpiresAt    time.Time `db:"expires_at"`
}

// LoginLifetime is how long a login may take at the provider.
const LoginLifetime = 10 * time.Minute

// BeginOIDCLogin keeps a login under way under the hash of its state, and
// removes those whose time has run out.
func (c SSO) BeginOIDCLogin(ctx context.Context, stateHash string, l OIDCLogin) error {
	at := c.db.Now()
	if _, err := c.db.Exec(ctx, `DELETE FROM oidc_logins WHERE expires_at <= ?`, at); err != nil {
		return fmt.Errorf("remove old logins: %w", err)
	}
	_, err := c.db.Exec(ctx, `INSERT INTO oidc_logins (state_hash, provider_id, nonce, code_verifier, next_path, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, stateHash, l.ProviderID, l.Nonce, l.CodeVerifier, l.Next, at, at.Add(LoginLifetime))
	if err != nil {
		return fmt.Errorf("begin login: %w", err)
	}
	return nil
}

// TakeOIDCLogin returns the login kept under stateHash and removes it, so a
// state is accepted once: a replayed, unknown or expired state is
// ENOTFOUND. Two requests with the same state at once: one deletes the row,
// the other finds it gone.
func (c SSO) TakeOIDCLogin(ctx context.Context, stateHash string) (OIDCLogin, error) {
	var l OIDCLogin
	err := c.db.Get(ctx, &l, `SELECT provider_id, nonce, code_verifier, next_path, created_at, expires_at FROM oidc_logins WHERE state_hash = ?`, stateHash)
	notFound := domain.Errorf(domain.ENOTFOUND, "Inloggningen finns inte, har redan använts eller har gått ut.")
	if errors.Is(err, sql.ErrNoRows) {
		return OIDCLogin{}, notFound
	}
	if err != nil {
		return OIDCLogin{}, fmt.Errorf("read login: %w", err)
	}
	res, err := c.db.Exec(ctx, `DELETE FROM oidc_logins WHERE state_hash = ?`, stateHash)
	if err != nil {
		return OIDCLogin{}, fmt.Errorf("take login: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 || !c.db.Now().Before(l.ExpiresAt) {
		return OIDCLogin{}, notFound
	}
	return l, nil
}

// RecordSSOSession notes that a session was begun through a provider, with
// the ID token its logout is asked with (id_token_hint). The note goes with
// the session: when the session ends, so does it.
func (c SSO) RecordSSOSession(ctx context.Context, sessionID, providerID int64, idToken string) error {
	if _, err := c.db.Exec(ctx, `INSERT INTO sso_sessions (session_id, provider_id, id_token) VALUES (?, ?, ?)`, sessionID, providerID, idToken); err != nil {
		return fmt.Errorf("record SSO session: %w", err)
	}
	return nil
}

// MoveSSOSession carries the note of RecordSSOSession from a session to its
// successor (a login step rotates the session).
func (c SSO) MoveSSOSession(ctx context.Context, from, to int64) error {
	if _, err := c.db.Exec(ctx, `UPDATE sso_sessions SET session_id = ? WHERE session_id = ?`, to, from); err != nil {
		return fmt.Errorf("move SSO session: %w", err)
	}
	return nil
}

// SSOSession returns the provider and ID token a session was begun with,
// or provider 0 for a session begun with a password.
func (c SSO) SSOSession(ctx context.Context, sessionID int64) (providerID int64, idToken string, err error) {
	var r struct {
		ProviderID int64  `db:"provider_id"`
		IDToken    string `db:"id_token"`
	}
	err = c.db.Get(ctx, &r, `SELECT provider_id, id_token FROM sso_sessions WHERE session_id = ?`, sessionID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("read SSO session: %w", err)
	}
	return r.ProviderID, r.IDToken, nil
}
