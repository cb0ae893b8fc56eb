package domain

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/region-jh/gns/sv"
)

// CaseStatus is where a case (ärende) stands in the committee's handling.
type CaseStatus string

// The statuses of a case, in the order a case usually passes through them.
const (
	CaseRegistered    CaseStatus = "registered"     // registrerat
	CaseInPreparation CaseStatus = "in_preparation" // under beredning
	CaseOnAgenda      CaseStatus = "on_agenda"      // på föredragningslista
	CaseDecided       CaseStatus = "decided"        // beslutat
	CaseClosed        CaseStatus = "closed"         // avslutat
)

// CaseStatuses lists every status in the order a case passes through them.
var CaseStatuses = []CaseStatus{CaseRegistered, CaseInPreparation, CaseOnAgenda, CaseDecided, CaseClosed}

// OpenCaseStatuses are the statuses the secretariat may set directly. Closing
// and reopening are actions of their own, recorded as such.
var OpenCaseStatuses = []CaseStatus{CaseRegistered, CaseInPreparation, CaseOnAgenda, CaseDecided}

// Valid reports whether s is a known status.
func (s CaseStatus) Valid() bool {
	for _, k := range CaseStatuses {
		if s == k {
			return true
		}
	}
	return false
}

// Label returns the Swedish name of the status, in lower case as it stands in
// running text and tables.
func (s CaseStatus) Label() string {
	switch s {
	case CaseRegistered:
		return "registrerat"
	case CaseInPreparation:
		return "under beredning"
	case CaseOnAgenda:
		return "på föredragningslista"
	case CaseDecided:
		return "beslutat"
	case CaseClosed:
		return "avslutat"
	}
	return string(s)
}

// ParseCaseStatus reads a status by its code name; the error is about the
// field "status".
func ParseCaseStatus(s string) (CaseStatus, error) {
	st := CaseStatus(strings.TrimSpace(s))
	if !st.Valid() {
		return "", FieldErrorf("status", "Okänd status %s. Välj en av registrerat, under beredning, på föredragningslista, beslutat eller avslutat.", sv.Quote(s))
	}
	return st, nil
}

// Case is an ärende in a committee's register. It is never deleted: a case
// that needs no more handling is closed, and can be reopened.
type Case struct {
	ID          int64
	CommitteeID int64
	Number      CaseNumber
	Title       string
	Description string
	// HandlerID is the handläggare, a user of the committee's secretariat; 0
	// when no one is assigned.
	HandlerID   int64
	HandlerName string
	Status      CaseStatus
	// RegisteredOn is the day of registration. It is the zero Date for a case
	// imported from an older register whose day is not known: its year is in
	// the number.
	RegisteredOn Date
	// Imported is true for a case that came in with a number given to it in
	// an older register rather than one GNS handed out.
	Imported  bool
	CreatedAt time.Time
	UpdatedAt time.Time
	// ClosedAt is when the case was last closed; zero while it is open.
	ClosedAt time.Time
}

// Closed reports whether the case is closed.
func (c Case) Closed() bool { return c.Status == CaseClosed }

// Limits on a case's text.
const (
	// MaxCaseTitle is the longest title, in characters; a title is one line.
	MaxCaseTitle = 300
	// MaxCaseDescription is the longest description (ärendebeskrivning), in
	// characters: several pages of text, well above the seeds' longest.
	MaxCaseDescription = 10_000
	// MaxCaseNote is the longest note on a status change, closing or reopening.
	MaxCaseNote = 1_000
)

// CheckCaseText checks a case's title and description and returns them
// trimmed. The title is required and is one line; the description may be
// empty. Errors are about the fields "title" and "description".
func CheckCaseText(title, description string) (string, string, error) {
	title, description = strings.TrimSpace(title), strings.TrimSpace(description)
	if title == "" {
		return "", "", FieldErrorf("title", "Ange en titel för ärendet.")
	}
	if err := CheckText("title", "Titeln", title, MaxCaseTitle); err != nil {
		return "", "", err
	}
	if strings.ContainsAny(title, "\r\n") {
		return "", "", FieldErrorf("title", "Titeln ska vara en enda rad.")
	}
	if err := CheckText("description", "Beskrivningen", description, MaxCaseDescription); err != nil {
		return "", "", err
	}
	return title, description, nil
}

// CheckCaseNote checks the optional note that goes with a status change,
// closing or reopening, and returns it trimmed.
func CheckCaseNote(note string) (string, error) {
	note = strings.TrimSpace(note)
	return note, CheckText("note", "Kommentaren", note, MaxCaseNote)
}

// CaseFolded is the search key of a case: its title and description folded
// with FoldSwedish, so that "åre" finds "Åre" on both engines.
func CaseFolded(title, description string) string {
	return FoldSwedish(title + "\n" + description)
}

// CaseEventKind is what happened to a case, as its timeline shows it.
type CaseEventKind string

// The kinds of event on a case's timeline. Later parts of GNS (meetings,
// decisions) add their own.
const (
	CaseEventRegistered    CaseEventKind = "registered"
	CaseEventImported      CaseEventKind = "imported"
	CaseEventEdited        CaseEventKind = "edited"
	CaseEventStatusChanged CaseEventKind = "status_changed"
	CaseEventDocumentAdded CaseEventKind = "document_added"
	CaseEventLinkAdded     CaseEventKind = "link_added"
	CaseEventClosed        CaseEventKind = "closed"
	CaseEventReopened      CaseEventKind = "reopened"
	// CaseEventAgenda is a change on a meeting's föredragningslista: the case
	// taken up, moved to another meeting or withdrawn (the note says which).
	CaseEventAgenda CaseEventKind = "agenda"
	// CaseEventRemiss is a remiss sent to the parties, or a party's answer
	// to it (the note says which).
	CaseEventRemiss CaseEventKind = "remiss"
)

// Label returns the Swedish description of the event kind.
func (k CaseEventKind) Label() string {
	switch k {
	case CaseEventRegistered:
		return "Registrerat"
	case CaseEventImported:
		return "Infört från tidigare diarium"
	case CaseEventEdited:
		return "Uppgifter ändrade"
	case CaseEventStatusChanged:
		return "Ny status"
	case CaseEventDocumentAdded:
		return "Handling tillagd"
	case CaseEventLinkAdded:
		return "Kopplat till ärende"
	case CaseEventClosed:
		return "Avslutat"
	case CaseEventReopened:
		return "Återöppnat"
	case CaseEventAgenda:
		return "Föredragningslista"
	case CaseEventRemiss:
		return "Remiss"
	}
	return string(k)
}

// CaseEvent is one entry on a case's timeline.
type CaseEvent struct {
	ID     int64
	CaseID int64
	At     time.Time
	// Actor names who did it (the user's name, or the system).
	Actor string
	Kind  CaseEventKind
	// FromStatus and ToStatus are set for status changes, closing and
	// reopening.
	FromStatus CaseStatus
	ToStatus   CaseStatus
	// DocumentID and DocumentTitle are set when a document was added.
	DocumentID    int64
	DocumentTitle string
	// RelatedID and Related are the other case of a link.
	RelatedID int64
	Related   CaseNumber
	// Note is the user's comment, or for an edit the fields that changed.
	Note string
}

// CaseCursor is a place in a list of cases ordered by number, newest first:
// the year and running number of the case next to the page's edge. Lists page
// with it (keyset pagination) instead of an offset, so a page deep into a
// large register costs the same as the first.
type CaseCursor struct {
	Year int
	Seq  int
}

// IsZero reports whether c is the zero cursor (no cursor).
func (c CaseCursor) IsZero() bool { return c == CaseCursor{} }

// String writes the cursor as year-seq, e.g. 2020-10, the form ParseCaseCursor
// reads and page links carry.
func (c CaseCursor) String() string {
	if c.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d-%d", c.Year, c.Seq)
}

// ParseCaseCursor reads a cursor written by CaseCursor.String; "" is the zero
// cursor. The error is about the field given.
func ParseCaseCursor(field, s string) (CaseCursor, error) {
	if s == "" {
		return CaseCursor{}, nil
	}
	y, q, ok := strings.Cut(s, "-")
	year, err1 := strconv.Atoi(y)
	seq, err2 := strconv.Atoi(q)
	if !ok || err1 != nil || err2 != nil || year < 1 || year > 9999 || seq < 1 || seq > CaseNumberSeqMax {
		return CaseCursor{}, FieldErrorf(field, "Ogiltig sidangivelse. Gå tillbaka till första sidan.")
	}
	return CaseCursor{Year: year, Seq: seq}, nil
}

// CaseFilter selects cases of one committee; zero fields do not filter.
type CaseFilter struct {
	CommitteeID int64
	Year        int
	Status      CaseStatus
	HandlerID   int64
	// Open keeps only cases that are not closed (avslutat).
	Open bool
	// Text is searched for in the title and description, each word on its
	// own, without regard to case (Swedish letters included).
	Text string
	// After gives the page of cases older than the cursor, Before the page
	// of cases newer than it; at most one is set.
	After, Before CaseCursor
	// Limit is the page size; 0 or too large means MaxCasePage.
	Limit int
}

// MaxCasePage is the most cases one page of a list holds.
const MaxCasePage = 100

// MaxCaseCount bounds how far a list counts its matches: a count over a
// whole large register on every page view would read every row, so beyond
// this the list says "more than".
const MaxCaseCount = 1000

// MaxCaseSearchWords bounds the words of one text search.
const MaxCaseSearchWords = 10

// CheckCaseSearch checks a search text and returns its folded words.
func CheckCaseSearch(text string) ([]string, error) {
	if err := CheckText("q", "Söktexten", text, 200); err != nil {
		return nil, err
	}
	words := strings.Fields(FoldSwedish(text))
	if len(words) > MaxCaseSearchWords {
		return nil, FieldErrorf("q", "Sök på högst %d ord åt gången.", MaxCaseSearchWords)
	}
	return words, nil
}

// CasePage is one page of a case list.
type CasePage struct {
	Cases []Case
	// Older and Newer are the cursors of the neighbouring pages, zero where
	// there is none.
	Older, Newer CaseCursor
	// Total is how many cases match, counted up to MaxCaseCount; More is
	// true when there are more than that.
	Total int
	More  bool
}

// CaseDocumentKind is the kind of a case document.
type CaseDocumentKind string

// The kinds of document a case holds.
const (
	CaseDocumentOfficerReport CaseDocumentKind = "officer_report" // tjänsteskrivelse
	CaseDocumentDecisionBasis CaseDocumentKind = "decision_basis" // beslutsunderlag
	CaseDocumentAttachment    CaseDocumentKind = "attachment"     // bilaga
)

// CaseDocumentKinds lists every kind in the order forms offer them.
var CaseDocumentKinds = []CaseDocumentKind{CaseDocumentOfficerReport, CaseDocumentDecisionBasis, CaseDocumentAttachment}

// Label returns the Swedish name of the kind.
func (k CaseDocumentKind) Label() string {
	switch k {
	case CaseDocumentOfficerReport:
		return "Tjänsteskrivelse"
	case CaseDocumentDecisionBasis:
		return "Beslutsunderlag"
	case CaseDocumentAttachment:
		return "Bilaga"
	}
	return string(k)
}

// ParseCaseDocumentKind reads a kind by its code name; the error is about the
// field "kind".
func ParseCaseDocumentKind(s string) (CaseDocumentKind, error) {
	k := CaseDocumentKind(strings.TrimSpace(s))
	for _, v := range CaseDocumentKinds {
		if k == v {
			return k, nil
		}
	}
	return "", FieldErrorf("kind", "Välj vilken sorts handling det är: tjänsteskrivelse, beslutsunderlag eller bilaga.")
}

// CaseDocument is a file filed in a case: a tjänsteskrivelse, a
// beslutsunderlag or a bilaga. Its checksum lets anyone verify that a copy is
// the filed document.
type CaseDocument struct {
	ID     int64
	CaseID int64
	Kind   CaseDocumentKind
	Title  string
	// FileName is the original name, made safe by SanitizeFileName.
	FileName    string
	ContentType string
	Size        int64
	// SHA256 is the hex SHA-256 of the content.
	SHA256     string
	UploadedBy string
	UploadedAt time.Time
}

// MaxCaseDocumentSize is the largest document accepted, in bytes (20 MB).
const MaxCaseDocumentSize = 20 << 20

// MaxCaseDocumentTitle is the longest document title, in characters.
const MaxCaseDocumentTitle = 300

// CheckCaseDocumentTitle checks a document's title and returns it trimmed. An
// empty title becomes the file name without its extension.
func CheckCaseDocumentTitle(title, fileName string) (string, error) {
	title = strings.TrimSpace(title)
	if title == "" {
		title = strings.TrimSpace(strings.TrimSuffix(fileName, fileExt(fileName)))
	}
	if err := CheckText("title", "Titeln", title, MaxCaseDocumentTitle); err != nil {
		return "", err
	}
	if title == "" {
		return "", FieldErrorf("title", "Ange en titel för handlingen.")
	}
	if strings.ContainsAny(title, "\r\n") {
		return "", FieldErrorf("title", "Titeln ska vara en enda rad.")
	}
	return title, nil
}

// documentType is an allowed file type: its content type, the extensions it
// may carry, and the name people know it by.
type documentType struct {
	contentType string
	exts        []string
	name        string
}

var documentTypes = []documentType{
	{"application/pdf", []string{".pdf"}, "PDF"},
	{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", []string{".docx"}, "Word (DOCX)"},
	{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", []string{".xlsx"}, "Excel (XLSX)"},
	{"application/vnd.oasis.opendocument.text", []string{".odt"}, "OpenDocument (ODT)"},
	{"text/plain; charset=utf-8", []string{".txt"}, "text (TXT)"},
	{"image/png", []string{".png"}, "PNG"},
	{"image/jpeg", []string{".jpg", ".jpeg"}, "JPEG"},
}

// AllowedDocumentTypes names the allowed file types for people, e.g. in a
// form's hint.
const AllowedDocumentTypes = "PDF, DOCX, XLSX, ODT, TXT (UTF-8), PNG och JPEG"

// CheckDocument checks an uploaded file and returns its content type. The
// type is decided by the content, not the name: the file must be one of the
// allowed types, and its name's extension must be one that type carries, so a
// program renamed to .pdf is refused and a download opens in the right
// program. Errors are about the field "file", in Swedish.
func CheckDocument(fileName string, data []byte) (string, error) {
	switch {
	case len(data) == 0:
		return "", FieldErrorf("file", "Filen %s är tom.", sv.Quote(fileName))
	case len(data) > MaxCaseDocumentSize:
		return "", FieldErrorf("file", "Filen %s är för stor: högst 20 MB.", sv.Quote(fileName))
	}
	ext := strings.ToLower(fileExt(fileName))
	var byExt *documentType
	for i, t := range documentTypes {
		for _, e := range t.exts {
			if e == ext {
				byExt = &documentTypes[i]
			}
		}
	}
	if byExt == nil {
		return "", FieldErrorf("file", "Filen %s har en filtyp som inte tas emot. Tillåtna är %s.", sv.Quote(fileName), AllowedDocumentTypes)
	}
	sniffed := sniffDocument(data)
	if sniffed != byExt.contentType {
		return "", FieldErrorf("file", "Filen %s heter %s men innehållet är inte %s. Kontrollera att det är rätt fil; tillåtna är %s.",
			sv.Quote(fileName), ext, byExt.name, AllowedDocumentTypes)
	}
	return sniffed, nil
}

// sniffDocument returns the content type of data among the allowed types, or
// "" when it is none of them.
func sniffDocument(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return "application/pdf"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return "image/jpeg"
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return sniffZip(data)
	case plainText(data):
		return "text/plain; charset=utf-8"
	}
	return ""
}

// sniffZip tells the office formats apart, which are all ZIP archives: an
// OpenDocument names its type in a first entry called "mimetype", and Office
// Open XML files have a content-types part and their main part. Only the
// archive's directory and the small mimetype entry are read, so a crafted
// archive cannot make this expensive.
func sniffZip(data []byte) string {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return ""
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
	}
	if len(zr.File) > 0 && zr.File[0].Name == "mimetype" {
		rc, err := zr.File[0].Open()
		if err != nil {
			return ""
		}
		b, err := io.ReadAll(io.LimitReader(rc, 100))
		_ = rc.Close() // a reader of a file in memory has nothing to report
		if err == nil && string(b) == "application/vnd.oasis.opendocument.text" {
			return "application/vnd.oasis.opendocument.text"
		}
		return ""
	}
	if !names["[Content_Types].xml"] {
		return ""
	}
	switch {
	case names["word/document.xml"]:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case names["xl/workbook.xml"]:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return ""
}

// plainText reports whether data is UTF-8 text (a byte order mark allowed)
// without control characters other than tab, line breaks and form feed.
func plainText(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return false
	}
	for _, r := range string(data) {
		if (r < ' ' && r != '\t' && r != '\n' && r != '\r' && r != '\f') || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return false
		}
	}
	return true
}

// fileExt returns the extension of a file name with its dot ("" for none).
func fileExt(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i <= 0 {
		return ""
	}
	return name[i:]
}

// MaxFileName is the longest file name kept, in characters.
const MaxFileName = 150

// SanitizeFileName makes an uploaded file's name safe to store and to send
// back in a download: the last path element only (browsers on Windows send
// C:\...\name), no control characters, quotes or path separators, at most
// MaxFileName characters with the extension kept, and "handling" for a name
// that is left empty. Letters such as å, ä and ö stay.
func SanitizeFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.ToValidUTF8(name, "")
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return ' '
		case r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return -1
		case strings.ContainsRune(`"*:<>?|`, r):
			return '_'
		}
		return r
	}, name)
	name = strings.Trim(strings.Join(strings.Fields(name), " "), ". ")
	if utf8.RuneCountInString(name) > MaxFileName {
		ext := fileExt(name)
		if utf8.RuneCountInString(ext) > 10 {
			ext = ""
		}
		base := []rune(strings.TrimSuffix(name, ext))
		name = strings.Trim(string(base[:MaxFileName-utf8.RuneCountInString(ext)]), ". ") + ext
	}
	if name == "" || strings.HasPrefix(name, ".") {
		name = "handling" + name
	}
	return name
}
