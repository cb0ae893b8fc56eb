package kit

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

// A typed form is a struct whose fields carry `form:"name"` tags: a string
// field holds the value typed (trimmed of surrounding space), a bool field
// whether the field was sent with a value (a ticked checkbox), a []string
// field every value sent under the name (a group of checkboxes). The tag
// option raw (`form:"password,raw"`) keeps a string as typed, untrimmed, for
// a password, whose spaces are part of it. Handlers
// read such a struct instead of looking fields up by name; the *Form that
// comes with it is what a page shows again, with the errors on its fields.

// Bind reads the submitted form into dst, a pointer to a typed form, with
// ReadForm's checks (a value that is not UTF-8 or is too long is an error on
// its field and reads as empty), and returns the form as a page shows it
// again.
func Bind(c *gin.Context, dst any) *Form {
	v, fields := typedForm(dst)
	f := EmptyForm()
	for _, fd := range fields {
		switch fd.kind {
		case reflect.Slice:
			var kept []string
			for _, s := range c.PostFormArray(fd.name) {
				if msg := badValue(s); msg != "" {
					f.Errors[fd.name] = msg
					continue
				}
				kept = append(kept, s)
			}
			v.Field(fd.index).Set(reflect.ValueOf(kept))
			f.Values[fd.name] = strings.Join(kept, ",")
		default:
			s := c.PostForm(fd.name)
			if msg := badValue(s); msg != "" {
				f.Errors[fd.name] = msg
				s = ""
			}
			f.Values[fd.name] = s
			switch {
			case fd.kind == reflect.Bool:
				v.Field(fd.index).SetBool(s != "")
			case fd.raw:
				v.Field(fd.index).SetString(s)
			default:
				v.Field(fd.index).SetString(strings.TrimSpace(s))
			}
		}
	}
	return f
}

// BindEach reads a family of fields, one per key, named by name(key) (such
// as "party_bracke" for each party of a form), with Bind's checks, records
// them on f and returns their trimmed values by key. A typed form's fixed
// fields cannot hold such a family.
func BindEach(c *gin.Context, f *Form, name func(key string) string, keys []string) map[string]string {
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		n := name(k)
		v := c.PostForm(n)
		if msg := badValue(v); msg != "" {
			f.Errors[n] = msg
			v = ""
		}
		f.Values[n] = v
		out[k] = strings.TrimSpace(v)
	}
	return out
}

// FormOf returns the form that shows the values of src, a typed form (or a
// pointer to one), for a page that opens with a form filled in.
func FormOf(src any) *Form {
	v := reflect.Indirect(reflect.ValueOf(src))
	_, fields := typedForm(reflect.New(v.Type()).Interface())
	f := EmptyForm()
	for _, fd := range fields {
		switch fv := v.Field(fd.index); fd.kind {
		case reflect.Slice:
			f.Values[fd.name] = strings.Join(fv.Interface().([]string), ",")
		case reflect.Bool:
			if fv.Bool() {
				f.Values[fd.name] = "on"
			}
		default:
			f.Values[fd.name] = fv.String()
		}
	}
	return f
}

// FieldNames lists the names of a typed form's fields, in their order.
func FieldNames(form any) []string {
	_, fields := typedForm(form)
	names := make([]string, len(fields))
	for i, fd := range fields {
		names[i] = fd.name
	}
	return names
}

// badValue is ReadForm's check of one value: "" when it is fine, else the
// message for its field.
func badValue(s string) string {
	switch {
	case !utf8.ValidString(s):
		return "Fältet innehåller tecken som inte är giltig text (UTF-8)."
	case len(s) > maxFieldBytes:
		return "Fältet är för långt."
	}
	return ""
}

type formField struct {
	name  string
	index int
	kind  reflect.Kind
	// raw keeps a string untrimmed.
	raw bool
}

var formFields sync.Map // reflect.Type → []formField

// typedForm returns the struct dst points to and its tagged fields. A type
// that is not a pointer to a struct of string, bool and []string fields
// tagged `form` is a programming error, and panics.
func typedForm(dst any) (reflect.Value, []formField) {
	p := reflect.ValueOf(dst)
	if p.Kind() != reflect.Pointer || p.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("kit: a typed form is a pointer to a struct, not %T", dst))
	}
	v := p.Elem()
	if cached, ok := formFields.Load(v.Type()); ok {
		return v, cached.([]formField)
	}
	var fields []formField
	for i := range v.NumField() {
		sf := v.Type().Field(i)
		name, opts, _ := strings.Cut(sf.Tag.Get("form"), ",")
		if name == "" {
			continue
		}
		switch k := sf.Type.Kind(); {
		case k == reflect.String, k == reflect.Bool, k == reflect.Slice && sf.Type.Elem().Kind() == reflect.String:
			fields = append(fields, formField{name: name, index: i, kind: k, raw: opts == "raw" && k == reflect.String})
		default:
			panic(fmt.Sprintf("kit: field %s of %s is a %s; a typed form holds strings, bools and []string", sf.Name, v.Type(), sf.Type))
		}
	}
	formFields.Store(v.Type(), fields)
	return v, fields
}
