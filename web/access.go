package web

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
)

// access is what a route needs of the one asking. Every route declares one
// when it is registered (Server.handle); a route without one does not exist.
type access struct {
	// public routes answer anyone, logged in or not.
	public bool
	// partial routes also answer a user who has given the password but not
	// yet the second factor (the two-factor step, enrolment, logout).
	partial bool
	// roles, when set, are the roles of which the user needs one; empty means
	// any logged-in user.
	roles []domain.Role
}

// The access rules routes are registered with.
var (
	anyone       = access{public: true}
	loggedIn     = access{}
	passwordStep = access{partial: true}
	adminOnly    = access{roles: []domain.Role{domain.RoleAdmin}}
	auditReaders = access{roles: []domain.Role{domain.RoleAdmin, domain.RoleAuditor}}
)

// allows reports whether the rule lets u in; u is nil for someone not logged in.
func (a access) allows(u *domain.User) bool {
	if a.public {
		return true
	}
	if u == nil {
		return false
	}
	return len(a.roles) == 0 || u.HasAny(a.roles...)
}

// Session lifetimes: a session ends after an hour without use, and in any case
// twelve hours after login.
const (
	sessionIdle     = time.Hour
	sessionLifetime = 12 * time.Hour
	// touchEvery limits how often a session's last use is written.
	touchEvery = time.Minute
)

// Cookie and context names.
const (
	sessionCookie = "gns_session"
	csrfCookie    = "gns_csrf" // the form token before login
	flashCookie   = "gns_flash"
	csrfField     = "csrf_token"
	csrfHeader    = "X-CSRF-Token"

	userKey    = "gns.user"
	sessionKey = "gns.session"
	viaToken   = "gns.via_token"
)

// handle registers a route with its access rule.
func (s *Server) handle(method, path string, a access, h ...gin.HandlerFunc) {
	s.rules[method+" "+path] = a
	s.engine.Handle(method, path, append([]gin.HandlerFunc{s.authorize(a)}, h...)...)
}

// currentUser returns the logged-in user, or nil.
func currentUser(c *gin.Context) *domain.User {
	if u, ok := c.Get(userKey); ok {
		return u.(*domain.User)
	}
	return nil
}

// currentSession returns the browser session, or nil (not logged in, or a
// request with an API token).
func currentSession(c *gin.Context) *domain.Session {
	if s, ok := c.Get(sessionKey); ok {
		return s.(*domain.Session)
	}
	return nil
}

// isAPI reports whether the request is for the JSON API.
func isAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/api/") }

// authenticate finds out who is asking, from a bearer token or the session
// cookie, puts the user and the actor for the audit trail in the request, and
// checks the form token of every state-changing request made with a cookie.
func (s *Server) authenticate() gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		actor := domain.Actor{Label: "anonym", RemoteAddr: c.ClientIP(), RequestID: c.GetString(requestIDKey)}
		if h := c.GetHeader("Authorization"); h != "" {
			u, err := s.userFromToken(c, h)
			if err != nil {
				c.Header("WWW-Authenticate", `Bearer realm="gns"`)
				s.fail(c, err)
				return
			}
			c.Set(userKey, u)
			c.Set(viaToken, true)
			actor.UserID, actor.Label = u.ID, u.Email
		} else if u, sess := s.userFromSession(c); u != nil {
			c.Set(userKey, u)
			c.Set(sessionKey, sess)
			actor.UserID, actor.Label = u.ID, u.Email
		}
		c.Request = c.Request.WithContext(domain.WithActor(ctx, actor))
		if !safeMethod(c.Request.Method) && !s.limitBody(c) {
			return
		}
		// Requests for no route get their 404 or 405 whatever their token.
		if c.FullPath() != "" && !safeMethod(c.Request.Method) && !c.GetBool(viaToken) && !s.validCSRF(c) {
			s.fail(c, domain.Errorf(domain.EFORBIDDEN, "Formuläret har gått ut eller kom inte från GNS. Ladda om sidan och försök igen."))
			return
		}
		c.Next()
	}
}

// maxRequestBody bounds every request body, uploads included, before any of
// it is read (the form token check below reads the form). Handlers set
// tighter limits of their own, e.g. 20 MB for a case document.
const maxRequestBody = 32 << 20

// limitBody refuses a body larger than maxRequestBody with 413 and bounds the
// reading of any other, so no request can fill memory or disk.
func (s *Server) limitBody(c *gin.Context) bool {
	if c.Request.ContentLength > maxRequestBody {
		msg := "Begäran är för stor: en fil eller ett formulär får vara högst 32 MB."
		if isAPI(c) {
			c.AbortWithStatusJSON(http.StatusRequestEntityTooLarge, gin.H{"error": gin.H{"code": domain.EINVALID, "message": msg}})
		} else {
			c.Abort()
			s.render(c, http.StatusRequestEntityTooLarge, "error", "För stor begäran", errorPage{Status: http.StatusRequestEntityTooLarge, Message: msg})
		}
		return false
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxRequestBody)
	return true
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

var errBadToken = domain.Errorf(domain.EUNAUTHORIZED, "API-nyckeln är ogiltig, har gått ut eller har återkallats.")

// userFromToken authenticates an API request and records the token's use.
func (s *Server) userFromToken(c *gin.Context, header string) (*domain.User, error) {
	token, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || token == "" {
		return nil, domain.Errorf(domain.EUNAUTHORIZED, "Ange API-nyckeln som \"Authorization: Bearer <nyckel>\".")
	}
	ctx := c.Request.Context()
	t, err := s.db.Conn().APITokenByHash(ctx, auth.HashToken(strings.TrimSpace(token)))
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, errBadToken
	}
	if err != nil {
		return nil, err
	}
	if !t.Active(time.Now()) {
		return nil, errBadToken
	}
	u, err := s.db.Conn().UserByID(ctx, t.UserID)
	if err != nil {
		return nil, err
	}
	if u.Disabled() {
		return nil, errBadToken
	}
	actorCtx := domain.WithActor(ctx, domain.Actor{UserID: u.ID, Label: u.Email, RemoteAddr: c.ClientIP(), RequestID: c.GetString(requestIDKey)})
	err = s.db.InTx(actorCtx, func(tx *store.Conn) error {
		return tx.RecordAPITokenUse(actorCtx, t.ID, c.Request.Method, c.Request.URL.Path)
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// userFromSession returns the user of a live session cookie, ending the
// session when it has expired or its user is disabled.
func (s *Server) userFromSession(c *gin.Context) (*domain.User, *domain.Session) {
	token, err := c.Cookie(sessionCookie)
	if err != nil || token == "" {
		return nil, nil
	}
	ctx := c.Request.Context()
	conn := s.db.Conn()
	sess, u, err := conn.SessionUser(ctx, auth.HashToken(token))
	if err != nil {
		if domain.ErrorCode(err) != domain.ENOTFOUND {
			s.log.ErrorContext(ctx, "read session", "error", err)
		}
		s.clearCookie(c, sessionCookie)
		return nil, nil
	}
	t := time.Now()
	if !t.Before(sess.ExpiresAt) || t.Sub(sess.LastSeenAt) >= sessionIdle {
		conn.EndSession(ctx, sess.ID)
		s.clearCookie(c, sessionCookie)
		s.setFlash(c, "Du har loggats ut eftersom sessionen gick ut. Logga in igen.")
		return nil, nil
	}
	if u.Disabled() {
		conn.EndSession(ctx, sess.ID)
		s.clearCookie(c, sessionCookie)
		return nil, nil
	}
	if t.Sub(sess.LastSeenAt) >= touchEvery {
		if err := conn.TouchSession(ctx, sess.ID); err != nil {
			s.log.ErrorContext(ctx, "touch session", "error", err)
		}
	}
	return &u, &sess
}

// authorize enforces a route's access rule: someone not logged in goes to the
// login page (or gets 401 from the API), a user half-way through login goes to
// the two-factor step, and a user without the role gets 403.
func (s *Server) authorize(a access) gin.HandlerFunc {
	return func(c *gin.Context) {
		u := currentUser(c)
		sess := currentSession(c)
		if a.public {
			c.Next()
			return
		}
		if u == nil {
			if isAPI(c) {
				s.fail(c, domain.Errorf(domain.EUNAUTHORIZED, "Logga in eller ange en API-nyckel."))
				return
			}
			target := "/logga-in"
			if c.Request.Method == http.MethodGet {
				target += "?till=" + url.QueryEscape(c.Request.URL.RequestURI())
			}
			c.Redirect(http.StatusSeeOther, target)
			c.Abort()
			return
		}
		if sess != nil && !sess.MFADone && !a.partial {
			c.Redirect(http.StatusSeeOther, s.secondStep(c, u))
			c.Abort()
			return
		}
		if !a.allows(u) {
			s.fail(c, domain.Errorf(domain.EFORBIDDEN, "Du har inte behörighet till den här sidan."))
			return
		}
		c.Next()
	}
}

// secondStep is where a user who has given the password goes next: the code
// step when enrolled, enrolment otherwise.
func (s *Server) secondStep(_ *gin.Context, u *domain.User) string {
	if u.TOTPEnabled {
		return "/logga-in/tvafaktor"
	}
	return "/konto/tvafaktor"
}

// csrfToken returns the form token for the page being rendered: the session's
// when logged in, otherwise a random one kept in a cookie (for the login form).
func (s *Server) csrfToken(c *gin.Context) string {
	if sess := currentSession(c); sess != nil {
		return sess.CSRFToken
	}
	if v, ok := c.Get(csrfCookie); ok {
		return v.(string)
	}
	if v, err := c.Cookie(csrfCookie); err == nil && len(v) >= 32 {
		return v
	}
	token, _ := auth.NewToken("")
	s.setCookie(c, csrfCookie, token, 0)
	c.Set(csrfCookie, token)
	return token
}

// validCSRF checks the form token of a state-changing request against the
// session's (or, before login, the cookie's).
func (s *Server) validCSRF(c *gin.Context) bool {
	got := c.GetHeader(csrfHeader)
	if got == "" {
		got = c.PostForm(csrfField)
	}
	var want string
	if sess := currentSession(c); sess != nil {
		want = sess.CSRFToken
	} else if v, err := c.Cookie(csrfCookie); err == nil {
		want = v
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// secure reports whether the request came over TLS, directly or through a
// proxy that says so.
func secure(c *gin.Context) bool {
	return c.Request.TLS != nil || strings.EqualFold(c.GetHeader("X-Forwarded-Proto"), "https")
}

// setCookie sets an HttpOnly, SameSite=Lax cookie for the whole site, Secure
// when served over TLS. maxAge 0 makes a browser-session cookie.
func (s *Server) setCookie(c *gin.Context, name, value string, maxAge time.Duration) {
	ck := &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secure(c)}
	if maxAge > 0 {
		ck.MaxAge = int(maxAge.Seconds())
	}
	http.SetCookie(c.Writer, ck)
}

func (s *Server) clearCookie(c *gin.Context, name string) {
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secure(c)})
}

// committeeFor reads the :code of a committee route and checks that the user
// holds one of the roles in it; a committee the user has no part in is "not
// found".
func (s *Server) committeeFor(c *gin.Context, roles []domain.Role) (domain.Committee, bool) {
	cm, err := s.db.Conn().CommitteeByCode(c.Request.Context(), c.Param("code"))
	if err == nil && !currentUser(c).HasIn(cm.ID, roles...) {
		if currentUser(c).InCommittee(cm.ID) {
			err = domain.Errorf(domain.EFORBIDDEN, "Din roll i nämnden ger inte behörighet till den här sidan.")
		} else {
			err = domain.Errorf(domain.ENOTFOUND, "Nämnden finns inte.")
		}
	}
	if err != nil {
		s.fail(c, err)
		return domain.Committee{}, false
	}
	return cm, true
}
