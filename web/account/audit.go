package account

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/web/kit"
)

// auditPageSize is how many entries one page of the audit trail shows.
const auditPageSize = 50

type auditPage struct {
	Entries  []domain.AuditEntry
	Total    int
	Users    []domain.User
	Entities []string
	Filter   url.Values
	Page     int
	Prev     string
	Next     string
	Problem  string
}

// auditEntities are the kinds of entity the trail records, for the filter.
var auditEntities = []string{"user", "api_token", "party", "committee", "mfa_required_roles", "member", "population", "committee_document", "case", "allocation"}

// auditWords are the Swedish words for the actions and entities of the trail;
// the codes themselves stay in the API and are shown where no word is known.
var auditWords = map[string]string{
	"create": "skapad", "update": "ändrad", "login": "inloggning", "login_failed": "misslyckad inloggning",
	"login_password_step": "lösenord godkänt (väntar på kod)", "logout": "utloggning", "logout_everywhere": "utloggning överallt",
	"grant_role": "roll tillagd", "revoke_role": "roll borttagen", "change_password": "nytt lösenord",
	"disable": "inaktiverad", "enable": "aktiverad", "enable_two_factor": "tvåstegsverifiering aktiverad",
	"reset_two_factor": "tvåstegsverifiering återställd", "use_recovery_code": "reservkod använd",
	"revoke": "återkallad", "token_use": "API-nyckel använd", "add_member": "part tillagd",
	"user": "användare", "api_token": "API-nyckel", "party": "part", "committee": "nämnd",
	"mfa_required_roles": "krav på tvåstegsverifiering", "member": "ledamot", "population": "invånarantal",
	"committee_document": "styrdokument", "correct": "rättad", "end_member": "medlemskap avslutat",
	"reorder_parties": "partsordning ändrad",
}

// auditWord returns the Swedish word for an action or entity code.
func auditWord(code string) string {
	if w, ok := auditWords[code]; ok {
		return w
	}
	return code
}

// auditFilter reads the filter from the query: anvandare (user id), entitet,
// fran and till (dates), sida (page from 1).
func auditFilter(c *gin.Context) (domain.AuditFilter, int, error) {
	f := domain.AuditFilter{Entity: c.Query("entitet"), Limit: auditPageSize}
	if v := c.Query("anvandare"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 {
			return f, 0, domain.FieldErrorf("anvandare", "Okänd användare.")
		}
		f.ActorUserID = id
	}
	var err error
	if v := c.Query("fran"); v != "" {
		if f.From, err = domain.ParseDate(v); err != nil {
			return f, 0, domain.FieldErrorf("fran", "Ange från-datum som ÅÅÅÅ-MM-DD.")
		}
	}
	if v := c.Query("till"); v != "" {
		if f.To, err = domain.ParseDate(v); err != nil {
			return f, 0, domain.FieldErrorf("till", "Ange till-datum som ÅÅÅÅ-MM-DD.")
		}
	}
	page := 1
	if v := c.Query("sida"); v != "" {
		if page, err = strconv.Atoi(v); err != nil || page < 1 || page > 1_000_000 {
			return f, 0, domain.FieldErrorf("sida", "Ogiltigt sidnummer.")
		}
	}
	f.Offset = (page - 1) * auditPageSize
	return f, page, nil
}

// auditTrailPage shows the audit trail with filters, newest first.
func (s *Handlers) auditTrailPage(c *gin.Context) {
	ctx := c.Request.Context()
	users, err := s.DB.Conn().Users(ctx)
	if err != nil {
		s.Fail(c, err)
		return
	}
	p := auditPage{Users: users, Entities: auditEntities, Filter: c.Request.URL.Query()}
	f, page, err := auditFilter(c)
	status := http.StatusOK
	if err != nil {
		p.Problem, status = domain.ErrorMessage(err), http.StatusBadRequest
	} else {
		p.Entries, p.Total, err = s.DB.Conn().AuditEntries(ctx, f)
		if err != nil {
			s.Fail(c, err)
			return
		}
		p.Page = page
		q := c.Request.URL.Query()
		if page > 1 {
			q.Set("sida", strconv.Itoa(page-1))
			p.Prev = "?" + q.Encode()
		}
		if page*auditPageSize < p.Total {
			q.Set("sida", strconv.Itoa(page+1))
			p.Next = "?" + q.Encode()
		}
	}
	s.Render(c, status, "audit", "Granskningslogg", p)
}

// apiAudit answers GET /api/v1/audit with the same filters as the page.
func (s *Handlers) apiAudit(c *gin.Context) {
	f, page, err := auditFilter(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	entries, total, err := s.DB.Conn().AuditEntries(c.Request.Context(), f)
	if err != nil {
		s.Fail(c, err)
		return
	}
	out := make([]gin.H, len(entries))
	for i, e := range entries {
		out[i] = gin.H{"id": e.ID, "at": e.At, "actor_user_id": e.ActorUserID, "actor": e.Actor, "action": e.Action,
			"entity": e.Entity, "entity_id": e.EntityID, "before": e.Before, "after": e.After,
			"remote_addr": e.RemoteAddr, "request_id": e.RequestID}
	}
	c.JSON(http.StatusOK, gin.H{"entries": out, "total": total, "page": page, "page_size": auditPageSize})
}

// apiMe answers GET /api/v1/me: who the token or session belongs to.
func (s *Handlers) apiMe(c *gin.Context) {
	u := kit.CurrentUser(c)
	roles := make([]gin.H, len(u.Roles))
	for i, g := range u.Roles {
		roles[i] = gin.H{"role": g.Role, "committee": g.CommitteeCode, "party_id": g.PartyID}
	}
	c.JSON(http.StatusOK, gin.H{"id": u.ID, "email": u.Email, "name": u.Name, "roles": roles, "two_factor": u.TOTPEnabled})
}
