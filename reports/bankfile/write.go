package bankfile

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// WriteBgMax writes f as a BgMax file (ISO 8859-1, CR LF line ends) stamped
// with created: one section per deposit with its payments (20), deductions
// (21), their extra references (22/23), messages (25) and payers' names (26)
// and organisation numbers (29), the deposit record (15) with the sum and
// count, and the end record (70). It is how the demo's example file of
// payments is made; a deposit's Total is computed, not read. The stamp is
// written in created's own zone (Bankgirot writes Swedish time). Text that ISO
// 8859-1 lacks is written as '?'; fields are cut to their width.
func WriteBgMax(f File, created time.Time) []byte {
	var lines []string
	rec := func(parts ...string) {
		s := strings.Join(parts, "")
		if r := []rune(s); len(r) > 80 {
			s = string(r[:80])
		}
		lines = append(lines, s+strings.Repeat(" ", 80-len([]rune(s))))
	}
	num := func(s string, w int) string {
		s = strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
		if len(s) > w {
			s = s[len(s)-w:]
		}
		return strings.Repeat("0", w-len(s)) + s
	}
	txt := func(s string, w int) string {
		r := []rune(s)
		if len(r) > w {
			r = r[:w]
		}
		return string(r) + strings.Repeat(" ", w-len(r))
	}
	ore := func(d decimal.Decimal) string { return num(d.Abs().Shift(2).StringFixed(0), 18) }
	test := "P"
	if f.Test {
		test = "T"
	}
	rec("01", txt("BGMAX", 20), "01", created.Format("20060102150405")+fmt.Sprintf("%06d", created.Nanosecond()/1000), test)
	var payments, deductions, extras int
	for i, d := range f.Deposits {
		cur := d.Currency
		if cur == "" {
			cur = "SEK"
		}
		rec("05", num(d.Account, 10), strings.Repeat(" ", 10), cur)
		total := decimal.Zero
		for j, p := range d.Payments {
			code, refCode := "20", "1"
			ref := txt(p.Reference, 25)
			switch {
			case p.OCRChecked:
				refCode, ref = "2", fmt.Sprintf("%25s", p.Reference)
			case p.BadReference:
				refCode = "5"
			case p.Reference != "":
				refCode = "4"
			}
			if p.Amount.IsNegative() || p.Deduction {
				code = "21"
				deductions++
				total = total.Sub(p.Amount.Abs())
			} else {
				payments++
				total = total.Add(p.Amount)
			}
			serial := p.BankRef
			if serial == "" {
				serial = fmt.Sprintf("%d%03d", i+1, j+1)
			}
			tail := "0"
			if code == "21" {
				tail = "00"
			}
			rec(code, num(p.PayerAccount, 10), ref, ore(p.Amount), refCode, "1", num(serial, 12), tail)
			for _, x := range p.Extra {
				c := "22"
				if x.Negative {
					c = "23"
				}
				rec(c, num(p.PayerAccount, 10), fmt.Sprintf("%25s", txt(x.Reference, 25)), ore(x.Amount), "2", "1", num(serial, 12), "0")
				extras++
			}
			for _, t := range p.Texts {
				rec("25", txt(t, 50))
			}
			if p.Payer != "" {
				rec("26", txt(p.Payer, 35))
			}
			if p.PayerOrgNumber != "" {
				rec("29", num(p.PayerOrgNumber, 12))
			}
		}
		rec("15", num(d.BankAccount, 35), fmt.Sprintf("%04d%02d%02d", d.Date.Year, d.Date.Month, d.Date.Day), num(fmt.Sprint(i+1), 5),
			ore(total), cur, num(fmt.Sprint(len(d.Payments)), 8), " ")
	}
	rec("70", num(fmt.Sprint(payments), 8), num(fmt.Sprint(deductions), 8), num(fmt.Sprint(extras), 8), num(fmt.Sprint(len(f.Deposits)), 8))
	out := make([]byte, 0, len(lines)*82)
	for _, l := range lines {
		for _, r := range l {
			if r > 0xff {
				r = '?'
			}
			out = append(out, byte(r))
		}
		out = append(out, '\r', '\n')
	}
	return out
}
