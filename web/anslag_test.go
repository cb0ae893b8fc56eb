package web

import (
	"encoding/xml"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/region-jh/gns/store"
)

// TestAnslagstavla: without login, the anslagstavla lists the demo's
// justerade protokoll per committee with the anslag, the last day to
// appeal (past: listed as taken down) and where the minutes are kept, with
// the protokoll as a PDF; the Atom feed has the same with absolute links.
// A meeting without anslag gives no PDF, and nothing else is public.
func TestAnslagstavla(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestServer(t, db)
		anon := newBrowser(t, s.Handler())
		r := anon.get("/anslagstavla")
		page := text(r.Body.String())
		if r.Code != http.StatusOK {
			t.Fatalf("GET /anslagstavla = %d", r.Code)
		}
		for _, want := range []string{"Anslagstavla", "Nedtagna anslag", "Sista dag att överklaga", "Förvaringsplats",
			"Region Jämtland Härjedalen", "Protokollet som PDF"} {
			if !strings.Contains(page, want) {
				t.Errorf("the anslagstavla lacks %q:\n%s", want, page)
			}
		}
		links := regexpPDF.FindAllString(r.Body.String(), -1)
		if len(links) == 0 {
			t.Fatal("no protokoll PDF on the anslagstavla")
		}
		pdf := anon.get(links[0])
		if pdf.Code != http.StatusOK || pdf.Header().Get("Content-Type") != "application/pdf" {
			t.Errorf("GET %s = %d %s", links[0], pdf.Code, pdf.Header().Get("Content-Type"))
		}
		if r := anon.get("/anslagstavla/999999/protokoll.pdf"); r.Code != http.StatusNotFound {
			t.Errorf("a meeting without anslag = %d, want 404", r.Code)
		}
		if r := anon.get("/sammantraden/1/protokoll.pdf"); r.Code == http.StatusOK {
			t.Errorf("the minutes PDF outside the anslagstavla is public")
		}
		feed := anon.get("/anslagstavla.atom")
		var f struct {
			Entries []struct {
				Title string `xml:"title"`
				Link  struct {
					Href string `xml:"href,attr"`
				} `xml:"link"`
			} `xml:"entry"`
		}
		if feed.Code != http.StatusOK || !strings.HasPrefix(feed.Header().Get("Content-Type"), "application/atom+xml") || xml.Unmarshal(feed.Body.Bytes(), &f) != nil {
			t.Fatalf("GET /anslagstavla.atom = %d %s", feed.Code, feed.Header().Get("Content-Type"))
		}
		if len(f.Entries) != len(links) || !strings.HasPrefix(f.Entries[0].Link.Href, "http://localhost:8080/anslagstavla/") ||
			!strings.Contains(f.Entries[0].Title, "är justerat") {
			t.Errorf("feed entries = %+v, want %d with absolute links", f.Entries, len(links))
		}
	})
}

var regexpPDF = regexp.MustCompile(`/anslagstavla/\d+/protokoll\.pdf`)
