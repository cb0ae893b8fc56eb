package money

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/allocation"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

// apiAllocationBody is the JSON body of the allocation API: the spec of
// `gns allocate` with the parties by id (their names and, for the population
// method, their figures at reference_date are looked up when not given), plus
// what ties the allocation to its decision.
type apiAllocationBody struct {
	Total         string  `json:"total"`
	Method        string  `json:"method"`
	Unit          string  `json:"unit"`
	HostShare     *string `json:"host_share"`
	ReferenceDate string  `json:"reference_date"`
	Parties       []struct {
		ID         string  `json:"id"`
		Name       string  `json:"name"` // ignored: the committee's name is used
		Host       *bool   `json:"host"` // ignored: the committee's host is used
		Population *int64  `json:"population"`
		Percent    *string `json:"percent"`
	} `json:"parties"`
	Kind        string  `json:"kind"`
	Title       string  `json:"title"`
	BudgetYear  int     `json:"budget_year"`
	CostObject  string  `json:"cost_object"`
	Case        string  `json:"case"`
	Paragraph   string  `json:"paragraph"`
	Decision    string  `json:"decision"`
	StatedShare *string `json:"stated_share"`
	Supersedes  int64   `json:"supersedes"`
	// Decided are the decision's amounts by party id (slug), signed like
	// the total; PaysDecided invoices them instead of the exact split;
	// ConfirmDecided confirms amounts rounding does not explain (issue 16
	// §1). OriginYears are a refund's originating years, oldest first.
	Decided        map[string]string `json:"decided"`
	PaysDecided    bool              `json:"pays_decided"`
	ConfirmDecided bool              `json:"confirm_decided"`
	OriginYears    []int             `json:"origin_years"`
	// Renormalise and Parts are the keys of issue 16 §4, as in
	// `gns allocate`: a fixed key renormalised over the participants, and
	// a mixed key's parts.
	Renormalise bool `json:"renormalise"`
	Parts       []struct {
		Percent     string  `json:"percent"`
		Method      string  `json:"method"`
		HostShare   *string `json:"host_share"`
		Renormalise bool    `json:"renormalise"`
	} `json:"parts"`
}

// readAllocationRequest decodes and checks an API body.
func readAllocationRequest(c *gin.Context) (allocationRequest, error) {
	var body apiAllocationBody
	if err := kit.ReadJSON(c, &body, false); err != nil {
		return allocationRequest{}, err
	}
	req := allocationRequest{
		Kind: finance.AllocationKind(body.Kind), Title: strings.TrimSpace(body.Title), Method: allocation.Method(body.Method),
		Unit: allocation.Unit(body.Unit), BudgetYear: body.BudgetYear, CostObject: body.CostObject, Case: body.Case,
		Paragraph: body.Paragraph, Decision: body.Decision, Supersedes: body.Supersedes, Renormalise: body.Renormalise,
		PaysDecided: body.PaysDecided, ConfirmDecided: body.ConfirmDecided, OriginYears: body.OriginYears,
	}
	if req.Kind == "" { // a bare spec, as for gns allocate: a project cost
		req.Kind = finance.AllocationProject
		if req.Title == "" {
			req.Title = "Förhandsgranskning"
		}
	}
	var err error
	if req.Total, err = apiDecimal("total", body.Total, 2); err != nil {
		return req, err
	}
	if body.HostShare != nil {
		h, err := apiDecimal("host_share", *body.HostShare, -1)
		if err != nil {
			return req, err
		}
		req.HostShare = &h
	}
	if body.StatedShare != nil {
		d, err := apiDecimal("stated_share", *body.StatedShare, 2)
		if err != nil {
			return req, err
		}
		req.StatedShare = decimal.NullDecimal{Decimal: d, Valid: true}
	}
	for slug, v := range body.Decided {
		d, err := apiDecimal(decidedField(slug), v, 2)
		if err != nil {
			return req, err
		}
		if req.Decided == nil {
			req.Decided = map[string]decimal.Decimal{}
		}
		req.Decided[slug] = d
	}
	if body.ReferenceDate != "" {
		if req.ReferenceDate, err = domain.ParseDate(body.ReferenceDate); err != nil {
			return req, domain.FieldErrorf("reference_date", "Ange reference_date som ÅÅÅÅ-MM-DD.")
		}
	}
	for k, p := range body.Parts {
		rp := requestPart{Row: k, Method: allocation.Method(p.Method), Renormalise: p.Renormalise}
		if rp.Percent, err = apiDecimal(partField(k, "percent"), p.Percent, -1); err != nil {
			return req, err
		}
		if p.HostShare != nil {
			h, err := apiDecimal(partField(k, "host_share"), *p.HostShare, -1)
			if err != nil {
				return req, err
			}
			rp.HostShare = &h
		}
		req.Parts = append(req.Parts, rp)
	}
	for i, p := range body.Parties {
		rp := requestParty{ID: p.ID, Population: p.Population}
		if p.Percent != nil {
			d, err := apiDecimal("percent", *p.Percent, -1)
			if err != nil {
				return req, domain.FieldErrorf("parties", "parties[%d].percent: %s", i, domain.ErrorMessage(err))
			}
			rp.Percent = &d
		}
		if p.Population != nil && *p.Population <= 0 {
			return req, domain.FieldErrorf("parties", "parties[%d].population måste vara större än noll.", i)
		}
		req.Parties = append(req.Parties, rp)
	}
	return req, nil
}

// apiDecimal reads a decimal written as a JSON string; places ≥ 0 bounds its
// decimals.
func apiDecimal(field, s string, places int32) (decimal.Decimal, error) {
	d, err := decimal.NewFromString(strings.TrimSpace(s))
	if err != nil || strings.ContainsAny(s, "eE") {
		return decimal.Zero, domain.FieldErrorf(field, "%s ska vara ett decimaltal som sträng, t.ex. \"468091.00\".", field)
	}
	if places >= 0 && d.Exponent() < -places {
		return decimal.Zero, domain.FieldErrorf(field, "%s får ha högst %d decimaler.", field, places)
	}
	return d, nil
}

// allocationJSON is an allocation as the API returns it: the result of
// `gns allocate` with the saved allocation's facts around it.
func allocationJSON(a finance.Allocation) gin.H {
	a = a.WithStatedShare()
	shares := sharesJSON(a.Shares)
	out := gin.H{"kind": a.Kind, "title": a.Title, "method": a.Method, "unit": a.Unit, "total": a.Total.StringFixed(2),
		"sum": a.Sum().StringFixed(2), "shares": shares}
	if a.ID != 0 {
		out["id"], out["created_at"], out["created_by"] = a.ID, a.CreatedAt, a.CreatedBy
	}
	if a.HostShare.Valid {
		out["host_share"] = a.HostShare.Decimal.String()
	}
	if !a.ReferenceDate.IsZero() {
		out["reference_date"] = a.ReferenceDate
	}
	if a.CaseNumber != "" {
		out["case"] = a.CaseNumber
	}
	if a.Decision != "" {
		out["decision"] = a.Decision
	}
	if a.ParagraphID != 0 {
		out["paragraph_id"] = a.ParagraphID
	}
	if a.BudgetYear != 0 {
		out["budget_year"] = a.BudgetYear
	}
	if a.CostObject != "" {
		out["cost_object"] = a.CostObject
	}
	if a.StatedShare.Valid {
		out["stated_share"], out["stated_difference"] = a.StatedShare.Decimal.StringFixed(2), a.StatedDifference().StringFixed(2)
	}
	if a.HasDecided() {
		out["pays_decided"], out["decided_sum"], out["decided_difference"] = a.PaysDecided, a.DecidedSum().StringFixed(2), a.DecidedDifference().StringFixed(2)
		out["kept"] = a.Kept().StringFixed(2)
	}
	if len(a.OriginYears) > 0 {
		out["origin_years"] = a.OriginYears
	}
	if a.SupersedesID != 0 {
		out["supersedes"] = a.SupersedesID
	}
	if a.SupersededByID != 0 {
		out["superseded_by"] = a.SupersededByID
	}
	addKeysJSON(out, a)
	return out
}

// sharesJSON is saved shares as the API returns them.
func sharesJSON(list []finance.AllocationShare) []gin.H {
	shares := make([]gin.H, len(list))
	for i, s := range list {
		sh := gin.H{"id": s.PartyID, "name": s.PartyName, "host": s.Host, "amount": s.Amount.StringFixed(2),
			"quota": s.Quota.String(), "weight": s.Weight.String(), "weight_kind": s.WeightKind, "residue": s.Residue}
		if s.Population != 0 {
			sh["population"], sh["population_date"], sh["population_source"] = s.Population, s.PopulationDate, s.PopulationSource
		}
		if s.Decided.Valid {
			sh["decided"] = s.Decided.Decimal.StringFixed(2)
		}
		shares[i] = sh
	}
	return shares
}

// addKeysJSON adds the keys of issue 16 §4 to an allocation's JSON: for a
// fixed key renormalised over the participants, "renormalise", "key_sum" and
// each share's "key_share" (percent, ten decimals) and exact "key_fraction";
// for a mixed key, "parts", each with its percentage, method, total, exact
// quota, whether it got a unit left over, and its shares (renormalised the
// same way where a part's key is).
func addKeysJSON(out gin.H, a finance.Allocation) {
	renormalise(out, a.Method, out["shares"].([]gin.H), a.Shares)
	if len(a.Parts) == 0 {
		return
	}
	parts := make([]gin.H, len(a.Parts))
	for k, p := range a.Parts {
		part := gin.H{"percent": p.Percent.String(), "method": p.Method, "total": p.Total.StringFixed(2), "quota": p.Quota.String(),
			"residue": p.Residue, "sum": p.Sum().StringFixed(2), "shares": sharesJSON(p.Shares)}
		if p.HostShare.Valid {
			part["host_share"] = p.HostShare.Decimal.String()
		}
		renormalise(part, p.Method, part["shares"].([]gin.H), p.Shares)
		parts[k] = part
	}
	out["parts"] = parts
}

// renormalise adds to out and its shares' JSON what shows a fixed key
// renormalised over its participants, if the shares were split by one.
func renormalise(out gin.H, method string, js []gin.H, shares []finance.AllocationShare) {
	if !finance.Renormalised(method, shares) {
		return
	}
	sum := finance.KeySum(shares)
	out["renormalise"], out["key_sum"] = true, sum.String()
	for i, s := range shares {
		share, fraction := finance.RenormalisedShare(s, sum)
		js[i]["key_share"], js[i]["key_fraction"] = share.String(), fraction.RatString()
	}
}

// apiPreviewAllocation computes a split without saving it.
func (s *Handlers) apiPreviewAllocation(c *gin.Context) {
	cm, err := s.CommitteeFor(c, domain.AllocationMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	req, err := readAllocationRequest(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	a, err := s.buildAllocation(c.Request.Context(), cm, req)
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, allocationJSON(a))
}

// apiCreateAllocation computes and saves an allocation.
func (s *Handlers) apiCreateAllocation(c *gin.Context) {
	cm, err := s.CommitteeFor(c, domain.AllocationMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	req, err := readAllocationRequest(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	a, err := s.buildAllocation(ctx, cm, req)
	if err == nil {
		err = s.DB.InTx(ctx, func(tx *store.Conn) error { a, err = tx.CreateAllocation(ctx, a); return err })
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/allocations/"+strconv.FormatInt(a.ID, 10))
	c.JSON(http.StatusCreated, allocationJSON(a))
}

// apiAllocation returns one saved allocation.
func (s *Handlers) apiAllocation(c *gin.Context) {
	a, _, err := s.ownAllocation(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, allocationJSON(a))
}
