// Package web is GNS's HTTP interface: the Swedish HTML pages, the JSON API
// under /api/v1, health probes, and the middleware around them.
package web

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/store"
)

// Config is what the web interface needs from the program that runs it.
type Config struct {
	DB      *store.DB
	Logger  *slog.Logger
	Version string
}

// Server holds the routes and what the handlers share.
type Server struct {
	db     *store.DB
	log    *slog.Logger
	pages  *pages
	engine *gin.Engine
}

func init() { gin.SetMode(gin.ReleaseMode) }

// New builds the server and its routes.
func New(cfg Config) (*Server, error) {
	p, err := loadPages()
	if err != nil {
		return nil, err
	}
	s := &Server{db: cfg.DB, log: cfg.Logger, pages: p, engine: gin.New()}
	s.engine.HandleMethodNotAllowed = true
	s.engine.Use(requestID(), s.logRequests(), s.recoverPanics(), securityHeaders())
	s.routes()
	return s, nil
}

// Handler returns the http.Handler serving every route.
func (s *Server) Handler() http.Handler { return s.engine }

func (s *Server) routes() {
	r := s.engine
	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/static/*file", serveStatic)
	r.GET("/", s.committeesPage)
	r.NoRoute(func(c *gin.Context) { s.fail(c, errNotFound) })
	r.NoMethod(func(c *gin.Context) { s.fail(c, errMethodNotAllowed) })
}
