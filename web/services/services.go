package services

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/finance"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
	"github.com/region-jh/gns/web/kit"
)

// serviceInput is the form that makes a service.
type serviceInput struct {
	Kind        string `form:"kind"`
	Name        string `form:"name"`
	Party       string `form:"party"`
	CostObject  string `form:"cost_object"`
	Unit        string `form:"unit"`
	Rate        string `form:"rate"`
	Decision    string `form:"decision"`
	Description string `form:"description"`
	StartsOn    string `form:"starts_on"`
	EndsOn      string `form:"ends_on"`
}

// service reads the form into a service of committee cm: the party by id,
// the rate as a Swedish amount, the dates as ÅÅÅÅ-MM-DD. The store checks
// the rest (finance.Service.Check).
func (in serviceInput) service(cm domain.Committee) (finance.Service, error) {
	s := finance.Service{CommitteeID: cm.ID, Kind: finance.ServiceKind(in.Kind), Name: in.Name, CostObject: in.CostObject,
		Unit: in.Unit, Decision: in.Decision, Description: in.Description}
	if in.Party != "" {
		id, err := kit.ParseID("party", in.Party, "Välj den part som tjänsten faktureras.")
		if err != nil {
			return s, err
		}
		s.PartyID = id
	}
	if s.Kind == finance.ServiceTime && in.Rate != "" {
		rate, err := sv.ParseAmount(in.Rate)
		if err != nil {
			return s, domain.FieldErrorf("rate", "%s", err.Error())
		}
		s.Rate = rate
	}
	for _, d := range []struct {
		field, text string
		to          *domain.Date
	}{{"starts_on", in.StartsOn, &s.StartsOn}, {"ends_on", in.EndsOn, &s.EndsOn}} {
		if d.text == "" {
			continue
		}
		v, err := domain.ParseDate(d.text)
		if err != nil {
			return s, domain.FieldErrorf(d.field, "Ange datumet som ÅÅÅÅ-MM-DD.")
		}
		*d.to = v
	}
	return s, nil
}

type servicesView struct {
	Committee domain.Committee
	CanWrite  bool
	Services  []finance.Service
	Parties   kit.ChoiceView
	Kinds     []finance.ServiceKind
	Form      *kit.Form
}

// servicesPage lists the committee's services and, for the economist, the
// form to make one.
func (s *Handlers) servicesPage(c *gin.Context) {
	cm, err := s.CommitteeFor(c, serviceReaders)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderServices(c, http.StatusOK, cm, kit.FormOf(serviceInput{Kind: string(finance.ServiceLedger), Unit: finance.UnitDay}))
}

func (s *Handlers) renderServices(c *gin.Context, status int, cm domain.Committee, f *kit.Form) {
	ctx := c.Request.Context()
	list, err := s.DB.Conn().Services(ctx, cm.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	parties, err := s.DB.Conn().CommitteePartiesOn(ctx, cm.ID, s.Today())
	if err != nil {
		s.Fail(c, err)
		return
	}
	opts := []kit.Option{{Value: "", Label: "Välj part"}}
	for _, p := range parties {
		opts = append(opts, kit.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name})
	}
	v := servicesView{Committee: cm, CanWrite: kit.CurrentUser(c).HasIn(cm.ID, serviceMakers...), Services: list,
		Parties: kit.Choice(f, "party", "Part som faktureras", "", opts), Kinds: []finance.ServiceKind{finance.ServiceLedger, finance.ServiceTime}, Form: f}
	s.Render(c, status, "services", "Tjänster som faktureras en part – "+cm.Code, v)
}

// createService makes a service from the form; a refused form is shown
// again with its errors (400).
func (s *Handlers) createService(c *gin.Context) {
	cm, err := s.CommitteeFor(c, serviceMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in serviceInput
	f := kit.Bind(c, &in)
	svc, err := in.service(cm)
	f.Fail(err)
	ctx := c.Request.Context()
	if !s.Submit(c, f, func(tx *store.Conn) error { var err error; svc, err = tx.CreateService(ctx, svc); return err },
		func(status int) { s.renderServices(c, status, cm, f) }) {
		return
	}
	s.Redirect(c, kit.ServiceURL(svc.ID), "Tjänsten "+svc.Name+" är sparad. Fakturera en period nedan.")
}

// ownService reads the :id of a service route for a user with one of the
// roles in its committee; any other service is "not found".
func (s *Handlers) ownService(c *gin.Context, roles []domain.Role) (finance.Service, domain.Committee, error) {
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	ctx := c.Request.Context()
	svc, err := s.DB.Conn().ServiceByID(ctx, id)
	if err == nil && !kit.CurrentUser(c).HasIn(svc.CommitteeID, roles...) {
		err = domain.Errorf(domain.ENOTFOUND, "Tjänsten finns inte.")
	}
	var cm domain.Committee
	if err == nil {
		cm, err = s.DB.Conn().CommitteeByID(ctx, svc.CommitteeID)
	}
	return svc, cm, err
}

// billInput is the form that bills a period: the months, the days or hours
// of a time service, a note, and (on the confirm step) the fingerprint of
// the plan previewed.
type billInput struct {
	From        string `form:"from"`
	To          string `form:"to"`
	Quantity    string `form:"quantity"`
	Note        string `form:"note"`
	Fingerprint string `form:"fingerprint"`
}

// read reads the months and the quantity.
func (in billInput) read(svc finance.Service) (from, to finance.Period, quantity decimal.Decimal, err error) {
	if from, err = finance.ParsePeriod(in.From); err != nil {
		return from, to, quantity, domain.FieldErrorf("from", "Ange första månaden som ÅÅÅÅ-MM, t.ex. 2020-01.")
	}
	if to, err = finance.ParsePeriod(in.To); err != nil {
		return from, to, quantity, domain.FieldErrorf("to", "Ange sista månaden som ÅÅÅÅ-MM, t.ex. 2020-08.")
	}
	if svc.Kind == finance.ServiceTime {
		q, err := sv.ParseAmount(strings.TrimSpace(in.Quantity))
		if err != nil {
			return from, to, quantity, domain.FieldErrorf("quantity", "Ange antalet %s som ett tal, t.ex. 12 eller 7,5.", finance.UnitLabel(svc.Unit))
		}
		quantity = q
	}
	return from, to, quantity, nil
}

type serviceView struct {
	Committee domain.Committee
	Service   finance.Service
	Bills     []finance.ServiceBill
	CanWrite  bool
	// Plan is the bill previewed, with Fingerprint for the confirm step.
	Plan        *finance.ServiceBillPlan
	Fingerprint string
	Form        *kit.Form
}

// servicePage shows a service, its bills and the form to bill a period.
func (s *Handlers) servicePage(c *gin.Context) {
	svc, cm, err := s.ownService(c, serviceReaders)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderService(c, http.StatusOK, svc, cm, nil, kit.FormOf(billInput{}))
}

func (s *Handlers) renderService(c *gin.Context, status int, svc finance.Service, cm domain.Committee, plan *finance.ServiceBillPlan, f *kit.Form) {
	bills, err := s.DB.Conn().ServiceBills(c.Request.Context(), svc.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := serviceView{Committee: cm, Service: svc, Bills: bills, CanWrite: kit.CurrentUser(c).HasIn(cm.ID, serviceMakers...), Plan: plan, Form: f}
	if plan != nil {
		v.Fingerprint = plan.Fingerprint()
	}
	s.Render(c, status, "service", svc.Name, v)
}

// plan works out the bill of the form's months without saving anything.
func (s *Handlers) plan(ctx context.Context, svc finance.Service, in billInput) (finance.ServiceBillPlan, error) {
	from, to, quantity, err := in.read(svc)
	if err != nil {
		return finance.ServiceBillPlan{}, err
	}
	return s.DB.Conn().PlanServiceBill(ctx, svc, from, to, quantity)
}

// billPreview shows what billing the chosen months makes (?from=&to=
// &quantity=), with the confirm button when nothing stops it. Nothing is
// saved.
func (s *Handlers) billPreview(c *gin.Context) {
	svc, cm, err := s.ownService(c, serviceMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	in := billInput{From: c.Query("from"), To: c.Query("to"), Quantity: c.Query("quantity")}
	f := kit.FormOf(in)
	plan, err := s.plan(c.Request.Context(), svc, in)
	if err != nil {
		if domain.IsFault(err) {
			s.Fail(c, err)
			return
		}
		f.Fail(err)
		var shown *finance.ServiceBillPlan
		if plan.Service.ID != 0 {
			shown = &plan // the costs found, with what stops them
		}
		s.renderService(c, kit.StatusOf(domain.ErrorCode(err)), svc, cm, shown, f)
		return
	}
	s.renderService(c, http.StatusOK, svc, cm, &plan, f)
}

// createBill saves the bill the economist previewed and confirmed, as a
// direct allocation, and goes on to the invoicing's own preview of it. If
// anything changed since the preview, nothing is saved.
func (s *Handlers) createBill(c *gin.Context) {
	svc, cm, err := s.ownService(c, serviceMakers)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var in billInput
	f := kit.Bind(c, &in)
	from, to, quantity, err := in.read(svc)
	f.Fail(err)
	if err == nil && in.Fingerprint == "" {
		f.Problem = "Förhandsgranska underlaget och bekräfta det därifrån."
	}
	ctx := c.Request.Context()
	var a finance.Allocation
	if !s.Submit(c, f, func(tx *store.Conn) error {
		var err error
		_, a, err = tx.BillService(ctx, svc, from, to, quantity, in.Note, in.Fingerprint)
		return err
	}, func(status int) { s.renderService(c, status, svc, cm, nil, f) }) {
		return
	}
	s.Redirect(c, kit.AllocationURL(a.ID)+"/fakturera", fmt.Sprintf("Underlaget %s är sparat som fördelning %d (%s till %s). Granska fakturan och utfärda den.",
		finance.PeriodSpan(from, to), a.ID, sv.Kronor(a.Total), svc.PartyName))
}
