package app

import (
	"context"

	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/kallelse"
	"github.com/region-jh/gns/store"
)

// KallelseChangeMails tells the called members (ledamöter and ersättare)
// and the parties' contacts of each meeting still to come whose published
// kallelse was changed (time, place, items: the kallelse is "ändrad") what
// changed since they were last told: one mail per meeting with every
// change not yet told, then recorded as told. A periodic job runs it every
// few minutes, so a run of edits goes as one mail. It returns how many
// mails were kept.
func KallelseChangeMails(ctx context.Context, c *store.Conn, baseURL string) (int, error) {
	changes, err := c.UnmailedKallelseChanges(ctx, today(c))
	if err != nil {
		return 0, err
	}
	n := 0
	for len(changes) > 0 {
		k := 1
		for k < len(changes) && changes[k].MeetingID == changes[0].MeetingID {
			k++
		}
		sent, err := kallelseChangeMail(ctx, c, changes[:k], baseURL)
		if err != nil {
			return n, err
		}
		n += sent
		changes = changes[k:]
	}
	return n, nil
}

// kallelseChangeMail tells of the changes to one meeting's kallelse.
func kallelseChangeMail(ctx context.Context, c *store.Conn, changes []meeting.KallelseChange, baseURL string) (int, error) {
	m, err := c.MeetingByID(ctx, changes[0].MeetingID)
	if err != nil {
		return 0, err
	}
	cm, err := c.CommitteeByID(ctx, m.CommitteeID)
	if err != nil {
		return 0, err
	}
	ids := make([]int64, len(changes))
	list := make([]string, len(changes))
	for i, ch := range changes {
		ids[i], list[i] = ch.ID, ch.What
	}
	if err := c.KallelseChangesMailed(ctx, ids); err != nil {
		return 0, err
	}
	page := meetingURL(baseURL, m.ID)
	day := kallelse.DayInText(m.Date)
	l := Letter{
		Subject:  "Ändrad kallelse: " + cm.Name + " " + day,
		Greeting: "Hej!",
		Paras:    []string{"Kallelsen till sammanträdet med " + cm.Name + " " + day + " är ändrad. Så här ser sammanträdet ut nu; ändringarna står nedan."},
		Facts:    meetingFacts(m),
		ListHead: "Ändringar",
		List:     list,
		Links:    [][2]string{{"Sammanträdet i GNS", page}, {"Den ändrade kallelsen som PDF", page + "/kallelse.pdf"}},
		Footer:   "Du får detta brev från GNS eftersom du är ledamot eller ersättare i " + cm.Name + " eller kontaktperson för en av nämndens parter. Under Mitt konto i GNS väljer du vilka brev du vill få.",
	}
	if m.Cancelled() {
		l.Subject = "Inställt: " + cm.Name + " " + day
		l.Paras = []string{"Sammanträdet med " + cm.Name + " " + day + " är inställt."}
		l.Links = l.Links[:1]
	} else {
		l.Links = append(l.Links, [2]string{"Anmäl förhinder", page + "/forhinder"})
	}
	return sendToCalled(ctx, c, cm, m, l)
}
