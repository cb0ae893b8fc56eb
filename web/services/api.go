package services

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web/kit"
)

// serviceJSON is a service in the API, amounts as exact decimal strings.
type serviceJSON struct {
	ID          int64      `json:"id"`
	Committee   string     `json:"committee"`
	Kind        string     `json:"kind"`
	Name        string     `json:"name"`
	PartyID     int64      `json:"party_id"`
	Party       string     `json:"party"`
	CostObject  string     `json:"cost_object,omitempty"`
	Unit        string     `json:"unit,omitempty"`
	Rate        string     `json:"rate,omitempty"`
	Decision    string     `json:"decision"`
	ParagraphID int64      `json:"paragraph_id,omitempty"`
	Case        string     `json:"case,omitempty"`
	Description string     `json:"description,omitempty"`
	StartsOn    string     `json:"starts_on,omitempty"`
	EndsOn      string     `json:"ends_on,omitempty"`
	Bills       []billJSON `json:"bills,omitempty"`
}

// billJSON is a bill of a service.
type billJSON struct {
	ID           int64  `json:"id"`
	From         string `json:"from"`
	To           string `json:"to"`
	Costs        string `json:"costs"`
	Earlier      string `json:"earlier"`
	Quantity     string `json:"quantity,omitempty"`
	Amount       string `json:"amount"`
	Note         string `json:"note,omitempty"`
	AllocationID int64  `json:"allocation_id"`
	Invoiced     bool   `json:"invoiced"`
}

func toServiceJSON(cm domain.Committee, s finance.Service, bills []finance.ServiceBill) serviceJSON {
	j := serviceJSON{ID: s.ID, Committee: cm.Code, Kind: string(s.Kind), Name: s.Name, PartyID: s.PartyID, Party: s.PartyName,
		CostObject: s.CostObject, Unit: s.Unit, Decision: s.Decision, ParagraphID: s.ParagraphID, Case: s.CaseNumber,
		Description: s.Description}
	if s.Kind == finance.ServiceTime {
		j.Rate = s.Rate.StringFixed(2)
	}
	if !s.StartsOn.IsZero() {
		j.StartsOn = s.StartsOn.String()
	}
	if !s.EndsOn.IsZero() {
		j.EndsOn = s.EndsOn.String()
	}
	for _, b := range bills {
		bj := billJSON{ID: b.ID, From: b.From.String(), To: b.To.String(), Costs: b.Costs.StringFixed(2), Earlier: b.Earlier.StringFixed(2),
			Amount: b.Amount.StringFixed(2), Note: b.Note, AllocationID: b.AllocationID, Invoiced: b.Invoiced}
		if b.Quantity.Valid {
			bj.Quantity = b.Quantity.Decimal.String()
		}
		j.Bills = append(j.Bills, bj)
	}
	return j
}

// apiServices lists a committee's services.
func (s *Handlers) apiServices(c *gin.Context) {
	cm, err := s.CommitteeFor(c, serviceReaders)
	if err != nil {
		s.Fail(c, err)
		return
	}
	list, err := s.DB.Conn().Services(c.Request.Context(), cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	out := make([]serviceJSON, len(list))
	for i, svc := range list {
		out[i] = toServiceJSON(cm, svc, nil)
	}
	c.JSON(http.StatusOK, gin.H{"services": out})
}

// apiServiceBody is the JSON body that makes a service: the form's fields.
type apiServiceBody struct {
	Kind        string `json:"kind"`
	Name        string `json:"name"`
	PartyID     int64  `json:"party_id"`
	CostObject  string `json:"cost_object"`
	Unit        string `json:"unit"`
	Rate        string `json:"rate"`
	Decision    string `json:"decision"`
	Description string `json:"description"`
	StartsOn    string `json:"starts_on"`
	EndsOn      string `json:"ends_on"`
}

// apiCreateService makes a service (201, with Location).
func (s *Handlers) apiCreateService(c *gin.Context) {
	cm, err := s.CommitteeFor(c, serviceMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var body apiServiceBody
	if err := kit.ReadJSON(c, &body, false); err != nil {
		s.Fail(c, err)
		return
	}
	in := serviceInput{Kind: body.Kind, Name: body.Name, CostObject: body.CostObject, Unit: body.Unit, Rate: body.Rate,
		Decision: body.Decision, Description: body.Description, StartsOn: body.StartsOn, EndsOn: body.EndsOn}
	if body.PartyID != 0 {
		in.Party = strconv.FormatInt(body.PartyID, 10)
	}
	svc, err := in.service(cm)
	ctx := c.Request.Context()
	if err == nil {
		err = s.DB.InTx(ctx, func(tx *store.Conn) error { svc, err = tx.CreateService(ctx, svc); return err })
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/services/"+strconv.FormatInt(svc.ID, 10))
	c.JSON(http.StatusCreated, toServiceJSON(cm, svc, nil))
}

// apiService returns a service with its bills.
func (s *Handlers) apiService(c *gin.Context) {
	svc, cm, err := s.ownService(c, serviceReaders)
	if err != nil {
		s.Fail(c, err)
		return
	}
	bills, err := s.DB.Conn().ServiceBills(c.Request.Context(), svc.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toServiceJSON(cm, svc, bills))
}

// apiBillBody is the JSON body of a bill: the months, the quantity of a
// time service, a note and, to create it, the fingerprint of its preview.
type apiBillBody struct {
	From        string `json:"from"`
	To          string `json:"to"`
	Quantity    string `json:"quantity"`
	Note        string `json:"note"`
	Fingerprint string `json:"fingerprint"`
}

// planJSON is a bill's preview.
type planJSON struct {
	From        string     `json:"from"`
	To          string     `json:"to"`
	Costs       []costJSON `json:"costs,omitempty"`
	CostTotal   string     `json:"cost_total"`
	Earlier     []int64    `json:"earlier_bills,omitempty"`
	EarlierSum  string     `json:"earlier_total"`
	Quantity    string     `json:"quantity,omitempty"`
	Amount      string     `json:"amount"`
	Title       string     `json:"title"`
	Fingerprint string     `json:"fingerprint"`
}

type costJSON struct {
	Account string `json:"account"`
	Row     string `json:"row"`
	Amount  string `json:"amount"`
}

// billRequest reads the service of a bill's API route, for its makers,
// and the bill's JSON body.
func (s *Handlers) billRequest(c *gin.Context) (finance.Service, domain.Committee, apiBillBody, error) {
	var body apiBillBody
	svc, cm, err := s.ownService(c, serviceMakers)
	if err == nil {
		err = kit.ReadJSON(c, &body, false)
	}
	return svc, cm, body, err
}

// apiPreviewBill answers what billing the months makes, saving nothing.
func (s *Handlers) apiPreviewBill(c *gin.Context) {
	svc, _, body, err := s.billRequest(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	plan, err := s.plan(c.Request.Context(), svc, billInput{From: body.From, To: body.To, Quantity: body.Quantity})
	if err != nil {
		s.Fail(c, err)
		return
	}
	j := planJSON{From: plan.From.String(), To: plan.To.String(), CostTotal: plan.CostTotal.StringFixed(2), EarlierSum: plan.EarlierTotal.StringFixed(2),
		Amount: plan.Amount.StringFixed(2), Title: plan.Title(), Fingerprint: plan.Fingerprint()}
	for _, cost := range plan.Costs {
		j.Costs = append(j.Costs, costJSON{Account: cost.Account, Row: cost.RowName, Amount: cost.Amount.StringFixed(2)})
	}
	for _, b := range plan.Earlier {
		j.Earlier = append(j.Earlier, b.ID)
	}
	if plan.Quantity.Valid {
		j.Quantity = plan.Quantity.Decimal.String()
	}
	c.JSON(http.StatusOK, j)
}

// apiCreateBill saves a previewed bill as a direct allocation (201); the
// invoicing issues it (GET/POST /fordelningar/{id}/fakturera).
func (s *Handlers) apiCreateBill(c *gin.Context) {
	svc, cm, body, err := s.billRequest(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if body.Fingerprint == "" {
		s.Fail(c, domain.FieldErrorf("fingerprint", "Ange fingerprint från förhandsgranskningen (POST …/bills/preview)."))
		return
	}
	in := billInput{From: body.From, To: body.To, Quantity: body.Quantity}
	from, to, quantity, err := in.read(svc)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	var bill finance.ServiceBill
	var a finance.Allocation
	if err := s.DB.InTx(ctx, func(tx *store.Conn) error {
		var err error
		bill, a, err = tx.BillService(ctx, svc, from, to, quantity, body.Note, body.Fingerprint)
		return err
	}); err != nil {
		s.Fail(c, err)
		return
	}
	j := toServiceJSON(cm, svc, []finance.ServiceBill{bill})
	c.Header("Location", "/api/v1/allocations/"+strconv.FormatInt(a.ID, 10))
	c.JSON(http.StatusCreated, j.Bills[0])
}
