package app

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/outbox"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
)

// Jobs are the periodic jobs gns serve runs (see outbox.Job), with links
// built from baseURL. An area adds its daily or weekly work here: a name, a
// schedule and a function that does the work in the transaction it is given.
func Jobs(baseURL string) []outbox.Job {
	return []outbox.Job{
		{Name: "assignment-digest", Schedule: outbox.Weekly(time.Monday, 7), Run: func(ctx context.Context, c *store.Conn) error {
			_, err := AssignmentDigests(ctx, c, baseURL)
			return err
		}},
		{Name: "kallelse-changes", Schedule: outbox.Every(5 * time.Minute), Run: func(ctx context.Context, c *store.Conn) error {
			_, err := KallelseChangeMails(ctx, c, baseURL)
			return err
		}},
		{Name: "justering-reminder", Schedule: outbox.Daily(7), Run: func(ctx context.Context, c *store.Conn) error {
			_, err := JusteringReminders(ctx, c, baseURL)
			return err
		}},
		{Name: "remiss-reminders", Schedule: outbox.Daily(7), Run: func(ctx context.Context, c *store.Conn) error {
			_, err := QueueRemissReminders(ctx, c, today(c), baseURL)
			return err
		}},
	}
}

// digestHorizon is how far ahead the assignment digest looks: assignments
// due within it, or overdue.
const digestHorizon = 30

// today is the date by c's clock in Swedish time.
func today(c *store.Conn) domain.Date { return domain.DateOf(c.Now().In(sv.Location())) }

// secretariat are the users who work in the committee's secretariat (not
// admins, who hold every role), as recipients.
func secretariat(ctx context.Context, c *store.Conn, committeeID int64) ([]Recipient, error) {
	users, err := c.Users(ctx)
	if err != nil {
		return nil, err
	}
	var to []Recipient
	for _, u := range users {
		if !u.Disabled() && u.HasIn(committeeID, domain.RoleSecretariat) && !u.Has(domain.RoleAdmin) {
			to = append(to, Recipient{Email: u.Email, Name: u.Name, UserID: u.ID})
		}
	}
	return to, nil
}

// assignmentLine is one assignment as the digest lists it.
func assignmentLine(a meeting.Assignment, day domain.Date) string {
	var due string
	switch {
	case a.DueOn.IsZero():
		due = "inget datum"
	case a.Overdue(day):
		due = "försenat, skulle vara klart " + sv.Date(a.DueOn)
	default:
		due = "klart senast " + sv.Date(a.DueOn)
	}
	line := a.Description + " (" + a.Given
	if a.CaseNumber != "" {
		line += ", " + a.CaseNumber
	}
	return line + "; " + a.Assignee + "; " + due + "; " + a.Status.Label() + ")"
}

// AssignmentDigests keeps the weekly digest of open assignments (uppdrag)
// due within 30 days or overdue: to each assignee with a user in GNS their
// own, and to each committee's secretariat all of the committee's, with
// those that no user in GNS receives pointed out. A recipient with nothing
// due gets no mail. It returns how many mails were kept.
func AssignmentDigests(ctx context.Context, c *store.Conn, baseURL string) (int, error) {
	committees, err := c.Committees(ctx)
	if err != nil {
		return 0, err
	}
	day := today(c)
	horizon := day.AddDays(digestHorizon)
	n := 0
	for _, cm := range committees {
		open, err := c.Assignments(ctx, meeting.AssignmentFilter{CommitteeID: cm.ID, Open: true})
		if err != nil {
			return n, err
		}
		var due []meeting.Assignment
		for _, a := range open {
			if !a.DueOn.IsZero() && !a.DueOn.After(horizon) {
				due = append(due, a)
			}
		}
		if len(due) == 0 {
			continue
		}
		page := strings.TrimSuffix(baseURL, "/") + "/namnder/" + url.PathEscape(cm.Code) + "/uppdrag"
		byUser := map[int64][]meeting.Assignment{}
		var noUser int
		for _, a := range due {
			if a.AssigneeUserID == 0 {
				noUser++
				continue
			}
			byUser[a.AssigneeUserID] = append(byUser[a.AssigneeUserID], a)
		}
		users := make([]int64, 0, len(byUser))
		for id := range byUser {
			users = append(users, id)
		}
		sort.Slice(users, func(i, j int) bool { return users[i] < users[j] })
		for _, id := range users {
			u, err := c.UserByID(ctx, id)
			if err != nil {
				return n, err
			}
			if u.Disabled() {
				noUser += len(byUser[id])
				continue
			}
			l := digestLetter(cm, byUser[id], day, page)
			l.Paras = []string{"Här är dina uppdrag från " + cm.Name + " som ska vara klara inom 30 dagar eller är försenade."}
			l.Footer = "Du får detta veckobrev från GNS eftersom du har uppdrag från " + cm.Name + ". Under Mitt konto i GNS väljer du vilka brev du vill få."
			k, err := send(ctx, c, cm, domain.MailAssignments, "", l, []Recipient{{Email: u.Email, Name: u.Name, UserID: u.ID}})
			if err != nil {
				return n, err
			}
			n += k
		}
		to, err := secretariat(ctx, c, cm.ID)
		if err != nil {
			return n, err
		}
		l := digestLetter(cm, due, day, page)
		l.Paras = []string{"Här är nämndens uppdrag som ska vara klara inom 30 dagar eller är försenade."}
		if noUser > 0 {
			l.Paras = append(l.Paras, fmt.Sprintf("%d uppdrag har", noUser)+" ingen mottagare i GNS och får inget eget veckobrev; påminn den som har uppdraget.")
		}
		l.Footer = "Du får detta veckobrev från GNS eftersom du arbetar i sekretariatet för " + cm.Name + ". Under Mitt konto i GNS väljer du vilka brev du vill få."
		k, err := send(ctx, c, cm, domain.MailAssignments, "", l, to)
		if err != nil {
			return n, err
		}
		n += k
	}
	return n, nil
}

// digestLetter is the digest of list, with the count of overdue ones.
func digestLetter(cm domain.Committee, list []meeting.Assignment, day domain.Date, page string) Letter {
	overdue := 0
	lines := make([]string, len(list))
	for i, a := range list {
		if a.Overdue(day) {
			overdue++
		}
		lines[i] = assignmentLine(a, day)
	}
	subject := fmt.Sprintf("Uppdrag: %s, %s", cm.Name, sv.Count(len(list), "uppdrag", "uppdrag"))
	if overdue > 0 {
		subject += fmt.Sprintf(" (%d försenade)", overdue)
	}
	return Letter{
		Subject:  subject,
		Greeting: "Hej!",
		ListHead: "Uppdrag",
		List:     lines,
		Links:    [][2]string{{"Uppdragen i GNS", page}},
	}
}
