package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
	"github.com/region-jh/gns/web/kit"
)

// TestLoginRedirectStaysOnSite logs in with destinations that a browser
// would read as another site: each ends on the start page instead.
func TestLoginRedirectStaysOnSite(t *testing.T) {
	s, _ := newTestServer(t, storetest.NewSQLite(t))
	u := newUser(t, s.DB, "a@example.se", domain.RoleGrant{Role: domain.RoleAuditor}, false)
	for _, next := range []string{"/\t/evil.example", "/\n/evil.example", "/\\evil.example", "\\/evil.example",
		"//evil.example", "/%09/evil.example", "https:evil.example", "/\uff0f/evil.example"} {
		b := newBrowser(t, s.Handler())
		b.get("/logga-in")
		w := b.post("/logga-in", url.Values{"email": {u.Email}, "password": {testPassword}, "next": {next}})
		if w.Code != http.StatusSeeOther || location(w) != "/" {
			t.Errorf("login with next=%q → %d Location %q, want 303 to /", next, w.Code, location(w))
		}
	}
	b := newBrowser(t, s.Handler())
	b.get("/logga-in")
	if w := b.post("/logga-in", url.Values{"email": {u.Email}, "password": {testPassword}, "next": {"/granskning?fran=2026-01-01"}}); location(w) != "/granskning?fran=2026-01-01" {
		t.Errorf("login with a path on the site → %q, want it kept", location(w))
	}
}

// TestPasswordChangeToTheSamePassword refuses a "new" password that is the
// current one, on the new password's field, and leaves the password and the
// user's other sessions as they were.
func TestPasswordChangeToTheSamePassword(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestServer(t, db)
		u := newUser(t, db, "a@example.se", domain.RoleGrant{Role: domain.RoleAuditor}, false)
		other := newBrowser(t, s.Handler())
		other.login(u.Email, testPassword)
		b := newBrowser(t, s.Handler())
		b.login(u.Email, testPassword)
		b.get("/konto")
		w := b.post("/konto/losenord", url.Values{"current": {testPassword}, "password": {testPassword}, "repeat": {testPassword}})
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "samma som det nuvarande") {
			t.Fatalf("changing to the same password = %d, want 400 with a message", w.Code)
		}
		if !regexp.MustCompile(`id="f-password"[^>]*aria-invalid="true"`).MatchString(w.Body.String()) {
			t.Error("the message is not on the new password's field")
		}
		if w := other.get("/konto"); w.Code != http.StatusOK {
			t.Errorf("the other session after a refused change = %d, want it kept", w.Code)
		}
		if got := auditActions(t, db, "user"); contains(got, "change_password") {
			t.Errorf("audit trail %v records a change that was refused", got)
		}
		// A different password is still accepted.
		w = b.post("/konto/losenord", url.Values{"current": {testPassword}, "password": {"Ett-helt-annat-lösenord-2026"}, "repeat": {"Ett-helt-annat-lösenord-2026"}})
		if w.Code != http.StatusSeeOther {
			t.Errorf("changing to another password = %d, want 303", w.Code)
		}
	})
}

// TestTokenCannotMakeTokens sends every route, with an admin's API token, and
// finds no new token afterwards; the routes that make or manage credentials
// answer 403 with a Swedish JSON error.
func TestTokenCannotMakeTokens(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestServer(t, db)
		u := newUser(t, db, "admin@example.se", domain.RoleGrant{Role: domain.RoleAdmin}, false)
		token := tokenFor(t, db, u.Email)
		ctx := context.Background()
		send := func(method, path string, form url.Values) *httptest.ResponseRecorder {
			req := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			s.Handler().ServeHTTP(w, req)
			return w
		}
		for _, r := range []struct{ method, path string }{
			{"POST", "/konto/nycklar"},
			{"POST", "/konto/losenord"},
			{"POST", "/logga-ut-overallt"},
			{"GET", "/konto/tvafaktor"},
			{"POST", "/konto/tvafaktor"},
			{"POST", "/admin/anvandare"},
			{"POST", "/admin/inloggningstjanster"},
			{"POST", "/admin/anvandare/:id/nytt-losenord"},
			{"POST", "/admin/anvandare/:id/aterstall-tvafaktor"},
			{"POST", "/konto/nycklar/:id/aterkalla"},
		} {
			w := send(r.method, strings.Replace(r.path, ":id", itoa(u.ID), 1), url.Values{"name": {"Barnbarn"}, "email": {"ny@example.se"}, "role": {"admin"}})
			var body struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || w.Code != http.StatusForbidden ||
				body.Error.Code != domain.EFORBIDDEN || !strings.Contains(body.Error.Message, "API-nyckel kan inte") {
				t.Errorf("%s %s with a token = %d %s, want 403 with a JSON error", r.method, r.path, w.Code, w.Body)
			}
			if rule := s.Rules()[r.method+" "+r.path]; !rule.NeedsSession() {
				t.Errorf("%s %s is not for a browser session only", r.method, r.path)
			}
		}
		// No route, of any kind, makes a token for a token.
		for _, r := range s.Engine().Routes() {
			path := routeParam.ReplaceAllStringFunc(r.Path, func(p string) string {
				if p == "*file" {
					return "gns.css"
				}
				return itoa(u.ID)
			})
			send(r.Method, path, url.Values{"name": {"Barnbarn"}, "expires": {""}})
		}
		tokens, err := db.Conn().APITokens(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(tokens) != 1 {
			t.Errorf("the user has %d tokens after a token's requests, want the one", len(tokens))
		}
		if w := send("GET", "/api/v1/me", nil); w.Code != http.StatusOK {
			t.Errorf("the token itself = %d after the refusals, want it working", w.Code)
		}
	})
}

// TestLogoutEverywhereAndPasswordChangeRevokeTokens offers, on both forms, to
// revoke the user's API tokens (ticked when the page opens), does so when
// ticked and leaves them when not.
func TestLogoutEverywhereAndPasswordChangeRevokeTokens(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestServer(t, db)
		u := newUser(t, db, "a@example.se", domain.RoleGrant{Role: domain.RoleAuditor}, false)
		works := func(token string) bool {
			code, _ := apiCall(t, s.Handler(), token, "GET", "/api/v1/me", "")
			return code == http.StatusOK
		}
		first, second := tokenFor(t, db, u.Email), tokenFor(t, db, u.Email)
		b := newBrowser(t, s.Handler())
		b.login(u.Email, testPassword)
		page := b.get("/konto").Body.String()
		box := regexp.MustCompile(`<input type="checkbox" id="f-(logout-)?revoke_tokens" name="revoke_tokens" value="ja"[^>]*checked>\s*Återkalla också mina API-nycklar \(2 st\)`)
		if n := len(box.FindAllString(page, -1)); n != 2 {
			t.Fatalf("Mitt konto has %d ticked boxes to revoke the 2 tokens, want 2 (password and logout)", n)
		}

		// Unticked: the tokens stay.
		b.post("/logga-ut-overallt", url.Values{})
		if !works(first) || !works(second) {
			t.Fatal("logging out everywhere without the box revoked the tokens")
		}
		newPassword := "Ett-helt-annat-lösenord-2026"
		b.login(u.Email, testPassword)
		b.get("/konto")
		if w := b.post("/konto/losenord", url.Values{"current": {testPassword}, "password": {newPassword}, "repeat": {newPassword}}); w.Code != http.StatusSeeOther {
			t.Fatalf("password change = %d", w.Code)
		}
		if !works(first) || !works(second) {
			t.Fatal("a password change without the box revoked the tokens")
		}

		// Ticked: the password change revokes them.
		b.get("/konto")
		w := b.post("/konto/losenord", url.Values{"current": {newPassword}, "password": {testPassword + "!"}, "repeat": {testPassword + "!"}, "revoke_tokens": {"ja"}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("password change with the box = %d", w.Code)
		}
		if works(first) || works(second) {
			t.Error("the tokens work after a password change with the box ticked")
		}
		if !strings.Contains(b.get("/konto").Body.String(), "Dina 2 API-nycklar är återkallade") {
			t.Error("the password change does not say that the tokens were revoked")
		}

		// Ticked: logging out everywhere revokes them.
		third := tokenFor(t, db, u.Email)
		b.get("/konto")
		if w := b.post("/logga-ut-overallt", url.Values{"revoke_tokens": {"ja"}}); location(w) != "/logga-in" {
			t.Fatalf("logout everywhere → %q", location(w))
		}
		if works(third) {
			t.Error("the token works after logging out everywhere with the box ticked")
		}
		if !strings.Contains(b.get("/logga-in").Body.String(), "Din API-nyckel är återkallad") {
			t.Error("logging out everywhere does not say that the token was revoked")
		}
		if got := auditActions(t, db, "api_token"); !contains(got, "revoke") {
			t.Errorf("audit trail for tokens = %v, want the revocations", got)
		}
	})
}

// TestCalendarLinksIgnoreTheHostHeader makes a calendar address and reads the
// feed with a forged Host header: the address shown and the meetings' links
// are on the configured base URL.
func TestCalendarLinksIgnoreTheHostHeader(t *testing.T) {
	db := storetest.NewSQLite(t)
	s, err := New(Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test", SecretKey: testKey, BaseURL: "https://gns.example.se/"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, s.Handler())
	b.login("ledamot@demo.gns.example", demo.Password)
	b.get("/kalender")
	form := url.Values{kit.CSRFField: {b.csrf}}
	req := httptest.NewRequest(http.MethodPost, "/kalender", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Host = "evil.example"
	w := b.do(req)
	page := w.Body.String()
	m := regexp.MustCompile(`https://gns\.example\.se(/kalender/gns_cal_[A-Za-z0-9_-]+\.ics)`).FindStringSubmatch(page)
	if w.Code != http.StatusCreated || m == nil || strings.Contains(page, "evil.example") {
		t.Fatalf("new calendar address with Host: evil.example = %d, want an address on https://gns.example.se only:\n%s", w.Code, page)
	}
	if !strings.Contains(page, `href="webcal://gns.example.se/kalender/gns_cal_`) {
		t.Error("the webcal link is not on the base URL")
	}
	req = httptest.NewRequest(http.MethodGet, m[1], nil)
	req.Host = "evil.example"
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	feed := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(feed, "URL:https://gns.example.se/") || strings.Contains(feed, "evil.example") {
		t.Errorf("feed read with Host: evil.example = %d, want its links on https://gns.example.se:\n%s", rec.Code, feed)
	}
}

// TestBadBaseURLIsRefused builds the server with base URLs that cannot make
// links: each is refused with a message that says why.
func TestBadBaseURLIsRefused(t *testing.T) {
	db := storetest.NewSQLite(t)
	for base, want := range map[string]string{
		"gns.example.se":                 "must start with https://",
		"ftp://gns.example.se":           "must start with https://",
		"https://":                       "no host name",
		"https://gns.example.se/?a=1":    "query",
		"https://gns.example.se/#x":      "fragment",
		"https://gns.example.se/gns":     "must not have a path",
		"https://user:pw@gns.example.se": "user name",
		"https:gns.example.se":           "no host name",
	} {
		_, err := New(Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), SecretKey: testKey, BaseURL: base})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("base URL %q: %v, want an error with %q", base, err, want)
		}
	}
	for base, want := range map[string]string{"https://gns.example.se/": "https://gns.example.se", "http://localhost:8080": "http://localhost:8080", " https://GNS.example.se:8443 ": "https://GNS.example.se:8443"} {
		if got, err := ParseBaseURL(base); err != nil || got != want {
			t.Errorf("ParseBaseURL(%q) = %q, %v, want %q", base, got, err, want)
		}
	}
}
