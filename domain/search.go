package domain

// SearchKind is the kind of thing a search result is.
type SearchKind string

// The kinds of things search finds, in the order results are grouped.
const (
	SearchCase       SearchKind = "case"
	SearchParagraph  SearchKind = "paragraph"
	SearchAgenda     SearchKind = "agenda"
	SearchAssignment SearchKind = "assignment"
	SearchDocument   SearchKind = "document"
	SearchInvoice    SearchKind = "invoice"
)

// SearchKinds lists every kind, in the order results are grouped.
var SearchKinds = []SearchKind{SearchCase, SearchParagraph, SearchAgenda, SearchAssignment, SearchDocument, SearchInvoice}

// Valid reports whether k is one of SearchKinds.
func (k SearchKind) Valid() bool {
	for _, x := range SearchKinds {
		if k == x {
			return true
		}
	}
	return false
}

// Label is the kind's name as a heading over its results.
func (k SearchKind) Label() string {
	switch k {
	case SearchCase:
		return "Ärenden"
	case SearchParagraph:
		return "Paragrafer"
	case SearchAgenda:
		return "Punkter på föredragningslistor"
	case SearchAssignment:
		return "Uppdrag"
	case SearchDocument:
		return "Handlingar"
	case SearchInvoice:
		return "Fakturor"
	}
	return string(k)
}

// SearchAudience says who may read a search result, decided when the
// object is indexed and renewed whenever that changes (a kallelse
// published, minutes justerade).
type SearchAudience string

// The audiences of search results.
const (
	// AudienceCommittee: every role of the committee (cases, their
	// documents, assignments, a published kallelse's items, justerade
	// minutes).
	AudienceCommittee SearchAudience = "committee"
	// AudienceDrafts: those who read drafts, the secretariat, the admin and
	// the auditor (an unpublished kallelse's items, minutes not yet
	// justerade).
	AudienceDrafts SearchAudience = "drafts"
	// AudienceInvoice: the committee's staff (AllocationReaders) and the
	// representative of the invoiced party.
	AudienceInvoice SearchAudience = "invoice"
)

// DraftReaders read a meeting's kallelse before it is published and its
// minutes before they are justerade.
var DraftReaders = []Role{RoleSecretariat, RoleAdmin, RoleAuditor}

// SearchFilter is what a search asks for: the text, and optionally one kind,
// one committee and one year.
type SearchFilter struct {
	Text        string
	Kind        SearchKind
	CommitteeID int64
	Year        int
	// Limit bounds the results (at most MaxSearchResults; 0 means that).
	Limit int
}

// MaxSearchResults is the most results one search returns.
const MaxSearchResults = 100

// SearchHit is one result: what it is, where it belongs, who may read it,
// and its title and snippet.
type SearchHit struct {
	Kind        SearchKind
	ObjectID    int64
	CommitteeID int64
	Year        int
	Audience    SearchAudience
	// PartyID is the invoiced party, for AudienceInvoice.
	PartyID int64
	// Ref is what the link is made from: the case number (cases,
	// documents), the meeting's id (agenda items), the invoice number; the
	// object's id serves the rest.
	Ref   string
	Title string
	// Snippet is a piece of the text around the words found, each found
	// word between SnippetStart and SnippetEnd.
	Snippet string
	// Score orders the results, higher first.
	Score float64
}

// The marks around a found word in SearchHit.Snippet: control characters,
// which indexed text never holds.
const (
	SnippetStart = "\x02"
	SnippetEnd   = "\x03"
)

// CanReadSearchHit reports whether u may read the object a search result
// points to: the check every result passes before it is shown, whatever the
// query already narrowed.
func CanReadSearchHit(u User, h SearchHit) bool {
	switch h.Audience {
	case AudienceCommittee:
		return u.InCommittee(h.CommitteeID)
	case AudienceDrafts:
		return u.HasIn(h.CommitteeID, DraftReaders...)
	case AudienceInvoice:
		if u.HasIn(h.CommitteeID, AllocationReaders...) {
			return true
		}
		for _, g := range u.Roles {
			if g.Role == RoleParty && g.CommitteeID == h.CommitteeID && h.PartyID != 0 && g.PartyID == h.PartyID {
				return true
			}
		}
	}
	return false
}
