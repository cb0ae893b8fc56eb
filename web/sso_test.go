package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"html"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/demo/idp"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
)

// idpUser is a user of the test's identity provider, with the claims a test
// needs to bend: amr and acr, and a wrong audience or an expired token.
type idpUser struct {
	mockoidc.MockUser
	AMR      []string
	ACR      string
	Audience string
	Expired  bool
}

// idpClaims are the ID token's claims as the provider signs them.
type idpClaims struct {
	*mockoidc.IDTokenClaims
	Email         string   `json:"email,omitempty"`
	EmailVerified bool     `json:"email_verified"`
	AMR           []string `json:"amr,omitempty"`
	ACR           string   `json:"acr,omitempty"`
}

func (u *idpUser) Claims(_ []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	if u.Audience != "" {
		base.Audience = jwt.ClaimStrings{u.Audience}
	}
	if u.Expired {
		past := time.Now().Add(-time.Hour)
		base.IssuedAt, base.NotBefore, base.ExpiresAt = jwt.NewNumericDate(past), jwt.NewNumericDate(past), jwt.NewNumericDate(past.Add(10*time.Minute))
	}
	return &idpClaims{IDTokenClaims: base, Email: u.Email, EmailVerified: u.EmailVerified, AMR: u.AMR, ACR: u.ACR}, nil
}

// startIdP runs a real OpenID Connect provider for the test, with the
// middleware given (to spoil its answers), and stops it at the end.
func startIdP(t *testing.T, mw ...func(http.Handler) http.Handler) *mockoidc.MockOIDC {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range mw {
		if err := m.AddMiddleware(f); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	return m
}

// rewrite is middleware that changes the JSON answers of one endpoint.
func rewrite(path string, change func(map[string]any)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != path {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var body map[string]any
			if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &body) != nil {
				w.WriteHeader(rec.Code)
				_, _ = w.Write(rec.Body.Bytes())
				return
			}
			change(body)
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(body)
		})
	}
}

// registerIdP stores the provider in GNS, serving the demo's domain.
func registerIdP(t *testing.T, db *store.DB, m *mockoidc.MockOIDC, acr ...string) domain.OIDCProvider {
	t.Helper()
	sealer, err := auth.NewSealer(testKey)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var p domain.OIDCProvider
	err = db.InTx(ctx, func(tx *store.Conn) error {
		p, err = tx.SaveOIDCProvider(ctx, domain.OIDCProvider{Name: "Östersunds kommun", Issuer: m.Issuer(), ClientID: m.ClientID,
			SealedSecret: sealer.Seal(m.ClientSecret), Domains: []string{"demo.gns.example"}, MFAACR: acr})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// noRedirect is an HTTP client that shows redirects instead of following.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 10 * time.Second}

// ssoStart begins a login from the login page: to the provider, through
// it, and back. It returns the callback's address on GNS.
func ssoStart(t *testing.T, b *browser, m *mockoidc.MockOIDC, form url.Values) string {
	t.Helper()
	to := ssoHandOn(t, b, form)
	if !strings.HasPrefix(to, m.AuthorizationEndpoint()+"?") {
		t.Fatalf("start hands on to %q, want the provider", to)
	}
	q := mustURL(t, to).Query()
	for _, p := range []string{"state", "nonce", "code_challenge"} {
		if q.Get(p) == "" {
			t.Errorf("authorization request lacks %s: %s", p, to)
		}
	}
	if q.Get("code_challenge_method") != "S256" {
		t.Errorf("code_challenge_method = %q, want S256", q.Get("code_challenge_method"))
	}
	resp, err := noRedirect.Get(to)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	back := mustURL(t, resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || back.Path != "/logga-in/sso/svar" {
		t.Fatalf("provider answered %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	return back.RequestURI()
}

var handOnLink = regexp.MustCompile(`id="sso-continue" href="([^"]+)"`)

// ssoHandOn sends the login page's single sign-on form and returns where
// the page that answers hands the browser on to.
func ssoHandOn(t *testing.T, b *browser, form url.Values) string {
	t.Helper()
	b.get("/logga-in")
	w := b.post("/logga-in/sso", form)
	m := handOnLink.FindStringSubmatch(w.Body.String())
	if w.Code != http.StatusOK || m == nil {
		t.Fatalf("start = %d, want 200 with a link to the provider: %s", w.Code, w.Body)
	}
	to := html.UnescapeString(m[1])
	if refresh := w.Header().Get("Refresh"); refresh != "0; url="+to {
		t.Errorf("Refresh = %q, want 0; url=%s", refresh, to)
	}
	return to
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// lastLoginFailure returns the reason of the newest failed login in the
// audit trail.
func lastLoginFailure(t *testing.T, db *store.DB) string {
	t.Helper()
	entries, _, err := db.Conn().AuditEntries(context.Background(), domain.AuditFilter{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Action == "login_failed" {
			var after map[string]string
			_ = json.Unmarshal(e.After, &after)
			return after["reason"]
		}
	}
	return ""
}

func demoIdPUser(email string) *idpUser {
	return &idpUser{MockUser: mockoidc.MockUser{Subject: "sub-" + email, Email: email, EmailVerified: true}}
}

// TestSSOLoginThroughARealProvider logs in through an OpenID Connect
// provider running in the test, from the login page's e-mail field to the
// start page and out again, on both engines.
func TestSSOLoginThroughARealProvider(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		m := startIdP(t, rewrite(mockoidc.DiscoveryEndpoint, func(d map[string]any) {
			d["end_session_endpoint"] = strings.TrimSuffix(d["issuer"].(string), "/") + "/logout"
		}))
		registerIdP(t, db, m)
		s, _ := newTestServer(t, db)
		b := newBrowser(t, s.Handler())
		if w := b.get("/logga-in"); !strings.Contains(w.Body.String(), "Logga in med Östersunds kommun") {
			t.Fatalf("the login page does not offer the provider: %s", w.Body)
		}
		m.QueueUser(demoIdPUser("sekretariat@demo.gns.example"))
		callback := ssoStart(t, b, m, url.Values{"email": {"Sekretariat@Demo.GNS.example"}, "next": {"/namnder"}})
		w := b.get(callback)
		if w.Code != http.StatusSeeOther || location(w) != "/namnder" {
			t.Fatalf("callback = %d → %q, want 303 to /namnder; %s", w.Code, location(w), w.Body)
		}
		if w := b.get("/konto"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "sekretariat@demo.gns.example") {
			t.Fatalf("after SSO login /konto = %d", w.Code)
		}
		entries, _, err := db.Conn().AuditEntries(context.Background(), domain.AuditFilter{Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if e := entries[0]; e.Action != "login" || !strings.Contains(string(e.After), `"sso":"Östersunds kommun"`) {
			t.Errorf("newest audit entry = %s %s, want the SSO login", e.Action, e.After)
		}
		// The audit trail says it in Swedish.
		admin := newBrowser(t, s.Handler())
		admin.login("admin@demo.gns.example", demo.Password)
		if w := admin.get("/granskning"); !strings.Contains(w.Body.String(), "inloggningstjänst: Östersunds kommun") {
			t.Errorf("the audit trail does not show the provider of the login")
		}

		// A replayed callback, without the state's cookie or with it set
		// again, is refused.
		for _, name := range []string{"without the cookie", "cookie again"} {
			replay := newBrowser(t, s.Handler())
			if name == "cookie again" {
				replay.cookies["gns_sso"] = &http.Cookie{Name: "gns_sso", Value: mustURL(t, callback).Query().Get("state")}
			}
			if w := replay.get(callback); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "redan använts") {
				t.Errorf("replayed state (%s) = %d, want 400", name, w.Code)
			}
			if _, ok := replay.cookies["gns_session"]; ok {
				t.Errorf("replayed state (%s) started a session", name)
			}
		}
		if got := lastLoginFailure(t, db); got != "sso_state" {
			t.Errorf("audit reason = %q, want sso_state", got)
		}

		// Logging out ends the GNS session and offers the provider's logout.
		b.get("/konto")
		w = b.post("/logga-ut", nil)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Logga ut även från Östersunds kommun") ||
			!strings.Contains(w.Body.String(), "id_token_hint=") {
			t.Fatalf("logout = %d: %s", w.Code, w.Body)
		}
		if w := b.get("/konto"); w.Code != http.StatusSeeOther {
			t.Errorf("after logout /konto = %d, want 303 to the login page", w.Code)
		}
	})
}

// TestSSORefusesBadTokens: an ID token with a bad signature, for another
// client, or expired, logs no one in, and the audit trail says why.
func TestSSORefusesBadTokens(t *testing.T) {
	t.Parallel()
	spoilSignature := rewrite(mockoidc.TokenEndpoint, func(body map[string]any) {
		tok := body["id_token"].(string)
		parts := strings.Split(tok, ".")
		sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
		sig[len(sig)/2] ^= 0xff
		body["id_token"] = parts[0] + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(sig)
	})
	tests := []struct {
		name   string
		mw     []func(http.Handler) http.Handler
		user   func(u *idpUser)
		reason string
	}{
		{"bad signature", []func(http.Handler) http.Handler{spoilSignature}, func(*idpUser) {}, "sso_token_invalid: signature"},
		{"wrong audience", nil, func(u *idpUser) { u.Audience = "another-client" }, "sso_token_invalid: audience"},
		{"expired", nil, func(u *idpUser) { u.Expired = true }, "sso_token_invalid: expired"},
	}
	runDemo(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestServer(t, db)
		for _, tt := range tests {
			m := startIdP(t, tt.mw...)
			p := registerIdP(t, db, m)
			u := demoIdPUser("sekretariat@demo.gns.example")
			tt.user(u)
			m.QueueUser(u)
			b := newBrowser(t, s.Handler())
			w := b.get(ssoStart(t, b, m, url.Values{"provider": {itoa(p.ID)}}))
			if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "gick inte att verifiera") {
				t.Errorf("%s: callback = %d → %q, want 401", tt.name, w.Code, location(w))
			}
			if _, ok := b.cookies["gns_session"]; ok {
				t.Errorf("%s: a session was started", tt.name)
			}
			if got := lastLoginFailure(t, db); got != tt.reason {
				t.Errorf("%s: audit reason = %q, want %q", tt.name, got, tt.reason)
			}
			// Another provider for the next case: disable this one.
			if err := db.InTx(context.Background(), func(tx *store.Conn) error {
				return tx.SetOIDCProviderDisabled(context.Background(), p.ID, true)
			}); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestSSOMatchesUsers: a user is found by a verified e-mail address in a
// domain the provider serves, or by a subject the admin linked; never
// otherwise, and never made.
func TestSSOMatchesUsers(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		m := startIdP(t)
		p := registerIdP(t, db, m)
		s, _ := newTestServer(t, db)
		users, err := db.Conn().Users(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name   string
			user   *idpUser
			reason string
		}{
			{"unverified e-mail", &idpUser{MockUser: mockoidc.MockUser{Subject: "s1", Email: "ekonom@demo.gns.example"}}, "sso_unverified_email"},
			{"unknown e-mail", demoIdPUser("ny.person@demo.gns.example"), "sso_unknown_user"},
			{"another domain", demoIdPUser("admin@region.example"), "sso_foreign_domain"},
		}
		for _, tt := range tests {
			m.QueueUser(tt.user)
			b := newBrowser(t, s.Handler())
			w := b.get(ssoStart(t, b, m, url.Values{"provider": {itoa(p.ID)}}))
			if w.Code != http.StatusUnauthorized {
				t.Errorf("%s: callback = %d → %q, want 401", tt.name, w.Code, location(w))
			}
			if got := lastLoginFailure(t, db); got != tt.reason {
				t.Errorf("%s: audit reason = %q, want %q", tt.name, got, tt.reason)
			}
		}
		after, err := db.Conn().Users(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(users) {
			t.Errorf("SSO made users: %d before, %d after", len(users), len(after))
		}

		// The admin links the subject whose e-mail is not verified; then it
		// logs in as the linked user.
		admin := newBrowser(t, s.Handler())
		admin.login("admin@demo.gns.example", demo.Password)
		admin.get("/admin/inloggningstjanster/" + itoa(p.ID))
		if w := admin.post("/admin/inloggningstjanster/"+itoa(p.ID)+"/koppla", url.Values{"email": {"ekonom@demo.gns.example"}, "subject": {"s1"}}); w.Code != http.StatusSeeOther {
			t.Fatalf("link = %d: %s", w.Code, w.Body)
		}
		m.QueueUser(&idpUser{MockUser: mockoidc.MockUser{Subject: "s1", Email: "someone@else.example"}})
		b := newBrowser(t, s.Handler())
		if w := b.get(ssoStart(t, b, m, url.Values{"provider": {itoa(p.ID)}})); w.Code != http.StatusSeeOther || location(w) != "/" {
			t.Fatalf("linked subject: callback = %d → %q", w.Code, location(w))
		}
		if w := b.get("/konto"); !strings.Contains(w.Body.String(), "ekonom@demo.gns.example") {
			t.Error("the linked subject did not log in as the linked user")
		}

		// An address whose domain no provider serves is told so.
		b = newBrowser(t, s.Handler())
		b.get("/logga-in")
		if w := b.post("/logga-in/sso", url.Values{"email": {"x@okand.example"}}); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "okand.example") {
			t.Errorf("unknown domain = %d", w.Code)
		}
	})
}

// TestSSOMultiFactor: a provider that asserts multi-factor authentication
// (amr, or an acr the admin named) satisfies GNS's two-factor requirement;
// otherwise a role that needs it goes on to GNS's own.
func TestSSOMultiFactor(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		m := startIdP(t)
		p := registerIdP(t, db, m, "http://id.elegnamnden.se/loa/1.0/loa3")
		gns, err := db.Conn().CommitteeByCode(context.Background(), "GNS")
		if err != nil {
			t.Fatal(err)
		}
		// Not a demo user: the economist role needs two factors.
		newUser(t, db, "ekonom2@demo.gns.example", domain.RoleGrant{Role: domain.RoleEconomist, CommitteeID: gns.ID}, false)
		s, _ := newTestServer(t, db)
		tests := []struct {
			name  string
			amr   []string
			acr   string
			where string
		}{
			{"amr mfa", []string{"pwd", "mfa"}, "", "/"},
			{"amr hwk", []string{"hwk"}, "", "/"},
			{"configured acr", nil, "http://id.elegnamnden.se/loa/1.0/loa3", "/"},
			{"password only", []string{"pwd"}, "", "/konto/tvafaktor?till=%2F"},
			{"other acr", nil, "http://id.elegnamnden.se/loa/1.0/loa2", "/konto/tvafaktor?till=%2F"},
		}
		for _, tt := range tests {
			u := demoIdPUser("ekonom2@demo.gns.example")
			u.AMR, u.ACR = tt.amr, tt.acr
			m.QueueUser(u)
			b := newBrowser(t, s.Handler())
			w := b.get(ssoStart(t, b, m, url.Values{"provider": {itoa(p.ID)}}))
			if w.Code != http.StatusSeeOther || location(w) != tt.where {
				t.Errorf("%s: callback = %d → %q, want %q", tt.name, w.Code, location(w), tt.where)
				continue
			}
			// Without the second factor, no page but the two-factor step.
			w = b.get("/namnder")
			if done := w.Code == http.StatusOK; done != (tt.where == "/") {
				t.Errorf("%s: /namnder = %d → %q", tt.name, w.Code, location(w))
			}
		}
	})
}

// TestAdminConfiguresAProvider: the admin adds a provider in the web
// interface (the secret sealed, never shown again), and a provider's
// domain cannot be another's.
func TestAdminConfiguresAProvider(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		m := startIdP(t)
		s, _ := newTestServer(t, db)
		admin := newBrowser(t, s.Handler())
		admin.login("admin@demo.gns.example", demo.Password)
		admin.get("/admin/inloggningstjanster/ny")
		form := url.Values{"name": {"Östersunds kommun"}, "issuer": {m.Issuer()}, "client_id": {m.ClientID},
			"client_secret": {m.ClientSecret}, "domains": {"demo.gns.example, ostersund.example"}}
		w := admin.post("/admin/inloggningstjanster", form)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("create = %d: %s", w.Code, w.Body)
		}
		page := admin.get(location(w)).Body.String()
		if strings.Contains(page, m.ClientSecret) {
			t.Error("the provider's page shows the client secret")
		}
		ps, err := db.Conn().OIDCProviders(context.Background())
		if err != nil || len(ps) != 1 {
			t.Fatalf("providers = %v, %v", ps, err)
		}
		if ps[0].SealedSecret == m.ClientSecret || strings.Contains(ps[0].SealedSecret, m.ClientSecret) {
			t.Error("the client secret is stored in the clear")
		}
		form.Set("issuer", "https://idp.example.se/realms/other")
		admin.get("/admin/inloggningstjanster/ny")
		if w := admin.post("/admin/inloggningstjanster", form); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "hör redan till") {
			t.Errorf("a second provider for the same domain = %d", w.Code)
		}
		form.Set("issuer", "ftp://x")
		if w := admin.post("/admin/inloggningstjanster", form); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "https-adress") {
			t.Errorf("a bad issuer = %d", w.Code)
		}
		// A demo user logs in through it.
		m.QueueUser(demoIdPUser("ledamot@demo.gns.example"))
		b := newBrowser(t, s.Handler())
		if w := b.get(ssoStart(t, b, m, url.Values{"email": {"ledamot@demo.gns.example"}})); w.Code != http.StatusSeeOther || location(w) != "/" {
			t.Fatalf("callback = %d → %q", w.Code, location(w))
		}
		// Disabled, it is no longer offered.
		admin.get("/admin/inloggningstjanster/" + itoa(ps[0].ID))
		admin.post("/admin/inloggningstjanster/"+itoa(ps[0].ID)+"/inaktivera", nil)
		if w := newBrowser(t, s.Handler()).get("/logga-in"); bytes.Contains(w.Body.Bytes(), []byte("Logga in med Östersunds kommun")) {
			t.Error("a disabled provider is offered on the login page")
		}
	})
}

// TestDemoIdP: the demo's local provider (gns serve --demo --demo-oidc)
// registers itself, asks who logs in, and a demo user logs in through it.
func TestDemoIdP(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		p, err := idp.Start("127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = p.Stop() })
		sealer, err := auth.NewSealer(testKey)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 { // a second start updates the provider
			if err := p.Register(context.Background(), db, sealer); err != nil {
				t.Fatal(err)
			}
		}
		s, _ := newTestServer(t, db)
		b := newBrowser(t, s.Handler())
		to := ssoHandOn(t, b, url.Values{"email": {"ekonom@demo.gns.example"}})
		page, err := http.Get(to)
		if err != nil {
			t.Fatal(err)
		}
		body := new(bytes.Buffer)
		_, _ = body.ReadFrom(page.Body)
		_ = page.Body.Close()
		if !strings.Contains(body.String(), `<option value="ekonom@demo.gns.example" selected>`) {
			t.Fatalf("the demo provider does not offer the hinted user: %s", body)
		}
		resp, err := noRedirect.Get(to + "&demo_user=ekonom@demo.gns.example&demo_mfa=1")
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if w := b.get(mustURL(t, resp.Header.Get("Location")).RequestURI()); w.Code != http.StatusSeeOther || location(w) != "/" {
			t.Fatalf("callback = %d → %q: %s", w.Code, location(w), w.Body)
		}
		if w := b.get("/konto"); !strings.Contains(w.Body.String(), "ekonom@demo.gns.example") {
			t.Error("not logged in as the chosen demo user")
		}
	})
}
