package kit

import (
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
)

// Form is a submitted form as a page shows it again: the values typed and the
// errors tied to their fields, with a summary at the top.
type Form struct {
	Values map[string]string
	Errors map[string]string
	// Problem is a message about the form as a whole.
	Problem string
	// Check is where the form's fields are checked one at a time as the
	// user leaves them (htmx, see checkPartyField); "" for a form whose
	// fields are checked only when it is sent.
	Check string
	// fault is an internal error met while reading or saving the form,
	// never shown on it (see Fail).
	fault error
}

// maxFieldBytes bounds any single form field; longer input is refused before
// it reaches the rules.
const maxFieldBytes = 20_000

// ReadForm takes the named fields from a POST. A field that is not UTF-8 or is
// too long is recorded as an error on that field.
func ReadForm(c *gin.Context, names ...string) *Form {
	f := &Form{Values: map[string]string{}, Errors: map[string]string{}}
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

// OK reports whether the form has no errors.
func (f *Form) OK() bool { return len(f.Errors) == 0 && f.Problem == "" && f.fault == nil }

// HasErrors is ok's opposite, for the templates.
func (f *Form) HasErrors() bool { return !f.OK() }

// FieldView is one input as the "input" template renders it.
type FieldView struct {
	Name, Label, Type, Autocomplete, Hint string
	Value, Error                          string
	// Check is the form's Check: where the input asks to be checked when
	// it has changed.
	Check string
}

// field builds the view of one input of f for the "input" template.
func field(f *Form, name, label, typ, autocomplete string, hint ...string) FieldView {
	v := FieldView{Name: name, Label: label, Type: typ, Autocomplete: autocomplete, Hint: strings.Join(hint, " ")}
	if f != nil {
		v.Value, v.Error, v.Check = f.Values[name], f.Errors[name], f.Check
	}
	return v
}

// Fail records err on the form: a domain error on the field it names, or
// as the form's problem when it names none. Any other error is the form's
// fault: it is never shown on the form, and Kit.Record and Kit.Submit
// answer the request with it. An unavailable database is a fault too: no
// change to the form would help, and the answer is 503. A nil err records
// nothing.
func (f *Form) Fail(err error) {
	if err == nil {
		return
	}
	var e *domain.Error
	switch {
	case !errors.As(err, &e) || domain.IsFault(err):
		if f.fault == nil {
			f.fault = err
		}
	case e.Field != "":
		f.Errors[e.Field] = e.Message
	default:
		f.Problem = e.Message
	}
}

// Fault returns the first internal error recorded by Fail, or nil.
func (f *Form) Fault() error { return f.fault }

// Record records err on f (see Form.Fail) and reports whether the request
// can go on, to show the form again or to save it. After an internal error it
// has answered the request with a 500 (503 when the database is unavailable)
// and returns false.
func (s *Kit) Record(c *gin.Context, f *Form, err error) bool {
	f.Fail(err)
	if fault := f.Fault(); fault != nil {
		s.Fail(c, fault)
		return false
	}
	return true
}

// NamedField is one field of a form, for a page's template that renders the
// field both in the whole form and alone, as the answer to a check of that
// field.
type NamedField struct {
	Form *Form
	Name string
}

// Field picks one field of f for such a template.
func (f *Form) Field(name string) NamedField { return NamedField{Form: f, Name: name} }

// Value returns a trimmed value.
func (f *Form) Value(name string) string { return strings.TrimSpace(f.Values[name]) }

// Default puts value in the field name when the form holds none there, for a
// page that proposes a value (the current status, the latest period).
func (f *Form) Default(name, value string) {
	if f.Values[name] == "" {
		f.Values[name] = value
	}
}

// EmptyForm returns a form with no values and no errors, for a page that
// opens with an empty form.
func EmptyForm() *Form {
	return &Form{Values: map[string]string{}, Errors: map[string]string{}}
}

// CheckField answers a form's inline validation (htmx, as the user leaves a
// field they changed): the field named by ?falt=, which must be one of
// checkable, is checked alone by check, with the rule the form is saved
// with, and rendered by the page's block as the form renders it, with its
// message or without one. The form is read with the fields read, the
// context of the rule; their own problems are not reported. Nothing is
// saved. A message is the answer's content, so it comes with 200; a field
// that cannot be checked alone is refused with 400.
func (s *Kit) CheckField(c *gin.Context, checkURL string, checkable, read []string, page, block string, check func(f *Form, name string) error) {
	name := c.Query("falt")
	if !slices.Contains(checkable, name) {
		s.Fail(c, domain.Errorf(domain.EINVALID, "Formuläret har inget fält %q som kan kontrolleras för sig.", name))
		return
	}
	f := ReadForm(c, read...)
	msg := f.Errors[name]
	if msg == "" {
		err := check(f, name)
		msg = f.Errors[name] // reading a value (a date) may record its error on f
		if msg == "" && err != nil {
			var e *domain.Error
			if !errors.As(err, &e) || e.Field != name {
				s.Fail(c, err)
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
	s.RenderFragment(c, http.StatusOK, page, block, f.Field(name))
}

// FormStatus is the status of a page that shows a form again with err on it.
func FormStatus(err error) int {
	if code := domain.ErrorCode(err); code != "" && code != domain.EINTERNAL {
		return StatusOf(code)
	}
	return http.StatusBadRequest
}

// Submit is the one way a form is saved: when f has no errors yet it runs
// save in one transaction as the request's actor and records save's error on
// f. An internal error (met now or recorded on f before) fails the request;
// any other error shows the form again through rerender with the status that
// fits. Submit reports whether the change was saved, which is the caller's
// cue to redirect.
func (s *Kit) Submit(c *gin.Context, f *Form, save func(tx *store.Conn) error, rerender func(status int)) bool {
	var err error
	if f.OK() {
		err = s.InTx(c, save)
	}
	if !s.Record(c, f, err) {
		return false
	}
	if !f.OK() {
		rerender(FormStatus(err))
		return false
	}
	return true
}

// PathID reads a numeric route parameter; anything else is not found.
func PathID(c *gin.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id < 1 {
		return 0, domain.Errorf(domain.ENOTFOUND, "Sidan finns inte.")
	}
	return id, nil
}

// ChoiceView is a select field: its options, the value chosen and its error,
// rendered with the same label, hint and error markup as the "input"
// template.
type ChoiceView struct {
	Name, Label, Hint string
	Error             string
	Options           []Option
}

// Option is one choice of a select field.
type Option struct {
	Value, Label string
	Selected     bool
}

// Choice builds the select field name of f from its options, marking the
// Value f holds as chosen.
func Choice(f *Form, name, label, hint string, opts []Option) ChoiceView {
	v := ChoiceView{Name: name, Label: label, Hint: hint, Error: f.Errors[name], Options: opts}
	for i := range v.Options {
		v.Options[i].Selected = v.Options[i].Value == f.Values[name]
	}
	return v
}

var choiceTemplate = template.Must(template.New("choice").Parse(`<div class="field"><label for="f-{{.Name}}">{{.Label}}</label>
  {{if .Hint}}<p class="hint" id="f-{{.Name}}-hint">{{.Hint}}</p>{{end}}
  <select id="f-{{.Name}}" name="{{.Name}}"{{if .Error}} aria-invalid="true"{{end}}{{if or .Error .Hint}} aria-describedby="{{if .Hint}}f-{{.Name}}-hint {{end}}{{if .Error}}f-{{.Name}}-error{{end}}"{{end}}>
    {{range .Options}}<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>{{end}}
  </select>
  {{if .Error}}<p class="error" id="f-{{.Name}}-error">{{.Error}}</p>{{end}}
</div>`))

// HTML renders the field, escaped as any template output.
func (v ChoiceView) HTML() (template.HTML, error) {
	var b strings.Builder
	if err := choiceTemplate.Execute(&b, v); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

// ParseID reads the value v of the optional id field name ("" for none); a
// value that is not an id is an error on the field with the message msg.
func ParseID(name, v, msg string) (int64, error) {
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 1 {
		return 0, domain.FieldErrorf(name, "%s", msg)
	}
	return id, nil
}
