package money

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/app"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
	"github.com/region-jh/gns/web/kit"
)

// Payment files from the bank (BgMax, camt.054): the economist uploads one,
// sees how each payment matches the committee's invoices, and reads it in;
// the staff read the files and what they did.
func (s *Handlers) paymentFileRoutes() {
	s.Handle("GET", "/namnder/:code/betalfiler", invoiceStaffRead, s.paymentFilesPage)
	s.Handle("POST", "/namnder/:code/betalfiler", invoiceWrite, s.uploadPaymentFile)
	s.Handle("GET", "/namnder/:code/betalfiler/:id", invoiceStaffRead, s.paymentFilePage)
	s.Handle("POST", "/namnder/:code/betalfiler/:id/las-in", invoiceWrite, s.commitPaymentFile)
	s.Handle("GET", "/namnder/:code/betalfiler/:id/fil", invoiceStaffRead, s.paymentFileDownload)
	s.Handle("GET", "/namnder/:code/betalfil-exempel", invoiceStaffRead, s.examplePaymentFile)
}

type paymentFilesView struct {
	Committee domain.Committee
	CanWrite  bool
	// Demo offers the example file made from the demo's open invoices.
	Demo  bool
	Files []finance.PaymentImport
	Form  *kit.Form
}

// paymentFilesPage lists the committee's payment files with the form to
// upload one.
func (s *Handlers) paymentFilesPage(c *gin.Context) {
	cm, sc, err := s.invoiceCommittee(c, true)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderPaymentFiles(c, http.StatusOK, cm, sc, kit.EmptyForm())
}

func (s *Handlers) renderPaymentFiles(c *gin.Context, status int, cm domain.Committee, sc invoiceScope, f *kit.Form) {
	ctx := c.Request.Context()
	list, err := s.DB.Conn().PaymentImports(ctx, cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	demo, err := s.DB.Conn().DemoUsersActive(ctx)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, status, "payment_files", "Betalningar från banken – "+cm.Code,
		paymentFilesView{Committee: cm, CanWrite: sc.Issue, Demo: demo, Files: list, Form: f})
}

// uploadPaymentFile reads an uploaded file into a preview. The same file
// read in before is refused, saying when; the same file previewed before
// leads to that preview.
func (s *Handlers) uploadPaymentFile(c *gin.Context) {
	kit.LimitUpload(c)
	cm, sc, err := s.invoiceCommittee(c, true)
	if err == nil && !sc.Issue {
		err = domain.Errorf(domain.EFORBIDDEN, "Bara nämndens ekonom kan läsa in betalfiler.")
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	f := kit.ReadForm(c, "format")
	name, content, err := kit.ReadUpload(c)
	var pf finance.PaymentFile
	if err == nil {
		format := f.Value("format")
		if format == "auto" {
			format = ""
		}
		pf, err = app.ReadPaymentFile(format, domain.SanitizeFileName(name), content)
		// A fault of the file's content is shown at the file field.
		if e := (*domain.Error)(nil); errors.As(err, &e) && e.Code == domain.EINVALID && e.Field == "" {
			err = domain.FieldErrorf("file", "%s", e.Message)
		}
	}
	if !s.Record(c, f, err) {
		return
	}
	ctx := c.Request.Context()
	var imp finance.PaymentImport
	if !s.Submit(c, f, func(tx *store.Conn) error {
		var err error
		imp, err = tx.SavePaymentFile(ctx, cm.ID, pf, content)
		return err
	}, func(status int) { s.renderPaymentFiles(c, status, cm, sc, f) }) {
		return
	}
	s.Redirect(c, kit.PaymentFileURL(cm.Code, imp.ID), "Filen är läst. Granska hur betalningarna matchats och läs in den om det stämmer.")
}

// paymentFileCommittee reads the committee and the :id of a payment file
// route; a file of another committee is not found.
func (s *Handlers) paymentFileCommittee(c *gin.Context) (domain.Committee, invoiceScope, finance.PaymentImport, error) {
	cm, sc, err := s.invoiceCommittee(c, true)
	if err != nil {
		return cm, sc, finance.PaymentImport{}, err
	}
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	p, err := s.DB.Conn().PaymentImportByID(c.Request.Context(), id)
	if err == nil && p.CommitteeID != cm.ID {
		err = domain.Errorf(domain.ENOTFOUND, "Betalfilen finns inte.")
	}
	return cm, sc, p, err
}

type paymentFileView struct {
	Committee  domain.Committee
	CanWrite   bool
	P          finance.PaymentImportPreview
	Registered int
	Sum        string
	Attention  int
	Form       *kit.Form
}

// paymentFilePage shows a payment file: before it is read in, how each
// payment matches an invoice now; afterwards what it registered.
func (s *Handlers) paymentFilePage(c *gin.Context) {
	cm, sc, p, err := s.paymentFileCommittee(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderPaymentFile(c, http.StatusOK, cm, sc, p, kit.EmptyForm())
}

func (s *Handlers) renderPaymentFile(c *gin.Context, status int, cm domain.Committee, sc invoiceScope, p finance.PaymentImport, f *kit.Form) {
	v, err := s.DB.Conn().PreviewPaymentFile(c.Request.Context(), p.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	n, sum := v.Matching.Registered()
	s.Render(c, status, "payment_file", "Betalfil "+strconv.FormatInt(p.ID, 10)+" – "+p.FileName,
		paymentFileView{Committee: cm, CanWrite: sc.Issue, P: v, Registered: n, Sum: sv.Kronor(sum), Attention: len(v.Matching.Attention()), Form: f})
}

// commitPaymentFile reads a previewed file in: every matched payment is
// registered in one transaction.
func (s *Handlers) commitPaymentFile(c *gin.Context) {
	cm, sc, p, err := s.paymentFileCommittee(c)
	if err == nil && !sc.Issue {
		err = domain.Errorf(domain.EFORBIDDEN, "Bara nämndens ekonom kan läsa in betalfiler.")
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	f := kit.ReadForm(c)
	ctx := c.Request.Context()
	var done finance.PaymentImportPreview
	if !s.Submit(c, f, func(tx *store.Conn) error {
		var err error
		done, err = tx.CommitPaymentFile(ctx, p.ID)
		return err
	}, func(status int) {
		if current, err := s.DB.Conn().PaymentImportByID(ctx, p.ID); err == nil {
			p = current
		}
		s.renderPaymentFile(c, status, cm, sc, p, f)
	}) {
		return
	}
	n, sum := done.Matching.Registered()
	msg := "Betalfilen är inläst: " + sv.Count(n, "betalning", "betalningar") + " på " + sv.Kronor(sum) + " är registrerade."
	if a := len(done.Matching.Attention()); a > 0 {
		msg += " " + sv.Count(a, "betalning", "betalningar") + " behöver hanteras för hand."
	}
	s.Redirect(c, kit.PaymentFileURL(cm.Code, p.ID), msg)
}

// paymentFileDownload gives the file back as it was uploaded.
func (s *Handlers) paymentFileDownload(c *gin.Context) {
	_, _, p, err := s.paymentFileCommittee(c)
	var b []byte
	if err == nil {
		b, err = s.DB.Conn().PaymentImportContent(c.Request.Context(), p.ID)
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	contentType := "text/plain; charset=iso-8859-1"
	if p.Format == finance.PaymentsCamt054 {
		contentType = "application/xml"
	}
	kit.Download(c, contentType, p.FileName, b)
}

// examplePaymentFile is "Exempelfil för demon": while demo mode is on, a
// BgMax file (marked as a test file) that pays every open invoice of the
// committee in full by its OCR number, dated today, to try the import with.
// Outside demo mode it is not found.
func (s *Handlers) examplePaymentFile(c *gin.Context) {
	cm, _, err := s.invoiceCommittee(c, true)
	ctx := c.Request.Context()
	var demo bool
	if err == nil {
		demo, err = s.DB.Conn().DemoUsersActive(ctx)
	}
	if err == nil && !demo {
		err = domain.Errorf(domain.ENOTFOUND, "Exempelfilen finns bara i demoläget.")
	}
	var settings finance.InvoiceSettings
	if err == nil {
		settings, err = s.DB.Conn().InvoiceSettings(ctx, cm.ID)
	}
	var docs []finance.Invoice
	if err == nil {
		docs, err = s.DB.Conn().Invoices(ctx, finance.InvoiceFilter{CommitteeID: cm.ID})
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	today := s.Today()
	b := app.ExamplePaymentFile(settings.Bankgiro, docs, today, s.DB.Now())
	kit.Download(c, "text/plain; charset=iso-8859-1", "bgmax-exempel-"+cm.Code+"-"+today.String()+".txt", b)
}
