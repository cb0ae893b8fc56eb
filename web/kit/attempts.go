package kit

import (
	"context"
	"runtime"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
)

// The limits on checking passwords and two-factor codes. Attempts are
// counted in the database before they are checked, so the limits hold for
// attempts made in parallel and across every instance on one database:
//
//   - one account from one address: 5 failures in 15 minutes, after which
//     that address waits, while the real user, on another address, still
//     logs in;
//   - one account from every address: 20 failures in 15 minutes, after which
//     the account waits out the window (minutes, never for good);
//   - one address, whatever the account: 30 failures in 15 minutes.
const (
	attemptWindow               = 15 * time.Minute
	maxAttemptsFromAddress      = 5
	maxAttemptsForAccount       = 20
	maxAttemptsFromAddressTotal = 30
)

// A password check (argon2id) takes some 19 MiB and tens of milliseconds.
// At most one per core (two at the least) runs at once in a server (the
// Kit's hashSlots); an attempt waits up to hashWait for a slot and is
// otherwise turned away as throttled, so a flood of logins cannot exhaust
// memory or starve the pages.
const hashWait = 3 * time.Second

func newHashSlots() chan struct{} { return make(chan struct{}, max(2, runtime.GOMAXPROCS(0))) }

// Attempt counts an attempt to check a password or a two-factor code for
// account (a lower-case e-mail address) from the request's address, before
// the check. It reports whether the check may be made now: not when a limit
// is reached, nor when no slot for the check frees within a few seconds.
// When it may, the caller makes the check and calls done with its outcome:
// a success forgets the attempt, a failure keeps it counted. done must be
// called exactly once.
func (s *Kit) Attempt(c *gin.Context, account string) (done func(ok bool), allowed bool, err error) {
	ctx := c.Request.Context()
	var (
		id int64
		n  store.AttemptCounts
	)
	err = s.DB.InTx(ctx, func(tx *store.Conn) error {
		id, n, err = tx.RecordLoginAttempt(ctx, account, c.ClientIP(), attemptWindow)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	if n.AccountFromAddress > maxAttemptsFromAddress || n.Account > maxAttemptsForAccount || n.Address > maxAttemptsFromAddressTotal {
		return nil, false, nil
	}
	select {
	case s.hashSlots <- struct{}{}:
	case <-time.After(s.hashWait):
		// Turned away before any check: this attempt does not count.
		return nil, false, s.forgetAttempt(ctx, id)
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
	return func(ok bool) {
		<-s.hashSlots
		if ok {
			if err := s.forgetAttempt(context.WithoutCancel(ctx), id); err != nil {
				s.Log.ErrorContext(ctx, "forget login attempt", "error", err)
			}
		}
	}, true, nil
}

func (s *Kit) forgetAttempt(ctx context.Context, id int64) error {
	return s.DB.Conn().ForgetLoginAttempt(ctx, id)
}

// ErrTooManyAttempts refuses a check that the limits on attempts stop (see
// Attempt); a page shows it with 429.
var ErrTooManyAttempts = domain.Errorf(domain.EFORBIDDEN, "%s", ErrThrottled)

// CheckCode checks a two-factor code of u (see CheckSecondFactor) as an
// attempt counted against the limits, and returns ErrTooManyAttempts when
// they stop it.
func (s *Kit) CheckCode(c *gin.Context, u domain.User, code string) error {
	done, allowed, err := s.Attempt(c, strings.ToLower(u.Email))
	if err != nil {
		return err
	}
	if !allowed {
		return ErrTooManyAttempts
	}
	err = s.CheckSecondFactor(c.Request.Context(), u, code)
	done(err == nil)
	return err
}
