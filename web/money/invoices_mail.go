package money

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/app"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/invoice"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
	"github.com/region-jh/gns/web/kit"
)

// Sending by e-mail (issue 18): "Skicka" on a run e-mails each document to
// its party's invoice address with its PDF and e-invoice, after a confirm
// step that shows where each goes and which cannot go; "Skicka påminnelse"
// on an overdue invoice e-mails a påminnelse. The work is app.SendRun and
// app.SendReminder, in the request's transaction.

func (s *Handlers) invoiceMailRoutes() {
	s.Handle("GET", "/faktureringar/:id/skicka", invoiceWrite, s.sendRunPage)
	s.Handle("POST", "/faktureringar/:id/skicka", invoiceWrite, s.sendRun)
	s.Handle("POST", "/api/v1/invoice-runs/:id/send", invoiceWrite, s.apiSendRun)
	s.Handle("GET", "/fakturor/:number/paminnelse", invoiceWrite, s.reminderPage)
	s.Handle("POST", "/fakturor/:number/paminnelse", invoiceWrite, s.sendReminder)
	s.Handle("GET", "/fakturor/:number/paminnelser/:seq", invoiceRead, s.reminderPDF)
}

// sendableRun reads the run of the path for an issuer of its committee.
func (s *Handlers) sendableRun(c *gin.Context) (finance.InvoiceRun, domain.Committee, error) {
	run, cm, err := s.readableRun(c)
	if err == nil && !kit.CurrentUser(c).HasIn(cm.ID, invoiceIssuers...) {
		err = domain.Errorf(domain.EFORBIDDEN, "Bara nämndens ekonom kan skicka dokumenten.")
	}
	return run, cm, err
}

// sendView is the confirm step of "Skicka".
type sendView struct {
	Committee   domain.Committee
	Run         finance.InvoiceRun
	Plan        app.RunDelivery
	Ready       []app.Delivery
	Missing     []app.Delivery
	Done        []app.Delivery
	KeptOnly    []app.Delivery
	Fingerprint string
	// Summary says what goes, e.g. "8 fakturor".
	Summary string
	Form    *kit.Form
}

// sendRunPage shows where each document of the run goes, which cannot go
// (no invoice address) and which are already sent, and asks to confirm.
func (s *Handlers) sendRunPage(c *gin.Context) {
	run, cm, err := s.sendableRun(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderSend(c, run, cm, kit.EmptyForm(), http.StatusOK)
}

func (s *Handlers) renderSend(c *gin.Context, run finance.InvoiceRun, cm domain.Committee, f *kit.Form, status int) {
	plan, err := app.PlanRunDelivery(c.Request.Context(), s.DB.Conn(), run)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := sendView{Committee: cm, Run: run, Plan: plan, Ready: plan.Ready(), Missing: plan.Missing(), Done: plan.Done(),
		KeptOnly: plan.KeptOnly(), Fingerprint: plan.Fingerprint(), Form: f}
	docs := make([]finance.Invoice, len(v.Ready))
	for i, d := range v.Ready {
		docs[i] = d.Invoice
	}
	v.Summary = documentCount(docs)
	s.Render(c, status, "invoice_send", "Skicka "+run.Title, v)
}

// sendInput is the confirm form of "Skicka": the fingerprint of what was
// shown.
type sendInput struct {
	Fingerprint string `form:"fingerprint"`
}

// sendRun sends what the economist confirmed; if anything changed since
// the confirm step, nothing is sent and the step is shown again.
func (s *Handlers) sendRun(c *gin.Context) {
	run, cm, err := s.sendableRun(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in sendInput
	f := kit.Bind(c, &in)
	if in.Fingerprint == "" {
		f.Problem = "Granska utskicket och bekräfta det därifrån."
	}
	ctx := c.Request.Context()
	var res app.SendResult
	if !s.Submit(c, f, func(tx *store.Conn) error {
		var err error
		res, err = app.SendRun(ctx, tx, run, in.Fingerprint, s.BaseURL)
		return err
	}, func(status int) { s.renderSend(c, run, cm, f, status) }) {
		return
	}
	s.Redirect(c, kit.RunURL(run.ID), sendMessage(res))
}

// sendMessage tells the economist what "Skicka" did.
func sendMessage(res app.SendResult) string {
	msg := ""
	if res.Sent > 0 {
		msg = fmt.Sprintf("%s skickas med e-post och är markerade som skickade.", countText(res.Sent, "dokument", "dokument"))
	}
	if res.Kept > 0 {
		msg = fmt.Sprintf("Ingen e-postserver är inställd: %s är sparade under Utskick men inte skickade, och dokumenten är inte markerade som skickade.", countText(res.Kept, "brev", "brev"))
	}
	if len(res.Missing) > 0 {
		msg += fmt.Sprintf(" Inte skickat till %s: e-postadress för fakturor saknas.", sv.List(res.Missing))
	}
	return msg
}

// apiSendRun is POST /api/v1/invoice-runs/{id}/send: "Skicka" without the
// confirm step. It answers with what was sent (or kept) and which parties
// lack an address; 409 when nothing is left to send.
func (s *Handlers) apiSendRun(c *gin.Context) {
	run, _, err := s.sendableRun(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	var res app.SendResult
	if err := s.DB.InTx(ctx, func(tx *store.Conn) error {
		var err error
		res, err = app.SendRun(ctx, tx, run, "", s.BaseURL)
		return err
	}); err != nil {
		s.Fail(c, err)
		return
	}
	missing := res.Missing
	if missing == nil {
		missing = []string{}
	}
	c.JSON(http.StatusOK, gin.H{"run": run.ID, "sent": res.Sent, "kept": res.Kept, "mails_sent": s.DB.SendsMail(), "without_address": missing})
}

// remindable reads the invoice of the path for an issuer of its committee.
func (s *Handlers) remindable(c *gin.Context) (finance.Invoice, error) {
	inv, sc, err := s.readableInvoice(c, c.Param("number"))
	if err == nil && !sc.Issue {
		err = domain.Errorf(domain.EFORBIDDEN, "Bara nämndens ekonom kan skicka påminnelser.")
	}
	return inv, err
}

// reminderView is the confirm step of a påminnelse.
type reminderView struct {
	Plan app.ReminderPlan
	// Problem says why no påminnelse can be sent, if so.
	Problem string
	Form    *kit.Form
}

// reminderPage shows the påminnelse that would go (to whom, what is left,
// the new due date) and asks to confirm; or why none can.
func (s *Handlers) reminderPage(c *gin.Context) {
	inv, err := s.remindable(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderReminder(c, inv, kit.EmptyForm(), http.StatusOK)
}

func (s *Handlers) renderReminder(c *gin.Context, inv finance.Invoice, f *kit.Form, status int) {
	plan, err := app.PlanInvoiceReminder(c.Request.Context(), s.DB.Conn(), inv, s.Today())
	v := reminderView{Plan: plan, Form: f}
	if err != nil {
		if domain.IsFault(err) {
			s.Fail(c, err)
			return
		}
		v.Problem = domain.ErrorMessage(err)
		if status == http.StatusOK {
			status = kit.StatusOf(domain.ErrorCode(err))
		}
	}
	s.Render(c, status, "invoice_reminder", "Påminnelse om "+inv.Number, v)
}

// reminderInput is the confirm form of a påminnelse: the new due date shown,
// so that a påminnelse confirmed one day is not sent with another's.
type reminderInput struct {
	DueDate string `form:"due_date"`
}

// sendReminder sends the påminnelse the economist confirmed.
func (s *Handlers) sendReminder(c *gin.Context) {
	inv, err := s.remindable(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in reminderInput
	f := kit.Bind(c, &in)
	ctx := c.Request.Context()
	var plan app.ReminderPlan
	var recorded bool
	if !s.Submit(c, f, func(tx *store.Conn) error {
		var err error
		plan, recorded, err = app.SendReminder(ctx, tx, inv, s.Today(), s.BaseURL)
		if err == nil && plan.Reminder.DueDate.String() != in.DueDate {
			err = domain.Errorf(domain.ECONFLICT, "Påminnelsen ändrades efter att du granskade den. Granska den nedan och bekräfta igen.")
		}
		return err
	}, func(status int) { s.renderReminder(c, inv, f, status) }) {
		return
	}
	msg := fmt.Sprintf("%s av faktura %s skickas till %s med ny förfallodag %s.", plan.Reminder.Title(), inv.Number, plan.To, sv.Date(plan.Reminder.DueDate))
	if !recorded {
		msg = fmt.Sprintf("Ingen e-postserver är inställd: påminnelsen till %s är sparad under Utskick men inte skickad, och den är inte noterad på fakturan.", plan.To)
	}
	s.Redirect(c, kit.InvoiceURL(inv.Number), msg)
}

// reminderPDF is one påminnelse of the invoice as a PDF, as it was sent.
func (s *Handlers) reminderPDF(c *gin.Context) {
	inv, _, err := s.readableInvoice(c, c.Param("number"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	seq, _ := strconv.Atoi(c.Param("seq"))
	list, err := s.DB.Conn().InvoiceReminders(ctx, inv.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if seq < 1 || seq > len(list) {
		s.Fail(c, domain.Errorf(domain.ENOTFOUND, "Påminnelsen finns inte."))
		return
	}
	cm, err := s.DB.Conn().CommitteeByID(ctx, inv.CommitteeID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	r := list[seq-1]
	b, err := invoice.ReminderPDF(inv, r, cm.Name)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.sendFile(c, invoice.ReminderFileName(inv, r), "application/pdf", b, true)
}
