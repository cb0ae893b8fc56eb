package domain

import (
	"strings"
	"testing"
)

func TestDraftRemissSummary(t *testing.T) {
	t.Parallel()
	reply := func(party string, p RemissPosition) RemissReply { return RemissReply{Party: party, Position: p} }
	tests := []struct {
		name    string
		replies []RemissReply
		subject string
		want    string
	}{
		{
			// Seed 004, GNS/3/2019, word for word (the seed writes
			// "Härjedalen kommun"); three parties never answered.
			name: "seed GNS/3/2019",
			replies: []RemissReply{
				reply("Östersunds kommun", RemissApproves),
				reply("Strömsunds kommun", RemissApproves),
				reply("Härjedalen kommun", RemissApproves),
				reply("Krokoms kommun", RemissApproves),
				reply("Region Jämtland Härjedalen", RemissApproves),
				reply("Bräcke kommun", RemissAbstains),
			},
			subject: "förstudien",
			want:    "Sex parter har inkommit med remissvar varav en part ej tar ställning. Östersunds kommun, Strömsunds kommun, Härjedalen kommun, Krokoms kommun samt Region Jämtland Härjedalen godkänner förstudien. Bräcke kommun tar ej ställning.",
		},
		{name: "none", want: "Ingen part har inkommit med remissvar."},
		{
			name:    "one, no subject",
			replies: []RemissReply{reply("Åre kommun", RemissRejects)},
			want:    "En part har inkommit med remissvar. Åre kommun avstyrker.",
		},
		{
			name:    "all abstain: no varav",
			replies: []RemissReply{reply("Bergs kommun", RemissAbstains), reply("Ragunda kommun", RemissAbstains)},
			subject: "förslaget",
			want:    "Två parter har inkommit med remissvar. Bergs kommun samt Ragunda kommun tar ej ställning.",
		},
		{
			name: "every position, groups in fixed order, parties in the order they answered",
			replies: []RemissReply{
				reply("Bräcke kommun", RemissAbstains),
				reply("Åre kommun", RemissRejects),
				reply("Bergs kommun", RemissApprovesWithComments),
				reply("Krokoms kommun", RemissApproves),
				reply("Ragunda kommun", RemissAbstains),
				reply("Östersunds kommun", RemissApprovesWithComments),
			},
			subject: "förslaget",
			want:    "Sex parter har inkommit med remissvar varav två parter ej tar ställning. Krokoms kommun godkänner förslaget. Bergs kommun samt Östersunds kommun godkänner förslaget med synpunkter. Åre kommun avstyrker förslaget. Bräcke kommun samt Ragunda kommun tar ej ställning.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := DraftRemissSummary(tt.replies, tt.subject); got != tt.want {
				t.Errorf("DraftRemissSummary\n got %q\nwant %q", got, tt.want)
			}
		})
	}
	var many []RemissReply
	for range 14 {
		many = append(many, reply("X", RemissApproves))
	}
	if got := DraftRemissSummary(many, ""); !strings.HasPrefix(got, "14 parter har inkommit") {
		t.Errorf("14 replies: %q, want digits", got)
	}
}

func TestCheckRemiss(t *testing.T) {
	t.Parallel()
	today := MustDate("2020-09-21")
	ok := func() Remiss {
		return Remiss{Question: " Tar parten ställning till förstudien? ", LastDay: MustDate("2020-11-13"), Parties: []RemissParty{{PartyID: 1}}}
	}
	tests := []struct {
		name   string
		change func(*Remiss)
		field  string
	}{
		{"ok", func(*Remiss) {}, ""},
		{"no question", func(r *Remiss) { r.Question = "  " }, "question"},
		{"no last day", func(r *Remiss) { r.LastDay = Date{} }, "last_day"},
		{"last day today", func(r *Remiss) { r.LastDay = today }, "last_day"},
		{"no parties", func(r *Remiss) { r.Parties = nil }, "parties"},
		{"control char", func(r *Remiss) { r.Subject = "för\x00studien" }, "subject"},
		{"long question", func(r *Remiss) { r.Question = strings.Repeat("å", MaxRemissQuestion+1) }, "question"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := ok()
			tt.change(&r)
			err := CheckRemiss(&r, today)
			if got := fieldOf(err); got != tt.field {
				t.Errorf("CheckRemiss: field %q (%v), want %q", got, err, tt.field)
			}
			if err == nil && r.Question != "Tar parten ställning till förstudien?" {
				t.Errorf("question not trimmed: %q", r.Question)
			}
		})
	}
}

func TestCheckRemissAnswer(t *testing.T) {
	t.Parallel()
	today := MustDate("2020-10-30")
	tests := []struct {
		name  string
		a     RemissAnswer
		field string
	}{
		{"approves", RemissAnswer{Position: RemissApproves}, ""},
		{"with decision", RemissAnswer{Position: RemissRejects, DecisionBody: "Kommunstyrelsen", DecisionDate: MustDate("2020-10-20"), DecisionParagraph: "§ 112"}, ""},
		{"unknown position", RemissAnswer{Position: "maybe"}, "position"},
		{"comments needed", RemissAnswer{Position: RemissApprovesWithComments, Comments: " "}, "comments"},
		{"decision in the future", RemissAnswer{Position: RemissApproves, DecisionDate: MustDate("2020-10-31")}, "decision_date"},
		{"long paragraph", RemissAnswer{Position: RemissApproves, DecisionParagraph: strings.Repeat("1", 51)}, "decision_paragraph"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := tt.a
			if got := fieldOf(CheckRemissAnswer(&a, today)); got != tt.field {
				t.Errorf("field %q, want %q", got, tt.field)
			}
		})
	}
}

func TestRemissPartyStatus(t *testing.T) {
	t.Parallel()
	r := Remiss{LastDay: MustDate("2020-11-13")}
	answered := RemissParty{Answer: &RemissAnswer{Position: RemissAbstains}}
	for _, tt := range []struct {
		p    RemissParty
		day  string
		want string
	}{
		{answered, "2020-12-01", "tar ej ställning"},
		{RemissParty{}, "2020-11-13", "inväntar svar"},
		{RemissParty{}, "2020-11-14", "ej svarat"},
	} {
		if got := tt.p.Status(r, MustDate(tt.day)); got != tt.want {
			t.Errorf("Status on %s = %q, want %q", tt.day, got, tt.want)
		}
	}
}

func fieldOf(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if de, ok := err.(*Error); ok {
		e = de
	}
	if e == nil {
		return "?" + err.Error()
	}
	return e.Field
}

func TestWithRemissResults(t *testing.T) {
	t.Parallel()
	saved := Remiss{Summary: "Sex parter har inkommit med remissvar."}
	for _, tt := range []struct {
		text     string
		remisser []Remiss
		want     string
	}{
		{"Bakgrund", nil, "Bakgrund"},
		{"Bakgrund", []Remiss{{}}, "Bakgrund"},
		{"Bakgrund", []Remiss{saved}, "Bakgrund\n\nResultat remiss\n\nSex parter har inkommit med remissvar."},
		{"", []Remiss{saved}, "Resultat remiss\n\nSex parter har inkommit med remissvar."},
		{"Resultat remiss\n\nSex parter har inkommit med remissvar.", []Remiss{saved}, "Resultat remiss\n\nSex parter har inkommit med remissvar."},
	} {
		if got := WithRemissResults(tt.text, tt.remisser); got != tt.want {
			t.Errorf("WithRemissResults(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// FuzzRemissInput feeds a remiss's and an answer's outside input (position,
// texts, dates as a form gives them) through their checks and the drafted
// summary: nothing panics, and what passes is within its limits.
func FuzzRemissInput(f *testing.F) {
	f.Add("approves", "Synpunkter", "Kommunstyrelsen", "§ 112", "2020-10-20", "förstudien")
	f.Add("approves_with_comments", "", "", "", "", "")
	f.Add("maybe", "\x00", strings.Repeat("å", 300), "§", "2020-13-40", "x")
	f.Fuzz(func(t *testing.T, position, comments, body, paragraph, date, subject string) {
		today := MustDate("2020-11-01")
		a := RemissAnswer{Position: RemissPosition(position), Comments: comments, DecisionBody: body, DecisionParagraph: paragraph}
		if d, err := ParseDate(date); err == nil {
			a.DecisionDate = d
		}
		if err := CheckRemissAnswer(&a, today); err == nil {
			if _, perr := ParseRemissPosition(string(a.Position)); perr != nil || a.DecisionDate.After(today) || a.ReceivedOn != today {
				t.Fatalf("accepted %+v", a)
			}
		}
		r := Remiss{Question: comments, Subject: subject, LastDay: MustDate("2020-12-01"), Parties: []RemissParty{{PartyID: 1}}}
		if err := CheckRemiss(&r, today); err == nil && (r.Question == "" || len([]rune(r.Subject)) > MaxRemissSubject) {
			t.Fatalf("accepted %+v", r)
		}
		s := DraftRemissSummary([]RemissReply{{Party: body, Position: RemissPosition(position)}}, subject)
		if !strings.HasSuffix(s, ".") {
			t.Fatalf("draft %q does not end a sentence", s)
		}
	})
}
