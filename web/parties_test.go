package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
)

func TestAdminRegistersParties(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		rs := newRegistrySetup(t, db)
		b := rs.as(t, domain.RoleAdmin)
		b.get("/admin/parter/ny")
		good := url.Values{"name": {"Sollefteå <b>kommun</b>"}, "kind": {"kommun"}, "org_number": {"2120002494"}, "municipality_code": {"2283"},
			"address": {"Djupövägen 3\n881 80 Sollefteå"}, "invoice_reference": {"KS-123"}, "peppol_id": {"0007:2120002494"},
			"contact_name": {"Kim Ek"}, "contact_email": {"kim.ek@example.se"}, "contact_phone": {"0620-68 20 00"}}
		with := func(k, v string) url.Values { f := copyValues(good); f.Set(k, v); return f }
		for name, form := range map[string]url.Values{
			"duplicate org number":  with("org_number", "212000-2528"),
			"failed Luhn check":     with("org_number", "212000-2495"),
			"org number too short":  with("org_number", "21200024"),
			"duplicate kommunkod":   with("municipality_code", "2380"),
			"bad Peppol id":         with("peppol_id", "0088:2120002494"),
			"bad e-mail":            with("contact_email", "kim.ek"),
			"no name":               with("name", ""),
			"name of 10 000 chars":  with("name", strings.Repeat("x", 10_000)),
			"unknown kind":          with("kind", "stad"),
			"field of 30 000 bytes": with("address", strings.Repeat("a", 30_000)),
		} {
			before := rs.rows(t, "parties")
			w := b.post("/admin/parter", form)
			if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "error-summary") || rs.rows(t, "parties") != before {
				t.Errorf("%s: %d; want 400 with the errors and nothing created", name, w.Code)
			}
		}
		if w := b.post("/admin/parter", with("org_number", "212000-2528")); !strings.Contains(w.Body.String(), "används redan av Östersunds kommun") {
			t.Error("a duplicate org number does not name the party that has it")
		}
		if w := b.post("/admin/parter", with("org_number", "212000-2495")); !strings.Contains(w.Body.String(), "fel kontrollsiffra") {
			t.Error("a failed Luhn check is not explained")
		}

		w := b.post("/admin/parter", good)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("create party = %d: %s", w.Code, w.Body)
		}
		body := b.get(location(w)).Body.String()
		if strings.Contains(body, "<b>kommun</b>") || !strings.Contains(body, "&lt;b&gt;kommun&lt;/b&gt;") {
			t.Error("HTML in a party's name is not shown as text")
		}
		for _, want := range []string{"212000-2494", "Djupövägen 3<br>881 80 Sollefteå", "KS-123", "0007:2120002494", "kim.ek@example.se"} {
			if !strings.Contains(body, want) {
				t.Errorf("the party page lacks %q", want)
			}
		}
		list := b.get("/parter").Body.String()
		if !strings.Contains(list, "Sollefteå &lt;b&gt;kommun&lt;/b&gt;") || !strings.Contains(list, "saknas") {
			t.Error("the party list lacks the new party or the missing org numbers")
		}
	})
}

func TestPartyAccess(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		rs := newRegistrySetup(t, db)
		bracke, are := rs.party(t, "bracke"), rs.party(t, "are")

		// A party representative sees its own party only.
		pb := rs.as(t, domain.RoleParty)
		if w := pb.get("/parter/" + itoa(bracke.ID)); w.Code != http.StatusOK {
			t.Errorf("own party = %d", w.Code)
		}
		for _, path := range []string{"/parter/" + itoa(are.ID), "/parter/999999", "/parter/abc"} {
			if w := pb.get(path); w.Code != http.StatusNotFound {
				t.Errorf("GET %s as Bräcke's representative = %d, want 404", path, w.Code)
			}
		}
		list := pb.get("/parter").Body.String()
		if !strings.Contains(list, "Bräcke kommun") || strings.Contains(list, "Åre kommun") {
			t.Error("the party list of a party representative shows other parties")
		}
		if w := pb.get("/parter/" + itoa(bracke.ID) + "/redigera"); w.Code != http.StatusForbidden {
			t.Errorf("a party representative editing = %d, want 403", w.Code)
		}

		// The secretariat edits the details, not the identity.
		sb := rs.as(t, domain.RoleSecretariat)
		body := sb.get("/parter/" + itoa(bracke.ID) + "/redigera").Body.String()
		if strings.Contains(body, `name="org_number"`) || !strings.Contains(body, `name="invoice_reference"`) {
			t.Error("the secretariat's form offers the wrong fields")
		}
		w := sb.post("/parter/"+itoa(bracke.ID)+"/redigera", url.Values{"name": {"Bräcke stad"}, "org_number": {"212000-2528"},
			"address": {"Box 190\n840 60 Bräcke"}, "invoice_reference": {"GNS"}, "contact_email": {"ekonomi@bracke.se"}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("secretariat edit = %d: %s", w.Code, w.Body)
		}
		got := rs.party(t, "bracke")
		if got.Name != "Bräcke kommun" || got.OrgNumber != "" || got.InvoiceReference != "GNS" || got.Address != "Box 190\n840 60 Bräcke" {
			t.Errorf("Bräcke after the secretariat's edit = %+v", got)
		}
		if w := sb.post("/parter/"+itoa(bracke.ID)+"/redigera", url.Values{"peppol_id": {"0007:123"}}); w.Code != http.StatusBadRequest {
			t.Errorf("a bad Peppol id from the secretariat = %d, want 400", w.Code)
		}
		if w := rs.as(t, domain.RoleEconomist).post("/parter/"+itoa(bracke.ID)+"/redigera", url.Values{"invoice_reference": {"X"}}); w.Code != http.StatusForbidden {
			t.Errorf("the economist editing a party = %d, want 403", w.Code)
		}

		// The admin edits everything, and the audit trail has it.
		ab := rs.as(t, domain.RoleAdmin)
		ab.get("/parter/" + itoa(bracke.ID) + "/redigera")
		form := url.Values{"name": {"Bräcke kommun"}, "slug": {"bracke"}, "kind": {"kommun"}, "org_number": {"212000-2529"}, "municipality_code": {"2305"}}
		if w := ab.post("/parter/"+itoa(bracke.ID)+"/redigera", form); w.Code != http.StatusBadRequest {
			t.Errorf("an org number failing the Luhn check = %d, want 400", w.Code)
		}
		form.Set("org_number", "212000-2528")
		if w := ab.post("/parter/"+itoa(bracke.ID)+"/redigera", form); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "Östersunds kommun") {
			t.Errorf("another party's org number = %d, want 400 naming it", w.Code)
		}
		if !contains(auditActions(t, db, "party"), "update") {
			t.Error("the party's changes are not in the audit trail")
		}
	})
}

func TestRegistryAPI(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		rs := newRegistrySetup(t, db)
		h := rs.s.Handler()
		bracke, are := rs.party(t, "bracke"), rs.party(t, "are")
		partyToken := tokenFor(t, db, "bracke@demo.gns.example")
		economist := tokenFor(t, db, "ekonom@demo.gns.example")

		w, body := caseAPI(t, h, partyToken, "GET", "/api/v1/committees", nil)
		if cms, _ := body["committees"].([]any); w.Code != http.StatusOK || len(cms) != 1 {
			t.Fatalf("GET /api/v1/committees = %d %v", w.Code, body)
		}
		w, body = caseAPI(t, h, partyToken, "GET", "/api/v1/committees/GNS/parties", nil)
		parties, _ := body["parties"].([]any)
		if w.Code != http.StatusOK || len(parties) != 9 {
			t.Fatalf("GET parties = %d %v", w.Code, body)
		}
		first, _ := parties[0].(map[string]any)
		if first["slug"] != "region-jh" || first["host"] != true || first["org_number"] != "232100-0214" {
			t.Errorf("first party = %v, want the host region", first)
		}
		for _, p := range parties {
			p := p.(map[string]any)
			_, details := p["invoice_reference"]
			if details != (p["slug"] == "bracke") {
				t.Errorf("party %v: invoice details shown = %v to Bräcke's representative", p["slug"], details)
			}
			if p["slug"] == "berg" && p["org_number"] != nil {
				t.Errorf("Berg's unknown org number = %v, want null", p["org_number"])
			}
		}
		if w, _ := caseAPI(t, h, partyToken, "GET", "/api/v1/committees/GNS/parties?date=2018-06-30", nil); w.Code != http.StatusOK {
			t.Errorf("parties before the start = %d", w.Code)
		}
		if w, body := caseAPI(t, h, partyToken, "GET", "/api/v1/committees/GNS/parties?date=30/6", nil); w.Code != http.StatusBadRequest || apiError(body)["fields"] == nil {
			t.Errorf("bad date = %d %v", w.Code, body)
		}
		if w, _ := caseAPI(t, h, partyToken, "GET", "/api/v1/committees/XYZ/parties", nil); w.Code != http.StatusNotFound {
			t.Errorf("unknown committee = %d", w.Code)
		}

		// A party user asking for another party's data gets 404, never the data.
		if w, body := caseAPI(t, h, partyToken, "GET", "/api/v1/parties/"+itoa(are.ID)+"/populations", nil); w.Code != http.StatusNotFound || strings.Contains(w.Body.String(), "12049") {
			t.Errorf("another party's populations = %d %v", w.Code, body)
		}
		w, body = caseAPI(t, h, partyToken, "GET", "/api/v1/parties/"+itoa(bracke.ID)+"/populations", nil)
		pops, _ := body["populations"].([]any)
		if w.Code != http.StatusOK || len(pops) != 1 || pops[0].(map[string]any)["population"] != float64(6181) {
			t.Errorf("own populations = %d %v", w.Code, body)
		}
		if w, _ := caseAPI(t, h, partyToken, "POST", "/api/v1/parties/"+itoa(bracke.ID)+"/populations",
			map[string]any{"reference_date": "2021-12-31", "population": 6100, "source": "SCB"}); w.Code != http.StatusForbidden {
			t.Errorf("a party user recording = %d, want 403", w.Code)
		}

		// The economist records, repeats, and corrects.
		path := "/api/v1/parties/" + itoa(are.ID) + "/populations"
		rows := rs.rows(t, "populations")
		for name, tt := range map[string]struct {
			body  any
			field string
		}{
			"zero":            {map[string]any{"reference_date": "2021-12-31", "population": 0, "source": "SCB"}, "population"},
			"negative":        {map[string]any{"reference_date": "2021-12-31", "population": -5, "source": "SCB"}, "population"},
			"decimals":        {map[string]any{"reference_date": "2021-12-31", "population": 12049.5, "source": "SCB"}, "population"},
			"a string":        {map[string]any{"reference_date": "2021-12-31", "population": "12049", "source": "SCB"}, "population"},
			"date wrong form": {map[string]any{"reference_date": "31/12/2021", "population": 12049, "source": "SCB"}, "reference_date"},
			"impossible date": {map[string]any{"reference_date": "2021-02-30", "population": 12049, "source": "SCB"}, "reference_date"},
			"no source":       {map[string]any{"reference_date": "2021-12-31", "population": 12049}, "source"},
			"source too long": {map[string]any{"reference_date": "2021-12-31", "population": 12049, "source": strings.Repeat("s", 10_000)}, "source"},
			"unknown field":   {map[string]any{"reference_date": "2021-12-31", "population": 12049, "source": "SCB", "extra": 1}, ""},
			"not JSON":        {"reference_date=2021-12-31", ""},
			"an exponent":     {map[string]any{"reference_date": "2021-12-31", "population": 1e30, "source": "SCB"}, "population"},
		} {
			w, body := caseAPI(t, h, economist, "POST", path, tt.body)
			e := apiError(body)
			fields, _ := e["fields"].(map[string]any)
			if w.Code != http.StatusBadRequest || e["code"] != "invalid" || (tt.field != "" && fields[tt.field] == nil) {
				t.Errorf("%s: %d %v; want 400 invalid on %q", name, w.Code, body, tt.field)
			}
		}
		if rs.rows(t, "populations") != rows {
			t.Fatal("refused figures were stored")
		}
		pop := map[string]any{"reference_date": "2021-12-31", "population": 11900, "source": "SCB, folkmängd 31 december 2021"}
		if w, body := caseAPI(t, h, economist, "POST", path, pop); w.Code != http.StatusCreated || body["current"] != true {
			t.Errorf("record = %d %v", w.Code, body)
		}
		if w, _ := caseAPI(t, h, economist, "POST", path, pop); w.Code != http.StatusOK {
			t.Errorf("the same figure again = %d, want 200", w.Code)
		}
		pop["population"] = 11910
		if w, body := caseAPI(t, h, economist, "POST", path, pop); w.Code != http.StatusConflict || !strings.Contains(apiError(body)["message"].(string), "11900") {
			t.Errorf("a correction without a reason = %d %v, want 409", w.Code, body)
		}
		pop["correction_reason"] = "SCB reviderade siffran"
		if w, body := caseAPI(t, h, economist, "POST", path, pop); w.Code != http.StatusCreated || body["correction_reason"] != "SCB reviderade siffran" {
			t.Errorf("a correction = %d %v", w.Code, body)
		}
		_, body = caseAPI(t, h, economist, "GET", path, nil)
		pops, _ = body["populations"].([]any)
		if len(pops) != 3 || pops[0].(map[string]any)["population"] != float64(11910) || pops[1].(map[string]any)["current"] != false ||
			pops[1].(map[string]any)["superseded_by"] != pops[0].(map[string]any)["id"] {
			t.Errorf("history after the correction = %v", pops)
		}
	})
}
