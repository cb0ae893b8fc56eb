package demo

import (
	"context"
	"fmt"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/protokoll"
	"github.com/region-jh/gns/store"
)

// Minutes is one historical meeting of the seeds with the paragraph its
// minutes hold there (shared/seeds/004 quotes § 38 of 6 December 2019, § 8
// of 14 February 2020 and § 14 of 29 May 2020 as beslutsunderlag).
type Minutes struct {
	Meeting   meeting.Meeting
	Paragraph meeting.Paragraph
	// Case is the paragraph's case number; DispatchTo its "expedieras
	// till" as the minutes write it (parsed with meeting.ParseRecipientList).
	Case       string
	DispatchTo string
	// Motion is a yrkande by the named member, when there was one.
	MotionBy, Motion string
	// Assignments are the uppdrag the decision gave, to report back at the
	// December 2020 meeting that proposes to withdraw them.
	Assignments []meeting.Assignment
}

// historical is a meeting of the seeds' years. The seeds give the day and
// the paragraph but not the time or place, so the time is the committee's
// usual and the place is left out.
func historical(day string, purpose meeting.MeetingPurpose) meeting.Meeting {
	return meeting.Meeting{Date: domain.MustDate(day), StartTime: "09:00", EndTime: "12:00", Purpose: purpose, Municipalities: true}
}

// HistoricalMinutes are the seeds' three paragraphs in their meetings, with
// the texts as the extracts in the seeds have them (the seeds' own
// spelling kept, "revisionssed" corrected as in Cases).
var HistoricalMinutes = []Minutes{
	{
		Meeting:    historical("2019-12-06", meeting.PurposeBudget),
		Case:       "GNS/14/2019",
		DispatchTo: "Region Jämtland Härjedalen, Östersunds kommun, Åre kommun, Krokoms kommun, Bergs kommun, Bräcke kommun, Ragunda kommun, Strömsunds kommun, Härjedalens kommun",
		Paragraph: meeting.Paragraph{Number: 38, Title: "Svenskt ramverk för digitalisering i samverkan",
			Summary: `Länets demografi som helhet samt medborgarnas förändrade livsvanor gör att välfärden totalt sett står för en mycket stor utmaning. Många av länets äldre befolkning bor i områden med glesa strukturer vilket kan påverka både kommunikation likväl som omsorgsinsatser. Det är heller inte ovanligt att barnfamiljer har barnen i omsorg i hemmavarande kommun men att man själv arbetar i en annan kommun. Det kan exempelvis bidra till att medborgarens köpvanor förändras. Man storhandlar i den större butiken före man åker hem. E-handeln ökar som ett led i detta. Generellt använder den yngre generationen digitala hjälpmedel mer frekvent i olika sammanhang. Vi använder appar när vi parkerar bilen och köper bussbiljett i en app eller via Swish. Enkelt men också diversifierat utifrån att medborgare har olika kunskaper och våra system är varierat redundanta.

Den snabba digitala utvecklingen som pågår bidrar till att många medborgare har fått nya eller annorlunda förväntningar på offentlig sektors förmåga inom olika kärnuppdrag. Det kan handla om tillgänglighet, kommunikation eller själva utförandet.

För att kärnuppdragen inom offentlig sektor ska kunna utvecklas i mer synkroniserad takt med omvärlden behöver vissa grundläggande förutsättningar finnas på plats. Det handlar inte om att särskilja digitalisering från annat vi gör, mer om att integrera bra teknik med det som vi redan gör.

Att nämndens parter gemensamt antar det svenska ramverket för digitalisering i samverkan är ett viktigt steg att ta. Därmed kan vår gemensamma förmåga att leda utvecklingsarbetet stärkas inom länet.

Det svenska ramverket för digital samverkan omsätter nationella och internationella styrdokument till en gemensam produkt för alla offentliga organisationer i Sverige. Ramverket definierar 13 grundläggande principer till stöd för en gemensam riktning för digitaliseringsarbete och är framtaget av E-sam, en medlemsorganisation bestående av 23 myndigheter och SKL.

Utifrån principerna definieras rekommendationer för vad alla offentliga organisationer behöver göra för att kunna samverka på ett effektivt och säkert sätt.

Vidare så återfinns tillgänglighet, transparens och användarvänlighet som viktiga delar av ett framgångsrikt digitaliseringsarbete.`,
			Proposal: `Gemensam nämnd för samverkan

1. Ställer sig positiv till Svenskt ramverk för digitalisering i samverkan och ser ett stort samverkansvärde i att parterna tar del av ramverket.
2. E-strateg får tillsammans med Regional digitaliseringskoordinator i uppdrag att bistå parterna med information om ramverket.`,
			Decision: `1. Ställer sig positiv till Svenskt ramverk för digitalisering i samverkan och ser ett stort samverkansvärde i att parterna tar del av ramverket.
2. E-strateg får tillsammans med Regional digitaliseringskoordinator i uppdrag att bistå parterna med information om ramverket.`,
			Basis: "Tjänsteskrivelse Svenskt ramverk för digitalisering i samhandling"},
		Assignments: []meeting.Assignment{{Assignee: "E-strateg",
			Description: "Tillsammans med regional digitaliseringskoordinator bistå parterna med information om Svenskt ramverk för digitalisering i samverkan."}},
	},
	{
		Meeting:    historical("2020-02-14", meeting.PurposeAnnualAccounts),
		Case:       "GNS/2/2020",
		DispatchTo: "Ekonom",
		Paragraph: meeting.Paragraph{Number: 8, Title: "Återstående medel från 2018",
			Summary: `I årsredovisningen för 2018 redovisades ett överskott på 745 tkr. Dessa återstående medel för nämnden reserverades till 2019. I februari 2019 fattade nämnden beslut om att genomföra en förstudie kring samverkan inom IT-serverdrift. Till förstudien anlätades en konsult som finansierades av nämndens återstående medel där den totala kostnaden inte fick överstiga 360 tkr.

I oktober 2019 beslutade nämnden att respektive part skulle fylla i en projektmall för projektet Digital transformation, samt förankra projektet på tjänstemannanivå. I december 2019 skickade e-strategen ut ett förslag som initierats från nämndens ordförande, att finansiera projektet med det medel som fortfarande fanns kvar i nämnden från 2018. Tre av nämndens parter har visat intresse av att ingå i ett sådant projekt.

De alternativ som finns är att använda de återstående medlen till att finansiera projekt Digital transformation, beroende på om projektet beviljas externa medel eller inte. Resterande medel kan avsättas till aktiviteter kopplat till ramverket för digital samverkan.

I dagsläget uppgår de återstående medlen till knappt 417 tkr.`,
			Proposal: `1. Återstående medel från 2018 används till att finansiera projekt Digital transformation.
2. Eventuella resterande medel används till aktiviteter kopplat till Svenskt ramverk för digital samverkan.`,
			Decision: `1. Återstående medel från 2018 används till att finansiera projekt Digital transformation.
2. Eventuella resterande medel används till aktiviteter kopplat till Svenskt ramverk för digital samverkan.`,
			Basis: "Tjänsteskrivelse Återstående medel från 2018"},
	},
	{
		Meeting:  historical("2020-05-29", meeting.PurposeFourMonths),
		Case:     "GNS/6/2020",
		MotionBy: "Susanne Hansson",
		Motion:   "Yrkar följande i en beslutspunkt 2: Nämnden uppdrar till regiondirektören att inom ramen för översynen av gemensamma nämnder, åtgärda de brister som framkommit i revisionsrapporten.",
		Paragraph: meeting.Paragraph{Number: 14,
			Title: "Revisionsrapport granskning av gemensam nämnd för samverkan inom drift och service, utveckling samt specialistfunktioner",
			Summary: `Regionens revisorer granskar årligen i den omfattning som följer av god revisionssed all verksamhet som bedrivs inom styrelsen och nämndernas verksamhetsområden. Revisorerna prövar om verksamheten sköts på ett ändamålsenligt och från ekonomisk synpunkt tillfredsställande sätt, om räkenskaperna är rättvisande och om den interna kontrollen är tillräcklig.

Det övergripande syftet med granskningen har varit att bedöma om Gemensamma nämnden för samverkan inom drift och service, utveckling samt specialistfunktioner skapat förutsättningar för tillräcklig styrning, uppföljning och kontroll av verksamheten. Följande revisionsfrågor har besvarats:

- När nämnden målet för verksamheten?
- Finns en tillfredsställande ekonomisk uppföljning och rapportering?
- Finns tydliga beslutsunderlag och protokoll?

Den sammanfattande bedömningen är att nämndens beslutsunderlag och protokoll är tydliga. Nämndens ekonomiska uppföljning och rapportering bedöms som i huvudsak tillfredsställande, men bör framledes utvecklas något för externa intressenter. Region Jämtland Härjedalens regler för arbete med och uppföljning av den interna kontrollen har inte följts. Det finns behov av att klargöra processen för fastställande av nämndens budget. Sammanfattningsvis bedömer revisorerna att nämnden inte i tillräcklig grad har skapat förutsättningar för tillräcklig styrning, uppföljning och kontroll av verksamheten. De ovan beskrivna bristerna är oacceptabla och måste åtgärdas.`,
			Proposal:         "Nämnden har tagit del av rapporten och lägger den till handlingarna.",
			PropositionOrder: "Ordförande ställer proposition på Susanne Hanssons yrkande och finner det antaget.",
			Decision: `1. Nämnden har tagit del av rapporten och lägger den till handlingarna.
2. Nämnden uppdrar till regiondirektören att inom ramen för översynen av gemensamma nämnder, åtgärda de brister som framkommit i revisionsrapporten.`,
			Basis: `Tjänsteskrivelse Revisionsrapport granskning av gemensam nämnd för samverkan
Grundläggande granskning av Gemensam nämnd för samverkan, drift, service, utveckling samt specialistfunktioner`},
		Assignments: []meeting.Assignment{{Assignee: "Regiondirektören",
			Description: "Inom ramen för den översyn av gemensamma nämnder som Regionens samverkansråd fått i uppdrag att göra, åtgärda de brister som framkommit i revisionsrapporten."}},
	},
}

// loadMinutes brings in the seeds' historical minutes once Load's earlier
// steps have succeeded (err is Load's error so far; it runs after the
// December 2020 meeting is planned, which the assignments report back to):
// each meeting through the meetings' store, its paragraph under the number
// it has in the paper minutes, its yrkande and propositionsordning, the
// minutes locked as justerade (the justerare are in the paper original, the
// justeringsexemplar's SHA-256 kept), and the assignments the decisions
// gave. It does nothing when the committee has a meeting on the first
// historical day, and reports whether Load loaded anything.
func loadMinutes(ctx context.Context, c *store.Conn, loaded bool, err error) (bool, error) {
	if err != nil {
		return loaded, err
	}
	cm, err := c.CommitteeByCode(ctx, CommitteeCode)
	if err != nil {
		return loaded, err
	}
	first := HistoricalMinutes[0].Meeting.Date
	existing, err := c.Meetings(ctx, cm.ID, first.Year)
	if err != nil {
		return loaded, err
	}
	for _, m := range existing {
		if m.Date == first {
			return loaded, nil
		}
	}
	report, err := reportMeeting(ctx, c, cm)
	if err != nil {
		return loaded, err
	}
	for _, hm := range HistoricalMinutes {
		if err := loadHistorical(ctx, c, cm, hm, report); err != nil {
			return loaded, fmt.Errorf("demo minutes %s: %w", hm.Meeting.Date, err)
		}
	}
	return true, nil
}

// reportMeeting is the id of the December 2020 meeting when it is planned,
// else 0.
func reportMeeting(ctx context.Context, c *store.Conn, cm domain.Committee) (int64, error) {
	list, err := c.Meetings(ctx, cm.ID, December2020.Date.Year)
	for _, m := range list {
		if m.Date == December2020.Date && !m.Cancelled() {
			return m.ID, err
		}
	}
	return 0, err
}

// loadHistorical stores one historical meeting with its locked minutes.
func loadHistorical(ctx context.Context, c *store.Conn, cm domain.Committee, hm Minutes, report int64) error {
	mt := hm.Meeting
	mt.CommitteeID = cm.ID
	m, err := c.CreateMeeting(ctx, mt)
	if err != nil {
		return err
	}
	p := hm.Paragraph
	p.MeetingID = m.ID
	n, err := domain.ParseCaseNumber(hm.Case)
	if err != nil {
		return err
	}
	k, err := c.CaseByNumber(ctx, n)
	if err != nil {
		return err
	}
	p.CaseID = k.ID
	mps, err := c.CommitteePartiesOn(ctx, cm.ID, m.Date)
	if err != nil {
		return err
	}
	parties := make([]domain.Party, len(mps))
	for i, mp := range mps {
		parties[i] = mp.Party
	}
	if p.DispatchTo, err = meeting.ParseRecipientList("dispatch_to", hm.DispatchTo, parties); err != nil {
		return err
	}
	if hm.MotionBy != "" {
		members, err := c.Members(ctx, cm.ID)
		if err != nil {
			return err
		}
		for _, mb := range members {
			if mb.Name == hm.MotionBy && mb.ActiveOn(m.Date) {
				p.Motions = append(p.Motions, meeting.Motion{MemberID: mb.ID, Text: hm.Motion})
			}
		}
	}
	stored, err := c.ImportParagraph(ctx, p)
	if err != nil {
		return err
	}
	if _, err := c.LockImportedMinutes(ctx, m.ID, func(ctx context.Context, c *store.Conn) (string, error) {
		return protokoll.ExemplarHash(ctx, c, cm, m.ID)
	}); err != nil {
		return err
	}
	for _, a := range hm.Assignments {
		a.ParagraphID, a.ReportMeetingID = stored.ID, report
		if _, err := c.CreateAssignment(ctx, a); err != nil {
			return err
		}
	}
	return nil
}
