package kit

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

type sampleForm struct {
	Name    string   `form:"name"`
	Confirm bool     `form:"confirm"`
	Parties []string `form:"parties"`
	Ignored string
}

func postContext(t *testing.T, values url.Values) *gin.Context {
	t.Helper()
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest(http.MethodPost, "/", strings.NewReader(values.Encode()))
	c.Request.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c
}

func TestBind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		values url.Values
		want   sampleForm
		errors map[string]string
	}{
		{"all fields", url.Values{"name": {"  Bräcke  "}, "confirm": {"on"}, "parties": {"1", "3"}},
			sampleForm{Name: "Bräcke", Confirm: true, Parties: []string{"1", "3"}}, nil},
		{"nothing sent", url.Values{}, sampleForm{}, nil},
		{"not UTF-8", url.Values{"name": {"\xff"}, "parties": {"2", "\xfe"}},
			sampleForm{Parties: []string{"2"}},
			map[string]string{"name": "Fältet innehåller tecken som inte är giltig text (UTF-8).", "parties": "Fältet innehåller tecken som inte är giltig text (UTF-8)."}},
		{"too long", url.Values{"name": {strings.Repeat("a", maxFieldBytes+1)}}, sampleForm{}, map[string]string{"name": "Fältet är för långt."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got sampleForm
			f := Bind(postContext(t, tt.values), &got)
			if got.Name != tt.want.Name || got.Confirm != tt.want.Confirm || strings.Join(got.Parties, ",") != strings.Join(tt.want.Parties, ",") {
				t.Errorf("Bind = %+v, want %+v", got, tt.want)
			}
			if len(f.Errors) != len(tt.errors) {
				t.Errorf("errors = %v, want %v", f.Errors, tt.errors)
			}
			for k, v := range tt.errors {
				if f.Errors[k] != v {
					t.Errorf("error on %s = %q, want %q", k, f.Errors[k], v)
				}
			}
		})
	}
}

func TestBindKeepsWhatWasTyped(t *testing.T) {
	t.Parallel()
	var got sampleForm
	f := Bind(postContext(t, url.Values{"name": {" Åre "}}), &got)
	if f.Values["name"] != " Åre " || got.Name != "Åre" {
		t.Errorf("form value %q, field %q; want the value as typed and the field trimmed", f.Values["name"], got.Name)
	}
}

func TestFormOfAndFieldNames(t *testing.T) {
	t.Parallel()
	f := FormOf(sampleForm{Name: "Åre", Confirm: true, Parties: []string{"4", "5"}})
	if f.Values["name"] != "Åre" || f.Values["confirm"] != "on" || f.Values["parties"] != "4,5" || len(f.Values) != 3 {
		t.Errorf("FormOf = %v", f.Values)
	}
	if got := strings.Join(FieldNames(&sampleForm{}), " "); got != "name confirm parties" {
		t.Errorf("FieldNames = %q", got)
	}
}

func TestTypedFormRefusesOtherTypes(t *testing.T) {
	t.Parallel()
	for _, dst := range []any{sampleForm{}, new(int), &struct {
		N int `form:"n"`
	}{}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("typedForm(%T) did not panic", dst)
				}
			}()
			typedForm(dst)
		}()
	}
}

// FuzzBind checks that whatever a browser sends, Bind keeps only valid,
// bounded text in the typed form and never panics.
func FuzzBind(f *testing.F) {
	f.Add("Bräcke", "on", "1")
	f.Add("\xff", "", "\xfe")
	f.Add(" ", "x", "")
	f.Fuzz(func(t *testing.T, name, confirm, party string) {
		var got sampleForm
		form := Bind(postContext(t, url.Values{"name": {name}, "confirm": {confirm}, "parties": {party}}), &got)
		for _, s := range append([]string{got.Name}, got.Parties...) {
			if !utf8.ValidString(s) || len(s) > maxFieldBytes {
				t.Fatalf("Bind kept %q", s)
			}
		}
		if got.Name != strings.TrimSpace(got.Name) {
			t.Fatalf("Bind did not trim %q", got.Name)
		}
		if (form.Errors["name"] == "") != (badValue(name) == "") {
			t.Fatalf("the error on name (%q) does not match the value %q", form.Errors["name"], name)
		}
	})
}
