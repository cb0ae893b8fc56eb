package arvode

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
	"github.com/region-jh/gns/web/kit"
)

func exact(d decimal.Decimal) string {
	if d.IsZero() {
		return ""
	}
	return sv.Exact(d, 0)
}

func kronor(d decimal.Decimal) string {
	if d.IsZero() {
		return ""
	}
	return sv.Kronor(d)
}

// receiptTypes are the receipts accepted, by their detected media type.
var receiptTypes = map[string]bool{"application/pdf": true, "image/jpeg": true, "image/png": true}

// claimForm is the form of a new claim.
type claimForm struct {
	Member      string `form:"member"`
	Kind        string `form:"kind"`
	Hours       string `form:"hours"`
	Km          string `form:"km"`
	From        string `form:"from"`
	Amount      string `form:"amount"`
	Description string `form:"description"`
}

// claimView is a claim on the meeting's page with what the user may do.
type claimView struct {
	meeting.Claim
	URL                string
	CanAttest, CanUndo bool
}

type claimsPage struct {
	Meeting meeting.Meeting
	Code    string
	// Present are the members present, whom a claim can be for: the
	// secretariat chooses among them; a member claims for themselves (Self).
	Present []meeting.Attendance
	Self    *meeting.Attendance
	Claims  []claimView
	Form    *kit.Form
	Kinds   []meeting.ClaimKind
	CanAdd  bool
	// Unlinked is a member user not linked to a member of the committee.
	Unlinked    bool
	Secretariat bool
	BasisURL    string
	URL         string
}

// meetingFor loads the meeting of the :id route for a user with one of
// roles in its committee; another committee's meeting is not found.
func (s *Handlers) meetingFor(c *gin.Context, roles []domain.Role) (meeting.Meeting, domain.Committee, error) {
	id, err := kit.PathID(c, "id")
	if err != nil {
		return meeting.Meeting{}, domain.Committee{}, err
	}
	ctx := c.Request.Context()
	mt, err := s.DB.Conn().MeetingByID(ctx, id)
	if err != nil {
		return meeting.Meeting{}, domain.Committee{}, err
	}
	if !kit.CurrentUser(c).HasIn(mt.CommitteeID, roles...) {
		return meeting.Meeting{}, domain.Committee{}, domain.Errorf(domain.ENOTFOUND, "Sammanträdet finns inte.")
	}
	cm, err := s.DB.Conn().CommitteeByID(ctx, mt.CommitteeID)
	return mt, cm, err
}

// ownMember is the member linked to the user in the committee, or 0.
func (s *Handlers) ownMember(c *gin.Context, committeeID int64) int64 {
	m, err := s.DB.Conn().MemberOfUser(c.Request.Context(), committeeID, kit.CurrentUser(c).ID)
	if err != nil {
		return 0
	}
	return m.ID
}

func (s *Handlers) claimsPage(c *gin.Context) {
	s.renderClaims(c, http.StatusOK, kit.EmptyForm())
}

func (s *Handlers) renderClaims(c *gin.Context, status int, f *kit.Form) {
	mt, cm, err := s.meetingFor(c, claimReaders)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	conn := s.DB.Conn()
	u := kit.CurrentUser(c)
	secretariat := u.HasIn(mt.CommitteeID, domain.RoleSecretariat)
	sees := secretariat || u.HasIn(mt.CommitteeID, domain.RoleAdmin, domain.RoleAuditor)
	own := s.ownMember(c, mt.CommitteeID)
	att, err := conn.Attendance(ctx, mt.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	p := claimsPage{Meeting: mt, Code: cm.Code, Form: f, Kinds: meeting.ClaimKinds, Secretariat: secretariat, URL: ClaimsURL(mt.ID), BasisURL: BasisURL(cm)}
	for i, a := range att {
		if !a.Present {
			continue
		}
		p.Present = append(p.Present, a)
		if a.MemberID == own {
			p.Self = &att[i]
		}
	}
	filter := store.ClaimFilter{MeetingID: mt.ID}
	party := int64(0) // a party representative's party, whose members' claims it reads
	if !sees && !u.HasIn(mt.CommitteeID, domain.RoleMember) {
		party = u.PartyIn(mt.CommitteeID)
	}
	appointed := map[int64]int64{}
	for _, a := range att {
		appointed[a.MemberID] = a.Member.AppointedBy
	}
	if !sees && party == 0 {
		p.Unlinked = own == 0
		filter.MemberID = own
		if own == 0 {
			filter.MemberID = -1 // no member's claims
		}
	}
	claims, err := conn.Claims(ctx, filter)
	if err != nil {
		s.Fail(c, err)
		return
	}
	for _, cl := range claims {
		if party != 0 && appointed[cl.MemberID] != party {
			continue
		}
		open := cl.Status == meeting.ClaimSubmitted
		p.Claims = append(p.Claims, claimView{Claim: cl, URL: claimURL(cl.ID), CanAttest: open && secretariat, CanUndo: open && (secretariat || cl.MemberID == own)})
	}
	p.CanAdd = mt.Locked() && !mt.Cancelled() && (secretariat && len(p.Present) > 0 || p.Self != nil)
	if p.Self != nil && !secretariat {
		f.Default("member", strconv.FormatInt(p.Self.MemberID, 10))
	}
	s.Render(c, status, "arvode_claims", "Ersättningar "+mt.Date.String(), p)
}

// addClaim records a claim: a member's own, or one the secretariat makes
// for a member present (from a paper reseräkning).
func (s *Handlers) addClaim(c *gin.Context) {
	mt, _, err := s.meetingFor(c, claimMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in claimForm
	f := kit.Bind(c, &in)
	u := kit.CurrentUser(c)
	memberID, err := kit.ParseID("member", in.Member, "Välj vem anspråket gäller.")
	if err != nil {
		f.Fail(err)
	}
	if !u.HasIn(mt.CommitteeID, domain.RoleSecretariat) {
		own := s.ownMember(c, mt.CommitteeID)
		if own == 0 {
			s.Fail(c, domain.Errorf(domain.EFORBIDDEN, "Ditt konto är inte kopplat till en ledamot eller ersättare i nämnden."))
			return
		}
		if memberID != 0 && memberID != own {
			s.Fail(c, domain.Errorf(domain.EFORBIDDEN, "En ledamot begär ersättning bara för sig själv."))
			return
		}
		memberID = own
	}
	var receipt *store.Receipt
	if in.Kind == string(meeting.ClaimCost) {
		if name, content, err := kit.ReadUpload(c); err == nil {
			ct := http.DetectContentType(content)
			if !receiptTypes[ct] {
				f.Fail(domain.FieldErrorf("file", "Kvittot ska vara en PDF, JPEG eller PNG."))
			}
			receipt = &store.Receipt{Name: domain.SanitizeFileName(name), ContentType: ct, Content: content}
		} else if domain.ErrorCode(err) == domain.EINVALID && c.Request.MultipartForm != nil && len(c.Request.MultipartForm.File["file"]) > 0 {
			f.Fail(err)
		}
	}
	cl, err := meeting.ParseClaim(meeting.ClaimInput{Kind: in.Kind, Hours: in.Hours, Km: in.Km, From: in.From, Amount: in.Amount, Description: in.Description}, receipt != nil)
	if err != nil {
		f.Fail(err)
	}
	cl.MeetingID, cl.MemberID = mt.ID, memberID
	if s.Submit(c, f, func(tx *store.Conn) error {
		_, err := tx.AddClaim(c.Request.Context(), cl, receipt)
		return err
	}, func(status int) { s.renderClaims(c, status, f) }) {
		s.Redirect(c, ClaimsURL(mt.ID), cl.Kind.Label()+" är inlämnad och väntar på attest.")
	}
}

// claimFor loads the :id claim for a user with one of roles in its
// committee; a member without the secretariat's role reaches only their own.
func (s *Handlers) claimFor(c *gin.Context, roles []domain.Role) (meeting.Claim, error) {
	id, err := kit.PathID(c, "id")
	if err != nil {
		return meeting.Claim{}, err
	}
	cl, err := s.DB.Conn().ClaimByID(c.Request.Context(), id)
	if err != nil {
		return meeting.Claim{}, err
	}
	u := kit.CurrentUser(c)
	notFound := domain.Errorf(domain.ENOTFOUND, "Ersättningsanspråket finns inte.")
	switch {
	case !u.HasIn(cl.CommitteeID, roles...):
		return meeting.Claim{}, notFound
	case u.HasIn(cl.CommitteeID, domain.RoleSecretariat, domain.RoleAdmin, domain.RoleAuditor):
		return cl, nil
	case u.HasIn(cl.CommitteeID, domain.RoleMember) && s.ownMember(c, cl.CommitteeID) == cl.MemberID:
		return cl, nil
	case u.HasIn(cl.CommitteeID, domain.RoleParty):
		m, err := s.DB.Conn().MemberByID(c.Request.Context(), cl.CommitteeID, cl.MemberID)
		if err == nil && m.AppointedBy != 0 && m.AppointedBy == u.PartyIn(cl.CommitteeID) {
			return cl, nil
		}
	}
	return meeting.Claim{}, notFound
}

// confirmSettle asks before a claim is attested (final) or withdrawn.
func (s *Handlers) confirmSettle(attest bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		roles := claimMakers
		if attest {
			roles = attesters
		}
		cl, err := s.claimFor(c, roles)
		if err == nil && cl.Status != meeting.ClaimSubmitted {
			err = domain.Errorf(domain.ECONFLICT, "Anspråket är %s och kan inte ändras.", cl.Status.Label())
		}
		if err != nil {
			s.Fail(c, err)
			return
		}
		p := kit.ConfirmPage{Action: c.Request.URL.Path, Back: ClaimsURL(cl.MeetingID)}
		what := cl.Kind.Label() + " för " + cl.MemberName + " (" + cl.Summary() + ")"
		if attest {
			p.Heading, p.Button = "Attestera "+what+"?", "Attestera"
			p.Text = "Ett attesterat anspråk kan inte ändras eller återkallas. Det ingår i arvodesunderlaget till ledamotens part."
		} else {
			p.Heading, p.Button = "Återkalla "+what+"?", "Återkalla anspråket"
			p.Text = "Anspråket finns kvar i listan som återkallat, med vem som återkallade det och när. Ett nytt anspråk kan lämnas in."
		}
		s.Render(c, http.StatusOK, "confirm", p.Heading, p)
	}
}

// settle attests or withdraws a claim after the confirm step.
func (s *Handlers) settle(attest bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		roles := claimMakers
		if attest {
			roles = attesters
		}
		cl, err := s.claimFor(c, roles)
		if err != nil {
			s.Fail(c, err)
			return
		}
		msg := "Anspråket är återkallat."
		err = s.InTx(c, func(tx *store.Conn) error {
			if attest {
				msg = "Anspråket är attesterat."
				_, err := tx.AttestClaim(c.Request.Context(), cl.ID)
				return err
			}
			_, err := tx.WithdrawClaim(c.Request.Context(), cl.ID)
			return err
		})
		if err != nil {
			s.Fail(c, err)
			return
		}
		s.Redirect(c, ClaimsURL(cl.MeetingID), msg)
	}
}

// receipt downloads a claim's receipt.
func (s *Handlers) receipt(c *gin.Context) {
	cl, err := s.claimFor(c, receiptRoles)
	if err != nil {
		s.Fail(c, err)
		return
	}
	r, err := s.DB.Conn().ClaimReceipt(c.Request.Context(), cl.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	kit.SendAttachment(c, r.Name, r.ContentType, cl.ReceiptSHA256, r.Content)
}
