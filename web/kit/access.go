package kit

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
)

// Access is what a route needs of the one asking. Every route declares one
// when it is registered (Kit.Handle); a route without one does not exist.
type Access struct {
	// public routes answer anyone, logged in or not.
	public bool
	// partial routes also answer a user who has given the password but not
	// yet the second factor (the two-factor step, enrolment, logout).
	partial bool
	// roles, when set, are the roles of which the user needs one; empty means
	// any logged-in user.
	roles []domain.Role
	// session routes need a person logged in with a browser session; a
	// request with an API token is refused (see SessionOnly).
	session bool
}

// The access rules routes are registered with.
var (
	Anyone       = Access{public: true}
	LoggedIn     = Access{}
	PasswordStep = Access{partial: true}
	AdminOnly    = Roles(domain.RoleAdmin)
	AuditReaders = Roles(domain.RoleAdmin, domain.RoleAuditor)
)

// SessionOnly is the rule a, for a browser session only: a request with an
// API token is refused with 403 (in JSON, since a program sent it). The
// routes that make or manage credentials (API tokens, the password, two
// factors, logging out everywhere, a user's password set by the admin) use
// it, so that a token cannot give itself a successor that outlives its
// revocation, nor lock its owner out.
func (a Access) SessionOnly() Access {
	a.session = true
	return a
}

// NeedsSession reports whether the rule refuses API tokens (SessionOnly).
func (a Access) NeedsSession() bool { return a.session }

// ErrTokenNotAllowed answers a request with an API token to a route for a
// browser session only.
var ErrTokenNotAllowed = domain.Errorf(domain.EFORBIDDEN, "En API-nyckel kan inte skapa API-nycklar eller ändra inloggningsuppgifter. Logga in i webbläsaren och gör det under Mitt konto.")

// Allows reports whether the rule lets u in; u is nil for someone not logged in.
func (a Access) Allows(u *domain.User) bool {
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
	SessionIdle     = time.Hour
	SessionLifetime = 12 * time.Hour
	// touchEvery limits how often a session's last use is written.
	touchEvery = time.Minute
)

// Cookie and context names.
const (
	// RequestIDKey is where a request's id is kept in its context.
	RequestIDKey = "request_id"

	SessionCookie = "gns_session"
	CSRFCookie    = "gns_csrf" // the form token before login
	FlashCookie   = "gns_flash"
	CSRFField     = "csrf_token"
	CSRFHeader    = "X-CSRF-Token"

	UserKey = "gns.user"
	// demoKey holds whether demo users can log in, read with the session
	// (see Render).
	demoKey    = "gns.demo"
	SessionKey = "gns.session"
	ViaToken   = "gns.via_token"
)

// Handle registers a route with its access rule.
func (s *Kit) Handle(method, path string, a Access, h ...gin.HandlerFunc) {
	s.rules[method+" "+path] = a
	s.engine.Handle(method, path, append([]gin.HandlerFunc{s.authorize(a)}, h...)...)
}

// CurrentUser returns the logged-in user, or nil.
func CurrentUser(c *gin.Context) *domain.User {
	if u, ok := c.Get(UserKey); ok {
		return u.(*domain.User)
	}
	return nil
}

// CurrentSession returns the browser session, or nil (not logged in, or a
// request with an API token).
func CurrentSession(c *gin.Context) *domain.Session {
	if s, ok := c.Get(SessionKey); ok {
		return s.(*domain.Session)
	}
	return nil
}

// IsAPI reports whether the request is for the JSON API.
func IsAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/api/") }

// Authenticate finds out who is asking, from a bearer token or the session
// cookie, puts the user and the actor for the audit trail in the request, and
// checks the form token of every state-changing request made with a cookie.
func (s *Kit) Authenticate() gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		actor := domain.Actor{Label: "anonym", RemoteAddr: c.ClientIP(), RequestID: c.GetString(RequestIDKey)}
		if h := c.GetHeader("Authorization"); h != "" {
			u, err := s.userFromToken(c, h)
			if err != nil {
				if domain.ErrorCode(err) == domain.EUNAUTHORIZED {
					c.Header("WWW-Authenticate", `Bearer realm="gns"`)
				}
				s.Fail(c, err)
				return
			}
			c.Set(UserKey, u)
			c.Set(ViaToken, true)
			actor.UserID, actor.Label = u.ID, u.Email
		} else if u, sess, err := s.userFromSession(c); err != nil {
			// The database is unavailable; the cookie is kept for later. A
			// route for anyone (the probes, the style sheet, no route at
			// all) goes on without the user; any other cannot.
			if a, ok := s.rules[c.Request.Method+" "+c.FullPath()]; ok && !a.public {
				s.Fail(c, err)
				return
			}
		} else if u != nil {
			c.Set(UserKey, u)
			c.Set(SessionKey, sess)
			actor.UserID, actor.Label = u.ID, u.Email
			if sess.MFADone {
				s.restoreDraft(c, u)
			}
		}
		c.Request = c.Request.WithContext(domain.WithActor(ctx, actor))
		if SafeMethod(c.Request.Method) {
			c.Next()
			return
		}
		if !s.limitBody(c) {
			return
		}
		// The form token guards what a cookie lets a forged request do. A
		// request for no route gets its 404 or 405 whatever its token; one
		// with an API token carries no cookie's authority; and an API
		// request with neither a session nor a token has no authority at
		// all, so authorize answers it (401 in JSON) rather than a form's
		// "expired" page.
		if c.FullPath() == "" || c.GetBool(ViaToken) || IsAPI(c) && CurrentUser(c) == nil {
			c.Next()
			return
		}
		ok, err := s.validCSRF(c)
		if err != nil {
			s.tooLarge(c)
			return
		}
		if !ok && s.keepDraft(c) {
			return
		}
		if !ok {
			s.Fail(c, domain.Errorf(domain.EFORBIDDEN, "Formuläret har gått ut eller kom inte från GNS. Ladda om sidan och försök igen."))
			return
		}
		c.Next()
	}
}

// MaxRequestBody bounds every request body, uploads included, before any of
// it is read (the form token check below reads the form). Handlers set
// tighter limits of their own, e.g. 20 MB for a case document.
const MaxRequestBody = 32 << 20

// limitBody refuses a body larger than maxRequestBody with 413 and bounds the
// reading of any other, so no request can fill memory or disk.
func (s *Kit) limitBody(c *gin.Context) bool {
	if c.Request.ContentLength > MaxRequestBody {
		s.tooLarge(c)
		return false
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, MaxRequestBody)
	return true
}

// tooLarge answers a request whose body is over MaxRequestBody with 413.
func (s *Kit) tooLarge(c *gin.Context) {
	msg := "Begäran är för stor: en fil eller ett formulär får vara högst 32 MB."
	if IsAPI(c) {
		c.AbortWithStatusJSON(http.StatusRequestEntityTooLarge, gin.H{"error": gin.H{"code": domain.EINVALID, "message": msg}})
		return
	}
	c.Abort()
	s.Render(c, http.StatusRequestEntityTooLarge, "error", "För stor begäran", ErrorPage{Status: http.StatusRequestEntityTooLarge, Message: msg})
}

func SafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

var errBadToken = domain.Errorf(domain.EUNAUTHORIZED, "API-nyckeln är ogiltig, har gått ut eller har återkallats.")

// userFromToken authenticates an API request: the token, its user and roles
// and whether the token was used from this address before come in one
// query. The use is recorded only when there is something new to record
// (domain.APIToken.UseToRecord), so a read through the API writes nothing
// most of the time.
func (s *Kit) userFromToken(c *gin.Context, header string) (*domain.User, error) {
	token, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || token == "" {
		return nil, domain.Errorf(domain.EUNAUTHORIZED, "Ange API-nyckeln som \"Authorization: Bearer <nyckel>\".")
	}
	ctx := c.Request.Context()
	addr := c.ClientIP()
	t, u, knownAddress, err := s.DB.Conn().APITokenUser(ctx, auth.HashToken(strings.TrimSpace(token)), addr)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, errBadToken
	}
	if err != nil {
		return nil, err
	}
	now := s.DB.Now()
	if !t.Active(now) || u.Disabled() {
		return nil, errBadToken
	}
	if !t.UseToRecord(now, knownAddress) {
		return &u, nil
	}
	actorCtx := domain.WithActor(ctx, domain.Actor{UserID: u.ID, Label: u.Email, RemoteAddr: addr, RequestID: c.GetString(RequestIDKey)})
	err = s.DB.InTx(actorCtx, func(tx *store.Conn) error {
		return tx.RecordAPITokenUse(actorCtx, t.ID, addr, c.Request.Method, c.Request.URL.Path)
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// userFromSession returns the user of a live session cookie, ending the
// session when it has expired or its user is disabled. While the database is
// unavailable it returns that error and leaves the cookie alone, so that a
// database restart does not log everyone out.
func (s *Kit) userFromSession(c *gin.Context) (*domain.User, *domain.Session, error) {
	token, err := c.Cookie(SessionCookie)
	if err != nil || token == "" {
		return nil, nil, nil
	}
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	sess, u, demo, err := conn.SessionUser(ctx, auth.HashToken(token))
	if domain.ErrorCode(err) == domain.EUNAVAILABLE || err != nil && ctx.Err() != nil {
		// Unavailable, or the client has gone: keep the cookie.
		return nil, nil, err
	}
	if err != nil {
		if domain.ErrorCode(err) != domain.ENOTFOUND {
			s.Log.ErrorContext(ctx, "read session", "error", err)
		}
		s.ClearCookie(c, SessionCookie)
		return nil, nil, nil
	}
	t := s.DB.Now()
	if !t.Before(sess.ExpiresAt) || t.Sub(sess.LastSeenAt) >= SessionIdle {
		if !u.Disabled() && sess.MFADone {
			c.Set(expiredKey, expiredSession{userID: u.ID, csrf: sess.CSRFToken})
		}
		s.endSession(ctx, conn, sess.ID)
		s.ClearCookie(c, SessionCookie)
		s.SetFlash(c, "Du har loggats ut eftersom sessionen gick ut. Logga in igen.")
		return nil, nil, nil
	}
	if u.Disabled() {
		s.endSession(ctx, conn, sess.ID)
		s.ClearCookie(c, SessionCookie)
		return nil, nil, nil
	}
	c.Set(demoKey, demo)
	if t.Sub(sess.LastSeenAt) >= touchEvery {
		if err := conn.TouchSession(ctx, sess.ID); err != nil {
			s.Log.ErrorContext(ctx, "touch session", "error", err)
		}
	}
	return &u, &sess, nil
}

// authorize enforces a route's access rule: someone not logged in goes to the
// login page (or gets 401 from the API), a user half-way through login goes to
// the two-factor step, and a user without the role gets 403.
func (s *Kit) authorize(a Access) gin.HandlerFunc {
	return func(c *gin.Context) {
		u := CurrentUser(c)
		sess := CurrentSession(c)
		if a.public {
			c.Next()
			return
		}
		if u == nil {
			if IsAPI(c) {
				s.Fail(c, domain.Errorf(domain.EUNAUTHORIZED, "Logga in eller ange en API-nyckel."))
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
		if a.session && c.GetBool(ViaToken) {
			// A program sent it: answer in JSON whatever the path.
			c.AbortWithStatusJSON(http.StatusForbidden, gin.H{"error": gin.H{"code": domain.EFORBIDDEN, "message": domain.ErrorMessage(ErrTokenNotAllowed)}})
			return
		}
		if sess != nil && !sess.MFADone && !a.partial {
			c.Redirect(http.StatusSeeOther, s.SecondStep(c, u))
			c.Abort()
			return
		}
		if !a.Allows(u) {
			s.Fail(c, domain.Errorf(domain.EFORBIDDEN, "Du har inte behörighet till den här sidan."))
			return
		}
		c.Next()
	}
}

// SecondStep is where a user who has given the password goes next: the code
// step when enrolled, enrolment otherwise.
func (s *Kit) SecondStep(_ *gin.Context, u *domain.User) string {
	if u.TOTPEnabled {
		return "/logga-in/tvafaktor"
	}
	return "/konto/tvafaktor"
}

// CSRFToken returns the form token for the page being rendered: the session's
// when logged in, otherwise a random one kept in a cookie (for the login form).
func (s *Kit) CSRFToken(c *gin.Context) string {
	if sess := CurrentSession(c); sess != nil {
		return sess.CSRFToken
	}
	if v, ok := c.Get(CSRFCookie); ok {
		return v.(string)
	}
	if v, err := c.Cookie(CSRFCookie); err == nil && len(v) >= 32 {
		return v
	}
	token, _ := auth.NewToken("")
	s.SetCookie(c, CSRFCookie, token, 0)
	c.Set(CSRFCookie, token)
	return token
}

// validCSRF checks the form token of a state-changing request against the
// session's (or, before login, the cookie's). When the token is not in the
// header it reads the form, and reports a body over MaxRequestBody (one sent
// without a Content-Length, in chunks) as an error: a form that was never
// read whole has no token to check.
func (s *Kit) validCSRF(c *gin.Context) (bool, error) {
	got := c.GetHeader(CSRFHeader)
	if got == "" {
		// gin's PostForm drops the error of reading the form, so read it
		// here first: the limit of limitBody ends the reading.
		err := c.Request.ParseMultipartForm(s.engine.MaxMultipartMemory)
		if tooLarge := (*http.MaxBytesError)(nil); errors.As(err, &tooLarge) {
			return false, err
		}
		got = c.PostForm(CSRFField)
	}
	var want string
	if sess := CurrentSession(c); sess != nil {
		want = sess.CSRFToken
	} else if v, err := c.Cookie(CSRFCookie); err == nil {
		want = v
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1, nil
}

// Secure reports whether the request came over TLS, directly or through a
// trusted proxy (Kit.TrustProxies) that says so; anyone else's
// X-Forwarded-Proto is ignored.
func Secure(c *gin.Context) bool {
	return c.Request.TLS != nil ||
		c.GetBool(proxiedKey) && strings.EqualFold(strings.TrimSpace(c.GetHeader("X-Forwarded-Proto")), "https")
}

// SetCookie sets an HttpOnly, SameSite=Lax cookie for the whole site, Secure
// when served over TLS. maxAge 0 makes a browser-session cookie.
func (s *Kit) SetCookie(c *gin.Context, name, value string, maxAge time.Duration) {
	ck := &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: Secure(c)}
	if maxAge > 0 {
		ck.MaxAge = int(maxAge.Seconds())
	}
	http.SetCookie(c.Writer, ck)
}

func (s *Kit) ClearCookie(c *gin.Context, name string) {
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: Secure(c)})
}

// CommitteeFor reads the :code of a committee route and checks that the user
// holds one of the roles in it; a committee the user has no part in is "not
// found".
func (s *Kit) CommitteeFor(c *gin.Context, roles []domain.Role) (domain.Committee, error) {
	cm, err := s.DB.Conn().CommitteeByCode(c.Request.Context(), c.Param("code"))
	if err == nil && !CurrentUser(c).HasIn(cm.ID, roles...) {
		if CurrentUser(c).InCommittee(cm.ID) {
			err = domain.Errorf(domain.EFORBIDDEN, "Din roll i nämnden ger inte behörighet till den här sidan.")
		} else {
			err = domain.Errorf(domain.ENOTFOUND, "Nämnden finns inte.")
		}
	}
	if err != nil {
		return domain.Committee{}, err
	}
	return cm, nil
}

const ErrThrottled = "För många inloggningsförsök. Vänta en stund och försök igen."

// errUsedCode answers a code that is right but already used: each code is
// taken once, so one just used (to log in, or to turn two-factor login on)
// is refused until the app shows the next.
var errUsedCode = domain.FieldErrorf("code", "Koden har redan använts. Varje kod gäller en gång, så en kod du nyss har använt (t.ex. för att aktivera tvåstegsverifiering eller logga in) fungerar inte igen. Vänta tills appen visar en ny kod, högst 30 sekunder, och ange den.")

var errWrongCode = domain.FieldErrorf("code", "Koden stämmer inte. Ange den sexsiffriga koden som appen visar nu, eller en av dina reservkoder.")

// CheckSecondFactor accepts a current TOTP code once (a replay within its
// window is refused) or an unused recovery code.
func (s *Kit) CheckSecondFactor(ctx context.Context, u domain.User, code string) error {
	if code == "" {
		return domain.FieldErrorf("code", "Ange koden.")
	}
	cred, err := s.DB.Conn().CredentialsOf(ctx, u.ID)
	if err != nil {
		return err
	}
	if digits := strings.ReplaceAll(code, " ", ""); len(digits) == 6 && strings.Trim(digits, "0123456789") == "" {
		secret, err := s.Sealer.Open(cred.TOTPSecret)
		if err != nil {
			return err
		}
		step, ok := auth.CheckTOTP(secret, digits, s.DB.Now(), cred.TOTPLastStep)
		if !ok {
			if _, used := auth.CheckTOTP(secret, digits, s.DB.Now(), -1); used {
				return errUsedCode
			}
			return errWrongCode
		}
		return s.DB.InTx(ctx, func(tx *store.Conn) error { return tx.AdvanceTOTPStep(ctx, u.ID, step) })
	}
	err = s.DB.InTx(ctx, func(tx *store.Conn) error { return tx.UseRecoveryCode(ctx, u.ID, auth.HashRecoveryCode(code)) })
	if domain.ErrorCode(err) == domain.EINVALID {
		return errWrongCode
	}
	return err
}

// Roles is the access rule of a route for users who hold one of roles (in
// any committee; the handler narrows it to the committee at hand).
func Roles(roles ...domain.Role) Access { return Access{roles: roles} }

// Roles returns the roles of which a user needs one, or nil when any
// logged-in user (or anyone) may use the route.
func (a Access) Roles() []domain.Role { return a.roles }

// endSession ends a session that may no longer be used. The request goes on
// as not logged in either way; a failure to record the end is logged, and the
// session stays unusable because its checks fail again next time.
func (s *Kit) endSession(ctx context.Context, conn *store.Conn, id int64) {
	if err := conn.EndSession(ctx, id); err != nil {
		s.Log.ErrorContext(ctx, "end session", "error", err)
	}
}
