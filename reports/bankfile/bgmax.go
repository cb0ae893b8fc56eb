package bankfile

import (
	"bytes"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/sv"
)

// BgMax records (transaktionskoder) as Bankgirot's technical manual for
// Bankgiro Inbetalningar defines them. Every record is one line of at most 80
// characters; a field is given by its first and last position (1-based), as
// in the manual.
const (
	bgStart       = "01" // startpost: layout name, version, skrivdag, test mark
	bgOpening     = "05" // öppningspost: receiving bankgiro, currency
	bgPayment     = "20" // betalningspost
	bgDeduction   = "21" // avdragspost
	bgExtraRef    = "22" // extra referensnummerpost
	bgExtraRefNeg = "23" // extra referensnummerpost, minusbelopp
	bgInfo        = "25" // informationspost
	bgName        = "26" // namnpost
	bgAddress1    = "27" // adresspost 1
	bgAddress2    = "28" // adresspost 2
	bgOrgNumber   = "29" // organisationsnummerpost
	bgDeposit     = "15" // insättningspost
	bgEnd         = "70" // slutpost
)

// bgRecord is one line of a BgMax file, decoded to runes so that positions
// count characters (the file is ISO 8859-1, one byte a character).
type bgRecord struct {
	line  int
	runes []rune
}

// field returns positions from…to (1-based, inclusive) of the record,
// blanks where the line is shorter.
func (r bgRecord) field(from, to int) string {
	var b strings.Builder
	for i := from - 1; i < to; i++ {
		if i < len(r.runes) {
			b.WriteRune(r.runes[i])
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// text is a field with its blanks trimmed.
func (r bgRecord) text(from, to int) string { return strings.TrimSpace(r.field(from, to)) }

// number reads a numeric field (zero-padded digits; blanks allowed only
// where allowBlank), naming field in the error.
func (r bgRecord) number(from, to int, name string, allowBlank bool) (string, error) {
	s := r.field(from, to)
	if allowBlank && strings.TrimSpace(s) == "" {
		return "", nil
	}
	if !domain.ASCIIDigitsOnly(s) {
		return "", fieldError(r.line, name+" (position "+strconv.Itoa(from)+"–"+strconv.Itoa(to)+")", "ska vara %d siffror, är %q.", to-from+1, strings.TrimSpace(s))
	}
	return s, nil
}

// amount reads an amount field in öre.
func (r bgRecord) amount(from, to int, name string) (decimal.Decimal, error) {
	s, err := r.number(from, to, name, false)
	if err != nil {
		return decimal.Decimal{}, err
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return decimal.Decimal{}, fieldError(r.line, name, "beloppet %s är för stort.", s)
	}
	return decimal.New(n, -2), nil
}

// count reads a counter field.
func (r bgRecord) count(from, to int, name string) (int, error) {
	s, err := r.number(from, to, name, false)
	if err != nil {
		return 0, err
	}
	n, _ := strconv.Atoi(s) // at most 8 digits
	return n, nil
}

// bgLines splits a BgMax file into records: UTF-8 when it is valid UTF-8,
// otherwise ISO 8859-1 as the manual says; CR LF or LF line ends; blank lines
// (such as a last empty line) are skipped.
func bgLines(data []byte) ([]bgRecord, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	latin1 := !utf8.Valid(data)
	var out []bgRecord
	for i, raw := range bytes.Split(data, []byte("\n")) {
		raw = bytes.TrimSuffix(raw, []byte("\r"))
		var runes []rune
		if latin1 {
			runes = make([]rune, len(raw))
			for j, b := range raw {
				runes[j] = rune(b)
			}
		} else {
			runes = []rune(string(raw))
		}
		// A tab stands for the blanks a program lost; the record's
		// positions are kept by reading it as one blank.
		for j, c := range runes {
			if c == '\t' {
				runes[j] = ' '
			} else if c < ' ' || c == 0x7f {
				return nil, fieldError(i+1, "tecken "+strconv.Itoa(j+1), "ett styrtecken (%U) hör inte hemma i en BgMax-fil.", c)
			}
		}
		if strings.TrimSpace(string(runes)) == "" {
			continue
		}
		if len(runes) > 80 {
			return nil, fieldError(i+1, "postlängd", "en BgMax-post är högst 80 tecken, raden har %d.", len(runes))
		}
		out = append(out, bgRecord{line: i + 1, runes: runes})
	}
	return out, nil
}

// ParseBgMax reads a BgMax file. The file must start with a start record
// (01) naming the layout BGMAX and end with an end record (70) whose counts
// agree with the records; every section (05 … 15) must have a deposit
// record whose amount and number of payments agree with its payments and
// deductions. Record types the manual adds later are skipped, as it asks.
func ParseBgMax(data []byte) (File, error) {
	recs, err := bgLines(data)
	if err != nil {
		return File{}, err
	}
	if len(recs) == 0 {
		return File{}, domain.Errorf(domain.EINVALID, "Filen är tom. En BgMax-fil börjar med en startpost (01) och slutar med en slutpost (70).")
	}
	f := File{Format: BgMax}
	first := recs[0]
	if first.field(1, 2) != bgStart || first.text(3, 22) != "BGMAX" {
		return File{}, fieldError(first.line, "startpost", "en BgMax-fil börjar med 01BGMAX; det här är ingen BgMax-fil.")
	}
	stamp, err := first.number(25, 44, "skrivdag", false)
	if err != nil {
		return File{}, err
	}
	if _, err := time.Parse("20060102150405", stamp[:14]); err != nil {
		return File{}, fieldError(first.line, "skrivdag (position 25–44)", "%s är ingen tidpunkt.", stamp)
	}
	f.Created = stamp[:4] + "-" + stamp[4:6] + "-" + stamp[6:8] + " " + stamp[8:10] + ":" + stamp[10:12] + ":" + stamp[12:14]
	switch first.field(45, 45) {
	case "T":
		f.Test = true
	case "P":
	default:
		return File{}, fieldError(first.line, "testmarkering (position 45)", "ska vara P (produktion) eller T (test), är %q.", first.field(45, 45))
	}

	var (
		dep                                *Deposit
		pay                                *Payment
		payments, deductions, extras, deps int
		ended                              bool
	)
	for _, r := range recs[1:] {
		if ended {
			return File{}, fieldError(r.line, "transaktionskod", "inga poster får komma efter slutposten (70).")
		}
		code := r.field(1, 2)
		inDeposit := dep != nil
		switch code {
		case bgOpening, bgPayment, bgDeduction, bgExtraRef, bgExtraRefNeg, bgInfo, bgName, bgAddress1, bgAddress2, bgOrgNumber, bgDeposit:
			if code != bgOpening && !inDeposit {
				return File{}, fieldError(r.line, "transaktionskod "+code, "posten står utanför ett avsnitt; varje avsnitt börjar med en öppningspost (05).")
			}
		}
		switch code {
		case bgStart:
			return File{}, fieldError(r.line, "transaktionskod 01", "filen har en andra startpost; en BgMax-fil har en.")
		case bgOpening:
			if inDeposit {
				return File{}, fieldError(r.line, "transaktionskod 05", "ny öppningspost innan avsnittet på rad %d avslutats med en insättningspost (15).", dep.Line)
			}
			bg, err := r.number(3, 12, "mottagarbankgironummer", false)
			if err != nil {
				return File{}, err
			}
			cur := r.text(23, 25)
			if cur != "SEK" && cur != "EUR" {
				return File{}, fieldError(r.line, "valuta (position 23–25)", "ska vara SEK eller EUR, är %q.", cur)
			}
			f.Deposits = append(f.Deposits, Deposit{Line: r.line, Account: formatBankgiro(bg), Currency: cur})
			dep, pay = &f.Deposits[len(f.Deposits)-1], nil
		case bgPayment, bgDeduction:
			p, err := bgPaymentRecord(r, code == bgDeduction)
			if err != nil {
				return File{}, err
			}
			if code == bgDeduction {
				deductions++
			} else {
				payments++
			}
			dep.Payments = append(dep.Payments, p)
			pay = &dep.Payments[len(dep.Payments)-1]
		case bgExtraRef, bgExtraRefNeg:
			if pay == nil {
				return File{}, fieldError(r.line, "transaktionskod "+code, "en extra referens ska följa en betalningspost (20) eller avdragspost (21).")
			}
			amount, err := r.amount(38, 55, "belopp (position 38–55)")
			if err != nil {
				return File{}, err
			}
			pay.Extra = append(pay.Extra, ExtraReference{Reference: r.text(13, 37), Amount: amount, Negative: code == bgExtraRefNeg})
			extras++
		case bgInfo, bgName, bgAddress1, bgAddress2, bgOrgNumber:
			if pay == nil {
				return File{}, fieldError(r.line, "transaktionskod "+code, "posten ska följa en betalningspost (20) eller avdragspost (21).")
			}
			switch code {
			case bgInfo:
				if t := r.text(3, 52); t != "" {
					pay.Texts = append(pay.Texts, t)
				}
			case bgName:
				pay.Payer = strings.TrimSpace(r.text(3, 37) + " " + r.text(38, 72))
			case bgOrgNumber:
				pay.PayerOrgNumber = strings.TrimLeft(r.text(3, 14), "0")
			}
		case bgDeposit:
			if err := bgCloseDeposit(r, dep); err != nil {
				return File{}, err
			}
			dep, pay = nil, nil
			deps++
		case bgEnd:
			if inDeposit {
				return File{}, fieldError(r.line, "transaktionskod 70", "slutposten kom innan avsnittet på rad %d avslutats med en insättningspost (15).", dep.Line)
			}
			want := []struct {
				from, to int
				name     string
				got      int
			}{{3, 10, "antal betalningsposter", payments}, {11, 18, "antal avdragsposter", deductions},
				{19, 26, "antal extra referensnummerposter", extras}, {27, 34, "antal insättningsposter", deps}}
			for _, w := range want {
				n, err := r.count(w.from, w.to, w.name+" (position "+strconv.Itoa(w.from)+"–"+strconv.Itoa(w.to)+")")
				if err != nil {
					return File{}, err
				}
				if n != w.got {
					return File{}, fieldError(r.line, w.name, "slutposten anger %d men filen har %d. Filen är ofullständig eller ändrad.", n, w.got)
				}
			}
			ended = true
		default:
			if !domain.ASCIIDigitsOnly(code) {
				return File{}, fieldError(r.line, "transaktionskod (position 1–2)", "ska vara två siffror, är %q.", code)
			}
			// A record type this reader does not know: the manual asks
			// readers to skip them.
		}
	}
	if !ended {
		return File{}, domain.Errorf(domain.EINVALID, "Filen saknar slutpost (70) efter rad %d: den är avbruten eller ofullständig.", recs[len(recs)-1].line)
	}
	return f, nil
}

// bgPaymentRecord reads a payment (20) or deduction (21) record.
func bgPaymentRecord(r bgRecord, deduction bool) (Payment, error) {
	p := Payment{Line: r.line, Deduction: deduction}
	payer, err := r.number(3, 12, "avsändarens bankgironummer (position 3–12)", true)
	if err != nil {
		return p, err
	}
	if strings.Trim(payer, "0") != "" {
		p.PayerAccount = formatBankgiro(payer)
	}
	if p.Amount, err = r.amount(38, 55, "belopp (position 38–55)"); err != nil {
		return p, err
	}
	if deduction {
		p.Amount = p.Amount.Neg()
	}
	ref := r.text(13, 37)
	switch code := r.field(56, 56); code {
	case "0", "1":
		// No reference (1: none was given on a blankett).
	case "2":
		p.Reference, p.OCRChecked = strings.ReplaceAll(ref, " ", ""), true
		if !domain.ASCIIDigitsOnly(p.Reference) || p.Reference == "" {
			return p, fieldError(r.line, "referens (position 13–37)", "referenskod 2 anger ett kontrollerat OCR-nummer, men referensen är %q.", ref)
		}
	case "3", "4":
		p.Reference = ref
	case "5":
		p.Reference, p.BadReference = ref, true
	default:
		return p, fieldError(r.line, "referenskod (position 56)", "ska vara 0–5, är %q.", code)
	}
	if _, err := r.number(57, 57, "betalningskanalkod (position 57)", false); err != nil {
		return p, err
	}
	p.BankRef = r.text(58, 69)
	return p, nil
}

// bgCloseDeposit reads a deposit record (15) and checks it against the
// section's payments.
func bgCloseDeposit(r bgRecord, dep *Deposit) error {
	date, err := r.number(38, 45, "betalningsdag (position 38–45)", false)
	if err != nil {
		return err
	}
	t, err := time.Parse("20060102", date)
	if err != nil {
		return fieldError(r.line, "betalningsdag (position 38–45)", "%s är inget datum.", date)
	}
	if dep.Date = domain.DateOf(t); !dep.Date.InRange() {
		return fieldError(r.line, "betalningsdag (position 38–45)", "%s ligger utanför 1900–2199.", date)
	}
	dep.Serial = strings.TrimLeft(r.text(46, 50), "0")
	if dep.Total, err = r.amount(51, 68, "insättningsbelopp (position 51–68)"); err != nil {
		return err
	}
	if cur := r.text(69, 71); cur != dep.Currency {
		return fieldError(r.line, "valuta (position 69–71)", "insättningen anger %q men öppningsposten på rad %d %q.", cur, dep.Line, dep.Currency)
	}
	n, err := r.count(72, 79, "antal betalningar (position 72–79)")
	if err != nil {
		return err
	}
	if n != len(dep.Payments) {
		return fieldError(r.line, "antal betalningar (position 72–79)", "insättningen anger %d betalningar men avsnittet har %d.", n, len(dep.Payments))
	}
	sum := decimal.Zero
	for _, p := range dep.Payments {
		sum = sum.Add(p.Amount)
	}
	if !sum.Equal(dep.Total) {
		return fieldError(r.line, "insättningsbelopp (position 51–68)", "insättningen anger %s men betalningarna minus avdragen blir %s.", sv.Kronor(dep.Total), sv.Kronor(sum))
	}
	dep.BankAccount = strings.TrimLeft(r.text(3, 37), "0")
	return nil
}

// formatBankgiro writes a zero-padded bankgiro number as NNN-NNNN or
// NNNN-NNNN.
func formatBankgiro(digits string) string {
	s := strings.TrimLeft(digits, "0")
	for len(s) < 7 {
		s = "0" + s
	}
	return s[:len(s)-4] + "-" + s[len(s)-4:]
}
