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
	// SSO is what single sign-on adds to logging in and out, when
	// registered (web/sso).
	SSO SSOHooks
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

// routes registers the area's routes with their access rules. The routes
// that make or manage credentials are for a browser session only
// (kit.Access.SessionOnly): an API token can neither make another token nor
// set a password or two factors from which one could be made.
func (s *Handlers) routes() {
	s.Handle("GET", "/logga-in", kit.Anyone, s.loginForm)
	s.Handle("POST", "/logga-in", kit.Anyone, s.login)
	s.Handle("GET", "/logga-in/tvafaktor", kit.PasswordStep, s.secondFactorForm)
	s.Handle("POST", "/logga-in/tvafaktor", kit.PasswordStep, s.secondFactor)
	s.Handle("POST", "/logga-ut", kit.PasswordStep, s.logout)
	s.Handle("POST", "/logga-ut-overallt", kit.LoggedIn.SessionOnly(), s.logoutEverywhere)

	s.Handle("GET", "/konto", kit.LoggedIn, s.accountPage)
	s.Handle("GET", "/konto/session", kit.LoggedIn.SessionOnly(), s.keepSession)
	s.Handle("POST", "/konto/utskick", kit.LoggedIn, s.saveMailChoices)
	s.Handle("POST", "/konto/losenord", kit.LoggedIn.SessionOnly(), s.changePassword)
	s.Handle("GET", "/konto/tvafaktor", kit.PasswordStep.SessionOnly(), s.enrolForm)
	s.Handle("POST", "/konto/tvafaktor", kit.PasswordStep.SessionOnly(), s.enrol)
	s.Handle("POST", "/konto/nycklar", kit.LoggedIn.SessionOnly(), s.createToken)
	s.Handle("GET", "/konto/nycklar/:id/aterkalla", kit.LoggedIn.SessionOnly(), s.confirmRevokeToken)
	s.Handle("POST", "/konto/nycklar/:id/aterkalla", kit.LoggedIn.SessionOnly(), s.revokeToken)

	s.Handle("GET", "/admin/anvandare", kit.AdminOnly, s.usersPage)
	s.Handle("GET", "/admin/anvandare/ny", kit.AdminOnly, s.newUserForm)
	s.Handle("POST", "/admin/anvandare", kit.AdminOnly.SessionOnly(), s.createUser)
	s.Handle("GET", "/admin/anvandare/:id", kit.AdminOnly, s.userPage)
	s.Handle("POST", "/admin/anvandare/:id/roller", kit.AdminOnly, s.grantRole)
	s.Handle("POST", "/admin/anvandare/:id/roller/:grant/ta-bort", kit.AdminOnly, s.revokeRole)
	s.Handle("POST", "/admin/anvandare/:id/inaktivera", kit.AdminOnly, s.setDisabled(true))
	s.Handle("POST", "/admin/anvandare/:id/aktivera", kit.AdminOnly, s.setDisabled(false))
	s.Handle("GET", "/admin/anvandare/:id/aterstall-tvafaktor", kit.AdminOnly.SessionOnly(), s.confirmResetTOTP)
	s.Handle("POST", "/admin/anvandare/:id/aterstall-tvafaktor", kit.AdminOnly.SessionOnly(), s.resetTOTP)
	s.Handle("GET", "/admin/anvandare/:id/nytt-losenord", kit.AdminOnly.SessionOnly(), s.confirmNewPassword)
	s.Handle("POST", "/admin/anvandare/:id/nytt-losenord", kit.AdminOnly.SessionOnly(), s.newPassword)
	s.Handle("GET", "/admin/tvafaktor", kit.AdminOnly, s.mfaSettings)
	s.Handle("POST", "/admin/tvafaktor", kit.AdminOnly, s.saveMFASettings)

	s.Handle("GET", "/granskning", kit.AuditReaders, s.auditTrailPage)
	s.Handle("GET", "/granskning.csv", kit.AuditReaders, s.auditCSV)

	s.Handle("GET", "/api/v1/me", kit.LoggedIn, s.apiMe)
	s.Handle("GET", "/api/v1/audit", kit.AuditReaders, s.apiAudit)
}
