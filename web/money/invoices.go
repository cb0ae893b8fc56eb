package money

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/app"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/reports/invoice"
	"github.com/region-jh/gns/reports/peppol"
	"github.com/region-jh/gns/reports/sie"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
	"github.com/region-jh/gns/web/kit"
)

// Who works with invoices. The economist (and the admin) issues runs,
// credits invoices and registers payments. The secretariat, which answers
// the parties' questions about the committee's money, reads them, and so does
// the auditor; they change nothing. A party representative reads its own
// party's documents and nothing else: any other number is "not found".
// Opening or downloading a document changes nothing, whoever does it: the
// economist marks documents as sent (one, or every unsent one of a run),
// saying how they went out, and that is audited.
var (
	invoiceIssuers = []domain.Role{domain.RoleEconomist, domain.RoleAdmin}
	invoiceStaff   = []domain.Role{domain.RoleEconomist, domain.RoleSecretariat, domain.RoleAdmin, domain.RoleAuditor}
	invoiceReaders = append([]domain.Role{domain.RoleParty}, invoiceStaff...)

	invoiceWrite     = kit.Roles(invoiceIssuers...)
	invoiceStaffRead = kit.Roles(invoiceStaff...)
	invoiceRead      = kit.Roles(invoiceReaders...)
)

func (s *Handlers) invoiceRoutes() {
	s.Handle("GET", "/fakturor", invoiceRead, s.invoicesIndex)
	s.Handle("GET", "/namnder/:code/fakturor", invoiceRead, s.invoicesPage)
	s.Handle("GET", "/namnder/:code/fakturainstallningar", invoiceStaffRead, s.invoiceSettingsPage)
	s.Handle("POST", "/namnder/:code/fakturainstallningar", invoiceWrite, s.saveInvoiceSettings)
	s.Handle("GET", "/fordelningar/:id/fakturera", invoiceWrite, s.invoiceRunPreview)
	s.Handle("POST", "/fordelningar/:id/fakturera", invoiceWrite, s.issueInvoiceRun)
	s.Handle("GET", "/faktureringar/:id", invoiceStaffRead, s.invoiceRunPage)
	s.Handle("GET", "/faktureringar/:id/pdf", invoiceStaffRead, s.invoiceRunPDF)
	s.Handle("GET", "/faktureringar/:id/e-fakturor", invoiceStaffRead, s.invoiceRunUBL)
	s.Handle("GET", "/faktureringar/:id/sie", invoiceStaffRead, s.invoiceRunSIE)
	s.Handle("POST", "/faktureringar/:id/skickad", invoiceWrite, s.markRunSent)
	s.Handle("GET", "/fakturor/:number", invoiceRead, s.invoicePage)
	s.Handle("GET", "/fakturor/:number/pdf", invoiceRead, s.invoicePDF)
	s.Handle("GET", "/fakturor/:number/e-faktura", invoiceRead, s.invoiceUBL)
	s.Handle("POST", "/fakturor/:number/skickad", invoiceWrite, s.markInvoiceSent)
	s.Handle("POST", "/fakturor/:number/betalningar", invoiceWrite, s.registerPayment)
	s.Handle("GET", "/fakturor/:number/kreditera", invoiceWrite, s.creditForm)
	s.Handle("POST", "/fakturor/:number/kreditera", invoiceWrite, s.creditInvoice)
	s.invoiceMailRoutes()
	s.invoiceAPIRoutes()
}

// invoiceScope is what of a committee's invoicing a user may see: all of it
// (the staff), or the documents of some parties (a party representative).
type invoiceScope struct {
	All     bool
	Parties []int64
	// Issue tells whether the user may issue, credit and register payments.
	Issue bool
}

// scopeIn returns the user's invoice scope in committee cm.
func scopeIn(u *domain.User, committeeID int64) invoiceScope {
	sc := invoiceScope{All: u.HasIn(committeeID, invoiceStaff...), Issue: u.HasIn(committeeID, invoiceIssuers...)}
	if !sc.All {
		sc.Parties = []int64{}
		for _, g := range u.Roles {
			if g.Role == domain.RoleParty && g.CommitteeID == committeeID {
				sc.Parties = append(sc.Parties, g.PartyID)
			}
		}
	}
	return sc
}

// sees reports whether the scope covers a party's documents.
func (sc invoiceScope) sees(partyID int64) bool {
	if sc.All {
		return true
	}
	for _, p := range sc.Parties {
		if p == partyID {
			return true
		}
	}
	return false
}

// none reports whether the scope covers nothing at all.
func (sc invoiceScope) none() bool { return !sc.All && len(sc.Parties) == 0 }

// invoiceCommittee reads the :code of a committee route for a user who may
// see its invoicing; staffOnly asks for the staff's view. A committee the
// user has no part in is "not found".
func (s *Handlers) invoiceCommittee(c *gin.Context, staffOnly bool) (domain.Committee, invoiceScope, error) {
	cm, err := s.ReadableCommittee(c, c.Param("code"))
	if err != nil {
		return domain.Committee{}, invoiceScope{}, err
	}
	return invoiceScopeIn(c, cm, staffOnly)
}

// invoiceScopeIn is invoiceCommittee for a committee already read.
func invoiceScopeIn(c *gin.Context, cm domain.Committee, staffOnly bool) (domain.Committee, invoiceScope, error) {
	sc := scopeIn(kit.CurrentUser(c), cm.ID)
	if sc.none() || (staffOnly && !sc.All) {
		return domain.Committee{}, invoiceScope{}, domain.Errorf(domain.EFORBIDDEN, "Du har inte behörighet till nämndens fakturor.")
	}
	return cm, sc, nil
}

// readableInvoice reads the document with the number for the user: the
// staff of its committee see every document, a party representative its own
// party's; any other is "not found", exactly as a number that does not exist.
func (s *Handlers) readableInvoice(c *gin.Context, number string) (finance.Invoice, invoiceScope, error) {
	inv, err := s.DB.Conn().InvoiceByNumber(c.Request.Context(), number)
	if err != nil {
		return finance.Invoice{}, invoiceScope{}, err
	}
	sc := scopeIn(kit.CurrentUser(c), inv.CommitteeID)
	if !sc.sees(inv.PartyID) {
		return finance.Invoice{}, invoiceScope{}, domain.Errorf(domain.ENOTFOUND, "Fakturan finns inte.")
	}
	return inv, sc, nil
}

// readableRun reads the :id of a run route for the staff of its committee.
func (s *Handlers) readableRun(c *gin.Context) (finance.InvoiceRun, domain.Committee, error) {
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	ctx := c.Request.Context()
	run, err := s.DB.Conn().InvoiceRunByID(ctx, id)
	if err == nil && !kit.CurrentUser(c).HasIn(run.CommitteeID, invoiceStaff...) {
		err = domain.Errorf(domain.ENOTFOUND, "Faktureringen finns inte.")
	}
	var cm domain.Committee
	if err == nil {
		cm, err = s.DB.Conn().CommitteeByID(ctx, run.CommitteeID)
	}
	return run, cm, err
}

// invoicesIndex sends the user to the invoices of the first committee where
// the user may see some.
func (s *Handlers) invoicesIndex(c *gin.Context) {
	cms, err := s.ReadableCommittees(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	for _, cm := range cms {
		if !scopeIn(kit.CurrentUser(c), cm.ID).none() {
			c.Redirect(http.StatusFound, kit.InvoicesURL(cm.Code))
			return
		}
	}
	s.Render(c, http.StatusOK, "invoices", "Fakturor", invoicesView{})
}

// invoiceQuery names the list filter's query parameters.
type invoiceQuery struct{ year, party, status, overdue string }

var (
	webInvoiceQuery = invoiceQuery{"ar", "part", "status", "forfallna"}
	apiInvoiceQuery = invoiceQuery{"year", "party", "status", "overdue"}
)

// invoiceFilter reads a list filter from the query: the year, a party by
// slug (within the user's scope), a status, and overdue only.
func (s *Handlers) invoiceFilter(c *gin.Context, cm domain.Committee, sc invoiceScope, q invoiceQuery) (finance.InvoiceFilter, error) {
	f := finance.InvoiceFilter{CommitteeID: cm.ID, Today: s.Today()}
	if !sc.All {
		f.PartyIDs = sc.Parties
	}
	if v := c.Query(q.year); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 2000 || y > 9999 {
			return f, domain.FieldErrorf(q.year, "Ange året med fyra siffror, t.ex. 2021.")
		}
		f.Year = y
	}
	if v := c.Query(q.party); v != "" {
		p, err := s.DB.Conn().PartyBySlug(c.Request.Context(), v)
		if err != nil || !sc.sees(p.ID) {
			return f, domain.FieldErrorf(q.party, "Parten %q finns inte bland nämndens fakturor.", v)
		}
		f.PartyIDs = []int64{p.ID}
	}
	if v := c.Query(q.status); v != "" {
		if f.Status = finance.InvoiceStatus(v); !f.Status.Valid() {
			return f, domain.FieldErrorf(q.status, "Okänd status %q: välj en av issued, sent, partly_paid, paid, credited.", v)
		}
	}
	switch c.Query(q.overdue) {
	case "", "false", "0":
	case "true", "1", "on", "ja":
		f.Overdue = true
	default:
		return f, domain.FieldErrorf(q.overdue, "Ange %s=true för att bara visa förfallna.", q.overdue)
	}
	return f, nil
}

// invoiceRowView is a document as the lists show it. Remaining is what is
// left as the ledger sees it: to be paid in for an invoice, to be paid out
// (negative) for a refund.
type invoiceRowView struct {
	finance.Invoice
	Overdue   bool
	Remaining decimal.Decimal
}

// invoicesView is the economist's list: the filtered documents, the runs,
// and the decided allocations not yet invoiced.
type invoicesView struct {
	Committee  domain.Committee
	Committees []domain.Committee
	Scope      invoiceScope
	Filter     url.Values
	Years      []int
	Parties    []domain.MemberParty
	Statuses   []finance.InvoiceStatus
	Rows       []invoiceRowView
	Count      string
	// Total is the documents' net sum; Receivable what is left to be paid
	// in, Payable what is left to pay out (refunds).
	Total      decimal.Decimal
	Receivable decimal.Decimal
	Payable    decimal.Decimal
	Problem    string
	Runs       []finance.InvoiceRun
	// ToInvoice are the committee's decided, current allocations without a run.
	ToInvoice   []finance.Allocation
	HasSettings bool
}

func (s *Handlers) invoicesPage(c *gin.Context) {
	cm, committees, err := s.ReadableCommitteeAmong(c, c.Param("code"))
	var sc invoiceScope
	if err == nil {
		cm, sc, err = invoiceScopeIn(c, cm, false)
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	v := invoicesView{Committee: cm, Committees: committees, Scope: sc, Filter: c.Request.URL.Query(), Statuses: finance.InvoiceStatuses,
		Total: decimal.Zero, Receivable: decimal.Zero, Payable: decimal.Zero}
	v.Years, err = conn.InvoiceYears(ctx, cm.ID)
	if err == nil && sc.All {
		v.Parties, err = conn.CommitteeParties(ctx, cm.ID)
		v.Parties = uniqueParties(v.Parties)
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	status := http.StatusOK
	f, err := s.invoiceFilter(c, cm, sc, webInvoiceQuery)
	var list []finance.Invoice
	if err == nil {
		list, err = conn.Invoices(ctx, f)
	}
	if err != nil {
		if domain.ErrorCode(err) != domain.EINVALID {
			s.Fail(c, err)
			return
		}
		v.Problem, status = domain.ErrorMessage(err), http.StatusBadRequest
	}
	for _, inv := range list {
		row := invoiceRowView{Invoice: inv, Overdue: inv.Overdue(f.Today), Remaining: inv.Open()}
		if inv.Refund() {
			row.Remaining = inv.Open().Neg()
			v.Payable = v.Payable.Add(inv.Open())
		} else {
			v.Receivable = v.Receivable.Add(inv.Open())
		}
		v.Rows = append(v.Rows, row)
		v.Total = v.Total.Add(inv.Signed())
	}
	v.Count = countText(len(list), "dokument", "dokument")
	if sc.All {
		if err := s.loadRunsAndPending(ctx, cm, &v); err != nil {
			s.Fail(c, err)
			return
		}
	}
	s.Render(c, status, "invoices", "Fakturor – "+cm.Code, v)
}

// uniqueParties keeps each party's first membership, for a list of parties
// that have ever been members.
func uniqueParties(ms []domain.MemberParty) []domain.MemberParty {
	seen := map[int64]bool{}
	var out []domain.MemberParty
	for _, m := range ms {
		if !seen[m.ID] {
			seen[m.ID] = true
			out = append(out, m)
		}
	}
	return out
}

// loadRunsAndPending fills in the runs and the allocations left to invoice.
func (s *Handlers) loadRunsAndPending(ctx context.Context, cm domain.Committee, v *invoicesView) error {
	conn := s.DB.Conn()
	runs, err := conn.InvoiceRuns(ctx, cm.ID)
	if err != nil {
		return err
	}
	v.Runs = runs
	if v.ToInvoice, err = conn.AllocationsToInvoice(ctx, cm.ID); err != nil {
		return err
	}
	_, err = conn.InvoiceSettings(ctx, cm.ID)
	v.HasSettings = err == nil
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		err = nil
	}
	return err
}

// countText says how many: "1 dokument", "8 dokument".
func countText(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return sv.Integer(int64(n)) + " " + many
}

// settingsInput is the invoice settings form.
type settingsInput struct {
	SellerName          string `form:"seller_name"`
	SellerAddress       string `form:"seller_address"`
	SellerOrgNumber     string `form:"seller_org_number"`
	SellerVATNumber     string `form:"seller_vat_number"`
	SellerPeppolID      string `form:"seller_peppol_id"`
	FTax                bool   `form:"f_tax"`
	Bankgiro            string `form:"bankgiro"`
	ContactName         string `form:"contact_name"`
	ContactEmail        string `form:"contact_email"`
	ContactPhone        string `form:"contact_phone"`
	PaymentTermsDays    string `form:"payment_terms_days"`
	OCRLengthDigit      bool   `form:"ocr_length_digit"`
	OCRPrefix           string `form:"ocr_prefix"`
	VATCategory         string `form:"vat_category"`
	VATExemptionReason  string `form:"vat_exemption_reason"`
	ReceivableAccount   string `form:"receivable_account"`
	ContributionAccount string `form:"contribution_account"`
	InternalAccount     string `form:"internal_account"`
}

// settingsInputOf is the form filled with settings st.
func settingsInputOf(st finance.InvoiceSettings) settingsInput {
	return settingsInput{SellerName: st.Name, SellerAddress: st.Address, SellerOrgNumber: st.OrgNumber, SellerVATNumber: st.VATNumber,
		SellerPeppolID: st.PeppolID, FTax: st.FTax, Bankgiro: st.Bankgiro, ContactName: st.ContactName, ContactEmail: st.ContactEmail,
		ContactPhone: st.ContactPhone, PaymentTermsDays: strconv.Itoa(st.PaymentTermsDays), OCRLengthDigit: st.OCRLengthDigit,
		OCRPrefix: st.OCRPrefix, VATCategory: st.VATCategory, VATExemptionReason: st.VATExemptionReason,
		ReceivableAccount: st.ReceivableAccount, ContributionAccount: st.ContributionAccount, InternalAccount: st.InternalAccount}
}

// settings reads the form into the settings of the committee; a payment
// term that is not a number of days is a field error.
func (in settingsInput) settings(committeeID int64) (finance.InvoiceSettings, error) {
	st := finance.InvoiceSettings{CommitteeID: committeeID, InvoiceSeller: finance.InvoiceSeller{
		Name: in.SellerName, Address: in.SellerAddress, OrgNumber: in.SellerOrgNumber, VATNumber: in.SellerVATNumber,
		PeppolID: in.SellerPeppolID, FTax: in.FTax, Bankgiro: in.Bankgiro, ContactName: in.ContactName,
		ContactEmail: in.ContactEmail, ContactPhone: in.ContactPhone,
	}, OCRLengthDigit: in.OCRLengthDigit, OCRPrefix: in.OCRPrefix, VATCategory: in.VATCategory,
		VATExemptionReason: in.VATExemptionReason, ReceivableAccount: in.ReceivableAccount,
		ContributionAccount: in.ContributionAccount, InternalAccount: in.InternalAccount}
	days, err := strconv.Atoi(in.PaymentTermsDays)
	if err != nil {
		return st, domain.FieldErrorf("payment_terms_days", "Ange betalningsvillkoret som ett antal dagar, t.ex. 30.")
	}
	st.PaymentTermsDays = days
	return st, nil
}

type settingsView struct {
	Committee domain.Committee
	Form      *kit.Form
	Saved     *finance.InvoiceSettings
	CanEdit   bool
}

// invoiceSettingsPage shows the committee's invoice settings: a form for the
// economist, filled with what is saved (or, the first time, with the host
// party's register entry), and the saved values for readers.
func (s *Handlers) invoiceSettingsPage(c *gin.Context) {
	cm, sc, err := s.invoiceCommittee(c, true)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	saved, err := s.DB.Conn().InvoiceSettings(ctx, cm.ID)
	v := settingsView{Committee: cm, CanEdit: sc.Issue}
	switch {
	case err == nil:
		v.Saved, v.Form = &saved, kit.FormOf(settingsInputOf(saved))
	case domain.ErrorCode(err) == domain.ENOTFOUND:
		var host *domain.Party
		if cm.HostPartyID != 0 {
			if p, err := s.DB.Conn().PartyByID(ctx, cm.HostPartyID); err == nil {
				host = &p
			}
		}
		v.Form = kit.FormOf(settingsInputOf(finance.NewInvoiceSettings(cm.ID, host)))
	default:
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "invoice_settings", "Faktureringsuppgifter – "+cm.Code, v)
}

func (s *Handlers) saveInvoiceSettings(c *gin.Context) {
	cm, sc, err := s.invoiceCommittee(c, true)
	if err == nil && !sc.Issue {
		err = domain.Errorf(domain.EFORBIDDEN, "Bara nämndens ekonom kan ändra faktureringsuppgifterna.")
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	var in settingsInput
	f := kit.Bind(c, &in)
	st, err := in.settings(cm.ID)
	f.Fail(err)
	if !s.Submit(c, f, func(tx *store.Conn) error { _, err := tx.SaveInvoiceSettings(ctx, st); return err }, func(status int) {
		s.Render(c, status, "invoice_settings", "Faktureringsuppgifter – "+cm.Code, settingsView{Committee: cm, Form: f, CanEdit: true})
	}) {
		return
	}
	s.Redirect(c, kit.InvoicesURL(cm.Code), "Faktureringsuppgifterna är sparade. De gäller fakturor som utfärdas från och med nu.")
}

// previewView is the preview and confirm step of a run.
type previewView struct {
	Committee  domain.Committee
	Allocation finance.Allocation
	IssueDate  string
	Form       *kit.Form
	Plan       *finance.RunPlan
	// Run is the run that already invoiced the allocation, if any.
	Run         *finance.InvoiceRun
	NoSettings  bool
	Fingerprint string
	// Summary says what the plan makes, e.g. "8 fakturor".
	Summary string
	// Booking is how issuing a refund that names its originating years
	// books it in the carry-forward ledger (issue 16 §2).
	Booking []finance.CarryEntry
}

// previewAllocation reads the :id of the allocation to invoice, for an
// issuer of its committee.
func (s *Handlers) previewAllocation(c *gin.Context) (finance.Allocation, domain.Committee, error) {
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	ctx := c.Request.Context()
	a, err := s.DB.Conn().AllocationByID(ctx, id)
	if err == nil && !kit.CurrentUser(c).HasIn(a.CommitteeID, invoiceIssuers...) {
		if kit.CurrentUser(c).InCommittee(a.CommitteeID) {
			err = domain.Errorf(domain.EFORBIDDEN, "Bara nämndens ekonom kan fakturera.")
		} else {
			err = domain.Errorf(domain.ENOTFOUND, "Fördelningen finns inte.")
		}
	}
	var cm domain.Committee
	if err == nil {
		cm, err = s.DB.Conn().CommitteeByID(ctx, a.CommitteeID)
	}
	return a, cm, err
}

// invoiceRunPreview shows what issuing the allocation on the chosen date
// (?datum=, today by default) makes, and asks to confirm.
func (s *Handlers) invoiceRunPreview(c *gin.Context) {
	a, cm, err := s.previewAllocation(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	date := c.Query("datum")
	if date == "" {
		date = s.Today().String()
	}
	s.renderPreview(c, a, cm, date, kit.EmptyForm(), http.StatusOK)
}

// refundBooking is how issuing refund a on issue would book it in the
// carry-forward ledger as it stands (finance.PlanRefundBooking).
func (s *Handlers) refundBooking(ctx context.Context, a finance.Allocation, issue domain.Date) ([]finance.CarryEntry, error) {
	if a.Kind != finance.AllocationRefund || len(a.OriginYears) == 0 {
		return nil, nil
	}
	l, err := s.DB.Conn().CarryLedger(ctx, a.CommitteeID)
	if err != nil {
		return nil, err
	}
	return finance.PlanRefundBooking(a, l, issue)
}

// renderPreview plans the run for the date and shows it: the documents,
// the transfers and the parties' gaps, with the confirm button when nothing
// stops the run. A problem (the run is not possible, or the form's) goes in
// f's summary.
func (s *Handlers) renderPreview(c *gin.Context, a finance.Allocation, cm domain.Committee, date string, f *kit.Form, status int) {
	ctx := c.Request.Context()
	v := previewView{Committee: cm, Allocation: a, IssueDate: date, Form: f}
	issue, err := s.issueDate(date)
	if err == nil {
		var plan finance.RunPlan
		if plan, err = s.DB.Conn().PlanInvoiceRun(ctx, a.ID, issue); err == nil {
			v.Plan, v.Fingerprint, v.Summary = &plan, plan.Fingerprint(), documentCount(plan.Documents)
			err = plan.Err()
		}
		if err == nil {
			if v.Booking, err = s.refundBooking(ctx, a, issue); err != nil {
				v.Plan = nil // the years cannot hold the refund: nothing to confirm
			}
		}
	}
	if err != nil {
		if domain.IsFault(err) {
			s.Fail(c, err)
			return
		}
		if f.Problem == "" {
			f.Fail(err)
		}
		if status == http.StatusOK {
			status = kit.StatusOf(domain.ErrorCode(err))
		}
		if run, ok, _ := s.DB.Conn().RunOfAllocation(ctx, a.ID); ok {
			v.Run = &run
		}
		_, serr := s.DB.Conn().InvoiceSettings(ctx, cm.ID)
		v.NoSettings = domain.ErrorCode(serr) == domain.ENOTFOUND
	}
	s.Render(c, status, "invoice_preview", "Fakturera "+a.Title, v)
}

// issueDate reads the issue date of a run or credit note: a date that is
// not later than today.
func (s *Handlers) issueDate(text string) (domain.Date, error) {
	d, err := domain.ParseDate(strings.TrimSpace(text))
	if err != nil {
		return domain.Date{}, domain.FieldErrorf("issue_date", "Ange fakturadatum som ÅÅÅÅ-MM-DD.")
	}
	if d.After(s.Today()) {
		return domain.Date{}, domain.FieldErrorf("issue_date", "Fakturadatum kan inte vara senare än i dag.")
	}
	return d, nil
}

// runInput is the confirm form of a run: the issue date and the fingerprint
// of the plan previewed.
type runInput struct {
	IssueDate   string `form:"issue_date"`
	Fingerprint string `form:"fingerprint"`
}

// wholeForm makes the store's refusal of a run a problem of the whole form,
// shown above the preview, even when it names a field: a run is refused as
// a whole. Other errors pass through.
func wholeForm(err error) error {
	var e *domain.Error
	if errors.As(err, &e) && e.Field != "" {
		return &domain.Error{Code: e.Code, Message: e.Message}
	}
	return err
}

// issueInvoiceRun issues the run the economist previewed and confirmed.
// The form carries the plan's fingerprint: if anything changed since the
// preview, nothing is issued and the preview is shown again.
func (s *Handlers) issueInvoiceRun(c *gin.Context) {
	a, cm, err := s.previewAllocation(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	var in runInput
	f := kit.Bind(c, &in)
	issue, err := s.issueDate(in.IssueDate)
	f.Fail(err)
	date := in.IssueDate
	if err == nil {
		date = issue.String()
		if in.Fingerprint == "" {
			f.Problem = "Förhandsgranska faktureringen och bekräfta den därifrån."
		}
	}
	var run finance.InvoiceRun
	if !s.Submit(c, f, func(tx *store.Conn) error {
		var err error
		run, err = tx.IssueInvoiceRun(ctx, a.ID, issue, in.Fingerprint)
		return wholeForm(err)
	}, func(status int) { s.renderPreview(c, a, cm, date, f, status) }) {
		return
	}
	s.Redirect(c, kit.RunURL(run.ID), fmt.Sprintf("Faktureringen är klar: %s. Ladda ner dem nedan.", documentCount(run.Invoices)))
}

// documentCount says what a list of documents holds: "8 fakturor", "8
// kreditfakturor", "1 faktura och 1 kreditfaktura".
func documentCount(docs []finance.Invoice) string {
	inv, cn := 0, 0
	for _, d := range docs {
		if d.Kind == finance.InvoiceKindInvoice {
			inv++
		} else {
			cn++
		}
	}
	var parts []string
	if inv > 0 {
		parts = append(parts, countText(inv, "faktura", "fakturor"))
	}
	if cn > 0 {
		parts = append(parts, countText(cn, "kreditfaktura", "kreditfakturor"))
	}
	if len(parts) == 0 {
		return "inga dokument"
	}
	return strings.Join(parts, " och ")
}

// eInvoiceDoc is the document as its e-invoice is made (app.EInvoiceDoc).
func (s *Handlers) eInvoiceDoc(ctx context.Context, inv finance.Invoice) finance.Invoice {
	return app.EInvoiceDoc(ctx, s.DB.Conn(), inv)
}

// runView is a run's page.
type runView struct {
	Committee  domain.Committee
	Run        finance.InvoiceRun
	Allocation *finance.Allocation
	// Gaps name the documents that cannot be e-invoices and why.
	Gaps     map[string]string
	GapList  []string
	CanIssue bool
	// Unsent counts the documents not yet sent, and SentForm is the form
	// that marks them as sent by another channel than e-mail.
	Unsent   int
	SentForm *kit.Form
	// Delivery is where each document goes by e-mail and its mails, by
	// number; Sends tells whether mail is sent or only kept.
	Delivery map[string]app.Delivery
	Sends    bool
}

func (s *Handlers) invoiceRunPage(c *gin.Context) {
	run, cm, err := s.readableRun(c)
	var v runView
	if err == nil {
		v, err = s.loadRunView(c, run, cm)
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	v.SentForm.Default("via", finance.SentViaPeppol)
	s.Render(c, http.StatusOK, "invoice_run", run.Title, v)
}

// loadRunView gathers a run's page: its allocation, where its documents go
// by e-mail, and which cannot be e-invoices.
func (s *Handlers) loadRunView(c *gin.Context, run finance.InvoiceRun, cm domain.Committee) (runView, error) {
	ctx := c.Request.Context()
	v := runView{Committee: cm, Run: run, Gaps: map[string]string{}, CanIssue: kit.CurrentUser(c).HasIn(cm.ID, invoiceIssuers...),
		SentForm: kit.EmptyForm(), Delivery: map[string]app.Delivery{}}
	if run.AllocationID != 0 {
		a, err := s.DB.Conn().AllocationByID(ctx, run.AllocationID)
		if err != nil {
			return v, err
		}
		v.Allocation = &a
	}
	plan, err := app.PlanRunDelivery(ctx, s.DB.Conn(), run)
	if err != nil {
		return v, err
	}
	v.Sends = plan.Sends
	for _, d := range plan.Items {
		v.Delivery[d.Invoice.Number] = d
		if !d.Sent() {
			v.Unsent++
		}
		var missing *peppol.MissingError
		if errors.As(d.EInvoiceErr, &missing) {
			v.Gaps[d.Invoice.Number] = d.EInvoiceProblem()
			v.GapList = append(v.GapList, missing.Party+": "+strings.Join(missing.Missing, ", "))
		}
	}
	return v, nil
}

// sendFile answers with a file to download or open. It changes nothing: a
// document is sent when the economist marks it so (markInvoiceSent).
func (s *Handlers) sendFile(c *gin.Context, name, contentType string, body []byte, inline bool) {
	disposition := "attachment"
	if inline {
		disposition = "inline"
	}
	c.Header("Content-Disposition", fmt.Sprintf("%s; filename=%q", disposition, name))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, contentType, body)
}

// documentPDF writes the PDF of documents of committee cm.
func (s *Handlers) documentPDF(ctx context.Context, committeeID int64, docs []finance.Invoice, title string) ([]byte, error) {
	cm, err := s.DB.Conn().CommitteeByID(ctx, committeeID)
	if err != nil {
		return nil, err
	}
	return invoice.PDF(docs, invoice.Options{Committee: cm.Name, Title: title})
}

func (s *Handlers) invoiceRunPDF(c *gin.Context) {
	run, cm, err := s.readableRun(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if len(run.Invoices) == 0 {
		s.Fail(c, domain.Errorf(domain.ENOTFOUND, "Faktureringen har inga fakturor, bara en intern omföring."))
		return
	}
	b, err := s.documentPDF(c.Request.Context(), cm.ID, run.Invoices, run.Title)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.sendFile(c, fmt.Sprintf("%s-fakturering-%d.pdf", cm.Code, run.ID), "application/pdf", b, true)
}

func (s *Handlers) invoiceRunUBL(c *gin.Context) {
	run, cm, err := s.readableRun(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	docs := make([]finance.Invoice, len(run.Invoices))
	for i, inv := range run.Invoices {
		docs[i] = s.eInvoiceDoc(ctx, inv)
	}
	archive, included, skipped, err := invoice.UBLArchive(docs)
	if err == nil && len(included) == 0 {
		msgs := make([]string, len(skipped))
		for i, e := range skipped {
			msgs[i] = domain.ErrorMessage(e)
		}
		err = domain.Errorf(domain.ECONFLICT, "Ingen av faktureringens fakturor kan skickas som e-faktura. %s", strings.Join(msgs, " "))
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.sendFile(c, fmt.Sprintf("%s-fakturering-%d-e-fakturor.zip", cm.Code, run.ID), "application/zip", archive, false)
}

// invoiceRunSIE exports the run for the host's ledger as an SIE 4I import
// file, with the accounts of the committee's current settings.
func (s *Handlers) invoiceRunSIE(c *gin.Context) {
	run, cm, err := s.readableRun(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	st, err := s.DB.Conn().InvoiceSettings(c.Request.Context(), cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	objects, err := s.costObjects(c.Request.Context(), run)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var buf bytes.Buffer
	if err := sie.Write(&buf, invoice.SIE(st, run, objects, domain.Version, s.Today())); err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf("attachment; filename=%q", fmt.Sprintf("%s-fakturering-%d.se", cm.Code, run.ID)))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/octet-stream", buf.Bytes())
}

// costObjects returns the cost objects of the allocations behind a run's
// documents, by allocation ID, for the SIE export.
func (s *Handlers) costObjects(ctx context.Context, run finance.InvoiceRun) (map[int64]string, error) {
	objects := map[int64]string{}
	ids := []int64{run.AllocationID}
	for _, d := range run.Invoices {
		ids = append(ids, d.AllocationID)
	}
	for _, id := range ids {
		if _, done := objects[id]; done || id == 0 {
			continue
		}
		a, err := s.DB.Conn().AllocationByID(ctx, id)
		if err != nil {
			return nil, err
		}
		objects[id] = a.CostObject
	}
	return objects, nil
}

// invoiceView is one document's page.
type invoiceView struct {
	Committee   domain.Committee
	Invoice     finance.Invoice
	Scope       invoiceScope
	Overdue     bool
	Payments    []finance.Payment
	CreditNotes []finance.Invoice
	// BuyerLines is the buyer's address, line by line.
	BuyerLines []string
	// EInvoiceProblem says why no e-invoice can be made, if so.
	EInvoiceProblem string
	Form            *kit.Form
	CanPay          bool
	CanCredit       bool
	// SentForm marks the document as sent, while CanMarkSent.
	SentForm    *kit.Form
	CanMarkSent bool
	// Reminders are the påminnelser sent; CanRemind tells whether the
	// user may send one now, else RemindLater why not (when the invoice is
	// overdue but waits for the last påminnelse's due date).
	Reminders   []finance.Reminder
	CanRemind   bool
	RemindLater string
	// Mails are the document's mails (itself and its påminnelser), for the
	// staff.
	Mails []domain.Mail
}

func (s *Handlers) invoicePage(c *gin.Context) {
	inv, sc, err := s.readableInvoice(c, c.Param("number"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderInvoice(c, inv, sc, s.paymentForm(inv), kit.EmptyForm(), http.StatusOK)
}

// paymentForm is the payment form as the invoice page first shows it: what
// is open, paid today.
func (s *Handlers) paymentForm(inv finance.Invoice) *kit.Form {
	return kit.FormOf(paymentInput{PaidOn: s.Today().String(), Amount: sv.Amount(inv.Open())})
}

// renderInvoice renders the document's page with its payment form f and its
// form sent that marks it as sent.
func (s *Handlers) renderInvoice(c *gin.Context, inv finance.Invoice, sc invoiceScope, f, sent *kit.Form, status int) {
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	sent.Default("via", finance.SentViaPeppol)
	v := invoiceView{Invoice: inv, Scope: sc, Overdue: inv.Overdue(s.Today()), Form: f, BuyerLines: strings.Split(inv.Buyer.Address, "\n"),
		CanPay: sc.Issue && inv.Open().IsPositive(), CanCredit: sc.Issue && inv.Kind == finance.InvoiceKindInvoice && inv.Open().IsPositive(),
		SentForm: sent, CanMarkSent: sc.Issue && inv.SentAt.IsZero()}
	var err error
	if v.Committee, err = conn.CommitteeByID(ctx, inv.CommitteeID); err == nil {
		v.Payments, err = conn.Payments(ctx, inv.ID)
	}
	if err == nil && inv.Kind == finance.InvoiceKindInvoice {
		v.CreditNotes, err = conn.CreditNotesOf(ctx, inv.ID)
	}
	if err == nil {
		v.Reminders, err = conn.InvoiceReminders(ctx, inv.ID)
	}
	if err == nil && sc.All {
		v.Mails, err = conn.Mails(ctx, store.MailFilter{Ref: app.InvoiceRef(inv.ID)})
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	if _, err := finance.PlanReminder(inv, v.Reminders, s.Today()); sc.Issue && err == nil {
		v.CanRemind = true
	} else if sc.Issue && v.Overdue && len(v.Reminders) > 0 {
		v.RemindLater = domain.ErrorMessage(err)
	}
	if _, err := invoice.UBL(s.eInvoiceDoc(ctx, inv)); err != nil {
		v.EInvoiceProblem = domain.ErrorMessage(err)
	}
	s.Render(c, status, "invoice", invoice.Heading(inv), v)
}

func (s *Handlers) invoicePDF(c *gin.Context) {
	inv, _, err := s.readableInvoice(c, c.Param("number"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.servePDF(c, inv)
}

func (s *Handlers) servePDF(c *gin.Context, inv finance.Invoice) {
	b, err := s.documentPDF(c.Request.Context(), inv.CommitteeID, []finance.Invoice{inv}, "")
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.sendFile(c, invoice.FileName(inv, "pdf"), "application/pdf", b, true)
}

func (s *Handlers) invoiceUBL(c *gin.Context) {
	inv, _, err := s.readableInvoice(c, c.Param("number"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.serveUBL(c, inv)
}

// serveUBL answers with the document's e-invoice, or, for a party without
// what an e-invoice needs, 409 with a message naming the party and what is
// missing.
func (s *Handlers) serveUBL(c *gin.Context, inv finance.Invoice) {
	b, err := invoice.UBL(s.eInvoiceDoc(c.Request.Context(), inv))
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.sendFile(c, invoice.FileName(inv, "xml"), "application/xml", b, false)
}

// paymentInput is the form that registers a payment.
type paymentInput struct {
	Amount string `form:"amount"`
	PaidOn string `form:"paid_on"`
	Note   string `form:"note"`
}

// registerPayment records a payment (or a refund paid out) for the document.
// A refused payment is answered with 400, also when the document has
// nothing left to pay.
func (s *Handlers) registerPayment(c *gin.Context) {
	inv, sc, err := s.readableInvoice(c, c.Param("number"))
	if err == nil && !sc.Issue {
		err = domain.Errorf(domain.EFORBIDDEN, "Bara nämndens ekonom kan registrera betalningar.")
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	var in paymentInput
	f := kit.Bind(c, &in)
	p := finance.Payment{Note: in.Note}
	if p.Amount, err = domain.ParseAmount(in.Amount); err != nil {
		f.Errors["amount"] = domain.ErrorMessage(err)
	}
	if in.PaidOn != "" {
		if p.PaidOn, err = domain.ParseDate(in.PaidOn); err != nil {
			f.Errors["paid_on"] = "Ange betalningsdagen som ÅÅÅÅ-MM-DD."
		}
	}
	var after finance.Invoice
	if !s.Submit(c, f, func(tx *store.Conn) error {
		var err error
		after, err = tx.RegisterPayment(ctx, inv.Number, p, s.Today())
		return err
	}, func(int) { s.renderInvoice(c, inv, sc, f, kit.EmptyForm(), http.StatusBadRequest) }) {
		return
	}
	msg := fmt.Sprintf("Betalningen på %s är registrerad. Återstår: %s.", sv.Kronor(p.Amount), sv.Kronor(after.Open()))
	if after.Open().IsZero() {
		msg = fmt.Sprintf("Betalningen på %s är registrerad. %s %s är nu %s.", sv.Kronor(p.Amount), inv.Kind.Label(), inv.Number, strings.ToLower(after.StatusLabel()))
	}
	s.Redirect(c, kit.InvoiceURL(inv.Number), msg)
}

// creditView is the credit form and its confirm step.
type creditView struct {
	Invoice finance.Invoice
	Form    *kit.Form
	// Preview is the credit note to confirm, after a preview, and
	// PreviewKey what it was made from: issuing checks that the form still
	// says the same.
	Preview    *finance.Invoice
	PreviewKey string
}

// creditInput is the credit form: what to credit and why, and whether to
// preview the credit note or issue the one previewed (with the key of that
// preview).
type creditInput struct {
	Amount    string `form:"amount"`
	Reason    string `form:"reason"`
	IssueDate string `form:"issue_date"`
	Action    string `form:"action"`
	Previewed string `form:"previewed"`
}

// creditKey identifies what a credit note preview was made from.
func creditKey(amount decimal.Decimal, reason string, issue domain.Date) string {
	return amount.StringFixed(2) + "|" + strings.TrimSpace(reason) + "|" + issue.String()
}

// creditable reads the invoice to credit, for an issuer.
func (s *Handlers) creditable(c *gin.Context) (finance.Invoice, error) {
	inv, sc, err := s.readableInvoice(c, c.Param("number"))
	if err == nil && !sc.Issue {
		err = domain.Errorf(domain.EFORBIDDEN, "Bara nämndens ekonom kan kreditera fakturor.")
	}
	return inv, err
}

func (s *Handlers) creditForm(c *gin.Context) {
	inv, err := s.creditable(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	f := kit.FormOf(creditInput{Amount: sv.Amount(inv.Open()), IssueDate: s.Today().String()})
	s.Render(c, http.StatusOK, "invoice_credit", "Kreditera "+inv.Number, creditView{Invoice: inv, Form: f})
}

// creditInvoice previews the credit note (action=preview) or issues it
// (action=issue) from the same form, so what is issued is what was shown.
func (s *Handlers) creditInvoice(c *gin.Context) {
	inv, err := s.creditable(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	var in creditInput
	f := kit.Bind(c, &in)
	amount, err := domain.ParseAmount(in.Amount)
	if err != nil {
		f.Errors["amount"] = domain.ErrorMessage(err)
	}
	issue, err := s.issueDate(in.IssueDate)
	f.Fail(err)
	v := creditView{Invoice: inv, Form: f}
	if f.OK() {
		st, err := s.DB.Conn().InvoiceSettings(ctx, inv.CommitteeID)
		if err == nil {
			var cn finance.Invoice
			if cn, err = finance.PlanCredit(inv, amount, in.Reason, st, issue); err == nil {
				v.Preview, v.PreviewKey = &cn, creditKey(amount, in.Reason, issue)
			}
		}
		if !s.Record(c, f, err) {
			return
		}
	}
	if f.OK() && in.Action == "issue" && in.Previewed != v.PreviewKey {
		f.Problem = "Uppgifterna ändrades efter förhandsgranskningen. Granska kreditfakturan nedan och bekräfta igen."
		s.Render(c, http.StatusBadRequest, "invoice_credit", "Kreditera "+inv.Number, v)
		return
	}
	if f.OK() && in.Action != "issue" {
		s.Render(c, http.StatusOK, "invoice_credit", "Kreditera "+inv.Number, v)
		return
	}
	var cn finance.Invoice
	if !s.Submit(c, f, func(tx *store.Conn) error {
		var err error
		cn, err = tx.CreditInvoice(ctx, inv.Number, amount, in.Reason, issue)
		return err
	}, func(int) {
		v.Preview = nil
		s.Render(c, http.StatusBadRequest, "invoice_credit", "Kreditera "+inv.Number, v)
	}) {
		return
	}
	s.Redirect(c, kit.InvoiceURL(cn.Number), fmt.Sprintf("Kreditfaktura %s på %s är utfärdad och krediterar faktura %s.", cn.Number, sv.Kronor(cn.Amount), inv.Number))
}
