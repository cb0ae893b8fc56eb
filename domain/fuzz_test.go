package domain

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/region-jh/gns/sv"
)

// FuzzParseAmount checks the domain's amount reader over sv.ParseAmount: a
// refused amount is an EINVALID error with a message; an accepted one has at
// most two decimals and reads back the same once written.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"1 234,50", "1234.50", "−52 010,11 kr", "-0", "0,07", "12a", "1,2,3", "1 234:-", "1,234", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseAmount(s)
		if err != nil {
			checkDomainError(t, "ParseAmount", err, EINVALID, "", "")
			if ErrorMessage(err) == "" {
				t.Fatalf("ParseAmount(%q): an error without a message", s)
			}
			return
		}
		if !d.Shift(2).IsInteger() {
			t.Fatalf("ParseAmount(%q) = %s, more than two decimals", s, d)
		}
		if again, err := ParseAmount(sv.Amount(d)); err != nil || !again.Equal(d) {
			t.Fatalf("ParseAmount(%q) = %s, written %q, read back as %s, %v", s, d, sv.Amount(d), again, err)
		}
	})
}

var slugForm = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

var peppolIDForm = regexp.MustCompile(`^(0007:[0-9]{2}[2-9][0-9]{7}|0088:[0-9]{13}|9955:SE[0-9]{2}[2-9][0-9]{7}01)$`)

// FuzzParsePeppolID: an accepted id is one of the three schemes with a number
// that passes its check, the input without its spaces (a VAT number's SE in
// capitals), reads back unchanged, and has an electronic address of 0007 or
// 0088 that is itself accepted.
func FuzzParsePeppolID(f *testing.F) {
	for _, s := range []string{"0007:2321000214", " 0007:2120002528 ", "0007:2321000215", "0007:8112189876", "0088:7300010000001", "0088:7300010000002",
		"9955:se232100021401", "9955:SE2321000214", "0007:232100-0214", "0007 2321000214", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParsePeppolID(s)
		if err != nil {
			checkDomainError(t, "ParsePeppolID", err, EINVALID, "", "Peppol-id:t")
			return
		}
		if !strings.EqualFold(id, strings.TrimSpace(s)) || !peppolIDForm.MatchString(id) {
			t.Fatalf("ParsePeppolID(%q) = %q, not a valid Swedish Peppol id", s, id)
		}
		switch id[:4] {
		case PeppolSchemeSE:
			if org, err := ParseOrgNumber(id[5:]); err != nil || PeppolID(org) != id {
				t.Fatalf("ParsePeppolID(%q) = %q, whose organisation number %q, %v gives %q", s, id, org, err, PeppolID(org))
			}
		case PeppolSchemeGLN:
			if !GLNValid(id[5:]) {
				t.Fatalf("ParsePeppolID(%q) = %q, not a GLN", s, id)
			}
		case PeppolSchemeSEVAT:
			if _, err := ParseOrgNumber(id[7:17]); err != nil {
				t.Fatalf("ParsePeppolID(%q) = %q, not an organisation's VAT number", s, id)
			}
		}
		if again, err := ParsePeppolID(id); err != nil || again != id {
			t.Fatalf("ParsePeppolID(%q) = %q, %v; want it unchanged", id, again, err)
		}
		scheme, number, ok := PeppolEndpoint(id)
		if _, err := ParsePeppolID(scheme + ":" + number); !ok || err != nil || scheme == PeppolSchemeSEVAT {
			t.Fatalf("PeppolEndpoint(%q) = %s:%s, %v", id, scheme, number, err)
		}
	})
}

// FuzzParseCaseQuery checks the readers of a case list's query: the page
// cursor round-trips through String, and an accepted search has at most
// MaxCaseSearchWords folded words.
func FuzzParseCaseQuery(f *testing.F) {
	for _, s := range []string{"2020-10", "1-1", "9999-999999", "0-1", "2020-", "-5", "2020-10-1", "Budget 2027 Åre", strings.Repeat("ord ", 11), "\x00", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if c, err := ParseCaseCursor("efter", s); err != nil {
			checkDomainError(t, "ParseCaseCursor", err, EINVALID, "efter", "sidangivelse")
		} else if again, err := ParseCaseCursor("efter", c.String()); err != nil || again != c {
			t.Fatalf("ParseCaseCursor(%q) = %+v, written %q, read back as %+v, %v", s, c, c.String(), again, err)
		}
		words, err := CheckCaseSearch(s)
		if err != nil {
			checkDomainError(t, "CheckCaseSearch", err, EINVALID, "q", "")
			return
		}
		if len(words) > MaxCaseSearchWords {
			t.Fatalf("CheckCaseSearch(%q) = %d words", s, len(words))
		}
		for _, w := range words {
			if w == "" || FoldSwedish(w) != w || strings.ContainsAny(w, " \t\n") {
				t.Fatalf("CheckCaseSearch(%q): word %q is not one folded word", s, w)
			}
		}
	})
}

// FuzzParseCodes checks the readers of code names sent by forms and the
// API (roles, case statuses, document kinds): an accepted code is valid and
// reads back as itself; a refused one is a field error.
func FuzzParseCodes(f *testing.F) {
	for _, s := range []string{"admin", " secretariat ", "party", "registered", "closed", "tjansteskrivelse", "bilaga", "kung", "", "ADMIN"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if r, err := ParseRole(s); err != nil {
			checkDomainError(t, "ParseRole", err, EINVALID, "role", "Okänd roll")
		} else if again, err := ParseRole(string(r)); !r.Valid() || err != nil || again != r {
			t.Fatalf("ParseRole(%q) = %q, not valid or not read back", s, r)
		}
		if st, err := ParseCaseStatus(s); err != nil {
			checkDomainError(t, "ParseCaseStatus", err, EINVALID, "status", "Okänd status")
		} else if again, err := ParseCaseStatus(string(st)); !st.Valid() || err != nil || again != st {
			t.Fatalf("ParseCaseStatus(%q) = %q, not valid or not read back", s, st)
		}
		if k, err := ParseCaseDocumentKind(s); err != nil {
			checkDomainError(t, "ParseCaseDocumentKind", err, EINVALID, "kind", "")
		} else if again, err := ParseCaseDocumentKind(string(k)); err != nil || again != k {
			t.Fatalf("ParseCaseDocumentKind(%q) = %q, not read back", s, k)
		}
	})
}

// FuzzCheckPersonFields checks the readers of a person's and a party's
// typed fields (e-mail, name, political party, slug, telephone, one-line
// text): refused input is a field error; accepted input is idempotent
// (checking it again gives it back unchanged) and holds no control
// characters.
func FuzzCheckPersonFields(f *testing.F) {
	for _, s := range []string{"anna.berg@example.se", " Anna@Example.SE ", "Anna Berg", "(M)", "kd", "region-jh", "ostersund", "063-14 30 00", "+46 (0)63 143000", "a\tb", "x@y", "", "\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		noControl := func(what, v string) {
			t.Helper()
			if !utf8.ValidString(v) || strings.ContainsFunc(v, func(r rune) bool { return r < ' ' || r == 0x7f }) {
				t.Fatalf("%s(%q) accepted %q with control characters or bad UTF-8", what, s, v)
			}
		}
		if email, fold, err := NormalizeEmail(s); err != nil {
			checkDomainError(t, "NormalizeEmail", err, EINVALID, "email", "")
		} else if again, fold2, err := NormalizeEmail(email); err != nil || again != email || fold2 != fold || fold != strings.ToLower(email) {
			t.Fatalf("NormalizeEmail(%q) = %q, %q; again %q, %q, %v", s, email, fold, again, fold2, err)
		} else {
			noControl("NormalizeEmail", email)
		}
		if name, err := CheckName(s); err != nil {
			checkDomainError(t, "CheckName", err, EINVALID, "name", "")
		} else if again, err := CheckName(name); err != nil || again != name || name == "" || utf8.RuneCountInString(name) > MaxNameLength {
			t.Fatalf("CheckName(%q) = %q; again %q, %v", s, name, again, err)
		} else {
			noControl("CheckName", name)
		}
		if p, err := ParsePoliticalParty(s); err != nil {
			checkDomainError(t, "ParsePoliticalParty", err, EINVALID, "political_party", "")
		} else if again, err := ParsePoliticalParty(p); err != nil || again != p || p != strings.ToUpper(p) {
			t.Fatalf("ParsePoliticalParty(%q) = %q; again %q, %v", s, p, again, err)
		}
		if err := CheckSlug(s); err != nil {
			checkDomainError(t, "CheckSlug", err, EINVALID, "slug", "")
		} else if !slugForm.MatchString(s) {
			t.Fatalf("CheckSlug accepted %q", s)
		}
		if err := CheckPhone("phone", s); err != nil {
			checkDomainError(t, "CheckPhone", err, EINVALID, "phone", "")
		} else {
			noControl("CheckPhone", s)
		}
		if err := CheckLine("f", "Fältet", s, 100); err != nil {
			checkDomainError(t, "CheckLine", err, EINVALID, "f", "Fältet")
		} else if strings.ContainsAny(s, "\r\n\t") || utf8.RuneCountInString(s) > 100 {
			t.Fatalf("CheckLine accepted %q", s)
		}
	})
}
