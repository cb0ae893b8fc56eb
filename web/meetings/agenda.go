package meetings

import (
	"context"
	"net/http"
	"sort"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/kallelse"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

// agendaRoutes registers the changes to a meeting's föredragningslista: add
// an item, edit it, move it up or down, withdraw it or move it to another
// meeting.
func (s *Handlers) agendaRoutes() {
	s.Handle("POST", "/sammantraden/:id/punkter", Writers, s.addAgendaItem)
	s.Handle("GET", "/sammantraden/:id/punkter/:item/andra", Writers, s.editItemForm)
	s.Handle("POST", "/sammantraden/:id/punkter/:item/andra", Writers, s.editItem)
	s.Handle("POST", "/sammantraden/:id/punkter/:item/upp", Writers, s.moveItem(true))
	s.Handle("POST", "/sammantraden/:id/punkter/:item/ned", Writers, s.moveItem(false))
	s.Handle("GET", "/sammantraden/:id/punkter/:item/aterta", Writers, s.confirmWithdrawItem)
	s.Handle("POST", "/sammantraden/:id/punkter/:item/aterta", Writers, s.withdrawItem)
	s.Handle("GET", "/sammantraden/:id/punkter/:item/flytta", Writers, s.moveItemForm)
	s.Handle("POST", "/sammantraden/:id/punkter/:item/flytta", Writers, s.moveItemToMeeting)
}

// itemInput is the form that adds an item to the föredragningslista or
// changes one. The recipients are typed one a line
// (meeting.ParseRecipientList).
type itemInput struct {
	Case        string `form:"case"`
	Title       string `form:"title"`
	Description string `form:"description"`
	Proposal    string `form:"proposal"`
	DispatchTo  string `form:"dispatch_to"`
}

// agendaCandidates lists the committee's open cases that are not on the
// meeting's list yet, newest number first: the cases an item can be added
// for.
func (s *Handlers) agendaCandidates(ctx context.Context, cm domain.Committee, lines []agendaLine) ([]domain.Case, error) {
	onList := map[int64]bool{}
	for _, l := range lines {
		if l.Status == meeting.AgendaActive && l.CaseID != 0 {
			onList[l.CaseID] = true
		}
	}
	var out []domain.Case
	for _, st := range domain.OpenCaseStatuses {
		page, err := s.DB.Conn().ListCases(ctx, domain.CaseFilter{CommitteeID: cm.ID, Status: st, Limit: domain.MaxCasePage})
		if err != nil {
			return nil, err
		}
		for _, k := range page.Cases {
			if !onList[k.ID] {
				out = append(out, k)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Number, out[j].Number
		return a.Year > b.Year || a.Year == b.Year && a.Seq > b.Seq
	})
	return out, nil
}

// item reads the item form of a meeting of cm; the store checks the rest.
func (s *Handlers) item(ctx context.Context, cm domain.Committee, in itemInput) (meeting.AgendaItem, error) {
	it := meeting.AgendaItem{Kind: meeting.AgendaOther, Title: in.Title, Description: in.Description, Proposal: in.Proposal}
	id, err := kit.ParseID("case", in.Case, "Välj ärendet i listan.")
	if err != nil {
		return it, err
	}
	if id != 0 {
		it.Kind, it.CaseID = meeting.AgendaCase, id
	}
	parties, err := s.CommitteeParties(ctx, cm)
	if err != nil {
		return it, err
	}
	it.DispatchTo, err = meeting.ParseRecipientList("dispatch_to", in.DispatchTo, parties)
	return it, err
}

// CommitteeParties returns the committee's parties, in its order.
func (s *Handlers) CommitteeParties(ctx context.Context, cm domain.Committee) ([]domain.Party, error) {
	mps, err := s.DB.Conn().CommitteeParties(ctx, cm.ID)
	if err != nil {
		return nil, err
	}
	out := make([]domain.Party, len(mps))
	for i, p := range mps {
		out[i] = p.Party
	}
	return out, nil
}

// addAgendaItem puts a case (or another item) last on the list, from the
// form on the meeting page.
func (s *Handlers) addAgendaItem(c *gin.Context) {
	cm, m, err := s.changeableMeetingFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	var in itemInput
	f := kit.Bind(c, &in)
	it, err := s.item(ctx, cm, in)
	f.Fail(err)
	add := func(tx *store.Conn) error {
		var err error
		it, err = tx.AddAgendaItem(ctx, m.ID, it)
		return err
	}
	if !s.Submit(c, f, add, func(status int) { s.renderMeeting(c, status, cm, m, f) }) {
		return
	}
	s.Redirect(c, kit.MeetingURL(m.ID)+"#punkt-"+strconv.Itoa(it.Position), "Punkt "+strconv.Itoa(it.Position)+" "+it.Title+" är tillagd på föredragningslistan.")
}

// itemFor reads the :item of an agenda route: an item of the meeting,
// which the secretariat changes.
func (s *Handlers) itemFor(c *gin.Context) (domain.Committee, meeting.Meeting, meeting.AgendaItem, error) {
	cm, m, err := s.MeetingFor(c, Editors)
	if err != nil {
		return cm, m, meeting.AgendaItem{}, err
	}
	id, err := strconv.ParseInt(c.Param("item"), 10, 64)
	var it meeting.AgendaItem
	if err == nil {
		it, err = s.DB.Conn().AgendaItemByID(c.Request.Context(), id)
	}
	if err != nil || it.MeetingID != m.ID {
		return cm, m, it, domain.Errorf(domain.ENOTFOUND, "Punkten finns inte på föredragningslistan.")
	}
	return cm, m, it, nil
}

// changeableItemFor is itemFor for a form that changes the item: the
// meeting and the item must both still change (itemChangeable).
func (s *Handlers) changeableItemFor(c *gin.Context) (domain.Committee, meeting.Meeting, meeting.AgendaItem, error) {
	cm, m, it, err := s.itemFor(c)
	if err == nil {
		err = itemChangeable(m, it)
	}
	return cm, m, it, err
}

// itemFormView is the form that edits an item.
type itemFormView struct {
	Committee domain.Committee
	Meeting   Line
	Item      meeting.AgendaItem
	Form      *kit.Form
	Standing  bool
}

func (s *Handlers) renderItemForm(c *gin.Context, status int, cm domain.Committee, m meeting.Meeting, it meeting.AgendaItem, f *kit.Form) {
	v := itemFormView{Committee: cm, Meeting: LineOf(m), Item: it, Form: f,
		Standing: it.Kind == meeting.AgendaStanding || it.Kind == meeting.AgendaJusterare}
	s.Render(c, status, "meeting", "Ändra punkt "+strconv.Itoa(it.Position)+" – "+it.Title, meetingView{EditItem: &v})
}

// editItemForm shows an item's texts to change.
func (s *Handlers) editItemForm(c *gin.Context) {
	cm, m, it, err := s.changeableItemFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	parties, err := s.CommitteeParties(c.Request.Context(), cm)
	if err != nil {
		s.Fail(c, err)
		return
	}
	in := itemInput{Title: it.Title, Description: it.Description, Proposal: it.Proposal, DispatchTo: meeting.FormatRecipientList(it.DispatchTo, parties)}
	s.renderItemForm(c, http.StatusOK, cm, m, it, kit.FormOf(in))
}

// itemChangeable refuses to show a form for an item that cannot change.
func itemChangeable(m meeting.Meeting, it meeting.AgendaItem) error {
	if err := store.MeetingChangeable(m); err != nil {
		return err
	}
	if it.Status != meeting.AgendaActive {
		return domain.Errorf(domain.ECONFLICT, "Punkten %q är %s och kan inte ändras.", it.Title, itemStatusWord(it.Status))
	}
	return nil
}

func itemStatusWord(st meeting.AgendaItemStatus) string {
	if st == meeting.AgendaMoved {
		return "flyttad"
	}
	return "återtagen"
}

// editItem saves an item's texts.
func (s *Handlers) editItem(c *gin.Context) {
	cm, m, it, err := s.changeableItemFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	var in itemInput
	f := kit.Bind(c, &in)
	changed, err := s.item(ctx, cm, in)
	f.Fail(err)
	changed.ID = it.ID
	update := func(tx *store.Conn) error { _, err := tx.UpdateAgendaItem(ctx, changed); return err }
	if !s.Submit(c, f, update, func(status int) { s.renderItemForm(c, status, cm, m, it, f) }) {
		return
	}
	s.Redirect(c, kit.MeetingURL(m.ID)+"#punkt-"+strconv.Itoa(it.Position), "Punkt "+strconv.Itoa(it.Position)+" är sparad.")
}

// moveItem moves an item one place up or down the list.
func (s *Handlers) moveItem(up bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		_, m, it, err := s.itemFor(c)
		if err != nil {
			s.Fail(c, err)
			return
		}
		if err := s.InTx(c, func(tx *store.Conn) error { return tx.MoveAgendaItem(c.Request.Context(), it.ID, up) }); err != nil {
			s.Fail(c, err)
			return
		}
		pos := it.Position + 1
		if up {
			pos = it.Position - 1
		}
		s.Redirect(c, kit.MeetingURL(m.ID)+"#punkt-"+strconv.Itoa(pos), it.Title+" är nu punkt "+strconv.Itoa(pos)+".")
	}
}

// confirmWithdrawItem asks before an item is withdrawn.
func (s *Handlers) confirmWithdrawItem(c *gin.Context) {
	_, m, it, err := s.changeableItemFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	heading := "Återta punkt " + strconv.Itoa(it.Position) + " " + it.Title + "?"
	s.Render(c, http.StatusOK, "confirm", heading, kit.ConfirmPage{
		Heading: heading,
		Text:    "Punkten står kvar på föredragningslistan, överstruken och markerad ”utgår”. Ett ärende som inte står på någon annan föredragningslista går tillbaka till status under beredning.",
		Action:  c.Request.URL.Path, Button: "Återta punkten", Back: kit.MeetingURL(m.ID),
	})
}

// withdrawItem withdraws an item after the confirm step.
func (s *Handlers) withdrawItem(c *gin.Context) {
	_, m, it, err := s.itemFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if err := s.InTx(c, func(tx *store.Conn) error { _, err := tx.WithdrawAgendaItem(c.Request.Context(), it.ID); return err }); err != nil {
		s.Fail(c, err)
		return
	}
	s.Redirect(c, kit.MeetingURL(m.ID)+"#punkt-"+strconv.Itoa(it.Position), "Punkt "+strconv.Itoa(it.Position)+" "+it.Title+" är återtagen.")
}

// moveInput is the form that moves an item to another meeting.
type moveInput struct {
	Meeting string `form:"meeting"`
}

// moveItemView is the form that moves an item to another meeting.
type moveItemView struct {
	Committee domain.Committee
	Meeting   Line
	Item      meeting.AgendaItem
	Meetings  []Line
	Form      *kit.Form
}

// moveTargets are the meetings an item can move to: the committee's
// meetings from today on that are neither cancelled nor approved, other than
// the item's own.
func (s *Handlers) moveTargets(ctx context.Context, cm domain.Committee, m meeting.Meeting) ([]Line, error) {
	from := s.Today()
	if m.Date.Before(from) {
		from = m.Date
	}
	list, err := s.DB.Conn().MeetingsFrom(ctx, cm.ID, from)
	if err != nil {
		return nil, err
	}
	var out []Line
	for _, x := range list {
		if x.ID != m.ID && store.MeetingChangeable(x) == nil {
			out = append(out, LineOf(x))
		}
	}
	return out, nil
}

func (s *Handlers) renderMoveItem(c *gin.Context, status int, cm domain.Committee, m meeting.Meeting, it meeting.AgendaItem, f *kit.Form) {
	targets, err := s.moveTargets(c.Request.Context(), cm, m)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, status, "meeting_move", "Flytta punkt "+strconv.Itoa(it.Position)+" – "+it.Title,
		moveItemView{Committee: cm, Meeting: LineOf(m), Item: it, Meetings: targets, Form: f})
}

// moveItemForm asks which meeting an item moves to.
func (s *Handlers) moveItemForm(c *gin.Context) {
	cm, m, it, err := s.changeableItemFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderMoveItem(c, http.StatusOK, cm, m, it, kit.EmptyForm())
}

// moveItemToMeeting moves an item to the meeting chosen.
func (s *Handlers) moveItemToMeeting(c *gin.Context) {
	cm, m, it, err := s.changeableItemFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in moveInput
	f := kit.Bind(c, &in)
	to, err := kit.ParseID("meeting", in.Meeting, "Välj sammanträdet i listan.")
	if err == nil && to == 0 {
		err = domain.FieldErrorf("meeting", "Välj sammanträdet som punkten ska flyttas till.")
	}
	f.Fail(err)
	var moved meeting.AgendaItem
	move := func(tx *store.Conn) error {
		var err error
		moved, err = tx.MoveAgendaItemToMeeting(c.Request.Context(), it.ID, to)
		return err
	}
	rerender := func(status int) {
		if msg, ok := f.Errors["case"]; ok {
			f.Errors["meeting"] = msg
			delete(f.Errors, "case")
		}
		s.renderMoveItem(c, status, cm, m, it, f)
	}
	if !s.Submit(c, f, move, rerender) {
		return
	}
	target, err := s.DB.Conn().MeetingByID(c.Request.Context(), moved.MeetingID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Redirect(c, kit.MeetingURL(m.ID)+"#punkt-"+strconv.Itoa(it.Position),
		it.Title+" är flyttad till sammanträdet "+kallelse.DayInText(target.Date)+", punkt "+strconv.Itoa(moved.Position)+".")
}
