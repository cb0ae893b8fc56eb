package kallelse

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/pdf"
	"github.com/region-jh/gns/reports/pdf/pdftest"

	"github.com/region-jh/gns/domain"
)

// december2020 is the seeds' kallelse of 14 December 2020, shortened.
func december2020() Kallelse {
	m := meeting.Meeting{Date: domain.MustDate("2020-12-14"), StartTime: "09:00", EndTime: "12:00",
		Place: "Lillsjöhögen, via Teams", Purpose: meeting.PurposeBudget}
	member := func(name, letter string, role domain.MemberRole, by string) domain.Member {
		return domain.Member{Name: name, PoliticalParty: letter, Role: role, AppointedByName: by}
	}
	return Kallelse{
		Committee: "Gemensam nämnd för samverkan inom drift och service, utveckling samt specialistfunktioner",
		Host:      "Region Jämtland Härjedalen",
		Meeting:   m,
		Members: []domain.Member{
			member("Robert Hamberg", "M", domain.MemberChair, "Region Jämtland Härjedalen"),
			member("Susanne Hansson", "S", domain.MemberViceChair, "Östersunds kommun"),
			member("Björn Hammarberg", "M", domain.MemberOrdinary, "Åre kommun"),
			member("Therese Kärngård", "S", domain.MemberOrdinary, ""),
			member("Ann-Marie Johansson", "S", domain.MemberSubstitute, "Härjedalens kommun"),
		},
		Items: []Item{
			{AgendaItem: meeting.AgendaItem{Kind: meeting.AgendaStanding, Title: "Fastställande av föredragningslista", Status: meeting.AgendaActive}, Number: 1},
			{AgendaItem: meeting.AgendaItem{Kind: meeting.AgendaJusterare, Title: "Val av justerare och tid för justering", Status: meeting.AgendaActive}, Number: 2},
			{AgendaItem: meeting.AgendaItem{Kind: meeting.AgendaCase, CaseNumber: "GNS/10/2020", Title: "Sammanträdestider 2021", Status: meeting.AgendaActive,
				Description: "Enligt § 7 i gemensamma nämnden för samverkans reglemente ska nämnden för varje kalenderår upprätta en plan över sina sammanträden.\n\nInför 2021 finns ett förslag på att förlägga sammanträdena i anslutning till möten med Regionens samverkansråd.",
				Proposal:    "Följande sammanträdesdagar fastställs:\n\nMåndag 8 februari (årsbokslut)\nMåndag 3 maj (tertialrapport per april)"},
				Number: 3, Recipients: []string{"Sekretariatet"}, Basis: []string{"Sammanträdestider 2021"}},
			{AgendaItem: meeting.AgendaItem{Kind: meeting.AgendaCase, CaseNumber: "GNS/2/2020", Title: "Återstående medel från 2018", Status: meeting.AgendaActive,
				Description: "De återstående medlen uppgår nu till 468\u00a0091 kr.",
				Proposal:    "Återstående medel från 2018 och 2019, totalt 468\u00a0091 kr återbetalas med 52\u00a0010 kr till respektive part."},
				Number: 4, Recipients: []string{"Nämndens parter", "Ekonom"}, Basis: []string{"Återstående medel från 2018", "§8 GNS Återstående medel från 2018"}},
			{AgendaItem: meeting.AgendaItem{Kind: meeting.AgendaCase, CaseNumber: "GNS/6/2020", Title: "Revisionsrapport", Status: meeting.AgendaWithdrawn}, Number: 5},
			{AgendaItem: meeting.AgendaItem{Kind: meeting.AgendaCase, CaseNumber: "GNS/9/2020", Title: "Delårsrapport per augusti 2020", Status: meeting.AgendaMoved},
				Number: 6, MovedToDate: domain.MustDate("2021-02-08")},
		},
		Assignments: []meeting.Assignment{{Given: "§ 14/2020", CaseNumber: "GNS/6/2020", Assignee: "Regiondirektören",
			Description: "Åtgärda de brister som framkommit i revisionsrapporten.", DueOn: domain.MustDate("2020-12-01"), Status: meeting.AssignmentGiven}},
		Created: time.Date(2020, 12, 7, 8, 0, 0, 0, time.UTC),
	}
}

// pdfText reads the kallelse back as pdftotext does, white space collapsed.
func pdfText(t *testing.T, b []byte) string { return pdftest.Text(t, b, false) }

func TestKallelseReadsBack(t *testing.T) {
	t.Parallel()
	b, err := Build(december2020())
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b)
	for _, want := range []string{
		"Kallelse",
		"Gemensam nämnd för samverkan inom drift och service",
		"Måndag 14 december 2020",
		"kl. 09.00–12.00",
		"Lillsjöhögen, via Teams",
		"Ordförande Namn Utsedd av Robert Hamberg (M) Region Jämtland Härjedalen",
		"Vice ordförande",
		"Susanne Hansson (S) Östersunds kommun",
		"Ledamöter",
		"Björn Hammarberg (M) Åre kommun",
		"Therese Kärngård (S)",
		"Ersättare",
		"Ann-Marie Johansson (S) Härjedalens kommun",
		"Föredragningslista",
		"1. Fastställande av föredragningslista",
		"2. Val av justerare och tid för justering",
		"3. Sammanträdestider 2021 (GNS/10/2020)",
		"Ärendebeskrivning Enligt § 7 i gemensamma nämnden",
		"Förslag till beslut Följande sammanträdesdagar fastställs: Måndag 8 februari (årsbokslut) Måndag 3 maj (tertialrapport per april)",
		"Expedieras till Sekretariatet",
		"Beslutsunderlag • Sammanträdestider 2021",
		"4. Återstående medel från 2018 (GNS/2/2020)",
		"468 091 kr återbetalas med 52 010 kr",
		"Expedieras till Nämndens parter Ekonom",
		"§8 GNS Återstående medel från 2018",
		"5. Revisionsrapport (GNS/6/2020) – utgår",
		"6. Delårsrapport per augusti 2020 (GNS/9/2020) – flyttad till sammanträdet 2021-02-08",
		"behandlas på sammanträdet den 8 februari 2021",
		"Uppdrag att återrapportera",
		"Regiondirektören",
		"Åtgärda de brister",
		"Sida 1 av",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the kallelse lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Sekretariatet Beslutsunderlag • Revisionsrapport") {
		t.Error("a withdrawn item printed its texts")
	}

	// The same kallelse gives the same bytes.
	again, err := Build(december2020())
	if err != nil || !bytes.Equal(b, again) {
		t.Errorf("two builds differ (err %v)", err)
	}
}

func TestCancelledAndEmpty(t *testing.T) {
	t.Parallel()
	k := december2020()
	k.Members, k.Items, k.Assignments = nil, nil, nil
	k.Meeting.CancelledAt = time.Date(2020, 12, 10, 8, 0, 0, 0, time.UTC)
	k.Meeting.Link = "https://teams.example/meet/1"
	b, err := Build(k)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b)
	for _, want := range []string{"Sammanträdet är inställt.", "Inga ledamöter är registrerade", "https://teams.example/meet/1"} {
		if !strings.Contains(text, want) {
			t.Errorf("the kallelse lacks %q:\n%s", want, text)
		}
	}
}

func TestTexts(t *testing.T) {
	t.Parallel()
	m := meeting.Meeting{Date: domain.MustDate("2021-09-13"), StartTime: "13:00", EndTime: "16:30"}
	if got := DayText(m.Date); got != "Måndag 13 september 2021" {
		t.Errorf("DayText = %q", got)
	}
	if got := DayInText(m.Date); got != "måndag 13 september 2021" {
		t.Errorf("DayInText = %q", got)
	}
	if got := TimeText(m); got != "kl. 13.00–16.30" {
		t.Errorf("TimeText = %q", got)
	}
}

// TestKallelsePackage: the kallelse carries each item's PDF beslutsunderlag
// after the agenda, as the committee's own does, with a contents list and a
// bilaga number beside the document in the item; a Word file is listed, not
// appended.
func TestKallelsePackage(t *testing.T) {
	t.Parallel()
	k := december2020()
	tj := pdf.New(pdf.Options{Title: "Tjänsteskrivelse", Created: k.Created})
	tj.Title("Tjänsteskrivelse")
	tj.Paragraph("Förslag till sammanträdesdagar för 2021 i anslutning till samverkansrådet.")
	tjBytes, err := tj.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	k.Items[2].Attachments = []Attachment{{Title: "Sammanträdestider 2021", FileName: "tjansteskrivelse.pdf", Content: tjBytes}}
	k.Items[3].Attachments = []Attachment{{Title: "Återstående medel från 2018", FileName: "underlag.docx", Content: []byte("PK\x03\x04word")},
		{Title: "§8 GNS Återstående medel från 2018", FileName: "utdrag.txt", Content: []byte("Protokollsutdrag\r\n\r\nNämnden beslutar att återbetala medlen.")}}
	b, err := Build(k)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b)
	for _, want := range []string{"Innehållsförteckning", "Sammanträdestider 2021 (bilaga 1)",
		"Återstående medel från 2018 (bifogas inte: Word-dokument; finns hos ärendet i GNS)",
		"Bilaga 1: Sammanträdestider 2021 (punkt 3)", "§8 GNS Återstående medel från 2018 (bilaga 2)",
		"Bilaga 2: §8 GNS Återstående medel från 2018 (punkt 4) Protokollsutdrag Nämnden beslutar att återbetala medlen.",
		"Förslag till sammanträdesdagar för 2021 i anslutning till samverkansrådet."} {
		if !strings.Contains(text, want) {
			t.Errorf("the kallelse lacks %q:\n%s", want, text)
		}
	}
	if i, j := strings.LastIndex(text, "Bilagor"), strings.Index(text, "Förslag till sammanträdesdagar för 2021"); i < 0 || j < i {
		t.Error("the tjänsteskrivelse is not after the list of bilagor")
	}
	plain, _ := Build(december2020())
	if a, b := pageCount(t, plain), pageCount(t, b); b < a+1 {
		t.Errorf("pages with the bilaga = %d, without %d: the bilaga's page is missing", b, a)
	}
}

func pageCount(t *testing.T, b []byte) int {
	t.Helper()
	info, _ := pdftest.Info(t, b)
	n, _ := strconv.Atoi(info["Pages"])
	return n
}
