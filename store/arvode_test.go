package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// arvodeFixture is the minutes fixture with two appointing parties (the
// chair and Bo Karlsson for Bräcke, the vice chair for Krokom), three
// paragraphs, the vice chair leaving after § 2, and the minutes locked.
func arvodeFixture(t *testing.T, db *store.DB) (f *minutesFixture, bracke, krokom domain.Party, claim func(meeting.Claim, *store.Receipt) (meeting.Claim, error)) {
	t.Helper()
	f = newMinutesFixture(t, db)
	claim = func(cl meeting.Claim, r *store.Receipt) (out meeting.Claim, err error) {
		if cl.MeetingID == 0 {
			cl.MeetingID = f.mtg.ID
		}
		err = f.change(func(c *store.Conn) error {
			out, err = c.AddClaim(f.ctx, cl, r)
			return err
		})
		return out, err
	}
	err := f.change(func(c *store.Conn) error {
		var err error
		for i, p := range []*domain.Party{&bracke, &krokom} {
			name := []string{"Bräcke kommun", "Krokoms kommun"}[i]
			if *p, err = c.CreateParty(f.ctx, domain.Party{Slug: []string{"bracke", "krokom"}[i], Name: name, Kind: domain.PartyKindKommun}); err != nil {
				return err
			}
			if err := c.AddMembership(f.ctx, domain.Membership{CommitteeID: f.cm.ID, PartyID: p.ID, Position: i + 1, From: f.cm.StartedOn}); err != nil {
				return err
			}
		}
		for _, set := range []struct {
			m     *domain.Member
			party int64
		}{{&f.chair, bracke.ID}, {&f.bo, bracke.ID}, {&f.vice, krokom.ID}} {
			set.m.AppointedBy = set.party
			if *set.m, err = c.UpdateMember(f.ctx, *set.m); err != nil {
				return err
			}
		}
		for n := 1; n <= 3; n++ {
			if _, err := c.ImportParagraph(f.ctx, meeting.Paragraph{MeetingID: f.mtg.ID, Number: n, Title: "Paragraf"}); err != nil {
				return err
			}
		}
		_, err = c.SetAttendance(f.ctx, f.mtg.ID, []meeting.Attendance{
			{MemberID: f.chair.ID, Present: true}, {MemberID: f.vice.ID, Present: true, LeftAfter: 2}, {MemberID: f.bjorn.ID, Present: true},
			{MemberID: f.bo.ID, Present: true, ServingFor: f.therese.ID}, {MemberID: f.maria.ID, Present: true},
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return f, bracke, krokom, claim
}

func (f *minutesFixture) lockMinutes(t *testing.T) {
	t.Helper()
	if err := f.change(func(c *store.Conn) error {
		_, err := c.LockImportedMinutes(f.ctx, f.mtg.ID, fixedHash("arvode"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

func TestArvodeClaims(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f, bracke, krokom, claim := arvodeFixture(t, db)
		income := meeting.Claim{MemberID: f.chair.ID, Kind: meeting.ClaimIncome, Hours: decimal.RequireFromString("3.5")}
		_, err := claim(income, nil)
		wantCode(t, "a claim before the justering", err, domain.ECONFLICT, "inte justerat")
		f.lockMinutes(t)

		_, err = claim(meeting.Claim{MemberID: f.therese.ID, Kind: meeting.ClaimIncome, Hours: decimal.NewFromInt(2)}, nil)
		wantCode(t, "an absent member's claim", err, domain.EINVALID, "inte närvarande")
		_, err = claim(meeting.Claim{MemberID: 999999, Kind: meeting.ClaimIncome, Hours: decimal.NewFromInt(2)}, nil)
		wantCode(t, "an unknown member", err, domain.ENOTFOUND, "")
		_, err = claim(meeting.Claim{MemberID: f.chair.ID, Kind: meeting.ClaimIncome, Hours: decimal.RequireFromString("1.255")}, nil)
		wantCode(t, "hours finer than hundredths", err, domain.EINVALID, "decimaler")

		inc, err := claim(income, nil)
		if err != nil || !inc.Hours.Equal(decimal.RequireFromString("3.50")) || inc.Status != meeting.ClaimSubmitted || inc.CreatedBy != "test" {
			t.Fatalf("income claim = %+v, %v", inc, err)
		}
		trip, err := claim(meeting.Claim{MemberID: f.chair.ID, Kind: meeting.ClaimTravel, Km: decimal.RequireFromString("84.5"), From: "Bräcke"}, nil)
		if err != nil || !trip.Km.Equal(decimal.RequireFromString("84.5")) {
			t.Fatalf("travel claim = %+v, %v", trip, err)
		}
		receipt := &store.Receipt{Name: "parkering.pdf", ContentType: "application/pdf", Content: []byte("%PDF-1.4 kvitto")}
		cost, err := claim(meeting.Claim{MemberID: f.chair.ID, Kind: meeting.ClaimCost, Amount: decimal.RequireFromString("120.50"), Description: "Parkering"}, receipt)
		if err != nil || cost.ReceiptSize != int64(len(receipt.Content)) || len(cost.ReceiptSHA256) != 64 {
			t.Fatalf("cost claim = %+v, %v", cost, err)
		}
		boTrip, err := claim(meeting.Claim{MemberID: f.bo.ID, Kind: meeting.ClaimTravel, Km: decimal.NewFromInt(120), From: "Kälarne"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got store.Receipt
		if err := f.change(func(c *store.Conn) error {
			got, err = c.ClaimReceipt(f.ctx, cost.ID)
			return err
		}); err != nil || string(got.Content) != string(receipt.Content) || got.Name != "parkering.pdf" {
			t.Fatalf("receipt = %+v, %v", got, err)
		}
		if err := f.change(func(c *store.Conn) error { _, err := c.ClaimReceipt(f.ctx, inc.ID); return err }); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("receipt of a claim without one: %v", err)
		}

		settle := func(id int64, attest bool) (meeting.Claim, error) {
			var out meeting.Claim
			err := f.change(func(c *store.Conn) error {
				var err error
				if attest {
					out, err = c.AttestClaim(f.ctx, id)
				} else {
					out, err = c.WithdrawClaim(f.ctx, id)
				}
				return err
			})
			return out, err
		}
		if a, err := settle(inc.ID, true); err != nil || a.Status != meeting.ClaimAttested || a.AttestedBy != "test" || a.AttestedAt.IsZero() {
			t.Fatalf("attest = %+v, %v", a, err)
		}
		_, err = settle(inc.ID, true)
		wantCode(t, "attesting twice", err, domain.ECONFLICT, "Attesterad")
		_, err = settle(inc.ID, false)
		wantCode(t, "withdrawing an attested claim", err, domain.ECONFLICT, "Attesterad")
		if w, err := settle(trip.ID, false); err != nil || w.Status != meeting.ClaimWithdrawn {
			t.Fatalf("withdraw = %+v, %v", w, err)
		}
		if _, err := settle(boTrip.ID, true); err != nil {
			t.Fatal(err)
		}
		// Whatever program asks, an attested claim does not change and no
		// claim is deleted.
		for _, q := range []string{
			fmt.Sprintf(`UPDATE arvode_claims SET hours_hundredths = 900 WHERE id = %d`, inc.ID),
			fmt.Sprintf(`UPDATE arvode_claims SET status = 'inlamnad' WHERE id = %d`, trip.ID),
			fmt.Sprintf(`DELETE FROM arvode_claims WHERE id = %d`, cost.ID),
		} {
			if _, err := db.SQL().ExecContext(f.ctx, q); err == nil {
				t.Errorf("the database accepted %s", q)
			}
		}

		basis := func(filter store.BasisFilter) []meeting.BasisLine {
			t.Helper()
			filter.CommitteeID = f.cm.ID
			var out []meeting.BasisLine
			if err := f.change(func(c *store.Conn) error {
				var err error
				out, err = c.ArvodeBasis(f.ctx, filter)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return out
		}
		year := store.BasisFilter{From: domain.MustDate("2027-01-01"), To: domain.MustDate("2027-12-31")}
		b := year
		b.PartyID = bracke.ID
		lines := basis(b)
		if len(lines) != 2 || lines[0].Member.ID != f.chair.ID || lines[1].Member.ID != f.bo.ID {
			t.Fatalf("Bräcke's basis = %+v", lines)
		}
		chair := lines[0]
		hours, km, amount, pending := chair.Totals()
		if chair.Role != meeting.ArvodeLedamot || meeting.ParagraphRanges(chair.Paragraphs) != "§§ 1–3" || len(chair.Claims) != 2 ||
			!hours.Equal(decimal.RequireFromString("3.5")) || !km.IsZero() || !amount.IsZero() || pending != 1 {
			t.Errorf("chair's line = %+v; totals %s h, %s km, %s kr, %d pending", chair, hours, km, amount, pending)
		}
		if _, km, _, _ := lines[1].Totals(); lines[1].Role != meeting.ArvodeServingSubstitute || !km.Equal(decimal.NewFromInt(120)) {
			t.Errorf("Bo's line = %+v", lines[1])
		}
		k := year
		k.PartyID = krokom.ID
		if lines := basis(k); len(lines) != 1 || lines[0].Member.ID != f.vice.ID || meeting.ParagraphRanges(lines[0].Paragraphs) != "§§ 1–2" {
			t.Errorf("Krokom's basis = %+v", lines)
		}
		all := basis(year)
		roles := map[int64]meeting.ArvodeRole{}
		for _, l := range all {
			roles[l.Member.ID] = l.Role
		}
		if len(all) != 5 || roles[f.maria.ID] != meeting.ArvodeSubstitute || roles[f.bjorn.ID] != meeting.ArvodeLedamot {
			t.Errorf("everyone's basis = %v", roles)
		}
		mine := year
		mine.MemberID = f.bo.ID
		if lines := basis(mine); len(lines) != 1 || lines[0].Member.ID != f.bo.ID {
			t.Errorf("Bo's own basis = %+v", lines)
		}
		if lines := basis(store.BasisFilter{From: domain.MustDate("2026-01-01"), To: domain.MustDate("2026-12-31")}); len(lines) != 0 {
			t.Errorf("2026 basis = %+v", lines)
		}
		err = f.change(func(c *store.Conn) error {
			_, err := c.ArvodeBasis(context.Background(), store.BasisFilter{CommitteeID: f.cm.ID, From: domain.MustDate("2027-12-31"), To: domain.MustDate("2027-01-01")})
			return err
		})
		wantCode(t, "a period backwards", err, domain.EINVALID, "slutdatumet")
	})
}
