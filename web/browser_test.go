package web

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/browsertest"
)

// The browser tests drive a headless Chromium through GNS as people use it,
// and check every page they pass for errors in the browser console, for the
// WCAG 2.1 AA rules axe-core can test, and for keyboard use; screenshots go
// to testoutput/screenshots. They need chromium and chromium-driver (see
// browsertest.Require). A new page gets one short test function here.

// browserServer serves GNS over HTTP on a SQLite database with the demo
// committee and the demo users, for a browser to use.
func browserServer(t *testing.T) (*httptest.Server, *store.DB) {
	t.Helper()
	browsertest.Require(t) // skip before any work when there is no browser
	db := demoSQLite(t)
	s, _ := newTestServer(t, db)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv, db
}

// browserAs starts GNS on the demo data and a desktop browser logged in as
// the demo user with e-mail email (demo users skip two-factor while the demo
// users are there). A test of a new page is a few lines on top of it:
//
//	func TestBrowserPartyShare(t *testing.T) {
//		t.Parallel()
//		b := browserAs(t, "bracke@demo.gns.example")
//		b.ClickAndWait(".site-nav a[href='/var-andel']")
//		wantHeading(t, b, "Vår andel")
//		b.CheckPage("party-var-andel")
//		invoice := b.Download("a.invoice-pdf")
//		// check invoice.Status, invoice.ContentType, invoice.Body
//	}
func browserAs(t *testing.T, email string) *browsertest.Browser {
	t.Helper()
	srv, _ := browserServer(t)
	b := browsertest.New(t, srv.URL, browsertest.Desktop)
	if got := logIn(b, email, demo.Password); got != "/" {
		t.Fatalf("after logging in %s is at %s, want /", email, got)
	}
	return b
}

// logIn fills in and sends the login form and returns the path the browser
// was sent to.
func logIn(b *browsertest.Browser, email, password string) string {
	b.Open("/logga-in")
	b.Fill("#f-email", email)
	b.Fill("#f-password", password)
	b.ClickAndWait("main form button[type=submit]")
	return b.Path()
}

// logOut clicks "Logga ut" in the menu.
func logOut(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	openMenu(b)
	b.ClickAndWait(".site-nav form[action='/logga-ut'] button")
	if got := b.Path(); got != "/logga-in" {
		t.Fatalf("after logging out the browser is at %s, want /logga-in", got)
	}
}

// openMenu opens the menu where a phone folds it behind "Meny".
func openMenu(b *browsertest.Browser) {
	var folded bool
	b.Exec(&folded, "var m = document.querySelector('.menu-toggle'); return !!m && m.offsetParent !== null && m.getAttribute('aria-expanded') !== 'true'")
	if folded {
		b.Click(".menu-toggle")
	}
}

// wantHeading fails the test unless the page's main heading is want.
func wantHeading(t *testing.T, b *browsertest.Browser, want string) {
	t.Helper()
	if got := b.Text("main h1"); got != want {
		t.Fatalf("%s: heading %q, want %q", b.Path(), got, want)
	}
}

// totp returns the code an authenticator app shows for secret at time at.
func totp(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	code, err := auth.TOTPCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func TestBrowserTwoFactorEnrolmentAndLogin(t *testing.T) {
	t.Parallel()
	srv, db := browserServer(t)
	cm, err := db.Conn().CommitteeByCode(context.Background(), demo.CommitteeCode)
	if err != nil {
		t.Fatal(err)
	}
	// Not a demo user: the secretariat's two-factor requirement holds even
	// while the demo users are there.
	const email = "sekreterare@gns.example"
	newUser(t, db, email, domain.RoleGrant{Role: domain.RoleSecretariat, CommitteeID: cm.ID}, false)
	b := browsertest.New(t, srv.URL, browsertest.Desktop)

	if got := logIn(b, email, testPassword); got != "/konto/tvafaktor?till=%2F" {
		t.Fatalf("after the password a secretariat user without two-factor is at %s, want the enrolment", got)
	}
	wantHeading(t, b, "Aktivera tvåstegsverifiering")
	b.CheckPage("tvafaktor-aktivera")
	secret := strings.TrimSpace(b.Text(".secret"))
	if len(secret) < 16 {
		t.Fatalf("enrolment shows the secret %q, want a base32 key", secret)
	}

	// A wrong code: the page says so at the field and changes nothing.
	b.Fill("#f-code", "000000")
	b.ClickAndWait("main form button[type=submit]")
	wantFieldError(t, b, "code", "Koden stämmer inte")
	b.CheckPage("tvafaktor-fel-kod", 400)
	if got := strings.TrimSpace(b.Text(".secret")); got != secret {
		t.Errorf("after a wrong code the secret changed from %q to %q", secret, got)
	}

	b.Fill("#f-code", totp(t, secret, time.Now()))
	b.ClickAndWait("main form button[type=submit]")
	wantHeading(t, b, "Tvåstegsverifiering aktiverad")
	codes := b.FindAll(".codes li")
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes shown, want 10", len(codes))
	}
	b.CheckPage("tvafaktor-reservkoder")
	b.ClickAndWait("main a.button")
	if got := b.Path(); got != "/" {
		t.Fatalf("after the recovery codes the browser is at %s, want /", got)
	}
	wantHeading(t, b, "Start")
	logOut(t, b)

	// The next login asks for a code; the enrolment's code is spent, so the
	// app's next one (a later time step) is given.
	if got := logIn(b, email, testPassword); got != "/logga-in/tvafaktor?till=%2F" {
		t.Fatalf("after the password an enrolled user is at %s, want the code step", got)
	}
	wantHeading(t, b, "Tvåstegsverifiering")
	b.CheckPage("logga-in-kod")
	b.Fill("#f-code", totp(t, secret, time.Now().Add(30*time.Second)))
	b.ClickAndWait("main form button[type=submit]")
	if got := b.Path(); got != "/" {
		t.Fatalf("after the code the browser is at %s, want /", got)
	}
	wantHeading(t, b, "Start")
	if !strings.Contains(b.Text(".site-nav"), "Test sekreterare") {
		t.Errorf("the menu does not name the logged-in user: %q", b.Text(".site-nav"))
	}
}

// wantFieldError fails the test unless the field named name is marked
// invalid and described by an error message containing want, and the error
// summary at the top is announced (role=alert) and links to the field.
func wantFieldError(t *testing.T, b *browsertest.Browser, name, want string) {
	t.Helper()
	input := b.Find("#f-" + name)
	if got := input.Attr("aria-invalid"); got != "true" {
		t.Errorf("%s: field %s has aria-invalid=%q, want true", b.Path(), name, got)
	}
	described := strings.Fields(input.Attr("aria-describedby"))
	errID := "f-" + name + "-error"
	found := false
	for _, id := range described {
		found = found || id == errID
	}
	if !found {
		t.Errorf("%s: field %s is described by %v, want its error %s among them", b.Path(), name, described, errID)
	} else if got := b.Text("#" + errID); !strings.Contains(got, want) {
		t.Errorf("%s: the error of field %s says %q, want %q", b.Path(), name, got, want)
	}
	summary := b.Find(".error-summary")
	if got := summary.Attr("role"); got != "alert" {
		t.Errorf("%s: error summary has role %q, want alert", b.Path(), got)
	}
	if !b.Has(".error-summary a[href='#f-" + name + "']") {
		t.Errorf("%s: the error summary does not link to field %s", b.Path(), name)
	}
}

// page is a page to visit and the heading it must show.
type page struct{ path, heading string }

// commonPages are the pages every role sees; rolePages adds the pages of the
// roles that see more, by the demo user's e-mail. The admin demo user is the
// first user stored, so user 1.
var (
	commonPages = []page{{"/", "Start"}, {"/konto", "Mitt konto"}, {"/namnder", "Nämnder"}}
	rolePages   = map[string][]page{
		"admin@demo.gns.example": {{"/admin/anvandare", "Användare"}, {"/admin/anvandare/ny", "Ny användare"},
			{"/admin/anvandare/1", "Alva Berglund"}, {"/admin/anvandare/1/nytt-losenord", "Ge Alva Berglund ett nytt lösenord?"},
			{"/admin/tvafaktor", "Krav på tvåstegsverifiering"}, {"/granskning", "Granskningslogg"},
			{"/admin/inloggningstjanster", "Inloggningstjänster"}, {"/admin/inloggningstjanster/ny", "Ny inloggningstjänst"},
			{"/utskick", "Utskick"}},
		"sekretariat@demo.gns.example": {{"/utskick", "Utskick"}, {"/namnder/GNS/arvoden?from=2020-01-01&to=2020-12-31", "Arvodesunderlag 2020-01-01 – 2020-12-31"}},
		"bracke@demo.gns.example":      {{"/namnder/GNS/arvoden?from=2020-01-01&to=2020-12-31", "Arvodesunderlag 2020-01-01 – 2020-12-31"}},
		"revisor@demo.gns.example":     {{"/granskning", "Granskningslogg"}},
		"ekonom@demo.gns.example": {{"/namnder/GNS/fordelningar", "Fördelningar – GNS"}, {"/namnder/GNS/fordelningar/ny", "Ny fördelning"},
			// The demo's refund, paid as decided, and the ledger it is booked in (issue 16 §§1–2).
			{"/fordelningar/2", "Återbetalning av återstående medel från 2018 och 2019"}, {"/namnder/GNS/ekonomi/overforingar", "Över- och underskott – GNS"},
			// Services billed to one party and the funding cycle (issue 17).
			{"/namnder/GNS/tjanster", "Tjänster som faktureras en part – GNS"}, {"/tjanster/1", "Serverdrift Åre kommun"},
			{"/tjanster/2/underlag?from=2020-03&to=2020-03&quantity=12", "E-strateg Li Zakrisson för Bräcke kommun"}, {"/namnder/GNS/ekonomi/budget/2022", "Budget 2022 – GNS"}},
	}
	// startPages are the roles whose start page is not the common one.
	startPages = map[string]page{"bracke@demo.gns.example": {"/var-andel", "Vår andel – Bräcke kommun"}}
)

func TestBrowserPagesOfEachRole(t *testing.T) {
	t.Parallel()
	srv, _ := browserServer(t)
	for _, du := range demo.Users {
		t.Run(string(du.Role), func(t *testing.T) {
			t.Parallel()
			b := browsertest.New(t, srv.URL, browsertest.Desktop)
			pages := commonPages
			if start, ok := startPages[du.Email]; ok {
				pages = append([]page{start}, commonPages[1:]...)
			}
			if got := logIn(b, du.Email, demo.Password); got != pages[0].path {
				t.Fatalf("after logging in %s is at %s, want %s", du.Email, got, pages[0].path)
			}
			for _, vp := range []browsertest.Viewport{browsertest.Desktop, browsertest.Tablet} {
				b.Resize(vp)
				for _, p := range append(pages, rolePages[du.Email]...) {
					b.Open(p.path)
					wantHeading(t, b, p.heading)
					b.CheckPage(string(du.Role) + "-" + pageName(p.path))
				}
			}
		})
	}
}

// pageName names a page's screenshot after its path.
func pageName(path string) string {
	if path == "/" {
		return "start"
	}
	return strings.Trim(path, "/")
}

func TestBrowserKeyboard(t *testing.T) {
	t.Parallel()
	srv, _ := browserServer(t)
	b := browsertest.New(t, srv.URL, browsertest.Desktop)
	checkSkipLink(t, b, "/logga-in")
	b.Open("/logga-in")
	b.CheckFocusVisible()

	// Logging in by keyboard alone: the skip link, then the fields in turn,
	// and Enter sends the form.
	b.Open("/logga-in")
	b.Press(browsertest.Tab, browsertest.Enter, browsertest.Tab)
	b.Active().Type("admin@demo.gns.example")
	b.Press(browsertest.Tab)
	b.Active().Type(demo.Password)
	b.PressAndWait(browsertest.Enter)
	if got := b.Path(); got != "/" {
		t.Fatalf("after logging in by keyboard the browser is at %s, want /", got)
	}
	checkSkipLink(t, b, "/admin/anvandare")
	for _, p := range append(commonPages, rolePages["admin@demo.gns.example"]...) {
		b.Open(p.path)
		b.CheckFocusVisible()
	}
}

// checkSkipLink checks on page path that the first Tab reaches the skip
// link, which then shows, and that following it puts the focus on main, so
// the next Tab goes to the page's content rather than the menu.
func checkSkipLink(t *testing.T, b *browsertest.Browser, path string) {
	t.Helper()
	b.Open(path)
	b.Press(browsertest.Tab)
	first := b.Active()
	if got := first.Attr("class"); got != "skip-link" {
		t.Fatalf("%s: the first Tab reaches %s, want the skip link", path, first.Describe())
	}
	var shown bool
	b.Exec(&shown, "var r = arguments[0].getBoundingClientRect(); return r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.width > 0", first)
	if !shown {
		t.Errorf("%s: the focused skip link is not on the screen", path)
	}
	b.Press(browsertest.Enter)
	if got := b.Active().Tag(); got != "main" {
		t.Errorf("%s: after the skip link the focus is on %s, want main", path, b.Active().Describe())
	}
	b.Press(browsertest.Tab)
	if f := b.Focused(); f == nil || !f.InMain {
		t.Errorf("%s: Tab after the skip link reaches %+v, want an element in main", path, f)
	}
}

// An empty login form and a wrong password are announced at the top, and
// the e-mail address typed stays.
func TestBrowserLoginErrors(t *testing.T) {
	t.Parallel()
	srv, _ := browserServer(t)
	b := browsertest.New(t, srv.URL, browsertest.Desktop)
	for _, c := range []struct {
		name, email, password, want string
		status                      int
	}{
		{"logga-in-tomt", "", "", "Ange e-postadress och lösenord.", 400},
		{"logga-in-fel-losenord", "ledamot@demo.gns.example", "fel-losenord-helt-enkelt", "Fel e-postadress eller lösenord.", 401},
	} {
		if got := logIn(b, c.email, c.password); got != "/logga-in" {
			t.Fatalf("%s: the browser went to %s, want the login page again", c.name, got)
		}
		summary := b.Find(".error-summary")
		if got := summary.Attr("role"); got != "alert" {
			t.Errorf("%s: error summary role %q, want alert", c.name, got)
		}
		if got := summary.Text(); !strings.Contains(got, c.want) {
			t.Errorf("%s: error summary says %q, want %q", c.name, got, c.want)
		}
		if got := b.Find("#f-email").Attr("value"); got != c.email {
			t.Errorf("%s: the e-mail field holds %q after the error, want %q as typed", c.name, got, c.email)
		}
		b.CheckPage(c.name, c.status)
	}
}

// A wrong current password and a short new one on Mitt konto are each tied to
// their field, and the summary's link takes the focus to the field.
func TestBrowserAccountFormErrors(t *testing.T) {
	t.Parallel()
	b := browserAs(t, "ledamot@demo.gns.example")
	b.Open("/konto")
	b.Fill("#f-current", "inte-det-nuvarande")
	b.Fill("#f-password", "kort")
	b.Fill("#f-repeat", "kort")
	b.ClickAndWait("form[action='/konto/losenord'] button[type=submit]")
	wantFieldError(t, b, "current", "Det nuvarande lösenordet stämmer inte.")
	wantFieldError(t, b, "password", "minst 12 tecken")
	if b.Find("#f-repeat").Attr("aria-invalid") != "" {
		t.Errorf("the repeat field is marked invalid though only the new password was wrong")
	}
	b.CheckPage("konto-fel-losenord", 400)
	b.Click(".error-summary a[href='#f-password']")
	if got := b.Active().Attr("id"); got != "f-password" {
		t.Errorf("the summary's link put the focus on %s, want the new password field", b.Active().Describe())
	}
}
