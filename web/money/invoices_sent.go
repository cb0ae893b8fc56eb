package money

import (
	"context"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/invoice"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

// Sending a document is the economist's explicit act: opening its PDF or
// downloading its e-invoice changes nothing (anyone who may read it may do
// that, as often as they like). The economist marks a document, or every
// unsent document of a run, as sent and says how it went out; the store keeps
// who, when and the channel on the document and in the audit trail, once.

// sentInput is the form that marks documents as sent: the channel, and for
// a whole run the confirmation that every document has gone out.
type sentInput struct {
	Via     string `form:"via"`
	Confirm bool   `form:"confirm"`
}

// sentChannelOption is a channel the forms offer, by value and label.
type sentChannelOption struct{ Value, Label string }

// sentChannelOptions lists the channels for the templates.
func sentChannelOptions() []sentChannelOption {
	out := make([]sentChannelOption, len(finance.ManualSentChannels))
	for i, v := range finance.ManualSentChannels {
		out[i] = sentChannelOption{Value: v, Label: finance.SentChannelLabel(v)}
	}
	return out
}

// issuableInvoice reads the document with the number for an issuer of its
// committee; a reader who cannot issue is refused, anyone else gets "not
// found".
func (s *Handlers) issuableInvoice(c *gin.Context, number string) (finance.Invoice, invoiceScope, error) {
	inv, sc, err := s.readableInvoice(c, number)
	if err == nil && !sc.Issue {
		err = domain.Errorf(domain.EFORBIDDEN, "Bara nämndens ekonom kan markera dokument som skickade.")
	}
	return inv, sc, err
}

// markSent marks the documents as sent by via, in one transaction as the
// request's actor. A document already sent keeps its first record; when
// none of docs is left to mark, that is a conflict. A document without what
// an e-invoice needs cannot have been sent by Peppol.
func (s *Handlers) markSent(ctx context.Context, tx *store.Conn, docs []finance.Invoice, via string) (int, error) {
	if err := finance.CheckSentChannel(via); err != nil {
		return 0, err
	}
	var ids []int64
	for _, d := range docs {
		if !d.SentAt.IsZero() {
			continue
		}
		if via == finance.SentViaPeppol {
			if _, err := invoice.UBL(s.eInvoiceDoc(ctx, d)); err != nil {
				return 0, domain.FieldErrorf("via", "%s %s kan inte ha skickats med Peppol: %s Välj en annan kanal, eller markera dokumenten var för sig.", d.Kind.Label(), d.Number, domain.ErrorMessage(err))
			}
		}
		ids = append(ids, d.ID)
	}
	n, err := tx.MarkInvoicesSent(ctx, ids, via)
	if err == nil && n == 0 {
		err = domain.Errorf(domain.ECONFLICT, "Dokumentet är redan markerat som skickat.")
		if len(docs) > 1 {
			err = domain.Errorf(domain.ECONFLICT, "Alla dokument i faktureringen är redan markerade som skickade.")
		}
	}
	return n, err
}

// markInvoiceSent marks one document as sent (POST /fakturor/{number}/skickad).
func (s *Handlers) markInvoiceSent(c *gin.Context) {
	inv, sc, err := s.issuableInvoice(c, c.Param("number"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in sentInput
	f := kit.Bind(c, &in)
	if !s.Submit(c, f, func(tx *store.Conn) error {
		_, err := s.markSent(c.Request.Context(), tx, []finance.Invoice{inv}, in.Via)
		return err
	}, func(status int) { s.renderInvoice(c, inv, sc, s.paymentForm(inv), f, status) }) {
		return
	}
	s.Redirect(c, kit.InvoiceURL(inv.Number), fmt.Sprintf("%s %s är markerad som skickad (%s).", inv.Kind.Label(), inv.Number, finance.SentChannelLabel(in.Via)))
}

// markRunSent marks every unsent document of a run as sent (POST
// /faktureringar/{id}/skickad), once the economist has confirmed that they
// all went out by the channel chosen.
func (s *Handlers) markRunSent(c *gin.Context) {
	run, cm, err := s.readableRun(c)
	if err == nil && !kit.CurrentUser(c).HasIn(cm.ID, invoiceIssuers...) {
		err = domain.Errorf(domain.EFORBIDDEN, "Bara nämndens ekonom kan markera dokument som skickade.")
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in sentInput
	f := kit.Bind(c, &in)
	if !in.Confirm {
		f.Errors["confirm"] = "Bekräfta att dokumenten har skickats innan du markerar dem."
	}
	var n int
	if !s.Submit(c, f, func(tx *store.Conn) error {
		var err error
		n, err = s.markSent(c.Request.Context(), tx, run.Invoices, in.Via)
		return err
	}, func(status int) {
		v, err := s.loadRunView(c, run, cm)
		if err != nil {
			s.Fail(c, err)
			return
		}
		v.SentForm = f
		s.Render(c, status, "invoice_run", run.Title, v)
	}) {
		return
	}
	s.Redirect(c, kit.RunURL(run.ID), fmt.Sprintf("%d dokument är markerade som skickade (%s).", n, finance.SentChannelLabel(in.Via)))
}

// apiSentBody is the body of POST /api/v1/invoices/{number}/sent.
type apiSentBody struct {
	Via string `json:"via"`
}

// apiMarkInvoiceSent marks one document as sent by the channel in the body
// and answers with the document: the API's form of markInvoiceSent, with
// the same rule (409 when it is already marked).
func (s *Handlers) apiMarkInvoiceSent(c *gin.Context) {
	inv, _, err := s.issuableInvoice(c, c.Param("number"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	var body apiSentBody
	if err := kit.ReadJSON(c, &body, true); err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	if err := s.DB.InTx(ctx, func(tx *store.Conn) error {
		_, err := s.markSent(ctx, tx, []finance.Invoice{inv}, body.Via)
		return err
	}); err != nil {
		s.Fail(c, err)
		return
	}
	after, err := s.DB.Conn().InvoiceByNumber(ctx, inv.Number)
	var cm domain.Committee
	if err == nil {
		cm, err = s.DB.Conn().CommitteeByID(ctx, inv.CommitteeID)
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toInvoiceJSON(after, cm.Code, s.Today()))
}
