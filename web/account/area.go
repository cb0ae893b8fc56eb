// Package account serves logging in and out, two-factor enrolment, the user's
// own account and API tokens, the administration of users and roles, and the
// audit trail.
package account

import (
	"embed"
	"html/template"

	"github.com/region-jh/gns/web/kit"
)

//go:embed templates/*.html
var templateFS embed.FS

// Handlers serve the area's pages and API on the shared Kit.
type Handlers struct {
	*kit.Kit
}

// Register adds the area's templates and routes to k and returns its
// handlers, whose exported methods other areas may use.
func Register(k *kit.Kit) (*Handlers, error) {
	if err := k.AddPages(templateFS, template.FuncMap{"word": auditWord}); err != nil {
		return nil, err
	}
	s := &Handlers{Kit: k}
	s.routes()
	return s, nil
}

// routes registers the area's routes with their access rules.
func (s *Handlers) routes() {
	s.Handle("GET", "/logga-in", kit.Anyone, s.loginForm)
	s.Handle("POST", "/logga-in", kit.Anyone, s.login)
	s.Handle("GET", "/logga-in/tvafaktor", kit.PasswordStep, s.secondFactorForm)
	s.Handle("POST", "/logga-in/tvafaktor", kit.PasswordStep, s.secondFactor)
	s.Handle("POST", "/logga-ut", kit.PasswordStep, s.logout)
	s.Handle("POST", "/logga-ut-overallt", kit.LoggedIn, s.logoutEverywhere)

	s.Handle("GET", "/konto", kit.LoggedIn, s.accountPage)
	s.Handle("POST", "/konto/losenord", kit.LoggedIn, s.changePassword)
	s.Handle("GET", "/konto/tvafaktor", kit.PasswordStep, s.enrolForm)
	s.Handle("POST", "/konto/tvafaktor", kit.PasswordStep, s.enrol)
	s.Handle("POST", "/konto/nycklar", kit.LoggedIn, s.createToken)
	s.Handle("GET", "/konto/nycklar/:id/aterkalla", kit.LoggedIn, s.confirmRevokeToken)
	s.Handle("POST", "/konto/nycklar/:id/aterkalla", kit.LoggedIn, s.revokeToken)

	s.Handle("GET", "/admin/anvandare", kit.AdminOnly, s.usersPage)
	s.Handle("GET", "/admin/anvandare/ny", kit.AdminOnly, s.newUserForm)
	s.Handle("POST", "/admin/anvandare", kit.AdminOnly, s.createUser)
	s.Handle("GET", "/admin/anvandare/:id", kit.AdminOnly, s.userPage)
	s.Handle("POST", "/admin/anvandare/:id/roller", kit.AdminOnly, s.grantRole)
	s.Handle("POST", "/admin/anvandare/:id/roller/:grant/ta-bort", kit.AdminOnly, s.revokeRole)
	s.Handle("POST", "/admin/anvandare/:id/inaktivera", kit.AdminOnly, s.setDisabled(true))
	s.Handle("POST", "/admin/anvandare/:id/aktivera", kit.AdminOnly, s.setDisabled(false))
	s.Handle("GET", "/admin/anvandare/:id/aterstall-tvafaktor", kit.AdminOnly, s.confirmResetTOTP)
	s.Handle("POST", "/admin/anvandare/:id/aterstall-tvafaktor", kit.AdminOnly, s.resetTOTP)
	s.Handle("GET", "/admin/anvandare/:id/nytt-losenord", kit.AdminOnly, s.confirmNewPassword)
	s.Handle("POST", "/admin/anvandare/:id/nytt-losenord", kit.AdminOnly, s.newPassword)
	s.Handle("GET", "/admin/tvafaktor", kit.AdminOnly, s.mfaSettings)
	s.Handle("POST", "/admin/tvafaktor", kit.AdminOnly, s.saveMFASettings)

	s.Handle("GET", "/granskning", kit.AuditReaders, s.auditTrailPage)

	s.Handle("GET", "/api/v1/me", kit.LoggedIn, s.apiMe)
	s.Handle("GET", "/api/v1/audit", kit.AuditReaders, s.apiAudit)
}
