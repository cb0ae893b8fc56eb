package web

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
)

var (
	errNotFound         = domain.Errorf(domain.ENOTFOUND, "Sidan finns inte.")
	errMethodNotAllowed = domain.Errorf(domain.EINVALID, "Metoden är inte tillåten för den här adressen.")
)

// statusOf maps an error code to its HTTP status. It is the only place that
// does so.
func statusOf(code string) int {
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
	}
	return http.StatusInternalServerError
}

// fail answers a request with err: a JSON error for the API, an HTML page
// otherwise. Internal errors are logged with their text and shown to the user
// only as a generic message.
func (s *Server) fail(c *gin.Context, err error) {
	code := domain.ErrorCode(err)
	status := statusOf(code)
	if err == errMethodNotAllowed {
		status = http.StatusMethodNotAllowed
	}
	if code == domain.EINTERNAL {
		s.log.ErrorContext(c.Request.Context(), "request failed", "request_id", c.GetString(requestIDKey), "error", err)
	}
	msg := domain.ErrorMessage(err)
	if isAPI(c) {
		body := gin.H{"code": code, "message": msg}
		var e *domain.Error
		if errors.As(err, &e) && e.Field != "" {
			body["fields"] = gin.H{e.Field: e.Message}
		}
		c.AbortWithStatusJSON(status, gin.H{"error": body})
		return
	}
	c.Abort()
	s.render(c, status, "error", errorTitle(status), errorPage{Status: status, Message: msg})
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
	}
	return "Något gick fel"
}

type errorPage struct {
	Status  int
	Message string
}
