package account

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
	"github.com/region-jh/gns/web/kit"
)

// auditPageSize is how many entries one page of the audit trail shows.
const auditPageSize = 50

type auditPage struct {
	Entries  []auditLine
	Total    int
	Pages    int
	Users    []domain.User
	Entities []string
	Filter   url.Values
	Page     int
	Prev     string
	Next     string
	Problem  string
	// CSV is the export of every entry the filter matches.
	CSV string
}

// auditLine is an entry as the page shows it: in Swedish words, with the
// changed fields written out.
type auditLine struct {
	domain.AuditEntry
	// Who names the actor: the user's name and address, or the actor's
	// label (a system job).
	Who            string
	Action, Entity string
	Changes        []string
}

func lineOf(e domain.AuditEntry, names map[string]string) auditLine {
	who := e.Actor
	if n := names[e.Actor]; n != "" {
		who = n + " (" + e.Actor + ")"
	}
	return auditLine{AuditEntry: e, Who: who, Action: auditWord(e.Action), Entity: auditWord(e.Entity), Changes: auditChanges(e.Before, e.After)}
}

// userNames maps the users' e-mail addresses (the trail's actor labels) to
// their names.
func userNames(users []domain.User) map[string]string {
	out := make(map[string]string, len(users))
	for _, u := range users {
		out[u.Email] = u.Name
	}
	return out
}

// auditChanges writes the difference of before and after field by field:
// "plats: Lillsjöhögen → Rådhuset"; for a new thing its fields, for a
// removed one what it was. Values that are not JSON objects are shown whole.
func auditChanges(before, after json.RawMessage) []string {
	var b, a map[string]any
	okB := len(before) == 0 || json.Unmarshal(before, &b) == nil
	okA := len(after) == 0 || json.Unmarshal(after, &a) == nil
	if !okB || !okA {
		var out []string
		if len(before) > 0 {
			out = append(out, "före: "+string(before))
		}
		if len(after) > 0 {
			out = append(out, "efter: "+string(after))
		}
		return out
	}
	keys := map[string]bool{}
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		vb, inB := b[k]
		va, inA := a[k]
		name := k
		if w, ok := auditFields[k]; ok {
			name = w
		}
		switch {
		case b == nil:
			out = append(out, name+": "+auditValue(va))
		case a == nil:
			out = append(out, name+": "+auditValue(vb)+" (borttaget)")
		case !inB:
			out = append(out, name+": "+auditValue(va))
		case !inA:
			out = append(out, name+": "+auditValue(vb)+" → –")
		case auditValue(vb) != auditValue(va):
			out = append(out, name+": "+auditValue(vb)+" → "+auditValue(va))
		}
	}
	return out
}

// auditValue writes one value of a before/after record.
func auditValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "–"
	case string:
		if x == "" {
			return "(tomt)"
		}
		return x
	case bool:
		if x {
			return "ja"
		}
		return "nej"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// auditWords are the Swedish words for the actions and entities of the trail;
// the codes themselves stay in the API and the CSV's code columns.
var auditWords = map[string]string{
	"create": "skapad", "update": "ändrad", "login": "inloggning", "login_failed": "misslyckad inloggning",
	"login_password_step": "lösenord godkänt (väntar på kod)", "logout": "utloggning", "logout_everywhere": "utloggning överallt",
	"grant_role": "roll tillagd", "revoke_role": "roll borttagen", "change_password": "nytt lösenord",
	"disable": "inaktiverad", "enable": "aktiverad", "enable_two_factor": "tvåstegsverifiering aktiverad",
	"reset_two_factor": "tvåstegsverifiering återställd", "use_recovery_code": "reservkod använd",
	"revoke": "återkallad", "token_use": "API-nyckel använd", "add_member": "part tillagd",
	"correct": "rättad", "end_member": "medlemskap avslutat", "reorder_parties": "partsordning ändrad",
	"add_document": "handling tillagd", "add_link": "koppling tillagd", "set_status": "status ändrad", "close": "avslutat",
	"reopen": "återöppnat", "commit": "inläst", "preview": "förhandsgranskad", "discard": "kasserad",
	"create_calendar_token": "kalenderlänk skapad", "remove_calendar_token": "kalenderlänk borttagen",
	"finalise": "fastställd", "issue": "utfärdad", "move": "flyttad på listan", "move_to_meeting": "flyttad till annat sammanträde",
	"withdraw": "återtagen", "register": "registrerad", "retire": "avvecklad", "send": "skickad", "set_attendance": "närvaro registrerad",
	"supersede": "ersatt", "cancel": "inställt", "publish": "kallelsen publicerad", "announce_minutes": "anslag registrerat",
	"approve_minutes": "protokollet justerat", "lock_imported_minutes": "pappersprotokoll infört och låst",
	"set_justerare": "justerare valda", "report_absence": "förhinder anmält", "set_secretary": "sekreterare angiven", "login_sso_step": "inloggning via inloggningstjänst (väntar på kod)",
	"link_subject": "konto kopplat", "oidc_provider": "inloggningstjänst",
	"user": "användare", "api_token": "API-nyckel", "party": "part", "committee": "nämnd",
	"mfa_required_roles": "krav på tvåstegsverifiering", "member": "ledamot", "population": "invånarantal",
	"committee_document": "styrdokument", "case": "ärende", "allocation": "fördelning", "account_range": "kontointervall",
	"agenda_item": "punkt på föredragningslistan", "assignment": "uppdrag", "budget": "budget", "carry_forward": "överföring mellan år",
	"interim_report": "ekonomisk rapport", "meeting": "sammanträde", "report_rows": "rapportrader", "ledger_import": "import av utfall",
	"invoice": "faktura", "invoice_run": "fakturakörning", "payment": "betalning", "paragraph": "paragraf",
	"invoice_settings": "fakturainställningar", "payment_file": "betalfil från banken", "mail_choices": "val av e-post",
}

// auditFields are the Swedish names of the fields before/after values show;
// a field not listed shows under its code.
var auditFields = map[string]string{
	"date": "datum", "start_time": "börjar", "end_time": "slutar", "place": "plats", "link": "länk", "purpose": "syfte",
	"municipalities": "kommunerna deltar", "notes": "anteckning", "cancelled": "inställt", "published": "publicerad",
	"sequence": "version", "title": "rubrik", "description": "beskrivning", "proposal": "förslag till beslut", "status": "status",
	"name": "namn", "email": "e-post", "role": "roll", "roles": "roller", "number": "nummer", "decision": "beslut",
	"summary": "sammanfattning", "amount": "belopp", "file": "fil", "periods": "perioder", "position": "plats på listan",
	"from": "från", "to": "till", "item": "punkt", "meeting_id": "sammanträde", "org_number": "organisationsnummer",
	"address": "adress", "handler": "handläggare", "year": "år", "version": "version", "note": "anteckning",
	"dispatch_to": "expedieras till", "justerare": "justerare", "due": "tid för justering", "justering_due": "tid för justering", "secretary": "sekreterare", "announced_on": "anslag",
	"sha256": "kontrollsumma", "disabled": "inaktiverad", "population": "invånarantal", "reference_date": "referensdatum",
	"source": "källa", "weekday_confirmed": "veckodag bekräftad", "total": "totalt", "method": "metod",
	"off": "avstängda brev",
	"sso": "inloggningstjänst", "mfa_by_provider": "tvåfaktor hos inloggningstjänsten", "provider": "inloggningstjänst",
	"reason": "orsak", "two_factor": "tvåstegsverifiering", "issuer": "utfärdare", "client_id": "klient-id",
	"domains": "domäner", "client_secret_changed": "ny klienthemlighet", "mfa_acr": "acr för tvåfaktor", "subject": "subjekt", "user_id": "användare",
}

// auditWord returns the Swedish word for an action or entity code.
func auditWord(code string) string {
	if w, ok := auditWords[code]; ok {
		return w
	}
	return code
}

// auditFilter reads the filter from the query: anvandare (user id), entitet,
// fran and till (dates), sida (page from 1).
func auditFilter(c *gin.Context) (domain.AuditFilter, int, error) {
	f := domain.AuditFilter{Entity: c.Query("entitet"), Query: c.Query("q"), Limit: auditPageSize}
	if len(f.Query) > 200 {
		return f, 0, domain.FieldErrorf("q", "Söktexten är för lång (högst 200 tecken).")
	}
	if v := c.Query("anvandare"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 {
			return f, 0, domain.FieldErrorf("anvandare", "Okänd användare.")
		}
		f.ActorUserID = id
	}
	var err error
	if v := c.Query("fran"); v != "" {
		if f.From, err = domain.ParseDate(v); err != nil {
			return f, 0, domain.FieldErrorf("fran", "Ange från-datum som ÅÅÅÅ-MM-DD.")
		}
	}
	if v := c.Query("till"); v != "" {
		if f.To, err = domain.ParseDate(v); err != nil {
			return f, 0, domain.FieldErrorf("till", "Ange till-datum som ÅÅÅÅ-MM-DD.")
		}
	}
	page := 1
	if v := c.Query("sida"); v != "" {
		if page, err = strconv.Atoi(v); err != nil || page < 1 || page > 1_000_000 {
			return f, 0, domain.FieldErrorf("sida", "Ogiltigt sidnummer.")
		}
	}
	f.Offset = (page - 1) * auditPageSize
	return f, page, nil
}

// auditTrailPage shows the audit trail with filters, newest first.
func (s *Handlers) auditTrailPage(c *gin.Context) {
	ctx := c.Request.Context()
	users, err := s.DB.Conn().Users(ctx)
	if err != nil {
		s.Fail(c, err)
		return
	}
	entities, err := s.DB.Conn().AuditEntities(ctx)
	if err != nil {
		s.Fail(c, err)
		return
	}
	p := auditPage{Users: users, Entities: entities, Filter: c.Request.URL.Query()}
	f, page, err := auditFilter(c)
	status := http.StatusOK
	if err != nil {
		p.Problem, status = domain.ErrorMessage(err), http.StatusBadRequest
	} else {
		var entries []domain.AuditEntry
		entries, p.Total, err = s.DB.Conn().AuditEntries(ctx, f)
		if err != nil {
			s.Fail(c, err)
			return
		}
		for _, e := range entries {
			p.Entries = append(p.Entries, lineOf(e, userNames(users)))
		}
		p.Page, p.Pages = page, max((p.Total+auditPageSize-1)/auditPageSize, 1)
		csv := c.Request.URL.Query()
		csv.Del("sida")
		p.CSV = "/granskning.csv?" + csv.Encode()
		q := c.Request.URL.Query()
		if page > 1 {
			q.Set("sida", strconv.Itoa(page-1))
			p.Prev = "?" + q.Encode()
		}
		if page*auditPageSize < p.Total {
			q.Set("sida", strconv.Itoa(page+1))
			p.Next = "?" + q.Encode()
		}
	}
	s.Render(c, status, "audit", "Granskningslogg", p)
}

// maxAuditCSV bounds one CSV export of the trail.
const maxAuditCSV = 100_000

// auditCSV exports every entry the filter matches (at most maxAuditCSV),
// newest first, as CSV with semicolons in UTF-8 with a byte-order mark, as
// Excel opens it: time, who, the action and the thing in Swedish words and
// as codes, its id, the changes, the address and the request id.
func (s *Handlers) auditCSV(c *gin.Context) {
	f, _, err := auditFilter(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	users, err := s.DB.Conn().Users(c.Request.Context())
	if err != nil {
		s.Fail(c, err)
		return
	}
	names := userNames(users)
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	_ = w.Write([]string{"Tid", "Vem", "Händelse", "Vad", "Id", "Ändringar", "Adress", "Begäran", "Händelsekod", "Typkod"})
	f.Limit, f.Offset = store.MaxAuditPage, 0
	for f.Offset < maxAuditCSV {
		entries, _, err := s.DB.Conn().AuditEntries(c.Request.Context(), f)
		if err != nil {
			s.Fail(c, err)
			return
		}
		for _, e := range entries {
			l := lineOf(e, names)
			_ = w.Write([]string{sv.DateTime(e.At), l.Who, l.Action, l.Entity, e.EntityID, strings.Join(l.Changes, "\n"),
				e.RemoteAddr, e.RequestID, e.Action, e.Entity})
		}
		if len(entries) < f.Limit {
			break
		}
		f.Offset += f.Limit
	}
	w.Flush()
	kit.Download(c, "text/csv; charset=utf-8", "granskningslogg.csv", buf.Bytes())
}

// apiAudit answers GET /api/v1/audit with the same filters as the page.
func (s *Handlers) apiAudit(c *gin.Context) {
	f, page, err := auditFilter(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	entries, total, err := s.DB.Conn().AuditEntries(c.Request.Context(), f)
	if err != nil {
		s.Fail(c, err)
		return
	}
	out := make([]gin.H, len(entries))
	for i, e := range entries {
		out[i] = gin.H{"id": e.ID, "at": e.At, "actor_user_id": e.ActorUserID, "actor": e.Actor, "action": e.Action,
			"entity": e.Entity, "entity_id": e.EntityID, "before": e.Before, "after": e.After,
			"remote_addr": e.RemoteAddr, "request_id": e.RequestID}
	}
	c.JSON(http.StatusOK, gin.H{"entries": out, "total": total, "page": page, "page_size": auditPageSize})
}

// apiMe answers GET /api/v1/me: who the token or session belongs to.
func (s *Handlers) apiMe(c *gin.Context) {
	u := kit.CurrentUser(c)
	roles := make([]gin.H, len(u.Roles))
	for i, g := range u.Roles {
		roles[i] = gin.H{"role": g.Role, "committee": g.CommitteeCode, "party_id": g.PartyID}
	}
	c.JSON(http.StatusOK, gin.H{"id": u.ID, "email": u.Email, "name": u.Name, "roles": roles, "two_factor": u.TOTPEnabled})
}
