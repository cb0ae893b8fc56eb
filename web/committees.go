package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
)

type committeesPage struct {
	Title      string
	Today      domain.Date
	Committees []domain.CommitteeOverview
}

// committeesPage lists the committees and the parties that are members of each
// today, in the committee's party order.
func (s *Server) committeesPage(c *gin.Context) {
	today := domain.DateOf(time.Now().In(stockholm))
	list, err := s.db.Conn().CommitteeOverviews(c.Request.Context(), today)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "committees", committeesPage{Title: "Nämnder", Today: today, Committees: list})
}
