package account

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

type loginPage struct {
	Form *kit.Form
	Next string
	// Providers are the identity providers offered for single sign-on.
	Providers []domain.OIDCProvider
}

// loginPageOf is the login page with form f and the providers to offer.
func (s *Handlers) loginPageOf(c *gin.Context, f *kit.Form, next string) loginPage {
	p := loginPage{Form: f, Next: safeNext(next)}
	if s.SSO.Providers != nil {
		var err error
		if p.Providers, err = s.SSO.Providers(c.Request.Context()); err != nil {
			s.Log.ErrorContext(c.Request.Context(), "list identity providers", "error", err)
		}
	}
	return p
}

// LoginFailedMessage is the one answer to a wrong e-mail, a wrong password and a
// disabled user alike, so the answer does not tell which accounts exist.
const LoginFailedMessage = "Fel e-postadress eller lösenord."

// safeNext keeps a post-login destination only when it is a path on this
// site, never another site; anything else becomes "/".
//
// A browser reads a Location header more loosely than url.Parse: it drops
// tabs and line breaks anywhere ("/\t/evil.example" is "//evil.example"),
// takes a backslash for a slash ("/\evil.example"), and reads "//host" as
// another host. So the destination must be printable ASCII without spaces or
// backslashes (the addresses GNS itself puts in ?till= are escaped request
// URIs, which always are), start with exactly one "/", parse as a path with
// no scheme and no host, and its path, once percent-decoded, must neither
// start with "//" nor hold a control character, a backslash or anything
// beyond ASCII (where look-alike slashes such as U+2215 and U+FF0F live,
// which some servers fold to "/"): a decoded "/%09/evil.example" or
// "/%EF%BC%8Fevil.example" is never a page of GNS, and a proxy that decodes
// it must not be handed one. GNS's own paths are ASCII; a query string may
// hold anything, percent-encoded.
func safeNext(next string) string {
	if !localPath(next) {
		return "/"
	}
	return next
}

// localPath reports whether next is a path on this site by the rules of
// safeNext.
func localPath(next string) bool {
	if len(next) == 0 || next[0] != '/' || len(next) > 1 && next[1] == '/' {
		return false
	}
	for i := 0; i < len(next); i++ {
		if b := next[i]; b <= ' ' || b >= 0x7f || b == '\\' {
			return false
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return false
	}
	decoded := u.Path
	if len(decoded) == 0 || decoded[0] != '/' || strings.HasPrefix(decoded, "//") {
		return false
	}
	for i := 0; i < len(decoded); i++ {
		if b := decoded[i]; b < ' ' || b >= 0x7f || b == '\\' {
			return false
		}
	}
	return true
}

func (s *Handlers) loginForm(c *gin.Context) {
	if sess := kit.CurrentSession(c); sess != nil && sess.MFADone {
		c.Redirect(http.StatusSeeOther, "/")
		return
	}
	s.Render(c, http.StatusOK, "login", "Logga in", s.loginPageOf(c, kit.EmptyForm(), c.Query("till")))
}

// loginForm is the login form.
type loginForm struct {
	Email string `form:"email"`
	// Password is used as typed, spaces included.
	Password string `form:"password,raw"`
	// Next is where to go after login, kept only when it is a path on this
	// site (safeNext).
	Next string `form:"next"`
}

// login checks e-mail and password and starts a session: complete, or waiting
// for the second factor.
func (s *Handlers) login(c *gin.Context) {
	var in loginForm
	f := kit.Bind(c, &in)
	password := in.Password
	page := s.loginPageOf(c, f, in.Next)
	ctx := c.Request.Context()
	email := strings.ToLower(in.Email)
	if !f.OK() || email == "" || password == "" {
		f.Errors = map[string]string{}
		f.Problem = "Ange e-postadress och lösenord."
		s.Render(c, http.StatusBadRequest, "login", "Logga in", page)
		return
	}
	done, allowed, err := s.Attempt(c, email)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if !allowed {
		f.Problem = kit.ErrThrottled
		s.Render(c, http.StatusTooManyRequests, "login", "Logga in", page)
		return
	}
	u, ok, err := s.checkLogin(ctx, email, password)
	done(ok)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if !ok || u.Disabled() {
		reason := "wrong_password"
		if u.ID == 0 {
			reason = "unknown_user"
		} else if ok {
			reason = "disabled"
		}
		s.audit(ctx, "login_failed", "user", u.ID, map[string]string{"email": email, "reason": reason})
		f.Problem = LoginFailedMessage
		s.Render(c, http.StatusUnauthorized, "login", "Logga in", page)
		return
	}
	needMFA, err := s.needsSecondFactor(ctx, u)
	if err != nil {
		s.Fail(c, err)
		return
	}
	actorCtx := domain.WithActor(ctx, domain.Actor{UserID: u.ID, Label: u.Email, RemoteAddr: c.ClientIP(), RequestID: c.GetString(kit.RequestIDKey)})
	if err := s.startSession(c, actorCtx, u, !needMFA, nil); err != nil {
		s.Fail(c, err)
		return
	}
	if needMFA {
		c.Redirect(http.StatusSeeOther, s.SecondStep(c, &u)+"?till="+url.QueryEscape(page.Next))
		return
	}
	c.Redirect(http.StatusSeeOther, page.Next)
}

// needsSecondFactor reports whether u must give a second factor: always when
// enrolled, and when a role of u requires it, except demo users while the demo
// banner shows.
func (s *Handlers) needsSecondFactor(ctx context.Context, u domain.User) (bool, error) {
	if u.TOTPEnabled {
		return true, nil
	}
	required, err := s.DB.Conn().MFARequiredRoles(ctx)
	if err != nil {
		return false, err
	}
	need := false
	for _, g := range u.Roles {
		need = need || required[g.Role]
	}
	if need && u.Demo {
		demo, err := s.DB.Conn().DemoUsersActive(ctx)
		if err != nil {
			return false, err
		}
		need = !demo
	}
	return need, nil
}

// startSession ends the browser's current session, if any, and starts a new
// one with a new token (rotation at every login step), recording the login
// when it is complete.
//
// A login through an identity provider (via not nil) is noted with the
// session, for the provider's logout, and in the audit trail; a later step
// of the same user's login carries the note over to the new session.
func (s *Handlers) startSession(c *gin.Context, ctx context.Context, u domain.User, complete bool, via *SSOLogin) error {
	token, hash := auth.NewToken("")
	csrf, _ := auth.NewToken("")
	err := s.DB.InTx(ctx, func(tx *store.Conn) error {
		sess, err := tx.CreateSession(ctx, domain.Session{UserID: u.ID, CSRFToken: csrf, MFADone: complete, ExpiresAt: s.DB.Now().Add(kit.SessionLifetime)}, hash)
		if err != nil {
			return err
		}
		if old := kit.CurrentSession(c); old != nil {
			if old.UserID == u.ID && via == nil {
				if err := tx.MoveSSOSession(ctx, old.ID, sess.ID); err != nil {
					return err
				}
			}
			if err := tx.EndSession(ctx, old.ID); err != nil {
				return err
			}
		}
		c.Set(kit.SessionKey, &sess)
		after := map[string]any{"two_factor": u.TOTPEnabled}
		if via != nil {
			if err := tx.RecordSSOSession(ctx, sess.ID, via.Provider.ID, via.IDToken); err != nil {
				return err
			}
			after["sso"], after["mfa_by_provider"] = via.Provider.Name, via.MFA
		}
		if complete {
			return tx.Audit(ctx, "login", "user", u.ID, nil, after)
		}
		if via != nil {
			return tx.Audit(ctx, "login_sso_step", "user", u.ID, nil, after)
		}
		return tx.Audit(ctx, "login_password_step", "user", u.ID, nil, nil)
	})
	if err != nil {
		return err
	}
	c.Set(kit.UserKey, &u)
	s.SetCookie(c, kit.SessionCookie, token, kit.SessionLifetime)
	return nil
}

// checkLogin checks password against the account of email. An unknown
// e-mail takes the time of a check too, so the answer's time does not tell
// which accounts exist; ok is then false and u the zero user.
func (s *Handlers) checkLogin(ctx context.Context, email, password string) (u domain.User, ok bool, err error) {
	u, cred, err := s.DB.Conn().UserForLogin(ctx, email)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		auth.SpendPasswordTime(password)
		return domain.User{}, false, nil
	}
	if err != nil {
		return domain.User{}, false, err
	}
	ok, err = auth.CheckPassword(cred.PasswordHash, password)
	return u, ok, err
}

// audit records an event outside any other change (logins, failed logins).
func (s *Handlers) audit(ctx context.Context, action, entity string, id int64, after any) {
	err := s.DB.InTx(ctx, func(tx *store.Conn) error { return tx.Audit(ctx, action, entity, id, nil, after) })
	if err != nil {
		s.Log.ErrorContext(ctx, "audit", "action", action, "error", err)
	}
}

type secondFactorPage struct {
	Form *kit.Form
	Next string
}

func (s *Handlers) secondFactorForm(c *gin.Context) {
	u := kit.CurrentUser(c)
	if !u.TOTPEnabled {
		c.Redirect(http.StatusSeeOther, "/konto/tvafaktor")
		return
	}
	s.Render(c, http.StatusOK, "login_code", "Tvåstegsverifiering", secondFactorPage{Form: kit.EmptyForm(), Next: safeNext(c.Query("till"))})
}

// codeForm is the form of a two-factor code, at login and at enrolment.
type codeForm struct {
	Code string `form:"code"`
	// Next is where to go afterwards (safeNext).
	Next string `form:"next"`
}

// secondFactor checks a TOTP code, or a recovery code, and completes the login.
func (s *Handlers) secondFactor(c *gin.Context) {
	u := kit.CurrentUser(c)
	var in codeForm
	f := kit.Bind(c, &in)
	page := secondFactorPage{Form: f, Next: safeNext(in.Next)}
	ctx := c.Request.Context()
	if !u.TOTPEnabled {
		c.Redirect(http.StatusSeeOther, "/konto/tvafaktor")
		return
	}
	err := s.CheckCode(c, *u, in.Code)
	if errors.Is(err, kit.ErrTooManyAttempts) {
		f.Problem = kit.ErrThrottled
		s.Render(c, http.StatusTooManyRequests, "login_code", "Tvåstegsverifiering", page)
		return
	}
	if err != nil {
		if domain.IsFault(err) {
			s.Fail(c, err)
			return
		}
		s.audit(ctx, "login_failed", "user", u.ID, map[string]string{"email": u.Email, "reason": "wrong_code"})
		f.Errors["code"] = domain.ErrorMessage(err)
		s.Render(c, http.StatusUnauthorized, "login_code", "Tvåstegsverifiering", page)
		return
	}
	if err := s.startSession(c, ctx, *u, true, nil); err != nil {
		s.Fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, page.Next)
}

// logout ends this browser's session. A session begun through an identity
// provider is ended in GNS, and the page that says so offers the provider's
// logout too.
func (s *Handlers) logout(c *gin.Context) {
	var provider ProviderLogout
	viaProvider := false
	if sess := kit.CurrentSession(c); sess != nil && s.SSO.Logout != nil {
		provider, viaProvider = s.SSO.Logout(c, sess.ID)
	}
	if sess := kit.CurrentSession(c); sess != nil {
		ctx := c.Request.Context()
		err := s.DB.InTx(ctx, func(tx *store.Conn) error {
			if err := tx.EndSession(ctx, sess.ID); err != nil {
				return err
			}
			return tx.Audit(ctx, "logout", "user", sess.UserID, nil, nil)
		})
		if err != nil {
			s.Fail(c, err)
			return
		}
	}
	s.ClearCookie(c, kit.SessionCookie)
	if viaProvider {
		c.Set(kit.SessionKey, (*domain.Session)(nil))
		c.Set(kit.UserKey, (*domain.User)(nil))
		s.Render(c, http.StatusOK, "logged_out", "Utloggad", provider)
		return
	}
	s.Redirect(c, "/logga-in", "Du är utloggad.")
}

// logoutForm is the form to log out everywhere.
type logoutForm struct {
	// RevokeTokens revokes the user's API tokens too.
	RevokeTokens bool `form:"revoke_tokens"`
}

// logoutEverywhere ends every session of the user, this one included, and
// when asked revokes the user's API tokens in the same transaction.
func (s *Handlers) logoutEverywhere(c *gin.Context) {
	u := kit.CurrentUser(c)
	var in logoutForm
	kit.Bind(c, &in)
	ctx := c.Request.Context()
	var revoked int
	err := s.DB.InTx(ctx, func(tx *store.Conn) error {
		if err := tx.EndUserSessions(ctx, u.ID); err != nil {
			return err
		}
		if !in.RevokeTokens {
			return nil
		}
		var err error
		revoked, err = s.revokeAllTokens(ctx, tx, u.ID)
		return err
	})
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.ClearCookie(c, kit.SessionCookie)
	s.Redirect(c, "/logga-in", "Du är utloggad på alla enheter."+tokensRevoked(revoked))
}
