package remiss

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

// remissJSON is a remiss as the API shows it: every party it was sent to
// with its answer, or its status ("inväntar svar" while open, "ej svarat"
// after the last day).
type remissJSON struct {
	ID           int64             `json:"id"`
	Case         string            `json:"case"`
	CaseTitle    string            `json:"case_title"`
	Question     string            `json:"question"`
	Subject      string            `json:"subject"`
	SentOn       domain.Date       `json:"sent_on"`
	LastDay      domain.Date       `json:"last_day"`
	Open         bool              `json:"open"`
	Summary      string            `json:"summary"`
	DraftSummary string            `json:"draft_summary"`
	Documents    []documentJSON    `json:"documents"`
	Parties      []remissPartyJSON `json:"parties"`
	URL          string            `json:"url"`
}

type documentJSON struct {
	ID       int64  `json:"id"`
	Title    string `json:"title"`
	FileName string `json:"file_name"`
	URL      string `json:"url"`
}

type remissPartyJSON struct {
	Party  string      `json:"party"`
	Name   string      `json:"name"`
	Status string      `json:"status"`
	Answer *answerJSON `json:"answer"`
}

type answerJSON struct {
	Version           int            `json:"version"`
	Position          string         `json:"position"`
	PositionLabel     string         `json:"position_label"`
	Comments          string         `json:"comments"`
	DecisionBody      string         `json:"decision_body"`
	DecisionDate      *domain.Date   `json:"decision_date"`
	DecisionParagraph string         `json:"decision_paragraph"`
	ReceivedOn        domain.Date    `json:"received_on"`
	AnsweredAt        time.Time      `json:"answered_at"`
	Documents         []documentJSON `json:"documents"`
}

func toDocumentJSON(r domain.Remiss, d domain.CaseDocument) documentJSON {
	return documentJSON{ID: d.ID, Title: d.Title, FileName: d.FileName,
		URL: kit.CaseAPIURL(r.CaseNumber) + "/documents/" + strconv.FormatInt(d.ID, 10)}
}

func toRemissJSON(r domain.Remiss, today domain.Date) remissJSON {
	out := remissJSON{ID: r.ID, Case: r.CaseNumber.String(), CaseTitle: r.CaseTitle, Question: r.Question, Subject: r.Subject,
		SentOn: r.SentOn, LastDay: r.LastDay, Open: r.Open(today), Summary: r.Summary, DraftSummary: r.DraftSummary(),
		Documents: []documentJSON{}, Parties: []remissPartyJSON{}, URL: kit.RemissURL(r.ID)}
	for _, d := range r.Documents {
		out.Documents = append(out.Documents, toDocumentJSON(r, d))
	}
	for _, p := range r.Parties {
		pj := remissPartyJSON{Party: p.PartySlug, Name: p.PartyName, Status: p.Status(r, today)}
		if a := p.Answer; a != nil {
			aj := &answerJSON{Version: a.Version, Position: string(a.Position), PositionLabel: a.Position.Label(), Comments: a.Comments,
				DecisionBody: a.DecisionBody, DecisionParagraph: a.DecisionParagraph, ReceivedOn: a.ReceivedOn,
				AnsweredAt: a.AnsweredAt, Documents: []documentJSON{}}
			if !a.DecisionDate.IsZero() {
				d := a.DecisionDate
				aj.DecisionDate = &d
			}
			for _, d := range a.Documents {
				aj.Documents = append(aj.Documents, toDocumentJSON(r, d))
			}
			pj.Answer = aj
		}
		out.Parties = append(out.Parties, pj)
	}
	return out
}

// createJSON is the body that sends a case on remiss. Parties are slugs,
// documents the case's document ids; absent, every party of the committee
// and every document of the case.
type createJSON struct {
	Question  string    `json:"question"`
	Subject   string    `json:"subject"`
	LastDay   string    `json:"last_day"`
	Parties   *[]string `json:"parties"`
	Documents *[]int64  `json:"documents"`
}

// apiCreate answers POST /api/v1/cases/{prefix}/{seq}/{year}/remiss: it
// sends the case on remiss (with the mails) and answers 201 with it.
func (s *Handlers) apiCreate(c *gin.Context) {
	cm, k, err := s.writableCase(c)
	var body createJSON
	if err == nil {
		err = kit.ReadJSON(c, &body, false)
	}
	var parties []domain.MemberParty
	var docs []domain.CaseDocument
	if err == nil {
		parties, docs, err = s.partiesAndDocuments(c, cm, k)
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	var partyIDs, docIDs []int64
	if body.Parties == nil {
		for _, p := range parties {
			partyIDs = append(partyIDs, p.ID)
		}
	} else {
		for _, slug := range *body.Parties {
			i := -1
			for j, p := range parties {
				if p.Slug == strings.TrimSpace(slug) {
					i = j
				}
			}
			if i < 0 {
				s.Fail(c, domain.FieldErrorf("parties", "%q är inte en part i nämnden %s i dag.", slug, cm.Code))
				return
			}
			partyIDs = append(partyIDs, parties[i].ID)
		}
	}
	if body.Documents == nil {
		for _, d := range docs {
			docIDs = append(docIDs, d.ID)
		}
	} else {
		docIDs = *body.Documents
	}
	r, err := remissRequest(body.Question, body.Subject, body.LastDay, partyIDs, docIDs)
	var sent domain.Remiss
	if err == nil {
		err = s.InTx(c, func(tx *store.Conn) error {
			var err error
			sent, _, err = s.send(c, tx, cm, k, r)
			return err
		})
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/remisser/"+strconv.FormatInt(sent.ID, 10))
	c.JSON(http.StatusCreated, toRemissJSON(sent, s.Today()))
}

// apiRemiss answers GET /api/v1/remisser/{id}.
func (s *Handlers) apiRemiss(c *gin.Context) {
	_, r, err := s.readableRemiss(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.JSON(statusOK, toRemissJSON(r, s.Today()))
}

// answerBodyJSON is a party's answer in the API; party is the slug (a
// representative may leave it out: its own party).
type answerBodyJSON struct {
	Party string `json:"party"`
	answerInput
}

// apiAnswer answers POST /api/v1/remisser/{id}/answers: a party's answer
// (a representative only for its own party; the secretariat for any), a
// change of an earlier one until the last day. It answers 201 with the
// remiss.
func (s *Handlers) apiAnswer(c *gin.Context) {
	cm, r, err := s.readableRemiss(c)
	var body answerBodyJSON
	if err == nil {
		err = kit.ReadJSON(c, &body, false)
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	var want int64
	if slug := strings.TrimSpace(body.Party); slug != "" {
		for _, p := range r.Parties {
			if p.PartySlug == slug {
				want = p.PartyID
			}
		}
		if want == 0 {
			s.Fail(c, domain.FieldErrorf("party", "Remissen är inte skickad till %q.", slug))
			return
		}
	}
	party, staff, err := answeringParty(c, cm, r, want)
	var a domain.RemissAnswer
	if err == nil {
		a, err = body.answer(staff)
	}
	if err == nil {
		err = s.InTx(c, func(tx *store.Conn) error {
			_, err := s.record(c, tx, r, party, a, "", "", nil)
			return err
		})
	}
	if err == nil {
		r, err = s.DB.Conn().Remiss(c.Request.Context(), r.ID)
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toRemissJSON(r, s.Today()))
}
