package store_test

import (
	"context"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// TestDispatchesAndReceipts: a dispatch of a paragraph's utdrag is
// recorded once per recipient with its mail; a party's receipt keeps its
// diarienummer with the history of corrections; neither can be changed or
// deleted; the minutes count as not expedierade until a dispatch goes out.
func TestDispatchesAndReceipts(t *testing.T) {
	t.Parallel()
	storetest.RunFrom(t, "demo", func(ctx context.Context, db *store.DB) error {
		_, err := demo.Load(ctx, db)
		return err
	}, func(t *testing.T, db *store.DB) {
		ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
		c := db.Conn()
		gns, err := c.CommitteeByCode(ctx, demo.CommitteeCode)
		if err != nil {
			t.Fatal(err)
		}
		bracke, err := c.PartyBySlug(ctx, "bracke")
		if err != nil {
			t.Fatal(err)
		}
		if bracke.RegistryEmail != demo.PartyAddress("bracke") {
			t.Errorf("Bräcke's registry address = %q", bracke.RegistryEmail)
		}
		meetings, err := c.Meetings(ctx, gns.ID, 2019)
		if err != nil || len(meetings) == 0 {
			t.Fatalf("meetings of 2019: %v %v", meetings, err)
		}
		var m meeting.Meeting
		for _, x := range meetings {
			if x.Date == domain.MustDate("2019-12-06") {
				m = x
			}
		}
		paras, err := c.MeetingParagraphs(ctx, m.ID)
		if err != nil || len(paras) != 1 {
			t.Fatalf("paragraphs of %s: %d %v", m.Date, len(paras), err)
		}
		p := paras[0]
		left, err := c.UndispatchedMinutes(ctx, gns.ID)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, u := range left {
			found = found || (u.Meeting.ID == m.ID && u.Left == 1 && u.Paragraphs == 1)
		}
		if !found {
			t.Errorf("the justerade minutes of %s are not listed as not expedierade: %+v", m.Date, left)
		}

		dispatch := func(c *store.Conn) (meeting.Dispatch, error) {
			id, err := c.KeepMail(ctx, domain.Mail{CommitteeID: gns.ID, Kind: domain.MailUtdrag, ToEmail: bracke.RegistryEmail, FromName: gns.Name,
				Subject: "Protokollsutdrag", Text: "Utdraget bifogas.",
				Attachments: []domain.MailAttachment{{Filename: "Utdrag.pdf", ContentType: "application/pdf", Content: []byte("%PDF-1.4")}}})
			if err != nil {
				return meeting.Dispatch{}, err
			}
			return c.RecordDispatch(ctx, meeting.Dispatch{ParagraphID: p.ID, Recipient: meeting.PartyRecipient(bracke.ID), Label: bracke.Name,
				PartyID: bracke.ID, ToEmail: bracke.RegistryEmail, ToName: "Registrator", MailID: id})
		}
		var d meeting.Dispatch
		if err := db.InTx(ctx, func(c *store.Conn) error { d, err = dispatch(c); return err }); err != nil {
			t.Fatal(err)
		}
		err = db.InTx(ctx, func(c *store.Conn) error { _, err := dispatch(c); return err })
		if domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("a second dispatch to Bräcke = %v, want ECONFLICT", err)
		}
		list, err := c.MeetingDispatches(ctx, m.ID)
		if err != nil || len(list) != 1 || list[0].MailStatus != domain.MailKept || list[0].SentName != "test" || list[0].ToEmail != bracke.RegistryEmail {
			t.Fatalf("dispatches = %+v, %v; want the one, its mail kept", list, err)
		}
		if left, _ := c.UndispatchedMinutes(ctx, gns.ID); len(left) > 0 {
			for _, u := range left {
				if u.Meeting.ID == m.ID {
					t.Errorf("minutes still listed as not expedierade after the dispatch: %+v", u)
				}
			}
		}

		user, _, err := c.UserForLogin(ctx, "bracke@demo.gns.example")
		if err != nil {
			t.Fatal(err)
		}
		receive := func(number string) (meeting.Receipt, error) {
			var r meeting.Receipt
			err := db.InTx(ctx, func(c *store.Conn) error { r, err = c.RecordReceipt(ctx, d.ID, number, user); return err })
			return r, err
		}
		for _, bad := range []string{"", "   ", "KS ärende", "KS 2019/1; DROP", "<script>1</script>"} {
			if _, err := receive(bad); domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("receipt with %q = %v, want EINVALID", bad, err)
			}
		}
		if _, err := receive("  KS   2019/1234 "); err != nil {
			t.Fatal(err)
		}
		if _, err := receive("KS 2019/1234"); err != nil {
			t.Fatal(err)
		}
		if _, err := receive("KS 2019/1235"); err != nil {
			t.Fatal(err)
		}
		got, err := c.DispatchByID(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		r, ok := got.Received()
		if !ok || r.RegistryNumber != "KS 2019/1235" || len(got.Receipts) != 2 || got.Receipts[0].RegistryNumber != "KS 2019/1234" || r.ByName != user.Name {
			t.Errorf("receipts = %+v, want KS 2019/1234 then KS 2019/1235 by %s", got.Receipts, user.Name)
		}
		if mine, err := c.PartyDispatches(ctx, bracke.ID); err != nil || len(mine) != 1 || len(mine[0].Receipts) != 2 {
			t.Errorf("Bräcke's dispatches = %+v, %v", mine, err)
		}
		for _, stmt := range []string{"UPDATE dispatches SET to_email = 'x@example.se'", "DELETE FROM dispatches",
			"UPDATE dispatch_receipts SET registry_number = '1'", "DELETE FROM dispatch_receipts"} {
			if _, err := db.SQL().ExecContext(ctx, stmt); err == nil {
				t.Errorf("%s was allowed", stmt)
			}
		}
	})
}
