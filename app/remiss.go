package app

import (
	"context"
	"strconv"
	"strings"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/reports/kallelse"
	"github.com/region-jh/gns/store"
)

// RemissRef is the Ref of the mails about a remiss.
func RemissRef(remissID int64) string { return "remiss:" + strconv.FormatInt(remissID, 10) }

// RemissURL is the remiss's page under base (GNS_BASE_URL).
func RemissURL(base string, id int64) string {
	return strings.TrimSuffix(base, "/") + "/remisser/" + strconv.FormatInt(id, 10)
}

// SendRemiss sends the case out on remiss (store's CreateRemiss, on day
// today) and keeps the mail that tells each chosen party's contact and
// representatives (and its registry) about it, in the caller's transaction. It returns the
// remiss and how many mails were kept.
func SendRemiss(ctx context.Context, c *store.Conn, cm domain.Committee, caseID int64, r domain.Remiss, today domain.Date, baseURL string) (domain.Remiss, int, error) {
	r, err := c.CreateRemiss(ctx, caseID, r, today)
	if err != nil {
		return domain.Remiss{}, 0, err
	}
	n, err := remissMails(ctx, c, cm, r, r.Parties, false, baseURL)
	return r, n, err
}

// QueueRemissReminders keeps, in the caller's transaction, a reminder to
// each party that has not answered a remiss whose last day is at most
// domain.RemissReminderDays away (store's RemissRemindersDue on day today),
// and marks it reminded so it gets one reminder only. It returns how many
// mails were kept.
func QueueRemissReminders(ctx context.Context, c *store.Conn, today domain.Date, baseURL string) (int, error) {
	due, err := c.RemissRemindersDue(ctx, today)
	if err != nil {
		return 0, err
	}
	byRemiss := map[int64][]int64{}
	var order []int64
	for _, d := range due {
		if byRemiss[d.RemissID] == nil {
			order = append(order, d.RemissID)
		}
		byRemiss[d.RemissID] = append(byRemiss[d.RemissID], d.PartyID)
	}
	total := 0
	for _, id := range order {
		r, err := c.Remiss(ctx, id)
		if err != nil {
			return total, err
		}
		cm, err := c.CommitteeByID(ctx, r.CommitteeID)
		if err != nil {
			return total, err
		}
		var parties []domain.RemissParty
		for _, pid := range byRemiss[id] {
			marked, err := c.MarkRemissReminded(ctx, id, pid)
			if err != nil {
				return total, err
			}
			if p, ok := r.Party(pid); ok && marked {
				parties = append(parties, p)
			}
		}
		n, err := remissMails(ctx, c, cm, r, parties, true, baseURL)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// remissMails keeps one mail per recipient of each party: the party's
// registry, its contact and its representatives (party users) in GNS. reminder says the
// mail reminds of a remiss not yet answered.
func remissMails(ctx context.Context, c *store.Conn, cm domain.Committee, r domain.Remiss, parties []domain.RemissParty, reminder bool, baseURL string) (int, error) {
	if len(parties) == 0 {
		return 0, nil
	}
	users, err := c.Users(ctx)
	if err != nil {
		return 0, err
	}
	page := RemissURL(baseURL, r.ID)
	facts := [][2]string{{"Ärende", r.CaseNumber.String() + " " + r.CaseTitle}, {"Sista svarsdag", kallelse.DayText(r.LastDay)}}
	var docs []string
	var files []domain.MailAttachment
	size := 0
	for _, d := range r.Documents {
		docs = append(docs, d.Title)
		_, content, err := c.CaseDocumentContent(ctx, r.CaseID, d.ID)
		if err != nil {
			return 0, err
		}
		size += len(content)
		files = append(files, domain.MailAttachment{Filename: d.FileName, ContentType: d.ContentType, Content: content})
	}
	attached := "Remisshandlingarna är bifogade och finns i GNS."
	switch {
	case len(files) == 0:
		attached = "Remissen har inga bifogade handlingar; ärendet finns i GNS."
	case size > domain.MaxMailAttachments:
		// Too large for one mail: the documents are read in GNS.
		files, attached = nil, "Remisshandlingarna finns i GNS (de är för stora för att bifogas)."
	}
	total := 0
	for _, p := range parties {
		party, err := c.PartyByID(ctx, p.PartyID)
		if err != nil {
			return total, err
		}
		var to []Recipient
		if party.RegistryEmail != "" {
			// The party's registry (registrator) registers the remiss in its
			// own diarium.
			to = append(to, Recipient{Email: party.RegistryEmail, Name: "Registrator, " + party.Name})
		}
		if party.ContactEmail != "" {
			name := party.Name
			if party.ContactName != "" {
				name = party.ContactName + ", " + party.Name
			}
			to = append(to, Recipient{Email: party.ContactEmail, Name: name})
		}
		for _, u := range users {
			if !u.Disabled() && u.PartyIn(cm.ID) == p.PartyID {
				to = append(to, Recipient{Email: u.Email, Name: u.Name, UserID: u.ID})
			}
		}
		l := Letter{
			Subject:  "Remiss till " + party.Name + ": " + r.CaseTitle + " (" + r.CaseNumber.String() + ")",
			Greeting: "Hej!",
			Paras: []string{
				cm.Name + " skickar ärendet " + r.CaseNumber.String() + " " + r.CaseTitle + " på remiss till " + party.Name + ".",
				r.Question,
				attached,
				"Svara i GNS senast " + kallelse.DayInText(r.LastDay) + ": godkänner, godkänner med synpunkter, avstyrker eller tar ej ställning, med er egen beslutsparagraf och era handlingar. Svaret kan ändras fram till sista svarsdagen.",
			},
			Facts:    facts,
			ListHead: "Remisshandlingar",
			List:     docs,
			Links:    [][2]string{{"Remissen i GNS", page}},
			Footer:   "Du får detta brev från GNS eftersom du är registrator, kontaktperson eller partsrepresentant för " + party.Name + " i " + cm.Name + ". Under Mitt konto i GNS väljer du vilka brev du vill få.",
		}
		if reminder {
			l.Subject = "Påminnelse: " + l.Subject
			l.Paras = append([]string{"Påminnelse: " + party.Name + " har ännu inte svarat på remissen. Sista svarsdag är " + kallelse.DayInText(r.LastDay) + "."}, l.Paras...)
		}
		n, err := sendWith(ctx, c, cm, domain.MailRemiss, RemissRef(r.ID), l, to, files)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
