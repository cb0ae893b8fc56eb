package peppol

import (
	"fmt"
	"strings"

	"github.com/region-jh/gns/domain"
)

// Names of the party data an e-invoice cannot be sent without, as MissingError
// lists them.
const (
	MissingOrgNumber = "organisationsnummer"
	MissingPeppolID  = "Peppol-id"
	MissingReference = "fakturareferens"
	MissingVATNumber = "momsregistreringsnummer"
	MissingBankgiro  = "bankgironummer"
)

// MissingError says that a party lacks data an e-invoice needs, such as an
// organisation number or a Peppol id. The same invoice can still be issued as
// a PDF, which needs neither, and the message says so. It unwraps to a
// domain.Error with code ECONFLICT: the request is fine, but the party's
// register entry must be completed first.
type MissingError struct {
	// Party is the party's name, e.g. "Bräcke kommun".
	Party string
	// Missing lists what is missing, in Swedish, e.g. "organisationsnummer"
	// and "Peppol-id".
	Missing []string
}

// Error returns the Swedish message, e.g. "Bräcke kommun saknar
// organisationsnummer och Peppol-id: e-faktura kan inte skapas.
// PDF-fakturan går att ladda ner."
func (e *MissingError) Error() string {
	return fmt.Sprintf("%s saknar %s: e-faktura kan inte skapas. PDF-fakturan går att ladda ner.",
		e.Party, swedishList(e.Missing))
}

// Unwrap lets domain.ErrorCode and domain.ErrorMessage see the error as an
// ECONFLICT with the same message.
func (e *MissingError) Unwrap() error {
	return &domain.Error{Code: domain.ECONFLICT, Message: e.Error()}
}

// swedishList joins items the Swedish way: "a", "a och b", "a, b och c".
func swedishList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " och " + items[len(items)-1]
}

// InvalidError is returned by Build when the document it wrote breaks a rule
// Check knows. It means a fault in this package, not in the input, so it is an
// internal error whose text is meant for the log, not the user.
type InvalidError struct {
	// Number is the document's number.
	Number string
	// Violations are the rules broken.
	Violations []Violation
}

// Error lists the broken rules.
func (e *InvalidError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "peppol: document %s breaks %d rule(s):", e.Number, len(e.Violations))
	for _, v := range e.Violations {
		b.WriteString(" ")
		b.WriteString(v.String())
		b.WriteString(";")
	}
	return strings.TrimSuffix(b.String(), ";")
}
