package web

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/web/browsertest"
)

// TestBrowserEveryPageOnAPhone logs in as each demo role and visits every
// page that role reaches by following links from its start page (the menu,
// lists, a case, a meeting and its kallelse, the minutes, a paragraph, the
// justera page of a justerare, the protokoll, Vår andel, invoices,
// allocations, the economy and its reports, the audit trail, the account),
// at phone size (390×844) and at a laptop's (1366×768). No page may be
// wider than the window, so that nothing is read by scrolling sideways,
// and on a phone the header above the page's heading takes less than a third
// of the screen. A screenshot of every page at both sizes goes to
// browsertest.OutputDir (testoutput/screenshots).
func TestBrowserEveryPageOnAPhone(t *testing.T) {
	t.Parallel()
	srv, db := browserServer(t)
	m, _, _, _ := justeraMeeting(t, db) // the demo ledamot has minutes to justera
	for _, du := range demo.Users {
		who := du.Email[:strings.IndexByte(du.Email, '@')]
		t.Run(who, func(t *testing.T) {
			t.Parallel()
			b := browsertest.New(t, srv.URL, browsertest.Phone)
			if got := logIn(b, du.Email, demo.Password); got == "/logga-in" {
				t.Fatalf("%s could not log in", du.Email)
			}
			start := []string{b.Path()}
			if who == "ledamot" {
				start = append(start, fmt.Sprintf("/sammantraden/%d/justera", m.ID))
			}
			pages := crawl(t, b, start, 90)
			if len(pages) < 8 {
				t.Errorf("%s reached only %d pages: %v", who, len(pages), pages)
			}
			t.Logf("%d pages: %s", len(pages), strings.Join(pages, " "))
			b.Resize(browsertest.Laptop)
			for _, p := range pages {
				b.Open(p)
				checkWidth(t, b, who)
			}
		})
	}
}

// notPages are links the crawl does not follow: files (PDF, ZIP, CSV, XLSX,
// calendars, e-invoices, SIE, uploaded documents), the API, and logging out.
var notPages = regexp.MustCompile(`^/(api/|static/|logga-ut|kalender/.)|\.(pdf|zip|csv|xlsx|ics|xml)$|/(pdf|fil|sie|e-faktura|e-fakturor|xlsx)$|/(handlingar|styrdokument|utdrag)/`)

// digits are the ids and years in a path, which crawl treats as one page.
var digits = regexp.MustCompile(`[0-9]+`)

// crawl visits the pages from start on and every same-site page they link
// to, checking each at the browser's viewport (checkWidth), until it has
// seen max pages. Pages that differ only in their ids and years count as
// one kind, of which one is visited (the crawl must fit the README's test
// command in Go's default ten minutes, with every role's pages growing); a
// query string is a kind of its own. It returns the
// paths visited.
func crawl(t *testing.T, b *browsertest.Browser, start []string, max int) []string {
	t.Helper()
	who := t.Name()[strings.LastIndexByte(t.Name(), '/')+1:]
	queue, seen, kinds := append([]string(nil), start...), map[string]bool{}, map[string]int{}
	for _, s := range start {
		seen[s] = true
	}
	var visited []string
	for len(queue) > 0 && len(visited) < max {
		path := queue[0]
		queue = queue[1:]
		b.Open(path)
		var status int
		b.Exec(&status, "var n = performance.getEntriesByType('navigation')[0]; return n ? n.responseStatus : 0")
		if status >= 500 {
			t.Errorf("%s answers %d", path, status)
		}
		if got := b.Path(); got != strings.SplitN(path, "?", 2)[0] {
			continue // sent elsewhere (a step that does not apply): checked where it leads
		}
		visited = append(visited, path)
		checkWidth(t, b, who)
		var hrefs []string
		b.Exec(&hrefs, "return Array.from(document.querySelectorAll('a[href]')).filter(function (a) { return a.origin === location.origin && !a.hasAttribute('download'); }).map(function (a) { return a.pathname + a.search; })")
		sort.Strings(hrefs)
		for _, h := range hrefs {
			if seen[h] || notPages.MatchString(strings.SplitN(h, "?", 2)[0]) {
				continue
			}
			seen[h] = true
			kind := digits.ReplaceAllString(h, "N")
			if u, err := url.Parse(h); err == nil && u.RawQuery != "" {
				kind = digits.ReplaceAllString(u.Path, "N") + "?" + h[strings.IndexByte(h, '?'):]
			}
			if kinds[kind] >= 1 {
				continue
			}
			kinds[kind]++
			queue = append(queue, h)
		}
	}
	return visited
}

// widthJS measures the page against the window and names the elements that
// stick out of it (the outermost ones, not their children), and the height
// of what is above main.
const widthJS = `var w = window.innerWidth, out = [];
function name(e) { var s = e.tagName.toLowerCase(); if (e.id) s += '#' + e.id; if (typeof e.className === 'string' && e.className) s += '.' + e.className.trim().split(/\s+/).join('.'); return s; }
document.querySelectorAll('main *, header *, body > *').forEach(function (e) {
  var r = e.getBoundingClientRect(), p = e.parentElement && e.parentElement.getBoundingClientRect();
  if (r.width > 0 && r.right > w + 1 && !(p && p.right > w + 1)) out.push(name(e) + ' (' + Math.round(r.right) + ' px)');
});
var main = document.querySelector('main');
return {Page: document.documentElement.scrollWidth, View: w, Wide: out.slice(0, 5), Header: main ? Math.round(main.getBoundingClientRect().top + window.scrollY) : 0, Height: window.innerHeight};`

// checkWidth fails the test when the page shown is wider than the window,
// or, on a phone, when the header takes a third of the screen or more; and
// saves a screenshot named after who and the path.
func checkWidth(t *testing.T, b *browsertest.Browser, who string) {
	t.Helper()
	var got struct {
		Page, View, Header, Height int
		Wide                       []string
	}
	b.Exec(&got, widthJS)
	path := strings.TrimPrefix(b.URL(), b.URL()[:strings.Index(b.URL(), "//")+2])
	path = path[strings.IndexByte(path, '/'):]
	if got.Page > got.View {
		t.Errorf("%s at %s is %d px wide in a %d px window: %s", path, b.Viewport().Name, got.Page, got.View, strings.Join(got.Wide, ", "))
	}
	if b.Viewport().Width < 500 && got.Header*3 >= got.Height {
		t.Errorf("%s at %s: the header takes %d of %d px", path, b.Viewport().Name, got.Header, got.Height)
	}
	b.Screenshot("all-" + who + "-" + pageName(strings.NewReplacer("?", "-", "=", "-", "&", "-").Replace(path)))
}
