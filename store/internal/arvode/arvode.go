// Package arvode keeps the members' claims for justerade meetings and reads
// the arvode basis: per member and meeting, the role and the paragraphs they
// were present for (from the attendance, read through the meetings' store)
// and their claims.
package arvode

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store/internal/meetings"
	"github.com/region-jh/gns/store/internal/minutes"
	"github.com/region-jh/gns/store/internal/registry"
	"github.com/region-jh/gns/store/internal/sqlconn"
)

// Arvode holds the claim and basis methods, run on one connection. store.Conn
// embeds it.
type Arvode struct{ db *sqlconn.Conn }

// New returns the claim and basis methods run on db.
func New(db *sqlconn.Conn) Arvode { return Arvode{db: db} }

// Receipt is a claim's receipt as uploaded.
type Receipt struct {
	Name        string
	ContentType string
	Content     []byte
}

type claimRow struct {
	ID          int64        `db:"id"`
	CommitteeID int64        `db:"committee_id"`
	MeetingID   int64        `db:"meeting_id"`
	MeetingDate sqlconn.Date `db:"meeting_date"`
	MemberID    int64        `db:"member_id"`
	MemberName  string       `db:"member_name"`
	Kind        string       `db:"kind"`
	Hours       int64        `db:"hours_hundredths"`
	Km          int64        `db:"km_tenths"`
	From        string       `db:"travel_from"`
	Amount      int64        `db:"amount_ore"`
	Description string       `db:"description"`
	ReceiptName string       `db:"receipt_name"`
	ReceiptType string       `db:"receipt_type"`
	ReceiptSize int64        `db:"receipt_size"`
	ReceiptSHA  string       `db:"receipt_sha256"`
	Status      string       `db:"status"`
	CreatedBy   string       `db:"created_by_label"`
	CreatedAt   time.Time    `db:"created_at"`
	AttestedBy  string       `db:"attested_by_label"`
	AttestedAt  sql.NullTime `db:"attested_at"`
	WithdrawnBy string       `db:"withdrawn_by_label"`
	WithdrawnAt sql.NullTime `db:"withdrawn_at"`
}

func (r claimRow) domain() meeting.Claim {
	return meeting.Claim{ID: r.ID, CommitteeID: r.CommitteeID, MeetingID: r.MeetingID, MeetingDate: domain.Date(r.MeetingDate),
		MemberID: r.MemberID, MemberName: r.MemberName, Kind: meeting.ClaimKind(r.Kind),
		Hours: decimal.New(r.Hours, -2), Km: decimal.New(r.Km, -1), From: r.From, Amount: sqlconn.FromOre(r.Amount),
		Description: r.Description, ReceiptName: r.ReceiptName, ReceiptType: r.ReceiptType, ReceiptSize: r.ReceiptSize,
		ReceiptSHA256: r.ReceiptSHA, Status: meeting.ClaimStatus(r.Status), CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt,
		AttestedBy: r.AttestedBy, AttestedAt: r.AttestedAt.Time, WithdrawnBy: r.WithdrawnBy, WithdrawnAt: r.WithdrawnAt.Time}
}

const claimSelect = `SELECT c.id, c.committee_id, c.meeting_id, m.meeting_date, c.member_id, mb.name AS member_name, c.kind,
	c.hours_hundredths, c.km_tenths, c.travel_from, c.amount_ore, c.description, c.receipt_name, c.receipt_type,
	c.receipt_size, c.receipt_sha256, c.status, c.created_by_label, c.created_at, c.attested_by_label, c.attested_at,
	c.withdrawn_by_label, c.withdrawn_at
	FROM arvode_claims c JOIN meetings m ON m.id = c.meeting_id JOIN committee_members mb ON mb.id = c.member_id`

// claimAudit is how a claim appears in the audit trail (without the receipt).
type claimAudit struct {
	MeetingID   int64  `json:"meeting_id"`
	MemberID    int64  `json:"member_id"`
	Member      string `json:"member"`
	Kind        string `json:"kind"`
	Hours       string `json:"hours,omitempty"`
	Km          string `json:"km,omitempty"`
	From        string `json:"from,omitempty"`
	Amount      string `json:"amount,omitempty"`
	Description string `json:"description,omitempty"`
	Receipt     string `json:"receipt_sha256,omitempty"`
	Status      string `json:"status"`
}

func auditOf(c meeting.Claim) claimAudit {
	a := claimAudit{MeetingID: c.MeetingID, MemberID: c.MemberID, Member: c.MemberName, Kind: string(c.Kind), From: c.From,
		Description: c.Description, Receipt: c.ReceiptSHA256, Status: string(c.Status)}
	if !c.Hours.IsZero() {
		a.Hours = c.Hours.StringFixed(2)
	}
	if !c.Km.IsZero() {
		a.Km = c.Km.StringFixed(1)
	}
	if !c.Amount.IsZero() {
		a.Amount = c.Amount.StringFixed(2)
	}
	return a
}

// scaled converts an exact decimal to an integer count of 10^-places,
// refusing finer values.
func scaled(d decimal.Decimal, places int32, field string) (int64, error) {
	s := d.Shift(places)
	if !s.IsInteger() {
		return 0, domain.FieldErrorf(field, "Värdet %s har för många decimaler.", d)
	}
	return s.IntPart(), nil
}

// AddClaim records a member's claim (parsed with meeting.ParseClaim) for a
// meeting whose minutes are justerade and at which the member was present,
// with its receipt when one came. The claim is submitted; its creator is the
// actor of ctx. Errors: ENOTFOUND for an unknown meeting or member, ECONFLICT
// when the minutes are not justerade, EINVALID when the member was not
// present.
func (a Arvode) AddClaim(ctx context.Context, cl meeting.Claim, receipt *Receipt) (meeting.Claim, error) {
	mt, err := meetings.New(a.db).MeetingByID(ctx, cl.MeetingID)
	if err != nil {
		return meeting.Claim{}, err
	}
	if mt.Cancelled() || !mt.Locked() {
		return meeting.Claim{}, domain.Errorf(domain.ECONFLICT, "Ersättning begärs för ett sammanträde vars protokoll är justerat; protokollet från %s är inte justerat.", mt.Date)
	}
	att, err := meetings.New(a.db).Attendance(ctx, mt.ID)
	if err != nil {
		return meeting.Claim{}, err
	}
	var member *meeting.Attendance
	for i := range att {
		if att[i].MemberID == cl.MemberID {
			member = &att[i]
		}
	}
	if member == nil {
		return meeting.Claim{}, domain.Errorf(domain.ENOTFOUND, "Ledamoten finns inte bland de kallade till sammanträdet.")
	}
	if !member.Present {
		return meeting.Claim{}, domain.FieldErrorf("member", "%s var inte närvarande vid sammanträdet den %s enligt protokollet.", member.Member.DisplayName(), mt.Date)
	}
	hours, err := scaled(cl.Hours, 2, "hours")
	if err != nil {
		return meeting.Claim{}, err
	}
	km, err := scaled(cl.Km, 1, "km")
	if err != nil {
		return meeting.Claim{}, err
	}
	amount, err := sqlconn.ToOre(cl.Amount)
	if err != nil {
		return meeting.Claim{}, domain.FieldErrorf("amount", "Beloppet %s har fler decimaler än öre.", cl.Amount)
	}
	var r Receipt
	var sum string
	var content []byte
	if receipt != nil && len(receipt.Content) > 0 {
		r = *receipt
		h := sha256.Sum256(r.Content)
		sum, content = hex.EncodeToString(h[:]), r.Content
	}
	actor := domain.ActorFrom(ctx)
	id, err := a.db.Insert(ctx, `INSERT INTO arvode_claims (committee_id, meeting_id, member_id, kind, hours_hundredths, km_tenths,
		travel_from, amount_ore, description, receipt_name, receipt_type, receipt_size, receipt_sha256, receipt, status,
		created_by, created_by_label, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		mt.CommitteeID, mt.ID, cl.MemberID, string(cl.Kind), hours, km, cl.From, amount, cl.Description,
		r.Name, r.ContentType, int64(len(content)), sum, content, string(meeting.ClaimSubmitted),
		sqlconn.NullID(actor.UserID), actor.Label, a.db.Now())
	if err != nil {
		return meeting.Claim{}, fmt.Errorf("add claim: %w", err)
	}
	stored, err := a.ClaimByID(ctx, id)
	if err != nil {
		return meeting.Claim{}, err
	}
	if err := a.db.Audit(ctx, "add_claim", "arvode_claim", id, nil, auditOf(stored)); err != nil {
		return meeting.Claim{}, err
	}
	return stored, nil
}

// ClaimByID returns a claim, or ENOTFOUND.
func (a Arvode) ClaimByID(ctx context.Context, id int64) (meeting.Claim, error) {
	var r claimRow
	if err := a.db.Get(ctx, &r, claimSelect+" WHERE c.id = ?", id); err != nil {
		if err == sql.ErrNoRows {
			return meeting.Claim{}, domain.Errorf(domain.ENOTFOUND, "Ersättningsanspråket finns inte.")
		}
		return meeting.Claim{}, fmt.Errorf("claim %d: %w", id, err)
	}
	return r.domain(), nil
}

// ClaimReceipt returns a claim's receipt, or ENOTFOUND when it has none.
func (a Arvode) ClaimReceipt(ctx context.Context, id int64) (Receipt, error) {
	var r struct {
		Name    string `db:"receipt_name"`
		Type    string `db:"receipt_type"`
		Content []byte `db:"receipt"`
	}
	err := a.db.Get(ctx, &r, `SELECT receipt_name, receipt_type, receipt FROM arvode_claims WHERE id = ?`, id)
	if err == sql.ErrNoRows || (err == nil && len(r.Content) == 0) {
		return Receipt{}, domain.Errorf(domain.ENOTFOUND, "Anspråket har inget kvitto.")
	}
	if err != nil {
		return Receipt{}, fmt.Errorf("receipt of claim %d: %w", id, err)
	}
	return Receipt{Name: r.Name, ContentType: r.Type, Content: r.Content}, nil
}

// ClaimFilter selects claims: of a meeting, of a member, or both.
type ClaimFilter struct {
	MeetingID int64
	MemberID  int64
}

// Claims lists claims in the order they were made, withdrawn ones included.
func (a Arvode) Claims(ctx context.Context, f ClaimFilter) ([]meeting.Claim, error) {
	cond, args := "1 = 1", []any{}
	if f.MeetingID != 0 {
		cond, args = cond+" AND c.meeting_id = ?", append(args, f.MeetingID)
	}
	if f.MemberID != 0 {
		cond, args = cond+" AND c.member_id = ?", append(args, f.MemberID)
	}
	var rows []claimRow
	if err := a.db.Select(ctx, &rows, claimSelect+" WHERE "+cond+" ORDER BY m.meeting_date, c.id", args...); err != nil {
		return nil, fmt.Errorf("list claims: %w", err)
	}
	return sqlconn.MapRows(rows, claimRow.domain), nil
}

// AttestClaim attests a submitted claim for the actor of ctx: from then on
// it is final. ECONFLICT when it is already attested or withdrawn.
func (a Arvode) AttestClaim(ctx context.Context, id int64) (meeting.Claim, error) {
	actor := domain.ActorFrom(ctx)
	return a.settle(ctx, id, "attest_claim", `UPDATE arvode_claims SET status = ?, attested_by = ?, attested_by_label = ?, attested_at = ?
		WHERE id = ? AND status = ?`, string(meeting.ClaimAttested), sqlconn.NullID(actor.UserID), actor.Label, a.db.Now(), id, string(meeting.ClaimSubmitted))
}

// WithdrawClaim withdraws a submitted claim; it stays in the history,
// marked withdrawn. ECONFLICT when it is already attested or withdrawn.
func (a Arvode) WithdrawClaim(ctx context.Context, id int64) (meeting.Claim, error) {
	return a.settle(ctx, id, "withdraw_claim", `UPDATE arvode_claims SET status = ?, withdrawn_by_label = ?, withdrawn_at = ?
		WHERE id = ? AND status = ?`, string(meeting.ClaimWithdrawn), domain.ActorFrom(ctx).Label, a.db.Now(), id, string(meeting.ClaimSubmitted))
}

// settle moves a submitted claim to its final status with query.
func (a Arvode) settle(ctx context.Context, id int64, action, query string, args ...any) (meeting.Claim, error) {
	before, err := a.ClaimByID(ctx, id)
	if err != nil {
		return meeting.Claim{}, err
	}
	if before.Status != meeting.ClaimSubmitted {
		return meeting.Claim{}, domain.Errorf(domain.ECONFLICT, "Anspråket är %s och kan inte ändras.", before.Status.Label())
	}
	if _, err := a.db.Exec(ctx, query, args...); err != nil {
		return meeting.Claim{}, fmt.Errorf("%s %d: %w", action, id, err)
	}
	after, err := a.ClaimByID(ctx, id)
	if err != nil {
		return meeting.Claim{}, err
	}
	if err := a.db.Audit(ctx, action, "arvode_claim", id, auditOf(before), auditOf(after)); err != nil {
		return meeting.Claim{}, err
	}
	return after, nil
}

// BasisFilter selects the lines of an arvode basis: a committee's justerade
// meetings from From to To (both included), the members appointed by
// PartyID (0: all), or one member (MemberID, 0: all).
type BasisFilter struct {
	CommitteeID int64
	PartyID     int64
	MemberID    int64
	From, To    domain.Date
}

// ArvodeBasis returns, for every justerat meeting in the period and every
// member present there whom the filter selects, the meeting, the member,
// their role, the paragraphs they were present for and their claims for the
// meeting that are not withdrawn; in the order of the meetings and, within a
// meeting, of the attendance (the kallelse's).
func (a Arvode) ArvodeBasis(ctx context.Context, f BasisFilter) ([]meeting.BasisLine, error) {
	if f.From.IsZero() || f.To.IsZero() || f.To.Before(f.From) {
		return nil, domain.FieldErrorf("to", "Ange en period där slutdatumet inte är före startdatumet.")
	}
	mts := meetings.New(a.db)
	var out []meeting.BasisLine
	for year := f.From.Year; year <= f.To.Year; year++ {
		list, err := mts.Meetings(ctx, f.CommitteeID, year)
		if err != nil {
			return nil, err
		}
		for _, mt := range list {
			if mt.Cancelled() || !mt.Locked() || mt.Date.Before(f.From) || mt.Date.After(f.To) {
				continue
			}
			lines, err := a.meetingBasis(ctx, mt, f)
			if err != nil {
				return nil, err
			}
			out = append(out, lines...)
		}
	}
	return out, nil
}

// meetingBasis is the basis of one justerat meeting.
func (a Arvode) meetingBasis(ctx context.Context, mt meeting.Meeting, f BasisFilter) ([]meeting.BasisLine, error) {
	att, err := meetings.New(a.db).Attendance(ctx, mt.ID)
	if err != nil {
		return nil, err
	}
	paragraphs, err := minutes.New(a.db).MeetingParagraphs(ctx, mt.ID)
	if err != nil {
		return nil, err
	}
	numbers := make([]int, len(paragraphs))
	for i, p := range paragraphs {
		numbers[i] = p.Number
	}
	claims, err := a.Claims(ctx, ClaimFilter{MeetingID: mt.ID, MemberID: f.MemberID})
	if err != nil {
		return nil, err
	}
	var out []meeting.BasisLine
	for _, at := range att {
		if !at.Present || (f.PartyID != 0 && at.Member.AppointedBy != f.PartyID) || (f.MemberID != 0 && at.MemberID != f.MemberID) {
			continue
		}
		l := meeting.BasisLine{Meeting: mt, Member: at.Member, Role: meeting.RoleOf(at), Paragraphs: meeting.PresentAt(at, numbers)}
		for _, c := range claims {
			if c.MemberID == at.MemberID && c.Status != meeting.ClaimWithdrawn {
				l.Claims = append(l.Claims, c)
			}
		}
		out = append(out, l)
	}
	return out, nil
}

// registry returns the registry methods on the same connection.
func (a Arvode) registry() registry.Registry { return registry.New(a.db) }

// MemberOfUser returns the committee's member linked to a user, or
// ENOTFOUND.
func (a Arvode) MemberOfUser(ctx context.Context, committeeID, userID int64) (domain.Member, error) {
	list, err := a.registry().Members(ctx, committeeID)
	if err != nil {
		return domain.Member{}, err
	}
	for _, m := range list {
		if userID != 0 && m.UserID == userID {
			return m, nil
		}
	}
	return domain.Member{}, domain.Errorf(domain.ENOTFOUND, "Ditt konto är inte kopplat till en ledamot eller ersättare i nämnden.")
}
