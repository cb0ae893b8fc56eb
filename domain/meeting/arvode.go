package meeting

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/sv"
)

// The arvode basis: each party pays its own members' arvoden under its own
// rules; what the committee gives it is the basis — who was at which
// justerat meeting, in which role and for which paragraphs — and the claims
// (förlorad arbetsinkomst, resor, other costs) the members made for those
// meetings and the secretariat attested.

// ArvodeRole is the role a member had at a meeting, as the basis names it.
type ArvodeRole string

// The roles of the basis.
const (
	// ArvodeLedamot is a ledamot (the chair and vice chair included).
	ArvodeLedamot ArvodeRole = "ledamot"
	// ArvodeServingSubstitute is an ersättare serving for an absent ledamot.
	ArvodeServingSubstitute ArvodeRole = "tjanstgorande_ersattare"
	// ArvodeSubstitute is an ersättare present without serving.
	ArvodeSubstitute ArvodeRole = "ersattare"
)

// Label returns the Swedish name of the role.
func (r ArvodeRole) Label() string {
	switch r {
	case ArvodeLedamot:
		return "Ledamot"
	case ArvodeServingSubstitute:
		return "Tjänstgörande ersättare"
	case ArvodeSubstitute:
		return "Ersättare"
	}
	return string(r)
}

// RoleOf is the role of a member's attendance in the basis.
func RoleOf(a Attendance) ArvodeRole {
	switch {
	case a.Member.Role != domain.MemberSubstitute:
		return ArvodeLedamot
	case a.Serving:
		return ArvodeServingSubstitute
	}
	return ArvodeSubstitute
}

// PresentAt returns the paragraph numbers, of those given, at which the
// member was present: from the paragraph they arrived at to the one they
// left after; none when absent.
func PresentAt(a Attendance, numbers []int) []int {
	if !a.Present {
		return nil
	}
	var out []int
	for _, n := range numbers {
		if (a.ArrivedAt == 0 || n >= a.ArrivedAt) && (a.LeftAfter == 0 || n <= a.LeftAfter) {
			out = append(out, n)
		}
	}
	return out
}

// ParagraphRanges writes paragraph numbers in order as a protokoll does,
// runs as ranges: "§§ 15–23", "§§ 8, 10–12", "§ 14"; "" for none.
func ParagraphRanges(ns []int) string {
	if len(ns) == 0 {
		return ""
	}
	var parts []string
	for i := 0; i < len(ns); {
		j := i
		for j+1 < len(ns) && ns[j+1] == ns[j]+1 {
			j++
		}
		if j == i {
			parts = append(parts, strconv.Itoa(ns[i]))
		} else {
			parts = append(parts, strconv.Itoa(ns[i])+"–"+strconv.Itoa(ns[j]))
		}
		i = j + 1
	}
	if len(ns) == 1 {
		return "§ " + parts[0]
	}
	return "§§ " + strings.Join(parts, ", ")
}

// ClaimKind is what a member claims for a meeting.
type ClaimKind string

// The kinds of claim.
const (
	// ClaimIncome is förlorad arbetsinkomst, in hours.
	ClaimIncome ClaimKind = "arbetsinkomst"
	// ClaimTravel is a journey to the meeting, in km, from a named place.
	ClaimTravel ClaimKind = "resa"
	// ClaimCost is another cost, in kronor, with a receipt.
	ClaimCost ClaimKind = "utlagg"
)

// ClaimKinds lists the kinds in the order a form offers them.
var ClaimKinds = []ClaimKind{ClaimIncome, ClaimTravel, ClaimCost}

// Label returns the Swedish name of the kind.
func (k ClaimKind) Label() string {
	switch k {
	case ClaimIncome:
		return "Förlorad arbetsinkomst"
	case ClaimTravel:
		return "Resa"
	case ClaimCost:
		return "Övrig kostnad"
	}
	return string(k)
}

// ClaimStatus is where a claim stands.
type ClaimStatus string

// The statuses of a claim: submitted, attested by the secretariat (final),
// or withdrawn before attestation (kept, struck through).
const (
	ClaimSubmitted ClaimStatus = "inlamnad"
	ClaimAttested  ClaimStatus = "attesterad"
	ClaimWithdrawn ClaimStatus = "aterkallad"
)

// Label returns the Swedish name of the status.
func (s ClaimStatus) Label() string {
	switch s {
	case ClaimSubmitted:
		return "Inlämnad"
	case ClaimAttested:
		return "Attesterad"
	case ClaimWithdrawn:
		return "Återkallad"
	}
	return string(s)
}

// Limits of a claim's values: a day's hours, a long journey in the county
// and back, a large outlay; beyond them a typing error is more likely.
var (
	MaxClaimHours  = decimal.NewFromInt(24)
	MaxClaimKm     = decimal.NewFromInt(2000)
	MaxClaimAmount = decimal.NewFromInt(100000)
)

// MaxClaimText is the longest place or description, in characters.
const MaxClaimText = 500

// Claim is what a member claims for a meeting: förlorad arbetsinkomst
// (Hours), a journey (Km from From) or another cost (Amount, Description and
// a receipt). Once attested it never changes; a submitted claim can be
// withdrawn, which keeps it in the history.
type Claim struct {
	ID          int64
	CommitteeID int64
	MeetingID   int64
	MeetingDate domain.Date
	MemberID    int64
	MemberName  string
	Kind        ClaimKind
	Hours       decimal.Decimal
	Km          decimal.Decimal
	From        string
	Amount      decimal.Decimal
	Description string
	// The receipt, when there is one: its file name, type, size and SHA-256.
	ReceiptName   string
	ReceiptType   string
	ReceiptSize   int64
	ReceiptSHA256 string
	Status        ClaimStatus
	CreatedAt     time.Time
	CreatedBy     string
	AttestedAt    time.Time
	AttestedBy    string
	WithdrawnAt   time.Time
	WithdrawnBy   string
}

// Summary writes what the claim is for in brief: "3,5 tim", "84 km från
// Bräcke", "120,00 kr: parkering".
func (c Claim) Summary() string {
	switch c.Kind {
	case ClaimIncome:
		return sv.Exact(c.Hours, 0) + " tim"
	case ClaimTravel:
		return sv.Exact(c.Km, 0) + " km från " + c.From
	case ClaimCost:
		return sv.Kronor(c.Amount) + ": " + c.Description
	}
	return ""
}

// ClaimInput is a claim as a form or the API gives it, before it is parsed.
type ClaimInput struct {
	Kind        string
	Hours       string
	Km          string
	From        string
	Amount      string
	Description string
}

// ParseClaim reads and checks a claim: the kind; for förlorad arbetsinkomst
// the hours (over 0, at most 24, at most two decimals); for a journey the
// km (over 0, at most 2 000, at most one decimal) and where from; for
// another cost the amount (over 0 kr, at most 100 000 kr, in öre) and what
// it was for. hasReceipt says whether a receipt came with it: another cost
// needs one. Errors are field errors on kind, hours, km, from, amount,
// description and file (the receipt).
func ParseClaim(in ClaimInput, hasReceipt bool) (Claim, error) {
	c := Claim{Kind: ClaimKind(strings.TrimSpace(in.Kind)), From: strings.TrimSpace(in.From), Description: strings.TrimSpace(in.Description)}
	var err error
	switch c.Kind {
	case ClaimIncome:
		c.Hours, err = parseQuantity("hours", "Timmarna", in.Hours, 2, MaxClaimHours, "3,5")
	case ClaimTravel:
		if c.Km, err = parseQuantity("km", "Sträckan", in.Km, 1, MaxClaimKm, "84"); err != nil {
			return Claim{}, err
		}
		err = checkClaimText("from", c.From, "Ange varifrån du reste, till exempel Bräcke.")
	case ClaimCost:
		if c.Amount, err = parseQuantity("amount", "Beloppet", in.Amount, 2, MaxClaimAmount, "120,00"); err != nil {
			return Claim{}, err
		}
		if err = checkClaimText("description", c.Description, "Ange vad kostnaden avser, till exempel parkering."); err != nil {
			return Claim{}, err
		}
		if !hasReceipt {
			err = domain.FieldErrorf("file", "Bifoga kvittot (PDF, JPEG eller PNG).")
		}
	default:
		err = domain.FieldErrorf("kind", "Välj vad du begär ersättning för: förlorad arbetsinkomst, resa eller övrig kostnad.")
	}
	if err != nil {
		return Claim{}, err
	}
	if c.Kind != ClaimTravel {
		c.From = ""
	}
	if c.Kind != ClaimCost && utf8.RuneCountInString(c.Description) > MaxClaimText {
		return Claim{}, domain.FieldErrorf("description", "Kommentaren får vara högst %d tecken.", MaxClaimText)
	}
	return c, nil
}

// parseQuantity reads a positive decimal with at most places decimals and at
// most limit, written with a decimal comma or point.
func parseQuantity(field, label, s string, places int32, limit decimal.Decimal, example string) (decimal.Decimal, error) {
	d, err := sv.ParseAmount(s)
	if err != nil || d.Exponent() < -places {
		decimals := "två decimaler"
		if places == 1 {
			decimals = "en decimal"
		}
		return decimal.Zero, domain.FieldErrorf(field, "%s ska anges som ett tal med högst %s, till exempel %s.", label, decimals, example)
	}
	if d.Sign() <= 0 {
		return decimal.Zero, domain.FieldErrorf(field, "%s måste vara större än noll.", label)
	}
	if d.GreaterThan(limit) {
		return decimal.Zero, domain.FieldErrorf(field, "%s får vara högst %s.", label, sv.Exact(limit, 0))
	}
	return d, nil
}

// checkClaimText checks a required text of at most MaxClaimText characters.
func checkClaimText(field, s, missing string) error {
	if s == "" {
		return domain.FieldErrorf(field, "%s", missing)
	}
	if utf8.RuneCountInString(s) > MaxClaimText {
		return domain.FieldErrorf(field, "Texten får vara högst %d tecken.", MaxClaimText)
	}
	return nil
}

// BasisLine is one member at one justerat meeting: the meeting, the member,
// the role, the paragraphs they were present for, and their claims for the
// meeting that are not withdrawn.
type BasisLine struct {
	Meeting    Meeting
	Member     domain.Member
	Role       ArvodeRole
	Paragraphs []int
	Claims     []Claim
}

// Totals adds up the line's attested claims (hours, km and other costs) and
// counts those still waiting for attestation.
func (l BasisLine) Totals() (hours, km, amount decimal.Decimal, pending int) {
	for _, c := range l.Claims {
		if c.Status != ClaimAttested {
			if c.Status == ClaimSubmitted {
				pending++
			}
			continue
		}
		hours, km, amount = hours.Add(c.Hours), km.Add(c.Km), amount.Add(c.Amount)
	}
	return hours, km, amount, pending
}
