package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
)

func TestSearchBox(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, demoSQLite(t))
	b := newBrowser(t, s.Handler())
	b.login("sekretariat@demo.gns.example", demo.Password)
	if w := b.get("/konto"); !strings.Contains(w.Body.String(), `action="/sok"`) {
		t.Error("the page has no search box")
	}
	tests := []struct{ q, want string }{
		{"GNS/10/2020", "/arenden/GNS/10/2020"},
		{" gns/03/2019 ", "/arenden/GNS/3/2019"},
		{"Åre kommun", "/namnder/GNS/arenden?sok=%C3%85re+kommun"},
	}
	for _, tt := range tests {
		if w := b.get("/sok?q=" + url.QueryEscape(tt.q)); w.Code != http.StatusFound || location(w) != tt.want {
			t.Errorf("search %q → %d %q, want %q", tt.q, w.Code, location(w), tt.want)
		}
	}
	if w := b.get(location(b.get("/sok?q=GNS%2F10%2F2020"))); w.Code != http.StatusOK {
		t.Errorf("the case found by its number = %d", w.Code)
	}
}
