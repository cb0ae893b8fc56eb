package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/pdf/pdftest"
	"github.com/region-jh/gns/reports/peppol"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

var fingerprintInput = regexp.MustCompile(`name="fingerprint" value="([^"]+)"`)

// fingerprintOf returns the confirm step's fingerprint on a page.
func fingerprintOf(t *testing.T, body string) string {
	t.Helper()
	m := fingerprintInput.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no confirm step on the page:\n%s", plain(body))
	}
	return m[1]
}

// TestServiceBilledThroughTheInvoicing follows the economist through a
// service billed from the ledger: the demo's serverdrift on Objekt 6663 is
// listed and invoiced to Åre; a new service on the same object for
// Östersund is previewed (the demo ledger's 1 607 410,00 kr on accounts
// 5110, 5510, 6550, 7690), confirmed into a direct allocation and issued
// through the ordinary invoicing, whose PDF, e-invoice and SIE carry the
// object and the months. Refusals change nothing: a service without its
// decision, a stale confirm step, months without ledger, the same months
// again.
func TestServiceBilledThroughTheInvoicing(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestServer(t, db)
		b := newBrowser(t, s.Handler())
		b.login("ekonom@demo.gns.example", demo.Password)
		ctx := context.Background()
		cm, _ := db.Conn().CommitteeByCode(ctx, "GNS")
		list := html.UnescapeString(plain(b.get(kit.ServicesURL("GNS")).Body.String()))
		for _, want := range []string{"Serverdrift Åre kommun", "kostnadsobjekt 6663", "E-strateg Li Zakrisson för Bräcke kommun", "4 000,00 kr per dag", "till och med 2020-06-26"} {
			if !strings.Contains(list, want) {
				t.Errorf("the services page lacks %q", want)
			}
		}
		services, _ := db.Conn().Services(ctx, cm.ID)
		demoPage := html.UnescapeString(plain(b.get(kit.ServiceURL(services[0].ID)).Body.String()))
		if !strings.Contains(demoPage, "2020-01 – 2020-08") || !strings.Contains(demoPage, "1 607 410,00 kr") {
			t.Errorf("the demo's serverdrift page lacks its bill:\n%s", demoPage)
		}

		ostersund, _ := db.Conn().PartyBySlug(ctx, "ostersund")
		form := url.Values{"kind": {"ledger"}, "name": {"Serverdrift Östersund"}, "party": {itoa(ostersund.ID)}, "cost_object": {"6663"}, "unit": {"day"}}
		if w := b.post("/namnder/GNS/tjanster", form); w.Code != http.StatusBadRequest || !strings.Contains(b.last, "Ange beslutet som medger tjänsten") {
			t.Fatalf("a service without its decision = %d", w.Code)
		}
		if after, _ := db.Conn().Services(ctx, cm.ID); len(after) != len(services) {
			t.Fatalf("a refused service was saved")
		}
		form.Set("decision", "Avtal om serverdrift (test)")
		w := b.post("/namnder/GNS/tjanster", form)
		if w.Code != http.StatusSeeOther || !strings.HasPrefix(location(w), "/tjanster/") {
			t.Fatalf("create service = %d %s", w.Code, plain(b.last))
		}
		page := location(w)

		if w := b.get(page + "/underlag?from=2020-09&to=2020-10"); w.Code != http.StatusConflict || !strings.Contains(b.last, "saknar utfall för 2020-09, 2020-10") {
			t.Errorf("months without ledger = %d", w.Code)
		}
		w = b.get(page + "/underlag?from=2020-01&to=2020-08")
		preview := html.UnescapeString(plain(b.last))
		for _, want := range []string{"5110", "6550", "Konsultkostnader", "1 607 410,00 kr", "Skapa underlaget"} {
			if w.Code != http.StatusOK || !strings.Contains(preview, want) {
				t.Errorf("the preview (%d) lacks %q", w.Code, want)
			}
		}
		fp := fingerprintOf(t, b.last)
		if w := b.post(page+"/underlag", url.Values{"from": {"2020-01"}, "to": {"2020-08"}, "fingerprint": {"stale"}}); w.Code != http.StatusConflict {
			t.Errorf("a stale confirm = %d", w.Code)
		}
		w = b.post(page+"/underlag", url.Values{"from": {"2020-01"}, "to": {"2020-08"}, "fingerprint": {fp}})
		if w.Code != http.StatusSeeOther || !strings.HasSuffix(location(w), "/fakturera") {
			t.Fatalf("confirm = %d %s", w.Code, plain(b.last))
		}
		if w := b.get(page + "/underlag?from=2020-01&to=2020-08"); w.Code != http.StatusConflict || !strings.Contains(b.last, "inget att fakturera") {
			t.Errorf("the same months again = %d", w.Code)
		}

		invoicing := location(w)
		b.get(invoicing + "?datum=2020-09-30")
		run := html.UnescapeString(plain(b.last))
		for _, want := range []string{"Serverdrift Östersund 2020-01 – 2020-08", "kostnadsobjekt 6663", "enligt beslut Avtal om serverdrift (test)", "period 2020-01-01 – 2020-08-31"} {
			if !strings.Contains(run, want) {
				t.Errorf("the invoicing preview lacks %q", want)
			}
		}
		w = b.post(invoicing, url.Values{"issue_date": {"2020-09-30"}, "fingerprint": {fingerprintOf(t, b.last)}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("issue = %d %s", w.Code, plain(b.last))
		}
		runURL := location(w)
		invoices, _ := db.Conn().Invoices(ctx, finance.InvoiceFilter{CommitteeID: cm.ID, PartyIDs: []int64{ostersund.ID}, Kind: finance.InvoiceKindInvoice})
		var number string
		for _, inv := range invoices {
			if strings.Contains(inv.LineText, "Serverdrift Östersund") {
				number = inv.Number
			}
		}
		if number == "" {
			t.Fatal("no invoice of the bill")
		}
		text := strings.Join(strings.Fields(pdftest.Text(t, b.get(kit.InvoiceURL(number)+"/pdf").Body.Bytes(), false)), " ")
		for _, want := range []string{"kostnadsobjekt 6663", "1 607 410,00", "2020-01-01", "2020-08-31"} {
			if !strings.Contains(text, want) {
				t.Errorf("the invoice PDF lacks %q:\n%s", want, text)
			}
		}
		w = b.get(kit.InvoiceURL(number) + "/e-faktura")
		if w.Code != http.StatusOK || len(peppol.Check(w.Body.Bytes())) != 0 || !strings.Contains(w.Body.String(), "kostnadsobjekt 6663") ||
			!strings.Contains(w.Body.String(), "<cbc:StartDate>2020-01-01</cbc:StartDate>") || !strings.Contains(w.Body.String(), "<cbc:EndDate>2020-08-31</cbc:EndDate>") {
			t.Errorf("the e-invoice = %d %v:\n%s", w.Code, peppol.Check(w.Body.Bytes()), w.Body.String())
		}
		w = b.get(runURL + "/sie")
		sieText, _ := charmap.CodePage437.NewDecoder().String(w.Body.String())
		if w.Code != http.StatusOK || !strings.Contains(sieText, `#OBJEKT 1 "6663"`) || !strings.Contains(sieText, `{1 "6663"} -1607410.00`) {
			t.Errorf("SIE = %d:\n%s", w.Code, sieText)
		}
	})
}

// TestServicesAccess: the secretariat and the auditor read the services, a
// party representative and a member do not reach them, and only the
// economist and the admin make and bill them, on the pages and the API.
func TestServicesAccess(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestServer(t, db)
		ctx := context.Background()
		cm, _ := db.Conn().CommitteeByCode(ctx, "GNS")
		services, _ := db.Conn().Services(ctx, cm.ID)
		page := kit.ServiceURL(services[0].ID)
		for _, du := range demo.Users {
			b := newBrowser(t, s.Handler())
			b.login(du.Email, demo.Password)
			staff := du.Role == "economist" || du.Role == "secretariat" || du.Role == "admin" || du.Role == "auditor"
			maker := du.Role == "economist" || du.Role == "admin"
			for _, p := range []string{kit.ServicesURL("GNS"), page} {
				if w := b.get(p); (w.Code == http.StatusOK) != staff {
					t.Errorf("GET %s as %s = %d", p, du.Role, w.Code)
				}
			}
			if w := b.get(page + "/underlag?from=2020-01&to=2020-02"); !maker && w.Code != http.StatusForbidden && w.Code != http.StatusNotFound {
				t.Errorf("preview as %s = %d", du.Role, w.Code)
			}
			for _, p := range []string{"/namnder/GNS/tjanster", page + "/underlag", "/namnder/GNS/ekonomi/budget/2022/upprakning", "/namnder/GNS/ekonomi/budget/2022/basfinansiering"} {
				if maker {
					continue
				}
				if w := b.post(p, url.Values{"name": {"x"}}); w.Code != http.StatusForbidden && w.Code != http.StatusNotFound {
					t.Errorf("POST %s as %s = %d", p, du.Role, w.Code)
				}
			}
			token := tokenFor(t, db, du.Email)
			code, _ := apiCall(t, s.Handler(), token, "GET", "/api/v1/committees/GNS/services", "")
			if (code == http.StatusOK) != staff {
				t.Errorf("API services as %s = %d", du.Role, code)
			}
			if !maker {
				for _, p := range []string{"/api/v1/committees/GNS/services", "/api/v1/services/" + itoa(services[0].ID) + "/bills/preview",
					"/api/v1/services/" + itoa(services[0].ID) + "/bills", "/api/v1/committees/GNS/indexations", "/api/v1/committees/GNS/budgets/2022/base-funding"} {
					if code, _ := apiCall(t, s.Handler(), token, "POST", p, `{}`); code != http.StatusForbidden && code != http.StatusNotFound {
						t.Errorf("API POST %s as %s = %d", p, du.Role, code)
					}
				}
			}
		}
	})
}

// TestServicesAPI makes and bills a time service through the API: 12 days ×
// 4 000 kr in May 2020 for Bräcke, previewed, then saved; the same month
// again and a missing fingerprint are refused.
func TestServicesAPI(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestServer(t, db)
		token := tokenFor(t, db, "ekonom@demo.gns.example")
		bracke, _ := db.Conn().PartyBySlug(context.Background(), "bracke")
		code, svc := apiCall(t, s.Handler(), token, "POST", "/api/v1/committees/GNS/services",
			`{"kind": "time", "name": "Utredare", "party_id": `+itoa(bracke.ID)+`, "unit": "day", "rate": "4000", "decision": "Uppdrag (test)", "ends_on": "2020-06-26"}`)
		if code != http.StatusCreated || svc["rate"] != "4000.00" {
			t.Fatalf("create = %d %v", code, svc)
		}
		id := itoa(int64(svc["id"].(float64)))
		code, plan := apiCall(t, s.Handler(), token, "POST", "/api/v1/services/"+id+"/bills/preview", `{"from": "2020-05", "to": "2020-05", "quantity": "12"}`)
		if code != http.StatusOK || plan["amount"] != "48000.00" {
			t.Fatalf("preview = %d %v", code, plan)
		}
		if code, _ := apiCall(t, s.Handler(), token, "POST", "/api/v1/services/"+id+"/bills", `{"from": "2020-05", "to": "2020-05", "quantity": "12"}`); code != http.StatusBadRequest {
			t.Errorf("without fingerprint = %d", code)
		}
		code, bill := apiCall(t, s.Handler(), token, "POST", "/api/v1/services/"+id+"/bills",
			`{"from": "2020-05", "to": "2020-05", "quantity": "12", "fingerprint": "`+plan["fingerprint"].(string)+`"}`)
		if code != http.StatusCreated || bill["amount"] != "48000.00" || bill["allocation_id"] == nil {
			t.Fatalf("bill = %d %v", code, bill)
		}
		if code, _ := apiCall(t, s.Handler(), token, "POST", "/api/v1/services/"+id+"/bills/preview", `{"from": "2020-05", "to": "2020-06", "quantity": "3"}`); code != http.StatusBadRequest {
			t.Errorf("May again = %d", code)
		}
		code, got := apiCall(t, s.Handler(), token, "GET", "/api/v1/services/"+id, "")
		if bills, _ := got["bills"].([]any); code != http.StatusOK || len(bills) != 1 {
			t.Errorf("service = %d %v", code, got)
		}
	})
}

// TestFundingCycle follows the year on the budget page and the start page:
// 2022's base contribution is computed from the demo's (constructed)
// uppräkning decision and shown with its rule; a budget with another base
// funding is refused; the base-funding allocation is proposed from the
// budget in equal shares; the start page shows each step's state; a new
// uppräkning decision and the API answer.
func TestFundingCycle(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestServer(t, db)
		b := newBrowser(t, s.Handler())
		b.login("ekonom@demo.gns.example", demo.Password)
		page := html.UnescapeString(plain(b.get("/namnder/GNS/ekonomi/budget/2022").Body.String()))
		for _, want := range []string{"Uppräkning med PKV 2,0 %: 914 400,00 kr × 1,02 = 932 688,00 kr", "Konstruerat för demon", "Föreslå fördelningen"} {
			if !strings.Contains(page, want) {
				t.Errorf("budget 2022 lacks %q", want)
			}
		}
		if !strings.Contains(html.UnescapeString(plain(b.get("/namnder/GNS/ekonomi/budget/2021").Body.String())), "Ingen uppräkning: basfinansieringen är oförändrad 914 400,00 kr") {
			t.Errorf("budget 2021 does not show the seed's unchanged base funding")
		}
		budgetPDF := strings.Join(strings.Fields(pdftest.Text(t, b.get("/namnder/GNS/ekonomi/budget/2022/pdf").Body.Bytes(), false)), " ")
		if !strings.Contains(budgetPDF, "Uppräkning med PKV 2,0 %: 914 400,00 kr × 1,02 = 932 688,00 kr, enligt beslut Konstruerat för demon") {
			t.Errorf("the budget PDF 2022 does not show the uppräkning:\n%s", budgetPDF)
		}
		start := html.UnescapeString(plain(b.get("/").Body.String()))
		for _, want := range []string{"Årets gång", "Budget 2022 beslutas i december 2021", "Uppräknad enligt beslut till 932 688,00 kr", "Fakturerad 2021-01-04", "Att göra"} {
			if !strings.Contains(start, want) {
				t.Errorf("the economist's start page lacks %q", want)
			}
		}
		w := b.post("/namnder/GNS/ekonomi/budget/2022", url.Values{"base_funding": {"900 000"}, "payment_months": {"1"}})
		if w.Code != http.StatusBadRequest || !strings.Contains(plain(b.last), "enligt beslutet om uppräkning") {
			t.Errorf("a budget against the uppräkning = %d", w.Code)
		}
		w = b.post("/namnder/GNS/ekonomi/budget/2022/basfinansiering", url.Values{})
		if w.Code != http.StatusSeeOther || !strings.HasPrefix(location(w), "/fordelningar/") {
			t.Fatalf("propose = %d %s", w.Code, plain(b.last))
		}
		alloc := html.UnescapeString(plain(b.get(location(w)).Body.String()))
		if !strings.Contains(alloc, "Basfinansiering 2022") || strings.Count(alloc, "103 632,00 kr") < 9 {
			t.Errorf("the proposal is not 9 × 103 632,00 kr")
		}
		if w := b.post("/namnder/GNS/ekonomi/budget/2022/basfinansiering", url.Values{}); w.Code != http.StatusConflict {
			t.Errorf("a second proposal = %d", w.Code)
		}
		if !strings.Contains(html.UnescapeString(plain(b.get("/").Body.String())), "är ett förslag utan beslut") {
			t.Errorf("the start page does not show the proposal's state")
		}
		w = b.post("/namnder/GNS/ekonomi/budget/2022/upprakning", url.Values{"rule": {"index"}, "index_name": {"PKV"}, "index_percent": {"abc"}, "decision": {"x"}})
		if w.Code != http.StatusBadRequest || !strings.Contains(b.last, "Ange indexets förändring i procent") {
			t.Errorf("a bad index = %d", w.Code)
		}
		w = b.post("/namnder/GNS/ekonomi/budget/2022/upprakning", url.Values{"rule": {"unchanged"}, "decision": {"Nytt beslut (test)"}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("a new decision = %d %s", w.Code, plain(b.last))
		}
		token := tokenFor(t, db, "ledamot@demo.gns.example")
		code, got := apiCall(t, s.Handler(), token, "GET", "/api/v1/committees/GNS/indexations?year=2022", "")
		list, _ := got["indexations"].([]any)
		if code != http.StatusOK || len(list) != 2 || list[0].(map[string]any)["base"] != "914400.00" || list[1].(map[string]any)["base"] != "932688.00" {
			t.Errorf("indexations 2022 = %d %v", code, got)
		}
	})
}
