// Package arvode serves the arvode basis: the members' claims for a justerat
// meeting (förlorad arbetsinkomst, resor, other costs with a receipt), their
// attestation by the secretariat, and per party and period the basis of its
// members as a page, CSV, XLSX and a PDF to sign, and as CSV in the API.
package arvode

import (
	"embed"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	reports "github.com/region-jh/gns/reports/arvode"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

//go:embed templates/*.html
var templateFS embed.FS

// Handlers serve the arvode basis on the shared Kit.
type Handlers struct {
	*kit.Kit
}

// The roles of the area: the basis and the claims are read by the
// secretariat (every party), a party representative (its own members) and
// a member (their own); admin and auditor read everything. Claims are made by a member
// for themselves or by the secretariat, and attested by the secretariat.
var (
	basisRoles   = []domain.Role{domain.RoleSecretariat, domain.RoleParty, domain.RoleMember, domain.RoleAdmin, domain.RoleAuditor}
	claimReaders = []domain.Role{domain.RoleSecretariat, domain.RoleParty, domain.RoleMember, domain.RoleAdmin, domain.RoleAuditor}
	claimMakers  = []domain.Role{domain.RoleSecretariat, domain.RoleMember}
	attesters    = []domain.Role{domain.RoleSecretariat}
	receiptRoles = []domain.Role{domain.RoleSecretariat, domain.RoleParty, domain.RoleMember, domain.RoleAdmin, domain.RoleAuditor}
)

// Register adds the area's templates and routes to k.
func Register(k *kit.Kit) (*Handlers, error) {
	if err := k.AddPages(templateFS, nil); err != nil {
		return nil, err
	}
	s := &Handlers{Kit: k}
	s.Handle("GET", "/namnder/:code/arvoden", kit.Roles(basisRoles...), s.basisPage)
	s.Handle("GET", "/namnder/:code/arvoden/underlag.csv", kit.Roles(basisRoles...), s.basisFile("csv"))
	s.Handle("GET", "/namnder/:code/arvoden/underlag.xlsx", kit.Roles(basisRoles...), s.basisFile("xlsx"))
	s.Handle("GET", "/namnder/:code/arvoden/underlag.pdf", kit.Roles(basisRoles...), s.basisFile("pdf"))
	s.Handle("GET", "/api/v1/committees/:code/arvode", kit.Roles(basisRoles...), s.basisFile("csv"))
	s.Handle("GET", "/sammantraden/:id/ersattningar", kit.Roles(claimReaders...), s.claimsPage)
	s.Handle("POST", "/sammantraden/:id/ersattningar", kit.Roles(claimMakers...), kit.LimitUpload, s.addClaim)
	s.Handle("GET", "/ersattningar/:id/attestera", kit.Roles(attesters...), s.confirmSettle(true))
	s.Handle("POST", "/ersattningar/:id/attestera", kit.Roles(attesters...), s.settle(true))
	s.Handle("GET", "/ersattningar/:id/aterkalla", kit.Roles(claimMakers...), s.confirmSettle(false))
	s.Handle("POST", "/ersattningar/:id/aterkalla", kit.Roles(claimMakers...), s.settle(false))
	s.Handle("GET", "/ersattningar/:id/kvitto", kit.Roles(receiptRoles...), s.receipt)
	return s, nil
}

// BasisURL is the address of a committee's arvode basis page.
func BasisURL(cm domain.Committee) string { return kit.CommitteeURL(cm) + "/arvoden" }

// ClaimsURL is the address of a meeting's claims page.
func ClaimsURL(meetingID int64) string { return kit.MeetingURL(meetingID) + "/ersattningar" }

// claimURL is the address of one claim's actions.
func claimURL(id int64) string { return "/ersattningar/" + strconv.FormatInt(id, 10) }

// scope is what the user may read of a committee's basis: everyone's, one
// party's members, or one member's lines.
type scope struct {
	party  domain.Party // zero: every party
	member int64        // nonzero: only this member
	// Parties are the committee's parties the user may choose among (the
	// secretariat, admin and auditor).
	Parties []domain.MemberParty
	// Unlinked is a member user not linked to a member of the committee.
	Unlinked bool
}

// scopeOf reads ?party= (a party's slug) against what the user may read: a
// party representative reads only its own party (another slug is
// forbidden), a member only their own lines (no party), the others any
// party or all.
func (s *Handlers) scopeOf(c *gin.Context, cm domain.Committee) (scope, error) {
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	u := kit.CurrentUser(c)
	slug := c.Query("party")
	switch {
	case u.HasIn(cm.ID, domain.RoleSecretariat, domain.RoleAdmin, domain.RoleAuditor):
		parties, err := conn.CommitteeParties(ctx, cm.ID)
		if err != nil {
			return scope{}, err
		}
		sc := scope{Parties: parties}
		if slug == "" {
			return sc, nil
		}
		for _, p := range parties {
			if p.Slug == slug {
				sc.party = p.Party
				return sc, nil
			}
		}
		return scope{}, domain.Errorf(domain.ENOTFOUND, "Parten %q är inte part i nämnden.", slug)
	case u.HasIn(cm.ID, domain.RoleParty):
		p, err := conn.PartyByID(ctx, u.PartyIn(cm.ID))
		if err != nil {
			return scope{}, err
		}
		if slug != "" && slug != p.Slug {
			return scope{}, domain.Errorf(domain.EFORBIDDEN, "Du ser bara arvodesunderlaget för %s.", p.Name)
		}
		return scope{party: p}, nil
	}
	if slug != "" {
		return scope{}, domain.Errorf(domain.EFORBIDDEN, "En ledamot ser bara sitt eget arvodesunderlag.")
	}
	m, err := conn.MemberOfUser(ctx, cm.ID, u.ID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return scope{member: -1, Unlinked: true}, nil // no member's lines
	}
	if err != nil {
		return scope{}, err
	}
	return scope{member: m.ID}, nil
}

// period reads ?from= and ?to= (ISO dates); without them, the current year.
func (s *Handlers) period(c *gin.Context) (from, to domain.Date, err error) {
	year := s.Today().Year
	from, to = domain.Date{Year: year, Month: 1, Day: 1}, domain.Date{Year: year, Month: 12, Day: 31}
	if v := c.Query("from"); v != "" {
		if from, err = domain.ParseDate(v); err != nil {
			return from, to, domain.FieldErrorf("from", "Startdatumet %q är inte ett datum (ÅÅÅÅ-MM-DD).", v)
		}
	}
	if v := c.Query("to"); v != "" {
		if to, err = domain.ParseDate(v); err != nil {
			return from, to, domain.FieldErrorf("to", "Slutdatumet %q är inte ett datum (ÅÅÅÅ-MM-DD).", v)
		}
	}
	if to.Before(from) {
		return from, to, domain.FieldErrorf("to", "Slutdatumet %s är före startdatumet %s.", to, from)
	}
	if to.Year-from.Year > 10 {
		return from, to, domain.FieldErrorf("to", "Välj en period på högst tio år.")
	}
	return from, to, nil
}

// basis loads the basis the request asks for.
func (s *Handlers) basis(c *gin.Context) (reports.Basis, scope, error) {
	cm, err := s.CommitteeFor(c, basisRoles)
	if err != nil {
		return reports.Basis{}, scope{}, err
	}
	sc, err := s.scopeOf(c, cm)
	if err != nil {
		return reports.Basis{}, scope{}, err
	}
	from, to, err := s.period(c)
	if err != nil {
		return reports.Basis{}, scope{}, err
	}
	lines, err := s.DB.Conn().ArvodeBasis(c.Request.Context(), store.BasisFilter{CommitteeID: cm.ID, PartyID: sc.party.ID, MemberID: sc.member, From: from, To: to})
	if err != nil {
		return reports.Basis{}, scope{}, err
	}
	return reports.Basis{Committee: cm, Party: sc.party, From: from, To: to, Lines: lines, Made: s.DB.Now()}, sc, nil
}

// basisRow is one line of the basis page.
type basisRow struct {
	meeting.BasisLine
	Present, Hours, Km, Amount string
	Pending                    int
	ClaimsURL                  string
}

type basisPage struct {
	Basis    reports.Basis
	Rows     []basisRow
	Scope    scope
	Member   bool
	Query    string
	URL      string
	Columns  []string
	Rule     string
	PartySel string
}

func (s *Handlers) basisPage(c *gin.Context) {
	b, sc, err := s.basis(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	q := url.Values{"from": {b.From.String()}, "to": {b.To.String()}}
	if b.Party.Slug != "" && sc.Parties != nil {
		q.Set("party", b.Party.Slug)
	}
	p := basisPage{Basis: b, Scope: sc, Member: sc.member != 0, Query: q.Encode(), URL: BasisURL(b.Committee),
		Columns: reports.Columns, Rule: reports.Rule, PartySel: b.Party.Slug}
	for _, l := range b.Lines {
		h, km, amount, pending := l.Totals()
		p.Rows = append(p.Rows, basisRow{BasisLine: l, Present: meeting.ParagraphRanges(l.Paragraphs), Hours: exact(h), Km: exact(km),
			Amount: kronor(amount), Pending: pending, ClaimsURL: ClaimsURL(l.Meeting.ID)})
	}
	s.Render(c, http.StatusOK, "arvode_basis", "Arvodesunderlag", p)
}

// basisFile downloads the basis in a format: csv (also the API's answer,
// text/csv), xlsx or pdf.
func (s *Handlers) basisFile(format string) gin.HandlerFunc {
	return func(c *gin.Context) {
		b, _, err := s.basis(c)
		if err != nil {
			s.Fail(c, err)
			return
		}
		name := "arvodesunderlag-" + b.Committee.Code
		if b.Party.Slug != "" {
			name += "-" + b.Party.Slug
		}
		name += "-" + b.From.String() + "-" + b.To.String()
		switch format {
		case "csv":
			kit.Download(c, "text/csv; charset=utf-8", name+".csv", reports.CSV(b))
		case "xlsx":
			x, err := reports.XLSX(b)
			if err != nil {
				s.Fail(c, err)
				return
			}
			kit.Download(c, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name+".xlsx", x)
		default:
			pdf, err := reports.PDF(b)
			if err != nil {
				s.Fail(c, err)
				return
			}
			kit.Download(c, "application/pdf", name+".pdf", pdf)
		}
	}
}
