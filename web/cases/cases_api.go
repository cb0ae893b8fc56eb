package cases

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

// caseJSON is a case as the API shows it.
type caseJSON struct {
	Number       string            `json:"number"`
	Committee    string            `json:"committee"`
	Year         int               `json:"year"`
	Seq          int               `json:"seq"`
	Title        string            `json:"title"`
	Description  string            `json:"description"`
	Status       domain.CaseStatus `json:"status"`
	StatusLabel  string            `json:"status_label"`
	Handler      *caseHandlerJSON  `json:"handler"`
	RegisteredOn domain.Date       `json:"registered_on"`
	Imported     bool              `json:"imported"`
	CreatedAt    time.Time         `json:"created_at"`
	UpdatedAt    time.Time         `json:"updated_at"`
	ClosedAt     *time.Time        `json:"closed_at"`
	URL          string            `json:"url"`
	APIURL       string            `json:"api_url"`
}

type caseHandlerJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// caseDetailJSON is one case with its documents, links and timeline.
type caseDetailJSON struct {
	caseJSON
	Documents []caseDocumentJSON `json:"documents"`
	Links     []caseJSON         `json:"links"`
	Events    []caseEventJSON    `json:"events"`
}

type caseDocumentJSON struct {
	ID          int64                   `json:"id"`
	Kind        domain.CaseDocumentKind `json:"kind"`
	KindLabel   string                  `json:"kind_label"`
	Title       string                  `json:"title"`
	FileName    string                  `json:"file_name"`
	ContentType string                  `json:"content_type"`
	Size        int64                   `json:"size"`
	SHA256      string                  `json:"sha256"`
	UploadedBy  string                  `json:"uploaded_by"`
	UploadedAt  time.Time               `json:"uploaded_at"`
	URL         string                  `json:"url"`
}

type caseEventJSON struct {
	At         time.Time            `json:"at"`
	Actor      string               `json:"actor"`
	Kind       domain.CaseEventKind `json:"kind"`
	Label      string               `json:"label"`
	FromStatus domain.CaseStatus    `json:"from_status,omitempty"`
	ToStatus   domain.CaseStatus    `json:"to_status,omitempty"`
	DocumentID int64                `json:"document_id,omitempty"`
	Related    string               `json:"related_case,omitempty"`
	Note       string               `json:"note,omitempty"`
}

func toCaseJSON(k domain.Case) caseJSON {
	out := caseJSON{
		Number: k.Number.String(), Committee: k.Number.Prefix, Year: k.Number.Year, Seq: k.Number.Seq,
		Title: k.Title, Description: k.Description, Status: k.Status, StatusLabel: k.Status.Label(),
		RegisteredOn: k.RegisteredOn, Imported: k.Imported, CreatedAt: k.CreatedAt, UpdatedAt: k.UpdatedAt,
		URL: kit.CaseURL(k.Number), APIURL: kit.CaseAPIURL(k.Number),
	}
	if k.HandlerID != 0 {
		out.Handler = &caseHandlerJSON{ID: k.HandlerID, Name: k.HandlerName}
	}
	if !k.ClosedAt.IsZero() {
		t := k.ClosedAt
		out.ClosedAt = &t
	}
	return out
}

func toCaseDocumentJSON(k domain.Case, d domain.CaseDocument) caseDocumentJSON {
	return caseDocumentJSON{ID: d.ID, Kind: d.Kind, KindLabel: d.Kind.Label(), Title: d.Title, FileName: d.FileName,
		ContentType: d.ContentType, Size: d.Size, SHA256: d.SHA256, UploadedBy: d.UploadedBy, UploadedAt: d.UploadedAt,
		URL: kit.CaseAPIURL(k.Number) + "/documents/" + strconv.FormatInt(d.ID, 10)}
}

// caseChange reads the case a change request is for, checking that the user
// may change it, and decodes the request's JSON body into body.
func (s *Handlers) caseChange(c *gin.Context, body any, emptyOK bool) (domain.Case, error) {
	_, k, err := s.writableCase(c)
	if err == nil {
		err = kit.ReadJSON(c, body, emptyOK)
	}
	if err != nil {
		return domain.Case{}, err
	}
	return k, nil
}

// apiCases answers GET /api/v1/committees/{code}/cases: one page of the
// committee's cases, newest first, with the same filters as the list page.
func (s *Handlers) apiCases(c *gin.Context) {
	cm, err := s.ReadableCommittee(c, c.Param("code"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	f, err := caseFilter(c, cm, apiCaseQuery)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > domain.MaxCasePage {
			s.Fail(c, domain.FieldErrorf("limit", "limit ska vara ett heltal från 1 till %d.", domain.MaxCasePage))
			return
		}
		f.Limit = n
	}
	page, err := s.DB.Conn().ListCases(c.Request.Context(), f)
	if err != nil {
		s.Fail(c, err)
		return
	}
	out := make([]caseJSON, len(page.Cases))
	for i, k := range page.Cases {
		out[i] = toCaseJSON(k)
	}
	cursor := func(cc domain.CaseCursor) *string {
		if cc.IsZero() {
			return nil
		}
		s := cc.String()
		return &s
	}
	c.JSON(http.StatusOK, gin.H{"cases": out, "total": page.Total, "more": page.More,
		"after": cursor(page.Older), "before": cursor(page.Newer)})
}

// caseRequestJSON is the body that registers a case, or changes one (where
// absent fields stay as they are).
type caseRequestJSON struct {
	Title       *string `json:"title"`
	Description *string `json:"description"`
	HandlerID   *int64  `json:"handler_id"`
	// Number registers a case from an older register under its own number.
	Number string `json:"number"`
}

// apiRegisterCase answers POST /api/v1/committees/{code}/cases: it registers
// a case and answers 201 with it.
func (s *Handlers) apiRegisterCase(c *gin.Context) {
	cm, err := s.writableCommittee(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var body caseRequestJSON
	if err := kit.ReadJSON(c, &body, false); err != nil {
		s.Fail(c, err)
		return
	}
	draft := domain.Case{Title: deref(body.Title), Description: deref(body.Description)}
	if body.HandlerID != nil {
		draft.HandlerID = *body.HandlerID
	}
	draft, err = s.caseDraft(draft, strings.TrimSpace(body.Number))
	var k domain.Case
	if err == nil {
		err = s.InTx(c, func(tx *store.Conn) error {
			var err error
			k, err = s.registerDraft(c, tx, cm, draft)
			return err
		})
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Location", kit.CaseAPIURL(k.Number))
	s.answerCase(c, http.StatusCreated, k)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// answerCase answers with a case and its documents, links and timeline.
func (s *Handlers) answerCase(c *gin.Context, status int, k domain.Case) {
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	docs, err := conn.CaseDocuments(ctx, k.ID)
	var links []domain.Case
	var events []domain.CaseEvent
	if err == nil {
		links, err = conn.CaseLinks(ctx, k.ID)
	}
	if err == nil {
		events, err = conn.CaseEvents(ctx, k.ID)
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	out := caseDetailJSON{caseJSON: toCaseJSON(k), Documents: []caseDocumentJSON{}, Links: []caseJSON{}, Events: []caseEventJSON{}}
	for _, d := range docs {
		out.Documents = append(out.Documents, toCaseDocumentJSON(k, d))
	}
	for _, l := range links {
		out.Links = append(out.Links, toCaseJSON(l))
	}
	for _, e := range events {
		ej := caseEventJSON{At: e.At, Actor: e.Actor, Kind: e.Kind, Label: e.Kind.Label(), FromStatus: e.FromStatus,
			ToStatus: e.ToStatus, DocumentID: e.DocumentID, Note: e.Note}
		if !e.Related.IsZero() {
			ej.Related = e.Related.String()
		}
		out.Events = append(out.Events, ej)
	}
	c.JSON(status, out)
}

// apiCase answers GET /api/v1/cases/{prefix}/{seq}/{year}.
func (s *Handlers) apiCase(c *gin.Context) {
	_, k, err := s.caseFromPath(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.answerCase(c, http.StatusOK, k)
}

// apiUpdateCase answers POST /api/v1/cases/{prefix}/{seq}/{year}: it changes
// the fields given (title, description, handler_id; 0 removes the handler).
func (s *Handlers) apiUpdateCase(c *gin.Context) {
	var body caseRequestJSON
	k, err := s.caseChange(c, &body, false)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if body.Number != "" {
		s.Fail(c, domain.FieldErrorf("number", "Diarienumret kan inte ändras."))
		return
	}
	title, description, handler := k.Title, k.Description, k.HandlerID
	if body.Title != nil {
		title = *body.Title
	}
	if body.Description != nil {
		description = *body.Description
	}
	if body.HandlerID != nil {
		handler = *body.HandlerID
	}
	err = s.InTx(c, func(tx *store.Conn) error {
		var err error
		k, err = tx.UpdateCase(c.Request.Context(), k.ID, title, description, handler)
		return err
	})
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.answerCase(c, http.StatusOK, k)
}

// caseNoteJSON is the body of a status change, closing or reopening.
type caseNoteJSON struct {
	Status string `json:"status"`
	Note   string `json:"note"`
}

// apiSetCaseStatus answers POST .../status with {"status": ..., "note": ...}.
func (s *Handlers) apiSetCaseStatus(c *gin.Context) {
	var body caseNoteJSON
	k, err := s.caseChange(c, &body, false)
	if err != nil {
		s.Fail(c, err)
		return
	}
	st, err := domain.ParseCaseStatus(body.Status)
	if err == nil {
		err = s.InTx(c, func(tx *store.Conn) error {
			k, err = tx.SetCaseStatus(c.Request.Context(), k.ID, st, body.Note)
			return err
		})
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.answerCase(c, http.StatusOK, k)
}

// apiCloseOrReopenCase answers POST .../close and .../reopen, with an
// optional body {"note": ...}.
func (s *Handlers) apiCloseOrReopenCase(closing bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		var body caseNoteJSON
		k, err := s.caseChange(c, &body, true)
		if err != nil {
			s.Fail(c, err)
			return
		}
		if body.Status != "" {
			s.Fail(c, domain.FieldErrorf("status", "Ange bara note här; status sätts med .../status."))
			return
		}
		if err := s.InTx(c, func(tx *store.Conn) error { return closeOrReopen(c, tx, k, closing, body.Note) }); err != nil {
			s.Fail(c, err)
			return
		}
		k, err = s.DB.Conn().CaseByID(c.Request.Context(), k.ID)
		if err != nil {
			s.Fail(c, err)
			return
		}
		s.answerCase(c, http.StatusOK, k)
	}
}

// apiUploadCaseDocument answers POST .../documents, a multipart form with
// file, kind and an optional title; 201 with the document.
func (s *Handlers) apiUploadCaseDocument(c *gin.Context) {
	kit.LimitUpload(c)
	_, k, err := s.writableCase(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in documentForm
	f := kit.Bind(c, &in)
	name, content, err := readCaseDocument(c, k)
	if err == nil {
		err = formError(f, kit.FieldNames(&in))
	}
	var d domain.CaseDocument
	if err == nil {
		err = s.InTx(c, func(tx *store.Conn) error {
			var err error
			d, err = fileCaseDocument(c, tx, k, in.Kind, in.Title, name, content)
			return err
		})
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Location", toCaseDocumentJSON(k, d).URL)
	c.JSON(http.StatusCreated, toCaseDocumentJSON(k, d))
}

// apiLinkCase answers POST .../links with {"case": "GNS/8/2019"}; 201 with
// the linked case.
func (s *Handlers) apiLinkCase(c *gin.Context) {
	var body struct {
		Case string `json:"case"`
	}
	k, err := s.caseChange(c, &body, false)
	if err != nil {
		s.Fail(c, err)
		return
	}
	n, err := linkedNumber(body.Case)
	var other domain.Case
	if err == nil {
		err = s.InTx(c, func(tx *store.Conn) error {
			var err error
			other, err = tx.AddCaseLink(c.Request.Context(), k.ID, n)
			return err
		})
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toCaseJSON(other))
}

// formError is the first error on f among its fields, in their order, as an
// error about that field for the API to answer with; nil when f has none.
func formError(f *kit.Form, fields []string) error {
	for _, name := range fields {
		if msg, ok := f.Errors[name]; ok {
			return domain.FieldErrorf(name, "%s", msg)
		}
	}
	return nil
}
