package web

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/reports/pdf/pdftest"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/browsertest"
)

// The print tests print pages to PDF as Chromium's "Save as PDF" does
// (through WebDriver's Print Page, A4), read the text back with pdftotext
// and check that the document holds the page's content and none of the
// screen's menu, search, skip link, banner, forms and buttons. The PDFs are
// written next to the screenshots (browsertest.OutputDir) for a look.

// printChecks holds what a printed page must and must not say.
type printChecks struct {
	want, notWant []string
}

// chrome are texts of the layout around every page that no printout shows:
// the skip link, the demo banner, the search, the logout button, the brand
// and the footer.
var chrome = []string{"Hoppa till innehållet", "Demoläge", "Sök i GNS", "Logga ut", "GNS Gemensamma nämnder", "ärenden, sammanträden och ekonomi"}

// standalone matches a word on its own, not as part of a longer word.
func standalone(word string) *regexp.Regexp {
	return regexp.MustCompile(`(^|[^\p{L}])` + regexp.QuoteMeta(word) + `($|[^\p{L}])`)
}

// printedLine is the layout's print-only line: when and by whom.
var printedLine = regexp.MustCompile(`Utskriven \d{4}-\d{2}-\d{2} kl\. \d{2}\.\d{2} av \S.* ur GNS`)

// pageCount reads the number of pages from the page margin's "Sida 1 av N".
var pageCount = regexp.MustCompile(`Sida 1 av (\d+)`)

// checkPrint prints the page shown to a PDF named name, checks its text
// against c, the layout's chrome and the main menu's labels, and returns the
// text and the number of pages.
func checkPrint(t *testing.T, b *browsertest.Browser, name string, c printChecks) (string, int) {
	t.Helper()
	checkPrintLayout(t, b)
	// The menu's labels, except those the page's own content also says
	// (the share page's heading is "Vår andel – ...").
	var labels []string
	for _, a := range b.FindAll(".site-nav a") {
		labels = append(labels, strings.TrimSpace(a.Text()))
	}
	content := b.Text("main")
	pdf, file := b.SavePrint(name)
	// Read as laid out, so that a table's row reads as one line.
	text := pdftest.Text(t, pdf, true)
	t.Logf("%s printed to %s", b.Path(), file)
	missing := false
	if !printedLine.MatchString(text) {
		t.Errorf("the printout of %s does not say when and by whom it was printed", b.Path())
	}
	for _, w := range c.want {
		if !strings.Contains(text, w) {
			missing = true
			t.Errorf("the printout of %s lacks %q", b.Path(), w)
		}
	}
	if missing {
		t.Logf("the printout of %s reads:\n%s", b.Path(), text)
	}
	for _, w := range append(append([]string{}, chrome...), c.notWant...) {
		if strings.Contains(text, w) {
			t.Errorf("the printout of %s says %q, which belongs to the screen only", b.Path(), w)
		}
	}
	checked := 0
	for _, l := range labels {
		if l == "" || strings.Contains(content, l) {
			continue
		}
		checked++
		if standalone(l).MatchString(text) {
			t.Errorf("the printout of %s holds the menu's %q", b.Path(), l)
		}
	}
	if checked < 3 {
		t.Errorf("only %d of the menu's labels %q could be looked for in the printout", checked, labels)
	}
	if standalone("Sök").MatchString(text) {
		t.Errorf("the printout of %s holds a search button (Sök)", b.Path())
	}
	m := pageCount.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("the printout of %s has no page numbers (Sida 1 av N) in its margin:\n%s", b.Path(), text)
	}
	pages, _ := strconv.Atoi(m[1])
	return text, pages
}

// printLayoutJS looks at the page as printed (print media emulated) and
// lists what is wrong with it.
const printLayoutJS = `var problems = [];
function shown(el) { return el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'; }
document.querySelectorAll('.skip-link, .demo-banner, .site-header, .site-nav, .site-search, .site-footer, main form, main button, main .button, main nav, .no-print').forEach(function (el) {
  if (shown(el)) problems.push('shows ' + el.tagName.toLowerCase() + '.' + el.className + ' "' + el.textContent.trim().slice(0, 40) + '"');
});
var body = getComputedStyle(document.body), main = document.querySelector('main');
if (body.color !== 'rgb(0, 0, 0)') problems.push('text colour ' + body.color + ', want black');
['rgba(0, 0, 0, 0)', 'rgb(255, 255, 255)'].indexOf(body.backgroundColor) < 0 && problems.push('background ' + body.backgroundColor + ', want white');
document.querySelectorAll('main a').forEach(function (a) {
  var c = getComputedStyle(a).color;
  if (shown(a) && c !== 'rgb(0, 0, 0)') problems.push('link ' + a.textContent.trim().slice(0, 30) + ' in ' + c + ', want black');
});
document.querySelectorAll('main table').forEach(function (t) {
  if (!shown(t)) return;
  if (t.getBoundingClientRect().width < main.getBoundingClientRect().width - 2) problems.push('table "' + (t.caption ? t.caption.textContent.trim().slice(0, 30) : '') + '" is not full width');
  if (t.tHead && getComputedStyle(t.tHead).display !== 'table-header-group') problems.push('thead not repeated on each page');
  t.querySelectorAll('tr').forEach(function (r) {
    if (getComputedStyle(r).breakInside !== 'avoid') problems.push('a row may split between pages');
  });
  t.querySelectorAll('.num').forEach(function (c) {
    var s = getComputedStyle(c);
    if (s.whiteSpace !== 'nowrap' || s.textAlign !== 'right') problems.push('amount ' + c.textContent.trim() + ' may wrap or is not right-aligned');
  });
});
document.querySelectorAll('svg.chart').forEach(function (svg) {
  if (!shown(svg) || svg.getBoundingClientRect().width < 100) problems.push('a chart is not printed');
  var fig = svg.closest('figure'), next = fig && fig.nextElementSibling;
  if (!next || !next.querySelector('table') && next.tagName !== 'TABLE') problems.push('a chart is not followed by its table');
  else if (getComputedStyle(fig).breakAfter !== 'avoid') problems.push('a chart may be printed on another page than its table');
});
return problems;`

// checkPrintLayout fails the test for everything printLayoutJS finds wrong
// with the page shown as printed.
func checkPrintLayout(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	b.EmulateMedia("print")
	defer b.EmulateMedia("")
	var problems []string
	b.Exec(&problems, printLayoutJS)
	seen := map[string]bool{}
	for _, p := range problems {
		if !seen[p] {
			seen[p] = true
			t.Errorf("%s as printed: %s", b.Path(), p)
		}
	}
}

// TestBrowserPrintShare prints the party's "Vår andel" as its
// representative would, for the council or the file.
func TestBrowserPrintShare(t *testing.T) {
	t.Parallel()
	srv, _ := browserServer(t)
	b := browsertest.New(t, srv.URL, browsertest.Desktop)
	if got := logIn(b, "bracke@demo.gns.example", demo.Password); got != "/var-andel" {
		t.Fatalf("after logging in the party user is at %s, want /var-andel", got)
	}
	b.Open("/var-andel?ar=2021")
	wantHeading(t, b, "Vår andel – Bräcke kommun")
	text, pages := checkPrint(t, b, "var-andel-2021", printChecks{
		want: []string{
			"Vår andel – Bräcke kommun",
			"Gemensam nämnd för samverkan inom drift och service",
			"2021: att betala 49 590,00 kr",
			// The shares, each amount whole on its line, and the sum.
			"Vad Metod Underlag Belopp Beslut",
			"101 600,00 kr", "−52 010,00 kr", "Summa beslutat 2021 49 590,00 kr",
			"GNS § 16/2020", "GNS/8/2020",
			// The invoices without the download column.
			"Nummer Slag Datum Förfaller Belopp Betalt Status",
			"GNS-2021-0005 Faktura 2021-01-04 2021-01-31 101 600,00 kr",
			// The chart (its scale) and the table with its figures.
			"tkr", "Belopp per år och slag",
			"År Basfinansiering Projekt Direktdebiterat Återbetalning Netto",
			"Alla parters andelar",
		},
		notWant: []string{"Visa året", "Hämta årsbesked", "Hämta", "e-faktura", "PDF för", "Start ›"},
	})
	if strings.Count(text, "Summa beslutat 2021") != 1 {
		t.Errorf("the printout repeats the sum on every page; want it once, at the end of the table")
	}
	if pages < 1 || pages > 4 {
		t.Errorf("Vår andel 2021 printed on %d pages, want 1 to 4", pages)
	}
}

// TestBrowserPrintCaseList prints a case list longer than a page: the column
// headings come again on every page and the screen's search form is gone.
func TestBrowserPrintCaseList(t *testing.T) {
	t.Parallel()
	srv, db := browserServer(t)
	ctx := context.Background()
	var added []domain.Case
	err := db.InTx(ctx, func(c *store.Conn) error {
		cm, err := c.CommitteeByCode(ctx, demo.CommitteeCode)
		if err != nil {
			return err
		}
		for i := 1; i <= 45; i++ {
			cs, err := c.RegisterCase(ctx, cm, domain.Case{Title: fmt.Sprintf("Utskriftsprov %d: avtal om gemensam IT-drift för parterna i nämnden", i), RegisteredOn: today()})
			if err != nil {
				return err
			}
			added = append(added, cs)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t, srv.URL, browsertest.Desktop)
	if got := logIn(b, "sekretariat@demo.gns.example", demo.Password); got != "/" {
		t.Fatalf("after logging in the secretariat is at %s, want /", got)
	}
	b.Open("/namnder/GNS/arenden")
	wantHeading(t, b, "Ärenden – GNS")
	const headings = "Diarienummer Titel Status Handläggare Registrerat"
	text, pages := checkPrint(t, b, "arenden-GNS", printChecks{
		want: []string{
			"Ärenden – GNS",
			"Gemensam nämnd för samverkan inom drift och service",
			"54 ärenden, nyaste diarienummer först",
			headings,
			added[len(added)-1].Number.String() + " Utskriftsprov 45",
			added[0].Number.String() + " Utskriftsprov 1",
			"GNS/10/2020 Sammanträdestider 2021",
		},
		notWant: []string{"Registrera ärende", "Sök i titel", "Alla år", "Äldre ärenden", "Start ›"},
	})
	if pages < 2 {
		t.Fatalf("the case list printed on %d page, want several to see the headings repeat", pages)
	}
	if got := strings.Count(text, headings); got != pages {
		t.Errorf("the column headings are printed %d times on %d pages, want once on every page", got, pages)
	}
}

// TestBrowserPrintLists prints the other lists of the committee as its
// secretariat would: each keeps its heading, the committee's name and its
// table, and loses the screen's menu, filters and buttons.
func TestBrowserPrintLists(t *testing.T) {
	t.Parallel()
	srv, _ := browserServer(t)
	b := browsertest.New(t, srv.URL, browsertest.Desktop)
	if got := logIn(b, "sekretariat@demo.gns.example", demo.Password); got != "/" {
		t.Fatalf("after logging in the secretariat is at %s, want /", got)
	}
	const committee = "Gemensam nämnd för samverkan inom drift och service"
	for _, c := range []struct {
		path string
		want []string
	}{
		{"/namnder/GNS/uppdrag?status=alla", []string{"Alla uppdrag", committee, "Givet Ärende Till Uppdrag Senast Status"}},
		{"/namnder/GNS/fakturor", []string{"Fakturor – GNS", committee, "Nummer Part Datum Förfaller Belopp Återstår Status",
			"GNS-2021-0001 Östersunds 2021-01-04 2021-01-31 101 600,00 kr 0,00 kr Betald"}},
		{"/namnder/GNS/fordelningar", []string{"Fördelningar – GNS", committee, "Nr Rubrik Gäller Belopp Metod Beslut Status", "Basfinansiering 2021"}},
		{"/namnder/GNS/sammantraden?ar=2021", []string{"Sammanträden 2021 – GNS", committee, "Dag Tid Plats Syfte Status"}},
		{"/parter", []string{"Parter", "Part Typ Kommunkod Organisationsnummer Peppol-id Nämnder", "Bräcke kommun"}},
	} {
		b.Open(c.path)
		checkPrint(t, b, "sekretariat-"+pageName(c.path), printChecks{
			want:    c.want,
			notWant: []string{"Start ›", "Registrera part", "Ny fördelning", "Planera sammanträde", "Faktureringsuppgifter", "Förhandsgranska fakturering", "Prenumerera"},
		})
	}
}

// tabletPages are the main pages of each demo role, by e-mail: the lists,
// one of each thing they list, and the party's own share. Every role also
// sees the committee register, its account and the committee's cases,
// meetings, parties and members.
var tabletPages = func() map[string][]string {
	common := []string{"/", "/konto", "/namnder/GNS", "/namnder/GNS/arenden", "/arenden/GNS/10/2020", "/namnder/GNS/uppdrag?status=alla",
		"/namnder/GNS/sammantraden?ar=2020", "/parter", "/namnder/GNS/ledamoter", "/namnder/GNS/invanare?datum=2020-12-31"}
	staff := []string{"/namnder/GNS/fordelningar", "/namnder/GNS/fakturor", "/fakturor/GNS-2021-0001", "/namnder/GNS/ekonomi"}
	with := func(extra ...[]string) []string {
		pages := append([]string{}, common...)
		for _, e := range extra {
			pages = append(pages, e...)
		}
		return pages
	}
	return map[string][]string{
		"admin@demo.gns.example":       with(staff, []string{"/admin/anvandare", "/granskning"}),
		"sekretariat@demo.gns.example": with(staff),
		"ekonom@demo.gns.example":      with(staff, []string{"/namnder/GNS/fordelningar/ny"}),
		"bracke@demo.gns.example":      with([]string{"/var-andel?ar=2021", "/namnder/GNS/fakturor"}),
		"ledamot@demo.gns.example":     with(),
		"revisor@demo.gns.example":     with(staff, []string{"/granskning"}),
	}
}()

// touchTargetsJS lists the menu's links and buttons and the page's buttons
// that are shown but less than 44 px high, too small for a finger; a button
// that looks like a link within a line of text or a table row (button.link,
// e.g. "Upp" and "Ned") need only be the 24 px of WCAG 2.2's 2.5.8.
const touchTargetsJS = `var small = [];
document.querySelectorAll('.site-nav a, .site-nav button, .site-search button, .site-search input, main button, main .button').forEach(function (el) {
  var r = el.getBoundingClientRect(), least = el.matches('main button.link') ? 24 : 44;
  if (r.width > 0 && r.height < least - 0.5) small.push(el.tagName.toLowerCase() + ' "' + el.textContent.trim().slice(0, 40) + '" ' + Math.round(r.height) + ' px, want ' + least);
});
return small;`

// TestBrowserTablet opens the main pages of every demo role on a tablet held
// on its side (1024×768; every page is also seen upright, 768×1024, by the
// tests of its own area): each must fit the width (a wide table scrolls in
// its own box, never the page), pass axe-core, leave the console clean and
// offer touch targets at least 44 px high.
func TestBrowserTablet(t *testing.T) {
	t.Parallel()
	srv, _ := browserServer(t)
	for _, du := range demo.Users {
		t.Run(string(du.Role), func(t *testing.T) {
			t.Parallel()
			pages := tabletPages[du.Email]
			if len(pages) == 0 {
				t.Fatalf("no tablet pages for the demo user %s", du.Email)
			}
			b := browsertest.New(t, srv.URL, browsertest.TabletLandscape)
			if got := logIn(b, du.Email, demo.Password); got == "/logga-in" || strings.HasPrefix(got, "/logga-in/") {
				t.Fatalf("%s could not log in: at %s", du.Email, got)
			}
			for _, p := range pages {
				b.Open(p)
				if h := b.Text("main h1"); h == "" || h == "Sidan finns inte" || h == "Ingen behörighet" {
					t.Errorf("%s: heading %q, want the page", p, h)
					continue
				}
				b.CheckConsole()
				b.CheckAxe()
				b.CheckFitsWidth()
				var small []string
				b.Exec(&small, touchTargetsJS)
				for _, s := range small {
					t.Errorf("%s: %s is too small to touch", p, s)
				}
				b.Screenshot(string(du.Role) + "-" + pageName(p))
			}
		})
	}
}
