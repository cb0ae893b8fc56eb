package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
)

// form is a submitted form as a page shows it again: the values typed and the
// errors tied to their fields, with a summary at the top.
type form struct {
	Values map[string]string
	Errors map[string]string
	// Problem is a message about the form as a whole.
	Problem string
	// Check is where the form's fields are checked one at a time as the
	// user leaves them (htmx, see checkPartyField); "" for a form whose
	// fields are checked only when it is sent.
	Check string
}

// maxFieldBytes bounds any single form field; longer input is refused before
// it reaches the rules.
const maxFieldBytes = 20_000

// readForm takes the named fields from a POST. A field that is not UTF-8 or is
// too long is recorded as an error on that field.
func readForm(c *gin.Context, names ...string) *form {
	f := &form{Values: map[string]string{}, Errors: map[string]string{}}
	for _, n := range names {
		v := c.PostForm(n)
		switch {
		case !utf8.ValidString(v):
			f.Errors[n] = "Fältet innehåller tecken som inte är giltig text (UTF-8)."
			v = ""
		case len(v) > maxFieldBytes:
			f.Errors[n] = "Fältet är för långt."
			v = ""
		}
		f.Values[n] = v
	}
	return f
}

// ok reports whether the form has no errors.
func (f *form) ok() bool { return len(f.Errors) == 0 && f.Problem == "" }

// HasErrors is ok's opposite, for the templates.
func (f *form) HasErrors() bool { return !f.ok() }

// fieldView is one input as the "input" template renders it.
type fieldView struct {
	Name, Label, Type, Autocomplete, Hint string
	Value, Error                          string
	// Check is the form's Check: where the input asks to be checked when
	// it has changed.
	Check string
}

// field builds the view of one input of f for the "input" template.
func field(f *form, name, label, typ, autocomplete string, hint ...string) fieldView {
	v := fieldView{Name: name, Label: label, Type: typ, Autocomplete: autocomplete, Hint: strings.Join(hint, " ")}
	if f != nil {
		v.Value, v.Error, v.Check = f.Values[name], f.Errors[name], f.Check
	}
	return v
}

// fail records err on the form: on its field when it names one, else as the
// form's problem. Internal errors are returned for the caller to fail with.
func (f *form) fail(err error) error {
	var e *domain.Error
	if !errors.As(err, &e) {
		return err
	}
	if e.Field != "" {
		f.Errors[e.Field] = e.Message
	} else {
		f.Problem = e.Message
	}
	return nil
}

// namedField is one field of a form, for a page's template that renders the
// field both in the whole form and alone, as the answer to a check of that
// field.
type namedField struct {
	Form *form
	Name string
}

// Field picks one field of f for such a template.
func (f *form) Field(name string) namedField { return namedField{Form: f, Name: name} }

// value returns a trimmed value.
func (f *form) value(name string) string { return strings.TrimSpace(f.Values[name]) }

func emptyForm() *form {
	return &form{Values: map[string]string{}, Errors: map[string]string{}}
}

// checkField answers a form's inline validation (htmx, as the user leaves a
// field they changed): the field named by ?falt=, which must be one of
// checkable, is checked alone by check, with the rule the form is saved
// with, and rendered by the page's block as the form renders it, with its
// message or without one. The form is read with the fields read, the
// context of the rule; their own problems are not reported. Nothing is
// saved. A message is the answer's content, so it comes with 200; a field
// that cannot be checked alone is refused with 400.
func (s *Server) checkField(c *gin.Context, checkURL string, checkable, read []string, page, block string, check func(f *form, name string) error) {
	name := c.Query("falt")
	if !slices.Contains(checkable, name) {
		s.fail(c, domain.Errorf(domain.EINVALID, "Formuläret har inget fält %q som kan kontrolleras för sig.", name))
		return
	}
	f := readForm(c, read...)
	msg := f.Errors[name]
	if msg == "" {
		err := check(f, name)
		msg = f.Errors[name] // reading a value (a date) may record its error on f
		if msg == "" && err != nil {
			var e *domain.Error
			if !errors.As(err, &e) || e.Field != name {
				s.fail(c, err)
				return
			}
			msg = e.Message
		}
	}
	f.Errors = map[string]string{}
	if msg != "" {
		f.Errors[name] = msg
	}
	f.Check = checkURL
	s.renderFragment(c, http.StatusOK, page, block, f.Field(name))
}
