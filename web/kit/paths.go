package kit

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/region-jh/gns/domain"
)

// The addresses of the pages and the API are here, in one place, so that an
// area can link to the pages of another without importing it.

// AllocationURL is the page of a saved allocation.
func AllocationURL(id int64) string { return "/fordelningar/" + strconv.FormatInt(id, 10) }

// AssignmentURL is the page of an assignment.
func AssignmentURL(id int64) string { return "/uppdrag/" + strconv.FormatInt(id, 10) }

// AssignmentsURL is a committee's assignment register.
func AssignmentsURL(code string) string { return "/namnder/" + url.PathEscape(code) + "/uppdrag" }

// CaseURL is the page of a case.
func CaseURL(n domain.CaseNumber) string {
	return fmt.Sprintf("/arenden/%s/%d/%d", n.Prefix, n.Seq, n.Year)
}

// RemissURL is the page of a remiss.
func RemissURL(id int64) string { return "/remisser/" + strconv.FormatInt(id, 10) }

// NewRemissURL is the form that sends a case on remiss.
func NewRemissURL(n domain.CaseNumber) string { return CaseURL(n) + "/remiss" }

// CasesURL is the list of a committee's cases.
func CasesURL(code string) string { return "/namnder/" + url.PathEscape(code) + "/arenden" }

// CaseAPIURL is a case in the JSON API.
func CaseAPIURL(n domain.CaseNumber) string {
	return "/api/v1/cases" + strings.TrimPrefix(CaseURL(n), "/arenden")
}

// CommitteeURL is the page of a committee.
func CommitteeURL(cm domain.Committee) string { return "/namnder/" + url.PathEscape(cm.Code) }

// EconomyURL is the economy overview of a committee.
func EconomyURL(cm domain.Committee) string { return CommitteeURL(cm) + "/ekonomi" }

// BudgetURL is a committee's budget of a year.
func BudgetURL(cm domain.Committee, year int) string {
	return EconomyURL(cm) + "/budget/" + strconv.Itoa(year)
}

// ImportsURL is the list of a committee's imports of actuals.
func ImportsURL(cm domain.Committee) string { return EconomyURL(cm) + "/import" }

// ImportURL is an import of actuals: its preview, or what it brought in.
func ImportURL(cm domain.Committee, id int64) string {
	return EconomyURL(cm) + "/import/" + strconv.FormatInt(id, 10)
}

// InvoiceURL is the page of an invoice or credit note, by its number.
func InvoiceURL(number string) string { return "/fakturor/" + url.PathEscape(number) }

// RunURL is the page of an invoice run.
func RunURL(id int64) string { return "/faktureringar/" + strconv.FormatInt(id, 10) }

// InvoicesURL is a committee's list of invoices.
func InvoicesURL(code string) string { return "/namnder/" + code + "/fakturor" }

// InvoiceAPIURL is an invoice in the JSON API.
func InvoiceAPIURL(number string) string { return "/api/v1/invoices/" + number }

// YearPlanURL is the year plan of a committee for a year.
func YearPlanURL(code string, year int) string {
	return "/namnder/" + url.PathEscape(code) + "/sammantraden?ar=" + strconv.Itoa(year)
}

// MeetingURL is the page of a meeting.
func MeetingURL(id int64) string { return "/sammantraden/" + strconv.FormatInt(id, 10) }

// MinutesURL is the minutes page of a meeting.
func MinutesURL(meetingID int64) string { return MeetingURL(meetingID) + "/protokoll" }

// ParagraphURL is the page of a paragraph.
func ParagraphURL(id int64) string { return "/paragrafer/" + strconv.FormatInt(id, 10) }

// ParagraphAPIURL is a paragraph in the JSON API.
func ParagraphAPIURL(id int64) string { return "/api/v1/paragraphs/" + strconv.FormatInt(id, 10) }

// PartyURL is the page of a party.
func PartyURL(p domain.Party) string { return "/parter/" + strconv.FormatInt(p.ID, 10) }

// PopulationsURL is the population table of a committee on a date.
func PopulationsURL(cm domain.Committee, d domain.Date) string {
	return CommitteeURL(cm) + "/invanare?datum=" + d.String()
}

// ReportURL is the page of an interim or annual report.
func ReportURL(cm domain.Committee, id int64) string {
	return EconomyURL(cm) + "/rapporter/" + strconv.FormatInt(id, 10)
}

// UserURL is the administration page of a user.
func UserURL(u domain.User) string { return "/admin/anvandare/" + strconv.FormatInt(u.ID, 10) }

// PaymentFilesURL is the list of a committee's payment files from the bank.
func PaymentFilesURL(code string) string { return "/namnder/" + code + "/betalfiler" }

// PaymentFileURL is a payment file: its preview, or what it registered.
func PaymentFileURL(code string, id int64) string {
	return PaymentFilesURL(code) + "/" + strconv.FormatInt(id, 10)
}

// ServicesURL is a committee's list of services billed to one party.
func ServicesURL(code string) string { return "/namnder/" + url.PathEscape(code) + "/tjanster" }

// ServiceURL is the page of a service billed to one party.
func ServiceURL(id int64) string { return "/tjanster/" + strconv.FormatInt(id, 10) }
