package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
	"github.com/region-jh/gns/web/kit"
	"github.com/region-jh/gns/web/meetings"
)

// startWorld is the demo committee with a meeting held ten days ago whose
// minutes wait for justering by Robert Hamberg and Susanne Hansson (linked
// to the demo ledamot), and a meeting in twenty days with its kallelse
// published.
type startWorld struct {
	s           *Server
	db          *store.DB
	gns         domain.Committee
	held, ahead meeting.Meeting
}

func newStartWorld(t *testing.T, db *store.DB) *startWorld {
	t.Helper()
	s, _ := newTestServer(t, db)
	ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
	if _, err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	w := &startWorld{s: s, db: db}
	conn := db.Conn()
	var err error
	if w.gns, err = conn.CommitteeByCode(ctx, demo.CommitteeCode); err != nil {
		t.Fatal(err)
	}
	members, err := conn.Members(ctx, w.gns.ID)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]domain.Member{}
	for _, mb := range members {
		byName[mb.Name] = mb
	}
	ledamot, _, err := conn.UserForLogin(ctx, "ledamot@demo.gns.example")
	if err != nil {
		t.Fatal(err)
	}
	robert, susanne := byName["Robert Hamberg"], byName["Susanne Hansson"]
	susanne.UserID = ledamot.ID
	day := today()
	err = db.InTx(ctx, func(c *store.Conn) error {
		if _, err := c.UpdateMember(ctx, susanne); err != nil {
			return err
		}
		plan := func(d domain.Date) (meeting.Meeting, error) {
			return c.CreateMeeting(ctx, meeting.Meeting{CommitteeID: w.gns.ID, Date: d, StartTime: "09:00", EndTime: "12:00",
				Place: "Lillsjöhögen", Purpose: meeting.PurposeOther})
		}
		var err error
		if w.held, err = plan(day.AddDays(-10)); err != nil {
			return err
		}
		if w.ahead, err = plan(day.AddDays(20)); err != nil {
			return err
		}
		if _, err := c.PublishKallelse(ctx, w.ahead.ID); err != nil {
			return err
		}
		att := []meeting.Attendance{{MemberID: robert.ID, Present: true}, {MemberID: susanne.ID, Present: true}}
		if _, err := c.SetAttendance(ctx, w.held.ID, att); err != nil {
			return err
		}
		_, err = c.SetJusterare(ctx, w.held.ID, []int64{robert.ID, susanne.ID}, w.held.Date.AddDays(3))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// startOf logs in and returns the start page's body.
func (w *startWorld) startOf(t *testing.T, email, password string) string {
	t.Helper()
	b := newBrowser(t, w.s.Handler())
	if r := b.login(email, password); r.Code != http.StatusSeeOther || location(r) != "/" {
		t.Fatalf("login as %s = %d → %q", email, r.Code, location(r))
	}
	r := b.get("/")
	if r.Code != http.StatusOK {
		t.Fatalf("GET / as %s = %d", email, r.Code)
	}
	return r.Body.String()
}

// startSections are the section headings of the start page, by role.
var startSections = map[domain.Role]string{
	domain.RoleSecretariat: `id="sekretariat-GNS"`,
	domain.RoleEconomist:   `id="ekonom-GNS"`,
	domain.RoleMember:      `id="ledamot"`,
	domain.RoleAdmin:       `id="admin"`,
	domain.RoleAuditor:     `id="revisor"`,
}

// wantSections fails unless body has the sections of exactly the roles.
func wantSections(t *testing.T, who, body string, roles ...domain.Role) {
	t.Helper()
	want := map[domain.Role]bool{}
	for _, r := range roles {
		want[r] = true
	}
	for role, marker := range startSections {
		if got := strings.Contains(body, marker); got != want[role] {
			t.Errorf("%s: the start page has the %s section = %v, want %v", who, role, got, want[role])
		}
	}
}

func TestStartPageOfEachRole(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		w := newStartWorld(t, db)
		held, ahead := kit.MeetingURL(w.held.ID), kit.MeetingURL(w.ahead.ID)

		sec := w.startOf(t, "sekretariat@demo.gns.example", demo.Password)
		wantSections(t, "sekretariat", sec, domain.RoleSecretariat)
		for _, want := range []string{
			`href="/namnder/GNS/arenden/ny">Registrera ärende`,
			"Mina öppna ärenden", "/namnder/GNS/arenden?status=oppna&amp;handlaggare=", `href="/arenden/GNS/10/2020"`,
			"Senast registrerade ärenden",
			held + `/protokoll">Väntar på justering (0 av 2 har justerat)`, // the minutes of the held meeting
			`href="` + ahead + `">Publicerad`,                              // the kallelse of the next one
			"Inga uppdrag är försenade",
			`<a href="/namnder">Nämnder</a>`,
		} {
			if !strings.Contains(sec, want) {
				t.Errorf("the secretariat's start page lacks %q", want)
			}
		}
		if strings.Contains(sec, "/kallelse.pdf") || strings.Contains(sec, "Ny fördelning") {
			t.Error("the secretariat's start page shows another role's links")
		}

		eco := w.startOf(t, "ekonom@demo.gns.example", demo.Password)
		wantSections(t, "ekonom", eco, domain.RoleEconomist)
		for _, want := range []string{
			`href="/namnder/GNS/fordelningar/ny">Ny fördelning`, `href="/namnder/GNS/ekonomi/import">Läs in bokföring`,
			`href="/namnder/GNS/ekonomi/rapporter"`, "Förslag till fördelning", "Basfinansiering 2021", "GNS § 16/2020",
			"Obetalda fakturor", `href="/fakturor/GNS-2021-0002"`, sv.Kronor(decimal.NewFromInt(101600)), "förfallen",
			"/namnder/GNS/fakturor?forfallna=ja", "Senaste faktureringar",
		} {
			if !strings.Contains(eco, want) {
				t.Errorf("the economist's start page lacks %q", want)
			}
		}
		if strings.Contains(eco, "Registrera ärende") {
			t.Error("the economist's start page offers to register a case")
		}

		mem := w.startOf(t, "ledamot@demo.gns.example", demo.Password)
		wantSections(t, "ledamot", mem, domain.RoleMember)
		for _, want := range []string{
			`href="` + held + `/justera">Justera protokollet från ` + w.held.Date.String(),
			`href="` + ahead + `/kallelse.pdf">Kallelse (PDF)`, "Lillsjöhögen", meetings.LineOf(w.ahead).Time,
			`href="/kalender"`,
		} {
			if !strings.Contains(mem, want) {
				t.Errorf("the member's start page lacks %q", want)
			}
		}
		if strings.Contains(mem, "Registrera ärende") || strings.Contains(mem, "Obetalda fakturor") {
			t.Error("the member's start page shows another role's sections")
		}

		adm := w.startOf(t, "admin@demo.gns.example", demo.Password)
		wantSections(t, "admin", adm, domain.RoleAdmin)
		for _, want := range []string{`href="/admin/anvandare"`, `href="/admin/tvafaktor"`, `href="/granskning"`} {
			if !strings.Contains(adm, want) {
				t.Errorf("the admin's start page lacks %q", want)
			}
		}
		rev := w.startOf(t, "revisor@demo.gns.example", demo.Password)
		wantSections(t, "revisor", rev, domain.RoleAuditor)
		for _, want := range []string{`href="/granskning"`, `href="/fakturor"`, `href="/ekonomi"`} {
			if !strings.Contains(rev, want) {
				t.Errorf("the auditor's start page lacks %q", want)
			}
		}

		// A party representative's start page is the party's share.
		b := newBrowser(t, w.s.Handler())
		b.login("bracke@demo.gns.example", demo.Password)
		if r := b.get("/"); r.Code != http.StatusFound || location(r) != "/var-andel" {
			t.Errorf("GET / as a party = %d → %q, want /var-andel", r.Code, location(r))
		}
	})
}

func TestStartPageSeveralRolesAndNone(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		w := newStartWorld(t, db)
		ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
		both := newUser(t, db, "bada@example.se", domain.RoleGrant{Role: domain.RoleEconomist, CommitteeID: w.gns.ID}, true)
		if err := db.InTx(ctx, func(c *store.Conn) error {
			_, err := c.GrantRole(ctx, both.ID, domain.RoleGrant{Role: domain.RoleMember, CommitteeID: w.gns.ID})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		body := w.startOf(t, "bada@example.se", testPassword)
		wantSections(t, "ekonom och ledamot", body, domain.RoleEconomist, domain.RoleMember)
		if !strings.Contains(body, "<h2 id=\"ekonom-GNS\">Ekonomi – GNS</h2>") || !strings.Contains(body, "<h2 id=\"ledamot\">Ledamot</h2>") {
			t.Error("each role's section does not have its own heading")
		}
		// Not a justerare: no minutes to approve, but the coming meeting.
		if strings.Contains(body, "/justera") || !strings.Contains(body, "/kallelse.pdf") {
			t.Error("the member section of a user who is no justerare is wrong")
		}

		newUser(t, db, "ingen@example.se", domain.RoleGrant{}, true)
		none := w.startOf(t, "ingen@example.se", testPassword)
		wantSections(t, "utan roll", none)
		if !strings.Contains(none, "Du har ingen roll i GNS ännu") || !strings.Contains(none, "Be systemadministratören") {
			t.Error("a user without a role is not told what to do")
		}
	})
}

func TestStartPageNavigationAndCommitteeList(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		w := newStartWorld(t, db)
		for _, email := range []string{"sekretariat@demo.gns.example", "ledamot@demo.gns.example", "bracke@demo.gns.example"} {
			b := newBrowser(t, w.s.Handler())
			b.login(email, demo.Password)
			r := b.get("/namnder")
			body := r.Body.String()
			if r.Code != http.StatusOK || !strings.Contains(body, "<h1>Nämnder</h1>") || !strings.Contains(body, demo.Committee.Name) {
				t.Errorf("GET /namnder as %s = %d, want the committee list", email, r.Code)
			}
			nav := body[strings.Index(body, `aria-label="Huvudmeny"`):]
			start, list := strings.Index(nav, `<a href="/">Start</a>`), strings.Index(nav, `<a href="/namnder">Nämnder</a>`)
			if start < 0 || list < 0 || start > strings.Index(nav, "<li>")+len("<li>") {
				t.Errorf("as %s the menu does not start with Start and link Nämnder to /namnder", email)
			}
		}
		anon := newBrowser(t, w.s.Handler())
		if r := anon.get("/namnder"); r.Code != http.StatusSeeOther {
			t.Errorf("GET /namnder without login = %d, want the login page", r.Code)
		}
	})
}
