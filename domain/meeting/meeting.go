package meeting

import (
	"fmt"
	"time"

	"github.com/region-jh/gns/domain"
)

// MeetingPurpose is what a meeting in the year plan is mainly for.
type MeetingPurpose string

// The purposes of the committee's regular meetings (reglemente § 7).
const (
	PurposeAnnualAccounts MeetingPurpose = "arsbokslut"     // February: årsbokslut
	PurposeFourMonths     MeetingPurpose = "tertialrapport" // May: tertialrapport per april
	PurposeInterim        MeetingPurpose = "delarsrapport"  // September: delårsrapport per augusti
	PurposeBudget         MeetingPurpose = "budget"         // December: budget and next year's plan
	PurposeOther          MeetingPurpose = "ovrigt"
)

// MeetingPurposes lists the purposes in the order of the year.
var MeetingPurposes = []MeetingPurpose{PurposeAnnualAccounts, PurposeFourMonths, PurposeInterim, PurposeBudget, PurposeOther}

// Valid reports whether p is a known purpose.
func (p MeetingPurpose) Valid() bool {
	for _, k := range MeetingPurposes {
		if p == k {
			return true
		}
	}
	return false
}

// Label returns the Swedish name of the purpose.
func (p MeetingPurpose) Label() string {
	switch p {
	case PurposeAnnualAccounts:
		return "Årsbokslut"
	case PurposeFourMonths:
		return "Tertialrapport"
	case PurposeInterim:
		return "Delårsrapport"
	case PurposeBudget:
		return "Budget"
	case PurposeOther:
		return "Övrigt"
	}
	return string(p)
}

// CheckMeetingDay applies the weekday rule: meetings in which the
// municipalities take part are held on a Monday or a Friday. Another day needs
// the secretariat's confirmation; without it the answer is an EINVALID error on
// the field "confirm_weekday" that says so.
func CheckMeetingDay(d domain.Date, municipalitiesTakePart, confirmed bool) error {
	if d.IsZero() {
		return domain.FieldErrorf("date", "Ange sammanträdets datum.")
	}
	wd := d.Weekday()
	if !municipalitiesTakePart || wd == time.Monday || wd == time.Friday || confirmed {
		return nil
	}
	return domain.FieldErrorf("confirm_weekday", "%s är en %s. Sammanträden där kommunerna deltar hålls på måndag eller fredag. Bekräfta undantaget om dagen ändå ska gälla.", d, d.WeekdayName())
}

// AppealPeriodEnd returns the last day to appeal a decision whose approved
// minutes were announced (anslag) on the given day: three weeks after the
// announcement (kommunallagen 13 kap. 5 §), moved to the next working day when
// it falls on a Saturday, Sunday or public holiday, or on midsommarafton,
// julafton or nyårsafton (lagen (1930:173) om beräkning av lagstadgad tid).
func AppealPeriodEnd(announced domain.Date) domain.Date {
	end := announced.AddDays(21)
	for !IsSwedishWorkingDay(end) {
		end = end.AddDays(1)
	}
	return end
}

// IsSwedishWorkingDay reports whether d is a day on which a time limit in law
// can end: not a Saturday, Sunday, public holiday (allmän helgdag),
// midsommarafton, julafton or nyårsafton.
func IsSwedishWorkingDay(d domain.Date) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return !swedishHolidays(d.Year)[d]
}

// swedishHolidays returns the public holidays of a year (lagen (1989:253) om
// allmänna helgdagar) and the eves the law on time limits treats alike.
func swedishHolidays(year int) map[domain.Date]bool {
	easter := easterSunday(year)
	fixed := func(m time.Month, day int) domain.Date { return domain.Date{Year: year, Month: m, Day: day} }
	days := []domain.Date{
		fixed(time.January, 1),   // nyårsdagen
		fixed(time.January, 6),   // trettondedag jul
		easter.AddDays(-2),       // långfredagen
		easter,                   // påskdagen
		easter.AddDays(1),        // annandag påsk
		fixed(time.May, 1),       // första maj
		easter.AddDays(39),       // Kristi himmelsfärdsdag
		easter.AddDays(49),       // pingstdagen
		fixed(time.June, 6),      // nationaldagen
		fixed(time.December, 24), // julafton
		fixed(time.December, 25), // juldagen
		fixed(time.December, 26), // annandag jul
		fixed(time.December, 31), // nyårsafton
	}
	// Midsommarafton is the Friday between 19 and 25 June, midsommardagen the
	// day after; alla helgons dag the Saturday between 31 October and 6
	// November.
	for day := 19; day <= 25; day++ {
		if d := fixed(time.June, day); d.Weekday() == time.Friday {
			days = append(days, d, d.AddDays(1))
		}
	}
	for d := fixed(time.October, 31); d.Month != time.November || d.Day <= 6; d = d.AddDays(1) {
		if d.Weekday() == time.Saturday {
			days = append(days, d)
			break
		}
	}
	set := make(map[domain.Date]bool, len(days))
	for _, d := range days {
		set[d] = true
	}
	return set
}

// easterSunday returns the date of Easter Sunday in the Gregorian calendar
// (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher").
func easterSunday(y int) domain.Date {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return domain.Date{Year: y, Month: time.Month(month), Day: day}
}

// Vote is how one serving member voted in a votering.
type Vote string

// The answers of a votering.
const (
	VoteYes     Vote = "ja"
	VoteNo      Vote = "nej"
	VoteAbstain Vote = "avstar"
)

// Label returns the Swedish word for the vote.
func (v Vote) Label() string {
	switch v {
	case VoteYes:
		return "Ja"
	case VoteNo:
		return "Nej"
	case VoteAbstain:
		return "Avstår"
	}
	return string(v)
}

// VoteCount is the result of a votering.
type VoteCount struct{ Yes, No, Abstain int }

// String writes the count as the minutes do: "5 ja, 3 nej, 1 avstår".
func (c VoteCount) String() string {
	return fmt.Sprintf("%d ja, %d nej, %d avstår", c.Yes, c.No, c.Abstain)
}

// CountVotes checks a votering against the members serving at the paragraph
// (each serving member votes exactly once; no one else votes) and counts it.
// names maps member ids to names for the messages.
func CountVotes(serving []int64, votes map[int64]Vote, names map[int64]string) (VoteCount, error) {
	var c VoteCount
	isServing := make(map[int64]bool, len(serving))
	for _, id := range serving {
		isServing[id] = true
	}
	for id, v := range votes {
		if !isServing[id] {
			return VoteCount{}, domain.FieldErrorf("votes", "%s tjänstgör inte vid paragrafen och kan inte rösta.", nameOf(names, id))
		}
		switch v {
		case VoteYes:
			c.Yes++
		case VoteNo:
			c.No++
		case VoteAbstain:
			c.Abstain++
		default:
			return VoteCount{}, domain.FieldErrorf("votes", "Okänd röst %q för %s: ange ja, nej eller avstår.", v, nameOf(names, id))
		}
	}
	for _, id := range serving {
		if _, ok := votes[id]; !ok {
			return VoteCount{}, domain.FieldErrorf("votes", "%s tjänstgör men saknar röst. Antalet röster (%d) stämmer inte med antalet tjänstgörande (%d).", nameOf(names, id), len(votes), len(serving))
		}
	}
	return c, nil
}

func nameOf(names map[int64]string, id int64) string {
	if n := names[id]; n != "" {
		return n
	}
	return fmt.Sprintf("Ledamot %d", id)
}

// AssignmentStatus is where an assignment (uppdrag) stands.
type AssignmentStatus string

// The statuses of an assignment.
const (
	AssignmentGiven      AssignmentStatus = "givet"
	AssignmentInProgress AssignmentStatus = "pagar"
	AssignmentReported   AssignmentStatus = "aterrapporterat"
	AssignmentCompleted  AssignmentStatus = "slutfort"
	AssignmentWithdrawn  AssignmentStatus = "ateraget"
)

// AssignmentStatuses lists the statuses in their natural order.
var AssignmentStatuses = []AssignmentStatus{AssignmentGiven, AssignmentInProgress, AssignmentReported, AssignmentCompleted, AssignmentWithdrawn}

// Label returns the Swedish word for the status.
func (s AssignmentStatus) Label() string {
	switch s {
	case AssignmentGiven:
		return "Givet"
	case AssignmentInProgress:
		return "Pågår"
	case AssignmentReported:
		return "Återrapporterat"
	case AssignmentCompleted:
		return "Slutfört"
	case AssignmentWithdrawn:
		return "Återtaget"
	}
	return string(s)
}

// Open reports whether the assignment still asks for work: given, in
// progress or reported back but not yet closed.
func (s AssignmentStatus) Open() bool {
	return s == AssignmentGiven || s == AssignmentInProgress || s == AssignmentReported
}

// CheckAssignmentTransition tells whether an assignment may go from one
// status to another. Completed and withdrawn are final. Withdrawal needs the
// paragraph that withdrew it (withdrawingParagraph ≠ 0); a report back may be
// followed by more work.
func CheckAssignmentTransition(from, to AssignmentStatus, withdrawingParagraph int64) error {
	if !from.Open() {
		return domain.Errorf(domain.ECONFLICT, "Uppdraget är %s och kan inte ändras.", from.Label())
	}
	switch to {
	case AssignmentInProgress, AssignmentReported, AssignmentCompleted:
		if to == from {
			return domain.Errorf(domain.ECONFLICT, "Uppdraget är redan %s.", from.Label())
		}
		return nil
	case AssignmentWithdrawn:
		if withdrawingParagraph == 0 {
			return domain.FieldErrorf("paragraph", "Ett uppdrag återtas genom ett beslut: ange paragrafen som återtog det.")
		}
		return nil
	}
	return domain.FieldErrorf("status", "Uppdraget kan inte få status %q.", to)
}

// Meeting is a sammanträde in a committee's year plan.
type Meeting struct {
	ID          int64
	CommitteeID int64
	// UID identifies the meeting in calendar feeds; it never changes.
	UID  string
	Date domain.Date
	// StartTime and EndTime are local (Stockholm) times, "09:00".
	StartTime, EndTime string
	Place              string
	Link               string
	Purpose            MeetingPurpose
	// Municipalities tells whether the municipal parties take part, which
	// brings the weekday rule into force.
	Municipalities   bool
	WeekdayConfirmed bool
	Notes            string
	// MinutesNotice is a notice every page and PDF of the meeting's
	// minutes shows, e.g. that the demo constructed minutes the seeds lack
	// ("Konstruerat för demon – seeds saknar decemberprotokollet"). It is
	// set when the meeting is created.
	MinutesNotice string
	CancelledAt   time.Time
	// PublishedAt is when the kallelse was published to the members.
	PublishedAt time.Time
	// JusteringDue is the tid för justering; AnnouncedOn the day the approved
	// minutes were announced (anslag), which starts the appeal period.
	JusteringDue domain.Date
	AnnouncedOn  domain.Date
	// LockedAt is set when both justerare have approved: the minutes never
	// change after it. MinutesSHA256 is the hash of the minutes PDF approved.
	LockedAt      time.Time
	MinutesSHA256 string
	// Sequence grows with every edit (the calendar feed's SEQUENCE).
	Sequence  int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Locked reports whether the minutes are approved and locked.
func (m Meeting) Locked() bool { return !m.LockedAt.IsZero() }

// Published reports whether the kallelse is published.
func (m Meeting) Published() bool { return !m.PublishedAt.IsZero() }

// Cancelled reports whether the meeting was called off.
func (m Meeting) Cancelled() bool { return !m.CancelledAt.IsZero() }

// AgendaItemKind tells a standing item of the föredragningslista from a case.
type AgendaItemKind string

// The kinds of agenda item.
const (
	AgendaStanding  AgendaItemKind = "agenda"    // Fastställande av föredragningslista
	AgendaJusterare AgendaItemKind = "justerare" // Val av justerare och tid för justering
	AgendaCase      AgendaItemKind = "case"      // one case
	AgendaOther     AgendaItemKind = "other"     // information and other items
)

// AgendaItemStatus is whether an item is on the list, withdrawn or moved.
type AgendaItemStatus string

// The statuses of an agenda item.
const (
	AgendaActive    AgendaItemStatus = "active"
	AgendaWithdrawn AgendaItemStatus = "withdrawn"
	AgendaMoved     AgendaItemStatus = "moved"
)

// AgendaItem is one item of a meeting's föredragningslista.
type AgendaItem struct {
	ID        int64
	MeetingID int64
	Position  int
	Kind      AgendaItemKind
	CaseID    int64
	// CaseNumber is the case's number for display, e.g. GNS/10/2020.
	CaseNumber  string
	Title       string
	Description string // ärendebeskrivning
	Proposal    string // förslag till beslut
	DispatchTo  []Recipient
	Status      AgendaItemStatus
	MovedTo     int64
}

// Recipient is one entry of an "expedieras till" list: all parties, one
// party, or a role or function such as "Ekonom".
type Recipient struct {
	// Kind is "parties" (all the committee's parties), "party" or "role".
	Kind string
	// Party is the party's slug for Kind "party"; Role the role's name for
	// Kind "role".
	Party string
	Role  string
}

// Paragraph is one § of the minutes, numbered per committee and calendar year
// across meetings.
type Paragraph struct {
	ID           int64
	CommitteeID  int64
	MeetingID    int64
	Year         int
	Number       int
	AgendaItemID int64
	CaseID       int64
	CaseNumber   string
	Title        string
	Summary      string // sammanfattning
	Proposal     string // förslag till beslut
	// PropositionOrder is how the chair put the question; PropositionResult
	// what the committee decided by it.
	PropositionOrder  string
	PropositionResult string
	// Decision holds the beslut, one numbered point per line.
	Decision     string
	Reservations string
	DispatchTo   []Recipient
	Basis        string // beslutsunderlag
	Motions      []Motion
	// Votes is the votering, by member id, when there was one; Count is its
	// checked count.
	Votes map[int64]Vote
	Count *VoteCount
	// SecretBallot marks a sluten omröstning: Count holds the result and
	// Votes stays empty.
	SecretBallot bool
	// Jav are the members who declared jäv in the paragraph and Notes the
	// protokollsanteckningar, in the order made.
	Jav       []Jav
	Notes     []Note
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Motion is a yrkande: a named member's motion in a paragraph.
type Motion struct {
	ID         int64
	MemberID   int64
	MemberName string
	Text       string
}

// Attendance is one member's presence at a meeting.
type Attendance struct {
	MemberID int64
	// Member is the member as the register has it (name, party letter, role,
	// appointing party), filled in when attendance is read.
	Member  domain.Member
	Present bool
	// Serving (tjänstgörande) is a ledamot present, or an ersättare serving
	// for an absent ledamot (ServingFor).
	Serving    bool
	ServingFor int64
	// ArrivedAt and LeftAfter are paragraph numbers when the member came late
	// or left early; zero when present throughout.
	ArrivedAt int
	LeftAfter int
	// Remote is distance participation (deltar på distans).
	Remote bool
}

// ServingAt reports whether the member serves at paragraph number n.
func (a Attendance) ServingAt(n int) bool {
	return a.Serving && (a.ArrivedAt == 0 || n >= a.ArrivedAt) && (a.LeftAfter == 0 || n <= a.LeftAfter)
}

// Justerare is one of the two members who approve a meeting's minutes.
type Justerare struct {
	MemberID   int64
	MemberName string
	// UserID is the user linked to the member, who approves as the
	// justerare (0 when none is linked).
	UserID     int64
	ApprovedAt time.Time
	ApprovedBy int64 // the user who approved
}

// Assignment is an uppdrag a decision point gave, followed until it is
// completed or withdrawn by a later paragraph.
type Assignment struct {
	ID          int64
	CommitteeID int64
	// ParagraphID is the paragraph that gave it; Given names it ("§ 38/2019").
	ParagraphID int64
	Given       string
	CaseID      int64
	CaseNumber  string
	// Assignee is a role ("Regiondirektören") or a person.
	Assignee        string
	AssigneeUserID  int64
	Description     string
	DueOn           domain.Date
	ReportMeetingID int64
	Status          AssignmentStatus
	// WithdrawnBy is the paragraph that withdrew it, and Withdrawn names it.
	WithdrawnBy int64
	Withdrawn   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Overdue reports whether an open assignment is past its due date on day.
func (a Assignment) Overdue(day domain.Date) bool {
	return a.Status.Open() && !a.DueOn.IsZero() && a.DueOn.Before(day)
}

// KallelseChange is one change to a meeting or its föredragningslista made
// after the kallelse was published: the kallelse is then "ändrad", and the
// members are told what changed.
type KallelseChange struct {
	ID        int64
	MeetingID int64
	At        time.Time
	// By names who made the change.
	By string
	// What says in Swedish what changed ("Tiden ändrades från 09:00–12:00
	// till 13:00–16:00.").
	What string
}

// MeetingChanges describes in Swedish what differs between a meeting before
// and after a change, one sentence per changed field, for the kallelse's
// list of changes.
func MeetingChanges(before, after Meeting) []string {
	var out []string
	if before.Date != after.Date {
		out = append(out, fmt.Sprintf("Datumet ändrades från %s till %s.", before.Date, after.Date))
	}
	if before.StartTime != after.StartTime || before.EndTime != after.EndTime {
		out = append(out, fmt.Sprintf("Tiden ändrades från %s–%s till %s–%s.", before.StartTime, before.EndTime, after.StartTime, after.EndTime))
	}
	if before.Place != after.Place {
		out = append(out, fmt.Sprintf("Platsen ändrades från %q till %q.", before.Place, after.Place))
	}
	if before.Link != after.Link {
		out = append(out, "Länken till det digitala mötet ändrades.")
	}
	if before.Purpose != after.Purpose {
		out = append(out, fmt.Sprintf("Sammanträdets syfte ändrades från %s till %s.", before.Purpose.Label(), after.Purpose.Label()))
	}
	if before.Notes != after.Notes {
		out = append(out, "Övrig information ändrades.")
	}
	if before.Municipalities != after.Municipalities {
		out = append(out, "Kommunernas deltagande ändrades.")
	}
	return out
}
