package web

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store/storetest"
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
