package account

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

type usersPage struct {
	Users []domain.User
}

// usersPage lists every user with roles and status, for the admin.
func (s *Handlers) usersPage(c *gin.Context) {
	users, err := s.DB.Conn().Users(c.Request.Context())
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "users", "Användare", usersPage{Users: users})
}

type userPage struct {
	Target     domain.User
	Form       *kit.Form
	Roles      []domain.Role
	Committees []domain.CommitteeOverview
	// Password is a generated password, shown once after creation.
	Password string
}

func (s *Handlers) roleChoices(c *gin.Context) ([]domain.CommitteeOverview, error) {
	return s.DB.Conn().CommitteeOverviews(c.Request.Context(), s.Today())
}

// newUserForm shows the form for a new user.
func (s *Handlers) newUserForm(c *gin.Context) {
	cms, err := s.roleChoices(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "user_new", "Ny användare", userPage{Form: kit.EmptyForm(), Roles: domain.Roles, Committees: cms})
}

// newUserForm is the form for a new user and a first role.
type newUserForm struct {
	Email string `form:"email"`
	Name  string `form:"name"`
	Role  string `form:"role"`
	Scope string `form:"scope"`
}

// createUser creates a user with one first role. The password is generated
// and shown once to the admin, who hands it over; the user changes it.
func (s *Handlers) createUser(c *gin.Context) {
	var in newUserForm
	f := kit.Bind(c, &in)
	ctx := c.Request.Context()
	grant, err := roleGrant(in.Role, in.Scope)
	f.Fail(err)
	password := auth.NewPassword()
	var created domain.User
	// The user pages answer every refused form with 400.
	saved := s.Submit(c, f, func(tx *store.Conn) error {
		var err error
		created, err = tx.CreateUser(ctx, domain.User{Email: in.Email, Name: in.Name, Roles: []domain.RoleGrant{grant}}, auth.HashPassword(password))
		return err
	}, func(int) {
		cms, err := s.roleChoices(c)
		if err != nil {
			s.Fail(c, err)
			return
		}
		s.Render(c, http.StatusBadRequest, "user_new", "Ny användare", userPage{Form: f, Roles: domain.Roles, Committees: cms})
	})
	if saved {
		s.renderUser(c, http.StatusCreated, created, kit.EmptyForm(), password)
	}
}

// roleForm grants a user one more role.
type roleForm struct {
	Role  string `form:"role"`
	Scope string `form:"scope"`
}

// roleGrant reads a role and its scope. The scope is "" (global),
// "c<committee id>" or "p<committee id>-<party id>".
func roleGrant(roleName, scope string) (domain.RoleGrant, error) {
	if strings.TrimSpace(roleName) == "" {
		return domain.RoleGrant{}, domain.FieldErrorf("role", "Välj användarens roll.")
	}
	role, err := domain.ParseRole(roleName)
	if err != nil {
		return domain.RoleGrant{}, err
	}
	g := domain.RoleGrant{Role: role}
	switch {
	case scope == "":
	case scope[0] == 'c':
		g.CommitteeID, err = strconv.ParseInt(scope[1:], 10, 64)
	case scope[0] == 'p':
		_, err = fmt.Sscanf(scope, "p%d-%d", &g.CommitteeID, &g.PartyID)
	default:
		err = strconv.ErrSyntax
	}
	if err != nil {
		return domain.RoleGrant{}, domain.FieldErrorf("scope", "Välj nämnd (och part) i listan.")
	}
	if role.Global() {
		g.CommitteeID, g.PartyID = 0, 0
	}
	if role != domain.RoleParty && g.PartyID != 0 {
		return domain.RoleGrant{}, domain.FieldErrorf("scope", "Välj en nämnd, inte en part, för rollen %s.", role.Label())
	}
	return g, g.Validate()
}

// targetUser reads the :id of a user route.
func (s *Handlers) targetUser(c *gin.Context) (domain.User, error) {
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	return s.DB.Conn().UserByID(c.Request.Context(), id)
}

// userPage shows one user, with the forms to grant and revoke roles, disable
// or enable, and reset two-factor login.
func (s *Handlers) userPage(c *gin.Context) {
	u, err := s.targetUser(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderUser(c, http.StatusOK, u, kit.EmptyForm(), "")
}

func (s *Handlers) renderUser(c *gin.Context, status int, u domain.User, f *kit.Form, password string) {
	cms, err := s.roleChoices(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, status, "user", u.Name, userPage{Target: u, Form: f, Roles: domain.Roles, Committees: cms, Password: password})
}

// grantRole gives the user one more role.
func (s *Handlers) grantRole(c *gin.Context) {
	u, err := s.targetUser(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in roleForm
	f := kit.Bind(c, &in)
	ctx := c.Request.Context()
	g, err := roleGrant(in.Role, in.Scope)
	f.Fail(err)
	saved := s.Submit(c, f, func(tx *store.Conn) error { _, err := tx.GrantRole(ctx, u.ID, g); return err },
		func(int) { s.renderUser(c, http.StatusBadRequest, u, f, "") }) // every refused form: 400
	if saved {
		s.Redirect(c, kit.UserURL(u), "Rollen är tillagd.")
	}
}

// revokeRole takes a role from the user.
func (s *Handlers) revokeRole(c *gin.Context) {
	u, err := s.targetUser(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	grant, _ := strconv.ParseInt(c.Param("grant"), 10, 64)
	ctx := c.Request.Context()
	if err := s.DB.InTx(ctx, func(tx *store.Conn) error { return tx.RevokeRole(ctx, u.ID, grant) }); err != nil {
		s.Fail(c, err)
		return
	}
	s.Redirect(c, kit.UserURL(u), "Rollen är borttagen.")
}

// setDisabled disables or enables the user; disabling ends its sessions.
func (s *Handlers) setDisabled(disabled bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		u, err := s.targetUser(c)
		if err != nil {
			s.Fail(c, err)
			return
		}
		if disabled && u.ID == kit.CurrentUser(c).ID {
			s.Fail(c, domain.Errorf(domain.ECONFLICT, "Du kan inte inaktivera ditt eget konto."))
			return
		}
		ctx := c.Request.Context()
		if err := s.DB.InTx(ctx, func(tx *store.Conn) error { return tx.SetDisabled(ctx, u.ID, disabled) }); err != nil {
			s.Fail(c, err)
			return
		}
		msg := "Användaren är aktiverad igen."
		if disabled {
			msg = "Användaren är inaktiverad och utloggad. Kontot finns kvar och kan aktiveras igen."
		}
		s.Redirect(c, kit.UserURL(u), msg)
	}
}

// confirmResetTOTP asks before a user's two-factor login is reset.
func (s *Handlers) confirmResetTOTP(c *gin.Context) {
	u, err := s.targetUser(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "confirm", "Återställ tvåstegsverifiering", kit.ConfirmPage{
		Heading: "Återställ tvåstegsverifieringen för " + u.Name + "?",
		Text:    "Användarens app och reservkoder slutar gälla och användaren loggas ut. Vid nästa inloggning får användaren aktivera tvåstegsverifiering på nytt. Gör detta bara när du vet att det är rätt person som ber om det.",
		Action:  c.Request.URL.Path, Button: "Återställ", Back: kit.UserURL(u),
	})
}

func (s *Handlers) resetTOTP(c *gin.Context) {
	u, err := s.targetUser(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	if err := s.DB.InTx(ctx, func(tx *store.Conn) error { return tx.ResetTOTP(ctx, u.ID) }); err != nil {
		s.Fail(c, err)
		return
	}
	s.Redirect(c, kit.UserURL(u), "Tvåstegsverifieringen är återställd.")
}

// confirmNewPassword asks before a user's password is replaced.
func (s *Handlers) confirmNewPassword(c *gin.Context) {
	u, err := s.targetUser(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "confirm", "Nytt lösenord", kit.ConfirmPage{
		Heading: "Ge " + u.Name + " ett nytt lösenord?",
		Text:    "GNS skapar ett nytt lösenord som visas en gång. Det gamla slutar gälla och användaren loggas ut överallt. Lämna det nya lösenordet till användaren på ett säkert sätt.",
		Action:  c.Request.URL.Path, Button: "Skapa nytt lösenord", Back: kit.UserURL(u),
	})
}

// newPassword replaces a user's password with a generated one, shown once.
func (s *Handlers) newPassword(c *gin.Context) {
	u, err := s.targetUser(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	password := auth.NewPassword()
	ctx := c.Request.Context()
	if err := s.DB.InTx(ctx, func(tx *store.Conn) error { return tx.SetPassword(ctx, u.ID, auth.HashPassword(password), 0) }); err != nil {
		s.Fail(c, err)
		return
	}
	s.renderUser(c, http.StatusOK, u, kit.EmptyForm(), password)
}

type mfaPage struct {
	Required map[domain.Role]bool
	Roles    []domain.Role
	Always   map[domain.Role]bool
}

func alwaysMFA() map[domain.Role]bool {
	m := map[domain.Role]bool{}
	for _, r := range domain.AlwaysMFA {
		m[r] = true
	}
	return m
}

// mfaSettings shows which roles must log in with two factors.
func (s *Handlers) mfaSettings(c *gin.Context) {
	req, err := s.DB.Conn().MFARequiredRoles(c.Request.Context())
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "mfa_settings", "Krav på tvåstegsverifiering", mfaPage{Required: req, Roles: domain.Roles, Always: alwaysMFA()})
}

// mfaForm lists the roles that must log in with two factors.
type mfaForm struct {
	Roles []string `form:"role"`
}

// saveMFASettings saves which roles must log in with two factors.
func (s *Handlers) saveMFASettings(c *gin.Context) {
	var in mfaForm
	if f := kit.Bind(c, &in); !f.OK() {
		s.Fail(c, domain.FieldErrorf("role", "%s", f.Errors["role"]))
		return
	}
	want := map[domain.Role]bool{}
	for _, v := range in.Roles {
		r, err := domain.ParseRole(v)
		if err != nil {
			s.Fail(c, err)
			return
		}
		want[r] = true
	}
	ctx := c.Request.Context()
	if err := s.DB.InTx(ctx, func(tx *store.Conn) error { return tx.SetMFARequiredRoles(ctx, want) }); err != nil {
		s.Fail(c, err)
		return
	}
	s.Redirect(c, "/admin/tvafaktor", "Inställningen är sparad. Den gäller från användarnas nästa inloggning.")
}
