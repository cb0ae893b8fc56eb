package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/store"
)

// TestSearchBox: the box in the header goes straight to a case given its
// number, and otherwise shows the search page with the results grouped by
// kind, the words found marked, each linked.
func TestSearchBox(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, demoSQLite(t))
	b := newBrowser(t, s.Handler())
	b.login("sekretariat@demo.gns.example", demo.Password)
	if w := b.get("/konto"); !strings.Contains(w.Body.String(), `action="/sok"`) {
		t.Error("the page has no search box")
	}
	for _, tt := range []struct{ q, want string }{
		{"GNS/10/2020", "/arenden/GNS/10/2020"},
		{" gns/03/2019 ", "/arenden/GNS/3/2019"},
	} {
		if w := b.get("/sok?q=" + url.QueryEscape(tt.q)); w.Code != http.StatusFound || location(w) != tt.want {
			t.Errorf("search %q → %d %q, want %q", tt.q, w.Code, location(w), tt.want)
		}
	}
	if w := b.get(location(b.get("/sok?q=GNS%2F10%2F2020"))); w.Code != http.StatusOK {
		t.Errorf("the case found by its number = %d", w.Code)
	}
	for _, tt := range []struct{ q, want string }{
		{"Zakrisson", `href="/arenden/GNS/9/2020"`},
		{"Zakrisson", `<mark>Zakrisson</mark>`},
		{"Zakrisson", `<h2 id="g-document">Handlingar`},
		{"dataskyddsombud", `href="/arenden/GNS/11/2018"`},
		{"protokollet", `<mark>`},
		{"6663", `href="/arenden/GNS/9/2020"`},
		{"GNS-2021-0005", `href="/fakturor/GNS-2021-0005"`},
		{"åre", `<mark>Åre</mark>`},
	} {
		w := b.get("/sok?q=" + url.QueryEscape(tt.q))
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), tt.want) {
			t.Errorf("search %q → %d, want a page with %s", tt.q, w.Code, tt.want)
		}
	}
	if w := b.get("/sok?q=xylofonkonsert"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Inget du har behörighet till matchar") {
		t.Errorf("a search that finds nothing → %d", w.Code)
	}
	if w := b.get("/sok?q=samverkan&kind=okand"); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "Okänd sorts träff") {
		t.Errorf("an unknown kind → %d", w.Code)
	}
	if w := b.get("/sok?q=samverkan&year=20"); w.Code != http.StatusBadRequest {
		t.Errorf("a bad year → %d", w.Code)
	}
	if w := b.get("/sok?q=%3Cscript%3E"); strings.Contains(w.Body.String(), "<script>") {
		t.Error("the query is written into the page unescaped")
	}
}

// TestSearchAPI: GET /api/v1/search on both engines: results with kind,
// link and marked snippet; the filters; a party representative's search
// finds its own party's invoices and never another's; bad filters are 400.
func TestSearchAPI(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		s, _ := newTestServer(t, db)
		h := s.Handler()
		eco := tokenFor(t, db, "ekonom@demo.gns.example")
		party := tokenFor(t, db, "bracke@demo.gns.example")
		member := tokenFor(t, db, "ledamot@demo.gns.example")

		code, body := apiCall(t, h, eco, "GET", "/api/v1/search?q=Zakrisson", "")
		results, _ := body["results"].([]any)
		if code != http.StatusOK || len(results) == 0 {
			t.Fatalf("search Zakrisson = %d %v", code, body)
		}
		first := results[0].(map[string]any)
		if first["url"] == "" || first["kind"] == "" || len(first["snippet"].([]any)) == 0 {
			t.Errorf("first result lacks url, kind or snippet: %v", first)
		}
		marked := false
		for _, seg := range first["snippet"].([]any) {
			if m := seg.(map[string]any); m["mark"] == true && strings.EqualFold(m["text"].(string), "zakrisson") {
				marked = true
			}
		}
		if !marked {
			t.Errorf("the snippet does not mark Zakrisson: %v", first["snippet"])
		}

		_, all := apiCall(t, h, eco, "GET", "/api/v1/search?q=GNS&kind=invoice&committee=GNS&year=2021", "")
		if n := len(all["results"].([]any)); n < 16 {
			t.Errorf("the economist finds %d invoices of 2021, want 16", n)
		}
		_, mine := apiCall(t, h, party, "GET", "/api/v1/search?q=GNS&kind=invoice", "")
		own := mine["results"].([]any)
		if len(own) == 0 {
			t.Error("the party finds none of its invoices")
		}
		for _, r := range own {
			if title := r.(map[string]any)["title"].(string); !strings.Contains(title, "Bräcke") {
				t.Errorf("the Bräcke representative finds %q", title)
			}
		}
		for _, q := range []string{"GNS-2021-0005", "Krokom", "Åre kommun", "faktura", "kreditfaktura"} {
			for _, tok := range []string{party, member} {
				_, b := apiCall(t, h, tok, "GET", "/api/v1/search?q="+url.QueryEscape(q), "")
				for _, r := range b["results"].([]any) {
					m := r.(map[string]any)
					if m["kind"] == "invoice" && (tok == member || !strings.Contains(m["title"].(string), "Bräcke")) {
						t.Errorf("search %q finds another party's invoice: %v", q, m["title"])
					}
				}
			}
		}
		for _, bad := range []string{"/api/v1/search", "/api/v1/search?q=x&kind=allt", "/api/v1/search?q=x&committee=NOPE", "/api/v1/search?q=x&year=abc", "/api/v1/search?q=x&limit=0"} {
			if code, _ := apiCall(t, h, eco, "GET", bad, ""); code != http.StatusBadRequest {
				t.Errorf("GET %s = %d, want 400", bad, code)
			}
		}
	})
}
