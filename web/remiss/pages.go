package remiss

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

// newRemissView is the form that sends a case on remiss, and its confirm
// step (Confirm set: the choices are shown to check, then sent).
type newRemissView struct {
	Committee domain.Committee
	Case      domain.Case
	CaseURL   string
	Parties   []domain.MemberParty
	Documents []domain.CaseDocument
	// Chosen are the ids of the parties and documents ticked.
	Chosen  map[int64]bool
	ChosenD map[int64]bool
	Form    *kit.Form
	Confirm bool
	Remiss  domain.Remiss
}

// IsChosen reports whether the party is ticked.
func (v newRemissView) IsChosen(id int64) bool { return v.Chosen[id] }

// IsChosenDoc reports whether the document is ticked.
func (v newRemissView) IsChosenDoc(id int64) bool { return v.ChosenD[id] }

// newRemissForm shows the form: every party and every document ticked.
func (s *Handlers) newRemissForm(c *gin.Context) {
	cm, k, err := s.writableCase(c)
	if err == nil && k.Closed() {
		err = domain.Errorf(domain.ECONFLICT, "Ärendet %s är avslutat och kan inte skickas på remiss. Återöppna det först.", k.Number)
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	parties, docs, err := s.partiesAndDocuments(c, cm, k)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := newRemissView{Committee: cm, Case: k, CaseURL: kit.CaseURL(k.Number), Parties: parties, Documents: docs,
		Chosen: map[int64]bool{}, ChosenD: map[int64]bool{}, Form: kit.EmptyForm()}
	for _, p := range parties {
		v.Chosen[p.ID] = true
	}
	for _, d := range docs {
		v.ChosenD[d.ID] = true
	}
	v.Form.Default("last_day", s.Today().AddDays(42).String())
	s.Render(c, http.StatusOK, "remiss_new", "Skicka "+k.Number.String()+" på remiss", v)
}

// remissForm is the form's text fields; the parties and documents come as
// the repeated fields "party" and "document".
type remissForm struct {
	Parties   []string `form:"party"`
	Documents []string `form:"document"`
	Question  string   `form:"question"`
	Subject   string   `form:"subject"`
	LastDay   string   `form:"last_day"`
	Confirm   string   `form:"confirm"`
}

// sendRemiss checks the form and shows the confirm step; confirmed, it
// sends the remiss and its mails in one transaction.
func (s *Handlers) sendRemiss(c *gin.Context) {
	cm, k, err := s.writableCase(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	parties, docs, err := s.partiesAndDocuments(c, cm, k)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in remissForm
	f := kit.Bind(c, &in)
	v := newRemissView{Committee: cm, Case: k, CaseURL: kit.CaseURL(k.Number), Parties: parties, Documents: docs,
		Chosen: map[int64]bool{}, ChosenD: map[int64]bool{}, Form: f}
	partyIDs, err := ids(in.Parties, "parties")
	f.Fail(err)
	docIDs, err := ids(in.Documents, "documents")
	f.Fail(err)
	for _, id := range partyIDs {
		v.Chosen[id] = true
	}
	for _, id := range docIDs {
		v.ChosenD[id] = true
	}
	r, err := remissRequest(in.Question, in.Subject, in.LastDay, partyIDs, docIDs)
	f.Fail(err)
	if f.OK() {
		f.Fail(domain.CheckRemiss(&r, s.Today()))
	}
	rerender := func(status int) { s.Render(c, status, "remiss_new", "Skicka "+k.Number.String()+" på remiss", v) }
	if f.OK() && in.Confirm != "ja" {
		// The confirm step: what will be sent, to whom.
		v.Confirm = true
		r.CaseNumber, r.CaseTitle = k.Number, k.Title
		for i, p := range r.Parties {
			if j := slices.IndexFunc(parties, func(x domain.MemberParty) bool { return x.ID == p.PartyID }); j >= 0 {
				r.Parties[i].PartyName = parties[j].Name
			}
		}
		for i, d := range r.Documents {
			if j := slices.IndexFunc(docs, func(x domain.CaseDocument) bool { return x.ID == d.ID }); j >= 0 {
				r.Documents[i] = docs[j]
			}
		}
		v.Remiss = r
		rerender(http.StatusOK)
		return
	}
	var sent domain.Remiss
	var mails int
	saved := s.Submit(c, f, func(tx *store.Conn) error {
		var err error
		sent, mails, err = s.send(c, tx, cm, k, r)
		return err
	}, rerender)
	if saved {
		s.Redirect(c, kit.RemissURL(sent.ID), "Remissen är skickad till "+strconv.Itoa(len(sent.Parties))+" parter. "+
			s.MailNotice(mails, "parternas kontaktpersoner och representanter"))
	}
}

// remissView is a remiss's page.
type remissView struct {
	Committee domain.Committee
	Remiss    domain.Remiss
	CaseURL   string
	Today     domain.Date
	Open      bool
	Rows      []answerRow
	// CanWrite: the secretariat, who edits the summary and may register
	// any party's answer; AnswerFor lists the parties the user may answer
	// for (a representative: its own).
	CanWrite    bool
	AnswerFor   []domain.RemissParty
	Positions   []domain.RemissPosition
	AnswerForm  *kit.Form
	SummaryForm *kit.Form
	Draft       string
	Allowed     string
}

// answerRow is one party's line of the table, with the earlier versions of
// its answer.
type answerRow struct {
	Party   domain.RemissParty
	Status  string
	History []domain.RemissAnswer
}

// DocURL is a case document's address.
func (v remissView) DocURL(d domain.CaseDocument) string {
	return v.CaseURL + "/handlingar/" + strconv.FormatInt(d.ID, 10)
}

// remissPage shows the remiss: the question, the documents, every party's
// answer (or "ej svarat"), the answer form and the summary.
func (s *Handlers) remissPage(c *gin.Context) {
	cm, r, err := s.readableRemiss(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderRemiss(c, http.StatusOK, cm, r, nil, nil)
}

func (s *Handlers) renderRemiss(c *gin.Context, status int, cm domain.Committee, r domain.Remiss, answerForm, summaryForm *kit.Form) {
	ctx := c.Request.Context()
	today := s.Today()
	v := remissView{Committee: cm, Remiss: r, CaseURL: kit.CaseURL(r.CaseNumber), Today: today, Open: r.Open(today),
		CanWrite: mayWrite(c, cm), Positions: domain.RemissPositions, AnswerForm: answerForm, SummaryForm: summaryForm,
		Draft: r.DraftSummary(), Allowed: domain.AllowedDocumentTypes}
	for _, p := range r.Parties {
		row := answerRow{Party: p, Status: p.Status(r, today)}
		if p.Answer != nil && p.Answer.Version > 1 {
			all, err := s.DB.Conn().RemissHistory(ctx, r.ID, p.PartyID)
			if err != nil {
				s.Fail(c, err)
				return
			}
			row.History = all[:len(all)-1]
		}
		v.Rows = append(v.Rows, row)
	}
	own := kit.CurrentUser(c).PartyIn(cm.ID)
	for _, p := range r.Parties {
		if v.CanWrite || p.PartyID == own {
			v.AnswerFor = append(v.AnswerFor, p)
		}
	}
	if v.AnswerForm == nil {
		v.AnswerForm = kit.EmptyForm()
		if len(v.AnswerFor) == 1 && v.AnswerFor[0].Answer != nil {
			a := v.AnswerFor[0].Answer
			v.AnswerForm.Default("position", string(a.Position))
			v.AnswerForm.Default("comments", a.Comments)
			v.AnswerForm.Default("decision_body", a.DecisionBody)
			v.AnswerForm.Default("decision_paragraph", a.DecisionParagraph)
			if !a.DecisionDate.IsZero() {
				v.AnswerForm.Default("decision_date", a.DecisionDate.String())
			}
		}
	}
	if v.SummaryForm == nil {
		v.SummaryForm = kit.EmptyForm()
		text := r.Summary
		if text == "" {
			text = v.Draft
		}
		v.SummaryForm.Default("summary", text)
	}
	s.Render(c, status, "remiss", "Remiss: "+r.CaseTitle+" ("+r.CaseNumber.String()+")", v)
}

// answer records a party's answer from the page's form, with an optional
// document.
func (s *Handlers) answer(c *gin.Context) {
	kit.LimitUpload(c)
	cm, r, err := s.readableRemiss(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in answerInput
	f := kit.Bind(c, &in)
	want, err := partyID(in.Party)
	if err != nil {
		f.Fail(err)
	}
	party, staff, err := answeringParty(c, cm, r, want)
	if domain.ErrorCode(err) == domain.EFORBIDDEN {
		s.Fail(c, err)
		return
	}
	f.Fail(err)
	a, err := in.answer(staff)
	f.Fail(err)
	var name string
	var content []byte
	if f.OK() {
		_, h, ferr := c.Request.FormFile("file")
		noFile := errors.Is(ferr, http.ErrMissingFile) || errors.Is(ferr, http.ErrNotMultipart) || (ferr == nil && h.Size == 0)
		if !noFile {
			name, content, err = kit.ReadUpload(c)
			f.Fail(err)
		}
	}
	var saved domain.RemissAnswer
	ok := s.Submit(c, f, func(tx *store.Conn) error {
		var err error
		saved, err = s.record(c, tx, r, party, a, in.Title, name, content)
		return err
	}, func(status int) { s.renderRemiss(c, status, cm, r, f, nil) })
	if ok {
		s.Redirect(c, kit.RemissURL(r.ID)+"#svar", savedMessage(saved, r))
	}
}

// summaryForm is the secretariat's summary of the answers.
type summaryForm struct {
	Summary string `form:"summary"`
}

// saveSummary saves the secretariat's summary.
func (s *Handlers) saveSummary(c *gin.Context) {
	cm, r, err := s.readableRemiss(c)
	if err == nil && !mayWrite(c, cm) {
		err = errMayNotSend
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in summaryForm
	f := kit.Bind(c, &in)
	saved := s.Submit(c, f, func(tx *store.Conn) error {
		_, err := tx.SetRemissSummary(c.Request.Context(), r.ID, in.Summary)
		return err
	}, func(status int) { s.renderRemiss(c, status, cm, r, nil, f) })
	if saved {
		s.Redirect(c, kit.RemissURL(r.ID)+"#sammanfattning", "Sammanfattningen är sparad. Den hämtas till paragrafens sammanfattning när paragrafen för ärendet skrivs.")
	}
}
