package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
)

// MailDomain is where the demo's illustrative addresses are: under .example,
// which RFC 2606 reserves, so that no mail to them can reach anyone.
const MailDomain = "gns.example"

// asciiFold writes a name as the local part of an address:
// "Åsa Öberg" → "asa.oberg".
var asciiFold = strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "é", "e", "ü", "u", " ", ".", "-", ".")

// MemberAddress is the illustrative address of a demo member.
func MemberAddress(name string) string {
	return asciiFold.Replace(strings.ToLower(strings.TrimSpace(name))) + "@ledamot." + MailDomain
}

// PartyAddress is the illustrative address of a demo party's registry
// (registrator): its registry address, where protokollsutdrag are
// expedierade, and its contact's, where kallelser go.
func PartyAddress(slug string) string { return "registrator@" + slug + ".parter." + MailDomain }

// PartyInvoiceAddress is the illustrative address of a demo party's
// invoice inbox, where its invoices, credit notes and påminnelser go.
func PartyInvoiceAddress(slug string) string { return "fakturor@" + slug + ".parter." + MailDomain }

// loadMailAddresses gives the demo's members and parties (their registry
// and their invoice inbox) the illustrative addresses that mail goes to, never overwriting one that is set, so that
// every mail the demo makes has someone to go to (and shows under Utskick).
func loadMailAddresses(ctx context.Context, c *store.Conn, loaded bool, err error) (bool, error) {
	if err != nil {
		return loaded, err
	}
	cm, err := c.CommitteeByCode(ctx, CommitteeCode)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return loaded, nil
	}
	if err != nil {
		return loaded, err
	}
	members, err := c.Members(ctx, cm.ID)
	if err != nil {
		return loaded, err
	}
	for _, m := range members {
		if m.Email == "" && m.UserID == 0 {
			if err := c.SetMemberEmail(ctx, cm.ID, m.ID, MemberAddress(m.Name)); err != nil {
				return loaded, fmt.Errorf("demo address of %s: %w", m.Name, err)
			}
			loaded = true
		}
	}
	for _, dp := range Parties {
		p, err := c.PartyBySlug(ctx, dp.Slug)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			continue // renamed by an administrator
		}
		if err != nil {
			return loaded, err
		}
		if p.ContactEmail != "" && p.RegistryEmail != "" && p.InvoiceEmail != "" {
			continue
		}
		d := p.PartyDetails
		if d.ContactEmail == "" {
			d.ContactEmail = PartyAddress(p.Slug)
			if d.ContactName == "" {
				d.ContactName = "Registrator"
			}
		}
		if d.RegistryEmail == "" {
			d.RegistryEmail = PartyAddress(p.Slug)
		}
		if d.InvoiceEmail == "" {
			d.InvoiceEmail = PartyInvoiceAddress(p.Slug)
		}
		if _, err := c.UpdatePartyDetails(ctx, p.ID, d); err != nil {
			return loaded, fmt.Errorf("demo address of %s: %w", p.Name, err)
		}
		loaded = true
	}
	return loaded, nil
}

// anslagAfter is how many days after its meeting the demo announces the
// historical minutes imported from paper. The seeds do not give the day of
// the anslag; a week after the meeting is illustrative, so the public
// anslagstavla has the demo's justerade protokoll to show.
const anslagAfter = 7

// loadAnslag records the anslag of the demo's imported minutes that are
// locked but not announced.
func loadAnslag(ctx context.Context, c *store.Conn, loaded bool, err error) (bool, error) {
	if err != nil {
		return loaded, err
	}
	cm, err := c.CommitteeByCode(ctx, CommitteeCode)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return loaded, nil
	}
	if err != nil {
		return loaded, err
	}
	today := domain.DateOf(c.Now())
	for _, hm := range HistoricalMinutes {
		list, err := c.Meetings(ctx, cm.ID, hm.Meeting.Date.Year)
		if err != nil {
			return loaded, err
		}
		for _, m := range list {
			if m.Date != hm.Meeting.Date || m.LockedAt.IsZero() || !m.AnnouncedOn.IsZero() {
				continue
			}
			if _, err := c.SetAnnouncedOn(ctx, m.ID, m.Date.AddDays(anslagAfter), today); err != nil {
				return loaded, fmt.Errorf("demo anslag of %s: %w", m.Date, err)
			}
			loaded = true
		}
	}
	return loaded, nil
}
