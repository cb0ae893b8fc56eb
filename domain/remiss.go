package domain

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// RemissPosition is a party's answer to a remiss: what its own decision
// says about the matter.
type RemissPosition string

// The answers a party can give to a remiss (shared/DOMAIN.md §4).
const (
	RemissApproves             RemissPosition = "approves"               // godkänner
	RemissApprovesWithComments RemissPosition = "approves_with_comments" // godkänner med synpunkter
	RemissRejects              RemissPosition = "rejects"                // avstyrker
	RemissAbstains             RemissPosition = "abstains"               // tar ej ställning
)

// RemissPositions are the answers in the order forms and summaries give them.
var RemissPositions = []RemissPosition{RemissApproves, RemissApprovesWithComments, RemissRejects, RemissAbstains}

// Label is the answer as the table and the summary write it.
func (p RemissPosition) Label() string {
	switch p {
	case RemissApproves:
		return "godkänner"
	case RemissApprovesWithComments:
		return "godkänner med synpunkter"
	case RemissRejects:
		return "avstyrker"
	case RemissAbstains:
		return "tar ej ställning"
	}
	return string(p)
}

// ParseRemissPosition reads an answer by its code; the error is about the
// field "position".
func ParseRemissPosition(s string) (RemissPosition, error) {
	p := RemissPosition(strings.TrimSpace(s))
	for _, k := range RemissPositions {
		if p == k {
			return p, nil
		}
	}
	return "", FieldErrorf("position", "Välj partens svar: godkänner, godkänner med synpunkter, avstyrker eller tar ej ställning.")
}

// RemissNotAnswered is what the table says for a party that did not answer
// by the last day.
const RemissNotAnswered = "ej svarat"

// RemissAwaiting is what the table says for a party that has not answered
// while the remiss is still open.
const RemissAwaiting = "inväntar svar"

// RemissReminderDays is how many days before the last day the parties that
// have not answered get a reminder.
const RemissReminderDays = 7

// Limits on a remiss's texts.
const (
	MaxRemissQuestion = 4000
	MaxRemissSubject  = 200
	MaxRemissComments = 20000
	MaxRemissSummary  = 20000
)

// Remiss is a case sent to some of the committee's parties for their
// opinion, with the documents sent, the question, the last day to answer,
// and each party's answer.
type Remiss struct {
	ID          int64
	CommitteeID int64
	CaseID      int64
	CaseNumber  CaseNumber
	CaseTitle   string
	// Question is what the parties are asked.
	Question string
	// Subject is what the parties take a position on, in the definite form
	// ("förstudien"), as the summary writes it; empty for none.
	Subject string
	SentOn  Date
	LastDay Date
	// Summary is the secretariat's summary of the answers ("Sex parter har
	// inkommit med remissvar ..."), empty until saved; DraftRemissSummary
	// drafts it.
	Summary   string
	Parties   []RemissParty
	Documents []CaseDocument
	CreatedAt time.Time
	CreatedBy string
}

// Open reports whether parties may still answer on day: up to and
// including the last day.
func (r Remiss) Open(day Date) bool { return !day.After(r.LastDay) }

// Party returns the remiss's entry for the party, and whether it was sent
// to it.
func (r Remiss) Party(partyID int64) (RemissParty, bool) {
	for _, p := range r.Parties {
		if p.PartyID == partyID {
			return p, true
		}
	}
	return RemissParty{}, false
}

// Replies are the parties' answers in force, in the order they first came
// in, for DraftRemissSummary.
func (r Remiss) Replies() []RemissReply {
	answered := slices.DeleteFunc(slices.Clone(r.Parties), func(p RemissParty) bool { return p.Answer == nil })
	slices.SortStableFunc(answered, func(a, b RemissParty) int {
		if c := a.FirstReceivedOn.Time().Compare(b.FirstReceivedOn.Time()); c != 0 {
			return c
		}
		return cmp.Compare(a.FirstAnswerID, b.FirstAnswerID)
	})
	out := make([]RemissReply, len(answered))
	for i, p := range answered {
		out[i] = RemissReply{Party: p.PartyName, Position: p.Answer.Position}
	}
	return out
}

// DraftSummary is DraftRemissSummary of the answers in force.
func (r Remiss) DraftSummary() string { return DraftRemissSummary(r.Replies(), r.Subject) }

// RemissParty is one party a remiss was sent to, with its answer in force
// (nil while it has not answered) and when it was reminded.
type RemissParty struct {
	PartyID   int64
	PartyName string
	PartySlug string
	Answer    *RemissAnswer
	// FirstReceivedOn is the day the party's first answer came in, and
	// FirstAnswerID its id: the summary names the parties in the order
	// their answers came in.
	FirstReceivedOn Date
	FirstAnswerID   int64
	RemindedAt      time.Time
}

// Status is the party's answer as the table shows it on day: the answer,
// or "inväntar svar" while the remiss is open, or "ej svarat" after its
// last day.
func (p RemissParty) Status(r Remiss, day Date) string {
	switch {
	case p.Answer != nil:
		return p.Answer.Position.Label()
	case r.Open(day):
		return RemissAwaiting
	}
	return RemissNotAnswered
}

// RemissAnswer is one version of a party's answer. A party may change its
// answer until the last day; each change is a new version, and the earlier
// ones are kept as its history.
type RemissAnswer struct {
	ID       int64
	RemissID int64
	PartyID  int64
	Version  int
	Position RemissPosition
	Comments string
	// DecisionBody, DecisionDate and DecisionParagraph name the party's own
	// decision behind the answer, e.g. "Kommunstyrelsen", 2020-10-20, "§ 112".
	DecisionBody      string
	DecisionDate      Date
	DecisionParagraph string
	Documents         []CaseDocument
	// ReceivedOn is the day the answer came in: the day it was given in
	// GNS, or, for an answer the secretariat registers, the day it arrived.
	ReceivedOn Date
	AnsweredAt time.Time
	AnsweredBy string
}

// CheckRemiss trims and checks what the secretariat sends out: a question,
// the subject, a last day after today, and at least one party. Errors are
// field errors on question, subject, last_day and parties.
func CheckRemiss(r *Remiss, today Date) error {
	r.Question = strings.TrimSpace(strings.ReplaceAll(r.Question, "\r\n", "\n"))
	r.Subject = strings.TrimSpace(r.Subject)
	switch {
	case r.Question == "":
		return FieldErrorf("question", "Skriv frågan som parterna ska svara på.")
	case r.LastDay.IsZero():
		return FieldErrorf("last_day", "Ange sista svarsdag (ÅÅÅÅ-MM-DD).")
	case !r.LastDay.After(today):
		return FieldErrorf("last_day", "Sista svarsdag måste vara efter i dag (%s).", today)
	case len(r.Parties) == 0:
		return FieldErrorf("parties", "Välj minst en part att skicka remissen till.")
	}
	if err := CheckText("question", "Frågan", r.Question, MaxRemissQuestion); err != nil {
		return err
	}
	if err := CheckDateRange("last_day", "Sista svarsdag", r.LastDay); err != nil {
		return err
	}
	return CheckText("subject", "Vad remissen gäller", r.Subject, MaxRemissSubject)
}

// CheckRemissAnswer trims and checks a party's answer: a position, and
// texts within their limits; a decision date, when given, not after today;
// the day it came in (today when not given) not after today.
func CheckRemissAnswer(a *RemissAnswer, today Date) error {
	if a.ReceivedOn.IsZero() {
		a.ReceivedOn = today
	}
	if a.ReceivedOn.After(today) {
		return FieldErrorf("received_on", "Svaret kan inte ha kommit in efter i dag (%s).", today)
	}
	a.Comments = strings.TrimSpace(strings.ReplaceAll(a.Comments, "\r\n", "\n"))
	a.DecisionBody = strings.TrimSpace(a.DecisionBody)
	a.DecisionParagraph = strings.TrimSpace(a.DecisionParagraph)
	if _, err := ParseRemissPosition(string(a.Position)); err != nil {
		return err
	}
	if a.Position == RemissApprovesWithComments && a.Comments == "" {
		return FieldErrorf("comments", "Skriv partens synpunkter när den godkänner med synpunkter.")
	}
	if err := CheckText("comments", "Synpunkterna", a.Comments, MaxRemissComments); err != nil {
		return err
	}
	if err := CheckText("decision_body", "Beslutande organ", a.DecisionBody, 200); err != nil {
		return err
	}
	if err := CheckText("decision_paragraph", "Paragrafen", a.DecisionParagraph, 50); err != nil {
		return err
	}
	if !a.DecisionDate.IsZero() {
		if err := CheckDateRange("decision_date", "Beslutsdagen", a.DecisionDate); err != nil {
			return err
		}
		if a.DecisionDate.After(today) {
			return FieldErrorf("decision_date", "Beslutsdagen kan inte vara efter i dag (%s).", today)
		}
	}
	return nil
}

// CheckRemissSummary trims and checks the secretariat's summary.
func CheckRemissSummary(s string) (string, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	return s, CheckText("summary", "Sammanfattningen", s, MaxRemissSummary)
}

// RemissReply is a party's answer as the summary needs it: its name and
// position. DraftRemissSummary takes the replies in the order they came in.
type RemissReply struct {
	Party    string
	Position RemissPosition
}

// DraftRemissSummary drafts the summary of a remiss's answers in the style
// of the committee's tjänsteskrivelser: how many parties answered and how
// many of them took no position, then one sentence per answer, naming the
// parties in the order their answers came in, with subject (e.g.
// "förstudien") after the verb. Parties that did not answer are not named;
// the table shows them. The secretariat edits the draft.
//
//	Sex parter har inkommit med remissvar varav en part ej tar ställning.
//	Östersunds kommun, … samt Region Jämtland Härjedalen godkänner förstudien.
//	Bräcke kommun tar ej ställning.
func DraftRemissSummary(replies []RemissReply, subject string) string {
	if len(replies) == 0 {
		return "Ingen part har inkommit med remissvar."
	}
	groups := map[RemissPosition][]string{}
	for _, r := range replies {
		groups[r.Position] = append(groups[r.Position], r.Party)
	}
	first := capitalize(countWord(len(replies), "part", "parter")) + " har inkommit med remissvar"
	if n := len(groups[RemissAbstains]); n > 0 && n < len(replies) {
		first += " varav " + countWord(n, "part", "parter") + " ej tar ställning"
	}
	sentences := []string{first + "."}
	object := ""
	if subject != "" {
		object = " " + subject
	}
	for _, p := range RemissPositions {
		names := groups[p]
		if len(names) == 0 {
			continue
		}
		var verb string
		switch p {
		case RemissApproves:
			verb = "godkänner" + object
		case RemissApprovesWithComments:
			verb = "godkänner" + object + " med synpunkter"
		case RemissRejects:
			verb = "avstyrker" + object
		case RemissAbstains:
			verb = "tar ej ställning"
		}
		sentences = append(sentences, joinSamt(names)+" "+verb+".")
	}
	return strings.Join(sentences, " ")
}

// joinSamt lists names as the seeds do: "A, B samt C".
func joinSamt(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " samt " + names[len(names)-1]
}

var countWords = []string{"ingen", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv"}

// countWord writes a count with its noun, in words up to twelve as Swedish
// prose does ("en part", "sex parter"), in digits above.
func countWord(n int, one, many string) string {
	noun := many
	if n == 1 {
		noun = one
	}
	if n < len(countWords) {
		return countWords[n] + " " + noun
	}
	return strconv.Itoa(n) + " " + noun
}

func capitalize(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// WithRemissResults returns text (a paragraph's sammanfattning) followed by
// the saved summary of each remiss under the heading "Resultat remiss", as
// the committee's tjänsteskrivelser write it; a summary text already holds
// is not added again.
func WithRemissResults(text string, remisser []Remiss) string {
	for _, r := range remisser {
		if r.Summary == "" || strings.Contains(text, r.Summary) {
			continue
		}
		if text != "" {
			text += "\n\n"
		}
		text += "Resultat remiss\n\n" + r.Summary
	}
	return text
}
