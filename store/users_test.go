package store_test

import (
	"context"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

func createUser(t *testing.T, db *store.DB, email string, roles ...domain.RoleGrant) domain.User {
	t.Helper()
	ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
	var u domain.User
	err := db.InTx(ctx, func(c *store.Conn) error {
		var err error
		u, err = c.CreateUser(ctx, domain.User{Email: email, Name: "Anna Berg", Roles: roles}, "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestUsers(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := domain.WithActor(context.Background(), domain.Actor{UserID: 0, Label: "test", RemoteAddr: "192.0.2.1"})
		u := createUser(t, db, "Anna.Berg@Example.se", domain.RoleGrant{Role: domain.RoleAuditor})
		err := db.InTx(ctx, func(c *store.Conn) error {
			_, err := c.CreateUser(ctx, domain.User{Email: "anna.berg@example.SE", Name: "Anna"}, "x")
			return err
		})
		if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), "används redan") {
			t.Errorf("same e-mail in another case: %v, want a clear invalid error", err)
		}
		got, _, err := db.Conn().UserForLogin(ctx, " ANNA.BERG@example.se")
		if err != nil || got.ID != u.ID || got.Email != "Anna.Berg@Example.se" || len(got.Roles) != 1 {
			t.Fatalf("UserForLogin = %+v, %v", got, err)
		}
		if _, _, err := db.Conn().UserForLogin(ctx, "ingen@example.se"); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("unknown user: %v, want not found", err)
		}
		// A failing change in a transaction leaves no audit entry behind.
		_, before, _ := db.Conn().AuditEntries(ctx, domain.AuditFilter{})
		db.InTx(ctx, func(c *store.Conn) error {
			if _, err := c.GrantRole(ctx, u.ID, domain.RoleGrant{Role: domain.RoleAdmin}); err != nil {
				return err
			}
			_, err := c.GrantRole(ctx, u.ID, domain.RoleGrant{Role: domain.RoleAdmin}) // a duplicate
			return err
		})
		if got, _ := db.Conn().UserByID(ctx, u.ID); len(got.Roles) != 1 {
			t.Errorf("roles after a failed transaction = %v, want the one from before", got.Roles)
		}
		if _, after, _ := db.Conn().AuditEntries(ctx, domain.AuditFilter{}); after != before {
			t.Errorf("audit entries %d → %d after a rolled-back change", before, after)
		}
		entries, _, _ := db.Conn().AuditEntries(ctx, domain.AuditFilter{Entity: "user"})
		if len(entries) != 2 || entries[0].Actor != "test" || entries[1].Action != "create" || strings.Contains(string(entries[1].After), "argon2") {
			t.Errorf("audit entries = %+v", entries)
		}
	})
}

func TestTOTPStepAndRecoveryCodesAreSingleUse(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := createUser(t, db, "a@example.se")
		if err := db.InTx(ctx, func(c *store.Conn) error { return c.EnableTOTP(ctx, u.ID, "sealed", 100, []string{"h1", "h2"}) }); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			step int64
			ok   bool
		}{{100, false}, {99, false}, {101, true}, {101, false}} {
			err := db.InTx(ctx, func(c *store.Conn) error { return c.AdvanceTOTPStep(ctx, u.ID, tt.step) })
			if (err == nil) != tt.ok {
				t.Errorf("AdvanceTOTPStep(%d) = %v, want ok %v", tt.step, err, tt.ok)
			}
		}
		// Two logins racing with the same code: exactly one wins.
		var wg sync.WaitGroup
		wins := make(chan bool, 2)
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				wins <- db.InTx(ctx, func(c *store.Conn) error { return c.AdvanceTOTPStep(ctx, u.ID, 102) }) == nil
			}()
		}
		wg.Wait()
		close(wins)
		n := 0
		for w := range wins {
			if w {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d of two concurrent uses of one code succeeded, want 1", n)
		}
		for i, want := range []bool{true, false} {
			err := db.InTx(ctx, func(c *store.Conn) error { return c.UseRecoveryCode(ctx, u.ID, "h1") })
			if (err == nil) != want {
				t.Errorf("recovery code use #%d = %v", i+1, err)
			}
		}
		if left, _ := db.Conn().UnusedRecoveryCodes(ctx, u.ID); left != 1 {
			t.Errorf("%d recovery codes left, want 1", left)
		}
		if err := db.InTx(ctx, func(c *store.Conn) error { return c.ResetTOTP(ctx, u.ID) }); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Conn().UserByID(ctx, u.ID); got.TOTPEnabled {
			t.Error("two-factor still on after reset")
		}
		if left, _ := db.Conn().UnusedRecoveryCodes(ctx, u.ID); left != 0 {
			t.Errorf("%d recovery codes left after reset, want 0", left)
		}
	})
}

func TestSessionsAndTokens(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := createUser(t, db, "a@example.se")
		roleless := createUser(t, db, "utan-roll@example.se")
		var sess domain.Session
		err := db.InTx(ctx, func(c *store.Conn) error {
			g := domain.RoleGrant{Role: domain.RoleAuditor}
			if _, err := c.GrantRole(ctx, u.ID, g); err != nil {
				return err
			}
			if _, err := c.GrantRole(ctx, u.ID, domain.RoleGrant{Role: domain.RoleAdmin}); err != nil {
				return err
			}
			if _, err := c.CreateSession(ctx, domain.Session{UserID: roleless.ID, CSRFToken: "csrf-2", ExpiresAt: time.Now().Add(time.Hour)}, "hash-2"); err != nil {
				return err
			}
			var err error
			sess, err = c.CreateSession(ctx, domain.Session{UserID: u.ID, CSRFToken: "csrf", ExpiresAt: time.Now().Add(time.Hour)}, "hash-1")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		got, gotUser, err := db.Conn().SessionUser(ctx, "hash-1")
		if err != nil || got.ID != sess.ID || got.MFADone || got.CSRFToken != "csrf" {
			t.Fatalf("SessionUser = %+v, %v", got, err)
		}
		// The one query gives the same user and roles as reading the user.
		want, _ := db.Conn().UserByID(ctx, u.ID)
		if !reflect.DeepEqual(gotUser, want) || len(want.Roles) != 2 {
			t.Errorf("SessionUser's user = %+v, want %+v with two roles", gotUser, want)
		}
		if _, r, err := db.Conn().SessionUser(ctx, "hash-2"); err != nil || r.ID != roleless.ID || len(r.Roles) != 0 {
			t.Errorf("SessionUser of a user without roles = %+v, %v", r, err)
		}
		if _, _, err := db.Conn().SessionUser(ctx, "no-such-hash"); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("SessionUser of an unknown token: %v, want ENOTFOUND", err)
		}
		if n, err := db.Conn().EndExpiredSessions(ctx, time.Hour); err != nil || n != 0 {
			t.Errorf("EndExpiredSessions removed %d live sessions (%v)", n, err)
		}
		if err := db.InTx(ctx, func(c *store.Conn) error { return c.SetDisabled(ctx, u.ID, true) }); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.Conn().SessionUser(ctx, "hash-1"); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("a disabled user's session survives: %v", err)
		}

		var tok domain.APIToken
		err = db.InTx(ctx, func(c *store.Conn) error {
			var err error
			if _, err = c.CreateAPIToken(ctx, domain.APIToken{UserID: u.ID, Name: "gammal", ExpiresAt: time.Now().Add(-time.Hour)}, "t0"); err == nil {
				t.Error("a token expiring in the past was accepted")
			}
			tok, err = c.CreateAPIToken(ctx, domain.APIToken{UserID: u.ID, Name: "skript"}, "t1")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := db.Conn().APITokenByHash(ctx, "t1"); err != nil || !got.Active(time.Now()) {
			t.Errorf("APITokenByHash = %+v, %v", got, err)
		}
		other := createUser(t, db, "b@example.se")
		if err := db.InTx(ctx, func(c *store.Conn) error { return c.RevokeAPIToken(ctx, other.ID, tok.ID) }); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("another user revoked the token: %v", err)
		}
		if err := db.InTx(ctx, func(c *store.Conn) error { return c.RevokeAPIToken(ctx, u.ID, tok.ID) }); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Conn().APITokenByHash(ctx, "t1"); got.Active(time.Now()) {
			t.Error("a revoked token is still active")
		}
	})
}
