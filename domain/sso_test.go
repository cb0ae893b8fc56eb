package domain

import (
	"strings"
	"testing"
)

func TestCheckOIDCProvider(t *testing.T) {
	t.Parallel()
	ok := func() OIDCProvider {
		return OIDCProvider{Name: "Östersunds kommun", Issuer: "https://login.microsoftonline.com/abc/v2.0", ClientID: "gns", Domains: []string{"ostersund.se"}}
	}
	tests := []struct {
		name  string
		edit  func(p *OIDCProvider)
		field string
	}{
		{"fine", func(*OIDCProvider) {}, ""},
		{"local http for a test provider", func(p *OIDCProvider) { p.Issuer = "http://127.0.0.1:5556/dex" }, ""},
		{"trailing slash kept", func(p *OIDCProvider) { p.Issuer = "https://gns.eu.auth0.com/" }, ""},
		{"no name", func(p *OIDCProvider) { p.Name = " " }, "name"},
		{"http elsewhere", func(p *OIDCProvider) { p.Issuer = "http://idp.example.se" }, "issuer"},
		{"query", func(p *OIDCProvider) { p.Issuer = "https://idp.example.se/?x=1" }, "issuer"},
		{"user", func(p *OIDCProvider) { p.Issuer = "https://a:b@idp.example.se" }, "issuer"},
		{"not a URL", func(p *OIDCProvider) { p.Issuer = "idp.example.se" }, "issuer"},
		{"no client", func(p *OIDCProvider) { p.ClientID = "" }, "client_id"},
		{"no domain", func(p *OIDCProvider) { p.Domains = nil }, "domains"},
		{"bad domain", func(p *OIDCProvider) { p.Domains = []string{"östersund"} }, "domains"},
		{"domain with space", func(p *OIDCProvider) { p.Domains = []string{"a b.se"} }, "domains"},
	}
	for _, tt := range tests {
		p := ok()
		tt.edit(&p)
		err := CheckOIDCProvider(&p)
		var field string
		if e, isErr := err.(*Error); isErr {
			field = e.Field
		}
		if field != tt.field || (err == nil) != (tt.field == "") {
			t.Errorf("%s: %v, want field %q", tt.name, err, tt.field)
		}
	}
	p := ok()
	p.Domains = []string{" @Ostersund.SE", "ostersund.se", "skola.ostersund.se"}
	if err := CheckOIDCProvider(&p); err != nil || strings.Join(p.Domains, " ") != "ostersund.se skola.ostersund.se" {
		t.Errorf("domains = %q, %v", p.Domains, err)
	}
}

func TestProviderChoiceAndMFA(t *testing.T) {
	t.Parallel()
	a := OIDCProvider{ID: 1, Name: "A", Domains: []string{"a.se"}, MFAACR: []string{"loa3"}}
	b := OIDCProvider{ID: 2, Name: "B", Domains: []string{"b.se", "skola.b.se"}}
	for email, want := range map[string]int64{"x@A.se": 1, "x@skola.b.se": 2, "x@c.se": 0, "a.se": 0, "x@": 0, "@a.se": 0, "x@sub.a.se": 0} {
		p, ok := ProviderForEmail([]OIDCProvider{a, b}, email)
		if p.ID != want || ok != (want != 0) {
			t.Errorf("ProviderForEmail(%q) = %d, %v; want %d", email, p.ID, ok, want)
		}
	}
	for _, tt := range []struct {
		amr  []string
		acr  string
		want bool
	}{
		{[]string{"pwd", "mfa"}, "", true},
		{[]string{"OTP"}, "", true},
		{[]string{"hwk"}, "", true},
		{[]string{"sc"}, "", true},
		{[]string{"pwd"}, "", false},
		{nil, "loa3", true},
		{nil, "loa2", false},
		{nil, "", false},
	} {
		if got := a.MFAAsserted(tt.amr, tt.acr); got != tt.want {
			t.Errorf("MFAAsserted(%v, %q) = %v, want %v", tt.amr, tt.acr, got, tt.want)
		}
	}
	if b.MFAAsserted(nil, "") {
		t.Error("no acr configured: an empty acr counts as MFA")
	}
}

// FuzzCheckOIDCProvider: whatever the admin types, the check neither
// panics nor keeps a domain that would not match an address.
func FuzzCheckOIDCProvider(f *testing.F) {
	f.Add("Östersunds kommun", "https://idp.example.se/realms/a", "gns", "ostersund.se skola.ostersund.se", "loa3")
	f.Add("", "http://[::1]:80", " ", ",,;@", "")
	f.Fuzz(func(t *testing.T, name, issuer, client, domains, acr string) {
		p := OIDCProvider{Name: name, Issuer: issuer, ClientID: client, Domains: SplitList(domains), MFAACR: SplitList(acr)}
		if CheckOIDCProvider(&p) != nil {
			return
		}
		for _, d := range p.Domains {
			if !p.Serves("someone@"+d) || EmailDomain("someone@"+d) != d {
				t.Errorf("domain %q kept but an address in it is not served", d)
			}
		}
	})
}
