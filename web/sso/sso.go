// Package sso serves single sign-on with OpenID Connect: the authorization
// code flow with PKCE, state and nonce against each organisation's identity
// provider (github.com/coreos/go-oidc verifies the ID token against the
// provider's published keys; golang.org/x/oauth2 makes the requests), the
// matching of the login to a GNS user, and the admin's pages for the
// providers.
package sso

import (
	"context"
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gin-gonic/gin"
	"golang.org/x/oauth2"

	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/account"
	"github.com/region-jh/gns/web/kit"
)

//go:embed templates/*.html
var templateFS embed.FS

// Handlers serve single sign-on on the shared Kit.
type Handlers struct {
	*kit.Kit
	account *account.Handlers
	// HTTPClient talks to the providers; a short timeout, so a provider
	// that does not answer does not hold a request for long.
	HTTPClient *http.Client

	mu      sync.Mutex
	clients map[int64]*client
}

// client is a provider's discovery document and keys, fetched once per
// configuration (go-oidc fetches the keys again when a token names one it
// has not seen, so a provider's key rotation needs nothing here).
type client struct {
	updated  time.Time
	provider *oidc.Provider
	config   oauth2.Config
	verifier *oidc.IDTokenVerifier
	// endSession is the provider's logout (end_session_endpoint), if any.
	endSession string
}

// CallbackPath is where providers send the browser back to: register
// BaseURL + CallbackPath as the redirect URI at the provider.
const CallbackPath = "/logga-in/sso/svar"

// stateCookie binds a login under way to the browser that began it.
const stateCookie = "gns_sso"

// Register adds single sign-on's templates and routes to k, and its part of
// logging in and out to acc.
func Register(k *kit.Kit, acc *account.Handlers) (*Handlers, error) {
	if err := k.AddPages(templateFS, template.FuncMap{"join": strings.Join}); err != nil {
		return nil, err
	}
	s := &Handlers{Kit: k, account: acc, HTTPClient: &http.Client{Timeout: 10 * time.Second}, clients: map[int64]*client{}}
	acc.SSO = account.SSOHooks{Providers: s.enabledProviders, Logout: s.providerLogout}
	s.Handle("POST", "/logga-in/sso", kit.Anyone, s.start)
	s.Handle("GET", CallbackPath, kit.Anyone, s.callback)

	s.Handle("GET", "/admin/inloggningstjanster", kit.AdminOnly, s.listPage)
	s.Handle("GET", "/admin/inloggningstjanster/ny", kit.AdminOnly, s.newForm)
	s.Handle("POST", "/admin/inloggningstjanster", kit.AdminOnly.SessionOnly(), s.create)
	s.Handle("GET", "/admin/inloggningstjanster/:id", kit.AdminOnly, s.providerPage)
	s.Handle("POST", "/admin/inloggningstjanster/:id", kit.AdminOnly.SessionOnly(), s.update)
	s.Handle("POST", "/admin/inloggningstjanster/:id/inaktivera", kit.AdminOnly.SessionOnly(), s.setDisabled(true))
	s.Handle("POST", "/admin/inloggningstjanster/:id/aktivera", kit.AdminOnly.SessionOnly(), s.setDisabled(false))
	s.Handle("POST", "/admin/inloggningstjanster/:id/koppla", kit.AdminOnly.SessionOnly(), s.link)
	return s, nil
}

// enabledProviders lists the providers the login page offers.
func (s *Handlers) enabledProviders(ctx context.Context) ([]domain.OIDCProvider, error) {
	all, err := s.DB.Conn().OIDCProviders(ctx)
	if err != nil {
		return nil, err
	}
	var out []domain.OIDCProvider
	for _, p := range all {
		if !p.Disabled() {
			out = append(out, p)
		}
	}
	return out, nil
}

// errUnreachable answers when a provider's discovery document cannot be had.
func errUnreachable(p domain.OIDCProvider) error {
	return domain.Errorf(domain.EUNAVAILABLE, "GNS når inte %s just nu. Försök igen om en stund, eller logga in med lösenord.", p.Name)
}

// clientFor returns the provider's client, fetching its discovery document
// the first time and after the admin has changed it.
func (s *Handlers) clientFor(ctx context.Context, p domain.OIDCProvider) (*client, error) {
	s.mu.Lock()
	cl, ok := s.clients[p.ID]
	s.mu.Unlock()
	if ok && cl.updated.Equal(p.UpdatedAt) {
		return cl, nil
	}
	secret, err := s.Sealer.Open(p.SealedSecret)
	if err != nil {
		return nil, fmt.Errorf("open client secret of provider %d: %w", p.ID, err)
	}
	ctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, s.HTTPClient), 10*time.Second)
	defer cancel()
	op, err := oidc.NewProvider(ctx, p.Issuer)
	if err != nil {
		s.Log.WarnContext(ctx, "identity provider discovery", "provider", p.ID, "issuer", p.Issuer, "error", err)
		return nil, errUnreachable(p)
	}
	var extra struct {
		EndSession string `json:"end_session_endpoint"`
	}
	_ = op.Claims(&extra) // a provider without a logout endpoint has none to offer
	cl = &client{
		updated:  p.UpdatedAt,
		provider: op,
		config: oauth2.Config{ClientID: p.ClientID, ClientSecret: secret, Endpoint: op.Endpoint(),
			RedirectURL: s.BaseURL + CallbackPath, Scopes: []string{oidc.ScopeOpenID, "email", "profile"}},
		verifier:   op.VerifierContext(oidc.ClientContext(context.Background(), s.HTTPClient), &oidc.Config{ClientID: p.ClientID, Now: s.DB.Now}),
		endSession: extra.EndSession,
	}
	s.mu.Lock()
	s.clients[p.ID] = cl
	s.mu.Unlock()
	return cl, nil
}

// startForm begins a login through a provider: chosen by its button, or by
// the domain of the e-mail address typed.
type startForm struct {
	Email    string `form:"email"`
	Provider string `form:"provider"`
	Next     string `form:"next"`
}

// start begins the authorization code flow: it keeps the state (by its
// hash), the nonce and the PKCE verifier in the database, binds the state to
// the browser with a cookie, and sends the browser on to the provider.
func (s *Handlers) start(c *gin.Context) {
	var in startForm
	kit.Bind(c, &in)
	ctx := c.Request.Context()
	providers, err := s.enabledProviders(ctx)
	if err != nil {
		s.Fail(c, err)
		return
	}
	email := strings.ToLower(strings.TrimSpace(in.Email))
	var p domain.OIDCProvider
	found := false
	if in.Provider != "" {
		for _, q := range providers {
			if fmt.Sprint(q.ID) == in.Provider {
				p, found = q, true
			}
		}
	} else if email != "" {
		p, found = domain.ProviderForEmail(providers, email)
	}
	if !found {
		msg := "Välj din organisation eller ange din e-postadress i organisationen."
		if in.Provider == "" && email != "" {
			msg = fmt.Sprintf("Ingen inloggningstjänst i GNS svarar för %q. Välj din organisation i listan, eller logga in med lösenord.", domain.EmailDomain(email))
		}
		s.account.RenderLogin(c, http.StatusBadRequest, msg)
		return
	}
	cl, err := s.clientFor(ctx, p)
	if err != nil {
		s.account.RenderLogin(c, kit.StatusOf(domain.ErrorCode(err)), domain.ErrorMessage(err))
		return
	}
	state, stateHash := auth.NewToken("")
	nonce, _ := auth.NewToken("")
	verifier := oauth2.GenerateVerifier()
	err = s.DB.InTx(ctx, func(tx *store.Conn) error {
		return tx.BeginOIDCLogin(ctx, stateHash, store.OIDCLogin{ProviderID: p.ID, Nonce: nonce, CodeVerifier: verifier, Next: account.SafeNext(in.Next)})
	})
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.SetCookie(c, stateCookie, state, store.OIDCLoginLifetime)
	opts := []oauth2.AuthCodeOption{oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)}
	if email != "" && p.Serves(email) {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", email))
	}
	// Not a redirect: the content security policy (form-action 'self')
	// forbids a form's submission to end on another site, so a page hands
	// the browser on, by itself (Refresh) or by its link.
	to := cl.config.AuthCodeURL(state, opts...)
	c.Header("Refresh", "0; url="+to)
	s.Render(c, http.StatusOK, "sso_redirect", "Till "+p.Name, redirectPage{Provider: p, URL: to})
}

// redirectPage hands the browser on to the provider.
type redirectPage struct {
	Provider domain.OIDCProvider
	URL      string
}

// claims are the ID token's claims GNS reads.
type claims struct {
	Subject string `json:"sub"`
	Email   string `json:"email"`
	// EmailVerified is a boolean, or the string "true" from some providers.
	EmailVerified any `json:"email_verified"`
	// XMSEdov is Entra ID's optional claim that the e-mail domain is
	// verified for the tenant.
	XMSEdov any      `json:"xms_edov"`
	AMR     []string `json:"amr"`
	ACR     string   `json:"acr"`
}

func truthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case string:
		return strings.EqualFold(x, "true")
	}
	return false
}

// errNoState is a callback without a state, or with one this browser did
// not begin.
var errNoState = errors.New("sso: state missing or not this browser's")

// failure is a login through a provider that did not succeed: what the
// audit trail records and what the user is told.
type failure struct {
	reason string
	status int
	msg    string
}

func (f failure) Error() string { return f.reason }

// The user-facing reasons a login through a provider fails.
const (
	msgState    = "Inloggningen kunde inte slutföras: den har redan använts, har gått ut eller påbörjades i en annan webbläsare. Börja om här nedan."
	msgToken    = "Inloggningen kunde inte slutföras: svaret från %s gick inte att verifiera. Försök igen, och kontakta systemadministratören om det upprepas."
	msgProvider = "%s avbröt inloggningen. Försök igen, eller logga in med lösenord."
	msgNoEmail  = "%s har inte bekräftat din e-postadress, så GNS kan inte veta vem du är. Be systemadministratören koppla ditt konto."
	msgNoUser   = "Det finns ingen aktiv användare i GNS för ditt konto hos %s. Kontakta systemadministratören, som lägger upp användare och roller."
)

// callback finishes the flow: the state is taken (once, and only with the
// browser's cookie), the code exchanged with the PKCE verifier, the ID token
// verified (signature against the provider's keys, issuer, audience,
// expiry) and its nonce compared; the user is the one the admin linked to
// the subject, or the one with the verified e-mail address in a domain the
// provider serves. The login is complete when the provider asserted
// multi-factor authentication or the user needs no second factor.
func (s *Handlers) callback(c *gin.Context) {
	ctx := c.Request.Context()
	state := c.Query("state")
	cookie, _ := c.Cookie(stateCookie)
	s.ClearCookie(c, stateCookie)
	var login store.OIDCLogin
	err := errNoState
	if state != "" && subtle.ConstantTimeCompare([]byte(cookie), []byte(state)) == 1 {
		err = s.DB.InTx(ctx, func(tx *store.Conn) error {
			var err error
			login, err = tx.TakeOIDCLogin(ctx, auth.HashToken(state))
			return err
		})
	}
	if err != nil {
		if domain.IsFault(err) && !errors.Is(err, errNoState) {
			s.Fail(c, err)
			return
		}
		s.account.LoginFailed(ctx, 0, map[string]string{"reason": "sso_state"})
		s.account.RenderLogin(c, http.StatusBadRequest, msgState)
		return
	}
	p, err := s.DB.Conn().OIDCProvider(ctx, login.ProviderID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	u, via, err := s.finish(ctx, c, p, login)
	var f failure
	if errors.As(err, &f) {
		details := map[string]string{"provider": p.Name, "reason": f.reason}
		if u.Email != "" {
			details["email"] = u.Email
		}
		s.account.LoginFailed(ctx, u.ID, details)
		s.account.RenderLogin(c, f.status, f.msg)
		return
	}
	if err != nil {
		if domain.IsFault(err) && domain.ErrorCode(err) != domain.EUNAVAILABLE {
			s.Fail(c, err)
			return
		}
		s.account.RenderLogin(c, kit.StatusOf(domain.ErrorCode(err)), domain.ErrorMessage(err))
		return
	}
	s.account.CompleteSSOLogin(c, u, via, login.Next)
}

// finish exchanges the code and finds the user. A failure names the reason;
// u carries what is known of the user for the audit trail.
func (s *Handlers) finish(ctx context.Context, c *gin.Context, p domain.OIDCProvider, login store.OIDCLogin) (u domain.User, via account.SSOLogin, err error) {
	if p.Disabled() {
		return u, via, failure{"sso_provider_disabled", http.StatusBadRequest, fmt.Sprintf("Inloggning via %s är avstängd i GNS.", p.Name)}
	}
	if e := c.Query("error"); e != "" {
		return u, via, failure{"sso_provider_error: " + trim(e, 100), http.StatusBadRequest, fmt.Sprintf(msgProvider, p.Name)}
	}
	cl, err := s.clientFor(ctx, p)
	if err != nil {
		return u, via, err
	}
	octx, cancel := context.WithTimeout(oidc.ClientContext(ctx, s.HTTPClient), 10*time.Second)
	defer cancel()
	tok, err := cl.config.Exchange(octx, c.Query("code"), oauth2.VerifierOption(login.CodeVerifier))
	if err != nil {
		s.Log.WarnContext(ctx, "identity provider token exchange", "provider", p.ID, "error", err)
		return u, via, failure{"sso_exchange", http.StatusBadGateway, fmt.Sprintf(msgToken, p.Name)}
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := cl.verifier.Verify(octx, raw)
	if err != nil {
		s.Log.WarnContext(ctx, "identity provider ID token", "provider", p.ID, "error", err)
		return u, via, failure{"sso_token_invalid: " + tokenProblem(err), http.StatusUnauthorized, fmt.Sprintf(msgToken, p.Name)}
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(login.Nonce)) != 1 {
		return u, via, failure{"sso_token_invalid: nonce", http.StatusUnauthorized, fmt.Sprintf(msgToken, p.Name)}
	}
	var got claims
	if err := idt.Claims(&got); err != nil {
		return u, via, failure{"sso_token_invalid: claims", http.StatusUnauthorized, fmt.Sprintf(msgToken, p.Name)}
	}
	conn := s.DB.Conn()
	userID, err := conn.LinkedUserID(ctx, p.ID, idt.Subject)
	if err != nil {
		return u, via, err
	}
	email := strings.ToLower(strings.TrimSpace(got.Email))
	u.Email = email
	switch {
	case userID != 0:
		u, err = conn.UserByID(ctx, userID)
	case email == "":
		return u, via, failure{"sso_no_email", http.StatusUnauthorized, fmt.Sprintf(msgNoEmail, p.Name)}
	case !truthy(got.EmailVerified) && !truthy(got.XMSEdov):
		return u, via, failure{"sso_unverified_email", http.StatusUnauthorized, fmt.Sprintf(msgNoEmail, p.Name)}
	case !p.Serves(email):
		return u, via, failure{"sso_foreign_domain", http.StatusUnauthorized, fmt.Sprintf(msgNoUser, p.Name)}
	default:
		u, _, err = conn.UserForLogin(ctx, email)
	}
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return domain.User{Email: email}, via, failure{"sso_unknown_user", http.StatusUnauthorized, fmt.Sprintf(msgNoUser, p.Name)}
	}
	if err != nil {
		return u, via, err
	}
	if u.Disabled() {
		return u, via, failure{"sso_disabled", http.StatusUnauthorized, fmt.Sprintf(msgNoUser, p.Name)}
	}
	return u, account.SSOLogin{Provider: p, IDToken: raw, MFA: p.MFAAsserted(got.AMR, got.ACR)}, nil
}

// tokenProblem names what was wrong with an ID token, for the audit trail.
func tokenProblem(err error) string {
	var expired *oidc.TokenExpiredError
	msg := err.Error()
	switch {
	case errors.As(err, &expired):
		return "expired"
	case strings.Contains(msg, "audience"):
		return "audience"
	case strings.Contains(msg, "signature"):
		return "signature"
	case strings.Contains(msg, "issuer"):
		return "issuer"
	}
	return trim(msg, 100)
}

func trim(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// providerLogout is the logout of the provider a session was begun through.
func (s *Handlers) providerLogout(c *gin.Context, sessionID int64) (account.ProviderLogout, bool) {
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	pid, idToken, err := conn.SSOSession(ctx, sessionID)
	if err != nil {
		s.Log.ErrorContext(ctx, "read SSO session", "error", err)
	}
	if pid == 0 {
		return account.ProviderLogout{}, false
	}
	p, err := conn.OIDCProvider(ctx, pid)
	if err != nil {
		return account.ProviderLogout{}, false
	}
	out := account.ProviderLogout{Name: p.Name}
	cl, err := s.clientFor(ctx, p)
	if err != nil || cl.endSession == "" {
		return out, true
	}
	u, err := url.Parse(cl.endSession)
	if err != nil {
		return out, true
	}
	q := u.Query()
	q.Set("id_token_hint", idToken)
	q.Set("client_id", p.ClientID)
	q.Set("post_logout_redirect_uri", s.BaseURL+"/logga-in")
	u.RawQuery = q.Encode()
	out.URL = u.String()
	return out, true
}
