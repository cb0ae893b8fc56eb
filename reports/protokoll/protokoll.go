// Package protokoll builds the PDFs of a meeting's minutes in the layout of
// the committee's own minutes (shared/seeds/004): the protokoll with every
// paragraph (§) — sammanfattning, förslag till beslut, yrkanden,
// propositionsordning, votering, beslut, reservationer, expedieras till and
// beslutsunderlag — and the justerare's approval; and one protokollsutdrag
// per paragraph and recipient, singly or all of a meeting in one ZIP.
//
// Three documents come from the same minutes:
//
//   - the justeringsexemplar (Justeringsexemplar): the minutes as the
//     justerare approve them, with no approval in it. Its SHA-256 is what an
//     approval records and what locks the minutes; the same minutes give the
//     same bytes, so anyone can build it again and compare;
//   - the protokoll (Protokoll): the justeringsexemplar's content with the
//     justering block — who approved and when, "Justerat" and the first
//     characters of the hash — and the anslag;
//   - the protokollsutdrag (Utdrag, UtdragZIP): one paragraph for one
//     recipient, certified "Rätt utdraget betygar".
package protokoll

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/kallelse"
	"github.com/region-jh/gns/reports/pdf"
	"github.com/region-jh/gns/sv"
)

// Minutes is everything the documents show.
type Minutes struct {
	// Committee is the committee's full name; Host the host party's name
	// for the footer.
	Committee string
	Host      string
	Meeting   meeting.Meeting
	// Attendance is every member called, with the member filled in, in the
	// kallelse's order.
	Attendance []meeting.Attendance
	// Paragraphs are the minutes' paragraphs in number order.
	Paragraphs []meeting.Paragraph
	// Parties are the committee's parties on the meeting's day in its
	// order: the names of party recipients, and who "Nämndens parter" are.
	Parties   []domain.Party
	Justering meeting.Justering
	// ChairSigns is the committee's reglemente having the ordförande sign
	// the minutes (domain.Committee.ChairSignsMinutes).
	ChairSigns bool
}

// Source is where Load reads a meeting's minutes from; the store's
// connection is one. An interface keeps the reports free of the store.
type Source interface {
	MeetingByID(ctx context.Context, id int64) (meeting.Meeting, error)
	PartyByID(ctx context.Context, id int64) (domain.Party, error)
	Attendance(ctx context.Context, meetingID int64) ([]meeting.Attendance, error)
	MeetingParagraphs(ctx context.Context, meetingID int64) ([]meeting.Paragraph, error)
	CommitteePartiesOn(ctx context.Context, committeeID int64, day domain.Date) ([]domain.MemberParty, error)
	Justering(ctx context.Context, meetingID int64) (meeting.Justering, error)
}

// Load reads everything the documents of meeting m of committee cm show:
// the host, the attendance, the paragraphs, the parties on the meeting's day
// and the justering.
func Load(ctx context.Context, src Source, cm domain.Committee, m meeting.Meeting) (Minutes, error) {
	out := Minutes{Committee: cm.Name, Meeting: m, ChairSigns: cm.ChairSignsMinutes}
	var err error
	if cm.HostPartyID != 0 {
		host, err := src.PartyByID(ctx, cm.HostPartyID)
		if err != nil {
			return out, err
		}
		out.Host = host.Name
	}
	if out.Attendance, err = src.Attendance(ctx, m.ID); err != nil {
		return out, err
	}
	if out.Paragraphs, err = src.MeetingParagraphs(ctx, m.ID); err != nil {
		return out, err
	}
	mps, err := src.CommitteePartiesOn(ctx, cm.ID, m.Date)
	if err != nil {
		return out, err
	}
	for _, p := range mps {
		out.Parties = append(out.Parties, p.Party)
	}
	out.Justering, err = src.Justering(ctx, m.ID)
	return out, err
}

// ExemplarHash builds the justeringsexemplar of the meeting's minutes as src
// has them now and returns its SHA-256: the hash a justering records.
func ExemplarHash(ctx context.Context, src Source, cm domain.Committee, meetingID int64) (string, error) {
	m, err := src.MeetingByID(ctx, meetingID)
	if err != nil {
		return "", err
	}
	mins, err := Load(ctx, src, cm, m)
	if err != nil {
		return "", err
	}
	b, err := Justeringsexemplar(mins)
	if err != nil {
		return "", fmt.Errorf("justeringsexemplar of meeting %d: %w", meetingID, err)
	}
	return Hash(b), nil
}

// Hash returns the SHA-256 of a document in hex, as the justering records
// it.
func Hash(pdfBytes []byte) string {
	sum := sha256.Sum256(pdfBytes)
	return hex.EncodeToString(sum[:])
}

// ShortHash is the beginning of a hash as the documents print it.
func ShortHash(h string) string {
	if len(h) > 16 {
		return h[:16] + "…"
	}
	return h
}

// meetingStart is the meeting's start in Swedish time, the fixed creation
// date of a justeringsexemplar.
func meetingStart(m meeting.Meeting) time.Time {
	h, mm, _ := strings.Cut(m.StartTime, ":")
	hour, _ := strconv.Atoi(h)
	minute, _ := strconv.Atoi(mm)
	return time.Date(m.Date.Year, m.Date.Month, m.Date.Day, hour, minute, 0, 0, sv.Location())
}

// Imported reports whether the minutes were justerade on paper and brought
// into GNS: locked with no approval recorded.
func (m Minutes) Imported() bool {
	if !m.Justering.Locked() {
		return false
	}
	for _, j := range m.Justering.Justerare {
		if j.Approved() {
			return false
		}
	}
	return true
}

// ParagraphRange writes the numbers of the minutes' paragraphs, "§ 1–12",
// or "" for none.
func (m Minutes) ParagraphRange() string {
	if len(m.Paragraphs) == 0 {
		return ""
	}
	first, last := m.Paragraphs[0].Number, m.Paragraphs[len(m.Paragraphs)-1].Number
	if first == last {
		return "§ " + strconv.Itoa(first)
	}
	return fmt.Sprintf("§ %d–%d", first, last)
}

func (m Minutes) document(title, subject string, created time.Time) *pdf.Document {
	return pdf.New(pdf.Options{Title: title, Subject: subject, Author: m.Committee, Creator: "GNS",
		Created: created, Header: m.Committee, Footer: m.Host})
}

// Justeringsexemplar builds the minutes as the justerare approve them. The
// bytes depend only on the minutes: the creation date is the meeting's
// start.
func Justeringsexemplar(m Minutes) ([]byte, error) {
	// Frozen: the exemplar keeps the layout it was approved in, so the
	// hash of minutes justerade earlier still verifies.
	d := pdf.New(pdf.Options{Title: "Protokoll " + m.Meeting.Date.String(), Author: m.Committee, Creator: "GNS", Frozen: true,
		Subject: "Protokoll från sammanträde " + kallelse.DayText(m.Meeting.Date) + " (justeringsexemplar)",
		Created: meetingStart(m.Meeting), Header: m.Committee, Footer: m.Host})
	m.minutes(d)
	// Nothing here depends on the approvals or the lock: the exemplar built
	// after the justering is the one the justerare approved.
	if rows := m.justerareRows(false); len(rows) > 0 {
		d.Heading(1, "Justering")
		d.KeyValues(rows...)
	}
	return d.Bytes()
}

// justeringHeight is about the height of the protokoll's justering block
// with its anslag, in millimetres.
const justeringHeight = 85

// Protokoll builds the minutes with the justering block: each justerare's
// approval with its time, "Justerat" and the beginning of the
// justeringsexemplar's SHA-256, and the anslag with the last day of appeal.
// Minutes that are not yet locked are marked as a draft.
func Protokoll(m Minutes) ([]byte, error) {
	created := meetingStart(m.Meeting)
	if m.Justering.Locked() {
		created = m.Justering.LockedAt
	}
	d := m.document("Protokoll "+m.Meeting.Date.String(), "Protokoll från sammanträde "+kallelse.DayText(m.Meeting.Date), created)
	if !m.Justering.Locked() {
		d.Note("Utkast – protokollet är inte justerat.")
	}
	m.minutes(d)
	// The justering and the anslag stay together on one page: never a
	// page holding only "Bevis om anslag".
	d.KeepTogether(justeringHeight)
	d.Heading(1, "Justering")
	rows := m.justerareRows(true)
	if m.Justering.Secretary != "" {
		rows = append(rows, pdf.KeyValue{Label: "Sekreterare", Value: m.Justering.Secretary})
	}
	if m.ChairSigns {
		rows = append(rows, pdf.KeyValue{Label: "Ordförande", Value: signatureLine + "\n" + m.Chair()})
	}
	if len(rows) > 0 {
		d.KeyValues(rows...)
	}
	m.approvalBlock(d)
	return d.Bytes()
}

// signatureLine is where a person signs the printed protokoll.
const signatureLine = "..............................................................."

// Chair names who chaired the meeting, as the attendance has it: the
// ordförande when present, else the vice ordförande when present; "" when
// neither was (the nämnd then chose a chair for the day, which the minutes
// say in their own words).
func (m Minutes) Chair() string {
	for _, role := range []domain.MemberRole{domain.MemberChair, domain.MemberViceChair} {
		for _, a := range m.Attendance {
			if a.Present && a.Member.Role == role {
				return a.Member.DisplayName()
			}
		}
	}
	return ""
}

// justerareRows names the justerare and the tid för justering; with
// justered, imported minutes refer to the paper original for the names.
func (m Minutes) justerareRows(justered bool) []pdf.KeyValue {
	var names []string
	for _, j := range m.Justering.Justerare {
		names = append(names, j.MemberName)
	}
	rows := []pdf.KeyValue{}
	if len(names) > 0 {
		rows = append(rows, pdf.KeyValue{Label: "Justerare", Value: strings.Join(names, "\n")})
	} else if justered && m.Imported() && m.Meeting.MinutesNotice != "" {
		rows = append(rows, pdf.KeyValue{Label: "Justerare", Value: "Inga: protokollet är konstruerat"})
	} else if justered && m.Imported() {
		rows = append(rows, pdf.KeyValue{Label: "Justerare", Value: "Enligt originalprotokollet"})
	}
	if !m.Justering.Due.IsZero() {
		rows = append(rows, pdf.KeyValue{Label: "Tid för justering", Value: sv.LongDate(m.Justering.Due)})
	}
	return rows
}

// approvalBlock prints who approved and when, the lock with the hash, and
// the anslag.
func (m Minutes) approvalBlock(d *pdf.Document) {
	j := m.Justering
	var rows []pdf.KeyValue
	for _, a := range j.Justerare {
		value := "Har inte justerat ännu"
		if a.Approved() {
			value = "Elektroniskt " + sv.DateTime(a.ApprovedAt)
			if a.ApproverName != "" {
				value += " (inloggad som " + a.ApproverName + ")"
			}
		}
		rows = append(rows, pdf.KeyValue{Label: a.MemberName, Value: value})
	}
	if len(rows) > 0 {
		d.KeyValues(rows...)
	}
	if !j.Locked() {
		d.Paragraph("Protokollet är inte justerat.")
		return
	}
	lock := sv.DateTime(j.LockedAt) + ", av båda justerarna."
	switch {
	case m.Imported() && m.Meeting.MinutesNotice != "":
		lock = "Inte justerat: konstruerat och låst i GNS " + sv.DateTime(j.LockedAt) + "."
	case m.Imported():
		lock = "På papper; infört i GNS " + sv.DateTime(j.LockedAt) + "."
	}
	d.KeyValues(
		pdf.KeyValue{Label: "Justerat", Value: lock},
		pdf.KeyValue{Label: "Kontrollsumma", Value: "SHA-256 " + ShortHash(j.SHA256) + " (justeringsexemplaret)"},
	)
	if !j.AnnouncedOn.IsZero() {
		d.Heading(2, "Bevis om anslag")
		d.Paragraph(fmt.Sprintf("Protokollet är justerat. Justeringen har tillkännagetts genom anslag den %s. Sista dag att överklaga besluten är %s.",
			sv.LongDate(j.AnnouncedOn), sv.LongDate(j.AppealEnds())))
	}
}

// minutes prints the front matter and every paragraph.
func (m Minutes) minutes(d *pdf.Document) {
	mt := m.Meeting
	d.Title("Protokoll")
	if mt.MinutesNotice != "" {
		d.Note(mt.MinutesNotice)
	}
	rows := []pdf.KeyValue{
		{Label: "Nämnd", Value: m.Committee},
		{Label: "Dag", Value: kallelse.DayText(mt.Date)},
		{Label: "Tid", Value: kallelse.TimeText(mt)},
	}
	if mt.Place != "" {
		rows = append(rows, pdf.KeyValue{Label: "Plats", Value: mt.Place})
	}
	if r := m.ParagraphRange(); r != "" {
		rows = append(rows, pdf.KeyValue{Label: "Paragrafer", Value: r})
	}
	d.KeyValues(rows...)
	m.attendance(d)
	for _, p := range m.Paragraphs {
		m.paragraph(d, p, 1)
	}
}

// attendance prints who decided (beslutande), the ersättare present
// without serving, and who was absent.
func (m Minutes) attendance(d *pdf.Document) {
	names := map[int64]string{}
	for _, a := range m.Attendance {
		names[a.MemberID] = a.Member.DisplayName()
	}
	var serving []pdf.Row
	var substitutes, absent []string
	for _, a := range m.Attendance {
		switch {
		case a.Serving:
			role := a.Member.Role.Label()
			if a.ServingFor != 0 {
				role = "Tjänstgörande ersättare för " + names[a.ServingFor]
			}
			serving = append(serving, pdf.Row{Cells: []string{a.Member.DisplayName(), role, presence(a)}})
		case a.Present:
			substitutes = append(substitutes, a.Member.DisplayName()+presenceSuffix(a))
		default:
			absent = append(absent, a.Member.DisplayName())
		}
	}
	if len(serving)+len(substitutes)+len(absent) == 0 {
		return
	}
	d.Heading(2, "Närvarande")
	if len(serving) > 0 {
		d.Heading(3, "Beslutande")
		d.Table(pdf.Table{Columns: []pdf.Column{{Title: "Namn", Width: 2}, {Title: "Roll", Width: 2.4}, {Title: "Närvaro", Width: 1.3}}, Rows: serving})
	}
	if len(substitutes) > 0 {
		d.Heading(3, "Ersättare, ej tjänstgörande")
		d.Paragraph(strings.Join(substitutes, "\n"))
	}
	if len(absent) > 0 {
		d.Heading(3, "Frånvarande")
		d.Paragraph(strings.Join(absent, "\n"))
	}
}

// presence writes when a member came or left: "§ 1–7", "från § 4", or
// "hela sammanträdet", and ", på distans" for distance participation.
func presence(a meeting.Attendance) string {
	if a.Remote {
		return presenceSpan(a) + ", på distans"
	}
	return presenceSpan(a)
}

// presenceSpan is presence without the distance participation.
func presenceSpan(a meeting.Attendance) string {
	switch {
	case a.ArrivedAt != 0 && a.LeftAfter != 0:
		return fmt.Sprintf("§ %d–%d", a.ArrivedAt, a.LeftAfter)
	case a.ArrivedAt != 0:
		return fmt.Sprintf("från § %d", a.ArrivedAt)
	case a.LeftAfter != 0:
		return fmt.Sprintf("till och med § %d", a.LeftAfter)
	}
	return "hela sammanträdet"
}

func presenceSuffix(a meeting.Attendance) string {
	if p := presence(a); a.ArrivedAt != 0 || a.LeftAfter != 0 || a.Remote {
		return " (" + p + ")"
	}
	return ""
}

// Heading writes a paragraph's heading: "§ 14 Revisionsrapport
// (GNS/6/2020)".
func Heading(p meeting.Paragraph) string {
	h := "§ " + strconv.Itoa(p.Number) + " " + p.Title
	if p.CaseNumber != "" {
		h += " (" + p.CaseNumber + ")"
	}
	return h
}

// paragraph prints one paragraph with its heading at level.
func (m Minutes) paragraph(d *pdf.Document, p meeting.Paragraph, level int) {
	d.Heading(level, Heading(p))
	if len(p.Jav) > 0 {
		names := make([]string, len(p.Jav))
		for i, j := range p.Jav {
			names[i] = j.MemberName
		}
		d.Heading(3, "Jäv")
		d.Paragraph(sv.List(names) + " anmäler jäv och deltar inte i handläggningen av ärendet.")
	}
	text(d, "Sammanfattning", p.Summary)
	text(d, "Förslag till beslut", p.Proposal)
	if len(p.Motions) > 0 {
		d.Heading(3, "Yrkanden")
		for _, mo := range p.Motions {
			d.Paragraph(mo.MemberName + ": " + mo.Text)
		}
	}
	if p.PropositionOrder != "" || p.PropositionResult != "" {
		d.Heading(3, "Propositionsordning")
		if p.PropositionOrder != "" {
			d.Paragraph(p.PropositionOrder)
		}
		if p.PropositionResult != "" {
			d.Paragraph("Utfall: " + p.PropositionResult)
		}
	}
	if p.Count != nil && p.SecretBallot {
		d.Heading(3, "Votering")
		d.Paragraph("Sluten omröstning. Resultat: " + p.Count.String() + ".")
	} else if p.Count != nil {
		d.Heading(3, "Votering")
		var rows []pdf.Row
		for _, a := range m.Attendance {
			if v, ok := p.Votes[a.MemberID]; ok {
				rows = append(rows, pdf.Row{Cells: []string{a.Member.DisplayName(), v.Label()}})
			}
		}
		d.Table(pdf.Table{Columns: []pdf.Column{{Title: "Ledamot", Width: 3}, {Title: "Röst", Width: 1}}, Rows: rows,
			Total: []string{"Resultat", p.Count.String()}})
	}
	if points := p.DecisionPoints(); len(points) > 0 {
		d.Heading(3, "Beslut")
		if len(points) == 1 {
			d.Paragraph(points[0])
		} else {
			d.NumberedList(points...)
		}
	}
	text(d, "Reservationer", p.Reservations)
	if len(p.Notes) > 0 {
		d.Heading(3, "Protokollsanteckningar")
		for _, n := range p.Notes {
			d.Paragraph(n.MemberName + ": " + n.Text)
		}
	}
	if len(p.DispatchTo) > 0 {
		d.Heading(3, "Expedieras till")
		labels := make([]string, len(p.DispatchTo))
		for i, r := range p.DispatchTo {
			labels[i] = r.Label(m.Parties)
		}
		d.Paragraph(strings.Join(labels, ", "))
	}
	if items := p.BasisItems(); len(items) > 0 {
		d.Heading(3, "Beslutsunderlag")
		d.BulletList(items...)
	}
}

// text prints a subheading and the text under it, one paragraph per block
// between blank lines; nothing when the text is empty.
func text(d *pdf.Document, heading, body string) {
	if body = strings.TrimSpace(body); body == "" {
		return
	}
	d.Heading(3, heading)
	for _, block := range strings.Split(body, "\n\n") {
		if block = strings.TrimSpace(block); block != "" {
			d.Paragraph(block)
		}
	}
}

// Recipients returns the recipients of a paragraph's protokollsutdrag:
// its "expedieras till" list with "Nämndens parter" written out as every
// party.
func (m Minutes) Recipients(p meeting.Paragraph) []meeting.Recipient {
	return meeting.ExpandRecipients(p.DispatchTo, m.Parties)
}

// Utdrag builds the protokollsutdrag of one paragraph for one recipient:
// the paragraph as the protokoll has it, who it is sent to, and the
// certification "Rätt utdraget betygar" with the justering it comes from.
// Only locked minutes give extracts.
func Utdrag(m Minutes, p meeting.Paragraph, to meeting.Recipient) ([]byte, error) {
	if !m.Justering.Locked() {
		return nil, domain.Errorf(domain.ECONFLICT, "Protokollet är inte justerat. Utdrag tas ut ur justerade protokoll.")
	}
	mt := m.Meeting
	d := m.document("Utdrag ur protokoll "+mt.Date.String()+" "+p.Ref(), "Protokollsutdrag "+Heading(p)+" till "+to.Label(m.Parties), m.Justering.LockedAt)
	d.Title("Utdrag ur protokoll")
	if mt.MinutesNotice != "" {
		d.Note(mt.MinutesNotice)
	}
	d.KeyValues(
		pdf.KeyValue{Label: "Nämnd", Value: m.Committee},
		pdf.KeyValue{Label: "Sammanträde", Value: kallelse.DayText(mt.Date)},
		pdf.KeyValue{Label: "Paragraf", Value: p.Ref()},
		pdf.KeyValue{Label: "Till", Value: to.Label(m.Parties)},
	)
	m.paragraph(d, p, 1)
	d.Heading(2, "Justering")
	rows := m.justerareRows(true)
	rows = append(rows, pdf.KeyValue{Label: "Justerat", Value: sv.DateTime(m.Justering.LockedAt)},
		pdf.KeyValue{Label: "Kontrollsumma", Value: "SHA-256 " + ShortHash(m.Justering.SHA256) + " (justeringsexemplaret)"})
	if !m.Justering.AnnouncedOn.IsZero() {
		rows = append(rows, pdf.KeyValue{Label: "Anslag", Value: sv.LongDate(m.Justering.AnnouncedOn) +
			"; sista dag att överklaga " + sv.LongDate(m.Justering.AppealEnds())})
	}
	d.KeyValues(rows...)
	d.Spacer(4)
	d.Paragraph("Rätt utdraget betygar")
	d.Paragraph(m.certifiedBy())
	d.Note("Utdraget är framställt ur det justerade protokollet i GNS.")
	return d.Bytes()
}

// certifiedBy is who certifies an extract: the meeting's sekreterare by
// name, or the secretariat for minutes from before the sekreterare was
// recorded.
func (m Minutes) certifiedBy() string {
	if m.Justering.Secretary != "" {
		return m.Justering.Secretary + ", sekreterare, " + m.Committee
	}
	return "Sekretariatet, " + m.Committee
}

// UtdragFileName names one extract in a ZIP or a download: "Utdrag § 8-2020
// Bräcke kommun.pdf".
func UtdragFileName(p meeting.Paragraph, to meeting.Recipient, parties []domain.Party) string {
	name := fmt.Sprintf("Utdrag § %d-%d %s.pdf", p.Number, p.Year, to.Label(parties))
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < ' ' {
			return '-'
		}
		return r
	}, name)
}

// UtdragZIP builds every protokollsutdrag of the minutes, one per paragraph
// and recipient, in one ZIP file, paragraphs in order. The ZIP's bytes are
// as fixed as the extracts': every entry is dated at the justering.
func UtdragZIP(m Minutes) ([]byte, error) {
	if !m.Justering.Locked() {
		return nil, domain.Errorf(domain.ECONFLICT, "Protokollet är inte justerat. Utdrag tas ut ur justerade protokoll.")
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	n := 0
	for _, p := range m.Paragraphs {
		for _, r := range m.Recipients(p) {
			b, err := Utdrag(m, p, r)
			if err != nil {
				return nil, fmt.Errorf("utdrag %s to %s: %w", p.Ref(), r.Code(), err)
			}
			w, err := zw.CreateHeader(&zip.FileHeader{Name: UtdragFileName(p, r, m.Parties), Method: zip.Deflate, Modified: m.Justering.LockedAt.UTC()})
			if err != nil {
				return nil, err
			}
			if _, err := w.Write(b); err != nil {
				return nil, err
			}
			n++
		}
	}
	if n == 0 {
		return nil, domain.Errorf(domain.ENOTFOUND, "Inga paragrafer i protokollet har någon mottagare under Expedieras till.")
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
