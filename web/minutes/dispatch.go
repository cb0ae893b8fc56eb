package minutes

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/app"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
	"github.com/region-jh/gns/web/meetings"
)

// receiptAccess is who acknowledges receipt of a protokollsutdrag: a
// party representative, for its own party only (checked per dispatch).
var receiptAccess = kit.Roles(domain.RoleParty)

// dispatchRoutes registers expediering: the confirm page and the sending
// (the secretariat's), the party's acknowledgement, and their API.
func (s *Handlers) dispatchRoutes() {
	s.Handle("GET", "/sammantraden/:id/expediera", meetings.Writers, s.dispatchForm)
	s.Handle("POST", "/sammantraden/:id/expediera", meetings.Writers, s.dispatchMinutes)
	s.Handle("POST", "/utdrag/:id/mottagande", receiptAccess, s.acknowledge)
	s.Handle("POST", "/api/v1/meetings/:id/dispatch", meetings.Writers, s.apiDispatch)
	s.Handle("POST", "/api/v1/dispatches/:id/receipt", receiptAccess, s.apiAcknowledge)
}

// dispatchView is the confirm page of an expediering.
type dispatchView struct {
	Committee  domain.Committee
	Meeting    meetings.Line
	MinutesURL string
	Paragraphs []dispatchParagraphView
	Form       *kit.Form
	SendsMail  bool
}

type dispatchParagraphView struct {
	meeting.Paragraph
	Heading, URL string
	Options      []dispatchOptionView
}

type dispatchOptionView struct {
	app.DispatchOption
	// Name and Value are the checkbox's; Checked whether it is ticked.
	Name, Value string
	Checked     bool
	// Pending are the addresses the utdrag will go to; Sent those that have
	// it already.
	Pending, Sent []app.DispatchTarget
}

// justeradFor reads the meeting of an expediering route for its
// secretariat; minutes that are not justerade are refused with a clear
// message.
func (s *Handlers) justeradFor(c *gin.Context) (domain.Committee, meeting.Meeting, error) {
	cm, m, err := s.meetings.MeetingFor(c, meetings.Editors)
	if err == nil && !m.Locked() {
		err = domain.Errorf(domain.ECONFLICT, "Protokollet från sammanträdet den %s är inte justerat. Bara ett justerat protokoll kan expedieras.", m.Date)
	}
	return cm, m, err
}

// dispatchForm shows what an expediering sends to whom, per paragraph,
// with the recipients chosen by default, before anything is sent.
func (s *Handlers) dispatchForm(c *gin.Context) {
	cm, m, err := s.justeradFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderDispatch(c, http.StatusOK, cm, m, nil, kit.EmptyForm())
}

func (s *Handlers) renderDispatch(c *gin.Context, status int, cm domain.Committee, m meeting.Meeting, chosen map[int64][]string, f *kit.Form) {
	plan, err := app.PlanDispatch(c.Request.Context(), s.DB.Conn(), cm, m)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := dispatchView{Committee: cm, Meeting: meetings.LineOf(m), MinutesURL: kit.MinutesURL(m.ID), Form: f, SendsMail: s.DB.SendsMail()}
	for _, dp := range plan.Paragraphs {
		pv := dispatchParagraphView{Paragraph: dp.Paragraph, Heading: lineOfParagraph(dp.Paragraph).Heading, URL: kit.ParagraphURL(dp.Paragraph.ID)}
		picked := map[string]bool{}
		for _, code := range chosen[dp.Paragraph.ID] {
			picked[code] = true
		}
		for _, o := range dp.Options {
			ov := dispatchOptionView{DispatchOption: o, Name: dispatchField(dp.Paragraph.ID), Value: o.Code, Pending: o.Pending()}
			for _, t := range o.Targets {
				if t.Sent != nil {
					ov.Sent = append(ov.Sent, t)
				}
			}
			ov.Checked = o.Default
			if chosen != nil {
				ov.Checked = picked[o.Code]
			}
			pv.Options = append(pv.Options, ov)
		}
		v.Paragraphs = append(v.Paragraphs, pv)
	}
	s.Render(c, status, "minutes_dispatch", "Expediera protokollet "+m.Date.String()+" – "+cm.Code, v)
}

// dispatchField is the name of a paragraph's recipient checkboxes.
func dispatchField(paragraphID int64) string {
	return "mottagare_" + strconv.FormatInt(paragraphID, 10)
}

// chosenOf reads the ticked recipients of each paragraph from the form.
func chosenOf(c *gin.Context) map[int64][]string {
	chosen := map[int64][]string{}
	if err := c.Request.ParseForm(); err != nil {
		return chosen
	}
	for key, values := range c.Request.PostForm {
		rest, ok := strings.CutPrefix(key, "mottagare_")
		if !ok {
			continue
		}
		id, err := strconv.ParseInt(rest, 10, 64)
		if err != nil || id < 1 {
			continue
		}
		chosen[id] = append(chosen[id], values...)
	}
	return chosen
}

type dispatchInput struct {
	Confirm string `form:"confirm"`
}

// dispatchMinutes sends the chosen protokollsutdrag, after the confirm
// page, in one transaction.
func (s *Handlers) dispatchMinutes(c *gin.Context) {
	cm, m, err := s.justeradFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in dispatchInput
	f := kit.Bind(c, &in)
	chosen := chosenOf(c)
	var res app.DispatchResult
	send := func(tx *store.Conn) error {
		var err error
		res, err = app.Expedite(c.Request.Context(), tx, cm, m, chosen, s.BaseURL)
		return err
	}
	if !s.Submit(c, f, send, func(status int) { s.renderDispatch(c, status, cm, m, chosen, f) }) {
		return
	}
	s.Redirect(c, kit.MinutesURL(m.ID)+"#expediering", s.dispatchNotice(res))
}

// dispatchNotice says what an expediering did.
func (s *Handlers) dispatchNotice(res app.DispatchResult) string {
	msg := fmt.Sprintf("%d protokollsutdrag expedierades.", len(res.Sent))
	if len(res.Sent) > 0 {
		msg += " " + s.MailNotice(len(res.Sent), "mottagarna")
	}
	if res.Already > 0 {
		msg += fmt.Sprintf(" %d mottagare hade redan fått sitt utdrag och fick det inte igen.", res.Already)
	}
	return msg
}

// dispatchRequestJSON is the body of POST /api/v1/meetings/{id}/dispatch:
// the recipients per paragraph, or none for every paragraph's defaults.
type dispatchRequestJSON struct {
	Paragraphs []struct {
		ParagraphID int64    `json:"paragraph_id"`
		Recipients  []string `json:"recipients"`
	} `json:"paragraphs"`
}

// dispatchJSON is one dispatch as the API shows it.
type dispatchJSON struct {
	ID          int64         `json:"id"`
	ParagraphID int64         `json:"paragraph_id"`
	Recipient   string        `json:"recipient"`
	PartyID     int64         `json:"party_id,omitempty"`
	UserID      int64         `json:"user_id,omitempty"`
	To          string        `json:"to"`
	SentAt      time.Time     `json:"sent_at"`
	SentBy      string        `json:"sent_by"`
	MailID      int64         `json:"mail_id"`
	MailStatus  string        `json:"mail_status"`
	Receipt     *receiptJSON  `json:"receipt"`
	History     []receiptJSON `json:"receipt_history"`
}

type receiptJSON struct {
	RegistryNumber string    `json:"registry_number"`
	ReceivedAt     time.Time `json:"received_at"`
	ReceivedBy     string    `json:"received_by"`
}

func toDispatchJSON(d meeting.Dispatch) dispatchJSON {
	out := dispatchJSON{ID: d.ID, ParagraphID: d.ParagraphID, Recipient: d.Label, PartyID: d.PartyID, UserID: d.UserID, To: d.ToEmail,
		SentAt: d.SentAt, SentBy: d.SentName, MailID: d.MailID, MailStatus: string(d.MailStatus), History: []receiptJSON{}}
	for _, r := range d.Receipts {
		out.History = append(out.History, receiptJSON{RegistryNumber: r.RegistryNumber, ReceivedAt: r.At, ReceivedBy: r.ByName})
	}
	if len(out.History) > 0 {
		last := out.History[len(out.History)-1]
		out.Receipt = &last
	}
	return out
}

// apiDispatch answers POST /api/v1/meetings/{id}/dispatch: expediera the
// justerat protokoll, as the confirm page does.
func (s *Handlers) apiDispatch(c *gin.Context) {
	cm, m, err := s.justeradFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var body dispatchRequestJSON
	if err := kit.ReadJSON(c, &body, true); err != nil {
		s.Fail(c, err)
		return
	}
	var chosen map[int64][]string
	if body.Paragraphs != nil {
		chosen = map[int64][]string{}
		for _, p := range body.Paragraphs {
			chosen[p.ParagraphID] = append(chosen[p.ParagraphID], p.Recipients...)
		}
	}
	var res app.DispatchResult
	err = s.InTx(c, func(tx *store.Conn) error {
		var err error
		res, err = app.Expedite(c.Request.Context(), tx, cm, m, chosen, s.BaseURL)
		return err
	})
	if err != nil {
		s.Fail(c, err)
		return
	}
	sent := make([]dispatchJSON, len(res.Sent))
	for i, d := range res.Sent {
		d.MailStatus = domain.MailKept
		if s.DB.SendsMail() {
			d.MailStatus = domain.MailQueued
		}
		sent[i] = toDispatchJSON(d)
	}
	c.JSON(http.StatusOK, gin.H{"meeting_id": m.ID, "sent": sent, "already_sent": res.Already, "mails_sent": s.DB.SendsMail()})
}

// dispatchForParty reads the dispatch of a receipt route for a party
// representative of its party; any other user gets "not found", as a
// party sees only its own.
func (s *Handlers) dispatchForParty(c *gin.Context) (meeting.Dispatch, meeting.Paragraph, error) {
	ctx := c.Request.Context()
	notFound := domain.Errorf(domain.ENOTFOUND, "Utskicket finns inte.")
	id, err := kit.PathID(c, "id")
	if err != nil {
		return meeting.Dispatch{}, meeting.Paragraph{}, notFound
	}
	conn := s.DB.Conn()
	d, err := conn.DispatchByID(ctx, id)
	if err != nil {
		return d, meeting.Paragraph{}, err
	}
	p, err := conn.ParagraphByID(ctx, d.ParagraphID)
	if err != nil {
		return d, p, err
	}
	if !meeting.MayAcknowledge(*kit.CurrentUser(c), p.CommitteeID, d) {
		return d, p, notFound
	}
	return d, p, nil
}

type receiptInput struct {
	RegistryNumber string `form:"registry_number" json:"registry_number"`
}

// acknowledge records, for a party representative, that the party received
// a protokollsutdrag and under which number its diarium has it.
func (s *Handlers) acknowledge(c *gin.Context) {
	d, p, err := s.dispatchForParty(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in receiptInput
	f := kit.Bind(c, &in)
	var r meeting.Receipt
	save := func(tx *store.Conn) error {
		var err error
		r, err = tx.RecordReceipt(c.Request.Context(), d.ID, in.RegistryNumber, *kit.CurrentUser(c))
		return err
	}
	if !s.Submit(c, f, save, func(status int) { s.renderParagraphWith(c, status, p, f) }) {
		return
	}
	s.Redirect(c, kit.ParagraphURL(p.ID)+"#mottagande", "Mottagandet är bekräftat med diarienummer "+r.RegistryNumber+".")
}

// apiAcknowledge answers POST /api/v1/dispatches/{id}/receipt.
func (s *Handlers) apiAcknowledge(c *gin.Context) {
	d, _, err := s.dispatchForParty(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var body receiptInput
	if err := kit.ReadJSON(c, &body, false); err != nil {
		s.Fail(c, err)
		return
	}
	err = s.InTx(c, func(tx *store.Conn) error {
		_, err := tx.RecordReceipt(c.Request.Context(), d.ID, body.RegistryNumber, *kit.CurrentUser(c))
		if err == nil {
			d, err = tx.DispatchByID(c.Request.Context(), d.ID)
		}
		return err
	})
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toDispatchJSON(d))
}

// dispatchRow is one recipient of a paragraph as its page shows it: sent
// or not, received or not.
type dispatchRow struct {
	Label, To string
	Dispatch  *meeting.Dispatch
	Receipt   meeting.Receipt
	Received  bool
	// History are the earlier receipts (corrected diarienummer).
	History []meeting.Receipt
	// Form is the party representative's acknowledgement form.
	Form   *kit.Form
	Action string
	Party  bool
}

// dispatchRowsOf lists the recipients of paragraph p for u: those chosen
// by default and those sent to; a party representative sees its own
// party's only.
func dispatchRowsOf(u *domain.User, cm domain.Committee, plan app.DispatchPlan, p meeting.Paragraph, f *kit.Form) []dispatchRow {
	var rows []dispatchRow
	for _, dp := range plan.Paragraphs {
		if dp.Paragraph.ID != p.ID {
			continue
		}
		for _, o := range dp.Options {
			for _, t := range o.Targets {
				if !o.Default && t.Sent == nil {
					continue
				}
				if u.PartyOnly() && (t.PartyID == 0 || !meeting.MayAcknowledge(*u, cm.ID, meeting.Dispatch{PartyID: t.PartyID})) {
					continue
				}
				row := dispatchRow{Label: o.Label, To: t.Email, Dispatch: t.Sent, Party: t.PartyID != 0}
				if o.Targets[0].UserID != 0 {
					row.Label = o.Label + ": " + t.Name
				}
				if t.Sent != nil {
					row.Receipt, row.Received = t.Sent.Received()
					if row.Received {
						row.History = t.Sent.Receipts[:len(t.Sent.Receipts)-1]
					}
					if meeting.MayAcknowledge(*u, cm.ID, *t.Sent) {
						row.Action = "/utdrag/" + strconv.FormatInt(t.Sent.ID, 10) + "/mottagande"
						row.Form = f
						if row.Form == nil {
							row.Form = kit.FormOf(receiptInput{RegistryNumber: row.Receipt.RegistryNumber})
						}
					}
				}
				rows = append(rows, row)
			}
		}
	}
	return rows
}

// renderParagraphWith shows paragraph p's page again with the receipt form
// f and its errors.
func (s *Handlers) renderParagraphWith(c *gin.Context, status int, p meeting.Paragraph, f *kit.Form) {
	ctx := c.Request.Context()
	m, err := s.DB.Conn().MeetingByID(ctx, p.MeetingID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	cm, err := s.DB.Conn().CommitteeByID(ctx, m.CommitteeID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	_, a, err := s.readableMinutes(ctx, kit.CurrentUser(c), cm, m)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderParagraph(c, status, cm, m, p, a, paragraphForms{Receipt: f})
}
