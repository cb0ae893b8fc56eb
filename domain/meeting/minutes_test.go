package meeting

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/region-jh/gns/domain"
)

var testParties = []domain.Party{
	{Slug: "region-jh", Name: "Region Jämtland Härjedalen"},
	{Slug: "ostersund", Name: "Östersunds kommun"},
	{Slug: "are", Name: "Åre kommun"},
}

func TestRecipientCodes(t *testing.T) {
	t.Parallel()
	for _, r := range []Recipient{
		{Kind: RecipientParties},
		{Kind: RecipientParty, Party: "are"},
		{Kind: RecipientRole, Role: "Ekonom: budget"},
	} {
		got, err := ParseRecipientCode(r.Code())
		if err != nil || got != r {
			t.Errorf("ParseRecipientCode(%q) = %+v, %v; want %+v", r.Code(), got, err, r)
		}
	}
	for _, bad := range []string{"", "party:", "role: ", "kommun:are", "parties:x"} {
		if _, err := ParseRecipientCode(bad); err == nil {
			t.Errorf("ParseRecipientCode(%q) accepted", bad)
		}
	}
}

func TestParseRecipientList(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"Nämndens parter", []string{"parties"}},
		{"Ekonom\n\nSekretariatet", []string{"role:Ekonom", "role:Sekretariatet"}},
		{"Region Jämtland Härjedalen, ÖSTERSUNDS KOMMUN, are.", []string{"party:region-jh", "party:ostersund", "party:are"}},
		{"Alla parter\r\nEkonom\nekonom\nAlla parter", []string{"parties", "role:Ekonom", "role:ekonom"}},
	}
	for _, tt := range tests {
		got, err := ParseRecipientList("dispatch_to", tt.in, testParties)
		if err != nil {
			t.Errorf("ParseRecipientList(%q): %v", tt.in, err)
			continue
		}
		var codes []string
		for _, r := range got {
			codes = append(codes, r.Code())
		}
		if !reflect.DeepEqual(codes, tt.want) {
			t.Errorf("ParseRecipientList(%q) = %v, want %v", tt.in, codes, tt.want)
		}
		// The list reads back the same from its own formatting.
		again, err := ParseRecipientList("dispatch_to", FormatRecipientList(got, testParties), testParties)
		if err != nil || !reflect.DeepEqual(again, got) {
			t.Errorf("round trip of %q = %v, %v", tt.in, again, err)
		}
	}
	for name, bad := range map[string]string{
		"long role":     strings.Repeat("x", MaxRecipientRole+1),
		"control":       "Ekonom\x07",
		"too many":      strings.Repeat("Roll\n", 1) + manyRoles(MaxRecipients+1),
		"invalid UTF-8": "Ek\xffonom",
	} {
		if _, err := ParseRecipientList("dispatch_to", bad, testParties); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%s: error = %v, want invalid", name, err)
		}
	}
}

func manyRoles(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("Roll " + string(rune('A'+i%26)) + string(rune('a'+i/26)) + "\n")
	}
	return b.String()
}

func TestExpandRecipients(t *testing.T) {
	t.Parallel()
	got := ExpandRecipients([]Recipient{{Kind: RecipientParty, Party: "are"}, {Kind: RecipientParties}, {Kind: RecipientRole, Role: "Ekonom"}}, testParties)
	var labels []string
	for _, r := range got {
		labels = append(labels, r.Label(testParties))
	}
	want := []string{"Åre kommun", "Region Jämtland Härjedalen", "Östersunds kommun", "Ekonom"}
	if !reflect.DeepEqual(labels, want) {
		t.Errorf("ExpandRecipients = %v, want %v", labels, want)
	}
	if got := (Recipient{Kind: RecipientParty, Party: "gone"}).Label(testParties); got != "gone" {
		t.Errorf("label of an unknown party = %q", got)
	}
}

func TestDecisionPoints(t *testing.T) {
	t.Parallel()
	p := Paragraph{
		Decision: "1. Nämnden har tagit del av rapporten.\r\n\n2) Nämnden uppdrar till regiondirektören att åtgärda bristerna.\n  ",
		Basis:    "- Tjänsteskrivelse Budget 2021\n• Revisionsrapport 2020-05-29\nProtokoll § 8",
	}
	if got, want := p.DecisionPoints(), []string{"Nämnden har tagit del av rapporten.", "Nämnden uppdrar till regiondirektören att åtgärda bristerna."}; !reflect.DeepEqual(got, want) {
		t.Errorf("DecisionPoints = %q, want %q", got, want)
	}
	if got, want := p.BasisItems(), []string{"Tjänsteskrivelse Budget 2021", "Revisionsrapport 2020-05-29", "Protokoll § 8"}; !reflect.DeepEqual(got, want) {
		t.Errorf("BasisItems = %q, want %q", got, want)
	}
	if got := (Paragraph{Number: 38, Year: 2019}).Ref(); got != "§ 38/2019" {
		t.Errorf("Ref = %q", got)
	}
}

func TestParagraphNormalize(t *testing.T) {
	t.Parallel()
	good := func() Paragraph {
		return Paragraph{Title: "  Budget 2021 ", Summary: "Text\r\nmer", Decision: "1. Fastställs.",
			Motions: []Motion{{MemberID: 2, Text: " Bifall "}}}
	}
	p := good()
	if err := p.Normalize(); err != nil {
		t.Fatal(err)
	}
	if p.Title != "Budget 2021" || p.Summary != "Text\nmer" || p.Motions[0].Text != "Bifall" {
		t.Errorf("normalized = %+v", p)
	}
	tests := []struct {
		name  string
		edit  func(p *Paragraph)
		field string
	}{
		{"no title", func(p *Paragraph) { p.Title = " " }, "title"},
		{"two-line title", func(p *Paragraph) { p.Title = "a\nb" }, "title"},
		{"long title", func(p *Paragraph) { p.Title = strings.Repeat("å", MaxParagraphTitle+1) }, "title"},
		{"long summary", func(p *Paragraph) { p.Summary = strings.Repeat("ä", MaxParagraphText+1) }, "summary"},
		{"control in decision", func(p *Paragraph) { p.Decision = "Beslut\x00" }, "decision"},
		{"motion without member", func(p *Paragraph) { p.Motions[0].MemberID = 0 }, "motions"},
		{"empty motion", func(p *Paragraph) { p.Motions[0].Text = "  " }, "motions"},
		{"too many motions", func(p *Paragraph) { p.Motions = make([]Motion, MaxMotions+1) }, "motions"},
	}
	for _, tt := range tests {
		p := good()
		tt.edit(&p)
		var e *domain.Error
		err := p.Normalize()
		if !errors.As(err, &e) || e.Field != tt.field {
			t.Errorf("%s: error = %v, want one on %s", tt.name, err, tt.field)
		}
	}
}

func TestParseVote(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]Vote{"ja": VoteYes, " Nej ": VoteNo, "Avstår": VoteAbstain, "avstar": VoteAbstain} {
		if got, err := ParseVote(in); err != nil || got != want {
			t.Errorf("ParseVote(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseVote("kanske"); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("ParseVote(kanske) error = %v", err)
	}
}

func TestServingAtAndJusterare(t *testing.T) {
	t.Parallel()
	att := []Attendance{
		{MemberID: 1, Present: true, Serving: true},
		{MemberID: 2, Present: true, Serving: true, LeftAfter: 5},
		{MemberID: 3, Present: true, Serving: true, ServingFor: 4, ArrivedAt: 4},
		{MemberID: 4},
		{MemberID: 5, Present: true}, // an ersättare who does not serve
	}
	if got := ServingAt(att, 3); !reflect.DeepEqual(got, []int64{1, 2}) {
		t.Errorf("serving at § 3 = %v", got)
	}
	if got := ServingAt(att, 6); !reflect.DeepEqual(got, []int64{1, 3}) {
		t.Errorf("serving at § 6 = %v", got)
	}
	names := map[int64]string{5: "Bo Karlsson (C)"}
	tests := []struct {
		ids  []int64
		want string
	}{
		{[]int64{1, 3}, ""},
		{[]int64{1}, "Välj två justerare."},
		{[]int64{1, 1}, "Välj två olika justerare."},
		{[]int64{1, 5}, "Bo Karlsson (C) tjänstgör inte"},
		{[]int64{4, 1}, "Ledamot 4 tjänstgör inte"},
	}
	for _, tt := range tests {
		err := CheckJusterare(tt.ids, att, names)
		if tt.want == "" && err != nil || tt.want != "" && !strings.Contains(domain.ErrorMessage(err), tt.want) {
			t.Errorf("CheckJusterare(%v) = %v, want %q", tt.ids, err, tt.want)
		}
	}
}

func TestAssignmentRules(t *testing.T) {
	t.Parallel()
	a := Assignment{Assignee: " Regiondirektören ", Description: "Åtgärda bristerna.\r\n"}
	if err := a.Normalize(); err != nil || a.Assignee != "Regiondirektören" || a.Description != "Åtgärda bristerna." {
		t.Errorf("Normalize = %+v, %v", a, err)
	}
	for name, bad := range map[string]Assignment{
		"no assignee":    {Description: "x"},
		"two lines":      {Assignee: "a\nb", Description: "x"},
		"no description": {Assignee: "E-strateg"},
		"long":           {Assignee: "E-strateg", Description: strings.Repeat("ö", MaxAssignmentText+1)},
	} {
		if err := bad.Normalize(); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%s: error = %v", name, err)
		}
	}
	if st, err := ParseAssignmentStatus("ateraget"); err != nil || st != AssignmentWithdrawn {
		t.Errorf("ParseAssignmentStatus = %q, %v", st, err)
	}
	if _, err := ParseAssignmentStatus("klart"); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("ParseAssignmentStatus(klart) = %v", err)
	}
	j := Justering{AnnouncedOn: domain.MustDate("2020-12-18")}
	if got := j.AppealEnds(); got != domain.MustDate("2021-01-08") {
		t.Errorf("appeal ends = %s, want 2021-01-08 (three weeks, a Friday)", got)
	}
	if !(Justering{}).AppealEnds().IsZero() {
		t.Error("no anslag, yet an appeal period")
	}
}

func TestParseParagraphRef(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][2]int{"§ 14/2020": {14, 2020}, "§14/2020": {14, 2020}, " 38 / 2019 ": {38, 2019}} {
		n, y, err := ParseParagraphRef("paragraph", in)
		if err != nil || n != want[0] || y != want[1] {
			t.Errorf("ParseParagraphRef(%q) = %d, %d, %v", in, n, y, err)
		}
	}
	for _, bad := range []string{"", "§ 14", "14-2020", "§ 0/2020", "§ x/2020", "§ 14/20", "§ -1/2020"} {
		if _, _, err := ParseParagraphRef("paragraph", bad); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("ParseParagraphRef(%q) accepted", bad)
		}
	}
}

func TestCanJustera(t *testing.T) {
	const committee = 7
	m := Meeting{ID: 1, CommitteeID: committee, Date: domain.MustDate("2027-02-08")}
	j := Justering{MeetingID: 1, Justerare: []JusterareApproval{
		{Justerare: Justerare{MemberID: 10, MemberName: "Robert Hamberg (M)", UserID: 100}},
		{Justerare: Justerare{MemberID: 11, MemberName: "Susanne Hansson (S)", UserID: 101}},
	}}
	member := func(id int64) domain.User {
		return domain.User{ID: id, TOTPEnabled: true, Roles: []domain.RoleGrant{{Role: domain.RoleMember, CommitteeID: committee}}}
	}
	demo := member(101)
	demo.TOTPEnabled, demo.Demo = false, true
	noTOTP := member(100)
	noTOTP.TOTPEnabled = false
	secretary := domain.User{ID: 100, TOTPEnabled: true, Roles: []domain.RoleGrant{{Role: domain.RoleSecretariat, CommitteeID: committee}}}
	disabled := member(100)
	disabled.DisabledAt = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name   string
		u      domain.User
		demo   bool
		linked bool   // whether JusterareFor finds the user
		member int64  // the justerare approved as
		msg    string // or the refusal
	}{
		{"the first justerare", member(100), false, true, 10, ""},
		{"the second justerare", member(101), false, true, 11, ""},
		{"a member who is not justerare", member(102), false, false, 0, "Du är inte justerare av protokollet från sammanträdet den 2027-02-08."},
		{"the secretariat", secretary, false, false, 0, "Bara nämndens ledamöter kan justera protokoll."},
		{"a disabled user", disabled, false, false, 0, "Bara nämndens ledamöter kan justera protokoll."},
		{"without two-factor login", noTOTP, true, true, 0, "Justering kräver tvåstegsverifiering"},
		{"a demo user in demo mode", demo, true, true, 11, ""},
		{"a demo user after demo mode", demo, false, true, 0, "Justering kräver tvåstegsverifiering"},
	} {
		got, err := CanJustera(tt.u, m, j, tt.demo)
		switch {
		case tt.msg == "" && (err != nil || got == nil || got.MemberID != tt.member):
			t.Errorf("%s: CanJustera = %+v, %v; want member %d", tt.name, got, err, tt.member)
		case tt.msg != "" && (got != nil || domain.ErrorCode(err) != domain.EFORBIDDEN || !strings.Contains(domain.ErrorMessage(err), tt.msg)):
			t.Errorf("%s: CanJustera = %+v, %v; want EFORBIDDEN %q", tt.name, got, err, tt.msg)
		}
		if x := j.JusterareFor(tt.u, committee); (x != nil) != tt.linked {
			t.Errorf("%s: JusterareFor = %+v", tt.name, x)
		}
	}
}

func TestMinutesOpen(t *testing.T) {
	m := Meeting{Date: domain.MustDate("2027-02-08")}
	if err := m.MinutesOpen(); err != nil {
		t.Errorf("open minutes: %v", err)
	}
	locked := m
	locked.LockedAt = time.Date(2027, 2, 10, 9, 0, 0, 0, time.UTC)
	if err := locked.MinutesOpen(); domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(domain.ErrorMessage(err), "justerat och låst") {
		t.Errorf("locked minutes: %v", err)
	}
	cancelled := m
	cancelled.CancelledAt = time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC)
	if err := cancelled.MinutesOpen(); domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(domain.ErrorMessage(err), "inställt") {
		t.Errorf("cancelled meeting: %v", err)
	}
}
