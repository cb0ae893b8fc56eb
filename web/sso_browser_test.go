package web

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/demo/idp"
	"github.com/region-jh/gns/web/browsertest"
)

// TestBrowserSSODemo is single sign-on tried as a new user would, at a
// laptop's and a phone's size: the demo's local provider registered, the
// address typed on the login page, the user chosen at the provider, back
// in GNS logged in, and out again with the provider's logout offered.
func TestBrowserSSODemo(t *testing.T) {
	t.Parallel()
	browsertest.Require(t)
	db := demoSQLite(t)
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	s, err := New(Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test", SecretKey: testKey, BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = s.Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	p, err := idp.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Stop() })
	sealer, err := auth.NewSealer(testKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Register(context.Background(), db, sealer); err != nil {
		t.Fatal(err)
	}
	for _, vp := range []browsertest.Viewport{laptop, phone} {
		b := browsertest.New(t, base, vp)
		b.Open("/logga-in")
		b.CheckPage("sso-login-" + vp.Name)
		b.Fill("#sso-email", "ledamot@demo.gns.example")
		b.ClickAndWait(".sso button[type=submit]:not([name])")
		if got := b.Text("h1"); got != "Demo-IdP (lokal)" {
			t.Fatalf("%s: after Fortsätt the page is %q, want the demo provider", vp.Name, got)
		}
		b.ClickAndWait("form button[type=submit]")
		if got := b.Path(); got != "/" {
			t.Fatalf("%s: back from the provider at %s, want /", vp.Name, got)
		}
		wantHeading(t, b, "Start")
		openMenu(b)
		b.ClickAndWait(".site-nav form[action='/logga-ut'] button")
		wantHeading(t, b, "Du är utloggad från GNS")
		b.CheckPage("sso-logged-out-" + vp.Name)
	}
}
