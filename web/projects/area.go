// Package projects serves a committee's projects (samverkansprojekt): the
// list, a project's page with its participants over time, key, budget
// against actual per year and row, funding and settlements, the settlement
// preview and its confirmation, and the project API.
package projects

import (
	"embed"
	"html/template"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/sv"
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
	if err := k.AddPages(templateFS, template.FuncMap{"monthName": sv.MonthName, "exactPercent": sv.ExactPercent}); err != nil {
		return nil, err
	}
	s := &Handlers{Kit: k}
	s.routes()
	return s, nil
}

// Who works with projects: the economist (and the admin) keeps them and
// settles them; the secretariat and the auditor read everything, the
// settlement preview included; members read the projects; a party
// representative reads only the projects its party takes part in, and of a
// settlement only its own party's share.
var (
	projectMakers  = domain.AllocationMakers
	projectStaff   = domain.AllocationReaders
	projectViewers = domain.EconomyViewers
	projectWrite   = kit.Roles(projectMakers...)
	projectStaffR  = kit.Roles(projectStaff...)
	projectRead    = kit.Roles(projectViewers...)
)

// routes registers the pages and the API.
func (s *Handlers) routes() {
	s.Handle("GET", "/namnder/:code/projekt", projectRead, s.listPage)
	s.Handle("POST", "/namnder/:code/projekt", projectWrite, s.createProject)
	s.Handle("GET", "/projekt/:id", projectRead, s.projectPage)
	s.Handle("POST", "/projekt/:id/deltagare", projectWrite, s.addParticipant)
	s.Handle("POST", "/projekt/:id/deltagare/:pid/lamnat", projectWrite, s.endParticipation)
	s.Handle("POST", "/projekt/:id/budget", projectWrite, s.addBudgetLine)
	s.Handle("POST", "/projekt/:id/finansiering", projectWrite, s.addFunding)
	s.Handle("POST", "/projekt/:id/forskott", projectWrite, s.linkAdvance)
	s.Handle("POST", "/projekt/:id/avsluta", projectWrite, s.closeProject)
	s.Handle("GET", "/projekt/:id/avrakning/:year", projectStaffR, s.settlementPage)
	s.Handle("POST", "/projekt/:id/avrakning/:year", projectWrite, s.confirmSettlement)
	s.apiRoutes()
}

// ProjectURL is the address of a project's page.
func ProjectURL(id int64) string { return "/projekt/" + strconv.FormatInt(id, 10) }

// loadProject reads the :id of a project route for a user with one of the
// roles in the project's committee. A party representative reaches only a
// project its party takes part in; any other is "not found", as is a
// project of a committee the user has no role in.
func (s *Handlers) loadProject(c *gin.Context, roles []domain.Role) (finance.Project, domain.Committee, error) {
	id, err := kit.PathID(c, "id")
	if err != nil {
		return finance.Project{}, domain.Committee{}, err
	}
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	p, err := conn.ProjectByID(ctx, id)
	if err != nil {
		return finance.Project{}, domain.Committee{}, err
	}
	u := kit.CurrentUser(c)
	notFound := domain.Errorf(domain.ENOTFOUND, "Projektet finns inte.")
	if !u.InCommittee(p.CommitteeID) {
		return finance.Project{}, domain.Committee{}, notFound
	}
	if !u.HasIn(p.CommitteeID, roles...) {
		return finance.Project{}, domain.Committee{}, domain.Errorf(domain.EFORBIDDEN, "Din roll i nämnden ger inte behörighet till den här sidan.")
	}
	if party := partyOnly(u, p.CommitteeID); party != 0 && !takesPart(p, party) {
		return finance.Project{}, domain.Committee{}, notFound
	}
	cm, err := conn.CommitteeByID(ctx, p.CommitteeID)
	return p, cm, err
}

// partyOnly returns the party a user reads the committee's projects for
// when the user's only view of them is a party representative's; 0 when the
// user reads every project.
func partyOnly(u *domain.User, committeeID int64) int64 {
	if u.HasIn(committeeID, domain.RoleEconomist, domain.RoleSecretariat, domain.RoleAdmin, domain.RoleAuditor, domain.RoleMember) {
		return 0
	}
	return u.PartyIn(committeeID)
}

// takesPart reports whether the party takes or took part in the project.
func takesPart(p finance.Project, partyID int64) bool {
	for _, pt := range p.Participants {
		if pt.PartyID == partyID {
			return true
		}
	}
	return false
}

// ownShares keeps, for a party representative, only the party's own share
// of each settlement.
func ownShares(list []finance.Settlement, partyID int64) []finance.Settlement {
	if partyID == 0 {
		return list
	}
	out := make([]finance.Settlement, len(list))
	for i, s := range list {
		out[i] = s
		out[i].Shares = nil
		for _, sh := range s.Shares {
			if sh.PartyID == partyID {
				out[i].Shares = append(out[i].Shares, sh)
			}
		}
	}
	return out
}
