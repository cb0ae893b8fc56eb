package app

import (
	"context"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
)

// SubstitutesFor are the ersättare who may be called in for a member with
// förhinder, in the order they stand (the committee's order of members):
// ersättare of the member's party (domain.Member.StandsInFor) whose term
// covers the day, leaving out those who reported förhinder
// themselves or are already called in for another member.
func SubstitutesFor(ctx context.Context, c *store.Conn, m meeting.Meeting, absent domain.Member) ([]domain.Member, error) {
	members, err := c.Members(ctx, m.CommitteeID)
	if err != nil {
		return nil, err
	}
	absences, err := c.Absences(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	taken := map[int64]bool{}
	for _, a := range absences {
		taken[a.MemberID] = true
		if a.MemberID != absent.ID {
			taken[a.SubstituteID] = true
		}
	}
	var out []domain.Member
	for _, mb := range members {
		if mb.StandsInFor(absent) && mb.ActiveOn(m.Date) && !taken[mb.ID] {
			out = append(out, mb)
		}
	}
	return out, nil
}

// CallIn records that the secretariat calls in the ersättare sub for the
// member absent (who reported förhinder) and keeps the mail that sends the
// ersättare the kallelse, saying for whom they serve; required, so it goes
// whatever the ersättare chose under Mitt konto. It runs in one
// transaction; it returns how many mails were kept (0 when the ersättare
// has no address).
func CallIn(ctx context.Context, c *store.Conn, cm domain.Committee, m meeting.Meeting, absent, sub domain.Member, baseURL string) (int, error) {
	if _, err := c.CallInSubstitute(ctx, m.ID, absent.ID, sub.ID); err != nil {
		return 0, err
	}
	l, err := kallelseLetter(ctx, c, cm, m, baseURL)
	if err != nil {
		return 0, err
	}
	who := absent.DisplayName()
	if absent.AppointedByName != "" {
		who += " (" + absent.AppointedByName + ")"
	}
	l.Subject = "Inkallelse som ersättare: " + l.Subject
	l.Paras = append([]string{"Du kallas in som ersättare för " + who + ", som har anmält förhinder, och tjänstgör i hens ställe."}, l.Paras...)
	l.Footer = "Du får detta brev från GNS eftersom du är ersättare i " + cm.Name + " och sekretariatet har kallat in dig. Brev om inkallelse går alltid ut."
	to := []Recipient{{Email: sub.MailAddress(), Name: sub.Name, UserID: sub.UserID}}
	return send(ctx, c, cm, domain.MailCallIn, MeetingRef(m.ID), l, to)
}
