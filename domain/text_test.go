package domain

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/region-jh/gns/sv"
)

// checkDomainError fails the test unless err is a *Error with the given code
// and field whose message contains msg ("" skips the message check).
func checkDomainError(t *testing.T, call string, err error, code, field, msg string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Errorf("%s error = %v, want a *Error with code %q", call, err, code)
		return
	}
	if e.Code != code || e.Field != field {
		t.Errorf("%s error code, field = %q, %q, want %q, %q", call, e.Code, e.Field, code, field)
	}
	if !strings.Contains(e.Message, msg) {
		t.Errorf("%s error message = %q, want it to contain %q", call, e.Message, msg)
	}
}

// checkValidation fails the test unless err is nil when wantMsg is "", or else
// an EINVALID *Error for field whose message contains wantMsg.
func checkValidation(t *testing.T, call string, err error, field, wantMsg string) {
	t.Helper()
	if wantMsg == "" {
		if err != nil {
			t.Errorf("%s = %v, want nil", call, err)
		}
		return
	}
	checkDomainError(t, call, err, EINVALID, field, wantMsg)
}

// stringCase is one row of a table test for a func(string) string.
type stringCase struct{ in, want string }

// checkStringFunc runs the table tests against f, named name in messages.
func checkStringFunc(t *testing.T, name string, f func(string) string, tests []stringCase) {
	t.Helper()
	for _, tt := range tests {
		if got := f(tt.in); got != tt.want {
			t.Errorf("%s(%q) = %q, want %q", name, tt.in, got, tt.want)
		}
	}
}

func TestFoldSwedish(t *testing.T) {
	t.Parallel()
	checkStringFunc(t, "FoldSwedish", FoldSwedish, []stringCase{
		{"ÅRE KOMMUN", "åre kommun"},
		{"Östersunds kommun", "östersunds kommun"},
		{"HÄRJEDALENS KOMMUN", "härjedalens kommun"},
		{"CAFÉ ÉLAN", "café élan"},
		{"  Bräcke\t\n  kommun  ", "bräcke kommun"},
		{"Strömsunds\u00a0kommun", "strömsunds kommun"},
		{"A\u030are", "åre"},             // decomposed Å
		{"O\u0308stersund", "östersund"}, // decomposed Ö
		{"a\u0308\u0308", "ä\u0308"},     // only one mark composes
		{"a \u030a", "a \u030a"},         // a mark after a space stays
		{"GNS/10/2020", "gns/10/2020"},   // ASCII as SQLite would fold it
		{"Straße", "straße"},             // no full case folding: ß stays
		{"", ""},
		{" \t\n ", ""},
		{"bad\xffbyte", "bad\ufffdbyte"},
	})
}

func TestCheckText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s       string
		max     int
		wantMsg string // "" means no error
	}{
		{"Budget 2021", 300, ""},
		{"rad ett\nrad två\r\n\tindrag", 300, ""},
		{"", 300, ""},
		{strings.Repeat("å", 300), 300, ""}, // 300 runes, 600 bytes
		{strings.Repeat("å", 301), 300, "Titeln får vara högst 300 tecken."},
		{strings.Repeat("x", 1001), 1000, "Titeln får vara högst 1\u00a0000 tecken."},
		{strings.Repeat("x", 5000), 0, ""}, // no limit
		{"noll\x00byte", 300, "Titeln innehåller otillåtna styrtecken (U+0000)."},
		{"\x1b[31mröd", 300, "(U+001B)"},
		{"nästa\u0085rad", 300, "(U+0085)"},
		{"del\x7f", 300, "(U+007F)"},
		{"fel\xc3", 300, "Titeln innehåller ogiltiga tecken."},
	}
	for _, tt := range tests {
		err := CheckText("title", "Titeln", tt.s, tt.max)
		checkValidation(t, "CheckText("+sv.Quote(tt.s)+")", err, "title", tt.wantMsg)
	}
}

func FuzzFoldSwedish(f *testing.F) {
	for _, s := range []string{"ÅRE KOMMUN", "  Östersunds\t kommun ", "A\u030are", "İstanbul", "ǅ", "\xff", "a\u0308\u0308"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := FoldSwedish(s)
		if !utf8.ValidString(got) {
			t.Fatalf("FoldSwedish(%q) = %q, not valid UTF-8", s, got)
		}
		if again := FoldSwedish(got); again != got {
			t.Fatalf("FoldSwedish not idempotent on %q: %q, then %q", s, got, again)
		}
		if strings.TrimSpace(got) != got || strings.Contains(got, "  ") {
			t.Fatalf("FoldSwedish(%q) = %q, whitespace not collapsed", s, got)
		}
		for _, r := range got {
			if unicode.IsSpace(r) && r != ' ' {
				t.Fatalf("FoldSwedish(%q) = %q, kept whitespace %U", s, got, r)
			}
		}
	})
}

func FuzzCheckText(f *testing.F) {
	f.Add("Budget 2021", 300)
	f.Add("rad\r\n\tindrag", 5)
	f.Add("noll\x00", 0)
	f.Add("ååå", 2)
	f.Fuzz(func(t *testing.T, s string, max int) {
		err := CheckText("f", "Fältet", s, max)
		if err != nil {
			checkDomainError(t, "CheckText", err, EINVALID, "f", "Fältet ")
			return
		}
		if !utf8.ValidString(s) {
			t.Fatalf("CheckText accepted invalid UTF-8 %q", s)
		}
		if max > 0 && utf8.RuneCountInString(s) > max {
			t.Fatalf("CheckText accepted %d runes with max %d", utf8.RuneCountInString(s), max)
		}
		for _, r := range s {
			if unicode.IsControl(r) && !strings.ContainsRune("\n\r\t", r) {
				t.Fatalf("CheckText accepted control character %U", r)
			}
		}
	})
}
