package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
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
