package access

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"
)

// AttemptCounts are the attempts counted in a window: those for one account
// from one address, for the account from every address, and from the address
// for every account.
type AttemptCounts struct {
	AccountFromAddress, Account, Address int
}

// attemptLockBuckets is how many lock rows the accounts share (see
// RecordLoginAttempt): a fixed number, so the table never grows.
const attemptLockBuckets = 1024

// RecordLoginAttempt counts an attempt to check a password or code for
// account from address, before it is checked, and returns its id (for
// ForgetLoginAttempt once the check succeeds) and the attempts made within
// window, this one included. It must run in a transaction: it first takes the
// lock row of the account's bucket, so attempts for one account made in
// parallel, on any instance, are counted one after the other and each sees
// those before it. Attempts older than the window are removed on the way.
func (c Access) RecordLoginAttempt(ctx context.Context, account, address string, window time.Duration) (int64, AttemptCounts, error) {
	h := fnv.New32a()
	h.Write([]byte(account))
	bucket := int64(h.Sum32() % attemptLockBuckets)
	at := c.db.Now()
	if _, err := c.db.Exec(ctx, `INSERT INTO login_attempt_locks (bucket, touched) VALUES (?, ?)
		ON CONFLICT (bucket) DO UPDATE SET touched = excluded.touched`, bucket, at.UnixMicro()); err != nil {
		return 0, AttemptCounts{}, fmt.Errorf("lock login attempts: %w", err)
	}
	since := at.Add(-window)
	if _, err := c.db.Exec(ctx, `DELETE FROM login_attempts WHERE attempted_at < ?`, since); err != nil {
		return 0, AttemptCounts{}, fmt.Errorf("forget old login attempts: %w", err)
	}
	id, err := c.db.Insert(ctx, `INSERT INTO login_attempts (account, address, attempted_at) VALUES (?, ?, ?)`, account, address, at)
	if err != nil {
		return 0, AttemptCounts{}, fmt.Errorf("record login attempt: %w", err)
	}
	n, err := c.CountLoginAttempts(ctx, account, address, since)
	return id, n, err
}

// ForgetLoginAttempt removes an attempt whose check succeeded: only failures
// count against the limits.
func (c Access) ForgetLoginAttempt(ctx context.Context, id int64) error {
	if _, err := c.db.Exec(ctx, `DELETE FROM login_attempts WHERE id = ?`, id); err != nil {
		return fmt.Errorf("forget login attempt: %w", err)
	}
	return nil
}

// CountLoginAttempts counts the attempts made since since, the one being
// made included.
func (c Access) CountLoginAttempts(ctx context.Context, account, address string, since time.Time) (AttemptCounts, error) {
	var n AttemptCounts
	err := c.db.Get(ctx, &n.Account, `SELECT COUNT(*) FROM login_attempts WHERE account = ? AND attempted_at >= ?`, account, since)
	if err == nil {
		err = c.db.Get(ctx, &n.Address, `SELECT COUNT(*) FROM login_attempts WHERE address = ? AND attempted_at >= ?`, address, since)
	}
	if err == nil {
		err = c.db.Get(ctx, &n.AccountFromAddress, `SELECT COUNT(*) FROM login_attempts WHERE account = ? AND address = ? AND attempted_at >= ?`, account, address, since)
	}
	if err != nil {
		return AttemptCounts{}, fmt.Errorf("count login attempts: %w", err)
	}
	return n, nil
}
