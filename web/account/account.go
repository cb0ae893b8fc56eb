package account

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

type accountPage struct {
	Tokens        []domain.APIToken
	RecoveryLeft  int
	MFARequired   bool
	TokenForm     *kit.Form
	NewToken      string // shown once, right after creation
	NewTokenName  string
	PasswordForm  *kit.Form
	PasswordSaved bool
	// LogoutForm is the form to log out everywhere.
	LogoutForm *kit.Form
	// ActiveTokens counts the user's tokens that still work, which the
	// password and logout forms offer to revoke.
	ActiveTokens int
	// MailChoices are the kinds of mail the user's roles bring, with
	// whether the user gets them.
	MailChoices []mailChoice
}

// mailChoice is one kind of mail under Mitt konto: ticked when the user
// gets it; a required kind cannot be unticked.
type mailChoice struct {
	Kind     domain.MailKind
	Wanted   bool
	Required bool
}

// revokeTokensField is the checkbox, on the password form and the form to
// log out everywhere, that revokes the user's API tokens too. It is ticked
// when the page opens: both forms are what a user reaches for after a
// suspected intrusion, and a token is what an intruder with a session would
// have made to keep access. A program that stops working shows at once and
// gets a new token in a minute; a token kept by mistake shows nowhere.
const revokeTokensField = "revoke_tokens"

// revokeBox is the revoke-tokens checkbox of one form, for the template.
type revokeBox struct {
	Form  *kit.Form
	Count int
	ID    string
}

// RevokeBox is the revoke-tokens checkbox of form f, with input id id.
func (p accountPage) RevokeBox(f *kit.Form, id string) revokeBox {
	return revokeBox{Form: f, Count: p.ActiveTokens, ID: id}
}

// newAccountPage is the account page with empty forms, the revoke-tokens
// boxes ticked.
func newAccountPage() accountPage {
	p := accountPage{TokenForm: kit.EmptyForm(), PasswordForm: kit.EmptyForm(), LogoutForm: kit.EmptyForm()}
	p.PasswordForm.Default(revokeTokensField, "ja")
	p.LogoutForm.Default(revokeTokensField, "ja")
	return p
}

// accountPage shows the user's own account: roles, two-factor status, API
// tokens, and the forms to change password and log out everywhere.
func (s *Handlers) accountPage(c *gin.Context) {
	s.renderAccount(c, http.StatusOK, newAccountPage())
}

func (s *Handlers) renderAccount(c *gin.Context, status int, p accountPage) {
	u := kit.CurrentUser(c)
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	var err error
	if p.Tokens, err = conn.APITokens(ctx, u.ID); err != nil {
		s.Fail(c, err)
		return
	}
	p.ActiveTokens = len(activeTokens(p.Tokens, s.DB.Now()))
	if p.RecoveryLeft, err = conn.UnusedRecoveryCodes(ctx, u.ID); err != nil {
		s.Fail(c, err)
		return
	}
	if p.MFARequired, err = s.needsSecondFactor(ctx, *u); err != nil {
		s.Fail(c, err)
		return
	}
	out, err := conn.MailOptOuts(ctx, u.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	for _, k := range domain.MailKinds {
		if k.For(*u) {
			p.MailChoices = append(p.MailChoices, mailChoice{Kind: k, Wanted: k.Required() || !out[k], Required: k.Required()})
		}
	}
	s.Render(c, status, "account", "Mitt konto", p)
}

// passwordForm changes the user's own password. Bind checks its fields
// (UTF-8, length) but trims them; passwords are used as typed, spaces
// included, from the Form's Values.
type passwordForm struct {
	Current  string `form:"current,raw"`
	Password string `form:"password,raw"`
	Repeat   string `form:"repeat,raw"`
	// RevokeTokens revokes the user's API tokens too.
	RevokeTokens bool `form:"revoke_tokens"`
}

// checkCurrentPassword checks the password the user gives as the current one.
func (s *Handlers) checkCurrentPassword(ctx context.Context, userID int64, password string) (bool, error) {
	cred, err := s.DB.Conn().CredentialsOf(ctx, userID)
	if err != nil {
		return false, err
	}
	return auth.CheckPassword(cred.PasswordHash, password)
}

// changePassword replaces the user's password after checking the current one;
// the user's other sessions end.
func (s *Handlers) changePassword(c *gin.Context) {
	u := kit.CurrentUser(c)
	var in passwordForm
	f := kit.Bind(c, &in)
	current, password, repeat := in.Current, in.Password, in.Repeat
	ctx := c.Request.Context()
	p := newAccountPage()
	p.PasswordForm = f
	done, allowed, err := s.Attempt(c, strings.ToLower(u.Email))
	if err != nil {
		s.Fail(c, err)
		return
	}
	if !allowed {
		f.Problem = kit.ErrThrottled
		s.renderAccount(c, http.StatusTooManyRequests, p)
		return
	}
	ok, err := s.checkCurrentPassword(ctx, u.ID, current)
	done(ok)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if !ok {
		f.Fail(domain.FieldErrorf("current", "Det nuvarande lösenordet stämmer inte."))
	}
	if err := domain.CheckPassword(password, u.Name, u.Email); err != nil {
		f.Fail(err)
	} else if ok && password == current {
		// A "change" to the same password would end the other sessions
		// and record a change while the password that may have leaked
		// stays valid.
		f.Fail(domain.FieldErrorf("password", "Det nya lösenordet är samma som det nuvarande. Välj ett annat lösenord."))
	} else if password != repeat {
		f.Fail(domain.FieldErrorf("repeat", "Lösenorden är inte lika."))
	}
	var hash string
	if f.OK() {
		hash = auth.HashPassword(password)
	}
	// The account page answers every refused form with 400.
	var revoked int
	saved := s.Submit(c, f, func(tx *store.Conn) error {
		if err := tx.SetPassword(ctx, u.ID, hash, kit.CurrentSession(c).ID); err != nil {
			return err
		}
		if !in.RevokeTokens {
			return nil
		}
		var err error
		revoked, err = s.revokeAllTokens(ctx, tx, u.ID)
		return err
	}, func(int) { s.renderAccount(c, http.StatusBadRequest, p) })
	if saved {
		s.Redirect(c, "/konto", "Lösenordet är bytt. Dina andra inloggningar har avslutats."+tokensRevoked(revoked))
	}
}

// activeTokens returns the tokens that still work at t.
func activeTokens(tokens []domain.APIToken, t time.Time) []domain.APIToken {
	var out []domain.APIToken
	for _, tok := range tokens {
		if tok.Active(t) {
			out = append(out, tok)
		}
	}
	return out
}

// revokeAllTokens revokes every token of the user that still works, in tx,
// and returns how many.
func (s *Handlers) revokeAllTokens(ctx context.Context, tx *store.Conn, userID int64) (int, error) {
	tokens, err := tx.APITokens(ctx, userID)
	if err != nil {
		return 0, err
	}
	active := activeTokens(tokens, s.DB.Now())
	for _, t := range active {
		if err := tx.RevokeAPIToken(ctx, userID, t.ID); err != nil {
			return 0, err
		}
	}
	return len(active), nil
}

// tokensRevoked is the sentence, for a flash message, on how many API tokens
// were revoked; empty for none.
func tokensRevoked(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return " Din API-nyckel är återkallad."
	}
	return " Dina " + strconv.Itoa(n) + " API-nycklar är återkallade."
}

// tokenForm names a new API token and, optionally, its last day.
type tokenForm struct {
	Name    string `form:"name"`
	Expires string `form:"expires"`
}

// createToken makes an API token and shows it once.
func (s *Handlers) createToken(c *gin.Context) {
	u := kit.CurrentUser(c)
	var in tokenForm
	f := kit.Bind(c, &in)
	p := newAccountPage()
	p.TokenForm = f
	ctx := c.Request.Context()
	var expires time.Time
	if in.Expires != "" {
		d, err := domain.ParseDate(in.Expires)
		if err != nil {
			f.Fail(domain.FieldErrorf("expires", "Ange slutdatum som ÅÅÅÅ-MM-DD, eller lämna tomt."))
		} else {
			expires = d.Time().AddDate(0, 0, 1) // valid through the day given
		}
	}
	var token string
	saved := s.Submit(c, f, func(tx *store.Conn) error {
		var hash string
		token, hash = auth.NewToken("gns_")
		_, err := tx.CreateAPIToken(ctx, domain.APIToken{UserID: u.ID, Name: in.Name, ExpiresAt: expires}, hash)
		return err
	}, func(int) { s.renderAccount(c, http.StatusBadRequest, p) }) // every refused form: 400
	if saved {
		p.NewToken, p.NewTokenName, p.TokenForm = token, in.Name, kit.EmptyForm()
		s.renderAccount(c, http.StatusCreated, p)
	}
}

// ownToken reads the :id of a token route and checks that the token is the
// user's own and not revoked; anyone else's is "not found".
func (s *Handlers) ownToken(c *gin.Context) (domain.APIToken, error) {
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	tokens, err := s.DB.Conn().APITokens(c.Request.Context(), kit.CurrentUser(c).ID)
	if err != nil {
		return domain.APIToken{}, err
	}
	for _, t := range tokens {
		if t.ID == id && t.RevokedAt.IsZero() {
			return t, nil
		}
	}
	return domain.APIToken{}, domain.Errorf(domain.ENOTFOUND, "Nyckeln finns inte eller är redan återkallad.")
}

// confirmRevokeToken asks before a token is revoked, which cannot be undone.
func (s *Handlers) confirmRevokeToken(c *gin.Context) {
	t, err := s.ownToken(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "confirm", "Återkalla API-nyckel", kit.ConfirmPage{
		Heading: "Återkalla API-nyckeln " + strconv.Quote(t.Name) + "?",
		Text:    "Program som använder nyckeln slutar fungera direkt. Det går inte att ångra; du kan skapa en ny nyckel.",
		Action:  c.Request.URL.Path, Button: "Återkalla nyckeln", Back: "/konto",
	})
}

func (s *Handlers) revokeToken(c *gin.Context) {
	t, err := s.ownToken(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	if err := s.DB.InTx(ctx, func(tx *store.Conn) error { return tx.RevokeAPIToken(ctx, t.UserID, t.ID) }); err != nil {
		s.Fail(c, err)
		return
	}
	s.Redirect(c, "/konto", "API-nyckeln "+strconv.Quote(t.Name)+" är återkallad.")
}

type enrolPage struct {
	Enrolment auth.TOTPEnrolment
	Form      *kit.Form
	Next      string
	Enabled   bool
	Codes     []string // the recovery codes, shown once after enrolment
}

// enrolForm starts two-factor enrolment: a new secret, shown as a QR code
// and as text, kept sealed until the user confirms it with a code.
func (s *Handlers) enrolForm(c *gin.Context) {
	u := kit.CurrentUser(c)
	next := safeNext(c.Query("till"))
	if u.TOTPEnabled {
		s.Render(c, http.StatusOK, "enrol", "Tvåstegsverifiering", enrolPage{Enabled: true, Next: next})
		return
	}
	ctx := c.Request.Context()
	e, err := auth.NewTOTP("GNS", u.Email)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if err := s.DB.InTx(ctx, func(tx *store.Conn) error { return tx.SetPendingTOTP(ctx, u.ID, s.Sealer.Seal(e.Secret)) }); err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "enrol", "Aktivera tvåstegsverifiering", enrolPage{Enrolment: e, Form: kit.EmptyForm(), Next: next})
}

// enrol confirms the pending secret with a code from the app, turns two-factor
// login on, completes a half-done login, and shows the recovery codes once.
func (s *Handlers) enrol(c *gin.Context) {
	u := kit.CurrentUser(c)
	var in codeForm
	f := kit.Bind(c, &in)
	ctx := c.Request.Context()
	page := enrolPage{Form: f, Next: safeNext(in.Next)}
	if u.TOTPEnabled {
		s.Redirect(c, "/konto", "Tvåstegsverifiering är redan aktiverad.")
		return
	}
	cred, err := s.DB.Conn().CredentialsOf(ctx, u.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if cred.TOTPPending == "" {
		s.Redirect(c, "/konto/tvafaktor", "Börja om: skanna den nya QR-koden.")
		return
	}
	secret, err := s.Sealer.Open(cred.TOTPPending)
	if err != nil {
		s.Fail(c, err)
		return
	}
	step, ok := auth.CheckTOTP(secret, in.Code, s.DB.Now(), cred.TOTPLastStep)
	if !ok {
		f.Errors["code"] = "Koden stämmer inte. Kontrollera att telefonens klocka går rätt och ange koden som visas nu."
		page.Enrolment = enrolmentOf(secret, u.Email)
		s.Render(c, http.StatusBadRequest, "enrol", "Aktivera tvåstegsverifiering", page)
		return
	}
	codes := auth.NewRecoveryCodes()
	hashes := make([]string, len(codes))
	for i, code := range codes {
		hashes[i] = auth.HashRecoveryCode(code)
	}
	if err := s.DB.InTx(ctx, func(tx *store.Conn) error {
		return tx.EnableTOTP(ctx, u.ID, s.Sealer.Seal(secret), step, hashes)
	}); err != nil {
		s.Fail(c, err)
		return
	}
	u.TOTPEnabled = true
	if sess := kit.CurrentSession(c); sess != nil && !sess.MFADone {
		if err := s.startSession(c, ctx, *u, true, nil); err != nil {
			s.Fail(c, err)
			return
		}
	}
	s.Render(c, http.StatusOK, "enrol", "Tvåstegsverifiering aktiverad", enrolPage{Enabled: true, Codes: codes, Next: page.Next})
}

// enrolmentOf rebuilds the enrolment view of a pending secret, so a mistyped
// code does not force a new QR code.
func enrolmentOf(secret, email string) auth.TOTPEnrolment {
	e, err := auth.TOTPEnrolmentOf("GNS", email, secret)
	if err != nil {
		return auth.TOTPEnrolment{Secret: secret}
	}
	return e
}

// keepSession counts as use of the session, so it does not end for lack of
// it: the page's "Fortsätt vara inloggad" asks for it (static/gns.js). It
// answers 204; a session that has ended gets the login redirect instead.
func (s *Handlers) keepSession(c *gin.Context) {
	if sess := kit.CurrentSession(c); sess != nil {
		if err := s.DB.Conn().TouchSession(c.Request.Context(), sess.ID); err != nil {
			s.Fail(c, err)
			return
		}
	}
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusNoContent)
}

// saveMailChoices keeps which kinds of mail the user wants: a kind the
// user's roles bring and that is not ticked is turned off; required kinds
// always go.
func (s *Handlers) saveMailChoices(c *gin.Context) {
	u := kit.CurrentUser(c)
	ctx := c.Request.Context()
	var off []domain.MailKind
	for _, k := range domain.MailKinds {
		if k.For(*u) && !k.Required() && c.PostForm("mail_"+string(k)) == "" {
			off = append(off, k)
		}
	}
	err := s.InTx(c, func(tx *store.Conn) error { return tx.SetMailOptOuts(ctx, u.ID, off) })
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Redirect(c, "/konto#utskick", "Dina val av e-post är sparade.")
}
