package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
)

func TestSecretariatManagesMembers(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		rs := newRegistrySetup(t, db)
		b := rs.as(t, domain.RoleSecretariat)
		w := b.get("/namnder/GNS/ledamoter")
		if w.Code != http.StatusOK {
			t.Fatalf("members page = %d", w.Code)
		}
		inOrder(t, "the members page", w.Body.String(), "Robert Hamberg (M)", "Susanne Hansson (S)", "Björn Hammarberg (M)", "Ann-Marie Johansson (S)")
		if got := strings.Count(w.Body.String(), "/namnder/GNS/ledamoter/"); got < len(demo.Members) {
			t.Errorf("edit links = %d, want one per member", got)
		}

		b.get("/namnder/GNS/ledamoter/ny")
		are := rs.party(t, "are")
		good := url.Values{"name": {"Kim <i>Ek</i>"}, "political_party": {"(kd)"}, "role": {"ersattare"}, "appointed_by": {itoa(are.ID)}, "term_from": {"2023-01-01"}}
		with := func(k, v string) url.Values { f := copyValues(good); f.Set(k, v); return f }
		for name, form := range map[string]url.Values{
			"no name":              with("name", ""),
			"name of 10 000 chars": with("name", strings.Repeat("n", 10_000)),
			"digits in party":      with("political_party", "K1"),
			"unknown role":         with("role", "kung"),
			"a second chair":       with("role", "ordforande"),
			"date in wrong form":   with("term_from", "1 jan 2023"),
			"ends before start":    with("term_to", "2022-01-01"),
			"unknown party":        with("appointed_by", "999999"),
			"user without role":    with("user_id", itoa(rs.userID(t, "ekonom@demo.gns.example"))),
		} {
			before := rs.rows(t, "committee_members")
			w := b.post("/namnder/GNS/ledamoter", form)
			if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "error-summary") || rs.rows(t, "committee_members") != before {
				t.Errorf("%s: %d; want 400 with the errors and nothing stored", name, w.Code)
			}
		}
		if w := b.post("/namnder/GNS/ledamoter", with("role", "ordforande")); !strings.Contains(w.Body.String(), "Robert Hamberg (M) är ordförande") {
			t.Error("a second chair is not explained")
		}

		ledamot := rs.userID(t, "ledamot@demo.gns.example")
		w = b.post("/namnder/GNS/ledamoter", with("user_id", itoa(ledamot)))
		if w.Code != http.StatusSeeOther {
			t.Fatalf("add member = %d: %s", w.Code, w.Body)
		}
		body := b.get(location(w)).Body.String()
		if strings.Contains(body, "<i>Ek</i>") || !strings.Contains(body, "Kim &lt;i&gt;Ek&lt;/i&gt; (KD)") || !strings.Contains(body, "är tillagd som ersättare") {
			t.Error("the new member is not shown, or its name is shown as HTML")
		}

		// Robert Hamberg's term ends; he moves to the former members.
		members, _ := db.Conn().Members(rs.ctx, rs.gns.ID)
		chair := members[0]
		form := url.Values{"name": {chair.Name}, "political_party": {"M"}, "role": {"ordforande"}, "term_from": {"2019-01-01"}, "term_to": {"2022-12-31"}}
		if w := b.post("/namnder/GNS/ledamoter/"+itoa(chair.ID), form); w.Code != http.StatusSeeOther {
			t.Fatalf("end the chair's term = %d: %s", w.Code, w.Body)
		}
		body = b.get("/namnder/GNS/ledamoter").Body.String()
		inOrder(t, "the members page", body, "Susanne Hansson (S)", "Tidigare ledamöter", "Robert Hamberg (M)")
		if w := b.get("/namnder/GNS/ledamoter/999999"); w.Code != http.StatusNotFound {
			t.Errorf("an unknown member = %d, want 404", w.Code)
		}
		if !contains(auditActions(t, db, "member"), "update") {
			t.Error("the member's change is not in the audit trail")
		}

		// Others read the list but change nothing.
		for _, role := range []domain.Role{domain.RoleEconomist, domain.RoleParty, domain.RoleMember, domain.RoleAuditor} {
			rb := rs.as(t, role)
			if w := rb.get("/namnder/GNS/ledamoter"); w.Code != http.StatusOK || strings.Contains(w.Body.String(), "/ledamoter/ny") {
				t.Errorf("the members page as %s = %d, or offers changes", role, w.Code)
			}
			if w := rb.post("/namnder/GNS/ledamoter", good); w.Code != http.StatusForbidden {
				t.Errorf("adding a member as %s = %d, want 403", role, w.Code)
			}
		}
	})
}

// userID returns the id of the user with the e-mail address.
func (rs *registrySetup) userID(t *testing.T, email string) int64 {
	t.Helper()
	u, _, err := rs.db.Conn().UserForLogin(rs.ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}
