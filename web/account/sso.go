package account

import (
	"context"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/web/kit"
)

// SSOLogin is a login through an identity provider, as the single sign-on
// area hands it over once the provider's ID token is verified and matched to
// a user.
type SSOLogin struct {
	Provider domain.OIDCProvider
	// IDToken is the verified ID token, kept with the session for the
	// provider's logout (id_token_hint).
	IDToken string
	// MFA tells that the provider asserted a multi-factor login (amr/acr),
	// which satisfies GNS's two-factor requirement.
	MFA bool
}

// ProviderLogout is a provider's logout that the page after logging out of
// GNS offers.
type ProviderLogout struct {
	Name string
	URL  string
}

// SSOHooks are what the single sign-on area adds to logging in and out: the
// providers the login page offers, and the provider's logout for a session
// that was begun through one. Both are nil without single sign-on.
type SSOHooks struct {
	// Providers lists the enabled providers for the login page.
	Providers func(ctx context.Context) ([]domain.OIDCProvider, error)
	// Logout returns the logout of the provider a session was begun
	// through, or ok false for a session begun with a password. It is asked
	// before the session ends.
	Logout func(c *gin.Context, sessionID int64) (ProviderLogout, bool)
}

// CompleteSSOLogin logs in u, whom a provider has vouched for: the session
// is complete when the provider asserted multi-factor authentication or u
// needs no second factor, and otherwise waits for GNS's own (the code step,
// or enrolment). It answers with the redirect to where the user goes next.
func (s *Handlers) CompleteSSOLogin(c *gin.Context, u domain.User, via SSOLogin, next string) {
	ctx := c.Request.Context()
	needMFA := false
	if !via.MFA {
		var err error
		if needMFA, err = s.needsSecondFactor(ctx, u); err != nil {
			s.Fail(c, err)
			return
		}
	}
	actorCtx := domain.WithActor(ctx, domain.Actor{UserID: u.ID, Label: u.Email, RemoteAddr: c.ClientIP(), RequestID: c.GetString(kit.RequestIDKey)})
	if err := s.startSession(c, actorCtx, u, !needMFA, &via); err != nil {
		s.Fail(c, err)
		return
	}
	next = safeNext(next)
	if needMFA {
		c.Redirect(http.StatusSeeOther, s.SecondStep(c, &u)+"?till="+url.QueryEscape(next))
		return
	}
	c.Redirect(http.StatusSeeOther, next)
}

// SafeNext keeps a post-login destination only when it is a path on this
// site (see safeNext); anything else becomes "/".
func SafeNext(next string) string { return safeNext(next) }

// LoginFailed records a failed login in the audit trail: action
// login_failed on the user (id 0 when none was found) with the e-mail
// address and the reason.
func (s *Handlers) LoginFailed(ctx context.Context, userID int64, details map[string]string) {
	s.audit(ctx, "login_failed", "user", userID, details)
}

// RenderLogin shows the login page with a problem, for a login through a
// provider that could not be completed.
func (s *Handlers) RenderLogin(c *gin.Context, status int, problem string) {
	f := kit.EmptyForm()
	f.Problem = problem
	s.Render(c, status, "login", "Logga in", s.loginPageOf(c, f, "/"))
}
