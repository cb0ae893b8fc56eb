package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
	"github.com/region-jh/gns/web/kit"
)

// peer is the address httptest gives every request: the connection's end.
const peer = "192.0.2.1"

// newProxiedServer is newTestServer with trusted proxies.
func newProxiedServer(t *testing.T, db *store.DB, proxies string) *Server {
	t.Helper()
	p, err := ParseTrustedProxies(proxies)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{DB: db, Logger: slog.New(slog.DiscardHandler), Version: "test", SecretKey: testKey, TrustedProxies: p})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// failLogin posts a wrong password for email with the headers given and
// returns the answer.
func failLogin(b *browser, email string, header http.Header) *httptest.ResponseRecorder {
	b.t.Helper()
	b.get("/logga-in")
	form := url.Values{"email": {email}, "password": {"fel-lösenord-helt-och-hållet"}, kit.CSRFField: {b.csrf}}
	req := httptest.NewRequest(http.MethodPost, "/logga-in", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header[k] = v
	}
	return b.do(req)
}

// lastFailedLoginAddr is the address the audit trail recorded for the last
// failed login.
func lastFailedLoginAddr(t *testing.T, db *store.DB) string {
	t.Helper()
	entries, _, err := db.Conn().AuditEntries(context.Background(), domain.AuditFilter{Entity: "user"})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries { // newest first
		if e.Action == "login_failed" {
			return e.RemoteAddr
		}
	}
	t.Fatal("no failed login in the audit trail")
	return ""
}

func forged(ip string) http.Header {
	return http.Header{"X-Forwarded-For": {ip}, "X-Real-Ip": {ip}}
}

// TestForwardedForIgnoredWithoutTrustedProxy: with no trusted proxies, a
// client that writes X-Forwarded-For chooses neither the address in the audit
// trail nor the address the login limit counts.
func TestForwardedForIgnoredWithoutTrustedProxy(t *testing.T) {
	db := storetest.NewSQLite(t)
	s, _ := newTestServer(t, db)
	b := newBrowser(t, s.Handler())

	if w := failLogin(b, "finns-inte@example.se", forged("203.0.113.9")); w.Code != http.StatusUnauthorized {
		t.Fatalf("a failed login = %d, want 401", w.Code)
	}
	if got := lastFailedLoginAddr(t, db); got != peer {
		t.Errorf("audit trail address with a forged X-Forwarded-For = %q, want the peer %q", got, peer)
	}

	// The address limit allows 30 failures in its window; a new forged
	// address (and a new account, so the account limit never applies) for
	// every attempt must not reset it.
	for i := range 30 {
		w := failLogin(b, fmt.Sprintf("nummer%d@example.se", i), forged(fmt.Sprintf("203.0.113.%d", i+10)))
		if w.Code != http.StatusUnauthorized && w.Code != http.StatusTooManyRequests {
			t.Fatalf("failed login %d = %d, want 401 or 429", i, w.Code)
		}
	}
	if w := failLogin(b, "en-till@example.se", forged("198.51.100.77")); w.Code != http.StatusTooManyRequests {
		t.Errorf("the 32nd failed login from one address with yet another forged X-Forwarded-For = %d, want 429", w.Code)
	}

	// Nor is a forged X-Forwarded-Proto believed: the cookies stay
	// without Secure over plain HTTP.
	req := httptest.NewRequest(http.MethodGet, "/logga-in", nil)
	req.Header.Set("X-Forwarded-Proto", "https")
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	for _, c := range w.Result().Cookies() {
		if c.Secure {
			t.Errorf("cookie %s is Secure on the word of an untrusted X-Forwarded-Proto", c.Name)
		}
	}
	if w.Header().Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent on the word of an untrusted X-Forwarded-Proto")
	}
}

// TestForwardedForFromTrustedProxy: a request from a trusted proxy has its
// client's address and scheme believed; the same headers from any other
// address are not.
func TestForwardedForFromTrustedProxy(t *testing.T) {
	db := storetest.NewSQLite(t)
	s := newProxiedServer(t, db, "10.9.9.9, "+peer+"/32")
	b := newBrowser(t, s.Handler())

	if w := failLogin(b, "finns-inte@example.se", forged("203.0.113.9")); w.Code != http.StatusUnauthorized {
		t.Fatalf("a failed login = %d, want 401", w.Code)
	}
	if got := lastFailedLoginAddr(t, db); got != "203.0.113.9" {
		t.Errorf("audit trail address through a trusted proxy = %q, want the client's 203.0.113.9", got)
	}

	req := httptest.NewRequest(http.MethodGet, "/logga-in", nil)
	req.Header.Set("X-Forwarded-Proto", "https")
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	cookies := w.Result().Cookies()
	if len(cookies) == 0 {
		t.Fatal("the login page set no cookie")
	}
	for _, c := range cookies {
		if !c.Secure {
			t.Errorf("cookie %s is not Secure although a trusted proxy said https", c.Name)
		}
	}

	other := newProxiedServer(t, db, "10.0.0.0/8")
	b = newBrowser(t, other.Handler())
	failLogin(b, "finns-inte@example.se", forged("203.0.113.9"))
	if got := lastFailedLoginAddr(t, db); got != peer {
		t.Errorf("audit trail address from an untrusted peer = %q, want the peer %q", got, peer)
	}
}

func TestParseTrustedProxies(t *testing.T) {
	got, err := ParseTrustedProxies(" 10.0.0.5, 10.1.2.3/16 ,fd00::1,, ::ffff:192.0.2.7")
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{
		netip.MustParsePrefix("10.0.0.5/32"), netip.MustParsePrefix("10.1.0.0/16"),
		netip.MustParsePrefix("fd00::1/128"), netip.MustParsePrefix("192.0.2.7/32"),
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ParseTrustedProxies = %v, want %v", got, want)
	}
	if got, err := ParseTrustedProxies(""); err != nil || len(got) != 0 {
		t.Errorf("ParseTrustedProxies(\"\") = %v, %v; want none", got, err)
	}
	for _, bad := range []string{"proxy.example.se", "10.0.0.0/33", "10.0.0", "fe80::1%eth0", "*"} {
		if _, err := ParseTrustedProxies("10.0.0.1," + bad); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("ParseTrustedProxies(%q) = %v, want an error naming it", bad, err)
		}
	}
}
