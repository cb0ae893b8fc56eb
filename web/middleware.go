package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"regexp"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/web/kit"
)

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID gives every request an id, taken from X-Request-ID when a proxy
// sent a sane one, and returns it in the response.
func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader("X-Request-ID")
		if !validRequestID.MatchString(id) {
			b := make([]byte, 8)
			rand.Read(b)
			id = hex.EncodeToString(b)
		}
		c.Set(kit.RequestIDKey, id)
		c.Header("X-Request-ID", id)
		c.Next()
	}
}

// logRequests writes one line per request: method, route, path, status,
// duration and request id. Query strings and bodies are never logged.
func (s *Server) logRequests() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		s.Log.InfoContext(c.Request.Context(), "request",
			"method", c.Request.Method,
			"route", route,
			"path", c.Request.URL.Path,
			"status", c.Writer.Status(),
			"duration_ms", float64(time.Since(start).Microseconds())/1000,
			"request_id", c.GetString(kit.RequestIDKey),
		)
	}
}

// recoverPanics turns a panic in a handler into a plain 500 that shows nothing
// of the program's insides; the panic and its stack go to the log.
func (s *Server) recoverPanics() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if err, ok := p.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(p) // the client went away; let net/http handle it
			}
			s.Log.ErrorContext(c.Request.Context(), "panic", "request_id", c.GetString(kit.RequestIDKey),
				"panic", p, "stack", string(debug.Stack()))
			if !c.Writer.Written() {
				c.Header("Content-Type", "text/plain; charset=utf-8")
				c.String(http.StatusInternalServerError, "Internt serverfel. Försök igen eller kontakta systemadministratören.\n")
			}
			c.Abort()
		}()
		c.Next()
	}
}

// securityHeaders sets the headers every response carries: a content security
// policy without inline script, no MIME sniffing, no framing, a strict
// referrer policy, and HSTS when served over TLS.
func securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		if kit.Secure(c) {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		c.Next()
	}
}

// admitWait is how long a request waits for its turn before the server
// answers 503: long enough to ride out a burst, short enough that a person
// sees an answer instead of a hanging page.
const admitWait = 10 * time.Second

// overloaded is the answer to a request that waited admitWait in vain.
const overloaded = "Servern har för mycket att göra just nu. Försök igen om en stund."

// admit bounds how many requests the server works on at once and lets the
// rest wait their turn in arrival order. Without it, a burst of requests all
// compete for the two cores and the database at once; Go's scheduler does not
// share the CPU evenly between them, so a few requests wait far longer than
// the rest (the 99th percentile of the load benchmark was ten times its
// median). Waiting in a queue instead keeps every request's time close to the
// average. A request that waits longer than wait gets 503 with Retry-After.
//
// Only reads queue (GET, HEAD, OPTIONS): the pages people load over and over.
// A request with a body (a form, an upload) goes straight on, because it
// would hold its slot while the body arrives at the client's pace, and one
// slow upload would then hold up everyone's pages; such requests are few.
// The liveness probe is never queued either.
func admit(limit int, wait time.Duration) gin.HandlerFunc {
	slots := make(chan struct{}, limit)
	return func(c *gin.Context) {
		if !kit.SafeMethod(c.Request.Method) || c.Request.URL.Path == "/healthz" {
			c.Next()
			return
		}
		select {
		case slots <- struct{}{}:
		default:
			// Blocked senders on a channel are woken first come, first
			// served: the queue is fair.
			t := time.NewTimer(wait)
			defer t.Stop()
			select {
			case slots <- struct{}{}:
			case <-t.C:
				c.Header("Retry-After", kit.RetryAfter)
				if kit.IsAPI(c) {
					c.AbortWithStatusJSON(http.StatusServiceUnavailable, gin.H{"error": gin.H{"code": domain.EUNAVAILABLE, "message": overloaded}})
				} else {
					// A plain page: rendering the usual error page would
					// ask the database, which is what is overloaded.
					c.Header("Content-Type", "text/html; charset=utf-8")
					c.AbortWithStatus(http.StatusServiceUnavailable)
					_, _ = c.Writer.WriteString(overloadedPage) // a client that has gone needs no page
				}
				return
			case <-c.Request.Context().Done():
				c.AbortWithStatus(kit.StatusClientClosed) // the client gave up
				return
			}
		}
		defer func() { <-slots }()
		c.Next()
	}
}

// overloadedPage is the whole page a browser gets when the server is
// overloaded: static, so that showing it costs nothing.
const overloadedPage = `<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Försök igen om en stund – GNS</title><link rel="stylesheet" href="/static/gns.css"></head>
<body><main id="main"><h1>Försök igen om en stund</h1><p>` + overloaded + `</p></main></body></html>
`
