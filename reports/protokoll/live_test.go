package protokoll

import (
	"strings"
	"testing"

	"github.com/region-jh/gns/domain/meeting"
)

// TestMeetingAsItHappens reads back what the running meeting adds to the
// protokoll and the extract: distance participation, jäv, a sluten
// omröstning by its counts only, and protokollsanteckningar.
func TestMeetingAsItHappens(t *testing.T) {
	t.Parallel()
	m := may2020()
	m.Attendance[1].Remote = true // Susanne Hansson, hela sammanträdet
	m.Attendance[5].Remote = true // Mats Gärd, ersättare from § 15
	m.Paragraphs[0].Jav = []meeting.Jav{{MemberID: 3, MemberName: "Björn Hammarberg (M)"}}
	m.Paragraphs[0].Notes = []meeting.Note{{MemberID: 2, MemberName: "Susanne Hansson (S)", Text: "Socialdemokraterna vill att åtgärderna redovisas vid nästa sammanträde."}}
	p := &m.Paragraphs[1]
	p.Votes, p.SecretBallot = nil, true
	m = approved(t, m)

	b, err := Protokoll(m)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b)
	wantText(t, "protokoll", text,
		"hela sammanträdet, på distans",
		"Mats Gärd (C) (från § 15, på distans)",
		"Björn Hammarberg (M) anmäler jäv och deltar inte i handläggningen av ärendet.",
		"Protokollsanteckningar",
		"Susanne Hansson (S): Socialdemokraterna vill att åtgärderna redovisas vid nästa",
		"Sluten omröstning. Resultat: 2 ja, 1 nej, 1 avstår.",
	)
	// A sluten omröstning names no one's vote.
	if i := strings.Index(text, "Sluten omröstning"); i < 0 || strings.Contains(text[i:], "Avstår") {
		t.Errorf("the sluten omröstning prints someone's vote:\n%s", text)
	}

	// The extract of § 14 carries its jäv and protokollsanteckning.
	u, err := Utdrag(m, m.Paragraphs[0], meeting.Recipient{Kind: meeting.RecipientRole, Role: "Regiondirektören"})
	if err != nil {
		t.Fatal(err)
	}
	wantText(t, "protokollsutdrag", pdfText(t, u),
		"Björn Hammarberg (M) anmäler jäv",
		"Susanne Hansson (S): Socialdemokraterna vill att åtgärderna redovisas",
	)
}
