package money

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/web/kit"
)

func (s *Handlers) invoiceAPIRoutes() {
	s.Handle("GET", "/api/v1/committees/:code/invoices", invoiceRead, s.apiInvoices)
	// One route serves /invoices/{number}, {number}.pdf and {number}.xml:
	// the router cannot tell a parameter from a parameter with a suffix.
	s.Handle("GET", "/api/v1/invoices/:file", invoiceRead, s.apiInvoice)
	s.Handle("POST", "/api/v1/invoices/:number/sent", invoiceWrite, s.apiMarkInvoiceSent)
}

// invoiceJSON is a document as the API shows it. Amounts are strings with
// two decimals, never JSON numbers; amount is positive for both kinds.
type invoiceJSON struct {
	Number             string                 `json:"number"`
	Kind               finance.InvoiceKind    `json:"kind"`
	KindLabel          string                 `json:"kind_label"`
	Committee          string                 `json:"committee"`
	PartyID            int64                  `json:"party_id"`
	Buyer              invoiceBuyerJSON       `json:"buyer"`
	Seller             invoiceSellerJSON      `json:"seller"`
	IssueDate          domain.Date            `json:"issue_date"`
	DueDate            domain.Date            `json:"due_date"`
	PeriodStart        domain.Date            `json:"period_start"`
	PeriodEnd          domain.Date            `json:"period_end"`
	Text               string                 `json:"text"`
	Amount             string                 `json:"amount"`
	VATCategory        string                 `json:"vat_category"`
	VATExemptionReason string                 `json:"vat_exemption_reason"`
	OCR                string                 `json:"ocr,omitempty"`
	Credits            *invoiceRefJSON        `json:"credits"`
	CreditReason       string                 `json:"credit_reason,omitempty"`
	Decision           string                 `json:"decision,omitempty"`
	CaseNumber         string                 `json:"case_number,omitempty"`
	AllocationKind     finance.AllocationKind `json:"allocation_kind,omitempty"`
	Paid               string                 `json:"paid"`
	Credited           string                 `json:"credited"`
	Open               string                 `json:"open"`
	Status             finance.InvoiceStatus  `json:"status"`
	StatusLabel        string                 `json:"status_label"`
	Overdue            bool                   `json:"overdue"`
	SentAt             *time.Time             `json:"sent_at"`
	SentVia            string                 `json:"sent_via,omitempty"`
	CreatedAt          time.Time              `json:"created_at"`
	URL                string                 `json:"url"`
	PDFURL             string                 `json:"pdf_url"`
	XMLURL             string                 `json:"xml_url"`
}

type invoiceBuyerJSON struct {
	Name      string `json:"name"`
	Address   string `json:"address"`
	OrgNumber string `json:"org_number"`
	Reference string `json:"reference"`
	PeppolID  string `json:"peppol_id"`
}

type invoiceSellerJSON struct {
	Name      string `json:"name"`
	Address   string `json:"address"`
	OrgNumber string `json:"org_number"`
	VATNumber string `json:"vat_number"`
	Bankgiro  string `json:"bankgiro"`
}

type invoiceRefJSON struct {
	Number    string      `json:"number"`
	IssueDate domain.Date `json:"issue_date"`
}

func toInvoiceJSON(inv finance.Invoice, code string, day domain.Date) invoiceJSON {
	out := invoiceJSON{
		Number: inv.Number, Kind: inv.Kind, KindLabel: inv.Kind.Label(), Committee: code, PartyID: inv.PartyID,
		Buyer: invoiceBuyerJSON{Name: inv.Buyer.Name, Address: inv.Buyer.Address, OrgNumber: inv.Buyer.OrgNumber,
			Reference: inv.Buyer.Reference, PeppolID: inv.Buyer.PeppolID},
		Seller: invoiceSellerJSON{Name: inv.Seller.Name, Address: inv.Seller.Address, OrgNumber: inv.Seller.OrgNumber,
			VATNumber: inv.Seller.VATNumber, Bankgiro: inv.Seller.Bankgiro},
		IssueDate: inv.IssueDate, DueDate: inv.DueDate, PeriodStart: inv.PeriodStart, PeriodEnd: inv.PeriodEnd,
		Text: inv.LineText, Amount: inv.Amount.StringFixed(2), VATCategory: inv.VATCategory, VATExemptionReason: inv.VATExemptionReason,
		OCR: inv.OCR, CreditReason: inv.CreditReason, Decision: inv.Decision, CaseNumber: inv.CaseNumber,
		AllocationKind: inv.AllocationKind, Paid: inv.Paid.StringFixed(2), Credited: inv.Credited.StringFixed(2),
		Open: inv.Open().StringFixed(2), Status: inv.Status(), StatusLabel: inv.StatusLabel(), Overdue: inv.Overdue(day),
		SentVia: inv.SentVia, CreatedAt: inv.CreatedAt, URL: kit.InvoiceURL(inv.Number), PDFURL: kit.InvoiceAPIURL(inv.Number) + ".pdf",
		XMLURL: kit.InvoiceAPIURL(inv.Number) + ".xml",
	}
	if inv.Corrects() {
		out.Credits = &invoiceRefJSON{Number: inv.CreditsNumber, IssueDate: inv.CreditsIssueDate}
	}
	if !inv.SentAt.IsZero() {
		t := inv.SentAt
		out.SentAt = &t
	}
	return out
}

// apiInvoices answers GET /api/v1/committees/{code}/invoices: the
// committee's documents in number order, filtered by year, party (slug),
// status and overdue as the list page is; a party representative gets its
// own party's only.
func (s *Handlers) apiInvoices(c *gin.Context) {
	cm, sc, err := s.invoiceCommittee(c, false)
	var f finance.InvoiceFilter
	if err == nil {
		f, err = s.invoiceFilter(c, cm, sc, apiInvoiceQuery)
	}
	var list []finance.Invoice
	if err == nil {
		list, err = s.DB.Conn().Invoices(c.Request.Context(), f)
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	out := make([]invoiceJSON, len(list))
	for i, inv := range list {
		out[i] = toInvoiceJSON(inv, cm.Code, f.Today)
	}
	c.JSON(http.StatusOK, gin.H{"committee": cm.Code, "invoices": out, "count": len(out)})
}

// apiInvoice answers GET /api/v1/invoices/{number} with the document as
// JSON, and {number}.pdf and {number}.xml with its PDF and its Peppol
// e-invoice. A number the user may not see is "not found", like one that
// does not exist.
func (s *Handlers) apiInvoice(c *gin.Context) {
	file := c.Param("file")
	number, format := file, "json"
	for _, ext := range []string{"pdf", "xml"} {
		if n, ok := strings.CutSuffix(file, "."+ext); ok {
			number, format = n, ext
		}
	}
	inv, _, err := s.readableInvoice(c, number)
	if err != nil {
		s.Fail(c, err)
		return
	}
	switch format {
	case "pdf":
		s.servePDF(c, inv)
	case "xml":
		s.serveUBL(c, inv)
	default:
		cm, err := s.DB.Conn().CommitteeByID(c.Request.Context(), inv.CommitteeID)
		if err != nil {
			s.Fail(c, err)
			return
		}
		c.JSON(http.StatusOK, toInvoiceJSON(inv, cm.Code, s.Today()))
	}
}
