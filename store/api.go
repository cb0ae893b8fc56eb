package store

import (
	"context"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store/internal/access"
	"github.com/region-jh/gns/store/internal/arvode"
	"github.com/region-jh/gns/store/internal/meetings"
	"github.com/region-jh/gns/store/internal/minutes"
	"github.com/region-jh/gns/store/internal/money"
	"github.com/region-jh/gns/store/internal/projects"
	"github.com/region-jh/gns/store/internal/registry"
	"github.com/region-jh/gns/store/internal/remiss"
	"github.com/region-jh/gns/store/internal/sso"
)

// The names below are kept by the area packages under store/internal and
// given here under the names callers have always used.

// Credentials are what a login checks, kept apart from domain.User so they are
// never rendered or logged by accident.
type Credentials = access.Credentials

// MaxAuditPage is the most entries one call to AuditEntries returns.
const MaxAuditPage = access.MaxAuditPage

// DraftLifetime is how long a form kept at a session's end waits for its
// user to log in again (SaveFormDraft).
const DraftLifetime = access.DraftLifetime

// ImportResult counts what a population import did.
type ImportResult = registry.ImportResult

// The standing items every föredragningslista begins with.
const (
	StandingAgendaTitle    = meetings.StandingAgendaTitle
	StandingJusterareTitle = meetings.StandingJusterareTitle
)

// CalendarToken is a user's secret calendar address, as far as it is kept:
// when it was made and last used. The token itself is never stored.
type CalendarToken = meetings.CalendarToken

// MeetingProgress is a meeting with how far its minutes have come: the
// paragraphs written, the justerare chosen and those who have approved.
type MeetingProgress = meetings.MeetingProgress

// Undispatched is a justerat protokoll with paragraphs not yet
// expedierade (Conn.UndispatchedMinutes).
type Undispatched = minutes.Undispatched

// EncodeRecipients writes an "expedieras till" list as the JSON array the
// dispatch_to columns of agenda items and paragraphs hold.
func EncodeRecipients(list []meeting.Recipient) string { return meetings.EncodeRecipients(list) }

// DecodeRecipients reads a dispatch_to column; entries it does not know are
// left out.
func DecodeRecipients(s string) []meeting.Recipient { return meetings.DecodeRecipients(s) }

// CheckMeeting trims and checks what the secretariat plans a meeting with:
// the date (with the weekday rule, meeting.CheckMeetingDay), start and end
// times ("09:00"; "9.00" is accepted and written "09:00"), the place and the
// link (an http or https address), the purpose and the notes. It keeps the
// weekday confirmation only where the rule needs it. Errors are field errors
// on date, start_time, end_time, place, link, purpose, notes and
// confirm_weekday.
func CheckMeeting(m *meeting.Meeting) error { return meetings.CheckMeeting(m) }

// ParseClock reads a time of day as a form or the API gives it, "09:00",
// "9:00" or the Swedish "09.00", and returns it as "09:00". Errors are field
// errors on field, with label (e.g. "Starttiden") leading the message.
func ParseClock(field, label, s string) (string, error) { return meetings.ParseClock(field, label, s) }

// MeetingChangeable refuses a change to a cancelled meeting or one whose
// minutes are approved (ECONFLICT), so a page can say so before it shows a
// form.
func MeetingChangeable(m meeting.Meeting) error { return meetings.MeetingChangeable(m) }

// PartyShare is one party's share of an allocation in force, with the
// allocation and its decision (AllocationStatsOf adds what explains it).
type PartyShare = money.PartyShare

// PartyShareAmount is one of a party's shares in brief: enough to say which
// year it concerns and to add up what the party pays per year and kind.
type PartyShareAmount = money.PartyShareAmount

// AllocationStats are what a share's basis is explained by: how many parties
// share the allocation, and the sum of their population figures.
type AllocationStats = money.AllocationStats

// AllocationLine is an allocation as a list shows it, without its shares,
// with the run that invoiced it (0 while not invoiced).
type AllocationLine = money.AllocationLine

// OpenInvoices are a committee's invoices with something left to pay: the
// first few, earliest due first, and the count and sums of all of them.
type OpenInvoices = money.OpenInvoices

// RunSummary is an invoice run as a list shows it: how many documents it
// issued and what is still open on its invoices.
type RunSummary = money.RunSummary

// MinutesHash computes the SHA-256 (hex) of a meeting's minutes PDF, the
// justeringsexemplar, from the data as this connection sees it. The store
// calls it inside the transaction that locks imported minutes, after taking
// the meeting's row, so the hash is of exactly the minutes being locked.
type MinutesHash func(ctx context.Context, c *Conn) (string, error)

// bind gives hash the connection c, in the form the minutes area calls.
func (c *Conn) bind(hash MinutesHash) minutes.MinutesHash {
	if hash == nil {
		return nil
	}
	return func(ctx context.Context) (string, error) { return hash(ctx, c) }
}

// CheckApproval takes the meeting's row and checks that user may approve
// (justera) its minutes today: the minutes are open, the meeting has been
// held, it has two justerare, user is one of them by meeting.CanJustera, and
// the minutes have a paragraph. The approval itself is ApproveMinutes, in the
// same transaction, with the hash of the justeringsexemplar built in between
// from the minutes as the transaction sees them (app.ApproveMinutes).
func (c *Conn) CheckApproval(ctx context.Context, meetingID int64, user domain.User, today domain.Date) error {
	return c.minutesArea.CheckApproval(ctx, meetingID, user, today)
}

// ApproveMinutes records that user approves (justerar) a meeting's minutes
// as one of its two justerare, after CheckApproval's checks, made again
// here: sum is the SHA-256 (hex) of the justeringsexemplar, computed in this
// transaction after CheckApproval took the meeting's row, and is kept with
// the approval. When the other justerare has approved the same hash, the
// minutes are locked with it: meetings.locked_at and minutes_sha256 are set,
// and the database refuses every change to the minutes from then on. When
// the other justerare approved another hash (the minutes changed in
// between), that approval is withdrawn, and the other justerare approves
// again. A justerare who already approved these minutes gets ECONFLICT, and
// so does one who approves before the meeting's day (today is the caller's
// today).
func (c *Conn) ApproveMinutes(ctx context.Context, meetingID int64, user domain.User, today domain.Date, sum string) (meeting.Justering, error) {
	return c.minutesArea.ApproveMinutes(ctx, meetingID, user, today, sum)
}

// LockImportedMinutes locks historical minutes imported from paper
// (ImportParagraph): they were justerade outside GNS, so no approval is
// recorded in the system, and the justerare stay as the paper minutes name
// them. The hash of the minutes PDF, computed by hash after the meeting's row
// is taken, is kept as for minutes approved in GNS.
func (c *Conn) LockImportedMinutes(ctx context.Context, meetingID int64, hash MinutesHash) (meeting.Justering, error) {
	return c.minutesArea.LockImportedMinutes(ctx, meetingID, c.bind(hash))
}

// AttemptCounts are the login attempts counted in a window (see
// CountLoginAttempts).
type AttemptCounts = access.AttemptCounts

// OIDCLink is a GNS user linked by the admin to a subject at an identity
// provider.
type OIDCLink = sso.OIDCLink

// OIDCLogin is a single sign-on login under way: its provider, nonce, PKCE
// verifier and where to go afterwards.
type OIDCLogin = sso.OIDCLogin

// OIDCLoginLifetime is how long a login may take at the provider.
const OIDCLoginLifetime = sso.LoginLifetime

// Receipt is a claim's receipt as uploaded: its name, type and bytes.
type Receipt = arvode.Receipt

// ClaimFilter selects claims by meeting and/or member.
type ClaimFilter = arvode.ClaimFilter

// BasisFilter selects the lines of an arvode basis: a committee, a period,
// and optionally a party's members or one member.
type BasisFilter = arvode.BasisFilter

// ProjectAllocation is an allocation that invoices a project: in advance
// for a year, or the differences of a settlement.
type ProjectAllocation = projects.ProjectAllocation

// ProjectPartyAccount is what one party was invoiced and paid for a project.
type ProjectPartyAccount = projects.PartyAccount

// RemissReminder is one party of a remiss that has not answered and is due
// a reminder (RemissRemindersDue).
type RemissReminder = remiss.RemissReminder
