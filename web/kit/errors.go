package kit

import (
	"context"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
)

var (
	ErrNotFound         = domain.Errorf(domain.ENOTFOUND, "Sidan finns inte.")
	ErrMethodNotAllowed = domain.Errorf(domain.EINVALID, "Metoden är inte tillåten för den här adressen.")
)

// StatusClientClosed is the status a request is logged with when its client
// went away before the answer (nginx's 499): no one receives it.
const StatusClientClosed = 499

// RetryAfter is the Retry-After of a 503, in seconds: about how long a
// PostgreSQL restart takes.
const RetryAfter = "5"

// StatusOf maps an error code to its HTTP status. It is the only place that
// does so.
func StatusOf(code string) int {
	switch code {
	case domain.EINVALID:
		return http.StatusBadRequest
	case domain.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case domain.EFORBIDDEN:
		return http.StatusForbidden
	case domain.ENOTFOUND:
		return http.StatusNotFound
	case domain.ECONFLICT:
		return http.StatusConflict
	case domain.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Fail answers a request with err: a JSON error for the API, an HTML page
// otherwise. Internal errors are logged with their text and shown to the user
// only as a generic message. An unavailable database (domain.EUNAVAILABLE) is
// logged with the driver's error behind it and answered 503 with Retry-After,
// so clients and people try again instead of taking it for a fault.
//
// A request whose client has gone (closed the connection, pressed stop, a
// load test ending) is no failure of the server, whatever error the work
// cut short gave: it is logged at info level as a disconnect and gets
// StatusClientClosed, which only the request log sees.
func (s *Kit) Fail(c *gin.Context, err error) {
	if ctx := c.Request.Context(); errors.Is(ctx.Err(), context.Canceled) {
		s.Log.InfoContext(ctx, "client disconnected", "request_id", c.GetString(RequestIDKey), "error", err)
		c.AbortWithStatus(StatusClientClosed)
		return
	}
	code := domain.ErrorCode(err)
	status := StatusOf(code)
	if err == ErrMethodNotAllowed {
		status = http.StatusMethodNotAllowed
	}
	switch code {
	case domain.EINTERNAL:
		s.Log.ErrorContext(c.Request.Context(), "request failed", "request_id", c.GetString(RequestIDKey), "error", err)
	case domain.EUNAVAILABLE:
		s.Log.WarnContext(c.Request.Context(), "database unavailable", "request_id", c.GetString(RequestIDKey), "error", err)
	}
	if status == http.StatusServiceUnavailable {
		c.Header("Retry-After", RetryAfter)
	}
	msg := domain.ErrorMessage(err)
	if IsAPI(c) {
		body := gin.H{"code": code, "message": msg}
		var e *domain.Error
		if errors.As(err, &e) && e.Field != "" {
			body["fields"] = gin.H{e.Field: e.Message}
		}
		c.AbortWithStatusJSON(status, gin.H{"error": body})
		return
	}
	c.Abort()
	s.Render(c, status, "error", errorTitle(status), ErrorPage{Status: status, Message: msg})
}

// errorTitle is the Swedish heading of an error page.
func errorTitle(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "Felaktig begäran"
	case http.StatusUnauthorized:
		return "Inte inloggad"
	case http.StatusForbidden:
		return "Ingen behörighet"
	case http.StatusNotFound:
		return "Sidan finns inte"
	case http.StatusMethodNotAllowed:
		return "Metoden är inte tillåten"
	case http.StatusConflict:
		return "Det gick inte"
	case http.StatusTooManyRequests:
		return "För många försök"
	case http.StatusServiceUnavailable:
		return "Försök igen om en stund"
	}
	return "Något gick fel"
}

type ErrorPage struct {
	Status  int
	Message string
}

// StateConflict reports whether err is a conflict with the state of what is
// changed (a cancelled meeting, approved minutes, a withdrawn item) rather
// than with one field of a form: such an error answers the request on its
// own page instead of showing the form again. (The minutes' pages use it.)
func StateConflict(err error) bool {
	var e *domain.Error
	return errors.As(err, &e) && e.Code == domain.ECONFLICT && e.Field == ""
}
