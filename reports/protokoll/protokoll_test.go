package protokoll

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/pdf/pdftest"
)

var parties = []domain.Party{
	{Slug: "region-jh", Name: "Region Jämtland Härjedalen"},
	{Slug: "ostersund", Name: "Östersunds kommun"},
	{Slug: "are", Name: "Åre kommun"},
	{Slug: "harjedalen", Name: "Härjedalens kommun"},
}

// may2020 is the seeds' § 14 of 29 May 2020, with Susanne Hansson's yrkande
// and the chair's propositionsordning, a § 15 with a votering (made up for
// the test), and the attendance that votering needs.
func may2020() Minutes {
	member := func(id int64, name, letter string, role domain.MemberRole) domain.Member {
		return domain.Member{ID: id, Name: name, PoliticalParty: letter, Role: role}
	}
	robert := member(1, "Robert Hamberg", "M", domain.MemberChair)
	susanne := member(2, "Susanne Hansson", "S", domain.MemberViceChair)
	bjorn := member(3, "Björn Hammarberg", "M", domain.MemberOrdinary)
	therese := member(4, "Therese Kärngård", "S", domain.MemberOrdinary)
	annMarie := member(5, "Ann-Marie Johansson", "S", domain.MemberSubstitute)
	mats := member(6, "Mats Gärd", "C", domain.MemberSubstitute)
	return Minutes{
		Committee: "Gemensam nämnd för samverkan inom drift och service, utveckling samt specialistfunktioner",
		Host:      "Region Jämtland Härjedalen",
		Meeting: meeting.Meeting{ID: 7, Date: domain.MustDate("2020-05-29"), StartTime: "09:00", EndTime: "12:00",
			Place: "Lillsjöhögen, via Teams", Purpose: meeting.PurposeFourMonths},
		Attendance: []meeting.Attendance{
			{MemberID: 1, Member: robert, Present: true, Serving: true},
			{MemberID: 2, Member: susanne, Present: true, Serving: true},
			{MemberID: 3, Member: bjorn, Present: true, Serving: true, LeftAfter: 15},
			{MemberID: 4, Member: therese},
			{MemberID: 5, Member: annMarie, Present: true, Serving: true, ServingFor: 4},
			{MemberID: 6, Member: mats, Present: true, ArrivedAt: 15},
		},
		Paragraphs: []meeting.Paragraph{
			{ID: 14, Year: 2020, Number: 14, CaseNumber: "GNS/6/2020",
				Title:    "Revisionsrapport granskning av gemensam nämnd för samverkan inom drift och service, utveckling samt specialistfunktioner",
				Summary:  "Regionens revisorer granskar årligen i den omfattning som följer av god revisionssed all verksamhet.\n\nDe ovan beskrivna bristerna är oacceptabla och måste åtgärdas.",
				Proposal: "Nämnden har tagit del av rapporten och lägger den till handlingarna.",
				Motions: []meeting.Motion{{MemberID: 2, MemberName: "Susanne Hansson (S)",
					Text: "Yrkar följande i en beslutspunkt 2: Nämnden uppdrar till regiondirektören att inom ramen för översynen av gemensamma nämnder, åtgärda de brister som framkommit i revisionsrapporten."}},
				PropositionOrder: "Ordförande ställer proposition på Susanne Hanssons yrkande och finner det antaget.",
				Decision:         "1. Nämnden har tagit del av rapporten och lägger den till handlingarna.\n2. Nämnden uppdrar till regiondirektören att inom ramen för översynen av gemensamma nämnder, åtgärda de brister som framkommit i revisionsrapporten.",
				DispatchTo:       []meeting.Recipient{{Kind: meeting.RecipientRole, Role: "Regiondirektören"}},
				Basis:            "- Tjänsteskrivelse Revisionsrapport granskning av gemensam nämnd för samverkan\n- Grundläggande granskning av Gemensam nämnd för samverkan"},
			{ID: 15, Year: 2020, Number: 15, CaseNumber: "GNS/2/2020", Title: "Återstående medel från 2018",
				Proposal:          "Återstående medel återbetalas med 52\u00a0010 kr till respektive part.",
				PropositionOrder:  "Ordförande ställer förslaget mot avslag och finner att nämnden bifaller förslaget. Votering begärs.",
				PropositionResult: "Nämnden bifaller förslaget med 2 ja mot 1 nej; 1 avstår.",
				Votes:             map[int64]meeting.Vote{1: meeting.VoteYes, 2: meeting.VoteYes, 3: meeting.VoteNo, 5: meeting.VoteAbstain},
				Count:             &meeting.VoteCount{Yes: 2, No: 1, Abstain: 1},
				Decision:          "Återstående medel från 2018 och 2019, totalt 468\u00a0091 kr, återbetalas till parterna.",
				Reservations:      "Björn Hammarberg (M) reserverar sig mot beslutet.",
				DispatchTo:        []meeting.Recipient{{Kind: meeting.RecipientParties}, {Kind: meeting.RecipientRole, Role: "Ekonom"}}},
		},
		Parties: parties,
		Justering: meeting.Justering{MeetingID: 7, Due: domain.MustDate("2020-06-02"),
			Justerare: []meeting.JusterareApproval{
				{Justerare: meeting.Justerare{MemberID: 1, MemberName: "Robert Hamberg (M)"}},
				{Justerare: meeting.Justerare{MemberID: 2, MemberName: "Susanne Hansson (S)"}},
			}},
	}
}

// approved is m justerad by both: the hash of its justeringsexemplar, the
// approvals, the lock and the anslag.
func approved(t *testing.T, m Minutes) Minutes {
	t.Helper()
	exemplar, err := Justeringsexemplar(m)
	if err != nil {
		t.Fatal(err)
	}
	sum := Hash(exemplar)
	at := time.Date(2020, 6, 2, 13, 5, 0, 0, time.UTC)
	j := &m.Justering
	j.Justerare = append([]meeting.JusterareApproval(nil), j.Justerare...)
	for i := range j.Justerare {
		j.Justerare[i].ApprovedAt, j.Justerare[i].SHA256 = at.Add(time.Duration(i)*time.Hour), sum
		j.Justerare[i].ApproverName = strings.TrimSuffix(strings.TrimSuffix(j.Justerare[i].MemberName, " (M)"), " (S)")
	}
	j.LockedAt, j.SHA256, j.AnnouncedOn = at.Add(time.Hour), sum, domain.MustDate("2020-06-03")
	return m
}

// pdfText is the PDF's text with its layout kept.
func pdfText(t *testing.T, b []byte) string { return pdftest.Text(t, b, true) }

func wantText(t *testing.T, doc, text string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("the %s lacks %q:\n%s", doc, want, text)
		}
	}
}

func TestProtokollReadsBack(t *testing.T) {
	t.Parallel()
	m := approved(t, may2020())
	b, err := Protokoll(m)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b)
	wantText(t, "protokoll", text,
		"Protokoll",
		"Gemensam nämnd för samverkan inom drift och service",
		"Fredag 29 maj 2020",
		"kl. 09.00–12.00",
		"Lillsjöhögen, via Teams",
		"Paragrafer § 14–15",
		"Beslutande",
		"Robert Hamberg (M) Ordförande hela sammanträdet",
		"Björn Hammarberg (M) Ledamot till och med § 15",
		"Ann-Marie Johansson (S) Tjänstgörande ersättare för Therese Kärngård",
		"Ersättare, ej tjänstgörande Mats Gärd (C) (från § 15)",
		"Frånvarande Therese Kärngård (S)",
		"§ 14 Revisionsrapport granskning av gemensam nämnd för samverkan inom drift och service, utveckling samt specialistfunktioner (GNS/6/2020)",
		"Sammanfattning Regionens revisorer granskar årligen",
		"Förslag till beslut Nämnden har tagit del av rapporten",
		"Yrkanden Susanne Hansson (S): Yrkar följande i en beslutspunkt 2: Nämnden uppdrar till regiondirektören",
		"Propositionsordning Ordförande ställer proposition på Susanne Hanssons yrkande och finner det antaget.",
		"Beslut 1. Nämnden har tagit del av rapporten och lägger den till handlingarna. 2. Nämnden uppdrar till regiondirektören",
		"Expedieras till Regiondirektören",
		"Beslutsunderlag • Tjänsteskrivelse Revisionsrapport",
		"§ 15 Återstående medel från 2018 (GNS/2/2020)",
		"Votering Ledamot Röst Robert Hamberg (M) Ja Susanne Hansson (S) Ja Björn Hammarberg (M) Nej Ann-Marie Johansson (S) Avstår Resultat 2 ja, 1 nej, 1 avstår",
		"Utfall: Nämnden bifaller förslaget",
		"468 091 kr",
		"Reservationer Björn Hammarberg (M) reserverar sig mot beslutet.",
		"Expedieras till Nämndens parter, Ekonom",
		"Justerare Robert Hamberg (M) Susanne Hansson (S)",
		"Tid för justering 2 juni 2020",
		"Robert Hamberg (M) Elektroniskt 2020-06-02 kl. 15.05 (inloggad som Robert Hamberg)",
		"Susanne Hansson (S) Elektroniskt 2020-06-02 kl. 16.05 (inloggad som Susanne Hansson)",
		"Justerat 2020-06-02 kl. 16.05, av båda justerarna.",
		"SHA-256 "+m.Justering.SHA256[:16]+"… (justeringsexemplaret)",
		"Bevis om anslag",
		"anslag den 3 juni 2020. Sista dag att överklaga besluten är 24 juni 2020.",
		"Sida 1 av",
	)
	if strings.Contains(text, "Utkast") {
		t.Error("justerade minutes are marked as a draft")
	}
	if n := strings.Count(text, "Justerat"); n != 1 {
		t.Errorf("\"Justerat\" appears %d times, want once", n)
	}
	// The justering and the anslag share a page: "Bevis om anslag" never
	// stands on a page of its own.
	for _, page := range strings.Split(text, "Sida ") {
		if strings.Contains(page, "Bevis om anslag") && !strings.Contains(page, "Tid för justering") {
			t.Errorf("a page with \"Bevis om anslag\" without the rest of the justering:\n%s", page)
		}
	}

	// The same minutes give the same bytes.
	again, err := Protokoll(approved(t, may2020()))
	if err != nil || !bytes.Equal(b, again) {
		t.Errorf("two builds of the protokoll differ (err %v)", err)
	}
}

// TestJusteringsexemplarIsStable is what the justering relies on: the
// exemplar is the same bytes before and after the approvals, the lock and
// the anslag, so its hash can be checked again at any time; and any change
// to the minutes changes it.
func TestJusteringsexemplarIsStable(t *testing.T) {
	t.Parallel()
	draft := may2020()
	before, err := Justeringsexemplar(draft)
	if err != nil {
		t.Fatal(err)
	}
	after, err := Justeringsexemplar(approved(t, draft))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("the justeringsexemplar changed with the approvals")
	}
	text := pdfText(t, before)
	wantText(t, "justeringsexemplar", text, "§ 14 Revisionsrapport", "Justerare Robert Hamberg (M) Susanne Hansson (S)", "Tid för justering 2 juni 2020")
	for _, not := range []string{"Justerat", "SHA-256", "anslag", "Utkast"} {
		if strings.Contains(text, not) {
			t.Errorf("the justeringsexemplar has %q", not)
		}
	}
	changed := may2020()
	changed.Paragraphs = append([]meeting.Paragraph(nil), changed.Paragraphs...)
	changed.Paragraphs[1].Decision += " Ändrat."
	other, err := Justeringsexemplar(changed)
	if err != nil {
		t.Fatal(err)
	}
	if Hash(other) == Hash(before) {
		t.Error("a changed decision gives the same hash")
	}
	if len(Hash(before)) != 64 || ShortHash(Hash(before)) != Hash(before)[:16]+"…" {
		t.Errorf("Hash = %q", Hash(before))
	}
}

func TestDraftAndImported(t *testing.T) {
	t.Parallel()
	b, err := Protokoll(may2020())
	if err != nil {
		t.Fatal(err)
	}
	wantText(t, "draft protokoll", pdfText(t, b), "Utkast – protokollet är inte justerat.", "Har inte justerat ännu", "Protokollet är inte justerat.")
	if _, err := Utdrag(may2020(), may2020().Paragraphs[0], meeting.Recipient{Kind: meeting.RecipientRole, Role: "Ekonom"}); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("an extract of draft minutes: %v", err)
	}
	if _, err := UtdragZIP(may2020()); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("extracts of draft minutes: %v", err)
	}

	imported := may2020()
	imported.Attendance, imported.Justering = nil, meeting.Justering{MeetingID: 7}
	exemplar, err := Justeringsexemplar(imported)
	if err != nil {
		t.Fatal(err)
	}
	imported.Justering.LockedAt = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	imported.Justering.SHA256 = Hash(exemplar)
	if !imported.Imported() {
		t.Fatal("minutes locked without approvals are not imported")
	}
	again, _ := Justeringsexemplar(imported)
	if !bytes.Equal(exemplar, again) {
		t.Error("the exemplar of imported minutes changed with the lock")
	}
	b, err = Protokoll(imported)
	if err != nil {
		t.Fatal(err)
	}
	wantText(t, "imported protokoll", pdfText(t, b), "Justerare Enligt originalprotokollet", "Justerat På papper; infört i GNS 2026-03-01 kl. 11.00.")
}

func TestUtdrag(t *testing.T) {
	t.Parallel()
	m := approved(t, may2020())
	if b, err := Utdrag(m, m.Paragraphs[1], m.Recipients(m.Paragraphs[1])[0]); err != nil || !strings.Contains(pdfText(t, b), "Sekretariatet, Gemensam nämnd") {
		t.Errorf("an extract of minutes without a sekreterare is not certified by the secretariat (%v)", err)
	}
	// The sekreterare, chosen with the justerare, certifies the extracts
	// and is named in the protokoll.
	m.Justering.Secretary = "Anna Lind"
	if b, err := Protokoll(m); err != nil || !strings.Contains(pdfText(t, b), "Sekreterare Anna Lind") {
		t.Errorf("the protokoll does not name its sekreterare (%v)", err)
	}
	p := m.Paragraphs[1]
	recipients := m.Recipients(p)
	var labels []string
	for _, r := range recipients {
		labels = append(labels, r.Label(m.Parties))
	}
	if got := strings.Join(labels, ", "); got != "Region Jämtland Härjedalen, Östersunds kommun, Åre kommun, Härjedalens kommun, Ekonom" {
		t.Errorf("recipients of § 15 = %s", got)
	}
	b, err := Utdrag(m, p, recipients[3])
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b)
	wantText(t, "protokollsutdrag", text,
		"Utdrag ur protokoll",
		"Sammanträde Fredag 29 maj 2020",
		"Paragraf § 15/2020",
		"Till Härjedalens kommun",
		"§ 15 Återstående medel från 2018 (GNS/2/2020)",
		"Votering",
		"Resultat 2 ja, 1 nej, 1 avstår",
		"Beslut Återstående medel från 2018 och 2019, totalt 468 091 kr, återbetalas till parterna.",
		"Justerat 2020-06-02 kl. 16.05",
		"Anslag 3 juni 2020; sista dag att överklaga 24 juni 2020",
		"Rätt utdraget betygar",
		"Anna Lind, sekreterare, Gemensam nämnd",
	)
	if strings.Contains(text, "§ 14") {
		t.Error("the extract of § 15 holds § 14")
	}
	if name := UtdragFileName(p, recipients[2], m.Parties); name != "Utdrag § 15-2020 Åre kommun.pdf" {
		t.Errorf("file name = %q", name)
	}
	if name := UtdragFileName(p, meeting.Recipient{Kind: meeting.RecipientRole, Role: "Ekonom/Controller"}, m.Parties); name != "Utdrag § 15-2020 Ekonom-Controller.pdf" {
		t.Errorf("file name with a slash = %q", name)
	}

	zipped, err := UtdragZIP(m)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		content, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.HasPrefix(content, []byte("%PDF-")) {
			t.Errorf("%s is not a PDF", f.Name)
		}
		if f.Name == "Utdrag § 14-2020 Regiondirektören.pdf" {
			wantText(t, "extract in the ZIP", pdfText(t, content), "Till Regiondirektören", "Susanne Hansson (S): Yrkar")
		}
	}
	want := "Utdrag § 14-2020 Regiondirektören.pdf|Utdrag § 15-2020 Region Jämtland Härjedalen.pdf|Utdrag § 15-2020 Östersunds kommun.pdf|" +
		"Utdrag § 15-2020 Åre kommun.pdf|Utdrag § 15-2020 Härjedalens kommun.pdf|Utdrag § 15-2020 Ekonom.pdf"
	if got := strings.Join(names, "|"); got != want {
		t.Errorf("ZIP entries = %s\nwant %s", got, want)
	}
	same := approved(t, may2020())
	same.Justering.Secretary = m.Justering.Secretary
	again, err := UtdragZIP(same)
	if err != nil || !bytes.Equal(zipped, again) {
		t.Errorf("two builds of the ZIP differ (err %v)", err)
	}
	none := m
	none.Paragraphs = []meeting.Paragraph{{Number: 1, Year: 2020, Title: "Utan mottagare"}}
	if _, err := UtdragZIP(none); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("a ZIP without recipients: %v", err)
	}
}

func TestFontsEmbedded(t *testing.T) {
	t.Parallel()
	b, err := Protokoll(approved(t, may2020()))
	if err != nil {
		t.Fatal(err)
	}
	fonts := pdftest.Fonts(t, b)
	if len(fonts) == 0 {
		t.Fatal("pdffonts lists no fonts")
	}
	for _, l := range fonts {
		if !strings.Contains(strings.ToLower(l), "liberation") || !strings.Contains(l, " yes ") {
			t.Errorf("a font is not an embedded Liberation font: %s", l)
		}
	}
}

// fakeSource serves the minutes of may2020 as the store would.
type fakeSource struct{ m Minutes }

func (f fakeSource) MeetingByID(_ context.Context, id int64) (meeting.Meeting, error) {
	if id != f.m.Meeting.ID {
		return meeting.Meeting{}, domain.Errorf(domain.ENOTFOUND, "Sammanträdet finns inte.")
	}
	return f.m.Meeting, nil
}
func (f fakeSource) PartyByID(context.Context, int64) (domain.Party, error) {
	return domain.Party{Name: f.m.Host}, nil
}
func (f fakeSource) Attendance(context.Context, int64) ([]meeting.Attendance, error) {
	return f.m.Attendance, nil
}
func (f fakeSource) MeetingParagraphs(context.Context, int64) ([]meeting.Paragraph, error) {
	return f.m.Paragraphs, nil
}
func (f fakeSource) CommitteePartiesOn(context.Context, int64, domain.Date) ([]domain.MemberParty, error) {
	out := make([]domain.MemberParty, len(f.m.Parties))
	for i, p := range f.m.Parties {
		out[i] = domain.MemberParty{Party: p}
	}
	return out, nil
}
func (f fakeSource) Justering(context.Context, int64) (meeting.Justering, error) {
	return f.m.Justering, nil
}

func TestLoadAndExemplarHash(t *testing.T) {
	t.Parallel()
	want := may2020()
	cm := domain.Committee{ID: 1, Name: want.Committee, HostPartyID: 9}
	got, err := Load(context.Background(), fakeSource{want}, cm, want.Meeting)
	if err != nil || got.Host != want.Host || len(got.Paragraphs) != 2 || len(got.Parties) != len(parties) || len(got.Justering.Justerare) != 2 {
		t.Fatalf("Load = %+v, %v", got, err)
	}
	exemplar, _ := Justeringsexemplar(want)
	sum, err := ExemplarHash(context.Background(), fakeSource{want}, cm, want.Meeting.ID)
	if err != nil || sum != Hash(exemplar) {
		t.Errorf("ExemplarHash = %s, %v; want %s", sum, err, Hash(exemplar))
	}
	if _, err := ExemplarHash(context.Background(), fakeSource{want}, cm, 99); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("ExemplarHash of no meeting: %v", err)
	}
}

// TestChairSignatureLine: where the committee's reglemente says so the
// protokoll has a signature line for the one who chaired: the ordförande,
// or the vice ordförande when the ordförande was absent. The
// justeringsexemplar never has it, so its hash does not depend on the
// setting.
func TestChairSignatureLine(t *testing.T) {
	t.Parallel()
	m := approved(t, may2020())
	m.Justering.Secretary = "Anna Lind"
	without, err := Protokoll(m)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(pdfText(t, without), "Ordförande ....") {
		t.Error("a committee whose ordförande does not sign got a signature line")
	}
	exemplar, _ := Justeringsexemplar(m)
	m.ChairSigns = true
	if again, _ := Justeringsexemplar(m); !bytes.Equal(exemplar, again) {
		t.Error("the justeringsexemplar changed with the chair's signature setting")
	}
	if got := m.Chair(); got != "Robert Hamberg (M)" {
		t.Errorf("chair = %q, want the ordförande present", got)
	}
	b, err := Protokoll(m)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b)
	wantText(t, "protokoll with the chair's line", text, "Sekreterare Anna Lind", "Ordförande "+signatureLine, "Robert Hamberg (M)")
	if strings.Index(text, "Sekreterare Anna Lind") > strings.Index(text, "Ordförande "+signatureLine) {
		t.Error("the chair's line comes before the sekreterare")
	}
	m.Attendance[0].Present, m.Attendance[0].Serving = false, false
	if got := m.Chair(); got != "Susanne Hansson (S)" {
		t.Errorf("chair with the ordförande absent = %q, want the vice ordförande", got)
	}
	m.Attendance[1].Present = false
	if got := m.Chair(); got != "" {
		t.Errorf("chair with neither present = %q, want none", got)
	}
}
