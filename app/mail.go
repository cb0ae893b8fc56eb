package app

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/kallelse"
	"github.com/region-jh/gns/store"
)

// Letter is a mail's content before it is written as plain text and HTML:
// a greeting, paragraphs, facts (label and value), a list, and links with
// absolute addresses built from GNS_BASE_URL.
type Letter struct {
	Subject  string
	Greeting string
	Paras    []string
	Facts    [][2]string
	ListHead string
	List     []string
	Links    [][2]string // text, absolute URL
	// Footer says why the recipient gets the mail.
	Footer string
}

var letterHTML = template.Must(template.New("letter").Parse(`<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.5; color: #1a1a1a; max-width: 40em">
<p>{{.Greeting}}</p>
{{range .Paras}}<p>{{.}}</p>
{{end}}{{if .Facts}}<table role="presentation" style="border-collapse: collapse">
{{range .Facts}}<tr><th scope="row" style="text-align: left; padding: 0 1em 0 0; vertical-align: top">{{index . 0}}</th><td>{{index . 1}}</td></tr>
{{end}}</table>
{{end}}{{if .List}}<h2 style="font-size: 1.1em">{{.ListHead}}</h2>
<ol>
{{range .List}}<li>{{.}}</li>
{{end}}</ol>
{{end}}{{range .Links}}<p><a href="{{index . 1}}">{{index . 0}}</a></p>
{{end}}<hr>
<p style="font-size: 0.9em; color: #555">{{.Footer}}</p>
</body></html>
`))

// Render writes the letter as plain text and as HTML.
func (l Letter) Render() (text, html string, err error) {
	var b strings.Builder
	b.WriteString(l.Greeting + "\n\n")
	for _, p := range l.Paras {
		b.WriteString(p + "\n\n")
	}
	for _, f := range l.Facts {
		b.WriteString(f[0] + ": " + f[1] + "\n")
	}
	if len(l.Facts) > 0 {
		b.WriteString("\n")
	}
	if len(l.List) > 0 {
		b.WriteString(l.ListHead + "\n")
		for i, item := range l.List {
			fmt.Fprintf(&b, "%d. %s\n", i+1, item)
		}
		b.WriteString("\n")
	}
	for _, link := range l.Links {
		b.WriteString(link[0] + ":\n" + link[1] + "\n\n")
	}
	b.WriteString("-- \n" + l.Footer + "\n")
	var h bytes.Buffer
	if err := letterHTML.Execute(&h, l); err != nil {
		return "", "", fmt.Errorf("write mail: %w", err)
	}
	return b.String(), h.String(), nil
}

// Recipient is who a mail goes to.
type Recipient struct {
	Email  string
	Name   string
	UserID int64
}

// send keeps one mail per recipient, each in the caller's transaction, and
// returns how many were kept (a recipient who opted out of the kind gets
// none; one without an address is skipped).
func send(ctx context.Context, c *store.Conn, cm domain.Committee, kind domain.MailKind, ref string, l Letter, to []Recipient) (int, error) {
	return sendWith(ctx, c, cm, kind, ref, l, to, nil)
}

// sendWith is send with files attached to each mail.
func sendWith(ctx context.Context, c *store.Conn, cm domain.Committee, kind domain.MailKind, ref string, l Letter, to []Recipient, files []domain.MailAttachment) (int, error) {
	text, html, err := l.Render()
	if err != nil {
		return 0, err
	}
	n := 0
	seen := map[string]bool{}
	for _, r := range to {
		addr := strings.ToLower(strings.TrimSpace(r.Email))
		if addr == "" || seen[addr] {
			continue
		}
		seen[addr] = true
		kept, err := c.QueueMail(ctx, domain.Mail{CommitteeID: cm.ID, Kind: kind, Ref: ref, ToEmail: r.Email, ToName: r.Name,
			ToUserID: r.UserID, FromName: cm.Name, Subject: l.Subject, Text: text, HTML: html, Attachments: files})
		if err != nil {
			return n, err
		}
		if kept {
			n++
		}
	}
	return n, nil
}

// MeetingRef is the Ref of the mails about a meeting.
func MeetingRef(meetingID int64) string { return "meeting:" + strconv.FormatInt(meetingID, 10) }

func meetingURL(base string, id int64) string {
	return strings.TrimSuffix(base, "/") + "/sammantraden/" + strconv.FormatInt(id, 10)
}

// meetingFacts are the day, time and place of a meeting as a mail states
// them.
func meetingFacts(m meeting.Meeting) [][2]string {
	facts := [][2]string{{"Dag", kallelse.DayText(m.Date)}, {"Tid", kallelse.TimeText(m)}}
	if m.Place != "" {
		facts = append(facts, [2]string{"Plats", m.Place})
	}
	if m.Link != "" {
		facts = append(facts, [2]string{"Digitalt möte", m.Link})
	}
	return facts
}

// calledMembers are the members called to a meeting (ledamöter and
// ersättare whose term covers its day) with an address.
func calledMembers(ctx context.Context, c *store.Conn, m meeting.Meeting) ([]Recipient, error) {
	members, err := c.Members(ctx, m.CommitteeID)
	if err != nil {
		return nil, err
	}
	var out []Recipient
	for _, mb := range members {
		if mb.ActiveOn(m.Date) && mb.MailAddress() != "" {
			out = append(out, Recipient{Email: mb.MailAddress(), Name: mb.Name, UserID: mb.UserID})
		}
	}
	return out, nil
}

// partyContacts are the contact people of the committee's parties on the
// meeting's day, with an address.
func partyContacts(ctx context.Context, c *store.Conn, m meeting.Meeting) ([]Recipient, error) {
	parties, err := c.CommitteePartiesOn(ctx, m.CommitteeID, m.Date)
	if err != nil {
		return nil, err
	}
	var out []Recipient
	for _, p := range parties {
		if p.ContactEmail != "" {
			name := p.Name
			if p.ContactName != "" {
				name = p.ContactName + ", " + p.Name
			}
			out = append(out, Recipient{Email: p.ContactEmail, Name: name})
		}
	}
	return out, nil
}

// KallelseMails keeps the mail that tells the called members (ledamöter and
// ersättare) and the parties' contacts that the kallelse to a meeting is
// published: day, time, place or link, the föredragningslista, and links to
// the meeting and the kallelse PDF. It runs in the transaction that
// publishes, so the mails go exactly when the publishing commits. It
// returns how many mails were kept.
func KallelseMails(ctx context.Context, c *store.Conn, cm domain.Committee, m meeting.Meeting, baseURL string) (int, error) {
	l, err := kallelseLetter(ctx, c, cm, m, baseURL)
	if err != nil {
		return 0, err
	}
	return sendToCalled(ctx, c, cm, m, l)
}

// sendToCalled keeps l, a mail about m's kallelse, for each called member
// and each party contact.
func sendToCalled(ctx context.Context, c *store.Conn, cm domain.Committee, m meeting.Meeting, l Letter) (int, error) {
	members, err := calledMembers(ctx, c, m)
	if err != nil {
		return 0, err
	}
	contacts, err := partyContacts(ctx, c, m)
	if err != nil {
		return 0, err
	}
	return send(ctx, c, cm, domain.MailKallelse, MeetingRef(m.ID), l, append(members, contacts...))
}

// kallelseLetter is the kallelse to m as a mail: day, time, place or link,
// the föredragningslista, and links to the meeting and the kallelse PDF.
func kallelseLetter(ctx context.Context, c *store.Conn, cm domain.Committee, m meeting.Meeting, baseURL string) (Letter, error) {
	items, err := c.AgendaItems(ctx, m.ID)
	if err != nil {
		return Letter{}, err
	}
	var list []string
	for _, it := range items {
		if it.Status != meeting.AgendaActive {
			continue
		}
		line := it.Title
		if it.CaseNumber != "" {
			line += " (" + it.CaseNumber + ")"
		}
		list = append(list, line)
	}
	page := meetingURL(baseURL, m.ID)
	day := kallelse.DayInText(m.Date)
	return Letter{
		Subject:  "Kallelse: " + cm.Name + " " + day,
		Greeting: "Hej!",
		Paras: []string{
			"Du kallas till sammanträde med " + cm.Name + " " + day + ". Kallelsen med föredragningslistan och handlingarna finns i GNS.",
			"Om du inte kan delta: anmäl förhinder så snart som möjligt (länken nedan, eller till nämndens sekretariat), så att en ersättare kan kallas.",
		},
		Facts:    meetingFacts(m),
		ListHead: "Föredragningslista",
		List:     list,
		Links:    [][2]string{{"Sammanträdet i GNS", page}, {"Kallelsen som PDF", page + "/kallelse.pdf"}, {"Anmäl förhinder", page + "/forhinder"}},
		Footer:   "Du får detta brev från GNS eftersom du är ledamot eller ersättare i " + cm.Name + " eller kontaktperson för en av nämndens parter. Under Mitt konto i GNS väljer du vilka brev du vill få.",
	}, nil
}

// JusteringMails keeps the mail that asks each justerare with a user (who
// approves in GNS) to justera the minutes: the meeting, the tid för
// justering and the link to the justering page. It runs in the transaction
// that chooses the justerare. This mail is required by the task and cannot
// be turned off.
func JusteringMails(ctx context.Context, c *store.Conn, cm domain.Committee, m meeting.Meeting, j meeting.Justering, baseURL string) (int, error) {
	page := meetingURL(baseURL, m.ID)
	to, err := justerareToAsk(ctx, c, j)
	if err != nil {
		return 0, err
	}
	l := Letter{
		Subject:  "Justering: protokoll från " + cm.Name + " " + kallelse.DayInText(m.Date),
		Greeting: "Hej!",
		Paras: []string{
			"Du är vald att justera protokollet från sammanträdet med " + cm.Name + " " + kallelse.DayInText(m.Date) + ".",
			"Läs justeringsexemplaret och justera protokollet i GNS med inloggning i två steg. Protokollet är klart att justera när sekretariatet har skrivit alla paragrafer; du får ett brev när det är klart.",
		},
		Facts:  justeringFacts(m, j),
		Links:  [][2]string{{"Justera protokollet", page + "/justera"}, {"Protokollet i GNS", page + "/protokoll"}},
		Footer: "Du får detta brev från GNS eftersom du är justerare. Brev om justering går alltid ut, eftersom uppdraget kräver dem.",
	}
	return send(ctx, c, cm, domain.MailJustering, MeetingRef(m.ID), l, to)
}

// justerareToAsk are the justerare of j who have a user (they approve in
// GNS), not disabled, and have not approved yet.
func justerareToAsk(ctx context.Context, c *store.Conn, j meeting.Justering) ([]Recipient, error) {
	var to []Recipient
	for _, x := range j.Justerare {
		if x.UserID == 0 || x.Approved() {
			continue
		}
		u, err := c.UserByID(ctx, x.UserID)
		if err != nil {
			return nil, err
		}
		if !u.Disabled() {
			to = append(to, Recipient{Email: u.Email, Name: x.MemberName, UserID: u.ID})
		}
	}
	return to, nil
}

// justeringFacts are the meeting's day and the tid för justering.
func justeringFacts(m meeting.Meeting, j meeting.Justering) [][2]string {
	facts := [][2]string{{"Sammanträde", kallelse.DayText(m.Date)}}
	if !j.Due.IsZero() {
		facts = append(facts, [2]string{"Tid för justering", kallelse.DayText(j.Due)})
	}
	return facts
}

// AbsenceMails keeps the mail that tells the committee's secretariat that a
// member has reported förhinder for a meeting, with the ersättare to call
// in: those appointed by the same party, in the order they stand, leaving
// out any who have reported förhinder too. It runs in the transaction that
// records the förhinder.
func AbsenceMails(ctx context.Context, c *store.Conn, cm domain.Committee, m meeting.Meeting, absent domain.Member, baseURL string) (int, error) {
	to, err := secretariat(ctx, c, cm.ID)
	if err != nil {
		return 0, err
	}
	candidates, err := SubstitutesFor(ctx, c, m, absent)
	if err != nil {
		return 0, err
	}
	var subs []string
	for _, mb := range candidates {
		line := mb.DisplayName()
		if mb.AppointedByName != "" {
			line += ", " + mb.AppointedByName
		}
		if a := mb.MailAddress(); a != "" {
			line += " <" + a + ">"
		}
		subs = append(subs, line)
	}
	who := absent.DisplayName()
	if absent.AppointedByName != "" {
		who += " (" + absent.AppointedByName + ")"
	}
	l := Letter{
		Subject:  "Förhinder: " + absent.Name + " till " + cm.Name + " " + kallelse.DayInText(m.Date),
		Greeting: "Hej!",
		Paras:    []string{who + " har anmält förhinder till sammanträdet " + kallelse.DayInText(m.Date) + ". Kalla in en ersättare på sammanträdets sida i GNS; ersättaren får då kallelsen."},
		Facts:    meetingFacts(m),
		ListHead: "Ersättare att kalla, i ordning",
		List:     subs,
		Links:    [][2]string{{"Kalla in en ersättare", meetingURL(baseURL, m.ID) + "#forhinder"}},
		Footer:   "Du får detta brev från GNS eftersom du arbetar i sekretariatet för " + cm.Name + ".",
	}
	if len(subs) == 0 {
		l.Paras = append(l.Paras, "Det finns ingen ersättare för samma parti som inte redan är inkallad eller har anmält förhinder.")
	}
	return send(ctx, c, cm, domain.MailForhinder, MeetingRef(m.ID), l, to)
}
