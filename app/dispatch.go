package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/kallelse"
	"github.com/region-jh/gns/reports/protokoll"
	"github.com/region-jh/gns/store"
)

// DispatchTarget is one address a protokollsutdrag goes to: a party's
// registry, or one user of a role.
type DispatchTarget struct {
	// Key names the recipient once per paragraph (meeting.PartyRecipient,
	// meeting.UserRecipient).
	Key             string
	Email, Name     string
	PartyID, UserID int64
	// Sent is the dispatch that already went to this recipient, if any.
	Sent *meeting.Dispatch
}

// DispatchOption is one recipient expediering offers for a paragraph: a
// party or a role.
type DispatchOption struct {
	// Code is what the form and the API choose it by: "party:<slug>" or
	// "role:<role>" (e.g. "role:economist").
	Code string
	// Label is whom the utdrag is made out to: "Bräcke kommun", "Ekonom".
	Label string
	// Default is chosen unless the secretariat changes it: the
	// paragraph's "expedieras till", or every party when it names none.
	Default bool
	Targets []DispatchTarget
	// Missing says why there is no one to send to (no registry address, no
	// user with the role); such an option cannot be chosen.
	Missing string
	utdrag  meeting.Recipient
}

// Pending returns the targets that have not yet been sent the utdrag.
func (o DispatchOption) Pending() []DispatchTarget {
	var out []DispatchTarget
	for _, t := range o.Targets {
		if t.Sent == nil {
			out = append(out, t)
		}
	}
	return out
}

// DispatchParagraph is one paragraph of an expediering with its options.
type DispatchParagraph struct {
	Paragraph meeting.Paragraph
	Options   []DispatchOption
}

// DispatchPlan is what an expediering of one protokoll can send: per
// paragraph, the parties and roles it can go to, what is chosen by
// default, and what has gone out already.
type DispatchPlan struct {
	Minutes    protokoll.Minutes
	Paragraphs []DispatchParagraph
}

// PlanDispatch works out the expediering of a meeting's minutes as c sees
// them: every party of the committee on the meeting's day (to its registry
// address) and every role with users in the committee, per paragraph, with
// the paragraph's "expedieras till" (or all parties) chosen by default.
func PlanDispatch(ctx context.Context, c *store.Conn, cm domain.Committee, m meeting.Meeting) (DispatchPlan, error) {
	mins, err := protokoll.Load(ctx, c, cm, m)
	if err != nil {
		return DispatchPlan{}, err
	}
	plan := DispatchPlan{Minutes: mins}
	dispatches, err := c.MeetingDispatches(ctx, m.ID)
	if err != nil {
		return plan, err
	}
	sent := map[int64]map[string]*meeting.Dispatch{}
	for i, d := range dispatches {
		if sent[d.ParagraphID] == nil {
			sent[d.ParagraphID] = map[string]*meeting.Dispatch{}
		}
		sent[d.ParagraphID][d.Recipient] = &dispatches[i]
	}
	users, err := c.Users(ctx)
	if err != nil {
		return plan, err
	}
	roleUsers := map[domain.Role][]DispatchTarget{}
	for _, role := range meeting.DispatchRoles {
		for _, u := range users {
			if !u.Disabled() && u.HasIn(cm.ID, role) {
				roleUsers[role] = append(roleUsers[role], DispatchTarget{Key: meeting.UserRecipient(u.ID), Email: u.Email, Name: u.Name, UserID: u.ID})
			}
		}
	}
	for _, p := range mins.Paragraphs {
		dp := DispatchParagraph{Paragraph: p}
		listed := map[string]string{} // option code → the label the list gives it
		var unknown []meeting.Recipient
		list := mins.Recipients(p)
		if len(p.DispatchTo) == 0 {
			list = meeting.ExpandRecipients([]meeting.Recipient{{Kind: meeting.RecipientParties}}, mins.Parties)
		}
		for _, r := range list {
			switch r.Kind {
			case meeting.RecipientParty:
				listed["party:"+r.Party] = ""
			case meeting.RecipientRole:
				if role, ok := meeting.UserRoleOf(r); ok {
					listed["role:"+string(role)] = r.Role
				} else {
					unknown = append(unknown, r)
				}
			}
		}
		for _, party := range mins.Parties {
			o := DispatchOption{Code: "party:" + party.Slug, Label: party.Name,
				utdrag: meeting.Recipient{Kind: meeting.RecipientParty, Party: party.Slug}}
			_, o.Default = listed[o.Code]
			if party.RegistryEmail == "" {
				o.Missing = party.Name + " saknar registratorns e-postadress (ange den på partens sida)."
			} else {
				o.Targets = []DispatchTarget{{Key: meeting.PartyRecipient(party.ID), Email: party.RegistryEmail, Name: "Registrator, " + party.Name, PartyID: party.ID}}
			}
			dp.Options = append(dp.Options, o)
		}
		for _, role := range meeting.DispatchRoles {
			code := "role:" + string(role)
			label, isListed := listed[code]
			if label == "" {
				label = role.Label()
			}
			targets := append([]DispatchTarget(nil), roleUsers[role]...)
			if len(targets) == 0 && !isListed {
				continue
			}
			o := DispatchOption{Code: code, Label: label, Default: isListed, Targets: targets,
				utdrag: meeting.Recipient{Kind: meeting.RecipientRole, Role: label}}
			if len(targets) == 0 {
				o.Missing = "Ingen användare har rollen " + role.Label() + " i " + cm.Code + "."
			}
			dp.Options = append(dp.Options, o)
		}
		for _, r := range unknown {
			dp.Options = append(dp.Options, DispatchOption{Code: r.Code(), Label: r.Role,
				Missing: r.Role + " har ingen användare i GNS: skicka utdraget på annat sätt (utdraget finns att ladda ned på paragrafens sida)."})
		}
		for i := range dp.Options {
			for j := range dp.Options[i].Targets {
				t := &dp.Options[i].Targets[j]
				t.Sent = sent[p.ID][t.Key]
			}
			if dp.Options[i].Missing != "" {
				dp.Options[i].Default = false
			}
		}
		plan.Paragraphs = append(plan.Paragraphs, dp)
	}
	return plan, nil
}

// DispatchResult is what an expediering did.
type DispatchResult struct {
	// Sent are the dispatches made now; Already counts the chosen
	// recipients that had the utdrag before and were not sent it again.
	Sent    []meeting.Dispatch
	Already int
}

// errNotJusterat refuses to expediera minutes that are not justerade.
func errNotJusterat(m meeting.Meeting) error {
	return domain.Errorf(domain.ECONFLICT, "Protokollet från sammanträdet den %s är inte justerat. Bara ett justerat protokoll kan expedieras.", m.Date)
}

// Expedite sends each chosen paragraph's protokollsutdrag (the PDF
// "Rätt utdraget betygar") by mail to its chosen recipients and records
// each dispatch, in the caller's transaction: all or nothing. chosen maps
// a paragraph's id to the codes of its options (DispatchOption.Code); nil
// chooses every paragraph's defaults. A recipient who already got a
// paragraph's utdrag is not sent it again. Minutes that are not justerade
// are refused (ECONFLICT) and nothing is sent.
func Expedite(ctx context.Context, c *store.Conn, cm domain.Committee, m meeting.Meeting, chosen map[int64][]string, baseURL string) (DispatchResult, error) {
	var res DispatchResult
	if !m.Locked() {
		return res, errNotJusterat(m)
	}
	plan, err := PlanDispatch(ctx, c, cm, m)
	if err != nil {
		return res, err
	}
	picks, err := plan.choose(chosen)
	if err != nil {
		return res, err
	}
	for _, pk := range picks {
		pending := pk.option.Pending()
		res.Already += len(pk.option.Targets) - len(pending)
		if len(pending) == 0 {
			continue
		}
		pdf, err := protokoll.Utdrag(plan.Minutes, pk.paragraph, pk.option.utdrag)
		if err != nil {
			return res, err
		}
		att := domain.MailAttachment{Filename: protokoll.UtdragFileName(pk.paragraph, pk.option.utdrag, plan.Minutes.Parties), ContentType: "application/pdf", Content: pdf}
		for _, t := range pending {
			d, err := dispatchOne(ctx, c, cm, m, pk.paragraph, pk.option, t, att, baseURL)
			if err != nil {
				return res, err
			}
			res.Sent = append(res.Sent, d)
		}
	}
	return res, nil
}

type pick struct {
	paragraph meeting.Paragraph
	option    DispatchOption
}

// choose turns the chosen codes into the options to send, checking each:
// a paragraph of these minutes, an option it offers, someone to send to.
func (plan DispatchPlan) choose(chosen map[int64][]string) ([]pick, error) {
	var out []pick
	known := map[int64]bool{}
	for _, dp := range plan.Paragraphs {
		known[dp.Paragraph.ID] = true
		want := map[string]bool{}
		if chosen == nil {
			for _, o := range dp.Options {
				want[o.Code] = o.Default
			}
		} else {
			for _, code := range chosen[dp.Paragraph.ID] {
				want[code] = true
			}
		}
		for _, o := range dp.Options {
			if !want[o.Code] {
				continue
			}
			delete(want, o.Code)
			if o.Missing != "" {
				return nil, domain.Errorf(domain.EINVALID, "%s: %s", dp.Paragraph.Ref(), o.Missing)
			}
			out = append(out, pick{paragraph: dp.Paragraph, option: o})
		}
		for code, on := range want {
			if on {
				return nil, domain.Errorf(domain.EINVALID, "%s kan inte expedieras till %q: välj en av nämndens parter eller en roll med användare.", dp.Paragraph.Ref(), code)
			}
		}
	}
	for id := range chosen {
		if !known[id] {
			return nil, domain.Errorf(domain.EINVALID, "Paragrafen med id %d hör inte till protokollet.", id)
		}
	}
	if len(out) == 0 {
		return nil, domain.Errorf(domain.EINVALID, "Välj minst en mottagare för minst en paragraf.")
	}
	return out, nil
}

// ParagraphURL is the address of a paragraph's page.
func paragraphURL(base string, id int64) string {
	return strings.TrimSuffix(base, "/") + "/paragrafer/" + strconv.FormatInt(id, 10)
}

// dispatchOne keeps the mail with one protokollsutdrag to one recipient
// and records the dispatch.
func dispatchOne(ctx context.Context, c *store.Conn, cm domain.Committee, m meeting.Meeting, p meeting.Paragraph, o DispatchOption, t DispatchTarget,
	att domain.MailAttachment, baseURL string) (meeting.Dispatch, error) {
	page := paragraphURL(baseURL, p.ID)
	l := Letter{
		Subject:  "Protokollsutdrag " + p.Ref() + " " + p.Title + " – " + cm.Name,
		Greeting: "Hej!",
		Paras: []string{"Här är ett utdrag ur det justerade protokollet från sammanträdet med " + cm.Name + " " +
			kallelse.DayInText(m.Date) + ": " + protokoll.Heading(p) + ". Utdraget finns som PDF i brevet (" + att.Filename + ")."},
		Facts: [][2]string{{"Paragraf", p.Ref()}, {"Till", o.Label}},
		Links: [][2]string{{"Paragrafen i GNS", page}},
	}
	if p.CaseNumber != "" {
		l.Facts = append(l.Facts, [2]string{"Ärende", p.CaseNumber})
	}
	if t.PartyID != 0 {
		l.Paras = append(l.Paras, "Registrera utdraget i "+o.Label+"s diarium och bekräfta mottagandet i GNS med ert diarienummer: logga in som partens representant och välj \"Bekräfta mottagande\" på paragrafens sida.")
		l.Links = append(l.Links, [2]string{"Bekräfta mottagande", page + "#mottagande"})
		l.Footer = "Du får detta brev från GNS eftersom " + cm.Name + " expedierar sina beslut till " + o.Label + " genom registratorn."
	} else {
		l.Footer = "Du får detta brev från GNS eftersom du har rollen " + o.Label + " i " + cm.Name + " och utdraget expedieras till den. Brev med protokollsutdrag går alltid ut."
	}
	text, html, err := l.Render()
	if err != nil {
		return meeting.Dispatch{}, err
	}
	id, err := c.KeepMail(ctx, domain.Mail{CommitteeID: cm.ID, Kind: domain.MailUtdrag, Ref: MeetingRef(m.ID), ToEmail: t.Email, ToName: t.Name,
		ToUserID: t.UserID, FromName: cm.Name, Subject: l.Subject, Text: text, HTML: html, Attachments: []domain.MailAttachment{att}})
	if err != nil {
		return meeting.Dispatch{}, fmt.Errorf("mail utdrag %s to %s: %w", p.Ref(), t.Email, err)
	}
	return c.RecordDispatch(ctx, meeting.Dispatch{ParagraphID: p.ID, Recipient: t.Key, Label: o.Label, PartyID: t.PartyID, UserID: t.UserID,
		ToEmail: t.Email, ToName: t.Name, MailID: id})
}
