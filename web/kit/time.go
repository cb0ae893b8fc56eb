package kit

import (
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/sv"
)

// Today is the current date by the database's clock in Swedish time, in
// which the committees' dates are decided.
func (s *Kit) Today() domain.Date { return domain.DateOf(s.DB.Now().In(sv.Location())) }
