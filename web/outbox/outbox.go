// Package outbox serves Utskick: every mail GNS has composed, with its
// recipient, status, attempts and text, so that the admin sees what was
// sent and what failed, and a new installation without an SMTP server sees
// what would be sent. The secretariat sees its committees' mails.
package outbox

import (
	"embed"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

//go:embed templates/*.html
var templateFS embed.FS

// Handlers serve Utskick on the shared Kit.
type Handlers struct {
	*kit.Kit
}

// Readers are the roles that see Utskick: the admin all of it, the
// secretariat its committees' mails.
var Readers = kit.Roles(domain.RoleAdmin, domain.RoleSecretariat)

// Register adds the area's templates and routes to k.
func Register(k *kit.Kit) (*Handlers, error) {
	funcs := template.FuncMap{
		"inc":      func(i int) int { return i + 1 },
		"filesize": func(b []byte) string { return kit.FileSize(int64(len(b))) },
	}
	if err := k.AddPages(templateFS, funcs); err != nil {
		return nil, err
	}
	s := &Handlers{Kit: k}
	s.Handle("GET", "/utskick", Readers, s.listPage)
	s.Handle("GET", "/utskick/:id", Readers, s.mailPage)
	s.Handle("GET", "/utskick/:id/bilagor/:n", Readers, s.attachment)
	s.Handle("GET", "/api/v1/outbox", kit.AdminOnly, s.apiList)
	return s, nil
}

// scope is the committees whose mails u reads: nil (all) for the admin.
func scope(u *domain.User) []int64 {
	if u.Has(domain.RoleAdmin) {
		return nil
	}
	ids := []int64{}
	for _, g := range u.Roles {
		if g.Role == domain.RoleSecretariat && g.CommitteeID != 0 {
			ids = append(ids, g.CommitteeID)
		}
	}
	return ids
}

// statuses are the filter's choices, in the order shown.
var statuses = []domain.MailStatus{domain.MailQueued, domain.MailFailed, domain.MailSent, domain.MailKept}

type listPage struct {
	Mails    []domain.Mail
	Statuses []domain.MailStatus
	Status   domain.MailStatus
	// Counts are the mails of each status in the user's scope.
	Counts map[domain.MailStatus]int
	// Kept is how many were kept unsent (no SMTP server).
	Kept int
}

func statusParam(c *gin.Context) (domain.MailStatus, error) {
	st := domain.MailStatus(c.Query("status"))
	if st == "" {
		return "", nil
	}
	for _, s := range statuses {
		if s == st {
			return st, nil
		}
	}
	return "", domain.Errorf(domain.EINVALID, "Okänd status %q: välj i kö, misslyckades, skickat eller ej skickat.", st)
}

func (s *Handlers) listPage(c *gin.Context) {
	st, err := statusParam(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	mails, err := conn.Mails(ctx, store.MailFilter{Committees: scope(kit.CurrentUser(c)), Status: st})
	if err != nil {
		s.Fail(c, err)
		return
	}
	counts, err := conn.MailCounts(ctx, scope(kit.CurrentUser(c)))
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "outbox", "Utskick", listPage{Mails: mails, Statuses: statuses, Status: st, Counts: counts, Kept: counts[domain.MailKept]})
}

// readable loads the mail of the path's id if u may read it: the admin
// every mail, the secretariat its committees'.
func (s *Handlers) readable(c *gin.Context) (domain.Mail, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return domain.Mail{}, kit.ErrNotFound
	}
	m, err := s.DB.Conn().Mail(c.Request.Context(), id)
	if err != nil {
		return domain.Mail{}, err
	}
	if u := kit.CurrentUser(c); !u.Has(domain.RoleAdmin) && (m.CommitteeID == 0 || !u.HasIn(m.CommitteeID, domain.RoleSecretariat)) {
		return domain.Mail{}, domain.Errorf(domain.ENOTFOUND, "Utskicket finns inte.")
	}
	return m, nil
}

func (s *Handlers) mailPage(c *gin.Context) {
	m, err := s.readable(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "outbox_mail", m.Subject, m)
}

// attachment downloads the mail's n:th attachment (from 1), as it was sent.
func (s *Handlers) attachment(c *gin.Context) {
	m, err := s.readable(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || n < 1 || n > len(m.Attachments) {
		s.Fail(c, domain.Errorf(domain.ENOTFOUND, "Bilagan finns inte."))
		return
	}
	a := m.Attachments[n-1]
	kit.Download(c, a.ContentType, a.Filename, a.Content)
}

// apiMail is a mail as the API gives it.
type apiMail struct {
	ID            int64      `json:"id"`
	CommitteeID   int64      `json:"committee_id,omitempty"`
	Kind          string     `json:"kind"`
	Ref           string     `json:"ref,omitempty"`
	To            string     `json:"to"`
	ToName        string     `json:"to_name,omitempty"`
	From          string     `json:"from_name"`
	Subject       string     `json:"subject"`
	Text          string     `json:"text"`
	Status        string     `json:"status"`
	Attempts      int        `json:"attempts"`
	LastError     string     `json:"last_error,omitempty"`
	LastAttemptAt *time.Time `json:"last_attempt_at"`
	SentAt        *time.Time `json:"sent_at"`
	CreatedAt     time.Time  `json:"created_at"`
	CreatedBy     string     `json:"created_by"`
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (s *Handlers) apiList(c *gin.Context) {
	st, err := statusParam(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	mails, err := s.DB.Conn().Mails(c.Request.Context(), store.MailFilter{Status: st})
	if err != nil {
		s.Fail(c, err)
		return
	}
	out := make([]apiMail, len(mails))
	for i, m := range mails {
		out[i] = apiMail{ID: m.ID, CommitteeID: m.CommitteeID, Kind: string(m.Kind), Ref: m.Ref, To: m.ToEmail, ToName: m.ToName,
			From: m.FromName, Subject: m.Subject, Text: m.Text, Status: string(m.Status), Attempts: m.Attempts, LastError: m.LastError,
			LastAttemptAt: optTime(m.LastAttemptAt), SentAt: optTime(m.SentAt), CreatedAt: m.CreatedAt, CreatedBy: m.CreatedBy}
	}
	c.JSON(http.StatusOK, gin.H{"mails": out})
}
