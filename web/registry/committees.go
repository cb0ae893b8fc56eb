package registry

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/web/kit"
)

type committeesPage struct {
	Today      domain.Date
	Committees []domain.CommitteeOverview
	// Overdue counts each committee's overdue assignments (uppdrag).
	Overdue map[int64]int
}

// committeeListPage (/namnder) lists the committees the user has a role in
// (all of them for admin and auditor) and the parties that are members of
// each today, in the committee's party order.
func (s *Handlers) committeeListPage(c *gin.Context) {
	day := s.Today()
	all, err := s.DB.Conn().CommitteeOverviews(c.Request.Context(), day)
	if err != nil {
		s.Fail(c, err)
		return
	}
	u := kit.CurrentUser(c)
	var list []domain.CommitteeOverview
	for _, cm := range all {
		if u.InCommittee(cm.ID) {
			list = append(list, cm)
		}
	}
	overdue, err := s.DB.Conn().OverdueAssignmentCounts(c.Request.Context(), s.Today())
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "committees", "Nämnder", committeesPage{Today: day, Committees: list, Overdue: overdue})
}
