package store_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

func TestMembers(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := db.Conn()
		create := func(m domain.Member) (domain.Member, error) {
			m.CommitteeID = f.cm.ID
			var out domain.Member
			err := inTx(db, func(c *store.Conn) error {
				var err error
				out, err = c.CreateMember(registryCtx, m)
				return err
			})
			return out, err
		}
		term := domain.MustDate("2019-01-01")
		chair, err := create(domain.Member{Name: "Robert Hamberg", PoliticalParty: "(M)", Role: domain.MemberChair, From: term, AppointedBy: f.region.ID})
		if err != nil || chair.PoliticalParty != "M" || chair.AppointedByName != "Region Jämtland Härjedalen" {
			t.Fatalf("chair = %+v, %v", chair, err)
		}
		if _, err := create(domain.Member{Name: "Susanne Hansson", PoliticalParty: "S", Role: domain.MemberViceChair, From: term}); err != nil {
			t.Fatal(err)
		}
		if _, err := create(domain.Member{Name: "Ann-Marie Johansson", PoliticalParty: "S", Role: domain.MemberSubstitute, From: term}); err != nil {
			t.Fatal(err)
		}
		if _, err := create(domain.Member{Name: "Björn Hammarberg", PoliticalParty: "M", Role: domain.MemberOrdinary, From: term}); err != nil {
			t.Fatal(err)
		}

		outsider := createRegistryUser(t, db, "utomstaende@example.se", domain.RoleGrant{Role: domain.RoleSecretariat, CommitteeID: f.cm.ID})
		ledamot := createRegistryUser(t, db, "ledamot@example.se", domain.RoleGrant{Role: domain.RoleMember, CommitteeID: f.cm.ID})
		var stranger domain.Party
		if err := inTx(db, func(c *store.Conn) error {
			var err error
			stranger, err = c.CreateParty(registryCtx, domain.Party{Name: "Annan kommun", Kind: domain.PartyKindKommun})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		rows := count(t, db, "committee_members")
		refused := []struct {
			name    string
			m       domain.Member
			field   string
			wantMsg string
		}{
			{"a second chair", domain.Member{Name: "Jörgen Persson", PoliticalParty: "S", Role: domain.MemberChair, From: domain.MustDate("2020-01-01")}, "role", "Robert Hamberg (M) är ordförande"},
			{"appointed by a stranger", domain.Member{Name: "X", PoliticalParty: "C", Role: domain.MemberOrdinary, From: term, AppointedBy: stranger.ID}, "appointed_by", "nämndens parter"},
			{"user without the member role", domain.Member{Name: "X", PoliticalParty: "C", Role: domain.MemberOrdinary, From: term, UserID: outsider.ID}, "user_id", "rollen ledamot"},
			{"name of 10 000 characters", domain.Member{Name: strings.Repeat("n", 10_000), PoliticalParty: "C", Role: domain.MemberOrdinary, From: term}, "name", "högst"},
			{"term ends before it starts", domain.Member{Name: "X", PoliticalParty: "C", Role: domain.MemberOrdinary, From: term, To: domain.MustDate("2018-01-01")}, "term_to", "innan den börjar"},
		}
		for _, tt := range refused {
			_, err := create(tt.m)
			var e *domain.Error
			if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), tt.wantMsg) || !errors.As(err, &e) || e.Field != tt.field {
				t.Errorf("%s: err = %v, want invalid %s with %q", tt.name, err, tt.field, tt.wantMsg)
			}
		}
		if count(t, db, "committee_members") != rows {
			t.Error("refused members left rows behind")
		}

		// The chair's term ends; a new chair may follow, linked to a user.
		chair.To = domain.MustDate("2020-12-31")
		if err := inTx(db, func(c *store.Conn) error { _, err := c.UpdateMember(registryCtx, chair); return err }); err != nil {
			t.Fatal(err)
		}
		next, err := create(domain.Member{Name: "Jörgen Persson", PoliticalParty: "s", Role: domain.MemberChair, From: domain.MustDate("2021-01-01"), UserID: ledamot.ID})
		if err != nil || next.UserName == "" {
			t.Fatalf("new chair = %+v, %v", next, err)
		}
		all, err := c.Members(registryCtx, f.cm.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range all {
			got = append(got, m.DisplayName())
		}
		want := "Jörgen Persson (S),Robert Hamberg (M),Susanne Hansson (S),Björn Hammarberg (M),Ann-Marie Johansson (S)"
		if strings.Join(got, ",") != want {
			t.Errorf("members = %s, want %s", strings.Join(got, ","), want)
		}
		users, err := c.MemberUsers(registryCtx, f.cm.ID)
		if err != nil || len(users) != 1 || users[0].ID != ledamot.ID {
			t.Errorf("MemberUsers = %v, %v", users, err)
		}
		if _, err := c.MemberByID(registryCtx, f.cm.ID+1, chair.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("a member read through another committee: %v, want not found", err)
		}
		if _, err := db.SQL().ExecContext(registryCtx, "DELETE FROM committee_members"); err == nil {
			t.Error("members could be deleted")
		}
	})
}

// createRegistryUser stores a user with the given roles.
func createRegistryUser(t *testing.T, db *store.DB, email string, roles ...domain.RoleGrant) domain.User {
	t.Helper()
	var u domain.User
	err := inTx(db, func(c *store.Conn) error {
		var err error
		u, err = c.CreateUser(registryCtx, domain.User{Email: email, Name: "Test Användare", Roles: roles}, "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}
