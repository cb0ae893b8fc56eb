package web

import (
	"testing"

	"github.com/region-jh/gns/web/browsertest"
)

// TestBrowserAnslagstavla: the public anslagstavla, without login, at
// 1366×768 and on a phone (390×844): no sideways scrolling, no console
// errors, no axe violations (WCAG 2.1 AA).
func TestBrowserAnslagstavla(t *testing.T) {
	t.Parallel()
	srv, _ := browserServer(t)
	b := browsertest.New(t, srv.URL, browsertest.Laptop)
	for _, vp := range []browsertest.Viewport{browsertest.Laptop, browsertest.Phone} {
		b.Resize(vp)
		b.Open("/anslagstavla")
		wantHeading(t, b, "Anslagstavla")
		b.CheckPage("anslagstavla-" + vp.Name)
	}
}
