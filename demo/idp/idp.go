// Package idp runs a local OpenID Connect provider for the demo (gns serve
// --demo --demo-oidc), so that single sign-on can be tried without an
// organisation's identity provider: github.com/oauth2-proxy/mockoidc, with a
// page in front of its authorization endpoint where the visitor picks the
// demo user to log in as and whether the login counts as multi-factor. It
// listens on this machine only and is for trying GNS out, never production.
package idp

import (
	"context"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"strings"
	"sync"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
)

// ProviderName is the demo provider's name in GNS: its button reads
// "Logga in med Demo-IdP (lokal)".
const ProviderName = "Demo-IdP (lokal)"

// Domain is the e-mail domain of the demo users, which the provider serves.
const Domain = "demo.gns.example"

// The demo provider's client id and secret, the same at every start (they
// guard nothing: the provider is for trying GNS out on this machine).
const (
	ClientID     = "gns-demo"
	ClientSecret = "gns-demo-secret"
)

// IdP is the running demo provider.
type IdP struct {
	m *mockoidc.MockOIDC
	// mu makes queueing the chosen user and the authorization that takes
	// it one step, so two logins at once do not swap users.
	mu sync.Mutex
}

// Issuer is the provider's issuer URL.
func (p *IdP) Issuer() string { return p.m.Issuer() }

// Stop stops the provider.
func (p *IdP) Stop() error { return p.m.Shutdown() }

// Start runs the demo provider on addr (e.g. "127.0.0.1:0").
func Start(addr string) (*IdP, error) {
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		return nil, err
	}
	p := &IdP{m: m}
	m.ClientID, m.ClientSecret = ClientID, ClientSecret
	if err := m.AddMiddleware(p.chooseUser); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("demo identity provider: %w", err)
	}
	if err := m.Start(ln, nil); err != nil {
		return nil, err
	}
	return p, nil
}

// Register configures the provider in GNS for the demo users' domain (or
// updates it: its address changes with every start), with its client
// secret sealed by sealer.
func (p *IdP) Register(ctx context.Context, db *store.DB, sealer *auth.Sealer) error {
	ctx = domain.WithActor(ctx, domain.Actor{Label: "gns serve --demo-oidc"})
	return db.InTx(ctx, func(tx *store.Conn) error {
		all, err := tx.OIDCProviders(ctx)
		if err != nil {
			return err
		}
		cfg := domain.OIDCProvider{Name: ProviderName, Issuer: p.Issuer(), ClientID: p.m.ClientID,
			SealedSecret: sealer.Seal(p.m.ClientSecret), Domains: []string{Domain}}
		for _, q := range all {
			if q.Name == ProviderName {
				cfg.ID = q.ID
				if q.Disabled() {
					if err := tx.SetOIDCProviderDisabled(ctx, q.ID, false); err != nil {
						return err
					}
				}
			}
		}
		_, err = tx.SaveOIDCProvider(ctx, cfg)
		return err
	})
}

// user is a demo user as the provider vouches for it.
type user struct {
	email string
	mfa   bool
}

func (u user) ID() string { return "demo-" + u.email }

func (u user) Userinfo([]string) ([]byte, error) {
	return []byte(fmt.Sprintf(`{"sub":%q,"email":%q,"email_verified":true}`, u.ID(), u.email)), nil
}

// claims are the demo ID token's claims.
type claims struct {
	*mockoidc.IDTokenClaims
	Email         string   `json:"email"`
	EmailVerified bool     `json:"email_verified"`
	AMR           []string `json:"amr"`
}

func (u user) Claims(_ []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	amr := []string{"pwd"}
	if u.mfa {
		amr = append(amr, "mfa")
	}
	return &claims{IDTokenClaims: base, Email: u.email, EmailVerified: true, AMR: amr}, nil
}

var page = template.Must(template.New("").Parse(`<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Demo-IdP</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}label,select,button{display:block;margin:.5rem 0;font-size:1rem}</style></head>
<body><h1>Demo-IdP (lokal)</h1>
<p>En lokal identitetsleverantör för att prova inloggning via organisationen i GNS demoläge. Välj vem du loggar in som.</p>
<form method="get" action="">
{{range $k, $v := .Params}}{{range $v}}<input type="hidden" name="{{$k}}" value="{{.}}">{{end}}{{end}}
<label for="u">Användare</label>
<select id="u" name="demo_user">{{range .Users}}<option value="{{.Email}}"{{if eq .Email $.Hint}} selected{{end}}>{{.Name}} ({{.Email}})</option>{{end}}</select>
<label><input type="checkbox" name="demo_mfa" value="1"> Inloggad med två faktorer (amr: mfa)</label>
<button type="submit">Logga in</button>
</form></body></html>`))

// chooseUser shows the page where the visitor picks a demo user, then lets
// the authorization go on with that user.
func (p *IdP) chooseUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != mockoidc.AuthorizationEndpoint {
			next.ServeHTTP(w, r)
			return
		}
		q := r.URL.Query()
		email := strings.ToLower(q.Get("demo_user"))
		if email == "" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_ = page.Execute(w, map[string]any{"Params": q, "Users": demo.Users, "Hint": strings.ToLower(q.Get("login_hint"))})
			return
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		p.m.QueueUser(user{email: email, mfa: q.Get("demo_mfa") == "1"})
		next.ServeHTTP(w, r)
	})
}
