package kit

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/region-jh/gns/domain"
)

// TestJSONErrorSpeaksSwedish: every decoder error becomes a Swedish EINVALID
// message naming the field where the decoder knows it, without the Go
// decoder's English.
func TestJSONErrorSpeaksSwedish(t *testing.T) {
	t.Parallel()
	type body struct {
		Title string  `json:"title"`
		Year  int     `json:"year"`
		Tags  []int64 `json:"tags"`
		Ok    *bool   `json:"ok"`
	}
	tests := []struct {
		in, field, want string
	}{
		{`{"title": 12}`, "title", `Fältet "title" ska vara text, inte ett tal.`},
		{`{"year": "2021"}`, "year", `Fältet "year" ska vara ett heltal, inte text.`},
		{`{"year": 1.5}`, "year", `Fältet "year" ska vara ett heltal, inte ett tal.`},
		{`{"tags": {}}`, "tags", `Fältet "tags" ska vara en lista, inte ett objekt.`},
		{`{"ok": "ja"}`, "ok", `Fältet "ok" ska vara sant eller falskt (true/false), inte text.`},
		{`[1]`, "", `JSON-innehållet ska vara ett objekt, inte en lista.`},
		{`{"title": "a",}`, "", `Ogiltig JSON vid tecken 15.`},
		{`{"title": "a"`, "", `JSON-innehållet tar slut för tidigt.`},
		{`{"titel": "a"}`, "", `Okänt fält "titel".`},
	}
	for _, tt := range tests {
		dec := json.NewDecoder(strings.NewReader(tt.in))
		dec.DisallowUnknownFields()
		var b body
		err := JSONError(dec.Decode(&b))
		var e *domain.Error
		if !errors.As(err, &e) || e.Code != domain.EINVALID || e.Field != tt.field || e.Message != tt.want {
			t.Errorf("%s: %v, want EINVALID on %q: %q", tt.in, err, tt.field, tt.want)
		}
		if strings.Contains(err.Error(), "Go") || strings.Contains(err.Error(), "cannot unmarshal") {
			t.Errorf("%s: the message shows the decoder's text: %v", tt.in, err)
		}
	}
}
