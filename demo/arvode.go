package demo

import (
	"context"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
)

// ArvodeNote marks the demo's claims: the seeds hold no reseräkningar, so
// the claims are constructed for the demo.
const ArvodeNote = "Konstruerat för demon"

// ArvodeClaims are the claims the demo makes for the December 2020 meeting
// (held at Lillsjöhögen in Östersund and via Teams), by member: Bräcke's
// ledamot lost three hours' work income and travelled from Bräcke and back.
// The secretariat has attested them. The numbers are the demo's own.
var ArvodeClaims = map[string][]meeting.Claim{
	"Daniel Danielsson": {
		{Kind: meeting.ClaimIncome, Hours: decimal.RequireFromString("3.5")},
		{Kind: meeting.ClaimTravel, Km: decimal.RequireFromString("142"), From: "Bräcke"},
	},
}

// loadArvode adds ArvodeClaims, attested, to the December 2020 meeting once
// Load's earlier steps have succeeded, when its minutes are locked, the
// member was present and the meeting has no claims yet.
func loadArvode(ctx context.Context, c *store.Conn, loaded bool, err error) (bool, error) {
	if err != nil {
		return loaded, err
	}
	_, m, err := decemberMeeting(ctx, c)
	if err != nil || m.ID == 0 || !m.Locked() {
		return loaded, err
	}
	id := m.ID
	if existing, err := c.Claims(ctx, store.ClaimFilter{MeetingID: id}); err != nil || len(existing) > 0 {
		return loaded, err
	}
	att, err := c.Attendance(ctx, id)
	if err != nil {
		return loaded, err
	}
	for _, a := range att {
		if !a.Present {
			continue
		}
		for _, cl := range ArvodeClaims[a.Member.Name] {
			cl.MeetingID, cl.MemberID, cl.Description = id, a.MemberID, ArvodeNote
			stored, err := c.AddClaim(ctx, cl, nil)
			if err != nil {
				return loaded, err
			}
			if _, err := c.AttestClaim(ctx, stored.ID); err != nil {
				return loaded, err
			}
			loaded = true
		}
	}
	return loaded, nil
}
