package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
	"github.com/region-jh/gns/web/kit"
)

// sendAudits returns the audited sends of the document number.
func sendAudits(t *testing.T, db *store.DB, number string) []domain.AuditEntry {
	t.Helper()
	list, _, err := db.Conn().AuditEntries(context.Background(), domain.AuditFilter{Entity: "invoice", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []domain.AuditEntry
	for _, e := range list {
		if e.Action == "send" && e.EntityID == number {
			out = append(out, e)
		}
	}
	return out
}

// TestInvoiceOpenedIsNotSent: opening or downloading a document (a GET) by
// the economist changes nothing; the economist marks it as sent on its page,
// saying how, which is kept on the document and in the audit trail, once.
func TestInvoiceOpenedIsNotSent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		_, b := invoiceSetup(t, db, "ekonom@demo.gns.example")
		const number = "GNS-2021-0005" // Bräcke, unpaid, no e-invoice possible
		for _, path := range []string{kit.InvoiceURL(number) + "/pdf", kit.InvoiceURL(number) + "/e-faktura", kit.InvoiceURL("GNS-2021-0007") + "/e-faktura", "/faktureringar/1/pdf", "/faktureringar/1/e-fakturor"} {
			b.get(path)
		}
		for _, n := range []string{number, "GNS-2021-0007"} {
			if inv := mustInvoice(t, db, n); !inv.SentAt.IsZero() || inv.Status() == finance.InvoiceSent || len(sendAudits(t, db, n)) != 0 {
				t.Errorf("opening %s marked it %s, sent %v", n, inv.Status(), inv.SentAt)
			}
		}

		page := plain(b.get(kit.InvoiceURL(number)).Body.String())
		for _, want := range []string{"Markera som skickad", "Att öppna PDF:en eller ladda ner e-fakturan ändrar ingenting", `value="peppol" checked`, `value="post"`, `value="other"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the invoice page lacks %q", want)
			}
		}
		if strings.Contains(page, `value="email"`) {
			t.Error("the invoice page offers to mark the document as sent by e-mail, which only GNS's Skicka does")
		}
		mark := func(via string) *http.Response {
			b.get(kit.InvoiceURL(number))
			return b.post(kit.InvoiceURL(number)+"/skickad", url.Values{"via": {via}}).Result()
		}
		for _, tt := range []struct{ via, want string }{
			{"", "Välj hur dokumentet skickades"},
			{"pdf", "Välj hur dokumentet skickades"},
			{"email", "använd Skicka på faktureringen"},
			{"peppol", "kan inte ha skickats med Peppol"},
		} {
			w := mark(tt.via)
			if w.StatusCode != http.StatusBadRequest || !strings.Contains(b.last, tt.want) {
				t.Errorf("marking sent via %q = %d, want 400 with %q", tt.via, w.StatusCode, tt.want)
			}
		}
		if inv := mustInvoice(t, db, number); !inv.SentAt.IsZero() {
			t.Fatal("a refused mark was saved")
		}
		if w := mark("post"); w.StatusCode != http.StatusSeeOther {
			t.Fatalf("marking sent by post = %d", w.StatusCode)
		}
		inv := mustInvoice(t, db, number)
		if inv.Status() != finance.InvoiceSent || inv.SentVia != finance.SentViaPost || inv.SentBy != "ekonom@demo.gns.example" || inv.SentAt.IsZero() {
			t.Errorf("after the mark: %s via %q by %q at %v", inv.Status(), inv.SentVia, inv.SentBy, inv.SentAt)
		}
		if audits := sendAudits(t, db, number); len(audits) != 1 || audits[0].Actor != "ekonom@demo.gns.example" || !strings.Contains(string(audits[0].After), `"post"`) {
			t.Errorf("audited sends of %s: %+v", number, audits)
		}
		page = plain(b.get(kit.InvoiceURL(number)).Body.String())
		if !strings.Contains(page, "är markerad som skickad (post)") || !strings.Contains(page, "(post)") || strings.Contains(page, `action="/fakturor/`+number+`/skickad"`) {
			t.Error("after the mark the page lacks the message, or still offers the form")
		}
		// A second mark changes nothing: 409, the first record kept.
		if w := b.post(kit.InvoiceURL(number)+"/skickad", url.Values{"via": {"other"}}); w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "redan markerat som skickat") {
			t.Errorf("marking again = %d", w.Code)
		}
		if again := mustInvoice(t, db, number); again.SentVia != finance.SentViaPost || !again.SentAt.Equal(inv.SentAt) || len(sendAudits(t, db, number)) != 1 {
			t.Errorf("marking again changed the record: %+v", again)
		}
	})
}

// TestInvoiceRunMarkedSent: the economist marks a whole run as sent after
// confirming; Peppol is refused while a document of the run has no
// e-invoice; documents already marked keep their record.
func TestInvoiceRunMarkedSent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		_, b := invoiceSetup(t, db, "ekonom@demo.gns.example")
		base := mustInvoice(t, db, "GNS-2021-0001")
		run := kit.RunURL(base.RunID)
		page := plain(b.get(run).Body.String())
		if !strings.Contains(page, "Markera 8 dokument som skickade") || !strings.Contains(page, "Jag har skickat alla 8 dokument") {
			t.Fatalf("the run page lacks the form:\n%s", page)
		}
		// One already marked as sent by another channel.
		b.get(kit.InvoiceURL("GNS-2021-0002"))
		if w := b.post(kit.InvoiceURL("GNS-2021-0002")+"/skickad", url.Values{"via": {"other"}}); w.Code != http.StatusSeeOther {
			t.Fatalf("marking one = %d", w.Code)
		}
		for _, tt := range []struct {
			form url.Values
			want string
		}{
			{url.Values{"via": {"post"}}, "Bekräfta att dokumenten har skickats"},
			{url.Values{"via": {"peppol"}, "confirm": {"1"}}, "kan inte ha skickats med Peppol"},
			{url.Values{"via": {"fax"}, "confirm": {"1"}}, "Välj hur dokumentet skickades"},
		} {
			b.get(run)
			if w := b.post(run+"/skickad", tt.form); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), tt.want) {
				t.Errorf("%v = %d, want 400 with %q", tt.form, w.Code, tt.want)
			}
		}
		if inv := mustInvoice(t, db, "GNS-2021-0005"); !inv.SentAt.IsZero() {
			t.Fatal("a refused run mark was saved")
		}
		b.get(run)
		w := b.post(run+"/skickad", url.Values{"via": {"post"}, "confirm": {"1"}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("marking the run = %d:\n%s", w.Code, plain(b.last))
		}
		if page := plain(b.get(location(w)).Body.String()); !strings.Contains(page, "7 dokument är markerade som skickade (post)") || strings.Contains(page, "Jag har skickat alla") {
			t.Errorf("after marking the run:\n%s", page)
		}
		for _, n := range []string{"GNS-2021-0001", "GNS-2021-0005", "GNS-2021-0008"} {
			if inv := mustInvoice(t, db, n); inv.SentVia != finance.SentViaPost || inv.SentBy != "ekonom@demo.gns.example" || len(sendAudits(t, db, n)) != 1 {
				t.Errorf("%s after the run mark: via %q by %q", n, inv.SentVia, inv.SentBy)
			}
		}
		if inv := mustInvoice(t, db, "GNS-2021-0002"); inv.SentVia != finance.SentViaOther {
			t.Errorf("the document marked before the run changed to %q", inv.SentVia)
		}
		if w := b.post(run+"/skickad", url.Values{"via": {"post"}, "confirm": {"1"}}); w.Code != http.StatusConflict {
			t.Errorf("marking the run again = %d, want 409", w.Code)
		}
	})
}

// TestInvoiceMarkSentAccess: only the economist (and the admin) marks
// documents as sent; a reader is refused, a party cannot reach another
// party's document, and a GET of the mark's address is no route.
func TestInvoiceMarkSentAccess(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, _ := invoiceSetup(t, db, "ekonom@demo.gns.example")
		for _, tt := range []struct {
			email string
			path  string
			want  int
		}{
			{"revisor@demo.gns.example", "/fakturor/GNS-2021-0005/skickad", http.StatusForbidden},
			{"sekretariat@demo.gns.example", "/faktureringar/1/skickad", http.StatusForbidden},
			{"bracke@demo.gns.example", "/fakturor/GNS-2021-0005/skickad", http.StatusForbidden},
		} {
			b := newBrowser(t, s.Handler())
			b.login(tt.email, demo.Password)
			b.get("/")
			if w := b.post(tt.path, url.Values{"via": {"post"}, "confirm": {"1"}}); w.Code != tt.want {
				t.Errorf("%s POST %s = %d, want %d", tt.email, tt.path, w.Code, tt.want)
			}
		}
		if inv := mustInvoice(t, db, "GNS-2021-0005"); !inv.SentAt.IsZero() {
			t.Error("a reader marked the invoice as sent")
		}
		b := newBrowser(t, s.Handler())
		b.login("ekonom@demo.gns.example", demo.Password)
		if w := b.get("/fakturor/GNS-2021-0005/skickad"); w.Code == http.StatusOK {
			t.Error("GET of the mark's address answers 200")
		}
		if inv := mustInvoice(t, db, "GNS-2021-0005"); !inv.SentAt.IsZero() {
			t.Error("a GET marked the invoice as sent")
		}
	})
}

// TestInvoiceAPIMarkSent: POST /api/v1/invoices/{number}/sent with the
// channel marks the document as the page does, with the same rules.
func TestInvoiceAPIMarkSent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, _ := invoiceSetup(t, db, "ekonom@demo.gns.example")
		h := s.Handler()
		economist := tokenFor(t, db, "ekonom@demo.gns.example")
		const path = "/api/v1/invoices/GNS-2021-0007/sent"
		for _, tt := range []struct {
			body string
			want int
		}{
			{`{}`, http.StatusBadRequest},
			{`{"via": "pdf"}`, http.StatusBadRequest},
			{`{"via": "post", "when": "now"}`, http.StatusBadRequest},
			{`{"via": "email"}`, http.StatusBadRequest},
			{`nonsens`, http.StatusBadRequest},
		} {
			if code, out := apiCall(t, h, economist, "POST", path, tt.body); code != tt.want {
				t.Errorf("%s = %d %v, want %d", tt.body, code, out, tt.want)
			}
		}
		if code, out := apiCall(t, h, economist, "POST", "/api/v1/invoices/GNS-2021-0005/sent", `{"via": "peppol"}`); code != http.StatusBadRequest || !strings.Contains(toJSON(out), "Peppol") {
			t.Errorf("Bräcke by Peppol = %d %v", code, out)
		}
		code, out := apiCall(t, h, economist, "POST", path, `{"via": "peppol"}`)
		if code != http.StatusOK || out["status"] != "paid" || out["sent_via"] != "peppol" || out["sent_at"] == nil {
			t.Errorf("mark = %d %v", code, out)
		}
		if code, _ := apiCall(t, h, economist, "POST", path, `{"via": "post"}`); code != http.StatusConflict {
			t.Errorf("marking again = %d, want 409", code)
		}
		if inv := mustInvoice(t, db, "GNS-2021-0007"); inv.SentVia != finance.SentViaPeppol || len(sendAudits(t, db, "GNS-2021-0007")) != 1 {
			t.Errorf("after the API mark: via %q", inv.SentVia)
		}
		for email, want := range map[string]int{"revisor@demo.gns.example": http.StatusForbidden, "bracke@demo.gns.example": http.StatusForbidden} {
			if code, _ := apiCall(t, h, tokenFor(t, db, email), "POST", "/api/v1/invoices/GNS-2021-0008/sent", `{"via": "post"}`); code != want {
				t.Errorf("%s = %d, want %d", email, code, want)
			}
		}
		if code, _ := apiCall(t, h, economist, "POST", "/api/v1/invoices/GNS-2099-0001/sent", `{"via": "post"}`); code != http.StatusNotFound {
			t.Errorf("an unknown number = %d, want 404", code)
		}
	})
}
