package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

var routeParam = regexp.MustCompile(`[:*][a-z]+`)

// loggingOut are the routes whose answer, when allowed, is the login page.
var loggingOut = map[string]bool{"/logga-ut": true, "/logga-ut-overallt": true}

// TestEveryRouteHasAnAccessRule walks every registered route with every role
// (and with no login) and checks that the route declared an access rule and
// that the rule is what the answer shows: allowed requests are never 401 or
// 403, refused ones always are (or, for a page, go to the login page).
func TestEveryRouteHasAnAccessRule(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, demoSQLite(t))
	ctx := context.Background()
	identities := map[string]*domain.User{"anonym": nil}
	for _, du := range demo.Users {
		u, _, err := s.DB.Conn().UserForLogin(ctx, du.Email)
		if err != nil {
			t.Fatal(err)
		}
		identities[string(du.Role)] = &u
	}
	for _, r := range s.Engine().Routes() {
		rule, ok := s.Rules()[r.Method+" "+r.Path]
		if !ok {
			t.Errorf("%s %s has no access rule: register it with Kit.Handle", r.Method, r.Path)
			continue
		}
		path := routeParam.ReplaceAllStringFunc(r.Path, func(p string) string {
			if p == "*file" {
				return "gns.css"
			}
			return "999999" // no such entity: an allowed request gets 404, not 403
		})
		for name, u := range identities {
			b := newBrowser(t, s.Handler())
			if u != nil {
				b.login(u.Email, demo.Password)
			}
			if u != nil {
				b.get("/konto") // a page with the form token
			} else {
				b.get("/logga-in")
			}
			var w *httptest.ResponseRecorder
			if r.Method == http.MethodGet {
				w = b.get(path)
			} else {
				w = b.post(path, url.Values{})
			}
			toLogin := w.Code == http.StatusSeeOther && strings.HasPrefix(location(w), "/logga-in")
			refused := w.Code == http.StatusUnauthorized || w.Code == http.StatusForbidden || toLogin
			if loggingOut[r.Path] && u != nil {
				// These end the session and so go to the login page when allowed too.
				refused = w.Code == http.StatusUnauthorized || w.Code == http.StatusForbidden
			}
			if want := !rule.Allows(u); refused != want {
				t.Errorf("%s %s as %s: %d → %q; refused = %v, want %v", r.Method, path, name, w.Code, location(w), refused, want)
			}
		}
	}
}

// TestSensitiveRoutes pins down who may reach the routes that matter most,
// independently of the rules the routes declare.
func TestSensitiveRoutes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path    string
		allowed []domain.Role
	}{
		{"/admin/anvandare", []domain.Role{domain.RoleAdmin}},
		{"/admin/tvafaktor", []domain.Role{domain.RoleAdmin}},
		{"/admin/inloggningstjanster", []domain.Role{domain.RoleAdmin}},
		{"/granskning", []domain.Role{domain.RoleAdmin, domain.RoleAuditor}},
		{"/api/v1/audit", []domain.Role{domain.RoleAdmin, domain.RoleAuditor}},
	}
	s, _ := newTestServer(t, demoSQLite(t))
	for _, du := range demo.Users {
		b := newBrowser(t, s.Handler())
		b.login(du.Email, demo.Password)
		for _, tt := range tests {
			want := http.StatusForbidden
			for _, r := range tt.allowed {
				if r == du.Role {
					want = http.StatusOK
				}
			}
			if w := b.get(tt.path); w.Code != want {
				t.Errorf("GET %s as %s = %d, want %d", tt.path, du.Role, w.Code, want)
			}
		}
	}
}

// TestAdminManagesUsers creates a user, grants and revokes a role, disables
// and enables the account through the admin pages, and finds each change in
// the audit trail.
func TestAdminManagesUsers(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestServer(t, db)
		ctx := context.Background()
		if _, err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		gns, _ := db.Conn().CommitteeByCode(ctx, "GNS")
		bracke, _ := db.Conn().PartyBySlug(ctx, "bracke")
		b := newBrowser(t, s.Handler())
		b.login("admin@demo.gns.example", demo.Password)
		b.get("/admin/anvandare/ny")

		// Bad input changes nothing.
		for name, form := range map[string]url.Values{
			"no e-mail":          {"name": {"Kim"}, "role": {"economist"}, "scope": {"c" + itoa(gns.ID)}},
			"global economist":   {"name": {"Kim"}, "email": {"kim@example.se"}, "role": {"economist"}, "scope": {""}},
			"party without one":  {"name": {"Kim"}, "email": {"kim@example.se"}, "role": {"party"}, "scope": {"c" + itoa(gns.ID)}},
			"unknown role":       {"name": {"Kim"}, "email": {"kim@example.se"}, "role": {"kung"}},
			"taken e-mail":       {"name": {"Kim"}, "email": {"ADMIN@demo.gns.example"}, "role": {"auditor"}},
			"name of 10 000 chr": {"name": {strings.Repeat("x", 10_000)}, "email": {"kim@example.se"}, "role": {"auditor"}},
		} {
			before, _ := db.Conn().Users(ctx)
			w := b.post("/admin/anvandare", form)
			after, _ := db.Conn().Users(ctx)
			if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "error-summary") || len(after) != len(before) {
				t.Errorf("%s: %d, %d users → %d; want 400 with the errors and nothing created", name, w.Code, len(before), len(after))
			}
		}

		w := b.post("/admin/anvandare", url.Values{"name": {"Kim <b>Ek</b>"}, "email": {"kim@example.se"}, "role": {"party"}, "scope": {"p" + itoa(gns.ID) + "-" + itoa(bracke.ID)}})
		if w.Code != http.StatusCreated || !strings.Contains(w.Body.String(), "Det visas bara nu") {
			t.Fatalf("create user = %d", w.Code)
		}
		if strings.Contains(w.Body.String(), "<b>Ek</b>") {
			t.Error("HTML in a name is rendered as HTML")
		}
		password := regexp.MustCompile(`class="secret">([A-Z2-7-]{19})<`).FindStringSubmatch(w.Body.String())
		kim, _, err := db.Conn().UserForLogin(ctx, "kim@example.se")
		if err != nil || len(kim.Roles) != 1 || kim.Roles[0].PartyID != bracke.ID || password == nil {
			t.Fatalf("created user = %+v, %v; password shown: %v", kim, err, password != nil)
		}
		kb := newBrowser(t, s.Handler())
		if w := kb.login("kim@example.se", password[1]); w.Code != http.StatusSeeOther {
			t.Errorf("the new user cannot log in with the shown password: %d", w.Code)
		}

		b.get(kit.UserURL(kim) + "/nytt-losenord")
		w = b.post(kit.UserURL(kim)+"/nytt-losenord", nil)
		fresh := regexp.MustCompile(`class="secret">([A-Z2-7-]{19})<`).FindStringSubmatch(w.Body.String())
		if w.Code != http.StatusOK || fresh == nil || fresh[1] == password[1] {
			t.Fatalf("new password = %d, shown: %v", w.Code, fresh != nil)
		}
		if w := kb.get("/"); w.Code != http.StatusSeeOther {
			t.Error("the user is still logged in after the admin gave a new password")
		}
		if w := newBrowser(t, s.Handler()).login("kim@example.se", password[1]); w.Code != http.StatusUnauthorized {
			t.Errorf("the old password still works: %d", w.Code)
		}
		kb.login("kim@example.se", fresh[1])
		b.get(kit.UserURL(kim))
		b.post(kit.UserURL(kim)+"/roller", url.Values{"role": {"member"}, "scope": {"c" + itoa(gns.ID)}})
		if w := b.post(kit.UserURL(kim)+"/roller", url.Values{"role": {"member"}, "scope": {"c" + itoa(gns.ID)}}); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "redan den rollen") {
			t.Errorf("granting the same role twice = %d", w.Code)
		}
		kim, _ = db.Conn().UserByID(ctx, kim.ID)
		if len(kim.Roles) != 2 {
			t.Fatalf("roles after grant = %v", kim.Roles)
		}
		b.post(kit.UserURL(kim)+"/roller/"+itoa(kim.Roles[1].ID)+"/ta-bort", nil)
		b.post(kit.UserURL(kim)+"/inaktivera", nil)
		if w := kb.get("/"); w.Code != http.StatusSeeOther {
			t.Error("the disabled user is still logged in")
		}
		b.post(kit.UserURL(kim)+"/aktivera", nil)
		kim, _ = db.Conn().UserByID(ctx, kim.ID)
		if len(kim.Roles) != 1 || kim.Disabled() {
			t.Errorf("after revoke and enable: roles %v, disabled %v", kim.Roles, kim.Disabled())
		}
		got := auditActions(t, db, "user")
		for _, want := range []string{"create", "grant_role", "revoke_role", "disable", "enable", "change_password"} {
			if !contains(got, want) {
				t.Errorf("audit trail lacks %q: %v", want, got)
			}
		}
		// The auditor reads it all in the UI, filtered by entity and date.
		ab := newBrowser(t, s.Handler())
		ab.login("revisor@demo.gns.example", demo.Password)
		w = ab.get("/granskning?entitet=user&fran=" + today().String() + "&till=" + today().String())
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "roll borttagen") || !strings.Contains(w.Body.String(), "admin@demo.gns.example") {
			t.Errorf("audit page for the auditor = %d, lacks the admin's changes", w.Code)
		}
		if w := ab.get("/granskning?fran=igår"); w.Code != http.StatusBadRequest {
			t.Errorf("audit page with a bad date = %d, want 400", w.Code)
		}
		if w := ab.post(kit.UserURL(kim)+"/inaktivera", nil); w.Code != http.StatusForbidden {
			t.Errorf("the auditor disabling a user = %d, want 403", w.Code)
		}
	})
}

func TestAuditTrailIsAppendOnly(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		for _, stmt := range []string{"UPDATE audit_log SET actor = 'någon annan'", "DELETE FROM audit_log"} {
			if _, err := db.SQL().ExecContext(ctx, stmt); err == nil {
				t.Errorf("%s succeeded on the audit trail", stmt)
			}
		}
		entries, total, err := db.Conn().AuditEntries(ctx, domain.AuditFilter{})
		if err != nil || total == 0 || entries[0].Actor != "system (demo)" {
			t.Errorf("audit trail after the attempts: %d entries, %v", total, err)
		}
	})
}
