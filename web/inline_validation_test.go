package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
	"github.com/region-jh/gns/web/registry"
)

// checkPath is the address that checks one field of the form at form.
func checkPath(form, field string) string { return form + "?falt=" + url.QueryEscape(field) }

// fieldMarkup cuts the markup of one field (its .field element) out of a page
// or a fragment.
func fieldMarkup(body, name string) string {
	i := strings.Index(body, `id="f-`+name+`"`)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(body[:i], `<div class="field">`)
	end := strings.Index(body[i:], `</div>`)
	if start < 0 || end < 0 {
		return ""
	}
	return body[start : i+end+len(`</div>`)]
}

var errorParagraph = regexp.MustCompile(`<p class="error" id="f-([a-z_]+)-error">`)

// TestInlinePartyValidation drives the party form's inline validation
// through the router: each field asks for its own check when it is left
// changed, the answer is that field as the form renders it, with the
// message the form's submit gives (or none), only ever for that field;
// nothing is saved; and the route keeps to the form's role rule, form token
// and same-origin check.
func TestInlinePartyValidation(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		rs := newRegistrySetup(t, db)
		ab := rs.as(t, domain.RoleAdmin)
		parties, audit := rs.rows(t, "parties"), len(auditActions(t, db, "party"))
		nothingSaved := func(when string) {
			t.Helper()
			if p, a := rs.rows(t, "parties"), len(auditActions(t, db, "party")); p != parties || a != audit {
				t.Fatalf("%s: parties %d → %d, audit lines %d → %d; the check saved something", when, parties, p, audit, a)
			}
		}

		// The form asks for the check of each field but the kind, when it
		// is left changed; without JavaScript it is the form it was.
		page := ab.get("/admin/parter/ny").Body.String()
		for _, name := range registry.PartyFields {
			want := `hx-post="` + checkPath(registry.NewPartyCheckPath, name) + `" hx-trigger="change" hx-target="closest .field" hx-swap="outerHTML"`
			if got := strings.Contains(page, want); got != (name != "kind") {
				t.Errorf("the new party form asks to check %s: %v, want %v", name, got, !got)
			}
		}
		for _, want := range []string{`<form method="post" action="/admin/parter" novalidate>`, `<p id="party-form-status" class="visually-hidden" role="status"></p>`} {
			if !strings.Contains(page, want) {
				t.Errorf("the new party form lacks %s", want)
			}
		}
		if errorParagraph.MatchString(page) {
			t.Error("the empty form shows errors")
		}
		ab.csrf = csrfInput.FindStringSubmatch(page)[1]

		// A wrong org number, the rest of the form not filled in: the org
		// number's message and nothing else.
		form := url.Values{"name": {""}, "kind": {"kommun"}, "org_number": {"212000-2495"}, "contact_email": {"kim.ek"}}
		w := ab.post(checkPath(registry.NewPartyCheckPath, "org_number"), form)
		body := w.Body.String()
		if w.Code != http.StatusOK || strings.Contains(body, "<html") || strings.Contains(body, "<form") {
			t.Fatalf("check org_number = %d, want 200 with a fragment:\n%s", w.Code, body)
		}
		if got := errorParagraph.FindAllStringSubmatch(body, -1); len(got) != 1 || got[0][1] != "org_number" {
			t.Errorf("check org_number shows errors for %v, want org_number only:\n%s", got, body)
		}
		for _, want := range []string{"fel kontrollsiffra", `value="212000-2495"`, `aria-invalid="true"`, `aria-describedby="f-org_number-hint f-org_number-error"`,
			`hx-post="` + checkPath(registry.NewPartyCheckPath, "org_number") + `"`} {
			if !strings.Contains(body, want) {
				t.Errorf("check org_number lacks %s:\n%s", want, body)
			}
		}
		if m := regexp.MustCompile(`<p id="party-form-status" hx-swap-oob="innerHTML">([^<]*)</p>`).FindStringSubmatch(body); m == nil || !strings.Contains(m[1], "fel kontrollsiffra") {
			t.Errorf("the status line for screen readers does not say what is wrong:\n%s", body)
		}
		if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
			t.Errorf("check Cache-Control = %q, want no-store", cc)
		}

		// The same markup as the form shows after it is sent.
		full := good()
		full.Set("org_number", "212000-2495")
		sent := ab.post("/admin/parter", full)
		if sent.Code != http.StatusBadRequest {
			t.Fatalf("sending the form with the wrong org number = %d, want 400", sent.Code)
		}
		ab.csrf = csrfInput.FindStringSubmatch(sent.Body.String())[1]
		if a, b := fieldMarkup(sent.Body.String(), "org_number"), fieldMarkup(body, "org_number"); a == "" || a != b {
			t.Errorf("the checked field differs from the sent form's:\nform:  %s\ncheck: %s", a, b)
		}
		nothingSaved("after a wrong org number")

		// Corrected, the message goes, and the field is as before it.
		form.Set("org_number", "2120002494")
		w = ab.post(checkPath(registry.NewPartyCheckPath, "org_number"), form)
		body = w.Body.String()
		if w.Code != http.StatusOK || errorParagraph.MatchString(body) || strings.Contains(body, "aria-invalid") || !strings.Contains(body, `value="2120002494"`) ||
			!strings.Contains(body, `aria-describedby="f-org_number-hint"`) || !strings.Contains(body, `<p id="party-form-status" hx-swap-oob="innerHTML"></p>`) {
			t.Errorf("check of a good org number = %d, want 200 without a message:\n%s", w.Code, body)
		}
		fresh := fieldMarkup(page, "org_number")
		if got := fieldMarkup(body, "org_number"); strings.Replace(fresh, `value=""`, `value="2120002494"`, 1) != got {
			t.Errorf("the cleared field differs from the empty form's:\nform:  %s\ncheck: %s", fresh, got)
		}

		// Every field the form checks, with the message the submit gives.
		for _, tc := range []struct{ field, value, want string }{
			{"name", "", "Ange partens namn"},
			{"name", strings.Repeat("x", 201), "högst 200 tecken"},
			{"slug", "Östersund", "a–z"},
			{"org_number", "21200024", "NNNNNN-NNNN"},
			{"municipality_code", "238", "fyra siffror"},
			{"peppol_id", "0088:2120002494", "0007:"},
			{"peppol_id", "0007:2120002495", "kontrollsiffra"},
			{"address", strings.Repeat("a", 501), "högst 500"},
			{"address", strings.Repeat("a", 30_000), "för långt"},
			{"invoice_reference", strings.Repeat("R", 101), "högst 100"},
			{"contact_name", "Kim\tEk", "på en rad"},
			{"contact_email", "kim.ek", "giltig e-postadress"},
			{"contact_phone", "112", "5–40"},
		} {
			f := url.Values{tc.field: {tc.value}, "kind": {"kommun"}, "org_number": {"1"}, "contact_email": {"x"}}
			w := ab.post(checkPath(registry.NewPartyCheckPath, tc.field), f)
			body := w.Body.String()
			got := errorParagraph.FindAllStringSubmatch(body, -1)
			if w.Code != http.StatusOK || len(got) != 1 || got[0][1] != tc.field || !strings.Contains(body, tc.want) ||
				!strings.Contains(fieldMarkup(body, tc.field), `aria-invalid="true"`) {
				t.Errorf("check %s = %q: %d, errors %v; want 200 with %q on that field only:\n%s", tc.field, tc.value[:min(len(tc.value), 20)], w.Code, got, tc.want, body)
			}
			// The submit says the same.
			full := good()
			full.Set(tc.field, tc.value)
			sent := ab.post("/admin/parter", full)
			ab.csrf = csrfInput.FindStringSubmatch(sent.Body.String())[1]
			if !strings.Contains(sent.Body.String(), tc.want) {
				t.Errorf("the sent form with %s = %q does not say %q", tc.field, tc.value[:min(len(tc.value), 20)], tc.want)
			}
		}
		// The rule depends on the kind the form has chosen.
		if body := ab.post(checkPath(registry.NewPartyCheckPath, "municipality_code"), url.Values{"kind": {"region"}, "municipality_code": {"2380"}}).Body.String(); !strings.Contains(body, "två siffror") {
			t.Errorf("a region's four-digit code is not refused:\n%s", body)
		}
		if body := ab.post(checkPath(registry.NewPartyCheckPath, "municipality_code"), url.Values{"kind": {"region"}, "municipality_code": {"23"}}).Body.String(); errorParagraph.MatchString(body) {
			t.Errorf("a region's län code is refused:\n%s", body)
		}

		// A field the form does not check alone, or has not, is refused;
		// a whole good form sent to the check is only checked.
		for _, field := range []string{"kind", "id", "csrf_token", ""} {
			if w := ab.post(checkPath(registry.NewPartyCheckPath, field), good()); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "inget fält") {
				t.Errorf("check of field %q = %d, want 400 saying the form has no such field", field, w.Code)
			}
		}
		if w := ab.post(registry.NewPartyCheckPath, good()); w.Code != http.StatusBadRequest {
			t.Errorf("check without a field = %d, want 400", w.Code)
		}
		if w := ab.post(checkPath(registry.NewPartyCheckPath, "name"), good()); w.Code != http.StatusOK || errorParagraph.MatchString(w.Body.String()) {
			t.Errorf("check of a good form's name = %d, want 200 without a message", w.Code)
		}
		nothingSaved("after checking every field")

		// htmx's own request: same-origin, the token from the form's field.
		htmxReq := func(site string) *http.Request {
			f := url.Values{"org_number": {"212000-2495"}, kit.CSRFField: {ab.csrf}}
			req := httptest.NewRequest(http.MethodPost, checkPath(registry.NewPartyCheckPath, "org_number"), strings.NewReader(f.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("HX-Request", "true")
			req.Header.Set("Sec-Fetch-Site", site)
			return req
		}
		if w := ab.do(htmxReq("same-origin")); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "fel kontrollsiffra") {
			t.Errorf("a same-origin htmx request = %d, want 200 with the message", w.Code)
		}
		if w := ab.do(htmxReq("cross-site")); w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "annan webbplats") {
			t.Errorf("a cross-site POST = %d %q, want 403 from the cross-origin protection", w.Code, w.Body.String())
		}
		if w := ab.post(checkPath(registry.NewPartyCheckPath, "org_number"), url.Values{"org_number": {"1"}, kit.CSRFField: {"fel"}}); w.Code != http.StatusForbidden {
			t.Errorf("check with a wrong form token = %d, want 403", w.Code)
		}
		if w := newBrowser(t, rs.s.Handler()).post(checkPath(registry.NewPartyCheckPath, "org_number"), url.Values{"org_number": {"1"}}); w.Code == http.StatusOK {
			t.Errorf("check without logging in = %d, want a refusal", w.Code)
		}

		// Only the admin registers parties, so only the admin checks the form.
		for _, role := range []domain.Role{domain.RoleSecretariat, domain.RoleEconomist, domain.RoleParty, domain.RoleAuditor} {
			if w := rs.as(t, role).post(checkPath(registry.NewPartyCheckPath, "org_number"), url.Values{"org_number": {"212000-2495"}}); w.Code != http.StatusForbidden {
				t.Errorf("check of the new party form as %s = %d, want 403", role, w.Code)
			}
		}

		// A party's own form: the admin's has every field, the secretariat's
		// the details only; others may not edit the party, so not check it.
		bracke, are := rs.party(t, "bracke"), rs.party(t, "are")
		editCheck := "/parter/" + itoa(bracke.ID) + "/redigera/kontrollera"
		edit := ab.get("/parter/" + itoa(bracke.ID) + "/redigera").Body.String()
		if !strings.Contains(edit, `hx-post="`+checkPath(editCheck, "org_number")+`"`) || !strings.Contains(edit, `hx-post="`+checkPath(editCheck, "address")+`"`) {
			t.Error("the admin's edit form does not ask to check its fields")
		}
		if w := ab.post(checkPath(editCheck, "org_number"), url.Values{"org_number": {"212000-2495"}}); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "fel kontrollsiffra") {
			t.Errorf("the admin's check of Bräcke's org number = %d, want 200 with the message", w.Code)
		}
		sb := rs.as(t, domain.RoleSecretariat)
		edit = sb.get("/parter/" + itoa(bracke.ID) + "/redigera").Body.String()
		if strings.Contains(edit, checkPath(editCheck, "org_number")) || !strings.Contains(edit, `hx-post="`+checkPath(editCheck, "peppol_id")+`"`) {
			t.Error("the secretariat's edit form asks to check the wrong fields")
		}
		if w := sb.post(checkPath(editCheck, "peppol_id"), url.Values{"peppol_id": {"0007:123"}}); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "0007:") {
			t.Errorf("the secretariat's check of a Peppol id = %d, want 200 with the message", w.Code)
		}
		for _, field := range []string{"org_number", "name", "slug", "municipality_code"} {
			if w := sb.post(checkPath(editCheck, field), url.Values{field: {"x"}}); w.Code != http.StatusBadRequest {
				t.Errorf("the secretariat's check of %s = %d, want 400: not a field of its form", field, w.Code)
			}
		}
		if w := rs.as(t, domain.RoleEconomist).post(checkPath(editCheck, "peppol_id"), url.Values{"peppol_id": {"1"}}); w.Code != http.StatusForbidden {
			t.Errorf("the economist's check of a party's field = %d, want 403", w.Code)
		}
		pb := rs.as(t, domain.RoleParty)
		if w := pb.post(checkPath(editCheck, "peppol_id"), url.Values{"peppol_id": {"1"}}); w.Code != http.StatusForbidden {
			t.Errorf("the party representative's check of its party's field = %d, want 403", w.Code)
		}
		if w := pb.post(checkPath("/parter/"+itoa(are.ID)+"/redigera/kontrollera", "peppol_id"), url.Values{"peppol_id": {"1"}}); w.Code != http.StatusForbidden && w.Code != http.StatusNotFound {
			t.Errorf("the party representative's check of another party = %d, want 403 or 404", w.Code)
		}
		if w := ab.post(checkPath("/parter/999999/redigera/kontrollera", "peppol_id"), url.Values{"peppol_id": {"1"}}); w.Code != http.StatusNotFound {
			t.Errorf("check of a party that does not exist = %d, want 404", w.Code)
		}
		if got := rs.party(t, "bracke"); got != bracke {
			t.Errorf("checking Bräcke's fields changed it: %+v → %+v", bracke, got)
		}
		nothingSaved("at the end")
	})
}

// good is a complete party form that registers a party.
func good() url.Values {
	return url.Values{"name": {"Sollefteå kommun"}, "kind": {"kommun"}, "org_number": {"2120002494"}, "municipality_code": {"2283"},
		"address": {"Djupövägen 3\n881 80 Sollefteå"}, "invoice_reference": {"KS-123"}, "peppol_id": {"0007:2120002494"},
		"contact_name": {"Kim Ek"}, "contact_email": {"kim.ek@example.se"}, "contact_phone": {"0620-68 20 00"}}
}

// TestInlineCommitteeValidation checks the committee form's fields one at a
// time as the party form's are: the code's rule on the new form, the name
// and the start date on both, nothing saved, the admin's only.
func TestInlineCommitteeValidation(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		rs := newRegistrySetup(t, db)
		ab := rs.as(t, domain.RoleAdmin)
		committees := rs.rows(t, "committees")

		page := ab.get("/admin/namnder/ny").Body.String()
		for _, name := range []string{"code", "name", "started_on"} {
			if !strings.Contains(page, `hx-post="`+checkPath(registry.NewCommitteeCheckPath, name)+`" hx-trigger="change"`) {
				t.Errorf("the new committee form does not ask to check %s", name)
			}
		}
		if !strings.Contains(page, `<p id="committee-form-status" class="visually-hidden" role="status"></p>`) {
			t.Error("the new committee form has no status line")
		}
		ab.csrf = csrfInput.FindStringSubmatch(page)[1]

		for _, tc := range []struct{ field, value, want string }{
			{"code", "G1", "2–10 bokstäver A–Z"},
			{"code", "upph", ""},
			{"name", " ", "Ange nämndens namn"},
			{"name", "Upphandlingsnämnden", ""},
			{"started_on", "1/1", "ÅÅÅÅ-MM-DD"},
			{"started_on", "2021-01-01", ""},
		} {
			w := ab.post(checkPath(registry.NewCommitteeCheckPath, tc.field), url.Values{tc.field: {tc.value}})
			body := w.Body.String()
			got := errorParagraph.FindAllStringSubmatch(body, -1)
			switch {
			case w.Code != http.StatusOK || strings.Contains(body, "<form"):
				t.Errorf("check %s = %q: %d, want 200 with a fragment", tc.field, tc.value, w.Code)
			case tc.want == "" && len(got) != 0:
				t.Errorf("check %s = %q shows errors %v, want none:\n%s", tc.field, tc.value, got, body)
			case tc.want != "" && (len(got) != 1 || got[0][1] != tc.field || !strings.Contains(body, tc.want) || !strings.Contains(body, `aria-invalid="true"`)):
				t.Errorf("check %s = %q shows errors %v, want %q on that field only:\n%s", tc.field, tc.value, got, tc.want, body)
			}
		}
		for _, field := range []string{"host_party_id", "id", ""} {
			if w := ab.post(checkPath(registry.NewCommitteeCheckPath, field), url.Values{"code": {"UPPH"}}); w.Code != http.StatusBadRequest {
				t.Errorf("check of the new committee's %q = %d, want 400", field, w.Code)
			}
		}

		// The edit form has no code; the secretariat may not edit.
		editCheck := "/namnder/GNS/redigera/kontrollera"
		edit := ab.get("/namnder/GNS/redigera").Body.String()
		if !strings.Contains(edit, `hx-post="`+checkPath(editCheck, "name")+`"`) || strings.Contains(edit, checkPath(editCheck, "code")) {
			t.Error("the committee's edit form asks to check the wrong fields")
		}
		if w := ab.post(checkPath(editCheck, "name"), url.Values{"name": {""}}); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Ange nämndens namn") {
			t.Errorf("check of the committee's name = %d, want 200 with the message", w.Code)
		}
		if w := ab.post(checkPath(editCheck, "code"), url.Values{"code": {"X"}}); w.Code != http.StatusBadRequest {
			t.Errorf("check of the committee's code on the edit form = %d, want 400", w.Code)
		}
		for _, role := range []domain.Role{domain.RoleSecretariat, domain.RoleEconomist} {
			b := rs.as(t, role)
			if w := b.post(checkPath(registry.NewCommitteeCheckPath, "code"), url.Values{"code": {"X"}}); w.Code != http.StatusForbidden {
				t.Errorf("check of the new committee form as %s = %d, want 403", role, w.Code)
			}
			if w := b.post(checkPath(editCheck, "name"), url.Values{"name": {"X"}}); w.Code != http.StatusForbidden {
				t.Errorf("check of the committee form as %s = %d, want 403", role, w.Code)
			}
		}
		if got := rs.rows(t, "committees"); got != committees {
			t.Fatalf("the checks changed the committees: %d → %d", committees, got)
		}
		if cm, err := db.Conn().CommitteeByCode(rs.ctx, "GNS"); err != nil || cm.Name != rs.gns.Name {
			t.Errorf("the checks changed GNS: %+v, %v", cm, err)
		}
	})
}
