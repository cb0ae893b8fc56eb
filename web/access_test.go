package web

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
	"github.com/region-jh/gns/sv"
	"github.com/region-jh/gns/web/account"
	"github.com/region-jh/gns/web/kit"
)

// auditActions returns the actions recorded for entity, oldest first.
func auditActions(t *testing.T, db *store.DB, entity string) []string {
	t.Helper()
	entries, _, err := db.Conn().AuditEntries(context.Background(), domain.AuditFilter{Entity: entity})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(entries) - 1; i >= 0; i-- {
		out = append(out, entries[i].Action)
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func contains(list []string, want string) bool {
	for _, s := range list {
		if s == want {
			return true
		}
	}
	return false
}

func TestLoginAndLogout(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestServer(t, db)
		newUser(t, db, "revisor@example.se", domain.RoleGrant{Role: domain.RoleAuditor}, false)
		b := newBrowser(t, s.Handler())

		if w := b.get("/"); w.Code != http.StatusSeeOther || !strings.HasPrefix(location(w), "/logga-in") {
			t.Fatalf("GET / without login = %d → %q, want a redirect to the login page", w.Code, location(w))
		}
		for _, tt := range []struct{ email, password string }{
			{"revisor@example.se", "fel-lösenord-helt-och-hållet"},
			{"finns-inte@example.se", testPassword},
		} {
			w := b.login(tt.email, tt.password)
			if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), account.LoginFailedMessage) {
				t.Errorf("login %s with a wrong password = %d, want 401 with the generic message", tt.email, w.Code)
			}
		}
		w := b.login("REVISOR@example.se", testPassword) // e-mail in any case
		if w.Code != http.StatusSeeOther || location(w) != "/" {
			t.Fatalf("login = %d → %q, want a redirect to /", w.Code, location(w))
		}
		if w := b.get("/"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Logga ut") {
			t.Fatalf("GET / after login = %d", w.Code)
		}
		if w := b.post("/logga-ut", nil); w.Code != http.StatusSeeOther {
			t.Fatalf("logout = %d", w.Code)
		}
		if w := b.get("/"); w.Code != http.StatusSeeOther {
			t.Errorf("GET / after logout = %d, want a redirect to login", w.Code)
		}
		got := auditActions(t, db, "user")
		for _, want := range []string{"create", "login_failed", "login", "logout"} {
			if !contains(got, want) {
				t.Errorf("audit trail %v lacks %q", got, want)
			}
		}
	})
}

func TestSessionCookie(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, storetest.NewSQLite(t))
	newUser(t, s.DB, "a@example.se", domain.RoleGrant{Role: domain.RoleAuditor}, false)
	b := newBrowser(t, s.Handler())
	b.login("a@example.se", testPassword)
	ck := b.cookies[kit.SessionCookie]
	if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure {
		t.Fatalf("session cookie = %+v, want HttpOnly, SameSite=Lax, not Secure over plain HTTP", ck)
	}
	var n int
	if err := s.DB.SQL().QueryRow(`SELECT COUNT(*) FROM sessions WHERE token_hash = ?`, ck.Value).Scan(&n); err != nil || n != 0 {
		t.Errorf("a session token is stored in clear (%d rows, %v)", n, err)
	}

	// Over TLS the cookie is Secure and HSTS is sent. (Behind a proxy that
	// says so, only a trusted one: TestForwardedForFromTrustedProxy.)
	fresh := newBrowser(t, s.Handler())
	fresh.get("/logga-in")
	req := httptest.NewRequest(http.MethodPost, "/logga-in", strings.NewReader(url.Values{"email": {"a@example.se"}, "password": {testPassword}, kit.CSRFField: {fresh.csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.TLS = &tls.ConnectionState{}
	w := fresh.do(req)
	if ck := fresh.cookies[kit.SessionCookie]; ck == nil || !ck.Secure || w.Header().Get("Strict-Transport-Security") == "" {
		t.Errorf("over TLS: cookie %+v, HSTS %q; want a Secure cookie and HSTS", ck, w.Header().Get("Strict-Transport-Security"))
	}
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, storetest.NewSQLite(t))
	newUser(t, s.DB, "a@example.se", domain.RoleGrant{Role: domain.RoleAuditor}, false)
	for _, column := range []string{"last_seen_at", "expires_at"} {
		b := newBrowser(t, s.Handler())
		b.login("a@example.se", testPassword)
		past := time.Now().UTC().Add(-2 * time.Hour)
		if _, err := s.DB.SQL().Exec(`UPDATE sessions SET `+column+` = ?`, past); err != nil {
			t.Fatal(err)
		}
		w := b.get("/")
		if w.Code != http.StatusSeeOther || !strings.HasPrefix(location(w), "/logga-in") {
			t.Errorf("%s in the past: GET / = %d → %q, want the login page", column, w.Code, location(w))
		}
		if w := b.get("/logga-in"); !strings.Contains(w.Body.String(), "sessionen gick ut") {
			t.Errorf("%s in the past: the login page does not say the session expired", column)
		}
	}
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, storetest.NewSQLite(t))
	newUser(t, s.DB, "a@example.se", domain.RoleGrant{Role: domain.RoleAuditor}, false)
	b := newBrowser(t, s.Handler())
	b.login("a@example.se", testPassword)
	if w := b.post("/logga-ut", url.Values{kit.CSRFField: {"fel"}}); w.Code != http.StatusForbidden {
		t.Errorf("logout with a wrong form token = %d, want 403", w.Code)
	}
	if w := b.get("/"); w.Code != http.StatusOK {
		t.Errorf("the forged logout ended the session: GET / = %d", w.Code)
	}
	req := httptest.NewRequest(http.MethodPost, "/logga-ut", strings.NewReader(kit.CSRFField+"="+b.csrf))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if w := b.do(req); w.Code != http.StatusForbidden {
		t.Errorf("a cross-site POST = %d, want 403", w.Code)
	}
	// Login itself needs the form token of the login page.
	fresh := newBrowser(t, s.Handler())
	if w := fresh.post("/logga-in", url.Values{"email": {"a@example.se"}, "password": {testPassword}}); w.Code != http.StatusForbidden {
		t.Errorf("login without the login page's form token = %d, want 403", w.Code)
	}
}

func TestLoginThrottle(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, storetest.NewSQLite(t))
	newUser(t, s.DB, "a@example.se", domain.RoleGrant{Role: domain.RoleAuditor}, false)
	b := newBrowser(t, s.Handler())
	var last int
	for i := 0; i < 6; i++ {
		last = b.login("a@example.se", "fel-lösenord-igen-och-igen").Code
	}
	if last != http.StatusTooManyRequests || !strings.Contains(b.last, "För många inloggningsförsök") {
		t.Fatalf("sixth wrong login = %d, want 429 with a clear message", last)
	}
	if w := b.login("a@example.se", testPassword); w.Code != http.StatusTooManyRequests {
		t.Errorf("the right password while throttled = %d, want 429", w.Code)
	}
	other := newUser(t, s.DB, "b@example.se", domain.RoleGrant{Role: domain.RoleAuditor}, false)
	if w := b.login(other.Email, testPassword); w.Code != http.StatusSeeOther {
		t.Errorf("another account from the same address = %d, want a login", w.Code)
	}
}

func TestBadInputAtLogin(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, storetest.NewSQLite(t))
	b := newBrowser(t, s.Handler())
	b.get("/logga-in")
	for name, email := range map[string]string{
		"not UTF-8": "a\xff@example.se",
		"over-long": strings.Repeat("a", 30_000) + "@example.se",
	} {
		w := b.post("/logga-in", url.Values{"email": {email}, "password": {"x"}})
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "Ange e-postadress och lösenord") {
			t.Errorf("%s e-mail: %d, want 400 with a clear message", name, w.Code)
		}
	}
	b.get("/logga-in?till=//evil.example/")
	if w := b.post("/logga-in", url.Values{"email": {"x@example.se"}, "password": {"x"}, "next": {"//evil.example/"}}); strings.Contains(w.Body.String(), "evil.example") {
		t.Error("the login page carries an off-site destination")
	}
}

func TestDisabledUserIsLoggedOut(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestServer(t, db)
		u := newUser(t, db, "a@example.se", domain.RoleGrant{Role: domain.RoleAuditor}, false)
		b := newBrowser(t, s.Handler())
		b.login(u.Email, testPassword)
		ctx := context.Background()
		if err := db.InTx(ctx, func(c *store.Conn) error { return c.SetDisabled(ctx, u.ID, true) }); err != nil {
			t.Fatal(err)
		}
		if w := b.get("/"); w.Code != http.StatusSeeOther {
			t.Errorf("a disabled user's session still works: %d", w.Code)
		}
		if w := b.login(u.Email, testPassword); w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), account.LoginFailedMessage) {
			t.Errorf("a disabled user's login = %d, want 401 with the generic message", w.Code)
		}
	})
}

var (
	secretText   = regexp.MustCompile(`class="secret">([A-Z2-7]+)<`)
	recoveryCode = regexp.MustCompile(`<li>([A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})</li>`)
)

// TestTwoFactor walks the whole two-factor life of a secretariat user, whose
// role requires it: enrolment after the password step, recovery codes, the
// code step with replay protection, and single-use recovery codes.
func TestTwoFactor(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestServer(t, db)
		if _, err := demo.Load(context.Background(), db); err != nil {
			t.Fatal(err)
		}
		// Disable the demo users so demo mode (and its exemption) is over.
		ctx := context.Background()
		users, _ := db.Conn().Users(ctx)
		for _, u := range users {
			if err := db.InTx(ctx, func(c *store.Conn) error { return c.SetDisabled(ctx, u.ID, true) }); err != nil {
				t.Fatal(err)
			}
		}
		gns, _ := db.Conn().CommitteeByCode(ctx, "GNS")
		u := newUser(t, db, "sekr@example.se", domain.RoleGrant{Role: domain.RoleSecretariat, CommitteeID: gns.ID}, false)

		b := newBrowser(t, s.Handler())
		w := b.login(u.Email, testPassword)
		if !strings.HasPrefix(location(w), "/konto/tvafaktor") {
			t.Fatalf("login without two-factor = → %q, want enrolment", location(w))
		}
		if w := b.get("/"); !strings.HasPrefix(location(w), "/konto/tvafaktor") {
			t.Fatalf("GET / half-way through login → %q, want enrolment", location(w))
		}
		if w := b.get("/api/v1/me"); w.Code == http.StatusOK {
			t.Fatal("the API answers half-way through login")
		}
		w = b.get("/konto/tvafaktor")
		m := secretText.FindStringSubmatch(w.Body.String())
		if w.Code != http.StatusOK || m == nil || !strings.Contains(w.Body.String(), "data:image/png;base64,") {
			t.Fatalf("enrolment page = %d, lacks the secret or the QR code", w.Code)
		}
		secret := m[1]
		if w := b.post("/konto/tvafaktor", url.Values{"code": {"000000"}}); w.Code != http.StatusBadRequest {
			t.Errorf("enrolment with a wrong code = %d, want 400", w.Code)
		}
		now := time.Now()
		code, _ := auth.TOTPCode(secret, now)
		w = b.post("/konto/tvafaktor", url.Values{"code": {code}})
		codes := recoveryCode.FindAllStringSubmatch(w.Body.String(), -1)
		if w.Code != http.StatusOK || len(codes) != 10 {
			t.Fatalf("enrolment = %d with %d recovery codes, want 200 and 10", w.Code, len(codes))
		}
		if w := b.get("/"); w.Code != http.StatusOK {
			t.Fatalf("GET / after enrolment = %d, want the page", w.Code)
		}
		cred, err := db.Conn().CredentialsOf(ctx, u.ID)
		if stored := cred.TOTPSecret; err != nil || stored == "" || strings.Contains(stored, secret) {
			t.Errorf("the TOTP secret is not sealed at rest: %q", stored)
		}

		b.post("/logga-ut", nil)
		if w := b.login(u.Email, testPassword); !strings.HasPrefix(location(w), "/logga-in/tvafaktor") {
			t.Fatalf("second login → %q, want the code step", location(w))
		}
		b.get("/logga-in/tvafaktor")
		if w := b.post("/logga-in/tvafaktor", url.Values{"code": {code}}); w.Code != http.StatusUnauthorized {
			t.Errorf("the enrolment code replayed = %d, want 401", w.Code)
		}
		partial := b.cookies[kit.SessionCookie].Value
		next, _ := auth.TOTPCode(secret, now.Add(30*time.Second))
		if w := b.post("/logga-in/tvafaktor", url.Values{"code": {next}}); w.Code != http.StatusSeeOther || location(w) != "/" {
			t.Fatalf("the next code = %d → %q, want a login", w.Code, location(w))
		}
		if b.cookies[kit.SessionCookie].Value == partial {
			t.Error("the session token was not rotated at the two-factor step")
		}
		stale := newBrowser(t, s.Handler())
		stale.cookies[kit.SessionCookie] = &http.Cookie{Name: kit.SessionCookie, Value: partial}
		if w := stale.get("/"); w.Code != http.StatusSeeOther || !strings.HasPrefix(location(w), "/logga-in") {
			t.Errorf("the half-way session still works after the code step: %d → %q", w.Code, location(w))
		}

		recovery := codes[0][1]
		for i, want := range []int{http.StatusSeeOther, http.StatusUnauthorized} {
			b.post("/logga-ut", nil)
			b.login(u.Email, testPassword)
			b.get("/logga-in/tvafaktor")
			if w := b.post("/logga-in/tvafaktor", url.Values{"code": {strings.ToLower(recovery)}}); w.Code != want {
				t.Errorf("recovery code use #%d = %d, want %d", i+1, w.Code, want)
			}
		}
		got := auditActions(t, db, "user")
		for _, want := range []string{"enable_two_factor", "use_recovery_code", "login_failed", "login"} {
			if !contains(got, want) {
				t.Errorf("audit trail lacks %q", want)
			}
		}
	})
}

func TestDemoUsersSkipTwoFactorWhileDemoShows(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, demoSQLite(t))
	b := newBrowser(t, s.Handler())
	if w := b.login("ekonom@demo.gns.example", demo.Password); location(w) != "/" {
		t.Fatalf("demo economist login → %q, want / (exempt while demo)", location(w))
	}
	if !strings.Contains(b.get("/").Body.String(), "Demoläge") {
		t.Error("no demo banner while demo users exist")
	}
}

func TestAPITokens(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestServer(t, db)
		u := newUser(t, db, "a@example.se", domain.RoleGrant{Role: domain.RoleAuditor}, true)
		b := newBrowser(t, s.Handler())
		b.login(u.Email, testPassword)
		b.get("/konto")
		w := b.post("/konto/nycklar", url.Values{"name": {"Skript"}})
		token := regexp.MustCompile(`gns_[A-Za-z0-9_-]{43}`).FindString(w.Body.String())
		if w.Code != http.StatusCreated || token == "" {
			t.Fatalf("create token = %d, no token shown", w.Code)
		}
		if strings.Contains(b.get("/konto").Body.String(), token) {
			t.Error("the token is shown again after creation")
		}
		api := func(tok string) (int, map[string]any) {
			req := httptest.NewRequest(http.MethodGet, "/api/v1/me", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			w := httptest.NewRecorder()
			s.Handler().ServeHTTP(w, req)
			var body map[string]any
			json.Unmarshal(w.Body.Bytes(), &body)
			return w.Code, body
		}
		if code, body := api(token); code != http.StatusOK || body["email"] != u.Email {
			t.Fatalf("GET /api/v1/me with the token = %d %v", code, body)
		}
		if code, body := api("gns_fel"); code != http.StatusUnauthorized || body["error"].(map[string]any)["code"] != "unauthorized" {
			t.Errorf("a wrong token = %d %v, want 401 unauthorized", code, body)
		}
		tokens, _ := db.Conn().APITokens(context.Background(), u.ID)
		path := "/konto/nycklar/" + itoa(tokens[0].ID) + "/aterkalla"
		if w := b.get(path); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Det går inte att ångra") {
			t.Fatalf("revoke confirmation = %d", w.Code)
		}
		if w := b.post(path, nil); w.Code != http.StatusSeeOther {
			t.Fatalf("revoke = %d", w.Code)
		}
		if code, _ := api(token); code != http.StatusUnauthorized {
			t.Errorf("a revoked token = %d, want 401", code)
		}
		if got := auditActions(t, db, "api_token"); !contains(got, "token_use") || !contains(got, "revoke") {
			t.Errorf("audit trail for tokens = %v, want token_use and revoke", got)
		}
		// Another user's token cannot be revoked: it is not found.
		other := newUser(t, db, "b@example.se", domain.RoleGrant{Role: domain.RoleAuditor}, true)
		ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
		var theirs domain.APIToken
		db.InTx(ctx, func(c *store.Conn) error {
			var err error
			_, hash := auth.NewToken("gns_")
			theirs, err = c.CreateAPIToken(ctx, domain.APIToken{UserID: other.ID, Name: "deras"}, hash)
			return err
		})
		b.get("/konto")
		if w := b.post("/konto/nycklar/"+itoa(theirs.ID)+"/aterkalla", nil); w.Code != http.StatusNotFound {
			t.Errorf("revoking another user's token = %d, want 404", w.Code)
		}
	})
}

// Reads through the API write nothing to the audit trail but a token's first
// use and its first use from another address.
func TestAPIReadsDoNotGrowTheAuditTrail(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestServer(t, db)
		noon := time.Date(2026, 5, 4, 12, 0, 0, 0, sv.Location())
		db.SetClock(func() time.Time { return noon })
		u := newUser(t, db, "skript@example.se", domain.RoleGrant{Role: domain.RoleAuditor}, false)
		token := tokenFor(t, db, u.Email)
		trail := func() (int, domain.AuditEntry) {
			t.Helper()
			entries, total, err := db.Conn().AuditEntries(context.Background(), domain.AuditFilter{Limit: 1})
			if err != nil || len(entries) == 0 {
				t.Fatalf("audit trail: %v", err)
			}
			return total, entries[0]
		}
		read := func(addr, path string) {
			t.Helper()
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.RemoteAddr = addr + ":40000"
			req.Header.Set("Authorization", "Bearer "+token)
			w := httptest.NewRecorder()
			s.Handler().ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				t.Fatalf("GET %s = %d: %s", path, w.Code, w.Body)
			}
		}
		before, _ := trail()
		read("192.0.2.1", "/api/v1/me")
		n, last := trail()
		if n != before+1 || last.Action != "token_use" || last.RemoteAddr != "192.0.2.1" || last.ActorUserID != u.ID {
			t.Fatalf("the first use: %d entries (before %d), last %+v; want one token_use from 192.0.2.1", n, before, last)
		}
		for range 20 {
			read("192.0.2.1", "/api/v1/me")
			read("192.0.2.1", "/api/v1/committees")
		}
		if got, _ := trail(); got != n {
			t.Errorf("40 reads grew the audit trail from %d to %d entries", n, got)
		}
		read("198.51.100.7", "/api/v1/me")
		n2, last := trail()
		if n2 != n+1 || last.Action != "token_use" || last.RemoteAddr != "198.51.100.7" {
			t.Errorf("the first use from a new address: %d entries (before %d), last %+v", n2, n, last)
		}
		for range 10 {
			read("198.51.100.7", "/api/v1/me")
			read("192.0.2.1", "/api/v1/me")
		}
		if got, _ := trail(); got != n2 {
			t.Errorf("reads from known addresses grew the audit trail from %d to %d entries", n2, got)
		}
	})
}

func TestExpiredTokenIsRefused(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, storetest.NewSQLite(t))
	u := newUser(t, s.DB, "a@example.se", domain.RoleGrant{Role: domain.RoleAuditor}, false)
	token, hash := auth.NewToken("gns_")
	ctx := context.Background()
	if err := s.DB.InTx(ctx, func(c *store.Conn) error {
		_, err := c.CreateAPIToken(ctx, domain.APIToken{UserID: u.ID, Name: "kort", ExpiresAt: time.Now().Add(time.Hour)}, hash)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB.SQL().Exec(`UPDATE api_tokens SET expires_at = ?`, time.Now().UTC().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	if w.Code != http.StatusUnauthorized {
		t.Errorf("an expired token = %d, want 401", w.Code)
	}
}

func TestOversizedBodyIsRefusedBeforeReading(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, storetest.NewSQLite(t))
	newUser(t, s.DB, "a@example.se", domain.RoleGrant{Role: domain.RoleAuditor}, false)
	b := newBrowser(t, s.Handler())
	b.login("a@example.se", testPassword)
	req := httptest.NewRequest(http.MethodPost, "/logga-ut", strings.NewReader("x"))
	req.ContentLength = kit.MaxRequestBody + 1
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	if w := b.do(req); w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), "högst 32 MB") {
		t.Errorf("an oversized POST = %d, want 413 with a clear message", w.Code)
	}
	if w := b.get("/"); w.Code != http.StatusOK {
		t.Errorf("the oversized logout ended the session: %d", w.Code)
	}
}
