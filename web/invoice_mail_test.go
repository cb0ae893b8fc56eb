package web

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/mail/mailtest"
	"github.com/region-jh/gns/reports/pdf/pdftest"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

// ublDoc is what the test reads of a Peppol UBL file.
type ublDoc struct {
	XMLName  xml.Name
	ID       string `xml:"ID"`
	TypeCode string `xml:"InvoiceTypeCode"`
	Buyer    string `xml:"AccountingCustomerParty>Party>PartyLegalEntity>RegistrationName"`
	Payable  string `xml:"LegalMonetaryTotal>PayableAmount"`
}

var fingerprintField = regexp.MustCompile(`name="fingerprint" value="([0-9a-f]+)"`)

// mailTo returns the one message to addr among msgs.
func mailTo(t *testing.T, msgs []mailtest.Message, addr string) mailtest.Message {
	t.Helper()
	for _, m := range msgs {
		if len(m.To) == 1 && m.To[0] == addr {
			return m
		}
	}
	t.Fatalf("no mail to %s among %d", addr, len(msgs))
	return mailtest.Message{}
}

// TestSendInvoiceRunByMail: with a real SMTP server, the economist confirms
// "Skicka" on the demo's base funding run and each party with an invoice
// address gets one mail carrying its invoice as a PDF (read back with
// pdftotext) and its Peppol UBL (parsed); the party without an address is
// named and its invoice stays unsent; sending again sends nothing; the
// refund's credit notes go through the API; an overdue invoice gets a
// påminnelse with its PDF, recorded on the invoice, a paid one none; party
// users and the secretariat cannot send.
func TestSendInvoiceRunByMail(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		smtp := startMailQueue(t, db)
		s, eco := invoiceSetup(t, db, "ekonom@demo.gns.example")
		ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
		// Bräcke's invoice address is not known.
		bracke, err := db.Conn().PartyBySlug(ctx, "bracke")
		if err != nil {
			t.Fatal(err)
		}
		d := bracke.PartyDetails
		d.InvoiceEmail = ""
		if err := db.InTx(ctx, func(c *store.Conn) error { _, err := c.UpdatePartyDetails(ctx, bracke.ID, d); return err }); err != nil {
			t.Fatal(err)
		}
		first := mustInvoice(t, db, "GNS-2021-0001")
		run := kit.RunURL(first.RunID)

		// Forbidden: a party user, the secretariat and the auditor cannot send.
		for _, email := range []string{"bracke@demo.gns.example", "sekretariat@demo.gns.example", "revisor@demo.gns.example"} {
			b := newBrowser(t, s.Handler())
			b.login(email, demo.Password)
			b.get("/")
			if w := b.get(run + "/skicka"); w.Code != http.StatusForbidden {
				t.Errorf("%s GET the confirm step = %d, want 403", email, w.Code)
			}
			if w := b.post(run+"/skicka", url.Values{"fingerprint": {"x"}}); w.Code != http.StatusForbidden {
				t.Errorf("%s POST Skicka = %d, want 403", email, w.Code)
			}
			if code, _ := apiCall(t, s.Handler(), tokenFor(t, db, email), "POST", "/api/v1/invoice-runs/"+itoa(first.RunID)+"/send", ""); code != http.StatusForbidden {
				t.Errorf("%s POST the API = %d, want 403", email, code)
			}
		}
		if n := len(smtp.Messages()); n != 0 {
			t.Fatalf("%d mails went before anyone sent", n)
		}

		// The confirm step names where each goes and who cannot get one.
		page := text(eco.get(run + "/skicka").Body.String())
		for _, want := range []string{"Skicka med e-post", demo.PartyInvoiceAddress("ostersund"), "GNS-2021-0001.pdf",
			"Bräcke kommun saknar e-postadress för fakturor", "Skicka 7 fakturor"} {
			if !strings.Contains(page, want) {
				t.Errorf("the confirm step lacks %q:\n%s", want, page)
			}
		}
		fp := fingerprintField.FindStringSubmatch(eco.last)
		if fp == nil {
			t.Fatal("no fingerprint on the confirm step")
		}
		if w := eco.post(run+"/skicka", url.Values{"fingerprint": {"stale"}}); w.Code != http.StatusConflict {
			t.Errorf("a stale confirm = %d, want 409", w.Code)
		}
		w := eco.post(run+"/skicka", url.Values{"fingerprint": {fp[1]}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("Skicka = %d:\n%s", w.Code, text(eco.last))
		}
		if page := text(eco.get(location(w)).Body.String()); !strings.Contains(page, "7 dokument skickas med e-post och är markerade som skickade") ||
			!strings.Contains(page, "Inte skickat till Bräcke kommun") {
			t.Errorf("after Skicka:\n%s", page)
		}
		msgs := smtp.Wait(t, 7, 60*time.Second)
		ost := mailTo(t, msgs, demo.PartyInvoiceAddress("ostersund"))
		if !strings.HasPrefix(ost.Header("Subject"), "Faktura GNS-2021-") || !strings.Contains(plain(ost.Body("text/plain")), "Att betala: 101 600,00 kr") {
			t.Errorf("Östersund's mail: %q\n%s", ost.Header("Subject"), ost.Body("text/plain"))
		}
		files := ost.Attachments()
		if len(files) != 2 || files[0].ContentType != "application/pdf" || !strings.HasSuffix(files[1].Filename, ".xml") {
			t.Fatalf("Östersund's attachments: %+v", files)
		}
		number := strings.TrimSuffix(files[0].Filename, ".pdf")
		flat := pdftest.Text(t, files[0].Content, true)
		for _, want := range []string{"Faktura " + number, "Östersunds kommun", "Att betala 101 600,00", "Bankgiro"} {
			if !strings.Contains(flat, want) {
				t.Errorf("the attached PDF lacks %q:\n%s", want, flat)
			}
		}
		var ubl ublDoc
		if err := xml.Unmarshal(files[1].Content, &ubl); err != nil {
			t.Fatalf("the attached UBL does not parse: %v", err)
		}
		if ubl.XMLName.Local != "Invoice" || ubl.ID != number || ubl.TypeCode != "380" || ubl.Buyer != "Östersunds kommun" || ubl.Payable != "101600.00" {
			t.Errorf("the attached UBL: %+v", ubl)
		}
		for _, inv := range mustRun(t, db, first.RunID).Invoices {
			sent := inv.Buyer.Name != "Bräcke kommun"
			if !inv.SentAt.IsZero() != sent || (sent && inv.SentVia != finance.SentViaEmail) {
				t.Errorf("%s (%s): sent %v via %q", inv.Number, inv.Buyer.Name, inv.SentAt, inv.SentVia)
			}
		}
		// Sending again sends nothing twice.
		eco.get(run + "/skicka")
		if w := eco.post(run+"/skicka", url.Values{"fingerprint": {fp[1]}}); w.Code != http.StatusConflict {
			t.Errorf("sending again = %d, want 409", w.Code)
		}
		if code, out := apiCall(t, s.Handler(), tokenFor(t, db, "ekonom@demo.gns.example"), "POST", "/api/v1/invoice-runs/"+itoa(first.RunID)+"/send", ""); code != http.StatusConflict ||
			!strings.Contains(toJSON(out), "Bräcke kommun saknar e-postadress") {
			t.Errorf("the API again = %d %v, want 409 naming Bräcke", code, out)
		}

		// The refund's credit notes, through the API.
		refund := mustRefundRun(t, db)
		code, out := apiCall(t, s.Handler(), tokenFor(t, db, "ekonom@demo.gns.example"), "POST", "/api/v1/invoice-runs/"+itoa(refund)+"/send", "")
		if code != http.StatusOK || out["sent"] != float64(7) || out["mails_sent"] != true {
			t.Fatalf("the API send = %d %v", code, out)
		}
		msgs = smtp.Wait(t, 14, 60*time.Second)
		var credit *mailtest.Message
		for i, m := range msgs {
			if strings.HasPrefix(m.Header("Subject"), "Kreditfaktura") && m.To[0] == demo.PartyInvoiceAddress("are") {
				credit = &msgs[i]
			}
		}
		if credit == nil || !credit.Contains("återbetalning") {
			t.Fatal("no credit note mail to Åre")
		}
		if files := credit.Attachments(); len(files) == 0 || !strings.Contains(pdftest.Text(t, files[0].Content, true), "Kreditfaktura") {
			t.Error("the credit note's PDF is not attached")
		}

		// A påminnelse of an overdue invoice, recorded on it.
		var overdue, paid finance.Invoice
		for _, inv := range mustRun(t, db, first.RunID).Invoices {
			switch {
			case inv.Open().IsZero():
				paid = inv
			case overdue.ID == 0 && !inv.SentAt.IsZero() && inv.Paid.IsZero():
				overdue = inv
			}
		}
		if overdue.ID == 0 || paid.ID == 0 {
			t.Fatal("the demo's run has no overdue or no paid invoice")
		}
		if list := text(eco.get(kit.InvoicesURL("GNS") + "?forfallna=true").Body.String()); !strings.Contains(list, "Skicka påminnelse om "+overdue.Number) {
			t.Errorf("the overdue list offers no påminnelse of %s", overdue.Number)
		}
		page = text(eco.get(kit.InvoiceURL(overdue.Number) + "/paminnelse").Body.String())
		newDue := today().AddDays(finance.ReminderDays)
		if !strings.Contains(page, "Ny förfallodag"+newDue.String()) || !strings.Contains(page, "Skicka påminnelsen") {
			t.Errorf("the påminnelse's confirm step:\n%s", page)
		}
		if w := eco.post(kit.InvoiceURL(overdue.Number)+"/paminnelse", url.Values{"due_date": {newDue.String()}}); w.Code != http.StatusSeeOther {
			t.Fatalf("påminnelse = %d:\n%s", w.Code, text(eco.last))
		}
		msgs = smtp.Wait(t, 15, 60*time.Second)
		var rem *mailtest.Message
		for i, m := range msgs {
			if strings.HasPrefix(m.Header("Subject"), "Påminnelse: faktura "+overdue.Number) {
				rem = &msgs[i]
			}
		}
		if rem == nil {
			t.Fatal("no påminnelse mail")
		}
		rf := rem.Attachments()
		if len(rf) != 2 {
			t.Fatalf("the påminnelse's attachments: %d", len(rf))
		}
		if flat := pdftest.Text(t, rf[0].Content, true); !strings.Contains(flat, "Påminnelse – faktura "+overdue.Number) || !strings.Contains(flat, "Ny förfallodag "+newDue.String()) {
			t.Errorf("the påminnelse PDF:\n%s", flat)
		}
		page = text(eco.get(kit.InvoiceURL(overdue.Number)).Body.String())
		if !strings.Contains(page, "Påminnelser") || !strings.Contains(page, "1 påminnelse skickade") || !strings.Contains(page, "ekonom") {
			t.Errorf("the invoice page does not show its påminnelse:\n%s", page)
		}
		if w := eco.get(kit.InvoiceURL(overdue.Number) + "/paminnelser/1"); w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/pdf" {
			t.Errorf("the påminnelse's PDF = %d", w.Code)
		}
		// A second one before the new due date, and one of a paid invoice: none.
		if w := eco.post(kit.InvoiceURL(overdue.Number)+"/paminnelse", url.Values{"due_date": {newDue.String()}}); w.Code != http.StatusConflict {
			t.Errorf("a second påminnelse at once = %d, want 409", w.Code)
		}
		if w := eco.get(kit.InvoiceURL(paid.Number) + "/paminnelse"); w.Code != http.StatusConflict || !strings.Contains(text(w.Body.String()), "inget kvar att betala") {
			t.Errorf("a påminnelse of paid %s = %d", paid.Number, w.Code)
		}
		if w := eco.post(kit.InvoiceURL(paid.Number)+"/paminnelse", url.Values{"due_date": {newDue.String()}}); w.Code != http.StatusConflict {
			t.Errorf("POST a påminnelse of paid %s = %d, want 409", paid.Number, w.Code)
		}
		party := newBrowser(t, s.Handler())
		party.login("bracke@demo.gns.example", demo.Password)
		party.get("/")
		if w := party.post(kit.InvoiceURL("GNS-2021-0005")+"/paminnelse", url.Values{"due_date": {newDue.String()}}); w.Code != http.StatusForbidden {
			t.Errorf("a party user's påminnelse = %d, want 403", w.Code)
		}
		time.Sleep(200 * time.Millisecond)
		if n := len(smtp.Messages()); n != 15 {
			t.Errorf("%d mails in all, want 15 (7 invoices, 7 credit notes, 1 påminnelse)", n)
		}
	})
}

// mustRun reads a run as it is now.
func mustRun(t *testing.T, db *store.DB, id int64) finance.InvoiceRun {
	t.Helper()
	run, err := db.Conn().InvoiceRunByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// mustRefundRun is the demo's run of refund credit notes.
func mustRefundRun(t *testing.T, db *store.DB) int64 {
	t.Helper()
	cm, err := db.Conn().CommitteeByCode(context.Background(), "GNS")
	if err != nil {
		t.Fatal(err)
	}
	runs, err := db.Conn().InvoiceRuns(context.Background(), cm.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		run := mustRun(t, db, r.ID)
		if len(run.Invoices) > 0 && run.Invoices[0].Refund() {
			return r.ID
		}
	}
	t.Fatal("the demo has no refund run")
	return 0
}
