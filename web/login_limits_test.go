package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// fromAddress serves h as if every request came from the network address
// addr.
func fromAddress(h http.Handler, addr string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.RemoteAddr = addr + ":50000"
		h.ServeHTTP(w, r)
	})
}

// TestLoginLimitHoldsInParallel: twenty wrong passwords for one account sent
// at once are counted before any is checked, so no more than the limit (5)
// are checked; the rest are refused with 429.
func TestLoginLimitHoldsInParallel(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestServer(t, db)
		newUser(t, db, "a@example.se", domain.RoleGrant{Role: domain.RoleAuditor}, false)
		browsers := make([]*browser, 20)
		for i := range browsers {
			browsers[i] = newBrowser(t, s.Handler())
			browsers[i].get("/logga-in")
		}
		codes := make([]int, len(browsers))
		var wg sync.WaitGroup
		for i, b := range browsers {
			wg.Go(func() {
				codes[i] = b.post("/logga-in", url.Values{"email": {"a@example.se"}, "password": {"fel-lösenord-igen"}}).Code
			})
		}
		wg.Wait()
		checked := 0
		for _, code := range codes {
			switch code {
			case http.StatusUnauthorized:
				checked++
			case http.StatusTooManyRequests:
			default:
				t.Errorf("a wrong login answered %d, want 401 or 429", code)
			}
		}
		if checked > 5 || checked == 0 {
			t.Errorf("%d of 20 parallel wrong passwords were checked, want 1 to 5: %v", checked, codes)
		}
	})
}

// TestLoginLimitSparesTheRealUser: failures from one address do not lock out
// the account's owner logging in from another.
func TestLoginLimitSparesTheRealUser(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestServer(t, db)
		newUser(t, db, "a@example.se", domain.RoleGrant{Role: domain.RoleAuditor}, false)
		attacker := newBrowser(t, fromAddress(s.Handler(), "203.0.113.66"))
		for range 6 {
			attacker.login("a@example.se", "fel-lösenord-igen")
		}
		if w := attacker.login("a@example.se", testPassword); w.Code != http.StatusTooManyRequests {
			t.Errorf("the attacker's address after six failures = %d, want 429", w.Code)
		}
		owner := newBrowser(t, fromAddress(s.Handler(), "198.51.100.7"))
		if w := owner.login("a@example.se", testPassword); w.Code != http.StatusSeeOther {
			t.Errorf("the owner's login from another address = %d, want a login (303)", w.Code)
		}
	})
}

// TestTwoInstancesShareOneDatabase: two servers on one database, as behind a
// load balancer, share the login limit, the sessions and whether demo mode
// is on.
func TestTwoInstancesShareOneDatabase(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		one, _ := newTestServer(t, db)
		two, _ := newTestServer(t, db)
		demoUser := newUser(t, db, "a@example.se", domain.RoleGrant{Role: domain.RoleAdmin}, true)

		// The limit: five failures on one instance, the sixth on the other.
		b1, b2 := newBrowser(t, one.Handler()), newBrowser(t, two.Handler())
		for range 5 {
			if w := b1.login("a@example.se", "fel-lösenord-igen"); w.Code != http.StatusUnauthorized {
				t.Fatalf("a wrong login on the first instance = %d, want 401", w.Code)
			}
		}
		if w := b2.login("a@example.se", "fel-lösenord-igen"); w.Code != http.StatusTooManyRequests {
			t.Errorf("the sixth wrong login, on the second instance = %d, want 429", w.Code)
		}

		// A session made on one instance is known to the other, and ends on
		// both when it is ended on one.
		owner := newBrowser(t, fromAddress(one.Handler(), "198.51.100.7"))
		if w := owner.login("a@example.se", testPassword); w.Code != http.StatusSeeOther {
			t.Fatalf("login on the first instance = %d", w.Code)
		}
		owner.h = fromAddress(two.Handler(), "198.51.100.7")
		if w := owner.get("/konto"); w.Code != http.StatusOK {
			t.Fatalf("the session on the second instance: /konto = %d, want 200", w.Code)
		}
		owner.post("/logga-ut", nil)
		owner.h = fromAddress(one.Handler(), "198.51.100.7")
		if w := owner.get("/konto"); w.Code != http.StatusSeeOther {
			t.Errorf("after logging out on the second instance, the first still knows the session: %d", w.Code)
		}

		// Demo mode ended through one instance is over on the other at once:
		// no page there still says "Demoläge".
		if w := get(t, two.Handler(), "/logga-in"); !strings.Contains(w.Body.String(), "Demoläge") {
			t.Fatal("the second instance shows no demo banner while a demo user can log in")
		}
		ctx := context.Background()
		if err := db.InTx(ctx, func(tx *store.Conn) error { return tx.SetDisabled(ctx, demoUser.ID, true) }); err != nil {
			t.Fatal(err)
		}
		if w := get(t, two.Handler(), "/logga-in"); strings.Contains(w.Body.String(), "Demoläge") {
			t.Error("the second instance still shows the demo banner after the demo user was disabled")
		}
	})
}

// TestTwoInstancesNumberCasesInTurn: cases registered in turn through two
// servers on one database get one gap-free series of numbers.
func TestTwoInstancesNumberCasesInTurn(t *testing.T) {
	t.Parallel()
	runDemo(t, func(t *testing.T, db *store.DB) {
		one, _ := newTestServer(t, db)
		two, _ := newTestServer(t, db)
		b := newBrowser(t, one.Handler())
		if w := b.login("sekretariat@demo.gns.example", demo.Password); w.Code != http.StatusSeeOther {
			t.Fatalf("the secretariat's login = %d", w.Code)
		}
		var numbers []string
		for i := range 6 {
			b.h = []http.Handler{one.Handler(), two.Handler()}[i%2]
			b.get("/namnder/GNS/arenden/ny")
			w := b.post("/namnder/GNS/arenden", url.Values{"title": {fmt.Sprintf("Ärende %d", i)}})
			if w.Code != http.StatusSeeOther {
				t.Fatalf("registering case %d on instance %d = %d", i, i%2+1, w.Code)
			}
			numbers = append(numbers, location(w))
		}
		year := today().Year
		for i, got := range numbers {
			if want := fmt.Sprintf("/arenden/GNS/%d/%d", i+1, year); got != want {
				t.Errorf("case %d registered at %s, want %s (numbers in turn: %v)", i, got, want, numbers)
			}
		}
	})
}
