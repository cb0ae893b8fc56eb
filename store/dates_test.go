package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// TestDatesOutsideTheRange stores dates outside 1900-01-01 … 2199-12-31 on
// both engines: each is refused as EINVALID with the range in its message,
// and nothing is stored. Year 0 used to be stored by SQLite and refused by
// PostgreSQL (500), and a token valid through 9999-12-31 could not be
// written to the audit trail (500 on both).
func TestDatesOutsideTheRange(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		year0 := domain.Date{Year: 0, Month: time.January, Day: 1}
		refused := func(name, field string, err error) {
			t.Helper()
			if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), "måste ligga mellan 1900-01-01 och 2199-12-31") {
				t.Errorf("%s: %v, want EINVALID with the range", name, err)
			}
			if field != "" && !strings.Contains(err.Error(), field) {
				t.Errorf("%s: %v, want it about %s", name, err, field)
			}
		}

		populations := count(t, db, "populations")
		err := inTx(db, func(c *store.Conn) error {
			_, _, err := c.RecordPopulation(registryCtx, domain.Population{PartyID: f.berg.ID, ReferenceDate: year0, Inhabitants: 7120, Source: "SCB"}, "")
			return err
		})
		refused("population on 0000-01-01", "reference_date", err)
		if count(t, db, "populations") != populations {
			t.Error("a population on 0000-01-01 was stored")
		}

		members := count(t, db, "committee_members")
		for _, m := range []domain.Member{
			{Name: "Kim Ek", PoliticalParty: "S", Role: domain.MemberOrdinary, From: year0},
			{Name: "Kim Ek", PoliticalParty: "S", Role: domain.MemberOrdinary, From: domain.MustDate("2019-01-01"), To: domain.MaxDate.AddDays(1)},
		} {
			m.CommitteeID = f.cm.ID
			err := inTx(db, func(c *store.Conn) error { _, err := c.CreateMember(registryCtx, m); return err })
			refused("member from "+m.From.String()+" to "+m.To.String(), "term_", err)
		}
		if count(t, db, "committee_members") != members {
			t.Error("a member with a date outside the range was stored")
		}

		tokens := count(t, db, "api_tokens")
		err = inTx(db, func(c *store.Conn) error {
			u, err := c.CreateUser(registryCtx, domain.User{Email: "datum@example.se", Name: "Dag Datum"}, "x")
			if err != nil {
				return err
			}
			// As the token forms give it: valid through 9999-12-31.
			_, err = c.CreateAPIToken(registryCtx, domain.APIToken{UserID: u.ID, Name: "skript", ExpiresAt: domain.Date{Year: 9999, Month: time.December, Day: 31}.Time().AddDate(0, 0, 1)}, "t-9999")
			return err
		})
		refused("token valid through 9999-12-31", "expires", err)
		if count(t, db, "api_tokens") != tokens {
			t.Error("a token valid through 9999-12-31 was stored")
		}
		err = inTx(db, func(c *store.Conn) error {
			u, err := c.CreateUser(registryCtx, domain.User{Email: "sista@example.se", Name: "Sista Dagen"}, "x")
			if err != nil {
				return err
			}
			_, err = c.CreateAPIToken(registryCtx, domain.APIToken{UserID: u.ID, Name: "skript", ExpiresAt: domain.MaxDate.AddDays(1).Time()}, "t-2199")
			return err
		})
		if err != nil {
			t.Errorf("a token valid through 2199-12-31: %v", err)
		}

		// Any other date bound to a query goes through the same check.
		_, err = db.Conn().MeetingsFrom(registryCtx, f.cm.ID, year0)
		refused("meetings from 0000-01-01", "", err)
	})
}
