package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/mail"
	"github.com/region-jh/gns/mail/mailtest"
	"github.com/region-jh/gns/outbox"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

var quietLog = slog.New(slog.NewTextHandler(io.Discard, nil))

func testMail(to string) domain.Mail {
	return domain.Mail{Kind: domain.MailKallelse, ToEmail: to, ToName: "Anna Ledamot", FromName: "Gemensam nämnd för hjälpmedel",
		Subject: "Kallelse till sammanträde 14 december", Text: "Hej!\n\nDu kallas till sammanträde.\n", HTML: "<p>Hej!</p><p>Du kallas till sammanträde.</p>"}
}

// startQueue starts a queue on db sending to srv, stopped at the end.
func startQueue(t *testing.T, db *store.DB, srv *mailtest.Server, o outbox.Options) *outbox.Queue {
	t.Helper()
	q := newQueue(t, db, srv, o)
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return q
}

// newQueue makes a queue on db sending to srv, stopped at the end.
func newQueue(t *testing.T, db *store.DB, srv *mailtest.Server, o outbox.Options) *outbox.Queue {
	t.Helper()
	if o.RetryBase == 0 {
		o.RetryBase = 10 * time.Millisecond
	}
	if o.PollInterval == 0 {
		o.PollInterval = 50 * time.Millisecond
	}
	o.Logger = quietLog
	q, err := outbox.New(db, senderFor(srv), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = q.Stop(ctx)
	})
	return q
}

func keep(t *testing.T, db *store.DB, m domain.Mail) {
	t.Helper()
	if err := db.InTx(context.Background(), func(c *store.Conn) error {
		_, err := c.QueueMail(context.Background(), m)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// waitStatus waits until every mail has the status (at most d).
func waitStatus(t *testing.T, db *store.DB, want domain.MailStatus, n int, d time.Duration) []domain.Mail {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		ms, err := db.Conn().Mails(context.Background(), store.MailFilter{})
		if err != nil {
			t.Fatal(err)
		}
		done := 0
		for _, m := range ms {
			if m.Status == want {
				done++
			}
		}
		if done >= n {
			return ms
		}
		if time.Now().After(deadline) {
			for _, m := range ms {
				t.Logf("mail %d to %s: %s, %d attempts, %q", m.ID, m.ToEmail, m.Status, m.Attempts, m.LastError)
			}
			t.Fatalf("after %s %d of %d mails are %s", d, done, n, want)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// TestMailGoesWithCommit: a mail kept in a transaction that commits is sent
// over SMTP, as text and HTML, with the committee's name as the sender's; a
// mail kept in a transaction that rolls back leaves no mail and no job.
func TestMailGoesWithCommit(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		srv := mailtest.Start(t)
		startQueue(t, db, srv, outbox.Options{})
		ctx := context.Background()
		errUndo := errors.New("the change fails after the mail")
		err := db.InTx(ctx, func(c *store.Conn) error {
			if _, err := c.QueueMail(ctx, testMail("aterkallad@example.org")); err != nil {
				return err
			}
			return errUndo
		})
		if !errors.Is(err, errUndo) {
			t.Fatalf("rolled-back transaction: %v", err)
		}
		keep(t, db, testMail("anna@example.org"))
		got := srv.Wait(t, 1, 20*time.Second)
		m := got[0]
		if len(m.To) != 1 || m.To[0] != "anna@example.org" {
			t.Errorf("recipients = %v", m.To)
		}
		if from := m.Header("From"); !strings.Contains(from, "Gemensam nämnd för hjälpmedel") || !strings.Contains(from, "<gns@region.example.se>") {
			t.Errorf("From = %q, want the committee's name and GNS_MAIL_FROM", from)
		}
		if subj := m.Header("Subject"); subj != "Kallelse till sammanträde 14 december" {
			t.Errorf("Subject = %q", subj)
		}
		if !m.Contains("Du kallas till sammanträde.") || !strings.Contains(m.Body("text/html"), "<p>Du kallas till sammanträde.</p>") {
			t.Errorf("the mail lacks its text or HTML part:\n%s", m.Raw)
		}
		ms := waitStatus(t, db, domain.MailSent, 1, 10*time.Second)
		if len(ms) != 1 {
			t.Fatalf("mails kept = %d, want 1 (the rolled-back one leaves none)", len(ms))
		}
		if ms[0].Attempts != 1 || ms[0].SentAt.IsZero() {
			t.Errorf("sent mail: attempts %d, sent at %v", ms[0].Attempts, ms[0].SentAt)
		}
		time.Sleep(200 * time.Millisecond)
		if n := len(srv.Messages()); n != 1 {
			t.Errorf("the server got %d mails, want 1", n)
		}
	})
}

// TestMailKeptWithoutQueue: without an SMTP server (no queue) a mail is kept
// and shown as not sent; QueueMail outside a transaction is refused.
func TestMailKeptWithoutQueue(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		keep(t, db, testMail("anna@example.org"))
		ms, err := db.Conn().Mails(context.Background(), store.MailFilter{})
		if err != nil || len(ms) != 1 || ms[0].Status != domain.MailKept {
			t.Fatalf("mails = %+v, %v; want one kept", ms, err)
		}
		if _, err := db.Conn().QueueMail(context.Background(), testMail("x@example.org")); err == nil {
			t.Error("QueueMail outside a transaction was accepted")
		}
	})
}

// TestMailRetried: a server that refuses for a while (451) or drops the
// connection gets the mail again, with a longer wait each time, until it
// takes it; the attempts and the last error are on the mail.
func TestMailRetried(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		srv := mailtest.Start(t)
		srv.Then(mailtest.Accept, mailtest.RefuseTemporarily, mailtest.Drop)
		startQueue(t, db, srv, outbox.Options{})
		keep(t, db, testMail("anna@example.org"))
		srv.Wait(t, 1, 40*time.Second)
		ms := waitStatus(t, db, domain.MailSent, 1, 10*time.Second)
		if ms[0].Attempts != 3 {
			t.Errorf("attempts = %d, want 3 (refused, dropped, sent)", ms[0].Attempts)
		}
		if srv.Attempts() != 3 {
			t.Errorf("the server was offered the mail %d times, want 3", srv.Attempts())
		}
	})
}

// TestMailFails: a recipient the server refuses for good (550) fails at
// once; a server that keeps refusing temporarily fails the mail after the
// last attempt. Both show the server's answer.
func TestMailFails(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		srv := mailtest.Start(t)
		srv.Then(mailtest.RefuseTemporarily, mailtest.RefuseRecipient)
		startQueue(t, db, srv, outbox.Options{MaxAttempts: 2})
		keep(t, db, testMail("finns-inte@example.org"))
		ms := waitStatus(t, db, domain.MailFailed, 1, 20*time.Second)
		if ms[0].Attempts != 1 || !strings.Contains(ms[0].LastError, "550") {
			t.Errorf("refused recipient: attempts %d, error %q; want 1 and the 550", ms[0].Attempts, ms[0].LastError)
		}
		keep(t, db, testMail("anna@example.org"))
		ms = waitStatus(t, db, domain.MailFailed, 2, 40*time.Second)
		if ms[0].Attempts != 2 || !strings.Contains(ms[0].LastError, "451") {
			t.Errorf("refused for a while: attempts %d, error %q; want 2 and the 451", ms[0].Attempts, ms[0].LastError)
		}
		if n := len(srv.Messages()); n != 0 {
			t.Errorf("the server took %d mails", n)
		}
	})
}

// TestTwoInstancesSendOnce: two queues (two gns serve) on one database send
// each of many mails exactly once.
func TestTwoInstancesSendOnce(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		srv := mailtest.Start(t)
		a := newQueue(t, db, srv, outbox.Options{ID: "instans-a"})
		b := newQueue(t, db, srv, outbox.Options{ID: "instans-b"})
		const n = 40
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				keep(t, db, testMail(fmt.Sprintf("ledamot%d@example.org", i)))
			}()
		}
		wg.Wait()
		// Both instances start with the 40 mails waiting.
		for _, q := range []*outbox.Queue{a, b} {
			if err := q.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		waitStatus(t, db, domain.MailSent, n, 60*time.Second)
		time.Sleep(300 * time.Millisecond)
		seen := map[string]int{}
		for _, m := range srv.Messages() {
			seen[m.To[0]]++
		}
		if len(seen) != n {
			t.Errorf("%d recipients got mail, want %d", len(seen), n)
		}
		for to, k := range seen {
			if k != 1 {
				t.Errorf("%s got %d copies", to, k)
			}
		}
	})
}

func senderFor(srv *mailtest.Server) *mail.Sender {
	return mail.NewSender(srv.Config("gns@region.example.se"))
}

// TestMailWaitsForServer: with the SMTP server stopped nothing is lost: the
// attempts fail (recorded on the mail, which stays queued) and the mail goes
// once the server is back on its address.
func TestMailWaitsForServer(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		srv := mailtest.Start(t)
		srv.Stop()
		startQueue(t, db, srv, outbox.Options{RetryBase: 200 * time.Millisecond})
		keep(t, db, testMail("anna@example.org"))
		deadline := time.Now().Add(20 * time.Second)
		for {
			ms, err := db.Conn().Mails(context.Background(), store.MailFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if ms[0].Attempts >= 1 {
				if ms[0].Status != domain.MailQueued || ms[0].LastError == "" {
					t.Fatalf("after a failed attempt the mail is %s with error %q, want queued with the error", ms[0].Status, ms[0].LastError)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("no attempt recorded while the server is down")
			}
			time.Sleep(25 * time.Millisecond)
		}
		back := mailtest.StartAt(t, srv.Addr)
		got := back.Wait(t, 1, 40*time.Second)
		if got[0].To[0] != "anna@example.org" {
			t.Errorf("recipient = %v", got[0].To)
		}
		ms := waitStatus(t, db, domain.MailSent, 1, 10*time.Second)
		if ms[0].Attempts < 2 {
			t.Errorf("attempts = %d, want the failed ones and the one that went", ms[0].Attempts)
		}
	})
}

// TestMailAttachments: a mail's attachments are kept with it, read back in
// their order, and arrive over SMTP as attached files with their names and
// types, byte for byte; an attachment without content is refused and keeps
// nothing.
func TestMailAttachments(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		srv := mailtest.Start(t)
		q := newQueue(t, db, srv, outbox.Options{})
		ctx := context.Background()
		pdf := []byte("%PDF-1.4\n% faktura 2020-0012\n\x00\xff binärt\n%%EOF\n")
		ubl := []byte(`<?xml version="1.0" encoding="UTF-8"?><Invoice>Östersund</Invoice>`)
		m := testMail("ekonomi@bracke.example")
		m.Attachments = []domain.MailAttachment{
			{Filename: "Faktura 2020-0012.pdf", ContentType: "application/pdf", Content: pdf},
			{Filename: "Faktura 2020-0012.xml", ContentType: "application/xml", Content: ubl},
		}
		bad := testMail("ekonomi@are.example")
		bad.Attachments = []domain.MailAttachment{{Filename: "tom.pdf", ContentType: "application/pdf"}}
		err := db.InTx(ctx, func(c *store.Conn) error {
			_, err := c.QueueMail(ctx, bad)
			return err
		})
		if domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("an empty attachment: err = %v, want EINVALID", err)
		}
		keep(t, db, m)
		ms, err := db.Conn().Mails(ctx, store.MailFilter{})
		if err != nil || len(ms) != 1 {
			t.Fatalf("mails = %d, %v; want only the good one", len(ms), err)
		}
		kept, err := db.Conn().Mail(ctx, ms[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(kept.Attachments) != 2 || kept.Attachments[0].Filename != "Faktura 2020-0012.pdf" ||
			string(kept.Attachments[0].Content) != string(pdf) || string(kept.Attachments[1].Content) != string(ubl) {
			t.Fatalf("kept attachments = %+v", kept.Attachments)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		got := srv.Wait(t, 1, 20*time.Second)[0].Attachments()
		if len(got) != 2 {
			t.Fatalf("attachments over SMTP = %d, want 2:\n%s", len(got), srv.Messages()[0].Raw)
		}
		for i, want := range m.Attachments {
			if got[i].Filename != want.Filename || got[i].ContentType != want.ContentType || string(got[i].Content) != string(want.Content) {
				t.Errorf("attachment %d = %q %q %q, want %q %q", i, got[i].Filename, got[i].ContentType, got[i].Content, want.Filename, want.ContentType)
			}
		}
	})
}
