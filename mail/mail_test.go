package mail

import (
	"net/url"
	"strings"
	"testing"
)

// TestParseURL: smtp:// and smtps:// with their default ports, user and
// password; every wrong URL refused with a message that says what is wrong
// and never holds the password.
func TestParseURL(t *testing.T) {
	t.Parallel()
	good := []struct {
		in   string
		want Config
	}{
		{"smtp://mail.example.se", Config{Host: "mail.example.se", Port: 25}},
		{"smtp://gns:hemligt@mail.example.se:587", Config{Host: "mail.example.se", Port: 587, Username: "gns", Password: "hemligt"}},
		{"smtps://mail.example.se", Config{Host: "mail.example.se", Port: 465, ImplicitTLS: true}},
		{"SMTPS://u%40x:p%3Aq@[::1]:2465/", Config{Host: "::1", Port: 2465, ImplicitTLS: true, Username: "u@x", Password: "p:q"}},
	}
	for _, tt := range good {
		got, err := ParseURL(tt.in)
		if err != nil || got.Host != tt.want.Host || got.Port != tt.want.Port || got.ImplicitTLS != tt.want.ImplicitTLS ||
			got.Username != tt.want.Username || got.Password != tt.want.Password {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
	bad := map[string]string{
		"mail.example.se":                        "has no scheme",
		"http://mail.example.se":                 `has the scheme "http"`,
		"smtp://":                                "names no host",
		"smtp://u:hemligt@mail.example.se:0":     `has the port "0"`,
		"smtp://u:hemligt@mail.example.se:x25":   "not a valid URL",
		"smtp://u:hemligt@mail.example.se/inbox": "something after the host",
		"smtp://mail.example.se?tls=no":          "something after the host",
		"smtp://u:hemligt@exa mple.se":           "not a valid URL",
	}
	for in, want := range bad {
		_, err := ParseURL(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseURL(%q) = %v, want an error saying %q", in, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "hemligt") {
			t.Errorf("ParseURL(%q): the error shows the password: %v", in, err)
		}
	}
	if s := (Config{Host: "h", Port: 25, Username: "u", Password: "hemligt"}).String(); strings.Contains(s, "hemligt") {
		t.Errorf("String() = %q shows the password", s)
	}
}

// TestParseFrom: one address, with or without a name.
func TestParseFrom(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"gns@region.se": "gns@region.se", "GNS <gns@region.se>": "gns@region.se"} {
		if got, err := ParseFrom(in); err != nil || got != want {
			t.Errorf("ParseFrom(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "gns", "a@b.se, c@d.se"} {
		if _, err := ParseFrom(in); err == nil {
			t.Errorf("ParseFrom(%q) accepted", in)
		}
	}
}

// FuzzParseURL: no input makes ParseURL panic, and no error shows the
// password of the URL.
func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"smtp://mail.example.se", "smtps://u:p@h:465", "smtp://u:hemligt@h:x", "smtp://[::1", "%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseURL(s)
		if err == nil {
			if c.Host == "" || c.Port < 1 || c.Port > 65535 {
				t.Errorf("ParseURL(%q) = %+v accepted without host or port", s, c)
			}
			return
		}
		if u, perr := url.Parse(s); perr == nil && u.User != nil {
			if p, ok := u.User.Password(); ok && len(p) > 6 && strings.Contains(err.Error(), p) {
				t.Errorf("error shows the password: %v", err)
			}
		}
		if strings.Contains(err.Error(), "hemligt") && strings.Contains(s, ":hemligt@") {
			t.Errorf("error shows the password: %v", err)
		}
	})
}
