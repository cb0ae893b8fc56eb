package web

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"golang.org/x/text/encoding/charmap"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/pdf/pdftest"
	"github.com/region-jh/gns/reports/peppol"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

// The demo issues the base funding 2021 as GNS-2021-0001 … 0008 (Bräcke's is
// 0005) and the refund as credit notes 0009 … 0016 (Bräcke's is 0013).

// invoiceSetup loads the demo and logs in a demo user.
func invoiceSetup(t *testing.T, db *store.DB, email string) (*Server, *browser) {
	t.Helper()
	s, _ := newTestServer(t, db)
	if _, err := demo.Load(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, s.Handler())
	if w := b.login(email, demo.Password); w.Code != http.StatusSeeOther {
		t.Fatalf("login %s = %d", email, w.Code)
	}
	return s, b
}

func mustInvoice(t *testing.T, db *store.DB, number string) finance.Invoice {
	t.Helper()
	inv, err := db.Conn().InvoiceByNumber(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

var rowNumber = regexp.MustCompile(`<a href="/fakturor/(GNS-[0-9]{4}-[0-9]{4})">`)

// listed returns the document numbers a list page links to, in order, once each.
func listed(body string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range rowNumber.FindAllStringSubmatch(body, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	return out
}

func TestInvoiceListAndRunAsEconomist(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		_, b := invoiceSetup(t, db, "ekonom@demo.gns.example")
		if w := b.get("/fakturor"); w.Code != http.StatusFound || location(w) != "/namnder/GNS/fakturor" {
			t.Fatalf("/fakturor = %d → %q", w.Code, location(w))
		}
		w := b.get("/namnder/GNS/fakturor")
		body := plain(w.Body.String())
		if w.Code != http.StatusOK || len(listed(body)) != 24 || !strings.Contains(body, "Faktureringar") || !strings.Contains(body, "24 dokument, netto 2 075 592,00 kr; kvar att få in 2 238 472,00 kr, kvar att betala ut 416 080,00 kr") {
			t.Fatalf("list = %d with %d documents", w.Code, len(listed(body)))
		}
		for _, tt := range []struct {
			query string
			want  []string
		}{
			{"part=bracke", []string{"GNS-2021-0005", "GNS-2021-0013", "GNS-2021-0018"}}, // with the settlement of Digital transformation
			{"status=paid", []string{"GNS-2021-0001", "GNS-2021-0007"}},
			{"status=partly_paid", []string{"GNS-2021-0004"}},
			{"ar=2021&part=berg&forfallna=ja", []string{"GNS-2021-0004", "GNS-2021-0012", "GNS-2021-0021"}},
			{"ar=2020", []string{"GNS-2020-0001"}}, // serverdrift 6663 billed to Åre
		} {
			w := b.get("/namnder/GNS/fakturor?" + tt.query)
			if got := listed(w.Body.String()); w.Code != http.StatusOK || strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("?%s: %d %v, want %v", tt.query, w.Code, got, tt.want)
			}
		}
		for _, q := range []string{"ar=tjugo", "part=okand", "status=betald", "forfallna=kanske"} {
			if w := b.get("/namnder/GNS/fakturor?" + q); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "Urvalet gick inte att göra") {
				t.Errorf("?%s = %d, want 400 with the problem", q, w.Code)
			}
		}

		base := mustInvoice(t, db, "GNS-2021-0001")
		run := kit.RunURL(base.RunID)
		page := plain(b.get(run).Body.String())
		for _, want := range []string{"Basfinansiering 2021", "Intern omföring", "Region Jämtland Härjedalen", "101 600,00 kr",
			"Kan inte skickas som e-faktura", "Bräcke kommun: organisationsnummer, Peppol-id", "Summa för faktureringen: 914 400,00 kr", "samma som fördelningens belopp"} {
			if !strings.Contains(page, want) {
				t.Errorf("the run page lacks %q", want)
			}
		}
		w = b.get(run + "/pdf")
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/pdf" {
			t.Fatalf("run PDF = %d %s", w.Code, w.Header().Get("Content-Type"))
		}
		text := pdftest.Text(t, w.Body.Bytes(), true)
		for _, want := range []string{"Faktura GNS-2021-0001", "Faktura GNS-2021-0008", "Bräcke kommun", "Härjedalens kommun", "Att betala 101 600,00",
			"Basfinansiering 2021, lika delar 1/9, enligt beslut GNS §", "Sida 8 av 8"} {
			if !strings.Contains(text, want) {
				t.Errorf("the run's PDF lacks %q", want)
			}
		}
		// Opening the PDF is not sending it.
		if inv := mustInvoice(t, db, "GNS-2021-0005"); inv.Status() != finance.InvoiceIssued || !inv.SentAt.IsZero() {
			t.Errorf("after the economist opened the PDF, Bräcke's invoice is %s, sent %v", inv.Status(), inv.SentAt)
		}

		w = b.get(run + "/e-fakturor")
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/zip" {
			t.Fatalf("run e-invoices = %d", w.Code)
		}
		zr, err := zip.NewReader(bytes.NewReader(w.Body.Bytes()), int64(w.Body.Len()))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range zr.File {
			names = append(names, f.Name)
		}
		if strings.Join(names, ",") != "GNS-2021-0001.xml,GNS-2021-0007.xml,GNS-2021-0008.xml" {
			t.Errorf("e-invoices in the zip: %v (want Östersund, Strömsund and Härjedalen, whose organisation numbers are known)", names)
		}

		w = b.get(run + "/sie")
		sieText, _ := charmap.CodePage437.NewDecoder().String(w.Body.String())
		if w.Code != http.StatusOK || strings.Count(sieText, "#VER") != 9 || !strings.Contains(sieText, `#TRANS 1510 {} 101600.00 "" "Bräcke kommun"`) ||
			!strings.Contains(sieText, `#TRANS 4950 {} 101600.00`) || !strings.Contains(w.Header().Get("Content-Disposition"), "GNS-fakturering") {
			t.Errorf("SIE export = %d:\n%s", w.Code, sieText)
		}
	})
}

func TestInvoicePaymentsAndCredit(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		_, b := invoiceSetup(t, db, "ekonom@demo.gns.example")
		const number = "GNS-2021-0005" // Bräcke, unpaid
		page := plain(b.get(kit.InvoiceURL(number)).Body.String())
		for _, want := range []string{"Faktura GNS-2021-0005", "Bräcke kommun", "Box 190", "840 60 Bräcke", "Er referens", "KS-2305",
			"Bräcke kommun saknar organisationsnummer och Peppol-id: e-faktura kan inte skapas.", "Registrera betalning", "förfallen", "Kreditera"} {
			if !strings.Contains(page, want) {
				t.Errorf("the invoice page lacks %q", want)
			}
		}
		if w := b.get(kit.InvoiceURL(number) + "/e-faktura"); w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "Bräcke kommun saknar organisationsnummer och Peppol-id") {
			t.Errorf("e-invoice for Bräcke = %d", w.Code)
		}
		if w := b.get(kit.InvoiceURL("GNS-2021-0001") + "/e-faktura"); w.Code != http.StatusOK || len(peppol.Check(w.Body.Bytes())) != 0 {
			t.Errorf("e-invoice for Östersund = %d", w.Code)
		}

		pay := func(amount, on string) *httptest.ResponseRecorder {
			b.get(kit.InvoiceURL(number))
			return b.post(kit.InvoiceURL(number)+"/betalningar", url.Values{"amount": {amount}, "paid_on": {on}, "note": {"Bankgiro"}})
		}
		for _, tt := range []struct{ amount, on, want string }{
			{"101 600,01", "2021-02-01", "större än det som återstår, 101 600,00 kr"},
			{"-100", "2021-02-01", "negativt"},
			{"0", "2021-02-01", "större än noll"},
			{"tusen", "2021-02-01", "belopp"},
			{"100", "2021-01-03", "före fakturadatum"},
			{"100", "2199-01-01", "senare än i dag"},
			{"100", "igår", "ÅÅÅÅ-MM-DD"},
		} {
			w := pay(tt.amount, tt.on)
			if w.Code != http.StatusBadRequest || !strings.Contains(strings.ToLower(plain(w.Body.String())), strings.ToLower(tt.want)) {
				t.Errorf("payment of %s on %s = %d, want 400 with %q", tt.amount, tt.on, w.Code, tt.want)
			}
		}
		if inv := mustInvoice(t, db, number); !inv.Paid.IsZero() {
			t.Fatalf("refused payments were registered: %s", inv.Paid)
		}
		if w := pay("60 000,00", "2021-02-10"); w.Code != http.StatusSeeOther {
			t.Fatalf("partial payment = %d", w.Code)
		}
		if page := plain(b.get(kit.InvoiceURL(number)).Body.String()); !strings.Contains(page, "Återstår: 41 600,00 kr") || !strings.Contains(page, "Delvis betald") {
			t.Errorf("after a partial payment the page lacks the rest and the status")
		}

		// Kreditera: more than open is refused, a changed form is not issued unseen.
		credit := func(form url.Values) *httptest.ResponseRecorder {
			b.get(kit.InvoiceURL(number) + "/kreditera")
			return b.post(kit.InvoiceURL(number)+"/kreditera", form)
		}
		if w := credit(url.Values{"amount": {"41 600,01"}, "reason": {"Fel"}, "issue_date": {"2021-02-15"}, "action": {"preview"}}); w.Code != http.StatusBadRequest ||
			!strings.Contains(plain(w.Body.String()), "högst det obetalda beloppet 41 600,00 kr") {
			t.Errorf("credit for more than open = %d", w.Code)
		}
		w := credit(url.Values{"amount": {"1 600"}, "reason": {"Basfinansieringen sänkt <b>"}, "issue_date": {"2021-02-15"}, "action": {"preview"}})
		if w.Code != http.StatusOK || !strings.Contains(plain(w.Body.String()), "Utfärda kreditfakturan") || strings.Contains(w.Body.String(), "sänkt <b>") {
			t.Fatalf("credit preview = %d", w.Code)
		}
		key := regexp.MustCompile(`name="previewed" value="([^"]+)"`).FindStringSubmatch(w.Body.String())
		if key == nil {
			t.Fatal("the preview carries no key")
		}
		changed := url.Values{"amount": {"2 600"}, "reason": {"Basfinansieringen sänkt <b>"}, "issue_date": {"2021-02-15"}, "action": {"issue"}, "previewed": {html.UnescapeString(key[1])}}
		if w := b.post(kit.InvoiceURL(number)+"/kreditera", changed); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "ändrades efter förhandsgranskningen") {
			t.Errorf("issuing a changed credit note = %d", w.Code)
		}
		changed.Set("amount", "1 600")
		w = b.post(kit.InvoiceURL(number)+"/kreditera", changed)
		if w.Code != http.StatusSeeOther || location(w) != "/fakturor/GNS-2021-0024" {
			t.Fatalf("issuing the credit note = %d → %q", w.Code, location(w))
		}
		cn := mustInvoice(t, db, "GNS-2021-0024")
		if !cn.Corrects() || cn.CreditsNumber != number || cn.Amount.String() != "1600" || cn.CreditReason != "Basfinansieringen sänkt <b>" {
			t.Errorf("credit note = %+v", cn)
		}
		if inv := mustInvoice(t, db, number); inv.Open().String() != "40000" {
			t.Errorf("open after the credit note = %s", inv.Open())
		}
		page = b.get("/fakturor/GNS-2021-0024").Body.String()
		if !strings.Contains(page, "Krediterar") || !strings.Contains(page, "sänkt &lt;b&gt;") || strings.Contains(page, "Registrera betalning") {
			t.Error("the credit note's page does not show what it credits, or offers a payment")
		}
		if w := b.get("/fakturor/GNS-2021-0024/pdf"); w.Code != http.StatusOK || !strings.Contains(pdftest.Text(t, w.Body.Bytes(), true), "Krediterar Faktura GNS-2021-0005 daterad 2021-01-04") {
			t.Errorf("credit note PDF = %d", w.Code)
		}
		// A refund credit note takes its payout.
		if w := b.post("/fakturor/GNS-2021-0013/betalningar", url.Values{"amount": {"52 010,00"}, "paid_on": {"2021-02-01"}}); w.Code != http.StatusSeeOther {
			t.Errorf("registering a payout = %d", w.Code)
		}
		if inv := mustInvoice(t, db, "GNS-2021-0013"); inv.StatusLabel() != "Utbetald" {
			t.Errorf("the refund is %s", inv.StatusLabel())
		}
	})
}

func TestIssueRunInBrowser(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		_, b := invoiceSetup(t, db, "ekonom@demo.gns.example")
		ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
		gns, _ := db.Conn().CommitteeByCode(ctx, "GNS")
		parties, _ := db.Conn().CommitteePartiesOn(ctx, gns.ID, today())
		project := finance.Allocation{CommitteeID: gns.ID, Kind: finance.AllocationProject, Title: "Digital transformation, etapp 2",
			Method: "equal", Unit: "ore", Total: decimal.NewFromInt(9000), BudgetYear: 2021, Decision: "GNS § 5/2021"}
		for _, p := range parties {
			project.Shares = append(project.Shares, finance.AllocationShare{PartyID: p.ID, PartyName: p.Name, Host: p.Host,
				Amount: decimal.NewFromInt(1000), Quota: decimal.NewFromInt(1000), Weight: decimal.NewFromInt(1), WeightKind: "equal"})
		}
		var a finance.Allocation
		if err := db.InTx(ctx, func(c *store.Conn) error { var err error; a, err = c.CreateAllocation(ctx, project); return err }); err != nil {
			t.Fatal(err)
		}
		if list := plain(b.get("/namnder/GNS/fakturor").Body.String()); !strings.Contains(list, "Digital transformation, etapp 2") || !strings.Contains(list, "Förhandsgranska fakturering") {
			t.Error("the new allocation is not offered for invoicing")
		}
		preview := "/fordelningar/" + itoa(a.ID) + "/fakturera"
		w := b.get(preview + "?datum=2021-02-09")
		body := plain(w.Body.String())
		if w.Code != http.StatusOK || !strings.Contains(body, "Utfärda 8 fakturor") || !strings.Contains(body, "Intern omföring") ||
			!strings.Contains(body, "2021-03-11") || !strings.Contains(body, "Bräcke kommun saknar organisationsnummer, Peppol-id") {
			t.Fatalf("preview = %d", w.Code)
		}
		fp := regexp.MustCompile(`name="fingerprint" value="([^"]+)"`).FindStringSubmatch(w.Body.String())
		if fp == nil {
			t.Fatal("the preview has no confirm form")
		}
		for _, tt := range []struct {
			form url.Values
			want string
		}{
			{url.Values{"issue_date": {"2021-02-09"}}, "Förhandsgranska faktureringen"},
			{url.Values{"issue_date": {"2199-01-01"}, "fingerprint": {fp[1]}}, "senare än i dag"},
			{url.Values{"issue_date": {"2021-01-03"}, "fingerprint": {fp[1]}}, "redan en faktura daterad 2021-02-08"},
			{url.Values{"issue_date": {"2021-02-10"}, "fingerprint": {fp[1]}}, "ändrats sedan förhandsgranskningen"},
		} {
			b.get(preview)
			before, _ := db.Conn().Invoices(ctx, finance.InvoiceFilter{CommitteeID: gns.ID})
			w := b.post(preview, tt.form)
			after, _ := db.Conn().Invoices(ctx, finance.InvoiceFilter{CommitteeID: gns.ID})
			if w.Code < 400 || !strings.Contains(w.Body.String(), tt.want) || len(after) != len(before) {
				t.Errorf("%v: %d, want an error with %q and nothing issued", tt.form, w.Code, tt.want)
			}
		}
		b.get(preview + "?datum=2021-02-09")
		w = b.post(preview, url.Values{"issue_date": {"2021-02-09"}, "fingerprint": {fp[1]}})
		if w.Code != http.StatusSeeOther || !strings.HasPrefix(location(w), "/faktureringar/") {
			t.Fatalf("issue = %d → %q", w.Code, location(w))
		}
		if page := b.get(location(w)).Body.String(); !strings.Contains(page, "Faktureringen är klar: 8 fakturor") || !strings.Contains(page, "GNS-2021-0024") {
			t.Error("the run page after issuing lacks the message or the last number")
		}
		w = b.post(preview, url.Values{"issue_date": {"2021-02-09"}, "fingerprint": {fp[1]}})
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "redan fakturerad") {
			t.Errorf("issuing the same allocation twice = %d", w.Code)
		}
		// A superseded allocation cannot be invoiced.
		fix := project
		fix.Title, fix.SupersedesID = "Digital transformation, etapp 3", 0
		var old finance.Allocation
		if err := db.InTx(ctx, func(c *store.Conn) error { var err error; old, err = c.CreateAllocation(ctx, fix); return err }); err != nil {
			t.Fatal(err)
		}
		fix.SupersedesID = old.ID
		var current finance.Allocation
		if err := db.InTx(ctx, func(c *store.Conn) error { var err error; current, err = c.CreateAllocation(ctx, fix); return err }); err != nil {
			t.Fatal(err)
		}
		if w := b.get("/fordelningar/" + itoa(old.ID) + "/fakturera"); w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "är ersatt av fördelning") ||
			strings.Contains(w.Body.String(), `name="fingerprint"`) {
			t.Errorf("preview of a superseded allocation = %d", w.Code)
		}
		// A party without an address stops the run, and the preview says who.
		bracke, _ := db.Conn().PartyBySlug(ctx, "bracke")
		if err := db.InTx(ctx, func(c *store.Conn) error {
			_, err := c.UpdatePartyDetails(ctx, bracke.ID, domain.PartyDetails{})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		w = b.get("/fordelningar/" + itoa(current.ID) + "/fakturera?datum=2021-02-09")
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "Bräcke kommun saknar adress") || strings.Contains(w.Body.String(), `name="fingerprint"`) {
			t.Errorf("preview with a party without an address = %d", w.Code)
		}
	})
}

func TestInvoiceSettingsPage(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		s, b := invoiceSetup(t, db, "ekonom@demo.gns.example")
		const path = "/namnder/GNS/fakturainstallningar"
		w := b.get(path)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Demouppgifter") || !strings.Contains(w.Body.String(), `value="5050-1055"`) {
			t.Fatalf("settings page = %d", w.Code)
		}
		form := url.Values{}
		for k, v := range map[string]string{"seller_name": "Region Jämtland Härjedalen", "seller_address": "Box 654\n831 27 Östersund",
			"seller_org_number": "232100-0214", "seller_vat_number": "SE232100021401", "seller_peppol_id": "0007:2321000214", "f_tax": "on",
			"bankgiro": "1234-5678", "payment_terms_days": "20", "ocr_length_digit": "on", "vat_category": "O",
			"receivable_account": "1510", "contribution_account": "3540", "internal_account": "4950"} {
			form.Set(k, v)
		}
		w = b.post(path, form)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `id="f-bankgiro-error"`) {
			t.Errorf("a bad bankgiro = %d, want 400 with the error at the field", w.Code)
		}
		form.Set("bankgiro", "5050-1055")
		b.get(path)
		if w := b.post(path, form); w.Code != http.StatusSeeOther {
			t.Fatalf("save = %d", w.Code)
		}
		gns, _ := db.Conn().CommitteeByCode(context.Background(), "GNS")
		if st, _ := db.Conn().InvoiceSettings(context.Background(), gns.ID); st.PaymentTermsDays != 20 || st.Demo || st.UpdatedBy != "ekonom@demo.gns.example" {
			t.Errorf("saved settings = %+v", st)
		}
		sb := newBrowser(t, s.Handler())
		sb.login("sekretariat@demo.gns.example", demo.Password)
		if w := sb.get(path); w.Code != http.StatusOK || strings.Contains(w.Body.String(), `name="bankgiro"`) || !strings.Contains(w.Body.String(), "5050-1055") {
			t.Errorf("the secretariat's settings page = %d, want the values without a form", w.Code)
		}
		if w := sb.post(path, form); w.Code != http.StatusForbidden {
			t.Errorf("the secretariat saving settings = %d, want 403", w.Code)
		}
	})
}

// TestPartySeesOwnInvoicesOnly logs in Bräcke's representative: Bräcke's
// documents in the pages and the API, every other number "not found".
func TestPartySeesOwnInvoicesOnly(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		s, b := invoiceSetup(t, db, "bracke@demo.gns.example")
		if w := b.get("/fakturor"); w.Code != http.StatusFound {
			t.Fatalf("/fakturor = %d", w.Code)
		}
		w := b.get("/namnder/GNS/fakturor")
		if got := listed(w.Body.String()); w.Code != http.StatusOK || strings.Join(got, ",") != "GNS-2021-0005,GNS-2021-0013,GNS-2021-0018" { // base funding, refund, Digital transformation's settlement
			t.Errorf("Bräcke's list = %d %v", w.Code, got)
		}
		if strings.Contains(w.Body.String(), "Faktureringar") || strings.Contains(w.Body.String(), "Att fakturera") {
			t.Error("the party sees the runs or the allocations to invoice")
		}
		if w := b.get("/namnder/GNS/fakturor?part=ostersund"); w.Code != http.StatusBadRequest {
			t.Errorf("filtering on another party = %d", w.Code)
		}
		for path, want := range map[string]int{
			"/fakturor/GNS-2021-0005":           http.StatusOK,
			"/fakturor/GNS-2021-0005/pdf":       http.StatusOK,
			"/fakturor/GNS-2021-0013":           http.StatusOK,
			"/fakturor/GNS-2021-0001":           http.StatusNotFound,
			"/fakturor/GNS-2021-0001/pdf":       http.StatusNotFound,
			"/fakturor/GNS-2021-0001/e-faktura": http.StatusNotFound,
			"/fakturor/GNS-2099-0001":           http.StatusNotFound,
			"/faktureringar/1":                  http.StatusForbidden,
			"/namnder/GNS/fakturainstallningar": http.StatusForbidden,
			"/fordelningar/1/fakturera":         http.StatusForbidden,
		} {
			if w := b.get(path); w.Code != want {
				t.Errorf("GET %s as Bräcke = %d, want %d", path, w.Code, want)
			}
		}
		if inv := mustInvoice(t, db, "GNS-2021-0005"); !inv.SentAt.IsZero() {
			t.Error("the party's download marked the invoice as sent")
		}
		token := tokenFor(t, db, "bracke@demo.gns.example")
		code, out := apiCall(t, s.Handler(), token, "GET", "/api/v1/committees/GNS/invoices", "")
		if list, _ := out["invoices"].([]any); code != http.StatusOK || len(list) != 3 {
			t.Errorf("API list for Bräcke = %d, %d documents", code, len(list))
		}
		for _, file := range []string{"GNS-2021-0001", "GNS-2021-0001.pdf", "GNS-2021-0001.xml"} {
			if code, out := apiCall(t, s.Handler(), token, "GET", "/api/v1/invoices/"+file, ""); code != http.StatusNotFound || strings.Contains(strings.ToLower(toJSON(out)), "östersund") {
				t.Errorf("API %s for Bräcke = %d %v", file, code, out)
			}
		}
	})
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// apiGet sends a GET with a bearer token and returns the raw answer.
func apiGet(t *testing.T, h http.Handler, token, path string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestInvoiceAPI(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		s, _ := invoiceSetup(t, db, "ekonom@demo.gns.example")
		h := s.Handler()
		economist := tokenFor(t, db, "ekonom@demo.gns.example")
		code, out := apiCall(t, h, economist, "GET", "/api/v1/committees/GNS/invoices?party=bracke", "")
		list, _ := out["invoices"].([]any)
		if code != http.StatusOK || len(list) != 3 || out["count"].(float64) != 3 {
			t.Fatalf("list = %d %v", code, out)
		}
		first := list[0].(map[string]any)
		if first["number"] != "GNS-2021-0005" || first["amount"] != "101600.00" || first["status"] != "issued" || first["overdue"] != true ||
			first["ocr"] != "2021000506" || first["pdf_url"] != "/api/v1/invoices/GNS-2021-0005.pdf" {
			t.Errorf("Bräcke's invoice = %v", first)
		}
		if code, out := apiCall(t, h, economist, "GET", "/api/v1/committees/GNS/invoices?status=paid&year=2021", ""); code != http.StatusOK || len(out["invoices"].([]any)) != 2 {
			t.Errorf("paid = %d %v", code, out)
		}
		code, out = apiCall(t, h, economist, "GET", "/api/v1/committees/GNS/invoices?status=betald", "")
		if e, _ := out["error"].(map[string]any); code != http.StatusBadRequest || e["fields"] == nil {
			t.Errorf("a bad status = %d %v", code, out)
		}
		code, out = apiCall(t, h, economist, "GET", "/api/v1/invoices/GNS-2021-0013", "")
		if code != http.StatusOK || out["kind"] != "credit_note" || out["amount"] != "52010.00" || out["decision"] != "GNS § 18/2020" || out["status_label"] != "Utfärdad" {
			t.Errorf("refund credit note = %d %v", code, out)
		}
		w := apiGet(t, h, economist, "/api/v1/invoices/GNS-2021-0001.pdf")
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(w.Body.Bytes(), []byte("%PDF")) {
			t.Errorf("PDF = %d %s", w.Code, w.Header().Get("Content-Type"))
		}
		w = apiGet(t, h, economist, "/api/v1/invoices/GNS-2021-0001.xml")
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/xml" || len(peppol.Check(w.Body.Bytes())) != 0 {
			t.Errorf("XML = %d", w.Code)
		}
		if inv := mustInvoice(t, db, "GNS-2021-0001"); !inv.SentAt.IsZero() {
			t.Errorf("the API downloads marked the invoice as sent %v via %q", inv.SentAt, inv.SentVia)
		}
		code, out = apiCall(t, h, economist, "GET", "/api/v1/invoices/GNS-2021-0005.xml", "")
		if e, _ := out["error"].(map[string]any); code != http.StatusConflict || e["code"] != "conflict" ||
			!strings.Contains(e["message"].(string), "Bräcke kommun saknar organisationsnummer och Peppol-id") {
			t.Errorf("XML for Bräcke = %d %v", code, out)
		}
		for _, file := range []string{"GNS-2099-0001", "nonsens.pdf", "GNS-2021-0001.doc"} {
			if code, _ := apiCall(t, h, economist, "GET", "/api/v1/invoices/"+file, ""); code != http.StatusNotFound {
				t.Errorf("%s = %d, want 404", file, code)
			}
		}
		// The auditor reads and downloads without marking anything sent.
		auditor := tokenFor(t, db, "revisor@demo.gns.example")
		if w := apiGet(t, h, auditor, "/api/v1/invoices/GNS-2021-0002.pdf"); w.Code != http.StatusOK {
			t.Errorf("the auditor's PDF = %d", w.Code)
		}
		if inv := mustInvoice(t, db, "GNS-2021-0002"); !inv.SentAt.IsZero() {
			t.Error("the auditor's download marked the invoice as sent")
		}
		member := tokenFor(t, db, "ledamot@demo.gns.example")
		if code, _ := apiCall(t, h, member, "GET", "/api/v1/invoices/GNS-2021-0002", ""); code != http.StatusForbidden {
			t.Errorf("a member reading an invoice = %d, want 403", code)
		}
	})
}
