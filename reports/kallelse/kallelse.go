// Package kallelse builds the PDF of a meeting's kallelse in the layout of
// the committee's own notices (shared/seeds/004): the committee and
// "Kallelse" at the top with the day, time and place, the members called by
// role, then the föredragningslista with each item's ärendebeskrivning,
// förslag till beslut, expedieras till and beslutsunderlag, and the
// assignments (uppdrag) due to report back at the meeting.
package kallelse

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/reports/pdf"
	"github.com/region-jh/gns/sv"
)

// Kallelse is everything the document shows.
type Kallelse struct {
	// Committee is the committee's full name, e.g. "Gemensam nämnd för
	// samverkan inom drift och service, utveckling samt
	// specialistfunktioner"; Host the host party's name for the footer.
	Committee string
	Host      string
	Meeting   meeting.Meeting
	// Members are the members called, in the order domain.MemberRole.Rank
	// gives (chair, vice chair, ledamöter, ersättare).
	Members []domain.Member
	Items   []Item
	// Assignments are the uppdrag to report back at this meeting.
	Assignments []meeting.Assignment
	// Changes are the changes made after the kallelse was published: the
	// kallelse is then "ändrad" and says what changed.
	Changes []meeting.KallelseChange
	// Created fixes the PDF's creation date; the publishing time is usual,
	// so the same kallelse gives the same bytes.
	Created time.Time
}

// Item is one item of the föredragningslista as the kallelse prints it.
type Item struct {
	meeting.AgendaItem
	// Number is the item's number on the list (its position).
	Number int
	// Recipients are the "expedieras till" list written out, e.g.
	// "Nämndens parter", "Bräcke kommun", "Ekonom".
	Recipients []string
	// Basis are the titles of the beslutsunderlag: the case's documents.
	Basis []string
	// MovedToDate is the date of the meeting a moved item went to.
	MovedToDate domain.Date
	// Attachments are the item's beslutsunderlag as files: a PDF is
	// appended to the kallelse, any other format is listed.
	Attachments []Attachment
}

// Attachment is one document of an item's beslutsunderlag, with its bytes.
type Attachment struct {
	Title, FileName, ContentType string
	Content                      []byte
}

// Heading is the item's heading as the list prints it: "3. Sammanträdestider
// 2021 (GNS/10/2020)", with "– utgår" or "– flyttad till …" for an item that
// is no longer on the list.
func (it Item) Heading() string {
	h := strconv.Itoa(it.Number) + ". " + it.Title
	if it.CaseNumber != "" {
		h += " (" + it.CaseNumber + ")"
	}
	switch it.Status {
	case meeting.AgendaWithdrawn:
		h += " – utgår"
	case meeting.AgendaMoved:
		h += " – flyttad till sammanträdet " + it.MovedToDate.String()
	}
	return h
}

// DayText writes a meeting's day as the kallelse does: "Måndag 14 december
// 2020".
func DayText(d domain.Date) string {
	return capitalise(d.WeekdayName()) + " " + sv.LongDate(d)
}

// DayInText writes a meeting's day for running text and headings:
// "måndag 14 december 2020".
func DayInText(d domain.Date) string {
	return d.WeekdayName() + " " + sv.LongDate(d)
}

// TimeText writes a meeting's time as "kl. 09.00–12.00".
func TimeText(m meeting.Meeting) string {
	return "kl. " + strings.Replace(m.StartTime, ":", ".", 1) + "–" + strings.Replace(m.EndTime, ":", ".", 1)
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// Group is the members of one role as a kallelse lists them, under a
// heading such as "Ledamöter".
type Group struct {
	Title   string
	Members []domain.Member
}

// memberGroups are the headings the members are listed under.
var memberGroups = []struct {
	role  domain.MemberRole
	title string
}{
	{domain.MemberChair, "Ordförande"},
	{domain.MemberViceChair, "Vice ordförande"},
	{domain.MemberOrdinary, "Ledamöter"},
	{domain.MemberSubstitute, "Ersättare"},
}

// Groups sorts the members into their roles' groups, in the kallelse's
// order; roles without members are left out.
func Groups(members []domain.Member) []Group {
	var out []Group
	for _, g := range memberGroups {
		grp := Group{Title: g.title}
		for _, mb := range members {
			if mb.Role == g.role {
				grp.Members = append(grp.Members, mb)
			}
		}
		if len(grp.Members) > 0 {
			out = append(out, grp)
		}
	}
	return out
}

// Build lays the kallelse out and returns the PDF.
func Build(k Kallelse) ([]byte, error) {
	m := k.Meeting
	title := "Kallelse " + m.Date.String()
	d := pdf.New(pdf.Options{
		Title:   title,
		Subject: "Kallelse till sammanträde " + DayText(m.Date),
		Author:  k.Committee,
		Creator: "GNS",
		Created: k.Created,
		Header:  k.Committee,
		Footer:  k.Host,
	})
	d.Title("Kallelse")
	rows := []pdf.KeyValue{
		{Label: "Nämnd", Value: k.Committee},
		{Label: "Dag", Value: DayText(m.Date)},
		{Label: "Tid", Value: TimeText(m)},
	}
	if m.Place != "" {
		rows = append(rows, pdf.KeyValue{Label: "Plats", Value: m.Place})
	}
	if m.Link != "" {
		rows = append(rows, pdf.KeyValue{Label: "Digitalt", Value: m.Link})
	}
	if m.Cancelled() {
		rows = append(rows, pdf.KeyValue{Label: "Obs!", Value: "Sammanträdet är inställt."})
	}
	if n := len(k.Changes); n > 0 {
		rows = append(rows, pdf.KeyValue{Label: "Ändrad", Value: ChangedText(k.Changes)})
	}
	d.KeyValues(rows...)
	if m.Notes != "" {
		d.Paragraph(m.Notes)
	}
	annex := annexOf(k.Items)
	if len(annex) > 0 {
		d.TableOfContents()
	}
	if len(k.Changes) > 0 {
		d.Heading(2, "Ändringar efter publiceringen")
		var list []string
		for _, ch := range k.Changes {
			list = append(list, sv.DateTime(ch.At)+": "+ch.What)
		}
		d.BulletList(list...)
	}

	d.Heading(1, "Kallade")
	for _, g := range Groups(k.Members) {
		var table []pdf.Row
		for _, mb := range g.Members {
			table = append(table, pdf.Row{Cells: []string{mb.DisplayName(), mb.AppointedByName}})
		}
		d.Heading(3, g.Title)
		d.Table(pdf.Table{Columns: []pdf.Column{{Title: "Namn", Width: 1}, {Title: "Utsedd av", Width: 1}}, Rows: table})
	}
	if len(k.Members) == 0 {
		d.Note("Inga ledamöter är registrerade för sammanträdets datum.")
	}

	d.Heading(1, "Föredragningslista")
	for _, it := range k.Items {
		d.Heading(2, it.Heading())
		switch it.Status {
		case meeting.AgendaWithdrawn:
			d.Note("Punkten är återtagen och behandlas inte på sammanträdet.")
			continue
		case meeting.AgendaMoved:
			d.Note("Punkten är flyttad och behandlas på sammanträdet den " + sv.LongDate(it.MovedToDate) + ".")
			continue
		}
		section(d, "Ärendebeskrivning", it.Description)
		section(d, "Förslag till beslut", it.Proposal)
		if len(it.Recipients) > 0 {
			d.Heading(3, "Expedieras till")
			d.Paragraph(strings.Join(it.Recipients, "\n"))
		}
		if len(it.Basis) > 0 {
			d.Heading(3, "Beslutsunderlag")
			d.BulletList(annex.basis(it)...)
		}
	}

	if len(k.Assignments) > 0 {
		d.Heading(1, "Uppdrag att återrapportera")
		d.Paragraph("Följande uppdrag ska återrapporteras vid sammanträdet.")
		var rows []pdf.Row
		for _, a := range k.Assignments {
			given := a.Given
			if a.CaseNumber != "" {
				given = strings.TrimSpace(given + " " + a.CaseNumber)
			}
			rows = append(rows, pdf.Row{Cells: []string{given, a.Assignee, a.Description, a.DueOn.String(), a.Status.Label()}})
		}
		d.Table(pdf.Table{Columns: []pdf.Column{
			{Title: "Givet", Width: 1.2}, {Title: "Till", Width: 1.7}, {Title: "Uppdrag", Width: 3},
			{Title: "Senast", Width: 1.1}, {Title: "Status", Width: 1.2},
		}, Rows: rows})
	}
	annex.append(d)
	return d.Bytes()
}

// annexEntry is one document of the kallelse's bilagor: a PDF appended as
// bilaga Number, or a file listed (Number 0) with why it is not appended.
type annexEntry struct {
	Item   Item
	Doc    Attachment
	Number int
	Reason string
	// Text is set for a plain-text document, which is typeset as its
	// bilaga rather than imported.
	Text string
}

type annex []annexEntry

// annexOf numbers the active items' attachments that can be appended and
// notes why the others cannot.
func annexOf(items []Item) annex {
	var out annex
	n := 0
	for _, it := range items {
		if it.Status != meeting.AgendaActive {
			continue
		}
		for _, doc := range it.Attachments {
			e := annexEntry{Item: it, Doc: doc}
			switch text, isText := plainText(doc); {
			case pdf.CanAttach(doc.Content) == nil:
				n++
				e.Number = n
			case isText:
				n++
				e.Number, e.Text = n, text
			default:
				e.Reason = "bifogas inte: " + formatName(doc) + "; finns hos ärendet i GNS"
			}
			out = append(out, e)
		}
	}
	return out
}

// formatName names a file's format for the list of bilagor.
func formatName(doc Attachment) string {
	name := strings.ToLower(doc.FileName)
	switch {
	case strings.HasSuffix(name, ".pdf"):
		return "PDF-filen kan inte läsas"
	case strings.HasSuffix(name, ".docx"), strings.HasSuffix(name, ".doc"):
		return "Word-dokument"
	case strings.HasSuffix(name, ".xlsx"), strings.HasSuffix(name, ".xls"):
		return "Excel-fil"
	}
	return "filformatet kan inte bifogas i en PDF"
}

// basis is an item's beslutsunderlag as the list prints it: each document
// with the bilaga it is, or why it is not appended.
func (a annex) basis(it Item) []string {
	out := make([]string, 0, len(it.Basis))
	for _, title := range it.Basis {
		line := title
		for _, e := range a {
			if e.Item.Number == it.Number && e.Doc.Title == title {
				if e.Number > 0 {
					line += " (bilaga " + strconv.Itoa(e.Number) + ")"
				} else {
					line += " (" + e.Reason + ")"
				}
				break
			}
		}
		out = append(out, line)
	}
	return out
}

// append lists the bilagor and appends the PDFs after it, each with an
// outline entry and a line in the table of contents.
func (a annex) append(d *pdf.Document) {
	if len(a) == 0 {
		return
	}
	d.Heading(1, "Bilagor")
	var list []string
	for _, e := range a {
		where := "punkt " + strconv.Itoa(e.Item.Number)
		if e.Number > 0 {
			list = append(list, "Bilaga "+strconv.Itoa(e.Number)+": "+e.Doc.Title+" ("+where+")")
		} else {
			list = append(list, e.Doc.Title+" ("+where+", "+e.Doc.FileName+") – "+e.Reason)
		}
	}
	d.BulletList(list...)
	for _, e := range a {
		title := "Bilaga " + strconv.Itoa(e.Number) + ": " + e.Doc.Title + " (punkt " + strconv.Itoa(e.Item.Number) + ")"
		switch {
		case e.Number == 0:
		case e.Text != "":
			d.PageBreak()
			d.Heading(2, title)
			for _, p := range strings.Split(e.Text, "\n\n") {
				if p = strings.TrimSpace(p); p != "" {
					d.Paragraph(p)
				}
			}
		default:
			// CanAttach accepted it: AttachPDF makes the same checks.
			_ = d.AttachPDF(2, title, e.Doc.Content)
		}
	}
}

// plainText returns a document's text when it is plain UTF-8 text (a .txt
// file, or content type text/plain).
func plainText(doc Attachment) (string, bool) {
	name, ct := strings.ToLower(doc.FileName), strings.ToLower(doc.ContentType)
	if !strings.HasSuffix(name, ".txt") && !strings.HasPrefix(ct, "text/plain") {
		return "", false
	}
	if !utf8.Valid(doc.Content) || len(doc.Content) == 0 {
		return "", false
	}
	return strings.ReplaceAll(string(doc.Content), "\r\n", "\n"), true
}

// section prints a subheading and the text under it, one paragraph per
// block of text between blank lines; nothing when the text is empty.
func section(d *pdf.Document, heading, text string) {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if text == "" {
		return
	}
	d.Heading(3, heading)
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			d.Paragraph(p)
		}
	}
}

// ChangedText says when a published kallelse was last changed: "Ändrad 3
// gånger efter publiceringen, senast 2027-02-01 kl. 14.05".
func ChangedText(changes []meeting.KallelseChange) string {
	if len(changes) == 0 {
		return ""
	}
	times := "en gång"
	if len(changes) > 1 {
		times = strconv.Itoa(len(changes)) + " gånger"
	}
	return "Ändrad " + times + " efter publiceringen, senast " + sv.DateTime(changes[len(changes)-1].At)
}
