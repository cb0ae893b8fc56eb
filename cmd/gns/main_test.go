package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/store/storetest"
)

// syncBuffer is a bytes.Buffer safe for a command writing while a test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func testEnv(vars map[string]string) (*environment, *syncBuffer, *syncBuffer) {
	var out, errs syncBuffer
	return &environment{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errs,
		getenv: func(k string) string { return vars[k] },
	}, &out, &errs
}

func TestExitCodesAndMessages(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		wantCode int
		wantErr  string
		wantOut  string
	}{
		{name: "no command", args: nil, wantCode: 2, wantErr: "Usage: gns <command>"},
		{name: "help", args: []string{"--help"}, wantCode: 0, wantErr: "Commands:"},
		{name: "unknown command", args: []string{"frobnicate"}, wantCode: 2, wantErr: `unknown command "frobnicate"`},
		{name: "version", args: []string{"version"}, wantCode: 0, wantOut: "gns dev"},
		{name: "serve help", args: []string{"serve", "--help"}, wantCode: 0, wantErr: "-addr"},
		{name: "migrate help", args: []string{"migrate", "-h"}, wantCode: 0, wantErr: "status"},
		{name: "demo help", args: []string{"demo", "--help"}, wantCode: 0, wantErr: "-db"},
		{name: "bad flag", args: []string{"serve", "--port", "80"}, wantCode: 2, wantErr: "flag provided but not defined"},
		{name: "bad max-concurrent", args: []string{"serve", "--max-concurrent", "0", "--db", filepath.Join(dir, "a.db")}, wantCode: 2, wantErr: "--max-concurrent must be at least 1"},
		{name: "bad GNS_MAX_CONCURRENT", args: []string{"serve"}, env: map[string]string{"GNS_MAX_CONCURRENT": "många"}, wantCode: 2, wantErr: `GNS_MAX_CONCURRENT="många" is not a whole number`},
		{name: "bad trusted proxy", args: []string{"serve", "--trusted-proxies", "10.0.0.1, proxy.local", "--db", filepath.Join(dir, "a.db")}, wantCode: 2, wantErr: `--trusted-proxies (GNS_TRUSTED_PROXIES): "proxy.local" is neither an IP address nor a CIDR range`},
		{name: "bad GNS_TRUSTED_PROXIES", args: []string{"serve"}, env: map[string]string{"GNS_TRUSTED_PROXIES": "10.0.0.0/33"}, wantCode: 2, wantErr: `"10.0.0.0/33" is neither`},
		{name: "bad base URL", args: []string{"serve", "--base-url", "gns.example.se", "--db", filepath.Join(dir, "a.db")}, wantCode: 2, wantErr: `--base-url (GNS_BASE_URL): "gns.example.se" must start with https://`},
		{name: "bad GNS_BASE_URL", args: []string{"serve", "--db", filepath.Join(dir, "a.db")}, env: map[string]string{"GNS_BASE_URL": "https://gns.example.se/?x=1"}, wantCode: 2, wantErr: "must not have a query"},
		{name: "base URL with a path", args: []string{"serve", "--base-url", "https://gns.example.se/gns", "--db", filepath.Join(dir, "a.db")}, wantCode: 2, wantErr: "must not have a path"},
		{name: "SMTP URL with a wrong scheme", args: []string{"serve", "--db", filepath.Join(dir, "a.db")}, env: map[string]string{"GNS_SMTP_URL": "http://mail.example.se", "GNS_MAIL_FROM": "gns@example.se"}, wantCode: 2, wantErr: `GNS_SMTP_URL has the scheme "http": use smtp:// (STARTTLS when offered) or smtps:// (implicit TLS)`},
		{name: "SMTP URL without host", args: []string{"serve", "--db", filepath.Join(dir, "a.db")}, env: map[string]string{"GNS_SMTP_URL": "smtp://:25", "GNS_MAIL_FROM": "gns@example.se"}, wantCode: 2, wantErr: "GNS_SMTP_URL names no host"},
		{name: "SMTP URL with a bad port", args: []string{"serve", "--db", filepath.Join(dir, "a.db")}, env: map[string]string{"GNS_SMTP_URL": "smtps://user:hemligt@mail.example.se:99999"}, wantCode: 2, wantErr: `GNS_SMTP_URL has the port "99999"`},
		{name: "SMTP without sender", args: []string{"serve", "--db", filepath.Join(dir, "a.db")}, env: map[string]string{"GNS_SMTP_URL": "smtp://mail.example.se:587"}, wantCode: 2, wantErr: "GNS_MAIL_FROM is not set"},
		{name: "SMTP with a bad sender", args: []string{"serve", "--db", filepath.Join(dir, "a.db")}, env: map[string]string{"GNS_SMTP_URL": "smtp://mail.example.se:587", "GNS_MAIL_FROM": "gns at example"}, wantCode: 2, wantErr: `GNS_MAIL_FROM "gns at example" is not an e-mail address`},
		{name: "no base URL on PostgreSQL", args: []string{"serve"}, env: map[string]string{"GNS_DB": "postgres://gns@127.0.0.1:1/gns?sslmode=disable"}, wantCode: 2, wantErr: "set --base-url or GNS_BASE_URL to the address people use to reach GNS (e.g. https://gns.example.se): it is required when the database is PostgreSQL"},
		{name: "no base URL on all interfaces", args: []string{"serve", "--addr", ":0", "--db", filepath.Join(dir, "a.db")}, wantCode: 2, wantErr: "required when --addr :0 is reachable from other machines"},
		{name: "no base URL on a public address", args: []string{"serve", "--db", filepath.Join(dir, "a.db")}, env: map[string]string{"GNS_ADDR": "0.0.0.0:0"}, wantCode: 2, wantErr: "--addr 0.0.0.0:0 is reachable"},
		{name: "demo-oidc without demo", args: []string{"serve", "--demo-oidc", "--db", filepath.Join(dir, "a.db")}, wantCode: 2, wantErr: "--demo-oidc needs --demo"},
		{name: "bad log format", args: []string{"serve", "--log-format", "xml", "--db", filepath.Join(dir, "a.db")}, wantCode: 2, wantErr: "text or json"},
		{name: "unknown scheme in GNS_DB", args: []string{"serve"}, env: map[string]string{"GNS_DB": "mysql://db/gns"}, wantCode: 1, wantErr: `unknown database scheme "mysql"`},
		{name: "unwritable path", args: []string{"serve", "--db", filepath.Join(dir, "no", "such", "gns.db")}, wantCode: 1, wantErr: "does not exist"},
		{name: "unreachable server", args: []string{"migrate", "--db", "postgres://gns@127.0.0.1:1/gns?sslmode=disable"}, wantCode: 1, wantErr: "cannot reach PostgreSQL"},
		{name: "unknown migrate action", args: []string{"migrate", "down", "--db", filepath.Join(dir, "b.db")}, wantCode: 2, wantErr: `unknown action "down"`},
		{name: "migrate from GNS_DB", args: []string{"migrate"}, env: map[string]string{"GNS_DB": "sqlite:" + filepath.Join(dir, "c.db")}, wantCode: 0, wantOut: "schema up to date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, out, errs := testEnv(tt.env)
			code := run(context.Background(), env, tt.args)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d (stderr %q)", code, tt.wantCode, errs)
			}
			if !strings.Contains(errs.String(), tt.wantErr) {
				t.Errorf("stderr = %q, want it to contain %q", errs, tt.wantErr)
			}
			if !strings.Contains(out.String(), tt.wantOut) {
				t.Errorf("stdout = %q, want it to contain %q", out, tt.wantOut)
			}
			if code == 1 && strings.Count(strings.TrimSpace(errs.String()), "\n") != 0 {
				t.Errorf("a failure should be one line, got %q", errs)
			}
		})
	}
}

func TestMigrateStatusAndDemo(t *testing.T) {
	t.Parallel()
	dsn := filepath.Join(t.TempDir(), "gns.db")
	env, out, errs := testEnv(nil)
	if code := run(context.Background(), env, []string{"migrate", "status", "--db", dsn}); code != 0 {
		t.Fatalf("migrate status on a new database: exit %d, %s", code, errs)
	}
	if !strings.Contains(out.String(), "pending") {
		t.Errorf("status of a new database = %q, want pending migrations", out)
	}
	for i, want := range []string{"loaded the demo committee GNS with 9 parties", "already there; nothing loaded"} {
		env, out, errs := testEnv(nil)
		if code := run(context.Background(), env, []string{"demo", "--db", dsn}); code != 0 {
			t.Fatalf("demo #%d: exit %d, %s", i+1, code, errs)
		}
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo #%d printed %q, want %q", i+1, out, want)
		}
	}
	env, out, _ = testEnv(nil)
	run(context.Background(), env, []string{"migrate", "status", "--db", dsn})
	if strings.Contains(out.String(), "pending") || !strings.Contains(out.String(), "applied") {
		t.Errorf("status after demo = %q, want every migration applied", out)
	}
}

// loginAndGet logs in through the login form of a running server, as a
// browser does, and fetches path.
func loginAndGet(t *testing.T, base, email, password, path string) (int, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	resp, err := client.Get(base + "/logga-in")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("the login page has no form token: %s", page)
	}
	resp, err = client.PostForm(base+"/logga-in", url.Values{"email": {email}, "password": {password}, "csrf_token": {string(m[1])}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = client.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestServeOnBothEngines starts the real server with --demo on SQLite and on
// PostgreSQL, fetches the committee list, and stops it as SIGINT would.
func TestServeOnBothEngines(t *testing.T) {
	t.Parallel()
	engines := map[string]struct {
		dsn func(t *testing.T) string
		// base is GNS_BASE_URL, required on PostgreSQL; links is where
		// serve says links point.
		base, links string
	}{
		"sqlite":   {func(t *testing.T) string { return filepath.Join(t.TempDir(), "gns.db") }, "", "Links in calendar feeds and mail point to http://localhost:"},
		"postgres": {func(t *testing.T) string { return storetest.PostgresURL(t, false) }, "https://gns.example.se/", "Links in calendar feeds and mail point to https://gns.example.se\n"},
	}
	for name, engine := range engines {
		t.Run(name, func(t *testing.T) {
			db := engine.dsn(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			env, out, errs := testEnv(map[string]string{"GNS_DB": db, "GNS_ADDR": "127.0.0.1:0", "GNS_BASE_URL": engine.base, "GNS_SECRET_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="})
			done := make(chan int, 1)
			go func() { done <- run(ctx, env, []string{"serve", "--demo", "--log-format", "json"}) }()

			base := waitForURL(t, out, done)
			status, body := loginAndGet(t, base, demo.Users[0].Email, demo.Password, "/namnder")
			if status != http.StatusOK || !strings.Contains(body, "Härjedalens kommun") {
				t.Errorf("GET /namnder as the demo admin = %d, want the demo committee's parties", status)
			}
			for _, want := range []string{"listening on http://localhost:", engine.links, "Log in at /logga-in", demo.Users[0].Email} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("serve printed %q, want %q", out, want)
				}
			}
			cancel()
			select {
			case code := <-done:
				if code != 0 {
					t.Errorf("serve exited %d after shutdown: %s", code, errs)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("serve did not stop")
			}
			if !strings.Contains(errs.String(), `"msg":"stopped"`) {
				t.Errorf("log lacks the stop line: %s", errs)
			}
		})
	}
}

func waitForURL(t *testing.T, out *syncBuffer, done <-chan int) string {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		sc := bufio.NewScanner(strings.NewReader(out.String()))
		for sc.Scan() {
			if _, rest, ok := strings.Cut(sc.Text(), "listening on "); ok {
				return strings.Fields(rest)[0]
			}
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d before listening: %s", code, out)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatal("serve did not start listening")
	return ""
}

// TestGracefulShutdownFinishesRequests cancels the server while a request is
// being handled: the request must complete and serve must return cleanly.
func TestGracefulShutdownFinishesRequests(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		io.WriteString(w, "klart")
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, h, slog.New(slog.NewTextHandler(io.Discard, nil))) }()

	got := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			got <- "error: " + err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- string(b)
	}()
	<-started
	cancel()
	if body := <-got; body != "klart" {
		t.Errorf("request in flight got %q, want it to finish", body)
	}
	if err := <-done; err != nil {
		t.Errorf("serve = %v, want nil after a graceful shutdown", err)
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/"); err == nil {
		t.Error("server still accepts requests after shutdown")
	}
}
