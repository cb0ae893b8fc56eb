package sso

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

// providersPage lists the identity providers.
type providersPage struct {
	Providers []domain.OIDCProvider
	// RedirectURI is what the admin registers at each provider.
	RedirectURI string
}

func (s *Handlers) listPage(c *gin.Context) {
	all, err := s.DB.Conn().OIDCProviders(c.Request.Context())
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "sso_providers", "Inloggningstjänster", providersPage{Providers: all, RedirectURI: s.BaseURL + CallbackPath})
}

// providerPage is one provider's form, with the users linked to its
// subjects.
type providerPage struct {
	Provider    domain.OIDCProvider
	Form        *kit.Form
	LinkForm    *kit.Form
	Links       []store.OIDCLink
	RedirectURI string
}

// providerForm is a provider as the admin enters it.
type providerForm struct {
	Name     string `form:"name"`
	Issuer   string `form:"issuer"`
	ClientID string `form:"client_id"`
	// Secret is kept as typed; empty on a change keeps the one stored.
	Secret  string `form:"client_secret,raw"`
	Domains string `form:"domains"`
	MFAACR  string `form:"mfa_acr"`
}

func (in providerForm) provider(id int64, seal func(string) string) domain.OIDCProvider {
	p := domain.OIDCProvider{ID: id, Name: in.Name, Issuer: in.Issuer, ClientID: in.ClientID,
		Domains: domain.SplitList(in.Domains), MFAACR: domain.SplitList(in.MFAACR)}
	if strings.TrimSpace(in.Secret) != "" {
		p.SealedSecret = seal(strings.TrimSpace(in.Secret))
	}
	return p
}

func formOf(p domain.OIDCProvider) *kit.Form {
	f := kit.EmptyForm()
	f.Values = map[string]string{"name": p.Name, "issuer": p.Issuer, "client_id": p.ClientID,
		"domains": strings.Join(p.Domains, " "), "mfa_acr": strings.Join(p.MFAACR, " ")}
	return f
}

func (s *Handlers) newForm(c *gin.Context) {
	s.Render(c, http.StatusOK, "sso_provider", "Ny inloggningstjänst", providerPage{Form: kit.EmptyForm(), RedirectURI: s.BaseURL + CallbackPath})
}

func (s *Handlers) create(c *gin.Context) {
	var in providerForm
	f := kit.Bind(c, &in)
	var saved domain.OIDCProvider
	ok := s.Submit(c, f, func(tx *store.Conn) error {
		var err error
		saved, err = tx.SaveOIDCProvider(c.Request.Context(), in.provider(0, s.Sealer.Seal))
		return err
	}, func(status int) {
		s.Render(c, status, "sso_provider", "Ny inloggningstjänst", providerPage{Form: f, RedirectURI: s.BaseURL + CallbackPath})
	})
	if ok {
		s.Redirect(c, "/admin/inloggningstjanster/"+strconv.FormatInt(saved.ID, 10), "Inloggningstjänsten är sparad.")
	}
}

// loadProvider reads the provider of the :id path.
func (s *Handlers) loadProvider(c *gin.Context) (domain.OIDCProvider, bool) {
	id, err := kit.PathID(c, "id")
	if err == nil {
		var p domain.OIDCProvider
		if p, err = s.DB.Conn().OIDCProvider(c.Request.Context(), id); err == nil {
			return p, true
		}
	}
	s.Fail(c, err)
	return domain.OIDCProvider{}, false
}

// renderProvider shows a provider's page with its forms.
func (s *Handlers) renderProvider(c *gin.Context, status int, p domain.OIDCProvider, f, link *kit.Form) {
	links, err := s.DB.Conn().OIDCLinks(c.Request.Context(), p.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, status, "sso_provider", p.Name, providerPage{Provider: p, Form: f, LinkForm: link, Links: links, RedirectURI: s.BaseURL + CallbackPath})
}

func (s *Handlers) providerPage(c *gin.Context) {
	if p, ok := s.loadProvider(c); ok {
		s.renderProvider(c, http.StatusOK, p, formOf(p), kit.EmptyForm())
	}
}

func (s *Handlers) update(c *gin.Context) {
	p, ok := s.loadProvider(c)
	if !ok {
		return
	}
	var in providerForm
	f := kit.Bind(c, &in)
	if s.Submit(c, f, func(tx *store.Conn) error {
		_, err := tx.SaveOIDCProvider(c.Request.Context(), in.provider(p.ID, s.Sealer.Seal))
		return err
	}, func(status int) { s.renderProvider(c, status, p, f, kit.EmptyForm()) }) {
		s.Redirect(c, c.Request.URL.Path, "Ändringarna är sparade.")
	}
}

func (s *Handlers) setDisabled(disabled bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, ok := s.loadProvider(c)
		if !ok {
			return
		}
		if err := s.InTx(c, func(tx *store.Conn) error { return tx.SetOIDCProviderDisabled(c.Request.Context(), p.ID, disabled) }); err != nil {
			s.Fail(c, err)
			return
		}
		msg := "Inloggning via " + p.Name + " är avstängd. Användarna loggar in med lösenord."
		if !disabled {
			msg = "Inloggning via " + p.Name + " är påslagen igen."
		}
		s.Redirect(c, "/admin/inloggningstjanster/"+strconv.FormatInt(p.ID, 10), msg)
	}
}

// linkForm links a GNS user to a subject at the provider.
type linkForm struct {
	Email   string `form:"email"`
	Subject string `form:"subject"`
}

func (s *Handlers) link(c *gin.Context) {
	p, ok := s.loadProvider(c)
	if !ok {
		return
	}
	var in linkForm
	f := kit.Bind(c, &in)
	ctx := c.Request.Context()
	if s.Submit(c, f, func(tx *store.Conn) error {
		u, _, err := tx.UserForLogin(ctx, in.Email)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return domain.FieldErrorf("email", "Det finns ingen användare med e-postadressen %q.", strings.TrimSpace(in.Email))
		}
		if err != nil {
			return err
		}
		return tx.LinkOIDCSubject(ctx, p.ID, in.Subject, u.ID)
	}, func(status int) { s.renderProvider(c, status, p, formOf(p), f) }) {
		s.Redirect(c, "/admin/inloggningstjanster/"+strconv.FormatInt(p.ID, 10), "Användaren är kopplad.")
	}
}
