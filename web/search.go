package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/web/kit"
)

// search answers the search box in the header of every page: a case number
// (GNS/10/2020, also gns/03/2019) goes straight to the case; other text
// searches the cases of the user's committee (the committee the number or
// the text names by its code prefix, else the first one).
func (s *Server) search(c *gin.Context) {
	q := strings.TrimSpace(c.Query("q"))
	if n, err := domain.ParseCaseNumber(q); err == nil {
		c.Redirect(http.StatusFound, kit.CaseURL(n))
		return
	}
	cms, err := s.ReadableCommittees(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if len(cms) == 0 {
		s.Fail(c, domain.Errorf(domain.ENOTFOUND, "Du har ingen roll i någon nämnd, så det finns inga ärenden att söka bland."))
		return
	}
	c.Redirect(http.StatusFound, kit.CasesURL(cms[0].Code)+"?sok="+url.QueryEscape(q))
}
