package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// fieldOf names the field of a field error, or "".
func fieldOf(err error) string {
	var e *domain.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

func saveProvider(ctx context.Context, db *store.DB, p domain.OIDCProvider) (domain.OIDCProvider, error) {
	err := db.InTx(ctx, func(c *store.Conn) error {
		var err error
		p, err = c.SaveOIDCProvider(ctx, p)
		return err
	})
	return p, err
}

// TestOIDCProviders: providers are saved checked, their secret kept when a
// change leaves it out, a domain belongs to one enabled provider, and
// disabling keeps the provider.
func TestOIDCProviders(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
		p, err := saveProvider(ctx, db, domain.OIDCProvider{Name: " Östersunds kommun ", Issuer: "https://idp.ostersund.example/realms/kommun",
			ClientID: "gns", SealedSecret: "sealed-1", Domains: []string{"Ostersund.example", "@ostersund.example", "skola.ostersund.example"}})
		if err != nil {
			t.Fatal(err)
		}
		if p.Name != "Östersunds kommun" || len(p.Domains) != 2 || p.Domains[0] != "ostersund.example" {
			t.Errorf("saved = %+v", p)
		}
		p.SealedSecret, p.Name = "", "Östersunds kommun (Keycloak)"
		if p, err = saveProvider(ctx, db, p); err != nil || p.SealedSecret != "sealed-1" {
			t.Errorf("change without a secret: %v, secret %q, want the old one kept", err, p.SealedSecret)
		}
		_, err = saveProvider(ctx, db, domain.OIDCProvider{Name: "Krokoms kommun", Issuer: "https://login.krokom.example", ClientID: "gns",
			SealedSecret: "s", Domains: []string{"krokom.example", "skola.ostersund.example"}})
		if fieldOf(err) != "domains" {
			t.Errorf("a domain of another provider: %v, want a field error on domains", err)
		}
		_, err = saveProvider(ctx, db, domain.OIDCProvider{Name: "Kopia", Issuer: p.Issuer, ClientID: "x", SealedSecret: "s", Domains: []string{"kopia.example"}})
		if fieldOf(err) != "issuer" {
			t.Errorf("the same issuer twice: %v, want a field error on issuer", err)
		}
		if err := db.InTx(ctx, func(c *store.Conn) error { return c.SetOIDCProviderDisabled(ctx, p.ID, true) }); err != nil {
			t.Fatal(err)
		}
		if _, err = saveProvider(ctx, db, domain.OIDCProvider{Name: "Krokoms kommun", Issuer: "https://login.krokom.example", ClientID: "gns",
			SealedSecret: "s", Domains: []string{"skola.ostersund.example"}}); err != nil {
			t.Errorf("a domain of a disabled provider: %v", err)
		}
		err = db.InTx(ctx, func(c *store.Conn) error { return c.SetOIDCProviderDisabled(ctx, p.ID, false) })
		if domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("enabling a provider whose domain another has taken: %v, want a conflict", err)
		}
		all, err := db.Conn().OIDCProviders(ctx)
		if err != nil || len(all) != 2 || !all[1].Disabled() {
			t.Errorf("providers = %+v, %v; want both, Östersund disabled", all, err)
		}
	})
}

// TestOIDCLoginIsTakenOnce: a login under way is given back once, also to
// requests at the same moment, and not after it has expired.
func TestOIDCLoginIsTakenOnce(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
		p, err := saveProvider(ctx, db, domain.OIDCProvider{Name: "Bräcke kommun", Issuer: "https://idp.bracke.example",
			ClientID: "gns", SealedSecret: "s", Domains: []string{"bracke.example"}})
		if err != nil {
			t.Fatal(err)
		}
		begin := func(hash string) {
			t.Helper()
			if err := db.InTx(ctx, func(c *store.Conn) error {
				return c.BeginOIDCLogin(ctx, hash, store.OIDCLogin{ProviderID: p.ID, Nonce: "n", CodeVerifier: "v", Next: "/"})
			}); err != nil {
				t.Fatal(err)
			}
		}
		take := func(hash string) (store.OIDCLogin, error) {
			var l store.OIDCLogin
			err := db.InTx(ctx, func(c *store.Conn) error {
				var err error
				l, err = c.TakeOIDCLogin(ctx, hash)
				return err
			})
			return l, err
		}
		begin("h1")
		var wg sync.WaitGroup
		var got [8]error
		for i := range got {
			wg.Go(func() { _, got[i] = take("h1") })
		}
		wg.Wait()
		taken := 0
		for _, err := range got {
			switch {
			case err == nil:
				taken++
			case domain.ErrorCode(err) != domain.ENOTFOUND && !store.Unavailable(err):
				t.Errorf("take at once: %v", err)
			}
		}
		if taken != 1 {
			t.Errorf("the state was taken %d times, want once", taken)
		}
		begin("h2")
		db.SetClock(func() time.Time { return time.Now().Add(store.OIDCLoginLifetime + time.Second) })
		defer db.SetClock(nil)
		if _, err := take("h2"); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("an expired login: %v, want not found", err)
		}
	})
}
