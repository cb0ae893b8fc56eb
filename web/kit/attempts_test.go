package kit

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// attemptContext is a request from address, as Attempt reads it.
func attemptContext(address string) *gin.Context {
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest("POST", "/logga-in", nil)
	c.Request.RemoteAddr = address + ":40000"
	return c
}

func testKit(t *testing.T, db *store.DB) *Kit {
	t.Helper()
	k, err := New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), make([]byte, auth.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestAttemptLimits: failures are counted per account and address, a
// success is forgotten, and another address still gets its check.
func TestAttemptLimits(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		k := testKit(t, db)
		try := func(account, address string, ok bool) bool {
			done, allowed, err := k.Attempt(attemptContext(address), account)
			if err != nil {
				t.Fatal(err)
			}
			if allowed {
				done(ok)
			}
			return allowed
		}
		for i := range 10 {
			if !try("anna@example.org", "192.0.2.1", true) {
				t.Fatalf("success %d was throttled: successes do not count", i+1)
			}
		}
		for i := range maxAttemptsFromAddress {
			if !try("anna@example.org", "192.0.2.1", false) {
				t.Fatalf("failure %d was throttled, the limit is %d", i+1, maxAttemptsFromAddress)
			}
		}
		if try("anna@example.org", "192.0.2.1", true) {
			t.Error("the attempt after the limit from one address was checked")
		}
		if !try("anna@example.org", "198.51.100.7", true) {
			t.Error("the real user on another address was throttled by failures elsewhere")
		}
		if !try("bertil@example.org", "192.0.2.1", true) {
			t.Error("another account from the address was throttled")
		}
	})
}

// TestAttemptWindowEnds: a throttled account may try again once the window
// has passed (by the database's clock).
func TestAttemptWindowEnds(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		k := testKit(t, db)
		for range maxAttemptsFromAddress + 1 {
			if done, allowed, err := k.Attempt(attemptContext("192.0.2.1"), "anna@example.org"); err != nil {
				t.Fatal(err)
			} else if allowed {
				done(false)
			}
		}
		if _, allowed, _ := k.Attempt(attemptContext("192.0.2.1"), "anna@example.org"); allowed {
			t.Fatal("not throttled after the failures")
		}
		now = now.Add(attemptWindow + time.Second)
		done, allowed, err := k.Attempt(attemptContext("192.0.2.1"), "anna@example.org")
		if err != nil || !allowed {
			t.Fatalf("after the window: allowed %v, %v", allowed, err)
		}
		done(true)
	})
}

// TestAttemptsInParallel: attempts made at once are counted before any is
// checked, so no more than the limit get their check.
func TestAttemptsInParallel(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		k := testKit(t, db)
		var mu sync.Mutex
		checked := 0
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				done, allowed, err := k.Attempt(attemptContext("192.0.2.9"), "anna@example.org")
				if err != nil {
					t.Error(err)
					return
				}
				if allowed {
					mu.Lock()
					checked++
					mu.Unlock()
					time.Sleep(20 * time.Millisecond) // the check
					done(false)
				}
			})
		}
		wg.Wait()
		if checked > maxAttemptsFromAddress {
			t.Errorf("%d of 20 parallel wrong attempts were checked, the limit is %d", checked, maxAttemptsFromAddress)
		}
		if checked == 0 {
			t.Error("no attempt was checked")
		}
	})
}

// TestAttemptWaitsForAHashSlot: when every slot for a password check is
// taken, an attempt waits a while and is then turned away without being
// counted; once a slot frees, attempts get their check again.
func TestAttemptWaitsForAHashSlot(t *testing.T) {
	t.Parallel()
	k := testKit(t, storetest.NewSQLite(t))
	k.hashWait = 50 * time.Millisecond
	var held []func(bool)
	for range cap(k.hashSlots) {
		done, allowed, err := k.Attempt(attemptContext("192.0.2.1"), "anna@example.org")
		if err != nil || !allowed {
			t.Fatalf("an attempt while slots are free: allowed %v, %v", allowed, err)
		}
		held = append(held, done)
	}
	start := time.Now()
	if _, allowed, err := k.Attempt(attemptContext("192.0.2.2"), "bertil@example.org"); err != nil || allowed {
		t.Fatalf("an attempt with every slot taken: allowed %v, %v; want turned away", allowed, err)
	}
	if waited := time.Since(start); waited < k.hashWait {
		t.Errorf("turned away after %v, before waiting %v for a slot", waited, k.hashWait)
	}
	n, err := k.DB.Conn().CountLoginAttempts(context.Background(), "bertil@example.org", "192.0.2.2", time.Time{})
	if err != nil || n.Account != 0 {
		t.Errorf("the attempt turned away was counted: %+v, %v", n, err)
	}
	held[0](true)
	done, allowed, err := k.Attempt(attemptContext("192.0.2.2"), "bertil@example.org")
	if err != nil || !allowed {
		t.Fatalf("an attempt after a slot freed: allowed %v, %v", allowed, err)
	}
	done(true)
	for _, d := range held[1:] {
		d(true)
	}
}
