package outbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/region-jh/gns/mail/mailtest"
	"github.com/region-jh/gns/outbox"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// BenchmarkKeepMail measures a transaction that keeps one mail on SQLite:
// without a queue (the mail kept unsent), and with River running beside it,
// inserting the job in the transaction while its workers send the mails
// already queued to a real SMTP server in the process and poll for more.
func BenchmarkKeepMail(b *testing.B) {
	for _, withQueue := range []bool{false, true} {
		name := "kept"
		if withQueue {
			name = "river"
		}
		b.Run(name, func(b *testing.B) {
			db := storetest.NewSQLite(b)
			if withQueue {
				srv := mailtest.Start(b)
				q, err := outbox.New(db, senderFor(srv), outbox.Options{Logger: quietLog, PollInterval: time.Second})
				if err != nil {
					b.Fatal(err)
				}
				if err := q.Start(context.Background()); err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { _ = q.Stop(context.Background()) })
			}
			ctx := context.Background()
			m := testMail("anna@example.org")
			b.ResetTimer()
			for b.Loop() {
				if err := db.InTx(ctx, func(c *store.Conn) error {
					_, err := c.QueueMail(ctx, m)
					return err
				}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
