package web

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/browsertest"
	"github.com/region-jh/gns/web/kit"
)

// waitForText polls an element's text until it holds want, for up to ten
// seconds (the tally reloads every two).
func waitForText(t *testing.T, b *browsertest.Browser, css, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := ""
		if b.Has(css) {
			got = b.Text(css)
		}
		if strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %s says %q, want %q", b.Path(), css, got, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestBrowserLiveVote is the meeting as it happens in four browsers: the
// secretariat on a laptop opens a vote from the run page; three members
// (the demo voters) on phones reach it from their start page and vote, one
// changing the vote; the secretariat's counts follow without a page reload;
// closing (after its confirm step) writes the votering into the paragraph.
// Each page is checked for console errors, WCAG 2.1 AA and width.
func TestBrowserLiveVote(t *testing.T) {
	t.Parallel()
	srv, db := browserServer(t)
	w := newLiveWorld(t, db)
	runPath := kit.MeetingURL(w.m.ID) + "/genomfor"

	sec := browsertest.New(t, srv.URL, browsertest.Laptop)
	logIn(sec, "sekretariat@demo.gns.example", "Storsjon-2026-demo")
	sec.Open(runPath)
	wantHeading(t, sec, "Genomför sammanträdet "+strings.TrimPrefix(sec.Text("main h1"), "Genomför sammanträdet "))
	sec.CheckPage("live-run")
	pid := strconv.FormatInt(w.p.ID, 10)
	sec.Click("#p-" + pid + " details.run-action summary")
	sec.ClickAndWait("#p-" + pid + " form[action$='/voteringar'] button[type=submit]")
	if !strings.HasPrefix(sec.Path(), "/voteringar/") {
		t.Fatalf("opening the vote led to %s", sec.Path())
	}
	votePath := sec.Path()
	ballotPath := "/rosta/" + strings.TrimPrefix(votePath, "/voteringar/")
	waitForText(t, sec, "#cast", "0 av 9 tjänstgörande har röstat")
	sec.CheckPage("live-vote-open")
	sec.Exec(nil, `window.gnsNoReload = true`) // gone if the page reloads

	voters := []struct{ email, choice, label string }{
		{"robert.hamberg@demo.gns.example", "ja", "Ja"},
		{"susanne.hansson@demo.gns.example", "nej", "Nej"},
		{"bjorn.hammarberg@demo.gns.example", "ja", "Ja"},
	}
	phones := make([]*browsertest.Browser, len(voters))
	for i, v := range voters {
		b := browsertest.New(t, srv.URL, browsertest.Phone)
		b.Resize(browsertest.Phone)
		phones[i] = b
		logIn(b, v.email, "Storsjon-2026-demo")
		b.Open("/")
		b.ClickAndWait("a[href='" + ballotPath + "']")
		wantHeading(t, b, "Votering i "+w.p.Ref())
		if i == 0 {
			b.CheckPage("live-ballot-phone")
		}
		b.ClickAndWait("form.ballot button[value='" + v.choice + "']")
		if got := b.Text("main .notice"); !strings.Contains(got, "Din röst: "+v.label) {
			t.Errorf("%s: after voting the page says %q", v.email, got)
		}
		if i == 0 {
			b.CheckPage("live-ballot-cast-phone")
		}
	}
	// Susanne changes her vote while it is open.
	phones[1].ClickAndWait("form.ballot button[value='avstar']")
	if got := phones[1].Text("main .notice"); !strings.Contains(got, "Din röst: Avstår") {
		t.Errorf("the changed vote shows %q", got)
	}
	phones[2].Open("/rosta")
	phones[2].CheckPage("live-votes-phone")

	// The secretariat's counts follow without a reload.
	waitForText(t, sec, "#cast", "3 av 9 tjänstgörande har röstat")
	waitForText(t, sec, "#count-ja", "2")
	waitForText(t, sec, "#count-avstar", "1")
	var kept bool
	sec.Exec(&kept, `return window.gnsNoReload === true`)
	if !kept {
		t.Error("the vote page reloaded to show the counts")
	}

	// The others serving vote aloud; the secretariat records them (through
	// the store here, the form is tested over HTTP).
	ctx := domain.WithActor(context.Background(), domain.Actor{Label: "test"})
	voteID, _ := strconv.ParseInt(strings.TrimPrefix(votePath, "/voteringar/"), 10, 64)
	err := db.InTx(ctx, func(c *store.Conn) error {
		for _, name := range w.serving[3:] {
			if err := c.CastBallot(ctx, voteID, w.members[name].ID, meeting.VoteNo); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	waitForText(t, sec, "#cast", "9 av 9 tjänstgörande har röstat")
	sec.ClickAndWait("main a[href='" + votePath + "/avsluta']")
	wantHeading(t, sec, "Avsluta voteringen i "+w.p.Ref()+"?")
	sec.ClickAndWait("main form button[type=submit]")
	if sec.Path() != kit.ParagraphURL(w.p.ID) {
		t.Fatalf("closing led to %s", sec.Path())
	}
	if got := sec.Text("main"); !strings.Contains(got, "Resultat: 2 ja, 6 nej, 1 avstår") {
		t.Errorf("the paragraph does not hold the votering:\n%s", got)
	}
	sec.CheckPage("live-vote-closed-paragraph")

	// A member's page now says the vote is over.
	phones[0].Open(ballotPath)
	if got := phones[0].Text("main .notice"); !strings.Contains(got, "Voteringen är avslutad. Resultat: 2 ja, 6 nej, 1 avstår. Du röstade: Ja.") {
		t.Errorf("after closing the member's page says %q", got)
	}
}
