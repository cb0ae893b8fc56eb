package web

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/web/browsertest"
	"github.com/region-jh/gns/web/kit"
)

// The sizes the pages are tried at: a common laptop and a phone.
var (
	laptop = browsertest.Laptop
	phone  = browsertest.Phone
)

// waitFor polls the page until script returns true, or fails after a few
// seconds.
func waitFor(t *testing.T, b *browsertest.Browser, what, script string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; {
		var ok bool
		b.Exec(&ok, script)
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still not so after 5 s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestBrowserTypedWorkSurvivesSessionEnd tries, at laptop and phone size,
// what the secretariat meets: the warning before the session ends (and
// "Fortsätt vara inloggad" taking it away), then a long note typed into the
// meeting form and sent after the session has ended: the login page says
// why, and after logging in the form is back with the text in it, not yet
// saved.
func TestBrowserTypedWorkSurvivesSessionEnd(t *testing.T) {
	t.Parallel()
	srv, db := browserServer(t)
	cm, err := db.Conn().CommitteeByCode(context.Background(), demo.CommitteeCode)
	if err != nil {
		t.Fatal(err)
	}
	list, err := db.Conn().Meetings(context.Background(), cm.ID, 2021)
	if err != nil || len(list) == 0 {
		t.Fatalf("2021 meetings: %v", err)
	}
	form := "/sammantraden/" + strconv.FormatInt(list[0].ID, 10) + "/andra"
	var offset time.Duration
	for _, vp := range []browsertest.Viewport{laptop, phone} {
		b := browsertest.New(t, srv.URL, vp)
		if got := logIn(b, "sekretariat@demo.gns.example", demo.Password); got != "/" {
			t.Fatalf("after logging in the browser is at %s", got)
		}
		b.Open(form)
		note := "Sammanträdet inleds med en genomgång av årsbokslutet (" + vp.Name + ").\n\nDärefter informerar regiondirektören."
		b.Fill("#f-notes", note)

		// The warning, made to come at once: the page is told the session
		// ends in 301 seconds.
		b.Exec(nil, "document.body.setAttribute('data-session-idle', '301'); GNS.restartSessionTimer();")
		waitFor(t, b, "the session warning", "return !!document.querySelector('.session-warning button')")
		if got := b.Text(".session-warning"); !strings.Contains(got, "Du loggas ut om fem minuter") {
			t.Errorf("warning = %q", got)
		}
		b.CheckAxe()
		b.Screenshot("session-warning")
		b.Click(".session-warning button")
		waitFor(t, b, "the warning gone after Fortsätt", "return !document.querySelector('.session-warning')")
		b.Exec(nil, "document.body.setAttribute('data-session-idle', '3600'); GNS.restartSessionTimer();")

		// The session ends; the form is sent.
		offset += kit.SessionIdle + time.Minute
		o := offset
		db.SetClock(func() time.Time { return time.Now().Add(o) })
		b.ClickAndWait("main form button[type=submit]")
		if got := b.Path(); !strings.HasPrefix(got, "/logga-in?till=") {
			t.Fatalf("after sending the form with the session ended the browser is at %s", got)
		}
		if got := b.Text(".flash"); !strings.Contains(got, "Sessionen hade gått ut när formuläret skickades") {
			t.Errorf("the login page says %q", got)
		}
		b.CheckPage("login-after-session-end")
		b.Fill("#f-email", "sekretariat@demo.gns.example")
		b.Fill("#f-password", demo.Password)
		b.ClickAndWait("main form button[type=submit]")
		if got := b.Path(); got != form {
			t.Fatalf("after logging in again the browser is at %s, want the form %s", got, form)
		}
		var got string
		b.Exec(&got, "return document.getElementById('f-notes').value")
		if got != note {
			t.Errorf("the note after logging in again = %q, want %q", got, note)
		}
		if !strings.Contains(b.Text("#draft-notice"), "Det du skrev innan sessionen gick ut är ifyllt igen") {
			t.Error("the form does not say the text is back")
		}
		b.CheckConsole()
		b.CheckAxe()
		b.Screenshot("form-restored-after-login")
		if m, _ := db.Conn().MeetingByID(context.Background(), list[0].ID); m.Notes == note {
			t.Error("the draft was saved without being sent")
		}

		// The attendance form as a compact table, at this size.
		b.Open("/sammantraden/" + strconv.FormatInt(list[0].ID, 10) + "/narvaro")
		if !b.Has("table.attendance-table input[type=checkbox]") {
			t.Error("the attendance form is not a table")
		}
		var height float64
		b.Exec(&height, "return document.querySelector('table.attendance-table').getBoundingClientRect().height")
		if height > 1500 {
			t.Errorf("the attendance table is %.0f px tall", height)
		}
		b.CheckPage("attendance-form")
	}
}
