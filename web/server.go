// Package web is GNS's HTTP interface: the Swedish HTML pages, the JSON API
// under /api/v1, health probes, and the middleware around them.
package web

import (
	"embed"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/account"
	"github.com/region-jh/gns/web/anslag"
	"github.com/region-jh/gns/web/arvode"
	"github.com/region-jh/gns/web/cases"
	"github.com/region-jh/gns/web/economy"
	"github.com/region-jh/gns/web/kit"
	"github.com/region-jh/gns/web/meetings"
	"github.com/region-jh/gns/web/minutes"
	"github.com/region-jh/gns/web/money"
	"github.com/region-jh/gns/web/openapi"
	"github.com/region-jh/gns/web/outbox"
	"github.com/region-jh/gns/web/projects"
	"github.com/region-jh/gns/web/registry"
	"github.com/region-jh/gns/web/remiss"
	"github.com/region-jh/gns/web/search"
	"github.com/region-jh/gns/web/services"
	"github.com/region-jh/gns/web/sso"
)

// Config is what the web interface needs from the program that runs it.
type Config struct {
	DB      *store.DB
	Logger  *slog.Logger
	Version string
	// SecretKey seals two-factor secrets at rest (auth.KeySize bytes).
	SecretKey []byte
	// MaxConcurrent is how many page loads are worked on at once; the rest
	// wait their turn (see admit). Zero means DefaultMaxConcurrent.
	MaxConcurrent int
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed (see ParseTrustedProxies); none when
	// empty, so that no client can choose the address the login limit and
	// the audit trail see.
	TrustedProxies []netip.Prefix
	// BaseURL is the address at which people reach GNS (see ParseBaseURL),
	// from which absolute links in feeds and mail are built; empty means
	// kit.DefaultBaseURL, for development and tests.
	BaseURL string
}

// ParseBaseURL reads the base URL setting: an absolute http or https URL
// with a host and no path, query or fragment. It returns the URL without a
// trailing slash, or an error that says what is wrong with it.
func ParseBaseURL(s string) (string, error) { return kit.ParseBaseURL(s) }

// ParseTrustedProxies reads the trusted proxies setting: IP addresses or
// CIDR ranges separated by commas. Anything else is refused with a message
// that names it.
func ParseTrustedProxies(list string) ([]netip.Prefix, error) { return kit.ParseProxies(list) }

// DefaultMaxConcurrent is two requests per core: enough that one waiting
// for the database leaves the core to another, few enough that requests do
// not crowd each other out (BenchmarkPagesUnderLoad measured 2, 4, 8 and 16
// on two cores; 4 kept the 99th percentile lowest on both engines).
func DefaultMaxConcurrent() int { return 2 * runtime.GOMAXPROCS(0) }

// Server holds the routes and what the handlers share.
type Server struct {
	*kit.Kit
	// handler is the engine behind the cross-origin protection.
	handler http.Handler
	// writable is readyz's last check that the database can be written.
	writable writeCheck
}

// New builds the server and its routes.
func New(cfg Config) (*Server, error) {
	k, err := kit.New(cfg.DB, cfg.Logger, cfg.SecretKey)
	if err != nil {
		return nil, err
	}
	if err := k.AddPages(templateFS, nil); err != nil {
		return nil, err
	}
	if err := k.TrustProxies(cfg.TrustedProxies); err != nil {
		return nil, err
	}
	if cfg.BaseURL != "" {
		if k.BaseURL, err = kit.ParseBaseURL(cfg.BaseURL); err != nil {
			return nil, fmt.Errorf("base URL: %w", err)
		}
	}
	maxConcurrent := cfg.MaxConcurrent
	if maxConcurrent <= 0 {
		maxConcurrent = DefaultMaxConcurrent()
	}
	s := &Server{Kit: k}
	s.Engine().Use(requestID(), s.logRequests(), s.recoverPanics(), securityHeaders(), admit(maxConcurrent, admitWait), s.Authenticate())
	if err := s.routes(); err != nil {
		return nil, err
	}
	// Browsers say where a request comes from; a state-changing request from
	// another site is refused before any handler runs (the form token in
	// authenticate is the second line).
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte("Begäran kom från en annan webbplats och stoppades.\n")) // a client that has gone needs no answer
	}))
	s.handler = cop.Handler(s.Engine())
	return s, nil
}

//go:embed templates/*.html
var templateFS embed.FS

// Handler returns the http.Handler serving every route.
func (s *Server) Handler() http.Handler { return s.handler }

func (s *Server) routes() error {
	r := s.Engine()
	s.Handle("GET", "/healthz", kit.Anyone, s.healthz)
	s.Handle("GET", "/readyz", kit.Anyone, s.readyz)
	s.Handle("GET", "/static/*file", kit.Anyone, kit.ServeStatic)

	s.Handle("GET", "/", kit.LoggedIn, s.startPage)

	s.Handle("GET", "/api/v1/openapi.json", kit.Anyone, func(c *gin.Context) { c.Data(http.StatusOK, "application/json", openapi.Document) })

	acc, err := account.Register(s.Kit)
	if err != nil {
		return err
	}
	if _, err := sso.Register(s.Kit, acc); err != nil {
		return err
	}

	if _, err := cases.Register(s.Kit); err != nil {
		return err
	}

	if _, err := remiss.Register(s.Kit); err != nil {
		return err
	}
	if _, err := search.Register(s.Kit); err != nil {
		return err
	}

	if _, err := money.Register(s.Kit); err != nil {
		return err
	}

	if _, err := registry.Register(s.Kit); err != nil {
		return err
	}

	mt, err := meetings.Register(s.Kit)
	if err != nil {
		return err
	}
	if _, err := minutes.Register(s.Kit, mt); err != nil {
		return err
	}
	if _, err := projects.Register(s.Kit); err != nil {
		return err
	}
	if _, err := services.Register(s.Kit); err != nil {
		return err
	}
	if _, err := economy.Register(s.Kit); err != nil {
		return err
	}

	if _, err := outbox.Register(s.Kit); err != nil {
		return err
	}

	if _, err := anslag.Register(s.Kit); err != nil {
		return err
	}

	if _, err := arvode.Register(s.Kit); err != nil {
		return err
	}

	r.NoRoute(func(c *gin.Context) { s.Fail(c, kit.ErrNotFound) })
	r.NoMethod(func(c *gin.Context) { s.Fail(c, kit.ErrMethodNotAllowed) })
	return nil
}
