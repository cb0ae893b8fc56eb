package app

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/invoice"
	"github.com/region-jh/gns/reports/peppol"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
)

// This file sends the committee's invoices, credit notes and påminnelser
// by e-mail to each party's invoice address, with the PDF and the Peppol
// e-invoice attached.
//
// When an SMTP server is configured, "Skicka" marks each document sent by
// e-mail in the transaction that keeps its mail: the mail is then on the
// queue and will go (retried until the server takes it), and a final
// failure shows on the document. Without a server the mails are kept under
// Utskick so that one sees what would go, but nothing has reached the
// party: the documents stay unsent and no påminnelse is recorded. Pressing
// "Skicka" again with a server configured sends them.

// InvoiceRef is the Ref of the mails about one document (its own mail and
// its påminnelser), so its page can list them.
func InvoiceRef(invoiceID int64) string { return "invoice:" + strconv.FormatInt(invoiceID, 10) }

// EInvoiceDoc is the document as its e-invoice is made: the party's
// identifiers for delivery (organisation number, Peppol id, reference) that
// were missing when it was issued are taken from the register as it is now
// (finance.BuyerOf), so completing the register is enough to send it. Nothing
// else changes.
func EInvoiceDoc(ctx context.Context, c *store.Conn, inv finance.Invoice) finance.Invoice {
	if len(inv.EInvoiceGap()) == 0 {
		return inv
	}
	p, err := c.PartyByID(ctx, inv.PartyID)
	if err != nil {
		return inv
	}
	now, b := finance.BuyerOf(p), &inv.Buyer
	if b.OrgNumber == "" {
		b.OrgNumber = now.OrgNumber
	}
	if b.PeppolID == "" {
		b.PeppolID = now.PeppolID
	}
	if b.Reference == "" {
		b.Reference = now.Reference
	}
	return inv
}

// Delivery is one document of a run as "Skicka" sends it: the party's
// invoice address as the register has it now, why no e-invoice can go with
// it (if so), and the mails of the document so far.
type Delivery struct {
	Invoice finance.Invoice
	// To is the party's invoice address; empty when the party has none.
	To string
	// EInvoiceErr says why only the PDF is attached (a
	// *peppol.MissingError naming what the register lacks); nil when the
	// e-invoice goes too.
	EInvoiceErr error
	// Mails are the document's invoice mails (not its påminnelser),
	// newest first.
	Mails []domain.Mail
}

// EInvoiceProblem says in Swedish why no e-invoice goes with the
// document, or "".
func (d Delivery) EInvoiceProblem() string {
	if d.EInvoiceErr == nil {
		return ""
	}
	return domain.ErrorMessage(d.EInvoiceErr)
}

// Sent reports whether the document is already sent (by GNS's e-mail or
// marked with another channel).
func (d Delivery) Sent() bool { return !d.Invoice.SentAt.IsZero() }

// Kept reports whether a mail of the document was kept without a mail
// server: written, shown under Utskick, never sent.
func (d Delivery) Kept() bool {
	for _, m := range d.Mails {
		if m.Status == domain.MailKept {
			return true
		}
	}
	return false
}

// LastMail is the document's newest invoice mail, or nil.
func (d Delivery) LastMail() *domain.Mail {
	if len(d.Mails) == 0 {
		return nil
	}
	return &d.Mails[0]
}

// RunDelivery is what "Skicka" on a run does: each document with where it
// goes, and whether the mails will be sent (Sends: an SMTP server is
// configured) or only kept.
type RunDelivery struct {
	Items []Delivery
	Sends bool
}

// ready reports whether "Skicka" sends d now: not sent, with an address,
// and, without a mail server, not already kept once.
func (p RunDelivery) ready(d Delivery) bool {
	return !d.Sent() && d.To != "" && (p.Sends || !d.Kept())
}

// Ready are the documents "Skicka" sends (or, without a server, keeps).
func (p RunDelivery) Ready() []Delivery {
	return p.filter(p.ready)
}

// Missing are the unsent documents whose party has no invoice address:
// they cannot be e-mailed and stay unsent.
func (p RunDelivery) Missing() []Delivery {
	return p.filter(func(d Delivery) bool { return !d.Sent() && d.To == "" })
}

// Done are the documents already sent.
func (p RunDelivery) Done() []Delivery {
	return p.filter(Delivery.Sent)
}

// KeptOnly are the unsent documents whose mail was kept without a server
// and that "Skicka" leaves alone until a server is configured.
func (p RunDelivery) KeptOnly() []Delivery {
	return p.filter(func(d Delivery) bool { return !d.Sent() && d.To != "" && !p.ready(d) })
}

func (p RunDelivery) filter(keep func(Delivery) bool) []Delivery {
	var out []Delivery
	for _, d := range p.Items {
		if keep(d) {
			out = append(out, d)
		}
	}
	return out
}

// Fingerprint identifies what "Skicka" would do: each document it sends,
// to which address, with or without its e-invoice. The confirm step sends
// it back, so what is sent is what was shown.
func (p RunDelivery) Fingerprint() string {
	h := sha256.New()
	fmt.Fprintf(h, "%t\n", p.Sends)
	for _, d := range p.Ready() {
		fmt.Fprintf(h, "%d|%s|%t\n", d.Invoice.ID, d.To, d.EInvoiceErr == nil)
	}
	return fmt.Sprintf("%x", h.Sum(nil))[:32]
}

// PlanRunDelivery reads where each document of run goes: its party's
// invoice address now, whether its e-invoice can be made, and its mails.
func PlanRunDelivery(ctx context.Context, c *store.Conn, run finance.InvoiceRun) (RunDelivery, error) {
	p := RunDelivery{Sends: c.Sends()}
	refs := make([]string, len(run.Invoices))
	for i, inv := range run.Invoices {
		refs[i] = InvoiceRef(inv.ID)
	}
	byRef := map[string][]domain.Mail{}
	if len(refs) > 0 {
		mails, err := c.Mails(ctx, store.MailFilter{Refs: refs, Limit: 10 * len(refs)})
		if err != nil {
			return p, err
		}
		for _, m := range mails {
			if m.Kind == domain.MailInvoice {
				byRef[m.Ref] = append(byRef[m.Ref], m)
			}
		}
	}
	addresses := map[int64]string{}
	for _, inv := range run.Invoices {
		to, ok := addresses[inv.PartyID]
		if !ok {
			party, err := c.PartyByID(ctx, inv.PartyID)
			if err != nil {
				return p, err
			}
			to, addresses[inv.PartyID] = party.InvoiceEmail, party.InvoiceEmail
		}
		d := Delivery{Invoice: inv, To: to, Mails: byRef[InvoiceRef(inv.ID)]}
		if _, err := invoice.UBL(EInvoiceDoc(ctx, c, inv)); err != nil {
			var missing *peppol.MissingError
			if !errors.As(err, &missing) {
				return p, err
			}
			d.EInvoiceErr = err
		}
		p.Items = append(p.Items, d)
	}
	return p, nil
}

// SendResult is what SendRun did.
type SendResult struct {
	// Sent counts the documents e-mailed and marked sent; Kept the mails
	// kept without a server (the documents stay unsent).
	Sent, Kept int
	// Missing names the parties without an invoice address whose documents
	// stay unsent, each once.
	Missing []string
}

// SendRun e-mails each unsent document of run to its party's invoice
// address, one mail per document with its PDF and (where it can be made)
// its e-invoice, in the caller's transaction; with a mail server each
// document is marked sent by e-mail in the same transaction. A non-empty
// fingerprint must be the one of the plan confirmed (RunDelivery.Fingerprint);
// if the addresses changed since, nothing is sent (ECONFLICT). When nothing
// is left to send, that is a conflict naming why.
func SendRun(ctx context.Context, tx *store.Conn, run finance.InvoiceRun, fingerprint, baseURL string) (SendResult, error) {
	var res SendResult
	run, err := tx.InvoiceRunByID(ctx, run.ID) // as it is in the transaction
	if err != nil {
		return res, err
	}
	plan, err := PlanRunDelivery(ctx, tx, run)
	if err != nil {
		return res, err
	}
	if fingerprint != "" && fingerprint != plan.Fingerprint() {
		return res, domain.Errorf(domain.ECONFLICT, "Något ändrades efter att du granskade utskicket (en adress, eller ett dokument skickades av någon annan). Granska utskicket nedan och bekräfta igen.")
	}
	for _, d := range plan.Missing() {
		if !slices.Contains(res.Missing, d.Invoice.Buyer.Name) {
			res.Missing = append(res.Missing, d.Invoice.Buyer.Name)
		}
	}
	ready := plan.Ready()
	if len(ready) == 0 {
		return res, nothingToSend(plan, res.Missing)
	}
	cm, err := tx.CommitteeByID(ctx, run.CommitteeID)
	if err != nil {
		return res, err
	}
	for _, d := range ready {
		if plan.Sends {
			claimed, err := tx.ClaimInvoiceEmailed(ctx, d.Invoice.ID)
			if err != nil {
				return res, err
			}
			if !claimed {
				continue // another request sent it a moment ago
			}
		}
		m, err := invoiceMail(ctx, tx, cm, d, baseURL)
		if err != nil {
			return res, err
		}
		if _, err := tx.KeepMail(ctx, m); err != nil {
			return res, err
		}
		if plan.Sends {
			res.Sent++
		} else {
			res.Kept++
		}
	}
	if res.Sent+res.Kept == 0 {
		return res, domain.Errorf(domain.ECONFLICT, "Alla dokument i faktureringen är redan skickade.")
	}
	return res, nil
}

// nothingToSend says why "Skicka" has nothing to do.
func nothingToSend(p RunDelivery, missing []string) error {
	switch {
	case len(p.KeptOnly()) > 0:
		return domain.Errorf(domain.ECONFLICT, "Breven är redan sparade under Utskick men inte skickade: ingen e-postserver är inställd (GNS_SMTP_URL). Dokumenten är inte skickade; skicka dem när en e-postserver finns, eller markera dem som skickade på annat sätt.")
	case len(missing) > 0:
		return domain.Errorf(domain.ECONFLICT, "Inget kan skickas: %s saknar e-postadress för fakturor. Fyll i den under Parter (partens uppgifter), eller skicka på annat sätt och markera dokumenten som skickade.", sv.List(missing))
	}
	return domain.Errorf(domain.ECONFLICT, "Alla dokument i faktureringen är redan skickade.")
}

// documentPDF is the document's PDF exactly as its page downloads it.
func documentPDF(cm domain.Committee, d finance.Invoice) (domain.MailAttachment, error) {
	b, err := invoice.PDF([]finance.Invoice{d}, invoice.Options{Committee: cm.Name})
	if err != nil {
		return domain.MailAttachment{}, err
	}
	return domain.MailAttachment{Filename: invoice.FileName(d, "pdf"), ContentType: "application/pdf", Content: b}, nil
}

// invoiceURL is the document's page in GNS.
func invoiceURL(base, number string) string {
	return strings.TrimSuffix(base, "/") + "/fakturor/" + number
}

// invoiceFooter says why the party gets the mail and whom to ask.
func invoiceFooter(d finance.Invoice) string {
	out := "Brevet skickas från GNS till " + d.Buyer.Name + "s adress för fakturor."
	if s := d.Seller; s.ContactName != "" || s.ContactEmail != "" {
		who := strings.TrimSpace(s.ContactName + " " + bracketed(s.ContactEmail))
		out += " Frågor om fakturan besvaras av " + who + ", " + s.Name + "."
	}
	return out
}

func bracketed(s string) string {
	if s == "" {
		return ""
	}
	return "<" + s + ">"
}

// invoiceMail is the mail that carries document d to its party.
func invoiceMail(ctx context.Context, c *store.Conn, cm domain.Committee, d Delivery, baseURL string) (domain.Mail, error) {
	inv := d.Invoice
	pdfFile, err := documentPDF(cm, inv)
	if err != nil {
		return domain.Mail{}, err
	}
	files := []domain.MailAttachment{pdfFile}
	attached := "Dokumentet finns som PDF i bilagan."
	if d.EInvoiceErr == nil {
		ubl, err := invoice.UBL(EInvoiceDoc(ctx, c, inv))
		if err != nil {
			return domain.Mail{}, err
		}
		files = append(files, domain.MailAttachment{Filename: invoice.FileName(inv, "xml"), ContentType: "application/xml", Content: ubl})
		attached = "Dokumentet finns som PDF och som e-faktura (Peppol BIS Billing 3.0, UBL) i bilagorna."
	}
	heading := invoice.Heading(inv)
	facts := [][2]string{{"Avser", inv.LineText}}
	var paras []string
	switch {
	case inv.Kind == finance.InvoiceKindInvoice:
		paras = []string{"Här kommer " + strings.ToLower(heading[:1]) + heading[1:] + " från " + inv.Seller.Name + " för " + cm.Name + ". " + attached}
		facts = append(facts, [2]string{"Att betala", sv.Kronor(inv.Amount)}, [2]string{"Förfallodag", sv.Date(inv.DueDate)},
			[2]string{"Bankgiro", inv.Seller.Bankgiro}, [2]string{"OCR-nummer", inv.OCR})
	case inv.Corrects():
		paras = []string{"Här kommer kreditfaktura " + inv.Number + " från " + inv.Seller.Name + ". Den krediterar " + sv.Kronor(inv.Amount) + " av faktura " + inv.CreditsNumber + ". " + attached,
			"Betala inte kreditfakturan: beloppet avräknas mot fakturan."}
	default:
		paras = []string{"Här kommer kreditfaktura " + inv.Number + " från " + inv.Seller.Name + " för " + cm.Name + ": en återbetalning till er. " + attached}
		facts = append(facts, [2]string{"Betalas ut till er", sv.Kronor(inv.Amount)})
		if !inv.DueDate.IsZero() {
			facts = append(facts, [2]string{"Senast", sv.Date(inv.DueDate)})
		}
	}
	if inv.Buyer.Reference != "" {
		facts = append(facts, [2]string{"Er referens", inv.Buyer.Reference})
	}
	if d.EInvoiceErr != nil {
		paras = append(paras, "Ingen e-faktura bifogas: "+d.EInvoiceProblem())
	}
	l := Letter{
		Subject:  heading + " från " + inv.Seller.Name,
		Greeting: "Hej!",
		Paras:    paras,
		Facts:    facts,
		Links:    [][2]string{{"Dokumentet i GNS (för den som har inloggning)", invoiceURL(baseURL, inv.Number)}},
		Footer:   invoiceFooter(inv),
	}
	return partyMail(cm, domain.MailInvoice, inv, d.To, l, files)
}

// partyMail writes letter l to the party of document inv at address to,
// with files attached.
func partyMail(cm domain.Committee, kind domain.MailKind, inv finance.Invoice, to string, l Letter, files []domain.MailAttachment) (domain.Mail, error) {
	text, html, err := l.Render()
	if err != nil {
		return domain.Mail{}, err
	}
	return domain.Mail{CommitteeID: cm.ID, Kind: kind, Ref: InvoiceRef(inv.ID), ToEmail: to, ToName: inv.Buyer.Name,
		FromName: cm.Name, Subject: l.Subject, Text: text, HTML: html, Attachments: files}, nil
}

// ReminderPlan is the påminnelse "Skicka påminnelse" would send: the
// invoice, the reminder (its number, new due date and what is left), where
// it goes, the reminders sent before, and whether mail is sent or only kept.
type ReminderPlan struct {
	Invoice  finance.Invoice
	Reminder finance.Reminder
	To       string
	Earlier  []finance.Reminder
	Sends    bool
}

// PlanInvoiceReminder plans the next påminnelse of inv on today
// (finance.PlanReminder), to its party's invoice address; a party without
// one is refused with a message saying where to fill it in.
func PlanInvoiceReminder(ctx context.Context, c *store.Conn, inv finance.Invoice, today domain.Date) (ReminderPlan, error) {
	p := ReminderPlan{Invoice: inv, Sends: c.Sends()}
	var err error
	if p.Earlier, err = c.InvoiceReminders(ctx, inv.ID); err != nil {
		return p, err
	}
	if p.Reminder, err = finance.PlanReminder(inv, p.Earlier, today); err != nil {
		return p, err
	}
	party, err := c.PartyByID(ctx, inv.PartyID)
	if err != nil {
		return p, err
	}
	if p.To = party.InvoiceEmail; p.To == "" {
		return p, domain.Errorf(domain.ECONFLICT, "%s har ingen e-postadress för fakturor, så påminnelsen kan inte skickas. Fyll i den under Parter (partens uppgifter).", party.Name)
	}
	p.Reminder.ToEmail = p.To
	return p, nil
}

// SendReminder sends the next påminnelse of inv on today, in the caller's
// transaction: a mail to the party's invoice address with the påminnelse
// and the invoice as PDFs. With a mail server the påminnelse is recorded
// on the invoice (recorded is true); without one the mail is only kept
// under Utskick and nothing is recorded.
func SendReminder(ctx context.Context, tx *store.Conn, inv finance.Invoice, today domain.Date, baseURL string) (p ReminderPlan, recorded bool, err error) {
	if inv, err = tx.InvoiceByID(ctx, inv.ID); err != nil { // as it is in the transaction
		return p, false, err
	}
	if p, err = PlanInvoiceReminder(ctx, tx, inv, today); err != nil {
		return p, false, err
	}
	cm, err := tx.CommitteeByID(ctx, inv.CommitteeID)
	if err != nil {
		return p, false, err
	}
	m, err := reminderMail(cm, p, baseURL)
	if err != nil {
		return p, false, err
	}
	if p.Reminder.MailID, err = tx.KeepMail(ctx, m); err != nil {
		return p, false, err
	}
	if !p.Sends {
		return p, false, nil
	}
	p.Reminder, err = tx.RecordReminder(ctx, p.Reminder)
	return p, err == nil, err
}

// reminderMail is the mail that carries påminnelse p.
func reminderMail(cm domain.Committee, p ReminderPlan, baseURL string) (domain.Mail, error) {
	inv, r := p.Invoice, p.Reminder
	b, err := invoice.ReminderPDF(inv, r, cm.Name)
	if err != nil {
		return domain.Mail{}, err
	}
	original, err := documentPDF(cm, inv)
	if err != nil {
		return domain.Mail{}, err
	}
	files := []domain.MailAttachment{{Filename: invoice.ReminderFileName(inv, r), ContentType: "application/pdf", Content: b}, original}
	l := Letter{
		Subject:  r.Title() + ": faktura " + inv.Number + " från " + inv.Seller.Name,
		Greeting: "Hej!",
		Paras: []string{
			"Enligt våra noteringar är faktura " + inv.Number + " med förfallodag " + sv.Date(inv.DueDate) + " inte betald i sin helhet. Vi ber er betala det som återstår senast " + sv.LongDate(r.DueDate) + ". Påminnelsen och fakturan finns som PDF i bilagorna.",
			"Har ni redan betalat kan ni bortse från påminnelsen. Ingen påminnelseavgift tas ut.",
		},
		Facts: [][2]string{{"Avser", inv.LineText}, {"Återstår att betala", sv.Kronor(r.Open)}, {"Ny förfallodag", sv.Date(r.DueDate)},
			{"Bankgiro", inv.Seller.Bankgiro}, {"OCR-nummer", inv.OCR}},
		Links:  [][2]string{{"Fakturan i GNS (för den som har inloggning)", invoiceURL(baseURL, inv.Number)}},
		Footer: invoiceFooter(inv),
	}
	return partyMail(cm, domain.MailReminder, inv, p.To, l, files)
}
