package sqlconn

import (
	"database/sql/driver"
	"fmt"
	"time"

	"github.com/region-jh/gns/domain"
)

// Date stores a domain.Date as ISO text in SQLite and as DATE in PostgreSQL.
// It reads both, and NULL as the zero Date.
type Date domain.Date

// Value writes the date as YYYY-MM-DD, or NULL for the zero Date. A date
// outside domain.MinDate … domain.MaxDate is refused (EINVALID) on both
// engines alike: SQLite would store year 0 as text, PostgreSQL refuses it,
// and the audit trail's JSON cannot hold year 10000.
func (d Date) Value() (driver.Value, error) {
	if domain.Date(d).IsZero() {
		return nil, nil
	}
	if !domain.Date(d).InRange() {
		return nil, domain.Errorf(domain.EINVALID, "%s", domain.DateRangeMessage)
	}
	return domain.Date(d).String(), nil
}

// Scan reads a date from either engine's representation.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		*d = Date(domain.DateOf(v))
		return nil
	case string:
		return d.parse(v)
	case []byte:
		return d.parse(string(v))
	}
	return fmt.Errorf("cannot read a date from %T", src)
}

func (d *Date) parse(s string) error {
	if len(s) > 10 {
		s = s[:10] // a timestamp's date part
	}
	// Not domain.ParseDate: a date stored before the range was enforced is
	// still read back rather than breaking every page that shows it.
	t, err := time.Parse(domain.DateLayout, s)
	if err != nil {
		return fmt.Errorf("read date %q: %w", s, err)
	}
	*d = Date(domain.DateOf(t))
	return nil
}
