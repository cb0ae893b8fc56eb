package web

import (
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/web/browsertest"
)

// fieldState is what the page says about one field of a form: its error
// message, how the input is marked, and which field has the focus.
type fieldState struct {
	Error       string `json:"error"`
	Invalid     string `json:"invalid"`
	DescribedBy string `json:"describedBy"`
	Value       string `json:"value"`
	Errors      int    `json:"errors"`
	Focused     string `json:"focused"`
	Status      string `json:"status"`
}

// readField reads the state of the field named name, in the page as it is
// now (htmx replaces the field's elements, so no element is kept between
// calls).
func readField(b *browsertest.Browser, name string) fieldState {
	var s fieldState
	b.Exec(&s, `var n = arguments[0], i = document.getElementById('f-' + n), e = document.getElementById('f-' + n + '-error'),
		st = document.getElementById('party-form-status'), a = document.activeElement;
	return {error: e ? e.innerText : '', invalid: i.getAttribute('aria-invalid') || '', describedBy: i.getAttribute('aria-describedby') || '',
		value: i.value, errors: document.querySelectorAll('p.error').length, focused: a ? a.id : '', status: st ? st.innerText : ''}`, name)
	return s
}

// waitForField polls the field named name until ok holds, failing the test
// after five seconds.
func waitForField(t *testing.T, b *browsertest.Browser, name, what string, ok func(fieldState) bool) fieldState {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		s := readField(b, name)
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 5 s field %s is not %s: %+v", name, what, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// retype replaces what the field matching css holds by typing over it, as a
// person does. (Fill's clear would leave the field, which sends a changed
// field to its check, and htmx would replace it before the typing.)
func retype(b *browsertest.Browser, css, text string) {
	b.Click(css)
	b.Exec(nil, "document.activeElement.select()")
	b.Press(strings.Split(text, "")...)
}

// TestBrowserInlinePartyValidation fills in the new-party form as the
// admin: an org number that fails the Luhn check gets its message under the
// field once the user moves on (htmx, no page load), the input is marked
// invalid and described by the message, the status line says it, and the
// focus stays where the user went; fields passed without typing say
// nothing; the corrected number clears it all. The page must stay free of
// console errors and pass axe with the message shown.
func TestBrowserInlinePartyValidation(t *testing.T) {
	t.Parallel()
	b := browserAs(t, "admin@demo.gns.example")
	b.Open("/admin/parter/ny")
	wantHeading(t, b, "Registrera part")
	b.Exec(nil, "window.__samePage = true")

	// Passing the name and the slug without typing says nothing.
	b.Click("#f-name")
	b.Press(browsertest.Tab)
	b.Press(browsertest.Tab)

	b.Fill("#f-org_number", "212000-2495")
	b.Press(browsertest.Tab)
	s := waitForField(t, b, "org_number", "marked wrong", func(s fieldState) bool { return s.Error != "" && s.Invalid == "true" })
	if !strings.Contains(s.Error, "fel kontrollsiffra") {
		t.Errorf("the org number's message is %q, want it to say the check digit is wrong", s.Error)
	}
	if got := strings.Fields(s.DescribedBy); len(got) != 2 || got[0] != "f-org_number-hint" || got[1] != "f-org_number-error" {
		t.Errorf("the org number is described by %q, want its hint and its message", s.DescribedBy)
	}
	if s.Errors != 1 {
		t.Errorf("the page shows %d messages, want only the org number's (the name was passed without typing)", s.Errors)
	}
	if s.Value != "212000-2495" {
		t.Errorf("the org number field holds %q after the check, want what was typed", s.Value)
	}
	if s.Focused != "f-municipality_code" {
		t.Errorf("after the check the focus is on %q, want the next field, f-municipality_code", s.Focused)
	}
	if !strings.Contains(s.Status, "fel kontrollsiffra") {
		t.Errorf("the status line says %q, want the message", s.Status)
	}
	if b.Has(".error-summary") {
		t.Error("the check shows the error summary of a sent form")
	}
	b.CheckConsole()
	b.CheckAxe()
	b.Screenshot("inline-validering-part-fel")

	// A wrong e-mail address further down: its own message, the org
	// number's stays.
	b.Fill("#f-contact_email", "kim.ek")
	b.Press(browsertest.Tab)
	waitForField(t, b, "contact_email", "marked wrong", func(s fieldState) bool { return s.Invalid == "true" && strings.Contains(s.Error, "e-postadress") })
	if s := readField(b, "org_number"); s.Invalid != "true" || s.Errors != 2 {
		t.Errorf("after the e-mail's check: org number %+v, want it still marked and two messages", s)
	}

	// Corrected, the message goes.
	retype(b, "#f-org_number", "212000-2494")
	b.Press(browsertest.Tab)
	s = waitForField(t, b, "org_number", "cleared", func(s fieldState) bool { return s.Error == "" && s.Invalid == "" })
	if s.DescribedBy != "f-org_number-hint" || s.Errors != 1 || s.Value != "212000-2494" {
		t.Errorf("the corrected org number: %+v, want described by its hint only, the e-mail's message left", s)
	}
	retype(b, "#f-contact_email", "kim.ek@example.se")
	b.Press(browsertest.Tab)
	waitForField(t, b, "contact_email", "cleared", func(s fieldState) bool { return s.Errors == 0 && s.Invalid == "" })

	var samePage bool
	b.Exec(&samePage, "return window.__samePage === true")
	if !samePage {
		t.Fatal("the checks loaded a new page instead of updating the one shown")
	}
	b.CheckConsole()
	b.CheckAxe()

	// The form is still sent as a page: with no name, the error summary.
	b.ClickAndWait("main form button[type=submit]")
	wantFieldError(t, b, "name", "Ange partens namn")
	b.Screenshot("inline-validering-part-skickad")
}
