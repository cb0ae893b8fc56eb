// Package outbox sends the mails GNS keeps, through a job queue in the same
// database: River (github.com/riverqueue/river), with its database/sql
// driver on PostgreSQL and its SQLite driver on SQLite.
//
// A mail is kept (store.Conn.QueueMail) and its job inserted in the
// transaction of the change that causes it, so a rolled-back change leaves
// neither. River takes each job with one worker of one instance at a time
// (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite has one writer), retries a
// failed attempt with backoff, and gives up after MaxAttempts; each attempt
// and its error are written on the mail, which then shows as sent or failed
// under Utskick. A mail already sent is never sent again, should its job
// run twice.
//
// The same queue runs the periodic jobs (Job: digests, reminders), on every
// gns serve whether SMTP is configured or not.
package outbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/mail"
	"github.com/region-jh/gns/store"
)

// Sender delivers one mail; *mail.Sender is the real one.
type Sender interface {
	Send(ctx context.Context, m domain.Mail) error
}

// queueName is River's queue for mail.
const queueName = "mail"

// SendMailArgs is the job that sends one kept mail.
type SendMailArgs struct {
	MailID int64 `json:"mail_id"`
}

// Kind names the job for River.
func (SendMailArgs) Kind() string { return "gns_send_mail" }

// InsertOpts puts the job on the mail queue, once per mail.
func (SendMailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queueName, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// Options tune the queue; the zero value is what gns serve uses.
type Options struct {
	// MaxAttempts is how many times a mail is tried before it is failed
	// (default 20: with the backoff below, about four days).
	MaxAttempts int
	// RetryBase is the wait after the first failure; each later wait is
	// twice the one before, at most six hours (default 30 s: 30 s, 1 min,
	// 2 min … so a server that is down an hour loses nothing).
	RetryBase time.Duration
	// PollInterval is how often an instance looks for jobs inserted by
	// another (default 2 s).
	PollInterval time.Duration
	// Workers is how many mails one instance sends at once (default 4).
	Workers int
	// ID names the instance in River's tables (default: River's own).
	ID string
	// Jobs are the periodic jobs (app.Jobs in gns serve).
	Jobs   []Job
	Logger *slog.Logger
}

// Queue is the job queue of one gns serve instance. It implements
// store.MailQueue.
type Queue struct {
	client *river.Client[*sql.Tx]
	db     *store.DB
}

// New makes the queue for db, sending with sender, and sets it as db's mail
// queue. Start it to send and to run the periodic jobs; mails kept before
// Start wait in the queue. With a nil sender (no SMTP server configured)
// the queue runs only the periodic jobs, and mails are kept, not sent.
func New(db *store.DB, sender Sender, o Options) (*Queue, error) {
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 20
	}
	if o.RetryBase <= 0 {
		o.RetryBase = 30 * time.Second
	}
	if o.PollInterval <= 0 {
		o.PollInterval = 2 * time.Second
	}
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	jobs, periodic, err := periodicJobs(o.Jobs)
	if err != nil {
		return nil, err
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &periodicWorker{db: db, jobs: jobs})
	queues := map[string]river.QueueConfig{periodicQueue: {MaxWorkers: 1}}
	if sender != nil {
		river.AddWorker(workers, &sendWorker{db: db, sender: sender, log: o.Logger})
		queues[queueName] = river.QueueConfig{MaxWorkers: o.Workers}
	}
	var driver riverdriver.Driver[*sql.Tx]
	switch db.Dialect() {
	case store.SQLite:
		driver = riversqlite.New(db.SQL())
	default:
		driver = riverdatabasesql.New(db.SQL())
	}
	client, err := river.NewClient(driver, &river.Config{
		ID:                o.ID,
		Queues:            queues,
		Workers:           workers,
		PeriodicJobs:      periodic,
		MaxAttempts:       o.MaxAttempts,
		RetryPolicy:       backoff{base: o.RetryBase},
		FetchPollInterval: o.PollInterval,
		FetchCooldown:     min(o.PollInterval, 100*time.Millisecond),
		JobTimeout:        2 * time.Minute,
		// A job whose instance died mid-send is taken up again after this:
		// long enough that a slow SMTP server is never sent to twice.
		RescueStuckJobsAfter: 30 * time.Minute,
		Logger:               quiet(o.Logger),
	})
	if err != nil {
		return nil, fmt.Errorf("mail queue: %w", err)
	}
	q := &Queue{client: client, db: db}
	if sender != nil {
		db.SetMailQueue(q)
	}
	return q, nil
}

// quiet passes on River's warnings and errors, not its routine messages.
func quiet(l *slog.Logger) *slog.Logger {
	return slog.New(levelFilter{l.Handler(), slog.LevelWarn})
}

type levelFilter struct {
	slog.Handler
	min slog.Level
}

func (f levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= f.min && f.Handler.Enabled(ctx, l)
}

// EnqueueMail inserts the job that sends mail mailID, in tx.
func (q *Queue) EnqueueMail(ctx context.Context, tx *sql.Tx, mailID int64) error {
	_, err := q.client.InsertTx(ctx, tx, SendMailArgs{MailID: mailID}, nil)
	return err
}

// Start begins sending; it returns at once.
func (q *Queue) Start(ctx context.Context) error { return q.client.Start(ctx) }

// Stop lets the mails being sent finish (until ctx ends) and stops.
func (q *Queue) Stop(ctx context.Context) error {
	err := q.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return q.client.StopAndCancel(context.Background())
	}
	return err
}

// backoff waits base after the first failure and doubles the wait after
// each one, at most six hours.
type backoff struct{ base time.Duration }

func (b backoff) NextRetry(job *rivertype.JobRow) time.Time {
	wait := b.base
	for i := 1; i < job.Attempt && wait < 6*time.Hour; i++ {
		wait *= 2
	}
	return time.Now().Add(min(wait, 6*time.Hour))
}

// sendWorker sends one kept mail.
type sendWorker struct {
	river.WorkerDefaults[SendMailArgs]
	db     *store.DB
	sender Sender
	log    *slog.Logger
}

func (w *sendWorker) Work(ctx context.Context, job *river.Job[SendMailArgs]) error {
	id := job.Args.MailID
	m, err := w.db.Conn().Mail(ctx, id)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if m.Status == domain.MailSent {
		return nil // sent already: never twice
	}
	sendErr := w.sender.Send(ctx, m)
	if sendErr == nil {
		err := w.db.InTx(ctx, func(c *store.Conn) error {
			_, err := c.MailSent(ctx, id)
			return err
		})
		if err != nil {
			// The server has the mail: sending again would send it twice.
			w.log.Error("mail sent but not marked as sent", "mail", id, "err", err)
		}
		return nil
	}
	var perm *mail.PermanentError
	permanent := errors.As(sendErr, &perm)
	final := permanent || job.Attempt >= job.MaxAttempts
	if err := w.db.InTx(ctx, func(c *store.Conn) error {
		return c.MailAttemptFailed(ctx, id, sendErr.Error(), final)
	}); err != nil {
		w.log.Error("mail attempt not recorded", "mail", id, "err", err)
	}
	w.log.Warn("mail not sent", "mail", id, "attempt", job.Attempt, "final", final, "err", sendErr)
	if permanent {
		return river.JobCancel(sendErr)
	}
	return sendErr
}
