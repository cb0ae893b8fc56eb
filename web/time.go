package web

import (
	"time"
	_ "time/tzdata" // the Stockholm zone even where the system has no zone database

	"github.com/region-jh/gns/domain"
)

// stockholm is the committees' own time zone, in which "today" is decided.
var stockholm = mustLoadLocation("Europe/Stockholm")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// today is the current date in Stockholm.
func today() domain.Date { return domain.DateOf(time.Now().In(stockholm)) }
