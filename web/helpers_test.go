package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
	"github.com/region-jh/gns/sv"
	"github.com/region-jh/gns/web/browsertest"
	"github.com/region-jh/gns/web/kit"
)

// testKey seals two-factor secrets in tests.
var testKey = []byte("0123456789abcdef0123456789abcdef")

func TestMain(m *testing.M) {
	auth.Params = auth.PasswordParams{Memory: 64, Time: 1, Threads: 1} // fast hashes in tests
	// Run the tests, then stop the browser the browser tests share.
	browsertest.Main(m)
}

// demoSQLite returns a SQLite database with the demo loaded: a copy of one
// built once per test binary, so each test still changes a database of its
// own. (demo.Load is idempotent: a test that loads the demo again on it
// loads nothing.)
func demoSQLite(t testing.TB) *store.DB {
	t.Helper()
	return storetest.SQLiteFrom(t, "demo", loadDemo)
}

// runDemo is storetest.Run with the demo loaded on both engines: copied on
// SQLite (see demoSQLite), loaded on PostgreSQL.
func runDemo(t *testing.T, test func(t *testing.T, db *store.DB)) {
	t.Helper()
	storetest.RunFrom(t, "demo", loadDemo, test)
}

func loadDemo(ctx context.Context, db *store.DB) error {
	_, err := demo.Load(ctx, db)
	return err
}

const testPassword = "Storsjöbadet-i-juli-2026"

// browser is a test client that keeps cookies and the form token of the last
// page, as a browser does.
type browser struct {
	t       testing.TB
	h       http.Handler
	cookies map[string]*http.Cookie
	csrf    string
	// last is the body of the last response.
	last string
}

func newBrowser(t testing.TB, h http.Handler) *browser {
	return &browser{t: t, h: h, cookies: map[string]*http.Cookie{}}
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func (b *browser) do(req *http.Request) *httptest.ResponseRecorder {
	b.t.Helper()
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	b.h.ServeHTTP(w, req)
	for _, c := range w.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	b.last = w.Body.String()
	if m := csrfInput.FindStringSubmatch(b.last); m != nil {
		b.csrf = m[1]
	}
	return w
}

func (b *browser) get(path string) *httptest.ResponseRecorder {
	b.t.Helper()
	return b.do(httptest.NewRequest(http.MethodGet, path, nil))
}

// post submits a form with the form token of the last page.
func (b *browser) post(path string, form url.Values) *httptest.ResponseRecorder {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get(kit.CSRFField) == "" {
		form.Set(kit.CSRFField, b.csrf)
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// login logs in with e-mail and password from the login page.
func (b *browser) login(email, password string) *httptest.ResponseRecorder {
	b.t.Helper()
	b.get("/logga-in")
	return b.post("/logga-in", url.Values{"email": {email}, "password": {password}})
}

// newUser stores a user with one role, in committee cm (0 for global roles).
// Demo users may skip two-factor login while demo users exist.
func newUser(t *testing.T, db *store.DB, email string, g domain.RoleGrant, demoUser bool) domain.User {
	t.Helper()
	ctx := context.Background()
	var u domain.User
	err := db.InTx(ctx, func(c *store.Conn) error {
		var err error
		var roles []domain.RoleGrant
		if g.Role != "" {
			roles = append(roles, g)
		}
		u, err = c.CreateUser(ctx, domain.User{Email: email, Name: "Test " + strings.Split(email, "@")[0], Demo: demoUser, Roles: roles}, auth.HashPassword(testPassword))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// location returns the redirect target of a response.
func location(w *httptest.ResponseRecorder) string { return w.Header().Get("Location") }

// apiCall sends a JSON request with a bearer token.
func apiCall(t *testing.T, h http.Handler, token, method, path, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader([]byte(body)))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	var out map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s %s: not JSON: %s", method, path, w.Body)
	}
	return w.Code, out
}

// tokenFor creates an API token for a demo user.
func tokenFor(t testing.TB, db *store.DB, email string) string {
	t.Helper()
	ctx := context.Background()
	u, _, err := db.Conn().UserForLogin(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	token, hash := auth.NewToken("gns_")
	if err := db.InTx(ctx, func(c *store.Conn) error {
		_, err := c.CreateAPIToken(ctx, domain.APIToken{UserID: u.ID, Name: "test"}, hash)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return token
}

// today is the current date in Swedish time by the real clock, which the
// test servers use.
func today() domain.Date { return domain.DateOf(time.Now().In(sv.Location())) }
