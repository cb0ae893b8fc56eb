package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
	"github.com/region-jh/gns/web/kit"
)

// admitted serves paths through admit(limit, wait) with handlers that hold
// their slot until release is closed, recording the order they start in.
type admitted struct {
	engine  *gin.Engine
	release chan struct{}
	mu      sync.Mutex
	started []string
}

func newAdmitted(limit int, wait time.Duration) *admitted {
	a := &admitted{engine: gin.New(), release: make(chan struct{})}
	a.engine.Use(admit(limit, wait))
	hold := func(c *gin.Context) {
		a.mu.Lock()
		a.started = append(a.started, c.Request.URL.Path)
		a.mu.Unlock()
		<-a.release
		c.String(http.StatusOK, "ok")
	}
	a.engine.GET("/p/:n", hold)
	a.engine.GET("/api/v1/p", hold)
	a.engine.GET("/healthz", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	a.engine.POST("/p/:n", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	return a
}

func (a *admitted) get(path string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	a.engine.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	return w
}

func (a *admitted) waitStarted(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		a.mu.Lock()
		got := len(a.started)
		a.mu.Unlock()
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d requests started, want %d", got, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestAdmitServesInArrivalOrder: with one slot, queued requests are served
// first come, first served, and none is refused while it waits in time.
func TestAdmitServesInArrivalOrder(t *testing.T) {
	t.Parallel()
	a := newAdmitted(1, time.Minute)
	var wg sync.WaitGroup
	codes := make([]int, 6)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = a.get("/p/" + string(rune('a'+i))).Code
		}()
		if i == 0 {
			a.waitStarted(t, 1)
		} else {
			time.Sleep(20 * time.Millisecond) // let request i join the queue before i+1
		}
	}
	if h := a.get("/healthz"); h.Code != http.StatusOK {
		t.Errorf("the liveness probe waited in the queue: %d", h.Code)
	}
	// A form sent goes straight on: its body may arrive slowly.
	post := httptest.NewRecorder()
	a.engine.ServeHTTP(post, httptest.NewRequest(http.MethodPost, "/p/form", strings.NewReader("a=1")))
	if post.Code != http.StatusOK {
		t.Errorf("a POST waited in the queue: %d", post.Code)
	}
	close(a.release)
	wg.Wait()
	if got := strings.Join(a.started, " "); got != "/p/a /p/b /p/c /p/d /p/e /p/f" {
		t.Errorf("served in the order %s, want arrival order", got)
	}
	for i, c := range codes {
		if c != http.StatusOK {
			t.Errorf("request %d = %d, want 200", i, c)
		}
	}
}

// TestAdmitRefusesAfterWaiting: a request that cannot start within the wait
// gets 503 with Retry-After and a Swedish message (JSON from the API), and its
// handler never runs.
func TestAdmitRefusesAfterWaiting(t *testing.T) {
	t.Parallel()
	a := newAdmitted(1, 30*time.Millisecond)
	done := make(chan int)
	go func() { done <- a.get("/p/first").Code }()
	a.waitStarted(t, 1)

	page := a.get("/p/second")
	if page.Code != http.StatusServiceUnavailable || page.Header().Get("Retry-After") == "" ||
		!strings.Contains(page.Body.String(), "Försök igen om en stund") || !strings.Contains(page.Header().Get("Content-Type"), "text/html") {
		t.Errorf("page while full = %d %q %q", page.Code, page.Header(), page.Body)
	}
	api := a.get("/api/v1/p")
	if api.Code != http.StatusServiceUnavailable || !strings.Contains(api.Body.String(), `"code":"unavailable"`) {
		t.Errorf("API while full = %d %s", api.Code, api.Body)
	}
	close(a.release)
	if code := <-done; code != http.StatusOK {
		t.Errorf("the admitted request = %d", code)
	}
	if len(a.started) != 1 {
		t.Errorf("handlers run: %v, want only the first", a.started)
	}
	if w := a.get("/p/third"); w.Code != http.StatusOK {
		t.Errorf("after the queue emptied = %d, want 200", w.Code)
	}
}

// A client that goes away before its answer (the end of every load run) is
// logged as a disconnect at info level, with the status 499, not as a 500
// "request failed" at error level: nothing failed in the server.
func TestDisconnectedClientIsNoFailure(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, logs := newTestServer(t, db)
		newUser(t, db, "revisor@example.se", domain.RoleGrant{Role: domain.RoleAuditor}, true)
		token := tokenFor(t, db, "revisor@example.se")
		b := newBrowser(t, s.Handler())
		b.login("revisor@example.se", testPassword)
		gone, cancel := context.WithCancel(context.Background())
		cancel()
		b.do(httptest.NewRequest(http.MethodGet, "/granskning", nil).WithContext(gone))
		api := httptest.NewRequest(http.MethodGet, "/api/v1/audit", nil).WithContext(gone)
		api.Header.Set("Authorization", "Bearer "+token)
		s.Handler().ServeHTTP(httptest.NewRecorder(), api)
		if _, ok := b.cookies[kit.SessionCookie]; !ok {
			t.Error("the session cookie was cleared for a request whose client had gone")
		}
		var disconnects int
		for line := range strings.Lines(logs.String()) {
			var entry struct {
				Level, Msg, Route string
				Status            int
			}
			if err := json.Unmarshal([]byte(line), &entry); err != nil {
				t.Fatalf("log line %q: %v", line, err)
			}
			if entry.Level == "ERROR" || entry.Status == http.StatusInternalServerError {
				t.Errorf("a disconnect was logged as a failure: %s", line)
			}
			if entry.Msg == "client disconnected" && entry.Level == "INFO" {
				disconnects++
			}
			if (entry.Route == "/granskning" || entry.Route == "/api/v1/audit") && entry.Status != kit.StatusClientClosed {
				t.Errorf("request logged with status %d, want %d: %s", entry.Status, kit.StatusClientClosed, line)
			}
		}
		if disconnects != 2 {
			t.Errorf("%d disconnects logged, want 2:\n%s", disconnects, logs)
		}
	})
}
