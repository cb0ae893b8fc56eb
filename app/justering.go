package app

import (
	"context"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/kallelse"
	"github.com/region-jh/gns/store"
)

// ReadyKey is the done_once key of the mail that tells a meeting's
// justerare that its minutes are ready: sent once (store.Conn.DoneAt says
// when).
func ReadyKey(meetingID int64) string { return "justering-ready:" + MeetingRef(meetingID) }

// MinutesReadyMails keeps the mail that tells the justerare who have not
// approved yet that the minutes are ready to justera, once per meeting; the
// secretariat asks for it when it has written the minutes. The minutes must
// be open, with two justerare and a paragraph; ECONFLICT when the
// justerare were told already. It returns how many mails were kept.
func MinutesReadyMails(ctx context.Context, c *store.Conn, cm domain.Committee, m meeting.Meeting, baseURL string) (int, error) {
	j, err := c.Justering(ctx, m.ID)
	if err != nil {
		return 0, err
	}
	switch {
	case m.Cancelled():
		return 0, domain.Errorf(domain.ECONFLICT, "Sammanträdet den %s är inställt.", m.Date)
	case j.Locked():
		return 0, domain.Errorf(domain.ECONFLICT, "Protokollet är redan justerat.")
	case len(j.Justerare) != 2:
		return 0, domain.Errorf(domain.ECONFLICT, "Välj två justerare innan protokollet skickas till justering.")
	}
	paragraphs, err := c.MeetingParagraphs(ctx, m.ID)
	if err != nil {
		return 0, err
	}
	if len(paragraphs) == 0 {
		return 0, domain.Errorf(domain.ECONFLICT, "Protokollet har inga paragrafer ännu och kan inte justeras.")
	}
	first, err := c.Once(ctx, ReadyKey(m.ID))
	if err != nil {
		return 0, err
	}
	if !first {
		return 0, domain.Errorf(domain.ECONFLICT, "Justerarna har redan fått besked om att protokollet är klart.")
	}
	to, err := justerareToAsk(ctx, c, j)
	if err != nil {
		return 0, err
	}
	page := meetingURL(baseURL, m.ID)
	day := kallelse.DayInText(m.Date)
	l := Letter{
		Subject:  "Klart att justera: protokoll från " + cm.Name + " " + day,
		Greeting: "Hej!",
		Paras: []string{
			"Protokollet från sammanträdet med " + cm.Name + " " + day + " är klart att justera.",
			"Läs justeringsexemplaret och justera protokollet i GNS med inloggning i två steg.",
		},
		Facts:  justeringFacts(m, j),
		Links:  [][2]string{{"Justera protokollet", page + "/justera"}, {"Protokollet i GNS", page + "/protokoll"}},
		Footer: "Du får detta brev från GNS eftersom du är justerare. Brev om justering går alltid ut, eftersom uppdraget kräver dem.",
	}
	return send(ctx, c, cm, domain.MailJustering, MeetingRef(m.ID), l, to)
}

// JusteringReminders keeps the reminder, the day before the tid för
// justering, to each justerare who has not approved yet: once per meeting
// and tid för justering (a daily job; a moved tid för justering gets its
// own reminder). It returns how many mails were kept.
func JusteringReminders(ctx context.Context, c *store.Conn, baseURL string) (int, error) {
	tomorrow := today(c).AddDays(1)
	due, err := c.JusteringDueOn(ctx, tomorrow)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range due {
		first, err := c.Once(ctx, "justering-reminder:"+MeetingRef(m.ID)+":"+tomorrow.String())
		if err != nil {
			return n, err
		}
		if !first {
			continue
		}
		cm, err := c.CommitteeByID(ctx, m.CommitteeID)
		if err != nil {
			return n, err
		}
		j, err := c.Justering(ctx, m.ID)
		if err != nil {
			return n, err
		}
		to, err := justerareToAsk(ctx, c, j)
		if err != nil {
			return n, err
		}
		page := meetingURL(baseURL, m.ID)
		day := kallelse.DayInText(m.Date)
		l := Letter{
			Subject:  "Påminnelse: justera protokollet från " + cm.Name + " " + day + " senast i morgon",
			Greeting: "Hej!",
			Paras: []string{
				"Tiden för justering av protokollet från sammanträdet med " + cm.Name + " " + day + " är i morgon, " + kallelse.DayText(tomorrow) + ". Du har inte justerat det ännu.",
			},
			Facts:  justeringFacts(m, j),
			Links:  [][2]string{{"Justera protokollet", page + "/justera"}},
			Footer: "Du får detta brev från GNS eftersom du är justerare. Brev om justering går alltid ut, eftersom uppdraget kräver dem.",
		}
		k, err := send(ctx, c, cm, domain.MailJustering, MeetingRef(m.ID), l, to)
		if err != nil {
			return n, err
		}
		n += k
	}
	return n, nil
}

// JusteratMails keeps the mail that tells the committee's secretariat that
// both justerare have approved a meeting's minutes (they are locked), once
// per meeting. It runs in the transaction of the second approval.
func JusteratMails(ctx context.Context, c *store.Conn, cm domain.Committee, m meeting.Meeting, j meeting.Justering, baseURL string) (int, error) {
	if !j.Locked() {
		return 0, nil
	}
	first, err := c.Once(ctx, "justerat:"+MeetingRef(m.ID))
	if err != nil || !first {
		return 0, err
	}
	to, err := secretariat(ctx, c, cm.ID)
	if err != nil {
		return 0, err
	}
	day := kallelse.DayInText(m.Date)
	var names []string
	for _, x := range j.Justerare {
		names = append(names, x.MemberName)
	}
	page := meetingURL(baseURL, m.ID)
	l := Letter{
		Subject:  "Justerat: protokollet från " + cm.Name + " " + day,
		Greeting: "Hej!",
		Paras: []string{
			"Båda justerarna har justerat protokollet från sammanträdet med " + cm.Name + " " + day + ", och det är låst.",
			"Anslå justeringen på anslagstavlan och expediera protokollsutdragen.",
		},
		Facts:    [][2]string{{"Sammanträde", kallelse.DayText(m.Date)}},
		ListHead: "Justerare",
		List:     names,
		Links:    [][2]string{{"Protokollet i GNS", page + "/protokoll"}},
		Footer:   "Du får detta brev från GNS eftersom du arbetar i sekretariatet för " + cm.Name + ". Under Mitt konto i GNS väljer du vilka brev du vill få.",
	}
	return send(ctx, c, cm, domain.MailJusterat, MeetingRef(m.ID), l, to)
}
