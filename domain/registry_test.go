package domain

import (
	"errors"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestHasIn(t *testing.T) {
	t.Parallel()
	u := User{Roles: []RoleGrant{
		{Role: RoleSecretariat, CommitteeID: 1},
		{Role: RoleParty, CommitteeID: 2, PartyID: 7},
	}}
	admin := User{Roles: []RoleGrant{{Role: RoleAdmin}}}
	tests := []struct {
		user      User
		committee int64
		roles     []Role
		want      bool
	}{
		{u, 1, []Role{RoleSecretariat}, true},
		{u, 1, []Role{RoleEconomist, RoleSecretariat}, true},
		{u, 2, []Role{RoleSecretariat}, false}, // a role in one committee is not a role in another
		{u, 1, []Role{RoleParty}, false},
		{u, 2, []Role{RoleParty}, true},
		{u, 1, nil, false},
		{admin, 99, []Role{RoleAdmin}, true}, // global roles count everywhere
		{admin, 99, []Role{RoleSecretariat}, false},
		{User{}, 1, []Role{RoleSecretariat}, false},
	}
	for _, tt := range tests {
		if got := tt.user.HasIn(tt.committee, tt.roles...); got != tt.want {
			t.Errorf("%v.HasIn(%d, %v) = %v, want %v", tt.user.Roles, tt.committee, tt.roles, got, tt.want)
		}
	}
}

func TestPartyNormalize(t *testing.T) {
	t.Parallel()
	good := func() Party {
		return Party{Name: "  Östersunds kommun ", Kind: PartyKindKommun, OrgNumber: "2120002528", MunicipalityCode: "2380",
			PartyDetails: PartyDetails{Address: "Rådhusgatan 42\r\n831 82 Östersund", PeppolID: " 0007:2120002528 ", ContactEmail: " ekonomi@ostersund.se ", ContactPhone: "063-14 30 00"}}
	}
	p := good()
	if err := p.Normalize(); err != nil {
		t.Fatalf("Normalize() = %v", err)
	}
	want := Party{Name: "Östersunds kommun", Slug: "ostersunds-kommun", Kind: PartyKindKommun, OrgNumber: "212000-2528", MunicipalityCode: "2380",
		PartyDetails: PartyDetails{Address: "Rådhusgatan 42\n831 82 Östersund", PeppolID: "0007:2120002528", ContactEmail: "ekonomi@ostersund.se", ContactPhone: "063-14 30 00"}}
	if p != want {
		t.Errorf("Normalize() gave\n%+v, want\n%+v", p, want)
	}

	tests := []struct {
		name    string
		change  func(*Party)
		field   string
		wantMsg string
	}{
		{"no name", func(p *Party) { p.Name = " " }, "name", "Ange partens namn"},
		{"name of 10 000 characters", func(p *Party) { p.Name = strings.Repeat("x", 10_000) }, "name", "högst 200 tecken"},
		{"name on two lines", func(p *Party) { p.Name = "Bergs\nkommun" }, "name", "på en rad"},
		{"control character", func(p *Party) { p.Name = "Berg\x00" }, "name", "styrtecken"},
		{"bad slug", func(p *Party) { p.Slug = "Östersund" }, "slug", "a–z"},
		{"slug with double hyphen", func(p *Party) { p.Slug = "a--b" }, "slug", "bindestreck"},
		{"unknown kind", func(p *Party) { p.Kind = "stad" }, "kind", "kommun eller en region"},
		{"Luhn check fails", func(p *Party) { p.OrgNumber = "212000-2529" }, "org_number", "fel kontrollsiffra"},
		{"org number in bad form", func(p *Party) { p.OrgNumber = "212000-252" }, "org_number", "NNNNNN-NNNN"},
		{"personal identity number", func(p *Party) { p.OrgNumber = "811228-9874" }, "org_number", "minst 20"},
		{"three-digit kommunkod", func(p *Party) { p.MunicipalityCode = "238" }, "municipality_code", "fyra siffror"},
		{"region with a kommunkod", func(p *Party) { p.Kind = PartyKindRegion }, "municipality_code", "två siffror"},
		{"Peppol id of another scheme", func(p *Party) { p.PeppolID = "0088:2120002528" }, "peppol_id", "0007:"},
		{"Peppol id failing Luhn", func(p *Party) { p.PeppolID = "0007:2120002529" }, "peppol_id", "kontrollsiffra"},
		{"bad e-mail", func(p *Party) { p.ContactEmail = "ekonomi" }, "contact_email", "giltig e-postadress"},
		{"letters in phone", func(p *Party) { p.ContactPhone = "ring växeln" }, "contact_phone", "bara innehålla siffror"},
		{"short phone", func(p *Party) { p.ContactPhone = "112" }, "contact_phone", "5–40"},
		{"long invoice reference", func(p *Party) { p.InvoiceReference = strings.Repeat("R", 101) }, "invoice_reference", "högst 100"},
		{"long address", func(p *Party) { p.Address = strings.Repeat("a", 501) }, "address", "högst 500"},
	}
	for _, tt := range tests {
		p := good()
		tt.change(&p)
		checkDomainError(t, tt.name, p.Normalize(), EINVALID, tt.field, tt.wantMsg)
	}

	// HTML is text like any other: it is kept as typed and escaped when shown.
	p = Party{Name: "<b>Berg</b>", Kind: PartyKindKommun}
	if err := p.Normalize(); err != nil || p.Name != "<b>Berg</b>" || p.Slug != "b-berg-b" {
		t.Errorf("HTML in a name: %+v, %v", p, err)
	}
}

func TestMakeSlug(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Östersunds kommun", "ostersunds-kommun"},
		{"Region Jämtland Härjedalen", "region-jamtland-harjedalen"},
		{"  Åre   kommun ", "are-kommun"},
		{"Bräcke kommun!", "bracke-kommun"},
		{"???", ""},
		{strings.Repeat("ab ", 30), strings.Repeat("ab-", 13) + "a"},
	}
	for _, tt := range tests {
		got := MakeSlug(tt.in)
		if got != tt.want {
			t.Errorf("MakeSlug(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got != "" {
			if err := CheckSlug(got); err != nil {
				t.Errorf("MakeSlug(%q) = %q, which CheckSlug refuses: %v", tt.in, got, err)
			}
		}
	}
}

func TestCommitteeNormalize(t *testing.T) {
	t.Parallel()
	c := Committee{Code: " gns ", Name: " Gemensam nämnd ", StartedOn: MustDate("2018-07-01")}
	if err := c.Normalize(); err != nil || c.Code != "GNS" || c.Name != "Gemensam nämnd" {
		t.Fatalf("Normalize() = %+v, %v", c, err)
	}
	tests := []struct {
		c       Committee
		field   string
		wantMsg string
	}{
		{Committee{Code: "G", Name: "x", StartedOn: MustDate("2018-07-01")}, "code", "2–10 bokstäver"},
		{Committee{Code: "GN5", Name: "x", StartedOn: MustDate("2018-07-01")}, "code", "A–Z"},
		{Committee{Code: "GNS", Name: "", StartedOn: MustDate("2018-07-01")}, "name", "Ange nämndens namn"},
		{Committee{Code: "GNS", Name: strings.Repeat("n", 10_000), StartedOn: MustDate("2018-07-01")}, "name", "högst 300"},
		{Committee{Code: "GNS", Name: "x"}, "started_on", "från vilket datum"},
	}
	for _, tt := range tests {
		checkDomainError(t, tt.c.Code+" "+tt.field, tt.c.Normalize(), EINVALID, tt.field, tt.wantMsg)
	}
}

func TestMemberNormalize(t *testing.T) {
	t.Parallel()
	m := Member{Name: " Robert Hamberg ", PoliticalParty: "(m)", Role: MemberChair, From: MustDate("2019-01-01")}
	if err := m.Normalize(); err != nil || m.Name != "Robert Hamberg" || m.PoliticalParty != "M" {
		t.Fatalf("Normalize() = %+v, %v", m, err)
	}
	if got := m.DisplayName(); got != "Robert Hamberg (M)" {
		t.Errorf("DisplayName() = %q", got)
	}
	if !m.ActiveOn(MustDate("2020-12-14")) || m.ActiveOn(MustDate("2018-12-31")) {
		t.Error("ActiveOn is wrong for an open term")
	}
	m.To = MustDate("2022-12-31")
	if m.ActiveOn(MustDate("2023-01-01")) || !m.ActiveOn(MustDate("2022-12-31")) {
		t.Error("ActiveOn is wrong at the end of the term")
	}
	base := Member{Name: "Susanne Hansson", PoliticalParty: "S", Role: MemberViceChair, From: MustDate("2019-01-01")}
	tests := []struct {
		name    string
		change  func(*Member)
		field   string
		wantMsg string
	}{
		{"no name", func(m *Member) { m.Name = "" }, "name", "Ange ett namn"},
		{"no party letter", func(m *Member) { m.PoliticalParty = " () " }, "political_party", "Ange partibeteckningen"},
		{"digits in party", func(m *Member) { m.PoliticalParty = "M1" }, "political_party", "bara innehålla bokstäver"},
		{"long party", func(m *Member) { m.PoliticalParty = "ABCDEFGHI" }, "political_party", "högst 8"},
		{"unknown role", func(m *Member) { m.Role = "kung" }, "role", "Välj roll"},
		{"no start", func(m *Member) { m.From = Date{} }, "term_from", "börjar"},
		{"ends before start", func(m *Member) { m.To = MustDate("2018-12-31") }, "term_to", "innan den börjar"},
	}
	for _, tt := range tests {
		m := base
		tt.change(&m)
		checkDomainError(t, tt.name, m.Normalize(), EINVALID, tt.field, tt.wantMsg)
	}
	for i, r := range MemberRoles {
		if r.Rank() != i || r.Label() == string(r) {
			t.Errorf("role %s: rank %d, label %q", r, r.Rank(), r.Label())
		}
	}
}

func TestCommitteeDocumentNormalize(t *testing.T) {
	t.Parallel()
	base := CommitteeDocument{Kind: GoverningReglemente, Title: " Reglemente för gemensam nämnd ", DecisionReference: "Regionfullmäktige 2018-04-24 § 85",
		DecidedOn: MustDate("2018-04-24"), ValidFrom: MustDate("2018-07-01"), FileName: "reglemente.pdf", ContentType: "application/pdf", Size: 10, SHA256: "ab"}
	d := base
	if err := d.Normalize(); err != nil || d.Title != "Reglemente för gemensam nämnd" {
		t.Fatalf("Normalize() = %+v, %v", d, err)
	}
	tests := []struct {
		name    string
		change  func(*CommitteeDocument)
		field   string
		wantMsg string
	}{
		{"unknown kind", func(d *CommitteeDocument) { d.Kind = "policy" }, "kind", "reglemente eller samarbetsöverenskommelse"},
		{"no title", func(d *CommitteeDocument) { d.Title = "" }, "title", "titel"},
		{"title of 10 000 characters", func(d *CommitteeDocument) { d.Title = strings.Repeat("t", 10_000) }, "title", "högst 300"},
		{"no decision", func(d *CommitteeDocument) { d.DecisionReference = " " }, "decision_reference", "beslutet"},
		{"no decision date", func(d *CommitteeDocument) { d.DecidedOn = Date{} }, "decided_on", "beslutsdatum"},
		{"valid before decided", func(d *CommitteeDocument) { d.ValidFrom = MustDate("2018-01-01") }, "valid_from", "före beslutet"},
		{"no file", func(d *CommitteeDocument) { d.Size = 0 }, "file", "Välj filen"},
	}
	for _, tt := range tests {
		d := base
		tt.change(&d)
		checkDomainError(t, tt.name, d.Normalize(), EINVALID, tt.field, tt.wantMsg)
	}
}

func TestParseDateField(t *testing.T) {
	t.Parallel()
	if d, err := ParseDateField("datum", "Datumet", " 2020-12-31 ", true); err != nil || d != MustDate("2020-12-31") {
		t.Errorf("ParseDateField = %v, %v", d, err)
	}
	if d, err := ParseDateField("datum", "Datumet", "", false); err != nil || !d.IsZero() {
		t.Errorf("optional empty date = %v, %v", d, err)
	}
	_, err := ParseDateField("datum", "Datumet", "", true)
	checkDomainError(t, "required empty date", err, EINVALID, "datum", "Datumet saknas")
	for _, in := range []string{"31/12/2020", "2020-02-30", "20201231", "2020-12-31T00:00:00Z"} {
		_, err := ParseDateField("datum", "Datumet", in, true)
		checkDomainError(t, in, err, EINVALID, "datum", "ÅÅÅÅ-MM-DD")
	}
}

func TestNewPopulationTable(t *testing.T) {
	t.Parallel()
	parties := []MemberParty{
		{Party: Party{ID: 1, Name: "Region"}, Host: true},
		{Party: Party{ID: 2, Name: "Östersund"}},
		{Party: Party{ID: 3, Name: "Åre"}},
		{Party: Party{ID: 4, Name: "Berg"}},
	}
	figures := map[int64]PopulationRecord{
		2: {Population: Population{PartyID: 2, Inhabitants: 63985}},
		3: {Population: Population{PartyID: 3, Inhabitants: 12049}},
		4: {Population: Population{PartyID: 4, Inhabitants: 7120}},
	}
	tab := NewPopulationTable(Committee{Code: "GNS"}, MustDate("2020-12-31"), parties, figures)
	if tab.Total != 83154 || tab.Missing != 1 || len(tab.Rows) != 4 {
		t.Fatalf("table: total %d, missing %d, rows %d", tab.Total, tab.Missing, len(tab.Rows))
	}
	if tab.Rows[0].Figure != nil || !tab.Rows[0].Share.IsZero() {
		t.Errorf("the region has no figure but got %+v", tab.Rows[0])
	}
	// 63985 / 83154 = 0.76947591216297…
	if got, want := tab.Rows[1].Share, decimal.RequireFromString("76.9475912163"); !got.Equal(want) {
		t.Errorf("Östersund's share = %s, want %s", got, want)
	}
	sum := decimal.Zero
	for _, r := range tab.Rows {
		sum = sum.Add(r.Share)
	}
	if diff := sum.Sub(decimal.NewFromInt(100)).Abs(); diff.GreaterThan(decimal.RequireFromString("0.0000000003")) {
		t.Errorf("shares sum to %s, want 100 within rounding of the tenth decimal", sum)
	}
	empty := NewPopulationTable(Committee{}, MustDate("2020-12-31"), parties, nil)
	if empty.Total != 0 || empty.Missing != 4 {
		t.Errorf("empty table: total %d, missing %d", empty.Total, empty.Missing)
	}
}

func TestParsePopulationCSV(t *testing.T) {
	t.Parallel()
	good := "party,reference_date,population,source\nberg,2020-12-31,7120,SCB\n\n2380,2020-12-31,\"63 985\",\"SCB, folkmängd 31 december 2020\"\n"
	lines, err := ParsePopulationCSV([]byte(good))
	if err != nil {
		t.Fatalf("ParsePopulationCSV = %v", err)
	}
	want := []PopulationLine{
		{Line: 2, Party: "berg", Population: Population{ReferenceDate: MustDate("2020-12-31"), Inhabitants: 7120, Source: "SCB"}},
		{Line: 4, Party: "2380", Population: Population{ReferenceDate: MustDate("2020-12-31"), Inhabitants: 63985, Source: "SCB, folkmängd 31 december 2020"}},
	}
	if len(lines) != len(want) || lines[0] != want[0] || lines[1] != want[1] {
		t.Errorf("lines = %+v, want %+v", lines, want)
	}

	// A Swedish spreadsheet: semicolons, a byte order mark, Swedish headings
	// in another order.
	swedish := "\uFEFFKälla;Part;Invånarantal;Referensdatum\r\nSCB;Åre kommun;12 049;2020-12-31\r\n"
	lines, err = ParsePopulationCSV([]byte(swedish))
	if err != nil || len(lines) != 1 || lines[0].Party != "Åre kommun" || lines[0].Inhabitants != 12049 || lines[0].Source != "SCB" {
		t.Errorf("Swedish file = %+v, %v", lines, err)
	}

	bad := strings.Join([]string{
		"party,reference_date,population,source",
		"berg,2020-12-31,7120,SCB",        // 2: good
		"bracke,31/12/2020,6181,SCB",      // 3: date
		"are,2020-12-31,0,SCB",            // 4: zero
		"krokom,2020-12-31,15054.5,SCB",   // 5: not an integer
		",2020-12-31,100,SCB",             // 6: no party
		"ragunda,2020-12-31,5208",         // 7: too few fields
		"stromsund,2020-12-31,-11488,SCB", // 8: negative
		"harjedalen,2020-12-31,10070,",    // 9: no source
		"ostersund,2020-12-31,63985,SCB",  // 10: good
	}, "\n")
	goodLines, err := ParsePopulationCSV([]byte(bad))
	if len(goodLines) != 2 || goodLines[0].Line != 2 || goodLines[1].Line != 10 {
		t.Errorf("good lines of a bad file = %+v, want lines 2 and 10", goodLines)
	}
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("bad file: err = %v, want *ImportError", err)
	}
	var got []int
	for _, l := range ie.Lines {
		got = append(got, l.Line)
	}
	if want := []int{3, 4, 5, 6, 7, 8, 9}; !slices.Equal(got, want) {
		t.Errorf("bad lines = %v, want %v (%v)", got, want, ie.Lines)
	}
	if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), "7 rader") || !strings.Contains(ErrorMessage(err), "Inget har sparats") {
		t.Errorf("summary = %s %q", ErrorCode(err), ErrorMessage(err))
	}

	for name, in := range map[string]string{
		"empty":           "",
		"header only":     "party,reference_date,population,source\n",
		"missing column":  "party,reference_date,population\nberg,2020-12-31,7120\n",
		"unknown column":  "party,date,population,source,comment\n",
		"repeated column": "party,party,reference_date,population,source\n",
		"Latin-1":         "party,reference_date,population,source\n\xd6stersund,2020-12-31,63985,SCB\n",
		"broken quotes":   "party,reference_date,population,source\n\"berg,2020-12-31,7120,SCB\n",
	} {
		if _, err := ParsePopulationCSV([]byte(in)); ErrorCode(err) != EINVALID {
			t.Errorf("%s: err = %v, want invalid", name, err)
		}
	}
}

func FuzzParsePopulationCSV(f *testing.F) {
	f.Add("party,reference_date,population,source\nberg,2020-12-31,7120,SCB\n")
	f.Add("Part;Referensdatum;Invånarantal;Källa\nÅre;2020-12-31;12 049;SCB\n")
	f.Add("party,reference_date,population,source\n\"a\"\"b\",2020-12-31,1,\"x\ny\"\n")
	f.Fuzz(func(t *testing.T, in string) {
		lines, err := ParsePopulationCSV([]byte(in))
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("error %v has code %s, want invalid", err, ErrorCode(err))
			}
			var ie *ImportError
			if lines != nil && !errors.As(err, &ie) {
				t.Fatal("lines returned with an error that is not about lines")
			}
		}
		for _, l := range lines {
			if l.Inhabitants <= 0 || l.ReferenceDate.IsZero() || l.Party == "" || l.Line < 2 {
				t.Fatalf("accepted a bad line: %+v", l)
			}
		}
	})
}

func TestSwedishSortKey(t *testing.T) {
	t.Parallel()
	names := []string{"Östersunds kommun", "Ängelholm", "Åre kommun", "Zinkgruvan", "Bergs kommun", "Émile", "ekorre", "Bräcke kommun"}
	sort.Slice(names, func(i, j int) bool { return SwedishSortKey(names[i]) < SwedishSortKey(names[j]) })
	want := "Bergs kommun,Bräcke kommun,ekorre,Émile,Zinkgruvan,Åre kommun,Ängelholm,Östersunds kommun"
	if got := strings.Join(names, ","); got != want {
		t.Errorf("sorted = %s, want %s", got, want)
	}
}

// TestStandsInFor: an ersättare stands in for a member of the same
// political party; when both record the party that appointed them, that too
// must be the same; a ledamot never stands in, nor does anyone for
// themselves.
func TestStandsInFor(t *testing.T) {
	t.Parallel()
	s := Member{ID: 1, Name: "Susanne Hansson", PoliticalParty: "S", Role: MemberViceChair, AppointedBy: 7}
	tests := []struct {
		name string
		sub  Member
		want bool
	}{
		{"same party, same appointing party", Member{ID: 2, PoliticalParty: "S", Role: MemberSubstitute, AppointedBy: 7}, true},
		{"same party, appointing party not recorded", Member{ID: 2, PoliticalParty: "S", Role: MemberSubstitute}, true},
		{"same party, another appointing party", Member{ID: 2, PoliticalParty: "S", Role: MemberSubstitute, AppointedBy: 8}, false},
		{"another party", Member{ID: 2, PoliticalParty: "C", Role: MemberSubstitute, AppointedBy: 7}, false},
		{"a ledamot", Member{ID: 2, PoliticalParty: "S", Role: MemberOrdinary, AppointedBy: 7}, false},
		{"themselves", Member{ID: 1, PoliticalParty: "S", Role: MemberSubstitute, AppointedBy: 7}, false},
	}
	for _, tc := range tests {
		if got := tc.sub.StandsInFor(s); got != tc.want {
			t.Errorf("%s: StandsInFor = %v, want %v", tc.name, got, tc.want)
		}
	}
	noParty := Member{ID: 3, Role: MemberOrdinary}
	if !(Member{ID: 4, PoliticalParty: "M", Role: MemberSubstitute}).StandsInFor(noParty) {
		t.Error("an ersättare does not stand in for a member without a party")
	}
}
