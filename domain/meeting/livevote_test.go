package meeting

import (
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
)

func TestServingAtParagraphAndCheckVoter(t *testing.T) {
	t.Parallel()
	att := []Attendance{
		{MemberID: 1, Present: true, Serving: true},
		{MemberID: 2, Present: true, Serving: true, LeftAfter: 3},
		{MemberID: 3, Present: true, Serving: true, ArrivedAt: 5},
		{MemberID: 4, Present: true},                               // ersättare, not serving
		{MemberID: 5, Present: true, Serving: true, ServingFor: 9}, // serving for an absent ledamot
	}
	p := Paragraph{ID: 10, Number: 4, Year: 2027, Jav: []Jav{{MemberID: 5}}}
	if got := ServingAtParagraph(att, p); len(got) != 1 || got[0] != 1 {
		t.Errorf("serving at § 4 with 5's jäv = %v, want [1]", got)
	}
	open := LiveVote{Paragraph: "§ 4/2027", Status: VoteOpen}
	for _, tc := range []struct {
		name   string
		vote   LiveVote
		member int64
		code   string
		msg    string
	}{
		{"serving", open, 1, "", ""},
		{"left after § 3", open, 2, domain.EFORBIDDEN, "X tjänstgör inte vid § 4/2027"},
		{"arrives at § 5", open, 3, domain.EFORBIDDEN, "tjänstgör inte"},
		{"ersättare not serving", open, 4, domain.EFORBIDDEN, "tjänstgör inte"},
		{"jäv", open, 5, domain.EFORBIDDEN, "X har anmält jäv i § 4/2027"},
		{"not called", open, 99, domain.EFORBIDDEN, "tjänstgör inte"},
		{"closed", LiveVote{Paragraph: "§ 4/2027", Status: VoteClosed}, 1, domain.ECONFLICT, "Voteringen i § 4/2027 är avslutad"},
		{"cancelled", LiveVote{Paragraph: "§ 4/2027", Status: VoteCancelled}, 1, domain.ECONFLICT, "är avbruten"},
	} {
		err := CheckVoter(tc.vote, p, att, tc.member, "X")
		if domain.ErrorCode(err) != tc.code || (tc.msg != "" && !strings.Contains(domain.ErrorMessage(err), tc.msg)) {
			t.Errorf("%s: %v, want %s %q", tc.name, err, tc.code, tc.msg)
		}
	}
}

func TestNewLiveVote(t *testing.T) {
	t.Parallel()
	two := Paragraph{ID: 1, Number: 7, Year: 2027, Motions: []Motion{{ID: 11, MemberName: "Anna Ek (S)"}, {ID: 12, MemberName: "Per Berg (M)"}}}
	for _, tc := range []struct {
		name          string
		p             Paragraph
		kind          VoteKind
		first, second int64
		msg           string
		question      string
	}{
		{"proposition", two, VoteOnProposition, 0, 0, "", "Den som bifaller förslaget till beslut röstar ja; den som avslår det röstar nej."},
		{"between yrkanden", two, VoteBetweenMotions, 12, 11, "", "Ja för bifall till Per Berg (M):s yrkande, nej för bifall till Anna Ek (S):s yrkande."},
		{"same twice", two, VoteBetweenMotions, 11, 11, "två olika", ""},
		{"unknown yrkande", two, VoteBetweenMotions, 11, 13, "Välj två av paragrafens", ""},
		{"one yrkande", Paragraph{Number: 7, Year: 2027, Motions: two.Motions[:1]}, VoteBetweenMotions, 11, 12, "färre än två yrkanden", ""},
		{"unknown kind", two, VoteKind("val"), 0, 0, "Välj om voteringen", ""},
	} {
		v, err := NewLiveVote(tc.p, tc.kind, false, tc.first, tc.second)
		if tc.msg != "" {
			if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), tc.msg) {
				t.Errorf("%s: %v, want %q", tc.name, err, tc.msg)
			}
			continue
		}
		if err != nil || v.Question != tc.question || !v.Open() {
			t.Errorf("%s: %+v, %v", tc.name, v, err)
		}
	}
	v, _ := NewLiveVote(two, VoteBetweenMotions, true, 11, 12)
	if v.ChoiceLabel(VoteYes) != "Bifall till Anna Ek (S):s yrkande" || v.ChoiceLabel(VoteAbstain) != "Avstår" {
		t.Errorf("choice labels = %q, %q", v.ChoiceLabel(VoteYes), v.ChoiceLabel(VoteAbstain))
	}
	if got := v.PropositionText(VoteCount{Yes: 5, No: 3, Abstain: 1}); !strings.HasPrefix(got, "Sluten omröstning") || !strings.HasSuffix(got, "Resultat: 5 ja, 3 nej, 1 avstår.") {
		t.Errorf("proposition text = %q", got)
	}
}

func TestTally(t *testing.T) {
	t.Parallel()
	names := map[int64]string{1: "A", 2: "B", 3: "C"}
	got := Tally([]int64{1, 2, 3}, map[int64]Vote{1: VoteYes, 3: VoteAbstain, 9: VoteNo}, names)
	if got.Serving != 3 || got.Cast != 2 || got.Count != (VoteCount{Yes: 1, Abstain: 1}) || len(got.Waiting) != 1 || got.Waiting[0] != "B" || got.Others != 1 {
		t.Errorf("tally = %+v", got)
	}
}

func TestCheckNoteAndChangeRequest(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want, msg string
	}{
		{"  Text.\r\nMer.  ", "Text.\nMer.", ""},
		{"   ", "", "Skriv protokollsanteckningen."},
		{strings.Repeat("x", MaxNoteText+1), "", "högst"},
	} {
		got, err := CheckNote(tc.in)
		if (tc.msg == "" && (err != nil || got != tc.want)) || (tc.msg != "" && !strings.Contains(domain.ErrorMessage(err), tc.msg)) {
			t.Errorf("CheckNote(%.20q) = %q, %v", tc.in, got, err)
		}
	}
	if _, err := CheckChangeRequest(""); !strings.Contains(domain.ErrorMessage(err), "Skriv vad som ska ändras.") {
		t.Errorf("an empty change request: %v", err)
	}
}
