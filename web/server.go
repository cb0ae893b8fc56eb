// Package web is GNS's HTTP interface: the Swedish HTML pages, the JSON API
// under /api/v1, health probes, and the middleware around them.
package web

import (
	"html/template"
	"log/slog"
	"net/http"
	"runtime"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/openapi"
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
}

// DefaultMaxConcurrent is two requests per core: enough that one waiting
// for the database leaves the core to another, few enough that requests do
// not crowd each other out (BenchmarkPagesUnderLoad measured 2, 4, 8 and 16
// on two cores; 4 kept the 99th percentile lowest on both engines).
func DefaultMaxConcurrent() int { return 2 * runtime.GOMAXPROCS(0) }

// Server holds the routes and what the handlers share.
type Server struct {
	db     *store.DB
	log    *slog.Logger
	pages  *pages
	engine *gin.Engine
	// handler is the engine behind the cross-origin protection.
	handler http.Handler
	sealer  *auth.Sealer
	limiter *loginLimiter
	// rules holds the access rule of every route, by "METHOD /path".
	rules map[string]access
	// fragments caches rendered views of things that never change.
	fragments *immutableCache[string, []template.HTML]
	// allocationStats caches what explains the shares of saved allocations.
	allocationStats *immutableCache[int64, store.AllocationStats]
	// charts caches drawings by the figures they show.
	charts *immutableCache[string, template.HTML]
	// demo remembers, for the banner, whether demo users can log in.
	demo demoBanner
}

func init() { gin.SetMode(gin.ReleaseMode) }

// New builds the server and its routes.
func New(cfg Config) (*Server, error) {
	p, err := loadPages()
	if err != nil {
		return nil, err
	}
	sealer, err := auth.NewSealer(cfg.SecretKey)
	if err != nil {
		return nil, err
	}
	maxConcurrent := cfg.MaxConcurrent
	if maxConcurrent <= 0 {
		maxConcurrent = DefaultMaxConcurrent()
	}
	s := &Server{db: cfg.DB, log: cfg.Logger, pages: p, engine: gin.New(), sealer: sealer,
		limiter: newLoginLimiter(), rules: map[string]access{}, fragments: newImmutableCache[string, []template.HTML](2000),
		allocationStats: newImmutableCache[int64, store.AllocationStats](10000),
		charts:          newImmutableCache[string, template.HTML](2000)}
	s.engine.HandleMethodNotAllowed = true
	s.engine.Use(requestID(), s.logRequests(), s.recoverPanics(), securityHeaders(), admit(maxConcurrent, admitWait), s.authenticate())
	s.routes()
	// Browsers say where a request comes from; a state-changing request from
	// another site is refused before any handler runs (the form token in
	// authenticate is the second line).
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte("Begäran kom från en annan webbplats och stoppades.\n"))
	}))
	s.handler = cop.Handler(s.engine)
	return s, nil
}

// Handler returns the http.Handler serving every route.
func (s *Server) Handler() http.Handler { return s.handler }

func (s *Server) routes() {
	r := s.engine
	s.handle("GET", "/healthz", anyone, s.healthz)
	s.handle("GET", "/readyz", anyone, s.readyz)
	s.handle("GET", "/static/*file", anyone, serveStatic)

	s.handle("GET", "/logga-in", anyone, s.loginForm)
	s.handle("POST", "/logga-in", anyone, s.login)
	s.handle("GET", "/logga-in/tvafaktor", passwordStep, s.secondFactorForm)
	s.handle("POST", "/logga-in/tvafaktor", passwordStep, s.secondFactor)
	s.handle("POST", "/logga-ut", passwordStep, s.logout)
	s.handle("POST", "/logga-ut-overallt", loggedIn, s.logoutEverywhere)

	s.handle("GET", "/", loggedIn, s.startPage)
	s.handle("GET", "/sok", loggedIn, s.search)

	s.handle("GET", "/konto", loggedIn, s.accountPage)
	s.handle("POST", "/konto/losenord", loggedIn, s.changePassword)
	s.handle("GET", "/konto/tvafaktor", passwordStep, s.enrolForm)
	s.handle("POST", "/konto/tvafaktor", passwordStep, s.enrol)
	s.handle("POST", "/konto/nycklar", loggedIn, s.createToken)
	s.handle("GET", "/konto/nycklar/:id/aterkalla", loggedIn, s.confirmRevokeToken)
	s.handle("POST", "/konto/nycklar/:id/aterkalla", loggedIn, s.revokeToken)

	s.handle("GET", "/admin/anvandare", adminOnly, s.usersPage)
	s.handle("GET", "/admin/anvandare/ny", adminOnly, s.newUserForm)
	s.handle("POST", "/admin/anvandare", adminOnly, s.createUser)
	s.handle("GET", "/admin/anvandare/:id", adminOnly, s.userPage)
	s.handle("POST", "/admin/anvandare/:id/roller", adminOnly, s.grantRole)
	s.handle("POST", "/admin/anvandare/:id/roller/:grant/ta-bort", adminOnly, s.revokeRole)
	s.handle("POST", "/admin/anvandare/:id/inaktivera", adminOnly, s.setDisabled(true))
	s.handle("POST", "/admin/anvandare/:id/aktivera", adminOnly, s.setDisabled(false))
	s.handle("GET", "/admin/anvandare/:id/aterstall-tvafaktor", adminOnly, s.confirmResetTOTP)
	s.handle("POST", "/admin/anvandare/:id/aterstall-tvafaktor", adminOnly, s.resetTOTP)
	s.handle("GET", "/admin/anvandare/:id/nytt-losenord", adminOnly, s.confirmNewPassword)
	s.handle("POST", "/admin/anvandare/:id/nytt-losenord", adminOnly, s.newPassword)
	s.handle("GET", "/admin/tvafaktor", adminOnly, s.mfaSettings)
	s.handle("POST", "/admin/tvafaktor", adminOnly, s.saveMFASettings)

	s.handle("GET", "/granskning", auditReaders, s.auditTrailPage)

	s.handle("GET", "/api/v1/me", loggedIn, s.apiMe)
	s.handle("GET", "/api/v1/audit", auditReaders, s.apiAudit)
	s.handle("GET", "/api/v1/openapi.json", anyone, func(c *gin.Context) { c.Data(http.StatusOK, "application/json", openapi.Document) })

	s.caseRoutes()

	s.allocationRoutes()
	s.shareRoutes()
	s.invoiceRoutes()

	s.registryRoutes()

	s.meetingRoutes()

	s.minutesRoutes()

	s.economyRoutes()

	r.NoRoute(func(c *gin.Context) { s.fail(c, errNotFound) })
	r.NoMethod(func(c *gin.Context) { s.fail(c, errMethodNotAllowed) })
}
