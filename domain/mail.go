package domain

import "time"

// MailKind says what a mail is about; a user may choose not to get some
// kinds (Mitt konto), never those their role needs.
type MailKind string

// The kinds of mail GNS sends.
const (
	// MailKallelse tells the called members that a kallelse is published
	// (or changed).
	MailKallelse MailKind = "kallelse"
	// MailJustering asks a justerare to justera the minutes; the role needs
	// it, so it cannot be turned off.
	MailJustering MailKind = "justering"
	// MailForhinder tells the secretariat that a member cannot attend a
	// meeting (förhinder), so it calls in an ersättare: required.
	MailForhinder MailKind = "forhinder"
	// MailCallIn sends the kallelse to an ersättare the secretariat called
	// in for a member with förhinder: required.
	MailCallIn MailKind = "inkallelse"
	// MailJusterat tells the secretariat that both justerare have approved
	// the minutes.
	MailJusterat MailKind = "justerat"
	// MailAssignments is the weekly digest of assignments (uppdrag) due
	// within 30 days or overdue: the assignee's own, the secretariat's all.
	MailAssignments MailKind = "uppdrag"
	// MailUtdrag carries a protokollsutdrag at expediering to a party's
	// registry or a role's users: required, it is the committee's formal
	// notice of a decision.
	MailUtdrag MailKind = "utdrag"
	// MailInvoice carries an invoice or credit note to the party's invoice
	// address, with its PDF and e-invoice: required (it goes to a party,
	// not to a user who could choose).
	MailInvoice MailKind = "invoice"
	// MailReminder carries a påminnelse of an overdue invoice to the
	// party's invoice address: required, like MailInvoice.
	MailReminder MailKind = "reminder"
	// MailRemiss sends a remiss to a party's contact and representatives,
	// and reminds those that have not answered before the last day.
	MailRemiss MailKind = "remiss"
	// MailTest is the admin's test mail from Utskick.
	MailTest MailKind = "test"
)

// MailKinds are the kinds a user can see in Mitt konto, in the order shown.
var MailKinds = []MailKind{MailKallelse, MailCallIn, MailJustering, MailJusterat, MailForhinder, MailAssignments, MailUtdrag, MailRemiss}

// Label is the kind in Swedish words.
func (k MailKind) Label() string {
	switch k {
	case MailKallelse:
		return "Kallelser till sammanträden (och ändringar i dem)"
	case MailJustering:
		return "Begäran om justering av protokoll"
	case MailForhinder:
		return "Förhinder som ledamöter anmäler"
	case MailCallIn:
		return "Kallelse när du kallas in som ersättare"
	case MailJusterat:
		return "Protokoll som justerarna har justerat"
	case MailAssignments:
		return "Veckobrev om uppdrag som ska vara klara inom 30 dagar eller är försenade"
	case MailUtdrag:
		return "Protokollsutdrag som expedieras till dig"
	case MailInvoice:
		return "Fakturor och kreditfakturor till parterna"
	case MailReminder:
		return "Påminnelser om förfallna fakturor"
	case MailRemiss:
		return "Remisser till din part (och påminnelser före sista svarsdag)"
	case MailTest:
		return "Provutskick"
	}
	return string(k)
}

// Required reports whether the kind goes out whatever the user has chosen:
// mail that the user's task needs (a justerare must know the minutes wait).
func (k MailKind) Required() bool {
	switch k {
	case MailJustering, MailForhinder, MailCallIn, MailUtdrag, MailTest, MailInvoice, MailReminder:
		return true
	}
	return false
}

// For reports whether u's roles bring mail of kind k: kallelser and
// justering go to the members (ledamöter and ersättare), förhinder and
// justerade protokoll to the secretariat; the assignment digest to those
// who are usually given assignments (it goes to any assignee with a user).
func (k MailKind) For(u User) bool {
	switch k {
	case MailKallelse, MailCallIn, MailJustering:
		return u.Has(RoleMember)
	case MailForhinder, MailJusterat:
		return u.Has(RoleSecretariat)
	case MailAssignments:
		return u.HasAny(RoleSecretariat, RoleEconomist, RoleMember)
	case MailUtdrag:
		return u.HasAny(RoleEconomist, RoleSecretariat, RoleAuditor)
	case MailRemiss:
		return u.Has(RoleParty)
	}
	return false
}

// MailStatus is where a mail stands.
type MailStatus string

// The statuses of a mail.
const (
	// MailKept is a mail composed while no SMTP server is configured: kept
	// and shown under Utskick, never sent.
	MailKept MailStatus = "kept"
	// MailQueued is a mail the queue is sending (or will try again).
	MailQueued MailStatus = "queued"
	// MailSent is a mail the SMTP server accepted.
	MailSent MailStatus = "sent"
	// MailFailed is a mail the queue gave up on after its last attempt.
	MailFailed MailStatus = "failed"
)

// Label is the status in Swedish words.
func (s MailStatus) Label() string {
	switch s {
	case MailKept:
		return "ej skickat (ingen e-postserver inställd)"
	case MailQueued:
		return "i kö"
	case MailSent:
		return "skickat"
	case MailFailed:
		return "misslyckades"
	}
	return string(s)
}

// Mail is one e-mail to one recipient, kept from when the change that
// caused it was committed.
type Mail struct {
	ID          int64
	CommitteeID int64
	Kind        MailKind
	// Ref names what the mail is about, e.g. "meeting:12", so that a page
	// can list the mails of one meeting.
	Ref      string
	ToEmail  string
	ToName   string
	ToUserID int64
	// FromName is the sender's display name: the committee's name.
	FromName string
	Subject  string
	Text     string
	HTML     string
	Status   MailStatus
	Attempts int
	// LastError is the SMTP server's answer (or the connection's error) at
	// the last failed attempt.
	LastError     string
	LastAttemptAt time.Time
	SentAt        time.Time
	CreatedAt     time.Time
	CreatedBy     string
	// Attachments go with the mail in their order (an invoice's PDF and
	// UBL file, a protokollsutdrag). Mail lists leave them out; reading
	// one mail fills them.
	Attachments []MailAttachment
}

// MailAttachment is one file sent with a mail, kept as it was composed.
type MailAttachment struct {
	Filename    string
	ContentType string
	Content     []byte
}

// MaxMailAttachments bounds the size of all of one mail's attachments
// together (10 MB: what common mail servers take).
const MaxMailAttachments = 10 << 20
