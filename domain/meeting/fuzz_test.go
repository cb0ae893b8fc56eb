package meeting

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/domaintest"
)

// FuzzParseParagraphRef: an accepted reference has a number 1–9999 and a
// plausible year, and reads back the same once written "§ n/year"; a refused
// one is a field error.
func FuzzParseParagraphRef(f *testing.F) {
	for _, s := range []string{"§ 14/2020", "§14/2020", "14/2020", " § 1 / 1900 ", "0/2020", "14/1899", "14/20200", "§ -1/2020", "14", "/", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, y, err := ParseParagraphRef("paragraph", s)
		if err != nil {
			domaintest.CheckError(t, "ParseParagraphRef", err, domain.EINVALID, "paragraph", "§ nummer/år")
			return
		}
		if n < 1 || n > 9999 || y < 1900 || y > 9999 {
			t.Fatalf("ParseParagraphRef(%q) = %d, %d", s, n, y)
		}
		n2, y2, err := ParseParagraphRef("paragraph", fmt.Sprintf("§ %d/%d", n, y))
		if err != nil || n2 != n || y2 != y {
			t.Fatalf("ParseParagraphRef(%q) = %d/%d, which does not read back: %d/%d, %v", s, n, y, n2, y2, err)
		}
	})
}

// FuzzParseRecipients checks the "expedieras till" readers: the typed list
// (at most MaxRecipients, no duplicates, written back by FormatRecipientList
// to the same list) and the API's recipient codes (read back from Code).
func FuzzParseRecipients(f *testing.F) {
	for _, s := range []string{"Nämndens parter\nEkonom", "alla parter, Åre kommun, are, Sekretariatet.", "parties", "party:are", "role:Ekonom", "role: ", "party:", "\x00", strings.Repeat("x,", 50), ""} {
		f.Add(s)
	}
	parties := []domain.Party{{Slug: "are", Name: "Åre kommun"}, {Slug: "region-jh", Name: "Region Jämtland Härjedalen"}}
	f.Fuzz(func(t *testing.T, s string) {
		if r, err := ParseRecipientCode(s); err == nil {
			if again, err := ParseRecipientCode(r.Code()); err != nil || again != r {
				t.Fatalf("ParseRecipientCode(%q) = %+v, coded %q, read back as %+v, %v", s, r, r.Code(), again, err)
			}
		}
		list, err := ParseRecipientList("dispatch_to", s, parties)
		if err != nil {
			domaintest.CheckError(t, "ParseRecipientList", err, domain.EINVALID, "dispatch_to", "")
			return
		}
		if len(list) > MaxRecipients {
			t.Fatalf("ParseRecipientList(%q): %d recipients", s, len(list))
		}
		codes := map[string]bool{}
		for _, r := range list {
			if codes[r.Code()] {
				t.Fatalf("ParseRecipientList(%q): %q twice", s, r.Code())
			}
			codes[r.Code()] = true
		}
		again, err := ParseRecipientList("dispatch_to", FormatRecipientList(list, parties), parties)
		if err != nil || !slices.Equal(again, list) {
			t.Fatalf("ParseRecipientList(%q) = %+v, written and read back as %+v, %v", s, list, again, err)
		}
	})
}

// FuzzParseMinutesWords checks the small readers of minutes and
// assignments: votes, assignment statuses and assignees. Accepted values are
// valid and read back as themselves; refused ones are field errors.
func FuzzParseMinutesWords(f *testing.F) {
	for _, s := range []string{"ja", " NEJ ", "avstår", "Avstar", "kanske", "given", "in_progress", "Regiondirektören", "två\nrader", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, err := ParseVote(s); err != nil {
			domaintest.CheckError(t, "ParseVote", err, domain.EINVALID, "votes", "Okänd röst")
		} else if again, err := ParseVote(string(v)); err != nil || again != v || !slices.Contains([]Vote{VoteYes, VoteNo, VoteAbstain}, v) {
			t.Fatalf("ParseVote(%q) = %q; again %q, %v", s, v, again, err)
		}
		if st, err := ParseAssignmentStatus(s); err != nil {
			domaintest.CheckError(t, "ParseAssignmentStatus", err, domain.EINVALID, "status", "Okänd status")
		} else if !slices.Contains(AssignmentStatuses, st) {
			t.Fatalf("ParseAssignmentStatus(%q) = %q", s, st)
		}
		if a, err := CheckAssignee(s); err != nil {
			domaintest.CheckError(t, "CheckAssignee", err, domain.EINVALID, "assignee", "")
		} else if again, err := CheckAssignee(a); err != nil || again != a || a == "" || strings.ContainsAny(a, "\r\n") {
			t.Fatalf("CheckAssignee(%q) = %q; again %q, %v", s, a, again, err)
		}
	})
}
