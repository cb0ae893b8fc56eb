package demo

import (
	"context"
	"fmt"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/domain/meeting"
	"github.com/region-jh/gns/store"
)

// MeetingPlace is where the seeds' committee meets: in the region's house
// Lillsjöhögen, with the members who cannot come taking part through Teams
// (the seeds give no meeting link).
const MeetingPlace = "Lillsjöhögen, via Teams"

// December2020 is the meeting of the seeds' kallelse (shared/seeds/004). The
// kallelse gives the time and place but its date sits in a page header the
// seed lost; the officers' reports on its agenda are dated up to 11 December
// 2020, and the meeting is taken to be the Monday after, 14 December 2020
// (the date shared/DOMAIN.md §9 uses as its example).
// Its minutes are not in the seeds: the demo constructs them
// (loadDecember) and says so (ConstructedNotice).
var December2020 = meeting.Meeting{Date: domain.MustDate("2020-12-14"), StartTime: "09:00", EndTime: "12:00",
	Place: MeetingPlace, Purpose: meeting.PurposeBudget, Municipalities: true, MinutesNotice: ConstructedNotice}

// YearPlan2021 is the meeting plan for 2021 that the December 2020 meeting
// decided (GNS/10/2020), at the time and place of the seeds' meetings.
var YearPlan2021 = []meeting.Meeting{
	{Date: domain.MustDate("2021-02-08"), Purpose: meeting.PurposeAnnualAccounts},
	{Date: domain.MustDate("2021-05-03"), Purpose: meeting.PurposeFourMonths},
	{Date: domain.MustDate("2021-09-13"), Purpose: meeting.PurposeInterim},
	{Date: domain.MustDate("2021-12-06"), Purpose: meeting.PurposeBudget},
}

// AgendaItem is what the seeds' kallelse says of one case beyond the case
// itself: the recipients (expedieras till) and the proposal where the
// kallelse words it otherwise than the officer's report. Its beslutsunderlag
// are the case's documents and earlier paragraphs, which the kallelse lists
// from the case.
type AgendaItem struct {
	Case       string
	DispatchTo []meeting.Recipient
	Proposal   string
}

var (
	allParties  = []meeting.Recipient{{Kind: meeting.RecipientParties}}
	secretariat = []meeting.Recipient{{Kind: meeting.RecipientRole, Role: "Sekretariatet"}}
)

// December2020Items are items 3–11 of the December 2020 kallelse, in its
// order; their titles, descriptions and (unless given here) proposals are
// the cases' own (Cases).
var December2020Items = []AgendaItem{
	{Case: "GNS/10/2020", DispatchTo: secretariat},
	{Case: "GNS/8/2020", DispatchTo: allParties},
	{Case: "GNS/6/2020", Proposal: "Uppdraget till regiondirektören återtas och ärendet avslutas."},
	{Case: "GNS/2/2020", DispatchTo: allParties},
	{Case: "GNS/14/2019"},
	{Case: "GNS/8/2019"},
	{Case: "GNS/11/2018"},
	{Case: "GNS/3/2019"},
	{Case: "GNS/9/2020"},
}

// loadMeetings plans the demo committee's meetings once Load's earlier steps
// have succeeded (err is Load's error so far): the December 2020 meeting with
// its eleven items as a published kallelse, and the 2021 year plan. It does
// nothing when the committee already has meetings in 2020 or 2021, and
// reports whether Load loaded anything.
func loadMeetings(ctx context.Context, c *store.Conn, loaded bool, err error) (bool, error) {
	if err != nil {
		return loaded, err
	}
	cm, err := c.CommitteeByCode(ctx, CommitteeCode)
	if err != nil {
		return loaded, err
	}
	for _, year := range []int{2020, 2021} {
		if list, err := c.Meetings(ctx, cm.ID, year); err != nil || len(list) > 0 {
			return loaded, err
		}
	}
	dec := December2020
	dec.CommitteeID = cm.ID
	m, err := c.CreateMeeting(ctx, dec)
	if err != nil {
		return loaded, fmt.Errorf("demo meeting %s: %w", dec.Date, err)
	}
	proposals := map[string]string{}
	for _, dc := range Cases {
		proposals[dc.Number] = dc.Proposal
	}
	for _, di := range December2020Items {
		if err := addDemoItem(ctx, c, m, di, proposals[di.Case]); err != nil {
			return loaded, fmt.Errorf("demo item %s: %w", di.Case, err)
		}
	}
	if _, err := c.PublishKallelse(ctx, m.ID); err != nil {
		return loaded, err
	}
	for _, pm := range YearPlan2021 {
		pm.CommitteeID, pm.StartTime, pm.EndTime, pm.Place, pm.Municipalities = cm.ID, dec.StartTime, dec.EndTime, MeetingPlace, true
		if _, err := c.CreateMeeting(ctx, pm); err != nil {
			return loaded, fmt.Errorf("demo meeting %s: %w", pm.Date, err)
		}
	}
	return true, nil
}

// addDemoItem puts a case on the meeting's list.
func addDemoItem(ctx context.Context, c *store.Conn, m meeting.Meeting, di AgendaItem, proposal string) error {
	n, err := domain.ParseCaseNumber(di.Case)
	if err != nil {
		return err
	}
	k, err := c.CaseByNumber(ctx, n)
	if err != nil {
		return err
	}
	if di.Proposal != "" {
		proposal = di.Proposal
	}
	_, err = c.AddAgendaItem(ctx, m.ID, meeting.AgendaItem{Kind: meeting.AgendaCase, CaseID: k.ID, Proposal: proposal, DispatchTo: di.DispatchTo})
	return err
}
