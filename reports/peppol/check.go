package peppol

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Flags of a violation, as the official Schematron flags the rule: a fatal
// rule makes the Peppol network refuse the document, a warning does not.
const (
	Fatal   = "fatal"
	Warning = "warning"
)

// Violation is a rule a document breaks.
type Violation struct {
	// Rule is the rule's identifier as the specification names it, such as
	// "BR-CO-15", "PEPPOL-EN16931-R004" or "SE-R-005". Two checks of this
	// package's own, for what the UBL 2.1 schema itself requires, are named
	// "UBL-SYNTAX" (an element or value the schema does not allow there) and
	// "UBL-SEQUENCE" (elements out of the schema's order).
	Rule string
	// Flag is Fatal or Warning.
	Flag string
	// Msg is the rule's official text, with where and why it failed.
	Msg string
}

// String formats the violation for logs and test output.
func (v Violation) String() string { return v.Rule + " [" + v.Flag + "] " + v.Msg }

// Rule identifiers of this package's own schema checks.
const (
	RuleSyntax   = "UBL-SYNTAX"
	RuleSequence = "UBL-SEQUENCE"
)

// warnings are the rules the official Schematron flags as warnings; every
// other rule is fatal.
var warnings = []string{"SE-R-003", "SE-R-004", "SE-R-007", "SE-R-008", "SE-R-009", "SE-R-010",
	"SE-R-011", "SE-R-012", "SE-R-013", "UBL-CR-412"}

// Check reads a UBL 2.1 Invoice or CreditNote and returns the rules it breaks,
// in the order they are checked; none means the document passes every rule
// this package implements. A document that is not well-formed XML, or whose
// root is neither a UBL Invoice nor a UBL CreditNote, gives one UBL-SYNTAX
// violation and no further checks.
func Check(doc []byte) []Violation {
	root, err := parse(doc)
	c := &checker{}
	if err != nil {
		c.assert(false, RuleSyntax, nil, "The document must be well-formed XML.", err)
		return c.out
	}
	switch root.name {
	case "Invoice":
		c.lineName, c.qtyName = "cac:InvoiceLine", "cbc:InvoicedQuantity"
		c.isInvoice = true
	case "CreditNote":
		c.lineName, c.qtyName = "cac:CreditNoteLine", "cbc:CreditedQuantity"
	default:
		c.assert(false, RuleSyntax, root, "The root element must be a UBL 2.1 Invoice or CreditNote.", "found "+root.name)
		return c.out
	}
	c.root = root
	c.supplier = root.at("cac:AccountingSupplierParty", "cac:Party")
	c.customer = root.at("cac:AccountingCustomerParty", "cac:Party")
	c.currency = root.val("cbc:DocumentCurrencyCode")
	c.lines = root.kidsNamed(c.lineName)
	c.checkSchema(root)
	c.checkDocument()
	c.checkParties()
	c.checkPayment()
	c.checkLines()
	c.checkTaxes()
	c.checkTotals()
	c.checkValues(root)
	c.checkSweden()
	return c.out
}

// checker holds the document being checked and the violations found.
type checker struct {
	root               *node
	isInvoice          bool
	lineName, qtyName  string
	supplier, customer *node
	currency           string
	lines              []*node
	out                []Violation
}

// assert records a violation of rule id at n unless ok. The text is the rule's
// official text; detail, if any, says what was found.
func (c *checker) assert(ok bool, id string, n *node, text string, detail ...any) {
	if ok {
		return
	}
	msg := text
	if n != nil {
		msg += " (at " + n.path() + ")"
	}
	if len(detail) > 0 {
		msg += ": " + strings.TrimSuffix(fmt.Sprintln(detail...), "\n")
	}
	flag := Fatal
	if slices.Contains(warnings, id) {
		flag = Warning
	}
	c.out = append(c.out, Violation{Rule: id, Flag: flag, Msg: msg})
}

// node is an element of the document, named with the cac:/cbc: prefix when in
// a UBL common namespace, by its bare name when a UBL root, and {namespace}name
// otherwise.
type node struct {
	name   string
	attrs  []xml.Attr
	text   string
	kids   []*node
	parent *node
}

// maxDepth bounds the nesting parse accepts. UBL invoices nest about ten
// levels deep; the bound keeps a hostile document from making Check recurse
// without end.
const maxDepth = 64

// parse reads doc into a tree of nodes.
func parse(doc []byte) (*node, error) {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var root *node
	var stack []*node
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: qualify(t.Name), attrs: t.Attr}
			if len(stack) == 0 {
				if root != nil {
					return nil, fmt.Errorf("a second root element %s", n.name)
				}
				root = n
			} else {
				n.parent = stack[len(stack)-1]
				n.parent.kids = append(n.parent.kids, n)
			}
			stack = append(stack, n)
			if len(stack) > maxDepth {
				return nil, fmt.Errorf("elements nested more than %d deep", maxDepth)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(t)
			}
		}
	}
	if root == nil {
		return nil, fmt.Errorf("no root element")
	}
	return root, nil
}

// qualify names an element the way node does.
func qualify(n xml.Name) string {
	switch n.Space {
	case nsCBC:
		return "cbc:" + n.Local
	case nsCAC:
		return "cac:" + n.Local
	case nsInvoice:
		if n.Local == "Invoice" {
			return n.Local
		}
	case nsCreditNote:
		if n.Local == "CreditNote" {
			return n.Local
		}
	}
	return "{" + n.Space + "}" + n.Local
}

// kid returns the first child named name, or nil. It is nil-safe, like every
// accessor below, so paths into missing parts of a document simply come out
// empty.
func (n *node) kid(name string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// kidsNamed returns the children named name.
func (n *node) kidsNamed(name string) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
	}
	return out
}

// at follows path through first matches.
func (n *node) at(path ...string) *node {
	for _, p := range path {
		n = n.kid(p)
	}
	return n
}

// all returns every node reached by path, following every match.
func (n *node) all(path ...string) []*node {
	if n == nil {
		return nil
	}
	cur := []*node{n}
	for _, p := range path {
		var next []*node
		for _, c := range cur {
			next = append(next, c.kidsNamed(p)...)
		}
		cur = next
	}
	return cur
}

// val returns the normalised text (XPath normalize-space) of the node at path,
// or "".
func (n *node) val(path ...string) string {
	m := n.at(path...)
	if m == nil {
		return ""
	}
	return strings.Join(strings.Fields(m.text), " ")
}

// has reports whether a node exists at path.
func (n *node) has(path ...string) bool { return n.at(path...) != nil }

// attr returns the value of the unqualified attribute name.
func (n *node) attr(name string) (string, bool) {
	if n == nil {
		return "", false
	}
	for _, a := range n.attrs {
		if a.Name.Space == "" && a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// path locates n for a message: /Invoice/cac:InvoiceLine[2]/cbc:ID.
func (n *node) path() string {
	if n.parent == nil {
		return "/" + n.name
	}
	same, pos := 0, 0
	for _, k := range n.parent.kids {
		if k.name == n.name {
			same++
			if k == n {
				pos = same
			}
		}
	}
	p := n.parent.path() + "/" + n.name
	if same > 1 {
		p += "[" + strconv.Itoa(pos) + "]"
	}
	return p
}

// walk calls f for n and every node below it, in document order.
func (n *node) walk(f func(*node)) {
	f(n)
	for _, k := range n.kids {
		k.walk(f)
	}
}

// xsDecimal is the lexical form of xs:decimal: no exponent, no spaces inside.
var xsDecimal = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)

// decimalOf reads the node's text as an xs:decimal; ok is false when the node
// is missing or its text is not a decimal.
func decimalOf(n *node) (d decimal.Decimal, ok bool) {
	if n == nil {
		return decimal.Zero, false
	}
	s := strings.TrimSpace(n.text)
	if !xsDecimal.MatchString(s) {
		return decimal.Zero, false
	}
	d, err := decimal.NewFromString(s)
	return d, err == nil
}

// num reads the node as a decimal, zero when missing or malformed (malformed
// numbers are reported by checkValues).
func num(n *node) decimal.Decimal {
	d, _ := decimalOf(n)
	return d
}

// xpathNumeric reports whether XPath's number() gives a number for s, i.e.
// s is an xs:double literal: what the Swedish rules test with
// string(number(...)) != 'NaN'.
var xpathNumeric = regexp.MustCompile(`^\s*(-?INF|[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?)\s*$`)

// round2 rounds the way the Schematron does with round(x * 10 * 10) div 100:
// XPath round() takes halves towards positive infinity.
func round2(d decimal.Decimal) decimal.Decimal {
	return d.Shift(2).Add(decimal.New(5, -1)).Floor().Shift(-2)
}
