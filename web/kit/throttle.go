package kit

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// LoginLimiter throttles login attempts per account and per address, so
// passwords and codes cannot be guessed at speed. Buckets are kept in memory
// and forgotten after an idle while; a restart forgets them, which costs an
// attacker nothing they could not get by waiting.
type LoginLimiter struct {
	mu        sync.Mutex
	accounts  map[string]*bucket
	addresses map[string]*bucket
	// Account: a burst of 5, then one attempt a minute. Address: a burst of 20,
	// then one every 6 seconds (an office behind one address still logs in).
	accountRate, addressRate   rate.Limit
	accountBurst, addressBurst int
	lastSweep                  time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func NewLoginLimiter() *LoginLimiter {
	return &LoginLimiter{
		accounts: map[string]*bucket{}, addresses: map[string]*bucket{},
		accountRate: rate.Every(time.Minute), accountBurst: 5,
		addressRate: rate.Every(6 * time.Second), addressBurst: 20,
	}
}

// blocked reports whether attempts for account from address are throttled
// now. Only failed attempts count (see failed), so a person who logs in and
// out often is never stopped.
func (l *LoginLimiter) Blocked(account, address string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if now.Sub(l.lastSweep) > 10*time.Minute {
		l.sweep(now)
	}
	a := l.get(l.accounts, account, l.accountRate, l.accountBurst, now)
	b := l.get(l.addresses, address, l.addressRate, l.addressBurst, now)
	return a.lim.TokensAt(now) < 1 || b.lim.TokensAt(now) < 1
}

// failed counts one failed attempt for account from address.
func (l *LoginLimiter) Failed(account, address string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	l.get(l.accounts, account, l.accountRate, l.accountBurst, now).lim.AllowN(now, 1)
	l.get(l.addresses, address, l.addressRate, l.addressBurst, now).lim.AllowN(now, 1)
}

func (l *LoginLimiter) get(m map[string]*bucket, key string, r rate.Limit, burst int, now time.Time) *bucket {
	b, ok := m[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(r, burst)}
		m[key] = b
	}
	b.seen = now
	return b
}

// sweep forgets buckets idle long enough to be full again.
func (l *LoginLimiter) sweep(now time.Time) {
	for _, m := range []map[string]*bucket{l.accounts, l.addresses} {
		for k, b := range m {
			if now.Sub(b.seen) > time.Hour {
				delete(m, k)
			}
		}
	}
	l.lastSweep = now
}
