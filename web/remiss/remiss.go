// Package remiss serves remisser: the secretariat sends a case to chosen
// parties with its documents, a question and a last day (with a confirm
// step); each party's representative answers on the remiss's page; the
// secretariat edits the summary drafted from the answers. Also the remiss
// API.
package remiss

import (
	"embed"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/app"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

//go:embed templates/*.html
var templateFS embed.FS

// Handlers serve the area's pages and API on the shared Kit.
type Handlers struct {
	*kit.Kit
}

// Register adds the area's templates and routes to k.
func Register(k *kit.Kit) (*Handlers, error) {
	if err := k.AddPages(templateFS, nil); err != nil {
		return nil, err
	}
	s := &Handlers{Kit: k}
	s.routes()
	return s, nil
}

var (
	// senders send cases on remiss and edit the summary: the secretariat
	// (narrowed to the case's committee by domain.CanWriteCases) and admin.
	senders = kit.Roles(domain.CaseWriters...)
	// answerers answer a remiss: a party's representative for its own
	// party, and the secretariat (and admin) registering an answer that
	// came in by post or mail, for any party it was sent to.
	answerers = kit.Roles(append([]domain.Role{domain.RoleParty}, domain.CaseWriters...)...)
)

func (s *Handlers) routes() {
	s.Handle("GET", "/arenden/:prefix/:seq/:year/remiss", senders, s.newRemissForm)
	s.Handle("POST", "/arenden/:prefix/:seq/:year/remiss", senders, s.sendRemiss)
	s.Handle("GET", "/remisser/:id", kit.LoggedIn, s.remissPage)
	s.Handle("POST", "/remisser/:id/svar", answerers, s.answer)
	s.Handle("POST", "/remisser/:id/sammanfattning", senders, s.saveSummary)

	s.Handle("POST", "/api/v1/cases/:prefix/:seq/:year/remiss", senders, s.apiCreate)
	s.Handle("GET", "/api/v1/remisser/:id", kit.LoggedIn, s.apiRemiss)
	s.Handle("POST", "/api/v1/remisser/:id/answers", answerers, s.apiAnswer)
}

var errMayNotSend = domain.Errorf(domain.EFORBIDDEN, "Bara nämndens sekretariat kan skicka ärenden på remiss och redigera sammanfattningen.")

// mayWrite is domain.CanWriteCases for the request's user.
func mayWrite(c *gin.Context, cm domain.Committee) bool {
	u := kit.CurrentUser(c)
	return u != nil && domain.CanWriteCases(*u, cm)
}

// writableCase reads the route's case for sending it on remiss.
func (s *Handlers) writableCase(c *gin.Context) (domain.Committee, domain.Case, error) {
	cm, k, err := s.ReadableCase(c)
	if err == nil && !mayWrite(c, cm) {
		err = errMayNotSend
	}
	return cm, k, err
}

// readableRemiss reads the route's :id as a remiss of a committee the user
// has a role in; any other is not found.
func (s *Handlers) readableRemiss(c *gin.Context) (domain.Committee, domain.Remiss, error) {
	id, err := kit.PathID(c, "id")
	if err != nil {
		return domain.Committee{}, domain.Remiss{}, err
	}
	ctx := c.Request.Context()
	r, err := s.DB.Conn().Remiss(ctx, id)
	if err != nil {
		return domain.Committee{}, domain.Remiss{}, err
	}
	cm, err := s.DB.Conn().CommitteeByID(ctx, r.CommitteeID)
	if err == nil {
		cm, err = s.ReadableCommittee(c, cm.Code)
	}
	if err != nil {
		return domain.Committee{}, domain.Remiss{}, domain.Errorf(domain.ENOTFOUND, "Remissen finns inte.")
	}
	return cm, r, nil
}

// answeringParty decides which party the user answers for: a party's
// representative only for its own party, the secretariat for any. want is
// the party asked for (0: the user's own). receivedOn is kept only from the
// secretariat: a representative's answer comes in the day it is given.
func answeringParty(c *gin.Context, cm domain.Committee, r domain.Remiss, want int64) (int64, bool, error) {
	u := kit.CurrentUser(c)
	staff := mayWrite(c, cm)
	own := u.PartyIn(cm.ID)
	switch {
	case staff && want == 0 && own == 0:
		return 0, true, domain.FieldErrorf("party", "Välj vilken part svaret kommer från.")
	case staff && want != 0:
		return want, true, nil
	case own == 0:
		return 0, false, domain.Errorf(domain.EFORBIDDEN, "Bara parternas representanter och nämndens sekretariat kan lämna remissvar.")
	case want != 0 && want != own:
		return 0, false, domain.Errorf(domain.EFORBIDDEN, "Du kan bara svara för den part du företräder.")
	}
	if _, ok := r.Party(own); !ok {
		return 0, false, domain.Errorf(domain.EFORBIDDEN, "Remissen är inte skickad till den part du företräder.")
	}
	return own, false, nil
}

// partiesAndDocuments are the choices of the remiss form: the committee's
// parties today and the case's documents.
func (s *Handlers) partiesAndDocuments(c *gin.Context, cm domain.Committee, k domain.Case) ([]domain.MemberParty, []domain.CaseDocument, error) {
	ctx := c.Request.Context()
	parties, err := s.DB.Conn().CommitteePartiesOn(ctx, cm.ID, s.Today())
	if err != nil {
		return nil, nil, err
	}
	docs, err := s.DB.Conn().CaseDocuments(ctx, k.ID)
	return parties, docs, err
}

// remissRequest reads the parties and documents chosen (by id) into a
// remiss with the question, subject and last day; bad ids are field errors.
func remissRequest(question, subject, lastDay string, parties, documents []int64) (domain.Remiss, error) {
	r := domain.Remiss{Question: question, Subject: subject}
	if strings.TrimSpace(lastDay) != "" {
		d, err := domain.ParseDate(strings.TrimSpace(lastDay))
		if err != nil {
			return r, domain.FieldErrorf("last_day", "Ange sista svarsdag som ÅÅÅÅ-MM-DD, t.ex. 2021-03-31.")
		}
		r.LastDay = d
	}
	for _, id := range parties {
		r.Parties = append(r.Parties, domain.RemissParty{PartyID: id})
	}
	for _, id := range documents {
		r.Documents = append(r.Documents, domain.CaseDocument{ID: id})
	}
	return r, nil
}

// ids reads the form's values of name as ids; one that is not an id is a
// field error.
func ids(values []string, name string) ([]int64, error) {
	var out []int64
	for _, v := range values {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || id < 1 {
			return nil, domain.FieldErrorf(name, "Okänt val %q.", v)
		}
		out = append(out, id)
	}
	return out, nil
}

// send sends the remiss in one transaction with its mails.
func (s *Handlers) send(c *gin.Context, tx *store.Conn, cm domain.Committee, k domain.Case, r domain.Remiss) (domain.Remiss, int, error) {
	return app.SendRemiss(c.Request.Context(), tx, cm, k.ID, r, s.Today(), s.BaseURL)
}

// answerInput is a party's answer as a form or the API gives it.
type answerInput struct {
	Party             string `form:"party" json:"-"`
	Position          string `form:"position" json:"position"`
	Comments          string `form:"comments" json:"comments"`
	DecisionBody      string `form:"decision_body" json:"decision_body"`
	DecisionDate      string `form:"decision_date" json:"decision_date"`
	DecisionParagraph string `form:"decision_paragraph" json:"decision_paragraph"`
	ReceivedOn        string `form:"received_on" json:"received_on"`
	Title             string `form:"title" json:"-"`
}

// answer reads the input as an answer; dates are field errors.
func (in answerInput) answer(staff bool) (domain.RemissAnswer, error) {
	a := domain.RemissAnswer{Position: domain.RemissPosition(strings.TrimSpace(in.Position)), Comments: in.Comments,
		DecisionBody: in.DecisionBody, DecisionParagraph: in.DecisionParagraph}
	if _, err := domain.ParseRemissPosition(in.Position); err != nil {
		return a, err
	}
	if v := strings.TrimSpace(in.DecisionDate); v != "" {
		d, err := domain.ParseDate(v)
		if err != nil {
			return a, domain.FieldErrorf("decision_date", "Ange beslutsdagen som ÅÅÅÅ-MM-DD.")
		}
		a.DecisionDate = d
	}
	if v := strings.TrimSpace(in.ReceivedOn); v != "" && staff {
		d, err := domain.ParseDate(v)
		if err != nil {
			return a, domain.FieldErrorf("received_on", "Ange dagen svaret kom in som ÅÅÅÅ-MM-DD.")
		}
		a.ReceivedOn = d
	}
	return a, nil
}

// record files an answer's document (when there is one) in the case and
// records the answer, in tx.
func (s *Handlers) record(c *gin.Context, tx *store.Conn, r domain.Remiss, party int64, a domain.RemissAnswer, title, fileName string, content []byte) (domain.RemissAnswer, error) {
	ctx := c.Request.Context()
	var docs []int64
	if len(content) > 0 {
		p, _ := r.Party(party)
		if strings.TrimSpace(title) == "" {
			title = "Remissvar från " + p.PartyName
		}
		d, err := tx.AddCaseDocument(ctx, r.CaseID, domain.CaseDocument{Kind: domain.CaseDocumentAttachment, Title: title, FileName: fileName}, content)
		if err != nil {
			return domain.RemissAnswer{}, err
		}
		docs = append(docs, d.ID)
	}
	return tx.AnswerRemiss(ctx, r.ID, party, a, docs, s.Today())
}

// savedMessage tells the user what happened to the answer.
func savedMessage(a domain.RemissAnswer, r domain.Remiss) string {
	msg := "Svaret är lämnat: " + a.Position.Label() + "."
	if a.Version > 1 {
		msg = "Svaret är ändrat: " + a.Position.Label() + ". Det tidigare svaret finns kvar i historiken."
	}
	return msg + " Det kan ändras till och med " + r.LastDay.String() + "."
}

// partyID reads a party id from a form or the API; empty is 0.
func partyID(v string) (int64, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 1 {
		return 0, domain.FieldErrorf("party", "Välj en av de parter remissen är skickad till.")
	}
	return id, nil
}

// statusOK is the status of a page shown after a successful read.
const statusOK = http.StatusOK
