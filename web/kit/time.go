package kit

import (
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/sv"
)

// Today is the current date in Swedish time, in which the committees' dates
// are decided.
func Today() domain.Date { return domain.DateOf(time.Now().In(sv.Location())) }
