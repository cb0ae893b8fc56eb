package minutes

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/app"
	"github.com/region-jh/gns/reports/kallelse"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
	"github.com/region-jh/gns/web/meetings"
)

// readyRoutes registers the secretariat's "the minutes are ready": the
// justerare are told by mail, once.
func (s *Handlers) readyRoutes() {
	s.Handle("GET", "/sammantraden/:id/klart-att-justera", meetings.Writers, s.confirmReady)
	s.Handle("POST", "/sammantraden/:id/klart-att-justera", meetings.Writers, s.minutesReady)
}

// confirmReady asks before the justerare are told, warning of agenda items
// not yet protokollförda.
func (s *Handlers) confirmReady(c *gin.Context) {
	_, m, err := s.openMinutesFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	paragraphs, err := s.DB.Conn().MeetingParagraphs(ctx, m.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	unrecorded, err := s.unrecordedItems(ctx, m, paragraphs)
	if err != nil {
		s.Fail(c, err)
		return
	}
	text := "Justerarna får ett brev om att protokollet är klart att justera, med länken till justeringen. Brevet går en gång."
	if len(unrecorded) > 0 {
		text += fmt.Sprintf(" Obs: %d punkter på föredragningslistan har ingen paragraf ännu.", len(unrecorded))
	}
	p := kit.ConfirmPage{Action: c.Request.URL.Path, Back: kit.MinutesURL(m.ID) + "#justering",
		Heading: "Meddela justerarna att protokollet från " + kallelse.DayInText(m.Date) + " är klart?",
		Text:    text, Button: "Meddela justerarna"}
	s.Render(c, http.StatusOK, "confirm", p.Heading, p)
}

// minutesReady tells the justerare that the minutes are ready.
func (s *Handlers) minutesReady(c *gin.Context) {
	cm, m, err := s.openMinutesFor(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	var msg string
	err = s.InTx(c, func(tx *store.Conn) error {
		n, err := app.MinutesReadyMails(ctx, tx, cm, m, s.BaseURL)
		msg = "Justerarna har fått besked om att protokollet är klart. " + s.MailNotice(n, "justerarna")
		return err
	})
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Redirect(c, kit.MinutesURL(m.ID)+"#justering", msg)
}
