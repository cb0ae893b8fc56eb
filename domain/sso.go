package domain

import (
	"net/url"
	"slices"
	"strings"
	"time"
)

// OIDCProvider is an organisation's identity provider that its staff and
// elected members log in to GNS through with OpenID Connect (single sign-on).
// The admin configures it; it serves the e-mail domains listed, and never
// creates users or roles: a login through it is matched to a GNS user.
type OIDCProvider struct {
	ID int64
	// Name is the organisation as the login button names it: "Östersunds
	// kommun" gives "Logga in med Östersunds kommun".
	Name string
	// Issuer is the provider's issuer URL, where its discovery document
	// (/.well-known/openid-configuration) is found.
	Issuer   string
	ClientID string
	// SealedSecret is the client secret sealed with the server's key; it is
	// never shown.
	SealedSecret string
	// Domains are the e-mail domains (lower case) the provider serves: a user
	// is found by e-mail only in these, and typing an address in one picks it.
	Domains []string
	// MFAACR are acr values that the provider uses for a multi-factor login
	// (e.g. a Swedish eID's LoA 3): a login with one satisfies GNS's
	// two-factor requirement, as does an amr claim of a second factor.
	MFAACR     []string
	DisabledAt time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Disabled reports whether the provider may no longer be used to log in.
func (p OIDCProvider) Disabled() bool { return !p.DisabledAt.IsZero() }

// Label is the text of the provider's login button.
func (p OIDCProvider) Label() string { return "Logga in med " + p.Name }

// Serves reports whether the provider serves the domain of e-mail address
// email.
func (p OIDCProvider) Serves(email string) bool {
	d := EmailDomain(email)
	return d != "" && slices.Contains(p.Domains, d)
}

// EmailDomain returns the domain of an e-mail address in lower case, or "".
func EmailDomain(email string) string {
	at := strings.LastIndexByte(email, '@')
	if at < 1 || at == len(email)-1 {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(email[at+1:]))
}

// ProviderForEmail returns the enabled provider that serves the domain of
// email, if any.
func ProviderForEmail(providers []OIDCProvider, email string) (OIDCProvider, bool) {
	for _, p := range providers {
		if !p.Disabled() && p.Serves(email) {
			return p, true
		}
	}
	return OIDCProvider{}, false
}

// MFAMethods are the RFC 8176 amr values that tell a provider has checked a
// second factor (or a factor that is two in one, such as a smart card with
// its PIN): "mfa" multiple factors, "otp" a one-time code, "hwk" a hardware
// key, "sc" a smart card (SITHS).
var MFAMethods = []string{"mfa", "otp", "hwk", "sc"}

// MFAAsserted reports whether an ID token's amr and acr claims say the
// provider checked more than one factor: an amr value of MFAMethods, or an
// acr the admin has named as multi-factor for the provider.
func (p OIDCProvider) MFAAsserted(amr []string, acr string) bool {
	for _, m := range amr {
		if slices.Contains(MFAMethods, strings.ToLower(m)) {
			return true
		}
	}
	return acr != "" && slices.Contains(p.MFAACR, acr)
}

// SplitList reads a list typed one item a line, or separated by commas or
// spaces, dropping empty items and repeats.
func SplitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// CheckOIDCProvider trims and checks a provider as the admin enters it. The
// issuer must be an https URL (http only on localhost, for a test provider)
// without query or fragment; domains are lower-cased host names. Errors are
// field errors on name, issuer, client_id, domains and mfa_acr.
func CheckOIDCProvider(p *OIDCProvider) error {
	name, err := CheckName(p.Name)
	if err != nil {
		return FieldErrorf("name", "Ange organisationens namn (högst %d tecken), t.ex. Östersunds kommun.", MaxNameLength)
	}
	p.Name = name
	p.Issuer = strings.TrimSpace(p.Issuer)
	u, err := url.Parse(p.Issuer)
	local := err == nil && (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1" || u.Hostname() == "::1")
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || !(u.Scheme == "https" || u.Scheme == "http" && local) || len(p.Issuer) > 500 {
		return FieldErrorf("issuer", "Ange utfärdarens adress (issuer) som en https-adress, t.ex. https://login.microsoftonline.com/<tenant>/v2.0.")
	}
	p.ClientID = strings.TrimSpace(p.ClientID)
	if p.ClientID == "" || len(p.ClientID) > 500 || strings.ContainsAny(p.ClientID, " \t\r\n") {
		return FieldErrorf("client_id", "Ange klient-id som leverantören gav GNS.")
	}
	var domains []string
	for _, d := range p.Domains {
		d = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(d), "@"))
		if !validDomain(d) {
			return FieldErrorf("domains", "%q är inte en e-postdomän (t.ex. ostersund.se).", d)
		}
		if !slices.Contains(domains, d) {
			domains = append(domains, d)
		}
	}
	if len(domains) == 0 {
		return FieldErrorf("domains", "Ange minst en e-postdomän som leverantören svarar för, t.ex. ostersund.se.")
	}
	p.Domains = domains
	for _, a := range p.MFAACR {
		if len(a) > 300 {
			return FieldErrorf("mfa_acr", "Ett acr-värde är för långt.")
		}
	}
	return nil
}

// validDomain reports whether d looks like a host name with a dot: letters,
// digits, hyphens and dots (IDN domains are typed in their xn-- form, as in
// e-mail addresses on the wire).
func validDomain(d string) bool {
	if len(d) < 3 || len(d) > 253 || !strings.Contains(d, ".") || strings.HasPrefix(d, ".") || strings.HasSuffix(d, ".") || strings.Contains(d, "..") {
		return false
	}
	for _, r := range d {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}
