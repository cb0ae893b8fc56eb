package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
	"github.com/region-jh/gns/web/kit"
)

// want503 checks an answer to a request the database could not serve: 503
// with Retry-After and the Swedish message, as JSON for the API.
func want503(t *testing.T, what string, w *httptest.ResponseRecorder, api bool) {
	t.Helper()
	if w.Code != http.StatusServiceUnavailable {
		t.Errorf("%s = %d, want 503", what, w.Code)
	}
	if w.Header().Get("Retry-After") == "" {
		t.Errorf("%s: no Retry-After", what)
	}
	if !api {
		if !strings.Contains(w.Body.String(), domain.UnavailableMessage) {
			t.Errorf("%s: the page does not say %q", what, domain.UnavailableMessage)
		}
		return
	}
	var body struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Errorf("%s: not JSON: %s", what, w.Body)
	}
	if body.Error.Code != domain.EUNAVAILABLE || body.Error.Message != domain.UnavailableMessage {
		t.Errorf("%s: error %+v, want %q with %q", what, body.Error, domain.EUNAVAILABLE, domain.UnavailableMessage)
	}
}

func tokenGet(h http.Handler, token, path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// TestClosedDatabaseIs503: with the database gone, a logged-in page and an
// API call answer 503 with Retry-After, not 500; the session cookie is kept
// for when the database is back, and the probe and the style sheet still
// answer.
func TestClosedDatabaseIs503(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, logs := newTestServer(t, db)
		newUser(t, db, "revisor@example.se", domain.RoleGrant{Role: domain.RoleAuditor}, true)
		token := tokenFor(t, db, "revisor@example.se")
		b := newBrowser(t, s.Handler())
		if w := b.login("revisor@example.se", testPassword); w.Code != http.StatusSeeOther {
			t.Fatalf("login = %d, want 303", w.Code)
		}
		if w := b.get("/"); w.Code != http.StatusOK {
			t.Fatalf("start page = %d, want 200", w.Code)
		}

		db.Close() // the database goes away

		want503(t, "the start page", b.get("/"), false)
		if _, ok := b.cookies[kit.SessionCookie]; !ok {
			t.Error("the session cookie was cleared while the database was away")
		}
		want503(t, "an API read", tokenGet(s.Handler(), token, "/api/v1/me"), true)
		want503(t, "a form", b.post("/logga-ut-overallt", nil), false)
		if w := b.get("/healthz"); w.Code != http.StatusOK {
			t.Errorf("/healthz with a session cookie = %d, want 200", w.Code)
		}
		if w := b.get("/static/gns.css"); w.Code != http.StatusOK {
			t.Errorf("the style sheet with a session cookie = %d, want 200", w.Code)
		}
		if strings.Contains(logs.String(), `"level":"ERROR","msg":"request failed"`) {
			t.Errorf("an unavailable database was logged as a fault: %s", logs)
		}
		if !strings.Contains(logs.String(), "database unavailable") {
			t.Error("the unavailable database was not logged")
		}
	})
}

// TestReadOnlyDatabaseIs503: a database that answers reads but takes no
// writes (SQLite told to refuse them, as a read-only file or a full disk
// does) fails a login, an API call (which records its use), a form that
// saves and the readiness probe with 503, while plain pages still load.
func TestReadOnlyDatabaseIs503(t *testing.T) {
	db := storetest.NewSQLite(t)
	s, _ := newTestServer(t, db)
	newUser(t, db, "admin@example.se", domain.RoleGrant{Role: domain.RoleAdmin}, true)
	newUser(t, db, "revisor@example.se", domain.RoleGrant{Role: domain.RoleAuditor}, true)
	token := tokenFor(t, db, "revisor@example.se")
	admin := newBrowser(t, s.Handler())
	if w := admin.login("admin@example.se", testPassword); w.Code != http.StatusSeeOther {
		t.Fatalf("login = %d, want 303", w.Code)
	}
	if w := admin.get("/admin/anvandare/ny"); w.Code != http.StatusOK {
		t.Fatalf("new user form = %d, want 200", w.Code)
	}

	// One connection, refusing writes: SQLite answers SQLITE_READONLY.
	db.SQL().SetMaxOpenConns(1)
	if _, err := db.SQL().Exec(`PRAGMA query_only = 1`); err != nil {
		t.Fatal(err)
	}

	if w := admin.get("/"); w.Code != http.StatusOK {
		t.Errorf("a page that only reads = %d, want 200", w.Code)
	}
	want503(t, "saving a form", admin.post("/admin/anvandare", url.Values{"email": {"ny@example.se"}, "name": {"Ny Person"}, "role": {"auditor"}}), false)
	want503(t, "a login", newBrowser(t, s.Handler()).login("revisor@example.se", testPassword), false)
	want503(t, "an API read", tokenGet(s.Handler(), token, "/api/v1/me"), true)
	w := get(t, s.Handler(), "/readyz")
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "cannot be written") {
		t.Errorf("/readyz on a database that cannot be written = %d %s, want 503 saying so", w.Code, w.Body)
	}
}
