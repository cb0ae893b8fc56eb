package meeting

import (
	"fmt"
	"strings"
	"time"

	"github.com/region-jh/gns/domain"
)

// VoteKind is what a live vote asks.
type VoteKind string

// The kinds of live vote.
const (
	// VoteOnProposition asks ja, nej or avstår on the paragraph's
	// proposition (förslaget till beslut).
	VoteOnProposition VoteKind = "proposition"
	// VoteBetweenMotions is a choice between two named yrkanden: as in a
	// voteringsproposition, ja is for the first and nej for the second.
	VoteBetweenMotions VoteKind = "yrkanden"
)

// VoteStatus is where a live vote stands.
type VoteStatus string

// The statuses of a live vote.
const (
	VoteOpen      VoteStatus = "open"
	VoteClosed    VoteStatus = "closed"
	VoteCancelled VoteStatus = "cancelled"
)

// Label returns the Swedish word for the status.
func (s VoteStatus) Label() string {
	switch s {
	case VoteOpen:
		return "Pågår"
	case VoteClosed:
		return "Avslutad"
	case VoteCancelled:
		return "Avbruten"
	}
	return string(s)
}

// Word is the status as a word in a sentence: "pågår", "avslutad".
func (s VoteStatus) Word() string { return strings.ToLower(s.Label()) }

// LiveVote is a votering the members cast from their own devices while the
// secretariat keeps it open. Closing it writes the ballots into the
// paragraph's votering, checked as a typed votering is (CountVotes).
type LiveVote struct {
	ID          int64
	MeetingID   int64
	ParagraphID int64
	// Paragraph is the paragraph's number and year, "§ 5/2027", and
	// ParagraphNumber its number, which decides who serves.
	Paragraph       string
	ParagraphNumber int
	ParagraphTitle  string
	Kind            VoteKind
	// Secret is a sluten omröstning (for a val): only the counts are kept
	// once the vote is closed.
	Secret bool
	// Question is the voteringsproposition as read out; YesLabel and
	// NoLabel what a ja and a nej stand for.
	Question          string
	YesLabel, NoLabel string
	OpenedAt          time.Time
	OpenedBy          string
	Status            VoteStatus
	EndedAt           time.Time
	EndedBy           string
	// Count is the result of a closed vote.
	Count *VoteCount
}

// Open reports whether members may still vote.
func (v LiveVote) Open() bool { return v.Status == VoteOpen }

// ChoiceLabel says what a vote means in this votering: "Ja", or for a
// choice between yrkanden the yrkande a ja or nej stands for.
func (v LiveVote) ChoiceLabel(c Vote) string {
	switch {
	case c == VoteYes && v.Kind == VoteBetweenMotions:
		return v.YesLabel
	case c == VoteNo && v.Kind == VoteBetweenMotions:
		return v.NoLabel
	}
	return c.Label()
}

// Choices are the answers a member picks from, in order.
func (v LiveVote) Choices() []Vote { return []Vote{VoteYes, VoteNo, VoteAbstain} }

// PropositionText is what closing writes into the paragraph's
// propositionsordning: the voteringsproposition and the result.
func (v LiveVote) PropositionText(c VoteCount) string {
	how := "Votering med röstning från ledamöternas egna enheter."
	if v.Secret {
		how = "Sluten omröstning med röstning från ledamöternas egna enheter."
	}
	return fmt.Sprintf("%s %s Resultat: %s.", how, v.Question, c)
}

// NewLiveVote sets up a vote on paragraph p: on the proposition, or for
// kind VoteBetweenMotions between two of p's yrkanden (first and second,
// by id). secret makes it a sluten omröstning. Errors are field errors
// (kind, motions).
func NewLiveVote(p Paragraph, kind VoteKind, secret bool, first, second int64) (LiveVote, error) {
	v := LiveVote{MeetingID: p.MeetingID, ParagraphID: p.ID, Paragraph: p.Ref(), ParagraphNumber: p.Number,
		ParagraphTitle: p.Title, Kind: kind, Secret: secret, Status: VoteOpen}
	switch kind {
	case VoteOnProposition:
		v.YesLabel, v.NoLabel = "Ja", "Nej"
		v.Question = "Den som bifaller förslaget till beslut röstar ja; den som avslår det röstar nej."
	case VoteBetweenMotions:
		byID := map[int64]Motion{}
		for _, m := range p.Motions {
			byID[m.ID] = m
		}
		a, okA := byID[first]
		b, okB := byID[second]
		switch {
		case len(p.Motions) < 2:
			return LiveVote{}, domain.FieldErrorf("motions", "%s har färre än två yrkanden. Skriv in yrkandena i paragrafen först, eller rösta om förslaget.", p.Ref())
		case !okA || !okB:
			return LiveVote{}, domain.FieldErrorf("motions", "Välj två av paragrafens yrkanden att rösta mellan.")
		case first == second:
			return LiveVote{}, domain.FieldErrorf("motions", "Välj två olika yrkanden.")
		}
		v.YesLabel, v.NoLabel = motionLabel(a), motionLabel(b)
		v.Question = fmt.Sprintf("Ja för %s, nej för %s.", strings.ToLower(v.YesLabel[:1])+v.YesLabel[1:], strings.ToLower(v.NoLabel[:1])+v.NoLabel[1:])
	default:
		return LiveVote{}, domain.FieldErrorf("kind", "Välj om voteringen gäller förslaget eller ett val mellan två yrkanden.")
	}
	return v, nil
}

// motionLabel names a yrkande as a choice: "Bifall till Anna Ek (S):s
// yrkande".
func motionLabel(m Motion) string { return "Bifall till " + m.MemberName + ":s yrkande" }

// LiveTally is how a live vote stands: how many serve at the paragraph,
// who of them has voted, and (unless secret) the counts so far.
type LiveTally struct {
	Serving int
	Cast    int
	Count   VoteCount
	// Waiting names the serving members who have not voted yet.
	Waiting []string
	// Others counts ballots of members who no longer serve (their
	// attendance changed after they voted); closing refuses them.
	Others int
}

// Tally counts ballots (by member id) against the members serving at the
// vote's paragraph (ServingAtParagraph), in the attendance's order.
func Tally(serving []int64, ballots map[int64]Vote, names map[int64]string) LiveTally {
	t := LiveTally{Serving: len(serving)}
	isServing := map[int64]bool{}
	for _, id := range serving {
		isServing[id] = true
		v, ok := ballots[id]
		if !ok {
			t.Waiting = append(t.Waiting, nameOf(names, id))
			continue
		}
		t.Cast++
		switch v {
		case VoteYes:
			t.Count.Yes++
		case VoteNo:
			t.Count.No++
		case VoteAbstain:
			t.Count.Abstain++
		}
	}
	for id := range ballots {
		if !isServing[id] {
			t.Others++
		}
	}
	return t
}

// ServingAtParagraph returns the members who serve at paragraph p: those
// serving at its number (ServingAt) who have not declared jäv in it.
func ServingAtParagraph(attendance []Attendance, p Paragraph) []int64 {
	jav := map[int64]bool{}
	for _, j := range p.Jav {
		jav[j.MemberID] = true
	}
	var out []int64
	for _, id := range ServingAt(attendance, p.Number) {
		if !jav[id] {
			out = append(out, id)
		}
	}
	return out
}

// CheckVoter checks that the member may vote in a vote on paragraph p:
// the vote is open, the member serves at p and has not declared jäv there.
// name is the member's name for the message. The errors are EFORBIDDEN
// (not serving, jäv) or ECONFLICT (closed).
func CheckVoter(v LiveVote, p Paragraph, attendance []Attendance, memberID int64, name string) error {
	if !v.Open() {
		return domain.Errorf(domain.ECONFLICT, "Voteringen i %s är %s. Rösten kan inte längre lämnas eller ändras.", v.Paragraph, v.Status.Word())
	}
	for _, j := range p.Jav {
		if j.MemberID == memberID {
			return domain.Errorf(domain.EFORBIDDEN, "%s har anmält jäv i %s och röstar inte där.", name, p.Ref())
		}
	}
	for _, id := range ServingAtParagraph(attendance, p) {
		if id == memberID {
			return nil
		}
	}
	return domain.Errorf(domain.EFORBIDDEN, "%s tjänstgör inte vid %s och kan inte rösta. Bara de tjänstgörande ledamöterna röstar.", name, p.Ref())
}

// Jav is a member's declared jäv in a paragraph: the member takes no part
// in it, neither serving nor voting, and the protokoll says so.
type Jav struct {
	ID          int64
	ParagraphID int64
	MemberID    int64
	MemberName  string
	DeclaredAt  time.Time
	DeclaredBy  string
}

// Note is a protokollsanteckning: a member's note on a paragraph, printed
// in the protokoll and the paragraph's extracts.
type Note struct {
	ID          int64
	ParagraphID int64
	MemberID    int64
	MemberName  string
	Text        string
	CreatedAt   time.Time
	CreatedBy   string
}

// MaxNoteText is the longest protokollsanteckning, in characters.
const MaxNoteText = 3_000

// CheckNote trims a protokollsanteckning and checks it; the error is about
// the field "note".
func CheckNote(text string) (string, error) {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if text == "" {
		return "", domain.FieldErrorf("note", "Skriv protokollsanteckningen.")
	}
	return text, domain.CheckText("note", "Protokollsanteckningen", text, MaxNoteText)
}

// ChangeRequest is a justerare's "begär ändring": a comment on a
// paragraph before approving, for the secretariat.
type ChangeRequest struct {
	ID          int64
	MeetingID   int64
	ParagraphID int64
	Paragraph   string
	MemberID    int64
	MemberName  string
	Comment     string
	CreatedAt   time.Time
}

// MaxChangeRequest is the longest comment of a change request.
const MaxChangeRequest = 3_000

// CheckChangeRequest trims a change request's comment and checks it; the
// error is about the field "comment".
func CheckChangeRequest(text string) (string, error) {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if text == "" {
		return "", domain.FieldErrorf("comment", "Skriv vad som ska ändras.")
	}
	return text, domain.CheckText("comment", "Kommentaren", text, MaxChangeRequest)
}
