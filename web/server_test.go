package web

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// newTestServer returns a server on a migrated database and the buffer its log
// goes to.
func newTestServer(t testing.TB, db *store.DB) (*Server, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	s, err := New(Config{DB: db, Logger: slog.New(slog.NewJSONHandler(&logs, nil)), Version: "test", SecretKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	return s, &logs
}

func get(t *testing.T, h http.Handler, path string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	return w
}

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestServer(t, db)
		if w := get(t, s.Handler(), "/healthz"); w.Code != http.StatusOK {
			t.Errorf("/healthz = %d, want 200", w.Code)
		}
		if w := get(t, s.Handler(), "/readyz"); w.Code != http.StatusOK {
			t.Errorf("/readyz = %d, want 200", w.Code)
		}
		db.Close() // the database goes away
		w := get(t, s.Handler(), "/readyz")
		if w.Code != http.StatusServiceUnavailable {
			t.Fatalf("/readyz with the database closed = %d, want 503", w.Code)
		}
		var body struct{ Status, Reason string }
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Reason == "" {
			t.Errorf("/readyz body = %s, want JSON with a reason", w.Body)
		}
		if w := get(t, s.Handler(), "/healthz"); w.Code != http.StatusOK {
			t.Errorf("/healthz with the database closed = %d, want 200 (the process is alive)", w.Code)
		}
	})
}

func TestCommitteesPage(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestServer(t, db)
		newUser(t, db, "admin@example.se", domain.RoleGrant{Role: domain.RoleAdmin}, true)
		b := newBrowser(t, s.Handler())
		b.login("admin@example.se", testPassword)
		w := b.get("/namnder")
		if w.Code != http.StatusOK {
			t.Fatalf("GET /namnder = %d", w.Code)
		}
		if !strings.Contains(w.Body.String(), "Det finns inga nämnder ännu") {
			t.Error("empty database: the page does not say what to do next")
		}

		if _, err := demo.Load(context.Background(), db); err != nil {
			t.Fatal(err)
		}
		w = b.get("/namnder")
		body := w.Body.String()
		if !strings.Contains(body, `<html lang="sv">`) {
			t.Error("page is not marked as Swedish")
		}
		last := -1
		for _, p := range demo.Parties {
			i := strings.Index(body, p.Name)
			if i < 0 {
				t.Errorf("page does not list %s", p.Name)
				continue
			}
			if i < last {
				t.Errorf("%s is out of the committee's party order", p.Name)
			}
			last = i
		}
		for _, want := range []string{demo.Committee.Name, "värdpart", "232100-0214", "2018-07-01"} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
	})
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, storetest.NewSQLite(t))
	w := get(t, s.Handler(), "/finns-inte")
	if w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "Sidan finns inte") {
		t.Errorf("GET /finns-inte = %d %q, want a Swedish 404 page", w.Code, w.Body)
	}
	w = get(t, s.Handler(), "/api/v1/finns-inte")
	var body struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || w.Code != http.StatusNotFound || body.Error.Code != "not_found" {
		t.Errorf("GET /api/v1/finns-inte = %d %s, want a JSON not_found error", w.Code, w.Body)
	}
	w = httptest.NewRecorder()
	s.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/healthz", nil))
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /healthz = %d, want 405", w.Code)
	}
}

func TestSecurityHeadersAndRequestLog(t *testing.T) {
	t.Parallel()
	s, logs := newTestServer(t, storetest.NewSQLite(t))
	w := get(t, s.Handler(), "/?token=hemligt")
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "X-Request-ID"} {
		if w.Header().Get(h) == "" {
			t.Errorf("response lacks %s", h)
		}
	}
	if csp := w.Header().Get("Content-Security-Policy"); strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %s", csp)
	}
	var line map[string]any
	if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
		t.Fatalf("log is not one JSON line: %q", logs)
	}
	for _, key := range []string{"method", "route", "status", "duration_ms", "request_id"} {
		if _, ok := line[key]; !ok {
			t.Errorf("log line lacks %q: %v", key, line)
		}
	}
	if line["request_id"] != w.Header().Get("X-Request-ID") {
		t.Errorf("logged request id %v, response has %s", line["request_id"], w.Header().Get("X-Request-ID"))
	}
	if strings.Contains(logs.String(), "hemligt") {
		t.Error("the log contains the query string")
	}
}

func TestPanicGivesPlain500(t *testing.T) {
	t.Parallel()
	s, logs := newTestServer(t, storetest.NewSQLite(t))
	s.Engine().GET("/test-panic", func(*gin.Context) { panic("secret internal detail") })
	w := get(t, s.Handler(), "/test-panic")
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("panicking handler = %d, want 500", w.Code)
	}
	if strings.Contains(w.Body.String(), "secret") || strings.Contains(w.Body.String(), "goroutine") {
		t.Errorf("500 body shows internals: %q", w.Body)
	}
	if !strings.Contains(logs.String(), "secret internal detail") {
		t.Error("the panic was not logged")
	}
	if w := get(t, s.Handler(), "/healthz"); w.Code != http.StatusOK {
		t.Error("server does not answer after a panic")
	}
}

func TestStaticFiles(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, storetest.NewSQLite(t))
	w := get(t, s.Handler(), "/static/gns.css")
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/css") {
		t.Errorf("GET /static/gns.css = %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	for _, path := range []string{"/static/", "/static/../templates/layout.html", "/static/nope.css"} {
		if w := get(t, s.Handler(), path); w.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, w.Code)
		}
	}
}
