package access

import (
	"context"
	"fmt"
	"time"
)

// AttemptCounts are the attempts counted in a window: those for one account
// from one address, for the account from every address, and from the address
// for every account.
type AttemptCounts struct {
	AccountFromAddress, Account, Address int
}

// RecordLoginAttempt counts an attempt to check a password or code for
// account from address, before it is checked, and returns its id, for
// ForgetLoginAttempt once the check succeeds. Attempts older than forgetAfter
// are removed on the way, so the table stays small.
func (c Access) RecordLoginAttempt(ctx context.Context, account, address string, forgetAfter time.Duration) (int64, error) {
	at := c.db.Now()
	if _, err := c.db.Exec(ctx, `DELETE FROM login_attempts WHERE attempted_at < ?`, at.Add(-forgetAfter)); err != nil {
		return 0, fmt.Errorf("forget old login attempts: %w", err)
	}
	id, err := c.db.Insert(ctx, `INSERT INTO login_attempts (account, address, attempted_at) VALUES (?, ?, ?)`, account, address, at)
	if err != nil {
		return 0, fmt.Errorf("record login attempt: %w", err)
	}
	return id, nil
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
