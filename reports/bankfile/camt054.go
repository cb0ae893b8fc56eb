package bankfile

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"golang.org/x/text/encoding/charmap"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/sv"
)

// The parts of an ISO 20022 camt.054 message (BankToCustomerDebitCreditNotification)
// that payments are read from. Elements are matched by their local names, so
// versions 001.02 through 001.08 read alike: an amount per transaction is
// TxDtls/AmtDtls/TxAmt/Amt in 001.02 and TxDtls/Amt from 001.03 on, a status
// is Sts (001.02–04) or Sts/Cd, a debtor's name Dbtr/Nm or Dbtr/Pty/Nm.

type camtAmount struct {
	Ccy   string `xml:"Ccy,attr"`
	Value string `xml:",chardata"`
}

type camtAccount struct {
	IBAN  string `xml:"Id>IBAN"`
	Other string `xml:"Id>Othr>Id"`
	Ccy   string `xml:"Ccy"`
}

type camtStatus struct {
	Text string `xml:",chardata"`
	Cd   string `xml:"Cd"`
}

type camtParty struct {
	Nm    string `xml:"Nm"`
	PtyNm string `xml:"Pty>Nm"`
}

type camtTx struct {
	AcctSvcrRef string      `xml:"Refs>AcctSvcrRef"`
	EndToEndID  string      `xml:"Refs>EndToEndId"`
	Amt         *camtAmount `xml:"Amt"`
	TxAmt       *camtAmount `xml:"AmtDtls>TxAmt>Amt"`
	CdtDbtInd   string      `xml:"CdtDbtInd"`
	Dbtr        camtParty   `xml:"RltdPties>Dbtr"`
	DbtrAcct    camtAccount `xml:"RltdPties>DbtrAcct"`
	Ustrd       []string    `xml:"RmtInf>Ustrd"`
	Refs        []string    `xml:"RmtInf>Strd>CdtrRefInf>Ref"`
	RefTypes    []string    `xml:"RmtInf>Strd>CdtrRefInf>Tp>CdOrPrtry>Cd"`
}

type camtEntry struct {
	Amt         camtAmount `xml:"Amt"`
	CdtDbtInd   string     `xml:"CdtDbtInd"`
	Sts         camtStatus `xml:"Sts"`
	BookgDt     string     `xml:"BookgDt>Dt"`
	BookgDtTm   string     `xml:"BookgDt>DtTm"`
	ValDt       string     `xml:"ValDt>Dt"`
	AcctSvcrRef string     `xml:"AcctSvcrRef"`
	Txs         []camtTx   `xml:"NtryDtls>TxDtls"`
}

// ParseCamt054 reads a camt.054 message: each booked entry (Ntry) of each
// notification (Ntfctn) becomes a deposit to the notification's account on
// its booking day, and each of its transactions (TxDtls) a payment (a
// credit) or a deduction (a debit). The transactions' amounts must add up to
// the entry's. An entry that is not booked (pending or information) is left
// out and noted.
func ParseCamt054(data []byte) (File, error) {
	f := File{Format: Camt054}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = func(label string, input io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "iso-8859-1", "latin1", "iso8859-1":
			return charmap.ISO8859_1.NewDecoder().Reader(input), nil
		case "windows-1252", "cp1252":
			return charmap.Windows1252.NewDecoder().Reader(input), nil
		}
		return nil, fmt.Errorf("teckenkodningen %q stöds inte; använd UTF-8", label)
	}
	var (
		path     []string
		acct     camtAccount
		inNtfctn bool
		sawRoot  bool
		sawBody  bool
	)
	for {
		line, _ := d.InputPos()
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return File{}, camtSyntaxError(d, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if len(path) == 0 {
				if name != "Document" {
					return File{}, fieldError(line, "rotelement", "en camt.054-fil börjar med <Document>, den här med <%s>.", name)
				}
				if ns := t.Name.Space; ns != "" && !strings.Contains(ns, "camt.054") {
					return File{}, fieldError(line, "namnrymd", "%s är inte camt.054 (urn:iso:std:iso:20022:tech:xsd:camt.054.001.xx).", ns)
				}
				sawRoot = true
			}
			if len(path) == 1 {
				if name != "BkToCstmrDbtCdtNtfctn" {
					return File{}, fieldError(line, name, "en camt.054-fil har <BkToCstmrDbtCdtNtfctn> under <Document>.")
				}
				sawBody = true
			}
			switch {
			case len(path) == 2 && name == "GrpHdr":
				var h struct {
					CreDtTm string `xml:"CreDtTm"`
				}
				if err := d.DecodeElement(&h, &t); err != nil {
					return File{}, camtSyntaxError(d, err)
				}
				f.Created = strings.Replace(strings.TrimSpace(h.CreDtTm), "T", " ", 1)
				continue
			case len(path) == 2 && name == "Ntfctn":
				inNtfctn, acct = true, camtAccount{}
			case inNtfctn && len(path) == 3 && name == "Acct":
				if err := d.DecodeElement(&acct, &t); err != nil {
					return File{}, camtSyntaxError(d, err)
				}
				continue
			case inNtfctn && len(path) == 3 && name == "Ntry":
				var e camtEntry
				if err := d.DecodeElement(&e, &t); err != nil {
					return File{}, camtSyntaxError(d, err)
				}
				if err := camtAddEntry(&f, line, acct, e); err != nil {
					return File{}, err
				}
				continue
			}
			path = append(path, name)
		case xml.EndElement:
			if len(path) > 0 {
				if len(path) == 3 && path[2] == "Ntfctn" {
					inNtfctn = false
				}
				path = path[:len(path)-1]
			}
		case xml.CharData:
			if len(path) == 0 && len(bytes.TrimSpace(t)) > 0 {
				return File{}, fieldError(line, "text", "text utanför <Document>.")
			}
		case xml.Directive:
			return File{}, fieldError(line, "DOCTYPE", "en camt.054-fil har ingen dokumenttypdeklaration.")
		}
	}
	if !sawRoot || !sawBody {
		return File{}, domain.Errorf(domain.EINVALID, "Filen är ingen camt.054-fil: den saknar <Document><BkToCstmrDbtCdtNtfctn>.")
	}
	if len(path) != 0 {
		return File{}, domain.Errorf(domain.EINVALID, "Filen är avbruten: <%s> avslutas aldrig.", path[len(path)-1])
	}
	return f, nil
}

// camtSyntaxError names the line of an XML error.
func camtSyntaxError(d *xml.Decoder, err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fieldError(se.Line, "XML", "%s.", se.Msg)
	}
	line, _ := d.InputPos()
	return fieldError(line, "XML", "%v.", err)
}

// camtAddEntry makes a deposit of a booked entry.
func camtAddEntry(f *File, line int, acct camtAccount, e camtEntry) error {
	status := strings.TrimSpace(e.Sts.Text)
	if e.Sts.Cd != "" {
		status = strings.TrimSpace(e.Sts.Cd)
	}
	if status == "" {
		return fieldError(line, "Ntry/Sts", "posten saknar status (BOOK, PDNG eller INFO).")
	}
	if status != "BOOK" {
		f.Notes = append(f.Notes, fmt.Sprintf("Rad %d: posten har status %q, inte bokförd (BOOK), och är inte med.", line, status))
		return nil
	}
	sign, err := camtSign(line, "Ntry/CdtDbtInd", e.CdtDbtInd)
	if err != nil {
		return err
	}
	total, err := camtAmountOf(line, "Ntry/Amt", e.Amt)
	if err != nil {
		return err
	}
	dep := Deposit{Line: line, Account: strings.TrimSpace(acct.IBAN), Currency: strings.TrimSpace(e.Amt.Ccy), Total: total.Mul(sign),
		Serial: strings.TrimSpace(e.AcctSvcrRef)}
	if dep.Account == "" {
		dep.Account = strings.TrimSpace(acct.Other)
		if digits := strings.ReplaceAll(dep.Account, "-", ""); len(digits) >= 7 && len(digits) <= 8 && domain.ASCIIDigitsOnly(digits) {
			dep.Account = formatBankgiro(digits) // a bankgiro number
		}
	}
	if acct.Ccy != "" && dep.Currency != strings.TrimSpace(acct.Ccy) {
		return fieldError(line, "Ntry/Amt/@Ccy", "posten är i %q men kontot i %q.", dep.Currency, acct.Ccy)
	}
	date := strings.TrimSpace(e.BookgDt)
	if date == "" && len(strings.TrimSpace(e.BookgDtTm)) >= 10 {
		date = strings.TrimSpace(e.BookgDtTm)[:10]
	}
	if date == "" {
		date = strings.TrimSpace(e.ValDt)
	}
	t, err := time.Parse(domain.DateLayout, date)
	if err != nil {
		return fieldError(line, "Ntry/BookgDt", "%q är inget datum (ÅÅÅÅ-MM-DD).", date)
	}
	if dep.Date = domain.DateOf(t); !dep.Date.InRange() {
		return fieldError(line, "Ntry/BookgDt", "%s ligger utanför 1900–2199.", date)
	}
	txs := e.Txs
	if len(txs) == 0 {
		txs = []camtTx{{}}
	}
	sum := decimal.Zero
	for i, tx := range txs {
		p := Payment{Line: line}
		where := fmt.Sprintf("TxDtls %d", i+1)
		amt := tx.Amt
		if amt == nil {
			amt = tx.TxAmt
		}
		switch {
		case amt != nil:
			if p.Amount, err = camtAmountOf(line, where+"/Amt", *amt); err != nil {
				return err
			}
			if c := strings.TrimSpace(amt.Ccy); c != dep.Currency {
				return fieldError(line, where+"/Amt/@Ccy", "transaktionen är i %q men posten i %q.", c, dep.Currency)
			}
		case len(txs) == 1:
			p.Amount = total
		default:
			return fieldError(line, where+"/Amt", "posten har flera transaktioner men den här saknar belopp.")
		}
		txSign := sign
		if tx.CdtDbtInd != "" {
			if txSign, err = camtSign(line, where+"/CdtDbtInd", tx.CdtDbtInd); err != nil {
				return err
			}
		}
		p.Amount = p.Amount.Mul(txSign)
		p.Deduction = p.Amount.IsNegative()
		sum = sum.Add(p.Amount)
		for j, ref := range tx.Refs {
			ref = strings.TrimSpace(ref)
			if ref == "" {
				continue
			}
			if p.Reference == "" {
				p.Reference = strings.ReplaceAll(ref, " ", "")
				p.OCRChecked = j < len(tx.RefTypes) && strings.TrimSpace(tx.RefTypes[j]) == "SCOR" && domain.ASCIIDigitsOnly(p.Reference)
			} else {
				p.Extra = append(p.Extra, ExtraReference{Reference: ref})
			}
		}
		for _, u := range tx.Ustrd {
			if u = strings.TrimSpace(u); u != "" {
				p.Texts = append(p.Texts, u)
			}
		}
		p.Payer = strings.TrimSpace(tx.Dbtr.Nm)
		if p.Payer == "" {
			p.Payer = strings.TrimSpace(tx.Dbtr.PtyNm)
		}
		p.PayerAccount = strings.TrimSpace(tx.DbtrAcct.IBAN)
		if p.PayerAccount == "" {
			p.PayerAccount = strings.TrimSpace(tx.DbtrAcct.Other)
		}
		p.BankRef = strings.TrimSpace(tx.AcctSvcrRef)
		if p.BankRef == "" {
			p.BankRef = strings.TrimSpace(tx.EndToEndID)
		}
		if p.BankRef == "NOTPROVIDED" {
			p.BankRef = ""
		}
		dep.Payments = append(dep.Payments, p)
	}
	if !sum.Equal(dep.Total) {
		return fieldError(line, "Ntry/Amt", "posten anger %s men transaktionerna blir %s.", sv.Kronor(dep.Total), sv.Kronor(sum))
	}
	f.Deposits = append(f.Deposits, dep)
	return nil
}

// camtSign reads a credit/debit indicator: +1 for CRDT, −1 for DBIT.
func camtSign(line int, field, s string) (decimal.Decimal, error) {
	switch strings.TrimSpace(s) {
	case "CRDT":
		return decimal.NewFromInt(1), nil
	case "DBIT":
		return decimal.NewFromInt(-1), nil
	}
	return decimal.Decimal{}, fieldError(line, field, "ska vara CRDT eller DBIT, är %q.", s)
}

// camtAmountOf reads an ActiveOrHistoricCurrencyAndAmount: a decimal point,
// at most two decimals for öre, never negative (the sign is CdtDbtInd's).
func camtAmountOf(line int, field string, a camtAmount) (decimal.Decimal, error) {
	s := strings.TrimSpace(a.Value)
	ok := s != "" && len(s) <= 19
	dot := false
	decimals := 0
	for _, c := range s {
		switch {
		case c == '.' && !dot:
			dot = true
		case c >= '0' && c <= '9':
			if dot {
				decimals++
			}
		default:
			ok = false
		}
	}
	if !ok || decimals > 2 || strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") {
		return decimal.Decimal{}, fieldError(line, field, "%q är inget belopp: siffror med decimalpunkt och högst två decimaler, t.ex. 101600.00.", s)
	}
	if strings.TrimSpace(a.Ccy) == "" {
		return decimal.Decimal{}, fieldError(line, field+"/@Ccy", "beloppet saknar valuta.")
	}
	return decimal.RequireFromString(s), nil
}
