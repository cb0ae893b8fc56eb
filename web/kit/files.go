package kit

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/region-jh/gns/domain"
)

// FileSize writes a size in bytes for people: 812 byte, 35 kB, 1,4 MB.
func FileSize(n int64) string {
	switch {
	case n < 1000:
		return strconv.FormatInt(n, 10) + " byte"
	case n < 1_000_000:
		return strconv.FormatInt((n+500)/1000, 10) + " kB"
	}
	tenths := (n + 50_000) / 100_000
	return fmt.Sprintf("%d,%d MB", tenths/10, tenths%10)
}

// MaxUploadBody bounds a document upload's whole request: the largest file
// and room for the form's other fields.
const MaxUploadBody = domain.MaxCaseDocumentSize + 1<<20

// LimitUpload bounds the body of an upload to one document and its fields.
// It is the bound for API uploads (a bearer token skips the form-token check,
// so nothing has read the body yet); a browser's form has already been read,
// within maxRequestBody, by that check, and readUpload's size check decides.
func LimitUpload(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, MaxUploadBody)
}

// ReadUpload reads the file of a multipart upload in the field "file". Its
// errors are about that field.
func ReadUpload(c *gin.Context) (name string, content []byte, err error) {
	fh, err := c.FormFile("file")
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return "", nil, domain.FieldErrorf("file", "Filen är för stor: högst 20 MB.")
	case err != nil:
		return "", nil, domain.FieldErrorf("file", "Välj en fil att ladda upp.")
	case fh.Size > domain.MaxCaseDocumentSize:
		return fh.Filename, nil, domain.FieldErrorf("file", "Filen %s är för stor: högst 20 MB.", domain.SanitizeFileName(fh.Filename))
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	content, err = io.ReadAll(io.LimitReader(f, domain.MaxCaseDocumentSize+1))
	if err != nil {
		return "", nil, fmt.Errorf("read upload: %w", err)
	}
	return fh.Filename, content, nil
}

// SendAttachment sends a stored file as a download under its name, with its
// SHA-256 checksum (hex) as a Repr-Digest (RFC 9530), and sandboxed so that a
// file opened in the browser cannot run anything.
func SendAttachment(c *gin.Context, name, contentType, sha256Hex string, content []byte) {
	h := c.Writer.Header()
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	if sum, err := hex.DecodeString(sha256Hex); err == nil {
		h.Set("Repr-Digest", "sha-256=:"+base64.StdEncoding.EncodeToString(sum)+":")
	}
	c.Data(http.StatusOK, contentType, content)
}

// maxCaseJSONBody bounds the JSON body of a case request: a description of
// the longest allowed length fits many times over.
const maxCaseJSONBody = 1 << 20

// ReadJSON decodes a JSON body into v, refusing unknown fields. An empty
// body is allowed when emptyOK, and leaves v as it is.
func ReadJSON(c *gin.Context, v any, emptyOK bool) error {
	dec := json.NewDecoder(http.MaxBytesReader(c.Writer, c.Request.Body, maxCaseJSONBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if errors.Is(err, io.EOF) && emptyOK {
		return nil
	}
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return domain.Errorf(domain.EINVALID, "Begäran är för stor: högst 1 MB JSON.")
	case errors.Is(err, io.EOF):
		return domain.Errorf(domain.EINVALID, "Begäran saknar JSON-innehåll.")
	case err != nil:
		return JSONError(err)
	}
	if dec.More() {
		return domain.Errorf(domain.EINVALID, "Ogiltig JSON: mer än ett värde.")
	}
	return nil
}

// Download sends a generated file as an attachment.
func Download(c *gin.Context, contentType, name string, b []byte) {
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, contentType, b)
}

// JSONError turns an error of encoding/json into a domain EINVALID error that
// says in Swedish what is wrong and, where the decoder knows it, in which
// field; the decoder's own English text never reaches the user. A domain
// error (from a type's own UnmarshalJSON) is returned as it is.
func JSONError(err error) error {
	var (
		de     *domain.Error
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &de):
		return de
	case errors.As(err, &syntax):
		return domain.Errorf(domain.EINVALID, "Ogiltig JSON vid tecken %d.", syntax.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return domain.Errorf(domain.EINVALID, "JSON-innehållet tar slut för tidigt.")
	case errors.As(err, &typ):
		if typ.Field == "" {
			return domain.Errorf(domain.EINVALID, "JSON-innehållet ska vara %s, inte %s.", jsonKind(typ.Type), jsonValue(typ.Value))
		}
		return domain.FieldErrorf(typ.Field, "Fältet %q ska vara %s, inte %s.", typ.Field, jsonKind(typ.Type), jsonValue(typ.Value))
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return domain.Errorf(domain.EINVALID, "Okänt fält %s.", name)
	}
	return domain.Errorf(domain.EINVALID, "Ett värde i JSON-innehållet har fel form, till exempel ett belopp, ett datum eller ett id. Kontrollera värdena och försök igen.")
}

// jsonKind names in Swedish what a Go type expects in JSON.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "sant eller falskt (true/false)"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "ett heltal"
	case reflect.Float32, reflect.Float64:
		return "ett tal"
	case reflect.Slice, reflect.Array:
		return "en lista"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return "ett objekt"
}

// jsonValue names in Swedish the kind of JSON value the decoder met.
func jsonValue(v string) string {
	switch {
	case v == "string":
		return "text"
	case v == "bool":
		return "sant eller falskt"
	case v == "array":
		return "en lista"
	case v == "object":
		return "ett objekt"
	case strings.HasPrefix(v, "number"):
		return "ett tal"
	}
	return v
}
