package meetings

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store/internal/cases"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// The standing items every föredragningslista begins with.
const (
	StandingAgendaTitle    = "Fastställande av föredragningslista"
	StandingJusterareTitle = "Val av justerare och tid för justering"
)

// Limits of an agenda item's texts.
const (
	maxAgendaTitle       = 300
	maxAgendaDescription = 50_000
	maxAgendaProposal    = 20_000
)

type agendaRow struct {
	ID          int64          `db:"id"`
	MeetingID   int64          `db:"meeting_id"`
	Position    int            `db:"position"`
	Kind        string         `db:"kind"`
	CaseID      sql.NullInt64  `db:"case_id"`
	Code        sql.NullString `db:"code"`
	Year        sql.NullInt64  `db:"year"`
	Seq         sql.NullInt64  `db:"seq"`
	Title       string         `db:"title"`
	Description string         `db:"description"`
	Proposal    string         `db:"proposal"`
	DispatchTo  string         `db:"dispatch_to"`
	Status      string         `db:"status"`
	MovedTo     sql.NullInt64  `db:"moved_to"`
}

const agendaSelect = `SELECT a.id, a.meeting_id, a.position, a.kind, a.case_id, cm.code, k.year, k.seq, a.title, a.description,
	a.proposal, a.dispatch_to, a.status, a.moved_to
	FROM agenda_items a LEFT JOIN cases k ON k.id = a.case_id LEFT JOIN committees cm ON cm.id = k.committee_id`

func (r agendaRow) domain() meeting.AgendaItem {
	it := meeting.AgendaItem{
		ID: r.ID, MeetingID: r.MeetingID, Position: r.Position, Kind: meeting.AgendaItemKind(r.Kind), CaseID: r.CaseID.Int64,
		Title: r.Title, Description: r.Description, Proposal: r.Proposal, DispatchTo: DecodeRecipients(r.DispatchTo),
		Status: meeting.AgendaItemStatus(r.Status), MovedTo: r.MovedTo.Int64,
	}
	if r.Code.Valid {
		it.CaseNumber = domain.CaseNumber{Prefix: r.Code.String, Year: int(r.Year.Int64), Seq: int(r.Seq.Int64)}.String()
	}
	return it
}

// agendaAudit is how an agenda item appears in the audit trail.
type agendaAudit struct {
	MeetingID   int64    `json:"meeting_id"`
	Position    int      `json:"position"`
	Kind        string   `json:"kind"`
	Case        string   `json:"case,omitempty"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Proposal    string   `json:"proposal,omitempty"`
	DispatchTo  []string `json:"dispatch_to,omitempty"`
	Status      string   `json:"status"`
	MovedTo     int64    `json:"moved_to,omitempty"`
}

func auditOfAgendaItem(it meeting.AgendaItem) agendaAudit {
	return agendaAudit{MeetingID: it.MeetingID, Position: it.Position, Kind: string(it.Kind), Case: it.CaseNumber,
		Title: it.Title, Description: it.Description, Proposal: it.Proposal, DispatchTo: RecipientCodes(it.DispatchTo),
		Status: string(it.Status), MovedTo: it.MovedTo}
}

// RecipientCodes writes an "expedieras till" list in its stored form, one
// meeting.Recipient.Code each.
func RecipientCodes(list []meeting.Recipient) []string {
	out := make([]string, len(list))
	for i, r := range list {
		out[i] = r.Code()
	}
	return out
}

// EncodeRecipients writes an "expedieras till" list as the JSON array the
// dispatch_to columns of agenda items and paragraphs hold.
func EncodeRecipients(list []meeting.Recipient) string {
	b, _ := json.Marshal(RecipientCodes(list)) // a []string always marshals
	return string(b)
}

// DecodeRecipients reads a dispatch_to column; entries it does not know are
// left out.
func DecodeRecipients(s string) []meeting.Recipient {
	var codes []string
	if err := json.Unmarshal([]byte(s), &codes); err != nil {
		return nil
	}
	out := make([]meeting.Recipient, 0, len(codes))
	for _, code := range codes {
		if r, err := meeting.ParseRecipientCode(code); err == nil {
			out = append(out, r)
		}
	}
	return out
}

// CheckRecipients checks an "expedieras till" list against the committee:
// a party must be one of its parties (by slug), a role a short line of text.
// Duplicates are dropped and "all the parties" comes first. Errors are field
// errors on dispatch_to.
func (c Meetings) CheckRecipients(ctx context.Context, committeeID int64, list []meeting.Recipient) ([]meeting.Recipient, error) {
	if len(list) > meeting.MaxRecipients {
		return nil, domain.FieldErrorf("dispatch_to", "Ange högst %d mottagare.", meeting.MaxRecipients)
	}
	parties, err := c.registry().CommitteeParties(ctx, committeeID)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, p := range parties {
		known[p.Slug] = true
	}
	var all bool
	var rest []meeting.Recipient
	seen := map[string]bool{}
	for _, r := range list {
		r.Party, r.Role = strings.TrimSpace(r.Party), strings.Join(strings.Fields(r.Role), " ")
		switch r.Kind {
		case meeting.RecipientParties:
			all = true
			continue
		case meeting.RecipientParty:
			if !known[r.Party] {
				return nil, domain.FieldErrorf("dispatch_to", "%q är inte part i nämnden. Välj bland nämndens parter.", r.Party)
			}
			r.Role = ""
		case meeting.RecipientRole:
			if r.Role == "" {
				return nil, domain.FieldErrorf("dispatch_to", "Ange rollen eller funktionen som ska få beslutet, t.ex. Ekonom.")
			}
			if err := domain.CheckText("dispatch_to", "Mottagaren", r.Role, meeting.MaxRecipientRole); err != nil {
				return nil, err
			}
			r.Party = ""
		default:
			return nil, domain.FieldErrorf("dispatch_to", "Okänd sorts mottagare %q: ange nämndens parter, en part eller en roll.", r.Kind)
		}
		key := strings.ToLower(r.Code())
		if !seen[key] {
			seen[key] = true
			rest = append(rest, r)
		}
	}
	out := []meeting.Recipient{}
	if all {
		out = append(out, meeting.Recipient{Kind: meeting.RecipientParties})
	}
	return append(out, rest...), nil
}

// addStandingItems puts the two standing items on a new meeting's list.
func (c Meetings) addStandingItems(ctx context.Context, meetingID int64, at time.Time) error {
	for i, it := range []struct {
		kind  meeting.AgendaItemKind
		title string
	}{{meeting.AgendaStanding, StandingAgendaTitle}, {meeting.AgendaJusterare, StandingJusterareTitle}} {
		if _, err := c.db.Insert(ctx, `INSERT INTO agenda_items (meeting_id, position, kind, title, dispatch_to, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, '[]', ?, ?, ?)`, meetingID, i+1, string(it.kind), it.title, string(meeting.AgendaActive), at, at); err != nil {
			return fmt.Errorf("standing agenda item: %w", err)
		}
	}
	return nil
}

// AgendaItems returns a meeting's föredragningslista in order, withdrawn and
// moved items included (they keep their place, marked).
func (c Meetings) AgendaItems(ctx context.Context, meetingID int64) ([]meeting.AgendaItem, error) {
	var rows []agendaRow
	if err := c.db.Select(ctx, &rows, agendaSelect+` WHERE a.meeting_id = ? ORDER BY a.position, a.id`, meetingID); err != nil {
		return nil, fmt.Errorf("agenda of meeting %d: %w", meetingID, err)
	}
	return domainRows(rows), nil
}

// AgendaItemByID returns one agenda item, or ENOTFOUND.
func (c Meetings) AgendaItemByID(ctx context.Context, id int64) (meeting.AgendaItem, error) {
	var r agendaRow
	err := c.db.Get(ctx, &r, agendaSelect+` WHERE a.id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return meeting.AgendaItem{}, domain.Errorf(domain.ENOTFOUND, "Punkten finns inte på föredragningslistan.")
	}
	if err != nil {
		return meeting.AgendaItem{}, fmt.Errorf("agenda item %d: %w", id, err)
	}
	return r.domain(), nil
}

// CaseAgendaItems lists the agenda items a case has had, on any meeting,
// oldest meeting first.
func (c Meetings) CaseAgendaItems(ctx context.Context, caseID int64) ([]meeting.AgendaItem, error) {
	var rows []agendaRow
	if err := c.db.Select(ctx, &rows, agendaSelect+` JOIN meetings m ON m.id = a.meeting_id
		WHERE a.case_id = ? ORDER BY m.meeting_date, a.id`, caseID); err != nil {
		return nil, fmt.Errorf("agenda items of case %d: %w", caseID, err)
	}
	return domainRows(rows), nil
}

// checkItemText trims and checks an item's title, description, proposal and
// recipients.
func (c Meetings) checkItemText(ctx context.Context, committeeID int64, it *meeting.AgendaItem) error {
	it.Title = strings.TrimSpace(it.Title)
	it.Description = strings.TrimSpace(strings.ReplaceAll(it.Description, "\r\n", "\n"))
	it.Proposal = strings.TrimSpace(strings.ReplaceAll(it.Proposal, "\r\n", "\n"))
	if it.Title == "" {
		return domain.FieldErrorf("title", "Ange punktens rubrik.")
	}
	if err := domain.CheckText("title", "Rubriken", it.Title, maxAgendaTitle); err != nil {
		return err
	}
	if strings.ContainsAny(it.Title, "\r\n\t") {
		return domain.FieldErrorf("title", "Rubriken ska stå på en rad.")
	}
	if err := domain.CheckText("description", "Ärendebeskrivningen", it.Description, maxAgendaDescription); err != nil {
		return err
	}
	if err := domain.CheckText("proposal", "Förslaget till beslut", it.Proposal, maxAgendaProposal); err != nil {
		return err
	}
	var err error
	it.DispatchTo, err = c.CheckRecipients(ctx, committeeID, it.DispatchTo)
	return err
}

// AddAgendaItem puts an item last on a meeting's föredragningslista: a case
// item (it.Kind "case", it.CaseID set) or another item (it.Kind "other",
// such as information from the regiondirektör). A case item's title and
// ärendebeskrivning default to the case's own. The case must be an open case
// of the meeting's committee and not already on the list; it goes to the
// status "på föredragningslista", and its timeline says for which meeting.
// Errors are field errors (case, title, description, proposal,
// dispatch_to), or ECONFLICT for a cancelled meeting or approved minutes.
func (c Meetings) AddAgendaItem(ctx context.Context, meetingID int64, it meeting.AgendaItem) (meeting.AgendaItem, error) {
	m, err := c.changeableMeeting(ctx, meetingID)
	if err != nil {
		return meeting.AgendaItem{}, err
	}
	var k domain.Case
	switch it.Kind {
	case meeting.AgendaCase:
		if k, err = c.agendaCase(ctx, m, it.CaseID); err != nil {
			return meeting.AgendaItem{}, err
		}
		if strings.TrimSpace(it.Title) == "" {
			it.Title = k.Title
		}
		if strings.TrimSpace(it.Description) == "" {
			it.Description = k.Description
		}
	case meeting.AgendaOther:
		if it.CaseID != 0 {
			return meeting.AgendaItem{}, domain.FieldErrorf("case", "En övrig punkt hör inte till något ärende.")
		}
	default:
		return meeting.AgendaItem{}, domain.FieldErrorf("kind", "Lägg till ett ärende eller en övrig punkt; de stående punkterna finns redan.")
	}
	if err := c.checkItemText(ctx, m.CommitteeID, &it); err != nil {
		return meeting.AgendaItem{}, err
	}
	stored, err := c.insertAgendaItem(ctx, m, it)
	if err != nil {
		return meeting.AgendaItem{}, err
	}
	if err := c.kallelseChanged(ctx, m, fmt.Sprintf("Punkten %q lades till på föredragningslistan.", stored.Title)); err != nil {
		return meeting.AgendaItem{}, err
	}
	if it.Kind == meeting.AgendaCase {
		if err := c.caseTakenUp(ctx, k, "Upptaget på föredragningslistan till sammanträdet den "+m.Date.String()+"."); err != nil {
			return meeting.AgendaItem{}, err
		}
	}
	return stored, nil
}

// agendaCase returns the case a new item of meeting m is for: an open case of
// the meeting's committee that is not already on the meeting's list.
func (c Meetings) agendaCase(ctx context.Context, m meeting.Meeting, caseID int64) (domain.Case, error) {
	if caseID == 0 {
		return domain.Case{}, domain.FieldErrorf("case", "Välj ärendet som ska upp på föredragningslistan.")
	}
	k, err := c.cases().CaseByID(ctx, caseID)
	if domain.ErrorCode(err) == domain.ENOTFOUND || (err == nil && k.CommitteeID != m.CommitteeID) {
		return domain.Case{}, domain.FieldErrorf("case", "Ärendet finns inte bland nämndens ärenden. Välj ett av nämndens öppna ärenden.")
	}
	if err != nil {
		return domain.Case{}, err
	}
	if k.Closed() {
		return domain.Case{}, domain.FieldErrorf("case", "Ärendet %s är avslutat och kan inte tas upp på föredragningslistan. Återöppna det först.", k.Number)
	}
	var n int
	if err := c.db.Get(ctx, &n, `SELECT COUNT(*) FROM agenda_items WHERE meeting_id = ? AND case_id = ? AND status = ?`,
		m.ID, k.ID, string(meeting.AgendaActive)); err != nil {
		return domain.Case{}, fmt.Errorf("agenda case: %w", err)
	}
	if n > 0 {
		return domain.Case{}, &domain.Error{Code: domain.ECONFLICT, Field: "case",
			Message: fmt.Sprintf("Ärendet %s står redan på föredragningslistan till sammanträdet den %s.", k.Number, m.Date)}
	}
	return k, nil
}

// insertAgendaItem stores a checked item last on meeting m's list.
func (c Meetings) insertAgendaItem(ctx context.Context, m meeting.Meeting, it meeting.AgendaItem) (meeting.AgendaItem, error) {
	var last int
	if err := c.db.Get(ctx, &last, `SELECT COALESCE(MAX(position), 0) FROM agenda_items WHERE meeting_id = ?`, m.ID); err != nil {
		return meeting.AgendaItem{}, fmt.Errorf("agenda position: %w", err)
	}
	at := c.db.Now()
	id, err := c.db.Insert(ctx, `INSERT INTO agenda_items (meeting_id, position, kind, case_id, title, description, proposal, dispatch_to, status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.ID, last+1, string(it.Kind), sqlconn.NullID(it.CaseID), it.Title, it.Description, it.Proposal,
		EncodeRecipients(it.DispatchTo), string(meeting.AgendaActive), at, at)
	if err != nil {
		return meeting.AgendaItem{}, fmt.Errorf("add agenda item: %w", err)
	}
	stored, err := c.AgendaItemByID(ctx, id)
	if err != nil {
		return meeting.AgendaItem{}, err
	}
	if err := c.db.Audit(ctx, "create", "agenda_item", id, nil, auditOfAgendaItem(stored)); err != nil {
		return meeting.AgendaItem{}, err
	}
	return stored, nil
}

// caseTakenUp moves a case to "på föredragningslista" with note on its
// timeline, or, when it is there already, records the note alone.
func (c Meetings) caseTakenUp(ctx context.Context, k domain.Case, note string) error {
	if k.Status != domain.CaseOnAgenda {
		_, err := cases.ChangeStatus(ctx, c.db, k, domain.CaseOnAgenda, domain.CaseEventStatusChanged, note, "set_status")
		return err
	}
	return cases.AddEvent(ctx, c.db, domain.CaseEvent{CaseID: k.ID, Kind: domain.CaseEventAgenda, Note: note})
}

// changeableItem returns an agenda item and its meeting when the item may
// change: the meeting is neither cancelled nor approved, and the item is
// still active on it.
func (c Meetings) changeableItem(ctx context.Context, itemID int64) (meeting.AgendaItem, meeting.Meeting, error) {
	it, err := c.AgendaItemByID(ctx, itemID)
	if err != nil {
		return meeting.AgendaItem{}, meeting.Meeting{}, err
	}
	m, err := c.changeableMeeting(ctx, it.MeetingID)
	if err != nil {
		return meeting.AgendaItem{}, meeting.Meeting{}, err
	}
	switch it.Status {
	case meeting.AgendaWithdrawn:
		return meeting.AgendaItem{}, meeting.Meeting{}, domain.Errorf(domain.ECONFLICT, "Punkten %q är återtagen och kan inte ändras.", it.Title)
	case meeting.AgendaMoved:
		return meeting.AgendaItem{}, meeting.Meeting{}, domain.Errorf(domain.ECONFLICT, "Punkten %q är flyttad till ett annat sammanträde; ändra den där.", it.Title)
	}
	return it, m, nil
}

// UpdateAgendaItem changes an active item's title, ärendebeskrivning,
// förslag till beslut and expedieras till. Nothing is recorded when nothing
// changes.
func (c Meetings) UpdateAgendaItem(ctx context.Context, it meeting.AgendaItem) (meeting.AgendaItem, error) {
	before, m, err := c.changeableItem(ctx, it.ID)
	if err != nil {
		return meeting.AgendaItem{}, err
	}
	if err := c.checkItemText(ctx, m.CommitteeID, &it); err != nil {
		return meeting.AgendaItem{}, err
	}
	if it.Title == before.Title && it.Description == before.Description && it.Proposal == before.Proposal &&
		EncodeRecipients(it.DispatchTo) == EncodeRecipients(before.DispatchTo) {
		return before, nil
	}
	if _, err := c.db.Exec(ctx, `UPDATE agenda_items SET title = ?, description = ?, proposal = ?, dispatch_to = ?, updated_at = ? WHERE id = ?`,
		it.Title, it.Description, it.Proposal, EncodeRecipients(it.DispatchTo), c.db.Now(), before.ID); err != nil {
		return meeting.AgendaItem{}, fmt.Errorf("update agenda item %d: %w", before.ID, err)
	}
	if err := c.kallelseChanged(ctx, m, itemChanges(before, it)); err != nil {
		return meeting.AgendaItem{}, err
	}
	return c.recordItemChange(ctx, before, "update")
}

// recordItemChange writes the audit entry of a change to an item and
// returns the item as it became.
func (c Meetings) recordItemChange(ctx context.Context, before meeting.AgendaItem, action string) (meeting.AgendaItem, error) {
	after, err := c.AgendaItemByID(ctx, before.ID)
	if err != nil {
		return meeting.AgendaItem{}, err
	}
	if err := c.db.Audit(ctx, action, "agenda_item", before.ID, auditOfAgendaItem(before), auditOfAgendaItem(after)); err != nil {
		return meeting.AgendaItem{}, err
	}
	return after, nil
}

// MoveAgendaItem moves an item one place up or down the list, past the
// neighbouring item. The two standing items stay first.
func (c Meetings) MoveAgendaItem(ctx context.Context, itemID int64, up bool) error {
	it, err := c.AgendaItemByID(ctx, itemID)
	if err != nil {
		return err
	}
	m, err := c.changeableMeeting(ctx, it.MeetingID)
	if err != nil {
		return err
	}
	if standing(it) {
		return domain.Errorf(domain.ECONFLICT, "De stående punkterna står först på föredragningslistan.")
	}
	items, err := c.AgendaItems(ctx, m.ID)
	if err != nil {
		return err
	}
	i := indexOfItem(items, it.ID)
	j := i + 1
	if up {
		j = i - 1
	}
	switch {
	case j < 0 || j >= len(items):
		return domain.Errorf(domain.ECONFLICT, "Punkten står redan %s på föredragningslistan.", map[bool]string{true: "först", false: "sist"}[up])
	case standing(items[j]):
		return domain.Errorf(domain.ECONFLICT, "De stående punkterna står först på föredragningslistan.")
	}
	// Renumber the whole list in its new order, so positions stay 1..n.
	items[i], items[j] = items[j], items[i]
	at := c.db.Now()
	for n, x := range items {
		if x.Position != n+1 {
			if _, err := c.db.Exec(ctx, `UPDATE agenda_items SET position = ?, updated_at = ? WHERE id = ?`, n+1, at, x.ID); err != nil {
				return fmt.Errorf("move agenda item %d: %w", x.ID, err)
			}
		}
	}
	after := map[string]any{"meeting_id": m.ID, "item": it.Title, "from": it.Position, "to": j + 1}
	if err := c.kallelseChanged(ctx, m, fmt.Sprintf("Punkten %q flyttades från plats %d till plats %d på föredragningslistan.", it.Title, it.Position, j+1)); err != nil {
		return err
	}
	return c.db.Audit(ctx, "move", "agenda_item", it.ID, map[string]any{"position": it.Position}, after)
}

func standing(it meeting.AgendaItem) bool {
	return it.Kind == meeting.AgendaStanding || it.Kind == meeting.AgendaJusterare
}

func indexOfItem(items []meeting.AgendaItem, id int64) int {
	for i, x := range items {
		if x.ID == id {
			return i
		}
	}
	return -1
}

// WithdrawAgendaItem withdraws an item from the list. It stays on the list,
// marked as withdrawn (utgår). A case that is on no other coming agenda goes
// back to "under beredning"; its timeline says so.
func (c Meetings) WithdrawAgendaItem(ctx context.Context, itemID int64) (meeting.AgendaItem, error) {
	before, m, err := c.changeableItem(ctx, itemID)
	if err != nil {
		return meeting.AgendaItem{}, err
	}
	if standing(before) {
		return meeting.AgendaItem{}, domain.Errorf(domain.ECONFLICT, "De stående punkterna kan inte återtas.")
	}
	if _, err := c.db.Exec(ctx, `UPDATE agenda_items SET status = ?, updated_at = ? WHERE id = ?`, string(meeting.AgendaWithdrawn), c.db.Now(), before.ID); err != nil {
		return meeting.AgendaItem{}, fmt.Errorf("withdraw agenda item %d: %w", before.ID, err)
	}
	if err := c.kallelseChanged(ctx, m, fmt.Sprintf("Punkten %q utgår från föredragningslistan.", before.Title)); err != nil {
		return meeting.AgendaItem{}, err
	}
	if before.CaseID != 0 {
		if err := c.caseWithdrawn(ctx, before.CaseID, "Återtaget från föredragningslistan till sammanträdet den "+m.Date.String()+"."); err != nil {
			return meeting.AgendaItem{}, err
		}
	}
	return c.recordItemChange(ctx, before, "withdraw")
}

// caseWithdrawn records on a case's timeline that it left an agenda, and
// moves it back to "under beredning" unless it is still on another active
// agenda item of a meeting that is neither cancelled nor approved.
func (c Meetings) caseWithdrawn(ctx context.Context, caseID int64, note string) error {
	k, err := c.cases().CaseByID(ctx, caseID)
	if err != nil {
		return err
	}
	var n int
	if err := c.db.Get(ctx, &n, `SELECT COUNT(*) FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
		WHERE a.case_id = ? AND a.status = ? AND m.cancelled_at IS NULL AND m.locked_at IS NULL`,
		caseID, string(meeting.AgendaActive)); err != nil {
		return fmt.Errorf("case agenda items: %w", err)
	}
	if n == 0 && k.Status == domain.CaseOnAgenda {
		_, err := cases.ChangeStatus(ctx, c.db, k, domain.CaseInPreparation, domain.CaseEventStatusChanged, note, "set_status")
		return err
	}
	return cases.AddEvent(ctx, c.db, domain.CaseEvent{CaseID: caseID, Kind: domain.CaseEventAgenda, Note: note})
}

// MoveAgendaItemToMeeting moves an item to another meeting of the same
// committee: the item stays on this list marked as moved, and a copy with
// the same texts goes last on the other meeting's list. It returns the new
// item.
func (c Meetings) MoveAgendaItemToMeeting(ctx context.Context, itemID, toMeetingID int64) (meeting.AgendaItem, error) {
	before, from, err := c.changeableItem(ctx, itemID)
	if err != nil {
		return meeting.AgendaItem{}, err
	}
	if standing(before) {
		return meeting.AgendaItem{}, domain.Errorf(domain.ECONFLICT, "De stående punkterna kan inte flyttas.")
	}
	to, err := c.MeetingByID(ctx, toMeetingID)
	if domain.ErrorCode(err) == domain.ENOTFOUND || (err == nil && to.CommitteeID != from.CommitteeID) {
		return meeting.AgendaItem{}, domain.FieldErrorf("meeting", "Välj ett av nämndens sammanträden att flytta punkten till.")
	}
	if err != nil {
		return meeting.AgendaItem{}, err
	}
	if to.ID == from.ID {
		return meeting.AgendaItem{}, domain.FieldErrorf("meeting", "Punkten står redan på det sammanträdets föredragningslista. Välj ett annat sammanträde.")
	}
	if err := MeetingChangeable(to); err != nil {
		return meeting.AgendaItem{}, domain.FieldErrorf("meeting", "%s", domain.ErrorMessage(err))
	}
	if before.CaseID != 0 {
		if _, err := c.agendaCase(ctx, to, before.CaseID); err != nil {
			return meeting.AgendaItem{}, err
		}
	}
	if _, err := c.db.Exec(ctx, `UPDATE agenda_items SET status = ?, moved_to = ?, updated_at = ? WHERE id = ?`,
		string(meeting.AgendaMoved), to.ID, c.db.Now(), before.ID); err != nil {
		return meeting.AgendaItem{}, fmt.Errorf("move agenda item %d: %w", before.ID, err)
	}
	if _, err := c.recordItemChange(ctx, before, "move_to_meeting"); err != nil {
		return meeting.AgendaItem{}, err
	}
	if err := c.kallelseChanged(ctx, from, fmt.Sprintf("Punkten %q flyttades till sammanträdet den %s.", before.Title, to.Date)); err != nil {
		return meeting.AgendaItem{}, err
	}
	if err := c.kallelseChanged(ctx, to, fmt.Sprintf("Punkten %q flyttades hit från sammanträdet den %s.", before.Title, from.Date)); err != nil {
		return meeting.AgendaItem{}, err
	}
	moved := before
	moved.ID, moved.MeetingID, moved.Status, moved.MovedTo = 0, to.ID, meeting.AgendaActive, 0
	created, err := c.insertAgendaItem(ctx, to, moved)
	if err != nil {
		return meeting.AgendaItem{}, err
	}
	if before.CaseID != 0 {
		note := fmt.Sprintf("Flyttat från sammanträdet den %s till sammanträdet den %s.", from.Date, to.Date)
		if err := cases.AddEvent(ctx, c.db, domain.CaseEvent{CaseID: before.CaseID, Kind: domain.CaseEventAgenda, Note: note}); err != nil {
			return meeting.AgendaItem{}, err
		}
	}
	return created, nil
}

// itemChanges says in Swedish what a change to an agenda item changed.
func itemChanges(before, after meeting.AgendaItem) string {
	var what []string
	if before.Title != after.Title {
		what = append(what, "rubriken")
	}
	if before.Description != after.Description {
		what = append(what, "ärendebeskrivningen")
	}
	if before.Proposal != after.Proposal {
		what = append(what, "förslaget till beslut")
	}
	if EncodeRecipients(before.DispatchTo) != EncodeRecipients(after.DispatchTo) {
		what = append(what, "expedieras till")
	}
	list := strings.Join(what, ", ")
	if i := strings.LastIndex(list, ", "); i >= 0 {
		list = list[:i] + " och " + list[i+2:]
	}
	return fmt.Sprintf("I punkten %q ändrades %s.", before.Title, list)
}
