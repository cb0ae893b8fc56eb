package kit

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
)

// Typed work survives the end of a session. A form sent after the session
// has ended (idle for SessionIdle, or past SessionLifetime) would be refused
// as expired and its text lost. Instead, when the browser still holds the
// ended session's cookie and the form carries that session's form token, the
// form's values are sealed with the server's key and kept for that user
// (store: form_drafts), the browser gets a cookie naming the draft, and the
// user is sent to log in. Back on the form's page after login, the page
// carries the draft and /static/gns.js fills the form with it; nothing is
// saved until the user sends the form again. The ended session authorises
// nothing: the draft is only a copy of what its own browser typed, given
// back to the same user after a full login.

// DraftCookie names the draft a browser's form was kept as.
const DraftCookie = "gns_draft"

const (
	expiredKey = "gns.expired_session"
	draftKey   = "gns.draft"
)

// expiredSession is what is known of a session that had ended when the
// request came.
type expiredSession struct {
	userID int64
	csrf   string
}

// FormDraft is a form kept at a session's end: the address it was sent to
// (Action) and the values typed, without the form token and without any
// password or code.
type FormDraft struct {
	Action string              `json:"action"`
	Values map[string][]string `json:"values"`
}

// secretField reports whether a field holds a secret that is never kept.
func secretField(name string) bool {
	n := strings.ToLower(name)
	return n == CSRFField || strings.Contains(n, "password") || strings.Contains(n, "losenord") || n == "code" || n == "kod"
}

// keepDraft keeps the form of a request whose session has just ended and
// sends the user to log in; it reports whether it answered the request.
// Authenticate calls it where the form token fails.
func (s *Kit) keepDraft(c *gin.Context) bool {
	v, ok := c.Get(expiredKey)
	if !ok || IsAPI(c) {
		return false
	}
	e := v.(expiredSession)
	if got := c.PostForm(CSRFField); subtle.ConstantTimeCompare([]byte(got), []byte(e.csrf)) != 1 {
		return false
	}
	d := FormDraft{Action: c.Request.URL.Path, Values: map[string][]string{}}
	for name, vs := range c.Request.PostForm {
		if !secretField(name) {
			d.Values[name] = vs
		}
	}
	b, err := json.Marshal(d)
	if err != nil {
		return false
	}
	back := formPage(c)
	token, hash := auth.NewToken("")
	ctx := c.Request.Context()
	if err := s.DB.InTx(ctx, func(tx *store.Conn) error {
		return tx.SaveFormDraft(ctx, e.userID, hash, back, s.Sealer.Seal(string(b)))
	}); err != nil {
		s.Log.ErrorContext(ctx, "keep draft", "error", err)
		return false
	}
	s.SetCookie(c, DraftCookie, token, store.DraftLifetime)
	s.SetFlash(c, "Sessionen hade gått ut när formuläret skickades. Logga in igen, så kommer det du skrev tillbaka i formuläret. Inget är sparat ännu: granska det och skicka igen.")
	c.Redirect(http.StatusSeeOther, "/logga-in?till="+url.QueryEscape(back))
	c.Abort()
	return true
}

// formPage is the page a form was sent from: the Referer when it is a page
// of this site, otherwise the address the form was sent to (most forms are
// shown at the address they post to).
func formPage(c *gin.Context) string {
	if ref, err := url.Parse(c.GetHeader("Referer")); err == nil && ref.Host == c.Request.Host &&
		strings.HasPrefix(ref.Path, "/") && !strings.HasPrefix(ref.Path, "//") && !strings.HasPrefix(ref.Path, "/logga-in") {
		return ref.RequestURI()
	}
	return c.Request.URL.Path
}

// restoreDraft gives a logged-in user back the form kept for this page at
// the end of an earlier session, once: the page then carries it (View.Draft)
// and the draft is removed.
func (s *Kit) restoreDraft(c *gin.Context, u *domain.User) {
	if c.Request.Method != http.MethodGet || IsAPI(c) {
		return
	}
	token, err := c.Cookie(DraftCookie)
	if err != nil || token == "" {
		return
	}
	ctx := c.Request.Context()
	var sealed string
	err = s.DB.InTx(ctx, func(tx *store.Conn) error {
		var err error
		sealed, err = tx.TakeFormDraft(ctx, u.ID, auth.HashToken(token), c.Request.URL.RequestURI())
		return err
	})
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return // another page's, or another user's: it waits
	}
	s.ClearCookie(c, DraftCookie)
	if err != nil {
		s.Log.ErrorContext(ctx, "restore draft", "error", err)
		return
	}
	plain, err := s.Sealer.Open(sealed)
	var d FormDraft
	if err == nil {
		err = json.Unmarshal([]byte(plain), &d)
	}
	if err != nil {
		s.Log.ErrorContext(ctx, "open draft", "error", err)
		return
	}
	c.Set(draftKey, &d)
}

// draftOf returns the draft restored for this request's page, or nil.
func draftOf(c *gin.Context) *FormDraft {
	if v, ok := c.Get(draftKey); ok {
		return v.(*FormDraft)
	}
	return nil
}
