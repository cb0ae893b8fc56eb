package store_test

import (
	"context"
	"io/fs"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/pressly/goose/v3"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/migrations"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
	"github.com/region-jh/gns/sv"
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
		got, gotUser, demoActive, err := db.Conn().SessionUser(ctx, "hash-1")
		if err != nil || got.ID != sess.ID || got.MFADone || got.CSRFToken != "csrf" {
			t.Fatalf("SessionUser = %+v, %v", got, err)
		}
		if demoActive {
			t.Error("SessionUser says demo users can log in; there are none")
		}
		// The one query gives the same user and roles as reading the user.
		want, _ := db.Conn().UserByID(ctx, u.ID)
		if !reflect.DeepEqual(gotUser, want) || len(want.Roles) != 2 {
			t.Errorf("SessionUser's user = %+v, want %+v with two roles", gotUser, want)
		}
		if _, r, _, err := db.Conn().SessionUser(ctx, "hash-2"); err != nil || r.ID != roleless.ID || len(r.Roles) != 0 {
			t.Errorf("SessionUser of a user without roles = %+v, %v", r, err)
		}
		if _, _, _, err := db.Conn().SessionUser(ctx, "no-such-hash"); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("SessionUser of an unknown token: %v, want ENOTFOUND", err)
		}
		if n, err := db.Conn().EndExpiredSessions(ctx, time.Hour); err != nil || n != 0 {
			t.Errorf("EndExpiredSessions removed %d live sessions (%v)", n, err)
		}
		if err := db.InTx(ctx, func(c *store.Conn) error { return c.SetDisabled(ctx, u.ID, true) }); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := db.Conn().SessionUser(ctx, "hash-1"); domain.ErrorCode(err) != domain.ENOTFOUND {
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

// A read through an API token writes nothing but what is new: the token's
// last use at most once a minute, and an entry in the audit trail on its
// first use of a day and on its first use from an address.
func TestAPITokenUse(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		stockholm := sv.Location()
		t0 := time.Date(2026, 3, 10, 23, 58, 30, 0, stockholm)
		now := t0
		db.SetClock(func() time.Time { return now })
		u := createUser(t, db, "skript@example.se", domain.RoleGrant{Role: domain.RoleAuditor})
		ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
		var tok domain.APIToken
		if err := db.InTx(ctx, func(c *store.Conn) error {
			var err error
			tok, err = c.CreateAPIToken(ctx, domain.APIToken{UserID: u.ID, Name: "skript"}, "token-hash")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		// uses reads the token as a request from addr does, records the
		// use when it has something to record, and returns how many
		// token_use entries the audit trail holds after.
		uses := func(addr string) int {
			t.Helper()
			got, gotUser, known, err := db.Conn().APITokenUser(ctx, "token-hash", addr)
			if err != nil || got.ID != tok.ID || gotUser.ID != u.ID {
				t.Fatalf("APITokenUser = %+v, %+v, %v", got, gotUser, err)
			}
			if got.UseToRecord(db.Now(), known) {
				actx := domain.WithActor(ctx, domain.Actor{UserID: u.ID, Label: u.Email, RemoteAddr: addr})
				if err := db.InTx(actx, func(c *store.Conn) error {
					return c.RecordAPITokenUse(actx, tok.ID, addr, "GET", "/api/v1/me")
				}); err != nil {
					t.Fatal(err)
				}
			}
			entries, _, err := db.Conn().AuditEntries(ctx, domain.AuditFilter{Entity: "api_token"})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, e := range entries {
				if e.Action == "token_use" {
					n++
				}
			}
			return n
		}
		lastUsed := func() time.Time {
			t.Helper()
			got, err := db.Conn().APITokenByHash(ctx, "token-hash")
			if err != nil {
				t.Fatal(err)
			}
			return got.LastUsedAt
		}
		// The first use is recorded, with the token's user and roles read
		// in the same query as the token.
		if n := uses("192.0.2.1"); n != 1 || !lastUsed().Equal(t0) {
			t.Fatalf("after the first use: %d audit entries, last use %v; want 1 and %v", n, lastUsed(), t0)
		}
		_, gotUser, known, _ := db.Conn().APITokenUser(ctx, "token-hash", "192.0.2.1")
		if want, _ := db.Conn().UserByID(ctx, u.ID); !reflect.DeepEqual(gotUser, want) || len(want.Roles) != 1 || !known {
			t.Errorf("APITokenUser's user = %+v (address known %v), want %+v with one role", gotUser, known, want)
		}
		// Reads within the minute write nothing.
		for range 5 {
			now = now.Add(10 * time.Second)
			if n := uses("192.0.2.1"); n != 1 || !lastUsed().Equal(t0) {
				t.Fatalf("a repeated read at %v: %d audit entries, last use %v; want 1 and %v", now, n, lastUsed(), t0)
			}
		}
		// A request recorded anyway (a second one in flight that saw the
		// old state) writes nothing either: the statements check again.
		actx := domain.WithActor(ctx, domain.Actor{UserID: u.ID, RemoteAddr: "192.0.2.1"})
		if err := db.InTx(actx, func(c *store.Conn) error { return c.RecordAPITokenUse(actx, tok.ID, "192.0.2.1", "GET", "/") }); err != nil {
			t.Fatal(err)
		}
		if n := uses("192.0.2.1"); n != 1 || !lastUsed().Equal(t0) {
			t.Errorf("a use recorded twice: %d audit entries, last use %v", n, lastUsed())
		}
		// A minute later the last use moves, the audit trail does not.
		now = t0.Add(time.Minute)
		if n := uses("192.0.2.1"); n != 1 || !lastUsed().Equal(now) {
			t.Errorf("a minute on: %d audit entries, last use %v; want 1 and %v", n, lastUsed(), now)
		}
		// A new address is recorded in the audit trail, with the address.
		now = now.Add(time.Second)
		if n := uses("198.51.100.7"); n != 2 {
			t.Errorf("first use from a new address: %d audit entries, want 2", n)
		}
		entries, _, _ := db.Conn().AuditEntries(ctx, domain.AuditFilter{Entity: "api_token", Limit: 1})
		if len(entries) != 1 || entries[0].RemoteAddr != "198.51.100.7" || !strings.Contains(string(entries[0].After), `"new_address":true`) {
			t.Errorf("the new address's entry = %+v", entries)
		}
		if n := uses("198.51.100.7"); n != 2 {
			t.Errorf("a second use from that address: %d audit entries, want 2", n)
		}
		// The first use of a Swedish day is recorded, even within the
		// minute of the last one.
		last := lastUsed()
		now = time.Date(2026, 3, 11, 0, 0, 5, 0, stockholm)
		if now.Sub(last) >= time.Minute {
			t.Fatalf("the test's clock: %v is a minute after %v", now, last)
		}
		if n := uses("192.0.2.1"); n != 3 || !lastUsed().Equal(now) {
			t.Errorf("the first use of a day: %d audit entries, last use %v; want 3 and %v", n, lastUsed(), now)
		}
		if n := uses("192.0.2.1"); n != 3 {
			t.Errorf("the second use of the day: %d audit entries, want 3", n)
		}
		if _, _, _, err := db.Conn().APITokenUser(ctx, "no-such-hash", "192.0.2.1"); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("APITokenUser of an unknown token: %v, want ENOTFOUND", err)
		}
	})
}

// The migration that adds the addresses of API tokens takes over the
// addresses the audit trail already holds for each token, with the first
// time each was used, so that no old address counts as new.
func TestTokenAddressesMigration(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fsys, dialect := migrations.SQLite(), goose.DialectSQLite3
		if db.Dialect() == store.Postgres {
			fsys, dialect = migrations.Postgres(), goose.DialectPostgres
		}
		names, err := fs.Glob(fsys, "*_api_token_addresses.sql")
		if err != nil || len(names) != 1 {
			t.Fatalf("the migration: %v, %v", names, err)
		}
		version, err := strconv.ParseInt(strings.SplitN(names[0], "_", 2)[0], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		p, err := goose.NewProvider(dialect, db.SQL(), fsys)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.DownTo(ctx, version-1); err != nil {
			t.Fatal(err)
		}
		rebind := func(q string) string {
			if db.Dialect() == store.Postgres {
				return sqlx.Rebind(sqlx.DOLLAR, q)
			}
			return q
		}
		u := createUser(t, db, "skript@example.se")
		actx := domain.WithActor(ctx, domain.Actor{Label: "test"})
		var tok domain.APIToken
		if err := db.InTx(actx, func(c *store.Conn) error {
			var err error
			tok, err = c.CreateAPIToken(actx, domain.APIToken{UserID: u.ID, Name: "skript"}, "token-hash")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		first := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
		for i, addr := range []string{"192.0.2.1", "192.0.2.1", "198.51.100.7"} {
			at := first.Add(time.Duration(i) * time.Hour)
			if _, err := db.SQL().Exec(rebind(`INSERT INTO audit_log (at, actor, action, entity, entity_id, remote_addr)
				VALUES (?, 'skript@example.se', 'token_use', 'api_token', ?, ?)`), at, strconv.FormatInt(tok.ID, 10), addr); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := p.UpTo(ctx, version); err != nil {
			t.Fatal(err)
		}
		for addr, known := range map[string]bool{"192.0.2.1": true, "198.51.100.7": true, "203.0.113.9": false} {
			if _, _, got, err := db.Conn().APITokenUser(ctx, "token-hash", addr); err != nil || got != known {
				t.Errorf("after the migration, address %s known = %v (%v), want %v", addr, got, err, known)
			}
		}
		var firstUse time.Time
		if err := db.SQL().QueryRow(rebind(`SELECT first_used_at FROM api_token_addresses WHERE remote_addr = ?`), "192.0.2.1").Scan(&firstUse); err != nil || !firstUse.Equal(first) {
			t.Errorf("first use from 192.0.2.1 = %v (%v), want %v", firstUse, err, first)
		}
		if _, err := p.Up(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
