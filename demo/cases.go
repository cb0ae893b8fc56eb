package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
)

// Case is one of the demo committee's cases: the nine on the agenda of the
// seeds' December 2020 meeting, with their historical numbers, titles and
// descriptions as the notice of the meeting (kallelse) gives them, and the
// proposal of the officer's report (tjänsteskrivelse) filed in each.
type Case struct {
	Number      string
	Title       string
	Description string
	// Proposal is the proposed decision (förslag till beslut).
	Proposal string
	// MemoDate is the date of the tjänsteskrivelse.
	MemoDate domain.Date
}

// Cases are the demo committee's cases, in the agenda's order. The seeds'
// spelling is kept except where shared/DOMAIN.md §9 says to write right
// (dataskyddsombud, tertialrapport).
var Cases = []Case{
	{
		Number:   "GNS/10/2020",
		MemoDate: domain.MustDate("2020-11-09"),
		Title:    "Sammanträdestider 2021",
		Description: `Enligt § 7 i gemensamma nämnden för samverkans reglemente ska nämnden för varje kalenderår upprätta en plan över sina sammanträden. Ett förslag på sammanträdestider för 2021 har upprättats inom sekretariatet. Sammanträden som inkluderar deltagande parter från kommunerna, ska enligt tidigare överenskommelse ske på måndagar eller fredagar.

Inför 2021 finns ett förslag på att förlägga sammanträdena i anslutning till möten med Regionens samverkansråd.`,
		Proposal: `Följande sammanträdesdagar fastställs för gemensamma nämnden för samverkan inom drift och service, utveckling samt specialistfunktioner:

Måndag 8 februari (årsbokslut)
Måndag 3 maj (tertialrapport per april)
Måndag 13 september (delårsrapport augusti)
Måndag 6 december (budget 2022, sammanträdestider)`,
	},
	{
		Number:   "GNS/8/2020",
		MemoDate: domain.MustDate("2020-12-03"),
		Title:    "Budget 2021",
		Description: `Från och med den 1 juli 2018 ingår länets åtta kommuner samt Region Jämtland Härjedalen i en gemensam nämnd, Gemensam nämnd för samverkan inom drift och service, utveckling samt specialistfunktioner. För nämnden finns ett reglemente och en samarbetsöverenskommelse antagna av nämndens parter.

Enligt överenskommelsen är den gemensamma nämndens uppgift att för de samverkande parterna utföra sådana särskilda, specificerade uppdrag bestående av intern service och stöd, utvecklingsinsatser samt specialistfunktioner till de samverkande parternas verksamheter. Nämnden tillsätts av Region Jämtland Härjedalen och ingår i dess organisation. Region Jämtland Härjedalen ska ansvara för beredning och verkställighet av nämndens beslut samt ombesörja nämndens administration och ansvara för dess handlingar.

Nämndens kostnader för verksamhet och administration ska fördelas mellan parterna enligt följande:

De samverkande parterna ska lämna ett årligt bidrag till nämndens verksamhet med belopp som motsvarar administrativa, allmänna eller övergripande kostnader som föranleds av nämndens verksamhet. Bidraget ska betalas av de samverkande parterna i lika delar och betalas i förskott baserat på nämndens budget. Betalning av bidraget ska ske i januari månad varje år.

Uppkomna över- eller underskott balanseras inom nämnden till efterföljande år.

Nämnden har själv att besluta om förändringar av betalningsperioder.

Ingen uppräknings har skett inför budget 2021 vilket innebär att basfinansieringen för 2021 fortsatt är 914 400 kr.

Tjänsten som eStrateg kommer att bli vakant efter årsskiftet vilket innebär att en stor del av nämndens kostnader för 2021 uteblir, vilket får justeras inför budget 2022.`,
		Proposal: `Basfinansieringen för 2021 fastställs till 914 400 kr, som delas lika mellan nämndens parter. Fakturering sker enligt överenskommelsen.`,
	},
	{
		Number:   "GNS/6/2020",
		MemoDate: domain.MustDate("2020-12-03"),
		Title:    "Revisionsrapport granskning av gemensamma nämnd för samverkan",
		Description: `Regionens revisorer granskar årligen, i den omfattning som följer av god revisionssed, all verksamhet som bedrivs inom styrelsen och nämndernas verksamhetsområden. Det övergripande syftet med granskningen har varit att bedöma om gemensamma nämnden för samverkan inom drift och service, utveckling samt specialistfunktioner skapat förutsättningar för tillräcklig styrning, uppföljning och kontroll av verksamheten.

I granskningen bedömde revisorerna att nämnden inte i tillräcklig grad skapat förutsättningar för tillräcklig styrning, uppföljning och kontroll av verksamheten. Bristerna var oacceptabla och måste åtgärdas.

På nämndens sammanträde 29 maj 2020 § 14 beslutade nämnden att ge regiondirektören i uppdrag att inom ramen för den översyn av gemensamma nämnder som Regionens samverkansråd fått i uppdrag att göra, åtgärda de brister som framkommit i revisionsrapporten.

Utredningen av en sammanslagning av gemensamma nämnder sköts under våren 2020 på framtiden på grund av Corona-pandemin.

Ärendet återupptogs på regionens samverkansråds sammanträde den 9 november 2020, där rådet tog beslutet att avsluta utredningen av en sammanslagning av de gemensamma nämnderna med motiveringen att det inte är juridiskt möjligt. Utifrån de beslutet bör regiondirektörens uppdrag dras tillbaka och ärendet avslutas.`,
		Proposal: `Ärendet avslutas och uppdraget till regiondirektören återtas.`,
	},
	{
		Number:   "GNS/2/2020",
		MemoDate: domain.MustDate("2020-12-11"),
		Title:    "Återstående medel från 2018",
		Description: `I årsredovisningen för 2018 redovisades ett överskott på 745 tkr, vilka reserverades till 2019 års budget. Under 2019 anlätades en konsult för att göra en förstudie kring samverkan inom IT-serverdrift vilket kostade ca 328 tkr.

Den 14 februari 2020 § 8 beslutade nämnden att då kvarstående medel, ca 417 tkr, skulle användas till att finansiera Projekt Digital transformation (GNS/8/2019) och eventuellt resterande medel gick till aktiviteter kopplat till Svenskt ramverk för digital samverkan (GNS/14/2019).

Då Projekt Digital Transformation aldrig ansökte om externa medel från ERUF och inga aktiviteter kopplat till Svenskt ramverk för digital samverkan genomförts, finns medlen fortfarande kvar. Då dessa inte längre kan reserveras för kommande budgetår bör de återbetalas till respektive part. De återstående medlen uppgår nu till 468 091 kr.`,
		Proposal: `Återstående medel från 2018 och 2019, totalt 468 091 kr återbetalas med 52 010 kr till respektive part.`,
	},
	{
		Number:   "GNS/14/2019",
		MemoDate: domain.MustDate("2020-12-10"),
		Title:    "Svenskt ramverk för digital samverkan",
		Description: `Den 6 december 2019, § 38, ställde sig nämnden positiv till Svenskt ramverk för digitalisering i samverkan och ansåg att det fanns ett stort samverkansvärde i att parterna tar del av ramverket. Samtidigt fick e-strategen i uppdrag att tillsammans med regional digitaliseringskoordinator i uppdrag att bistå parterna med information om ramverket.

Det svenska ramverket för digital samverkan omsätter nationella och internationella styrdokument till en gemensam produkt för alla offentliga organisationer i Sverige.

Den 14 februari 2020, § 8, behandlade nämnden ärende om återstående medel från 2018. I årsredovisningen redovisades ett överskott på 745 tkr. Summan reserverades till 2019. Delar av överskottet beslutade nämnden att använda till en förstudie kring samverkan inom IT-serverdrift. Resterande summa skulle finansiera Projekt Digital transformation, samt till aktiviteter kopplat till Svenskt ramverk för digital samverkan.

Inga aktiviteter kopplat till ramverket har skett under året av olika anledningar och de återstående medel från 2018 kan inte längre reserveras för kommande år, utan kommer att återbetalas parterna.`,
		Proposal: `1. Nämnden uppmanar parterna att i sitt fortsatta arbete med digitalisering ta Svenskt ramverk för digital samverkan i beaktande.
2. Tidigare uppdrag till e-strateg och regional digitaliseringskoordinator återtas och ärendet avslutas.`,
	},
	{
		Number:   "GNS/8/2019",
		MemoDate: domain.MustDate("2020-12-10"),
		Title:    "Avslut av Projekt Digital transformation",
		Description: `Den 3 juni 2019 uppdrog nämnden till e-strategen att skriva fram en projektansökan samt säkerställa medfinansiering från nämndens parter. Projekt Digital transformation syftade till att öka tillgången till, användningen av och kvaliteten på informations-och kommunikationsteknik. Extern finansiering skulle sökas via Tillväxtverkets EU-program för Mellersta Norrland.

I februari 2020 presenterades de ingående parterna i projektet, Bräcke kommun, Krokoms kommun samt Strömsunds kommun. Övriga parter fick möjlighet att ansluta sig till projektet fram tills att ansökan skulle skickas in.

I maj 2020 presenterades en arbetsbeskrivning och en arbetsgrupp tillsattes med tjänstepersoner från de deltagande parterna som nu utökats med Åre kommun, Ragunda kommun, Bergs kommun och Härjedalens kommun.

Någon projektansökan har dessvärre inte skickats in, då intresset sjönk i och med pågående pandemi samt brist på resurser.

Den 14 februari 2020, § 8, behandlade nämnden ärende om återstående medel från 2018. I årsredovisningen redovisades ett överskott på 745 tkr. Summan reserverades till 2019. Delar av överskottet beslutade nämnden att använda till en förstudie kring samverkan inom IT-serverdrift. Resterande summa skulle finansiera Projekt Digital transformation, samt till aktiviteter kopplat till Svenskt ramverk för digital samverkan. De återstående medlen från 2018 kan inte längre reserveras för kommande år, utan kommer att återbetalas parterna.`,
		Proposal: `Tidigare uppdrag till e-strategen om att skriva fram en projektansökan återtas och ärendet avslutas.`,
	},
	{
		Number:   "GNS/11/2018",
		MemoDate: domain.MustDate("2020-12-10"),
		Title:    "Gemensamt dataskyddsombud",
		Description: `I oktober 2018 lyftes frågan om ett regiongemensamt behov av en DSO i gemensamma nämnden för samverkan. Frågan initierades av kommunchefsgruppen där de uttryckte ett behov av en oberoende DSO för att stödja kommunerna och regionen i deras befintliga arbete med personuppgifter så att dataskyddsförordningen skulle kunna efterlevas. Parterna ombads då inkomma med en intresseanmälan av att ingå ett samarbete med en gemensam DSO samt om någon av parterna kunde tänka sig att ta ett arbetsgivaransvar.

Under våren 2019 behandlades ärendet ett antal gånger i nämnden och diskussioner kring arbetsgivaransvar, avtal och kompetensutveckling har bytt av varandra. I september 2019 klargjordes att Region Jämtland Härjedalen skulle agera arbetsgivare för tjänsten och i december 2019 hade man fortfarande inte kommit vidare i frågan kring avgifter och arbetsgivaravtal, varpå nämnden ansåg att frågan skulle gå tillbaka till kommunchefsgruppen för vidare diskussion.

Frågan skulle lyftas på kommunchefsgruppens sammanträde i mars 2020, men samtidigt utbröt Corona-pandemin och frågan lades på is.

I och med att tjänsten som e-strateg blir vakant i och med årsskiftet 2019-2020 så bör uppdraget övertas av regiondirektören som då kan aktualisera frågan igen.`,
		Proposal: `Regiondirektören får i uppdrag att aktualisera frågan om ett samarbete kring en gemensam DSO och finna en lösning på arbetsgivarfrågan.`,
	},
	{
		Number:   "GNS/3/2019",
		MemoDate: domain.MustDate("2020-12-10"),
		Title:    "Gemensam IT-serverdrift",
		Description: `Bakgrund

Gemensamma nämnden beslutade att en förstudie kring samverkan om Gemensam IT-serverdrift skulle genomföras (GNS/03/2019). Målsättningen var att ta fram aktuella beslutsunderlag inklusive kostnadsberäkningar. Vidare förväntas förstudien svara på vilka förutsättningar som finns för gemensamma, standardiserade och kostnadseffektiva lösningar samt vad som behöver göras för att nå dit. Inklusive tidsaspekt och nyttoanalys.

Resultat

Förstudien konstaterade att det är svårt att samverka inom IT-serverdrift och att viljan att samverka måste vara hög för att kunna genomföra samverkan.

Resultatmässigt visade förstudien ett magert direkt behov och ett magert utfall av lösningar som ger samverkan inom IT-serverdrift. I ljuset av det ska sägas att alla parter visat ett intresse inför förstudien och att olika behov troligtvis diskuterats hos de flesta parter.

Förstudiens framtidsspaning pekade på att konkurrensen från molntjänster kommer att minska fokus på den traditionella IT-serverdriften, samtidigt kan man konstatera att den kommer bestå de närmsta 5 åren och därmed måste hanteras därefter.

Förstudien visade ett antal scenarion för samverkan kring gemensam IT-serverdrift. Målet var att skapa scenarion som går att genomföra i teorin och därmed kan jämföras mot varandra. Ursprunget till dessa scenarion är de förslag arbetsgruppen förmedlat.

Gemensamma nämnden för samverkan önskade därför inhämta parternas respektive ställningstagande kring förstudien i sin helhet. Vidare skulle parterna lämna en enskild bedömning hur vida något av förstudiens scenarion ansågs lämplig för samverkan inom Gemensam IT-serverdrift.

Resultat Remiss

Sex parter har inkommit med remissvar varav en part ej tar ställning. Östersunds kommun, Strömsunds kommun, Härjedalen kommun, Krokoms kommun samt Region Jämtland Härjedalen godkänner förstudien. Bräcke kommun tar ej ställning.

I remissvaren uttrycker parterna intresse för att undersöka de olika scenarion som anges i förstudien längre fram och eventuellt samverka. Detta ligger i linje med förstudiens slutsats, ”det är svårt att samverka inom IT-serverdrift och att viljan att samverka måste vara hög för att kunna genomföra samverkan.”

Svårigheterna att bryta gamla strukturer i en resursbegränsad tid och i skuggan av en pandemi kan ses som extra utmanande. Dock är det värt att nämna att frågan om Gemensam IT-serverdrift inte bara gjorde anspråk på kostnadseffektiva lösningar. Redundanta IT-miljöer för länets samt kommunernas medborgare ansågs vara av betydande vikt. Det finns skäl att öka redundansen enligt gällande expertis, inte bara inom offentlig sektor utan generellt sett. Gällande regler och förordningar inom kris- och beredskap förändras. Precis som omvärlden.`,
		Proposal: `Gemensam nämnd för samverkan uppmanar respektive part att arbeta för att öka redundansen i sina IT-miljöer och söka samverkansmöjligheter för att möjliggöra det.`,
	},
	{
		Number:   "GNS/9/2020",
		MemoDate: domain.MustDate("2020-12-10"),
		Title:    "Delårsrapport per augusti 2020",
		Description: `Gemensamma nämnden för samverkan inom drift och service, utveckling samt specialistfunktioner har upprättat ett delårsbokslut per augusti 2020.

Nämndens nuvarande uppgift är bred i sin utformning där samverkan politiskt och historiskt är en viktig faktor för länets utveckling.

Några händelser utifrån nämndens verksamhet:

- Genomförandeprojektet Link2 är avslutat och gemensam nämnd för samverkan har godkänt slutrapporten.
- Slutrapporten för förstudien kring gemensam löneadministration mellan Åre kommun och Region Jämtland Härjedalen har godkänts.
- Återstående medel från 2018 beslutas att användas till att finansiera projekt Digital transformation, samt aktiviteter kopplat till Svenskt ramverk för digital samverkan.
- Gemensamma nämnden för samverkan uppdrar till E-strateg Li Zakrisson att inom ramen för projekt Digital transformation utföra arbetsuppgifter för Bräcke kommuns räkning under tre dagar i veckan fram till 2020-06-26.

Det ekonomiska resultatet för perioden visar på ett utfall på +32 tkr. Detta beror främst på att inga resekostnader förekommit under året.

Verksamhetens intäkter består av basarvode från parterna, 543 tkr, och objekt 6663: serverdrift fakturerat Åre kommun 1607 tkr. Kostnaderna kopplade till serverdriften (objekt 6663) är lika stora.`,
		Proposal: `Delårsbokslut per augusti 2020 godkänns.`,
	},
}

// CaseLinks are the links between the demo cases that the seeds make: the
// refund of the 2018 surplus (GNS/2/2020) names the two cases it was meant to
// finance.
var CaseLinks = [][2]string{
	{"GNS/2/2020", "GNS/8/2019"},
	{"GNS/2/2020", "GNS/14/2019"},
}

// loadCases brings in the demo cases that are not there yet, under their
// historical numbers, once the rest of Load has succeeded (err is Load's
// error so far, and the cases load only when it is nil; loaded is whether
// Load loaded anything so far). Each case is on the agenda, handled by the
// demo secretariat user when that user exists, with its tjänsteskrivelse
// filed as a text document. It reports whether Load loaded anything.
func loadCases(ctx context.Context, c *store.Conn, loaded bool, err error) (bool, error) {
	if err != nil {
		return loaded, err
	}
	cm, err := c.CommitteeByCode(ctx, CommitteeCode)
	if err != nil {
		return loaded, err
	}
	handler, err := demoSecretary(ctx, c, cm)
	if err != nil {
		return loaded, err
	}
	for _, dc := range Cases {
		n, err := domain.ParseCaseNumber(dc.Number)
		if err != nil {
			return loaded, err
		}
		if _, err := c.CaseByNumber(ctx, n); err == nil {
			continue
		} else if domain.ErrorCode(err) != domain.ENOTFOUND {
			return loaded, err
		}
		draft := domain.Case{Number: n, Title: dc.Title, Description: dc.Description, HandlerID: handler, Status: domain.CaseOnAgenda}
		k, err := c.ImportCase(ctx, cm, draft, domain.DateOf(time.Now()))
		if err != nil {
			return loaded, fmt.Errorf("demo case %s: %w", dc.Number, err)
		}
		doc := domain.CaseDocument{Kind: domain.CaseDocumentOfficerReport, Title: "Tjänsteskrivelse – " + dc.Title,
			FileName: "Tjänsteskrivelse " + strings.ReplaceAll(dc.Number, "/", "-") + ".txt"}
		if _, err := c.AddCaseDocument(ctx, k.ID, doc, []byte(dc.memo(cm))); err != nil {
			return loaded, fmt.Errorf("demo case %s: %w", dc.Number, err)
		}
		loaded = true
	}
	if !loaded {
		return false, nil
	}
	for _, l := range CaseLinks {
		from, err := domain.ParseCaseNumber(l[0])
		if err != nil {
			return loaded, err
		}
		to, err := domain.ParseCaseNumber(l[1])
		if err != nil {
			return loaded, err
		}
		k, err := c.CaseByNumber(ctx, from)
		if err != nil {
			return loaded, err
		}
		if _, err := c.AddCaseLink(ctx, k.ID, to); err != nil && domain.ErrorCode(err) != domain.ECONFLICT {
			return loaded, fmt.Errorf("demo link %s–%s: %w", l[0], l[1], err)
		}
	}
	return loaded, nil
}

// demoSecretary returns the id of the demo secretariat user when that user
// can handle the committee's cases, else 0.
func demoSecretary(ctx context.Context, c *store.Conn, cm domain.Committee) (int64, error) {
	handlers, err := c.CaseHandlers(ctx, cm.ID)
	if err != nil {
		return 0, err
	}
	for _, u := range handlers {
		for _, du := range Users {
			if du.Role == domain.RoleSecretariat && strings.EqualFold(du.Email, u.Email) {
				return u.ID, nil
			}
		}
	}
	return 0, nil
}

// memo writes the case's tjänsteskrivelse as plain text, in the layout of
// the seeds' officer's reports.
func (dc Case) memo(cm domain.Committee) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Tjänsteskrivelse\n%s\n%s\n\nSekretariatet\nJessica Hådell\n\n%s\n%s\n\n", cm.Name, dc.MemoDate, dc.Number, dc.Title)
	fmt.Fprintf(&b, "Ärendebeskrivning\n\n%s\n\nRegiondirektörens förslag\n\n%s\n\nI tjänsten\nHans Svensson\nRegiondirektör\n", dc.Description, dc.Proposal)
	return b.String()
}
