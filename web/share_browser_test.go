package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/web/browsertest"
)

// TestBrowserPartyShare is the party representative's errand: log in with
// two factors, open "Vår andel", see why the party pays what it pays, and
// download an invoice and the annual statement.
func TestBrowserPartyShare(t *testing.T) {
	t.Parallel()
	srv, db := browserServer(t)
	ctx := context.Background()
	cm, err := db.Conn().CommitteeByCode(ctx, demo.CommitteeCode)
	if err != nil {
		t.Fatal(err)
	}
	bracke, err := db.Conn().PartyBySlug(ctx, "bracke")
	if err != nil {
		t.Fatal(err)
	}
	const email = "ekonomichef@bracke.example"
	newUser(t, db, email, domain.RoleGrant{Role: domain.RoleParty, CommitteeID: cm.ID, PartyID: bracke.ID}, false)
	b := browsertest.New(t, srv.URL, browsertest.Desktop)

	// The party enrols two-factor login of its own accord, then logs in with it.
	if got := logIn(b, email, testPassword); got != "/var-andel" {
		t.Fatalf("after login the party user is at %s, want /var-andel", got)
	}
	b.Open("/konto/tvafaktor")
	secret := strings.TrimSpace(b.Text(".secret"))
	b.Fill("#f-code", totp(t, secret, time.Now()))
	b.ClickAndWait("main form button[type=submit]")
	wantHeading(t, b, "Tvåstegsverifiering aktiverad")
	logOut(t, b)
	if got := logIn(b, email, testPassword); !strings.HasPrefix(got, "/logga-in/tvafaktor") {
		t.Fatalf("after the password the enrolled party user is at %s, want the code step", got)
	}
	b.Fill("#f-code", totp(t, secret, time.Now().Add(30*time.Second)))
	b.ClickAndWait("main form button[type=submit]")
	if got := b.Path(); got != "/var-andel" {
		t.Fatalf("after the code the party user is at %s, want /var-andel", got)
	}

	for _, vp := range []browsertest.Viewport{browsertest.Desktop, browsertest.Tablet} {
		b.Resize(vp)
		b.Open("/var-andel?ar=2021")
		wantHeading(t, b, "Vår andel – Bräcke kommun")
		page := strings.ReplaceAll(b.Text("main"), "\u00a0", " ")
		for _, want := range []string{"101 600,00 kr", "lika delar, 1/9", "Fakturor och kreditfakturor 2021"} {
			if !strings.Contains(page, want) {
				t.Errorf("Vår andel 2021 lacks %q", want)
			}
		}
		b.CheckPage("var-andel-2021")
	}
	pdf := b.Download("#invoices-heading ~ .table-wrap a[href$='/pdf']")
	if pdf.Status != 200 || pdf.ContentType != "application/pdf" {
		t.Errorf("the invoice download = %d %s", pdf.Status, pdf.ContentType)
	}
	statement := b.Download("a[href^='/var-andel/arsbesked.pdf']")
	if statement.Status != 200 || statement.ContentType != "application/pdf" {
		t.Errorf("the annual statement download = %d %s", statement.Status, statement.ContentType)
	}
}
