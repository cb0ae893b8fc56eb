package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store/internal/outbox"
)

// MailQueue puts a kept mail on the job queue inside the transaction that
// kept it, so the mail goes exactly when that transaction commits. The
// outbox package implements it with River.
type MailQueue interface {
	EnqueueMail(ctx context.Context, tx *sql.Tx, mailID int64) error
}

// MailFilter narrows Conn.Mails.
type MailFilter = outbox.MailFilter

// SetMailQueue makes q the queue that mails kept from now on go to; nil (the
// default, no SMTP server configured) keeps them unsent, shown under Utskick.
func (d *DB) SetMailQueue(q MailQueue) {
	if q == nil {
		d.mailQueue.Store(nil)
		return
	}
	d.mailQueue.Store(&q)
}

func (d *DB) queue() MailQueue {
	if q := d.mailQueue.Load(); q != nil {
		return *q
	}
	return nil
}

// errMailOutsideTx is a programming error: a mail is kept with the change
// that causes it, never on its own.
var errMailOutsideTx = errors.New("a mail is kept inside the transaction of the change that causes it (use InTx)")

// QueueMail keeps m and, when a queue is set (SMTP configured), puts it on
// the queue in the same transaction: if the transaction commits the mail
// will be sent, if it rolls back there is no mail. Without a queue the mail
// is kept with the status 'kept'. A user who chose not to get m's kind
// (Mitt konto) gets no mail unless the kind is required; queued reports
// whether a mail was kept at all.
func (c *Conn) QueueMail(ctx context.Context, m domain.Mail) (kept bool, err error) {
	if m.ToUserID != 0 && !m.Kind.Required() {
		if c.core.SQLTx() == nil {
			return false, errMailOutsideTx
		}
		out, err := c.MailOptOuts(ctx, m.ToUserID)
		if err != nil {
			return false, err
		}
		if out[m.Kind] {
			return false, nil
		}
	}
	_, err = c.KeepMail(ctx, m)
	return err == nil, err
}

// KeepMail keeps m whatever its recipient has chosen and returns its id:
// QueueMail for mail that must go (an invoice to a party's invoice
// address), and whose id the change records.
func (c *Conn) KeepMail(ctx context.Context, m domain.Mail) (int64, error) {
	tx := c.core.SQLTx()
	if tx == nil {
		return 0, errMailOutsideTx
	}
	q := c.queue
	status := domain.MailKept
	if q != nil {
		status = domain.MailQueued
	}
	id, err := c.InsertMail(ctx, m, status)
	if err != nil {
		return 0, err
	}
	if q != nil {
		if err := q.EnqueueMail(ctx, tx, id); err != nil {
			return 0, fmt.Errorf("queue mail %d: %w", id, err)
		}
	}
	return id, nil
}

// Sends reports whether mail kept on this connection will be sent (an SMTP
// server is configured), not only kept under Utskick.
func (c *Conn) Sends() bool { return c.queue != nil }

// SendsMail reports whether a mail queue is set: mails kept now will be
// sent, not only kept.
func (d *DB) SendsMail() bool { return d.queue() != nil }
