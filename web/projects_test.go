package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/sv"
)

// demoProjectID returns the id of the demo's Projekt Digital transformation.
func demoProjectID(t *testing.T, s *Server) int64 {
	t.Helper()
	ctx := context.Background()
	cm, _ := s.DB.Conn().CommitteeByCode(ctx, demo.CommitteeCode)
	list, err := s.DB.Conn().Projects(ctx, cm.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("demo projects = %d, %v", len(list), err)
	}
	return list[0].ID
}

// TestProjectPagesAndAccess: the economist, a participating party and a
// member read the demo project's page; a party that takes no part gets 404
// for its page and API and does not see it listed; a party reads only its
// own share of the settlement; only the economist previews and writes.
func TestProjectPagesAndAccess(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, demoSQLite(t))
	h, db := s.Handler(), s.DB
	id := demoProjectID(t, s)
	page := fmt.Sprintf("/projekt/%d", id)
	ctx := context.Background()
	cm, _ := db.Conn().CommitteeByCode(ctx, demo.CommitteeCode)
	ostersund, _ := db.Conn().PartyBySlug(ctx, "ostersund")
	newUser(t, db, "ostersund@example.se", domain.RoleGrant{Role: domain.RoleParty, CommitteeID: cm.ID, PartyID: ostersund.ID}, false)

	eco := newBrowser(t, h)
	eco.login("ekonom@demo.gns.example", demo.Password)
	w := eco.get(page)
	for _, want := range []string{"Projekt Digital transformation", "GNS/8/2019", "2020-02-01", "2020-05-01", "efter invånarantal per 2020-12-31",
		"Konsultkostnader", "−417 000,00", "−71 462,00", "ERUF via Tillväxtverket", "aldrig ansökt", "Slutavräkning Projekt Digital transformation, februari–december 2020",
		"GNS § 20/2020", "Östersunds kommun"} {
		if !strings.Contains(strings.ReplaceAll(eco.last, "\u00a0", " "), want) {
			t.Errorf("economist's page lacks %q", want)
		}
	}
	if w.Code != http.StatusOK {
		t.Fatalf("page = %d", w.Code)
	}
	if w := eco.get("/namnder/GNS/projekt"); w.Code != http.StatusOK || !strings.Contains(eco.last, page) {
		t.Errorf("list = %d", w.Code)
	}

	party := newBrowser(t, h)
	party.login("bracke@demo.gns.example", demo.Password)
	if w := party.get(page); w.Code != http.StatusOK || !strings.Contains(party.last, "er part") || strings.Contains(party.last, "Krokoms kommun</th><td class=\"num\">11") ||
		strings.Contains(party.last, "Avsluta projektet") || strings.Contains(party.last, "Lägg till en deltagare") {
		t.Errorf("party page = %d", w.Code)
	}
	if w := party.get(page + "/avrakning/2020"); w.Code != http.StatusForbidden && w.Code != http.StatusNotFound {
		t.Errorf("party previews a settlement: %d", w.Code)
	}
	if w := party.post(page+"/budget", url.Values{"year": {"2020"}, "row": {"1"}, "amount": {"-1"}}); w.Code != http.StatusForbidden && w.Code != http.StatusNotFound {
		t.Errorf("party writes a budget: %d", w.Code)
	}
	other := newBrowser(t, h)
	other.login("ostersund@example.se", testPassword)
	if w := other.get(page); w.Code != http.StatusNotFound {
		t.Errorf("a party not in the project reads it: %d", w.Code)
	}
	if w := other.get("/namnder/GNS/projekt"); w.Code != http.StatusOK || strings.Contains(other.last, page) {
		t.Errorf("a party not in the project sees it listed: %d", w.Code)
	}

	// The API: participants with dates, key, years, settlement; a party's
	// own share only; 404 for a party not in it.
	code, out := apiCall(t, h, tokenFor(t, db, "ekonom@demo.gns.example"), "GET", fmt.Sprintf("/api/v1/projects/%d", id), "")
	if code != http.StatusOK || len(out["participants"].([]any)) != 7 || out["key"].(map[string]any)["population_date"] != "2020-12-31" {
		t.Fatalf("project API = %d %v", code, out)
	}
	st := out["settlements"].([]any)[0].(map[string]any)
	sum := decimal.Zero
	for _, sh := range st["shares"].([]any) {
		sum = sum.Add(amountOf(t, sh.(map[string]any)["share"]))
	}
	if len(st["shares"].([]any)) != 7 || !sum.Equal(amountOf(t, st["net"])) || st["net"] != "71462.00" {
		t.Errorf("settlement = %v", st)
	}
	code, out = apiCall(t, h, tokenFor(t, db, "bracke@demo.gns.example"), "GET", fmt.Sprintf("/api/v1/projects/%d", id), "")
	if code != http.StatusOK || len(out["settlements"].([]any)[0].(map[string]any)["shares"].([]any)) != 1 || out["party_invoiced"] == nil {
		t.Errorf("party's project API = %d %v", code, out)
	}
	if code, _ := apiCall(t, h, tokenFor(t, db, "ostersund@example.se"), "GET", fmt.Sprintf("/api/v1/projects/%d", id), ""); code != http.StatusNotFound {
		t.Errorf("a party not in the project reads it by API: %d", code)
	}
	code, out = apiCall(t, h, tokenFor(t, db, "ostersund@example.se"), "GET", "/api/v1/committees/GNS/projects", "")
	if code != http.StatusOK || len(out["projects"].([]any)) != 0 {
		t.Errorf("a party not in the project lists it: %d %v", code, out)
	}
	if code, _ := apiCall(t, h, tokenFor(t, db, "ledamot@demo.gns.example"), "POST", fmt.Sprintf("/api/v1/projects/%d/close", id), `{"closed_on":"2021-01-01","confirm":true}`); code != http.StatusForbidden {
		t.Errorf("a member closes a project: %d", code)
	}
}

// TestProjectWritesAndSettlement: the economist starts a project, adds
// participants (a bad date is refused on its field and changes nothing),
// budgets, records a grant, closes it after a confirm step, previews the
// settlement and confirms it into invoices; the API does the same writes.
func TestProjectWritesAndSettlement(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, demoSQLite(t))
	h, db := s.Handler(), s.DB
	ctx := context.Background()
	eco := newBrowser(t, h)
	eco.login("ekonom@demo.gns.example", demo.Password)
	eco.get("/namnder/GNS/projekt")
	if w := eco.post("/namnder/GNS/projekt", url.Values{"name": {"Testprojekt"}, "method": {"equal"}, "objects": {"x/6670"}}); w.Code != http.StatusBadRequest || !strings.Contains(eco.last, "går inte att läsa") {
		t.Fatalf("bad object = %d", w.Code)
	}
	w := eco.post("/namnder/GNS/projekt", url.Values{"name": {"Testprojekt"}, "method": {"equal"}, "objects": {"6670"}, "case": {"GNS/8/2019"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("create = %d %s", w.Code, eco.last)
	}
	page := location(w)
	bracke, _ := db.Conn().PartyBySlug(ctx, "bracke")
	are, _ := db.Conn().PartyBySlug(ctx, "are")
	eco.get(page)
	if w := eco.post(page+"/deltagare", url.Values{"party": {fmt.Sprint(bracke.ID)}, "joined": {"2020-13-01"}}); w.Code != http.StatusBadRequest || !strings.Contains(eco.last, "aria-invalid") {
		t.Fatalf("bad date = %d", w.Code)
	}
	for _, f := range []url.Values{{"party": {fmt.Sprint(bracke.ID)}, "joined": {"2020-01-01"}}, {"party": {fmt.Sprint(are.ID)}, "joined": {"2020-07-15"}, "left": {"2020-09-30"}}} {
		eco.get(page)
		if w := eco.post(page+"/deltagare", f); w.Code != http.StatusSeeOther {
			t.Fatalf("participant = %d %s", w.Code, eco.last)
		}
	}
	eco.get(page)
	if w := eco.post(page+"/finansiering", url.Values{"year": {"2020"}, "kind": {"grant"}, "funder": {"Statsbidrag"}, "status": {"granted"}, "decision": {"Dnr 1/2020"}, "amount": {"1 462"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("funding = %d %s", w.Code, eco.last)
	}
	eco.get(page)
	if w := eco.post(page+"/avsluta", url.Values{"closed_on": {"2020-12-31"}}); w.Code != http.StatusBadRequest || !strings.Contains(eco.last, "Bekräfta") {
		t.Fatalf("close without confirm = %d", w.Code)
	}
	eco.get(page)
	if w := eco.post(page+"/avsluta", url.Values{"closed_on": {"2020-12-31"}, "confirm": {"1"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("close = %d", w.Code)
	}
	if w := eco.get(page + "/avrakning/2020"); w.Code != http.StatusOK || !strings.Contains(strings.ReplaceAll(eco.last, "\u00a0", " "), "70 000,00") {
		t.Fatalf("preview = %d %s", w.Code, eco.last)
	}
	if w := eco.post(page+"/avrakning/2020", url.Values{"decision": {""}, "issue_date": {"2021-02-10"}, "fingerprint": {""}}); w.Code != http.StatusBadRequest {
		t.Fatalf("settle without decision = %d", w.Code)
	}
	eco.get(page + "/avrakning/2020")
	fp := eco.last[strings.Index(eco.last, `name="fingerprint" value="`)+len(`name="fingerprint" value="`):]
	fp = fp[:strings.Index(fp, `"`)]
	if w := eco.post(page+"/avrakning/2020", url.Values{"decision": {"GNS § 5/2021"}, "issue_date": {"2021-02-10"}, "fingerprint": {fp}}); w.Code != http.StatusSeeOther {
		t.Fatalf("settle = %d %s", w.Code, eco.last)
	}
	eco.get(page)
	if !strings.Contains(eco.last, "Slutavräkning Testprojekt, januari–december 2020") {
		t.Errorf("settled page lacks the settlement")
	}
	// Åre carries 3 × ½ of 12 months = 1/8 of 70 000.
	cm, _ := db.Conn().CommitteeByCode(ctx, demo.CommitteeCode)
	docs, _ := db.Conn().Invoices(ctx, finance.InvoiceFilter{CommitteeID: cm.ID, PartyIDs: []int64{are.ID}})
	found := false
	for _, d := range docs {
		if strings.HasPrefix(d.LineText, "Slutavräkning Testprojekt") && d.Amount.StringFixed(2) == "8750.00" && strings.Contains(d.LineText, "GNS § 5/2021") {
			found = true
		}
	}
	if !found {
		t.Errorf("Åre's settlement invoice is missing")
	}

	// The API writes.
	token := tokenFor(t, db, "ekonom@demo.gns.example")
	code, out := apiCall(t, h, token, "POST", "/api/v1/committees/GNS/projects", `{"name":"API-projekt","method":"percent","objects":"1/6670"}`)
	if code != http.StatusCreated {
		t.Fatalf("API create = %d %v", code, out)
	}
	pid := int64(out["id"].(float64))
	code, out = apiCall(t, h, token, "POST", fmt.Sprintf("/api/v1/projects/%d/participants", pid), fmt.Sprintf(`{"party":"%d","joined":"2021-03-01"}`, bracke.ID))
	if fields, _ := out["error"].(map[string]any)["fields"].(map[string]any); code != http.StatusBadRequest || fields["key_percent"] == nil {
		t.Errorf("participant without key = %d %v", code, out)
	}
	code, out = apiCall(t, h, token, "POST", fmt.Sprintf("/api/v1/projects/%d/participants", pid), fmt.Sprintf(`{"party":"%d","joined":"2021-03-01","key_percent":"2.54"}`, bracke.ID))
	if code != http.StatusOK || len(out["participants"].([]any)) != 1 {
		t.Errorf("participant = %d %v", code, out)
	}
	code, out = apiCall(t, h, token, "GET", fmt.Sprintf("/api/v1/projects/%d/settlements/2030/preview", pid), "")
	if code != http.StatusBadRequest {
		t.Errorf("preview of a year not over = %d %v", code, out)
	}
}

// TestProjectOnVarAndel: a participating party follows the demo project on
// Vår andel: budget, actual, its share of the settlement with its months
// and what it was invoiced; a party not in it sees no project section.
func TestProjectOnVarAndel(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, demoSQLite(t))
	b := newBrowser(t, s.Handler())
	b.login("bracke@demo.gns.example", demo.Password)
	if w := b.get("/var-andel?ar=2020"); w.Code != http.StatusOK {
		t.Fatalf("Vår andel = %d", w.Code)
	}
	ctx := context.Background()
	id := demoProjectID(t, s)
	ss, _ := s.DB.Conn().ProjectSettlements(ctx, id)
	bracke, _ := s.DB.Conn().PartyBySlug(ctx, "bracke")
	var share string
	for _, sh := range ss[0].Shares {
		if sh.PartyID == bracke.ID {
			share = strings.ReplaceAll(sv.Kronor(sh.Share), "\u00a0", " ")
		}
	}
	page := strings.ReplaceAll(b.last, "\u00a0", " ")
	for _, want := range []string{"Våra projekt", "Projekt Digital transformation", "från 2020-02-01 till 2020-12-14", "−417 000,00", "−71 462,00",
		"deltog 11 av 11 månader", "enligt beslut GNS § 20/2020", share} {
		if !strings.Contains(page, want) {
			t.Errorf("Vår andel lacks %q", want)
		}
	}
}
