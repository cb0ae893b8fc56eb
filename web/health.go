package web

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/region-jh/gns/web/kit"
)

// healthz answers as long as the process serves requests.
func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// writeCheckEvery is how often readyz checks that the database can be
// written; in between, probes get the last answer. A write, even one rolled
// back, is more than a probe every second should cost.
const writeCheckEvery = 10 * time.Second

// writeCheck remembers the last check that the database can be written.
type writeCheck struct {
	mu  sync.Mutex
	at  time.Time
	err error
}

// run returns the last result when it is recent, and checks again otherwise.
func (w *writeCheck) run(ctx context.Context, check func(context.Context) error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.at.IsZero() && time.Since(w.at) < writeCheckEvery {
		return w.err
	}
	err := check(ctx)
	if ctx.Err() != nil {
		return err // cut short by the probe's own deadline: not an answer to keep
	}
	w.err, w.at = err, time.Now()
	return err
}

// readyz answers 200 when the database answers and can be written, 503 with
// Retry-After and a reason when not: a database that answers reads but
// cannot take a write (a full disk, a read-only file or standby) fails every
// change, login and API call, so the instance is not ready for them.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := s.DB.Ping(ctx); err != nil {
		s.Log.WarnContext(ctx, "not ready", "error", err)
		c.Header("Retry-After", kit.RetryAfter)
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "reason": "database not reachable"})
		return
	}
	if err := s.writable.run(ctx, s.DB.CheckWritable); err != nil {
		s.Log.WarnContext(ctx, "not ready", "error", err)
		c.Header("Retry-After", kit.RetryAfter)
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "reason": "database cannot be written"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}
