package browsertest

import (
	"net/url"
	"time"
)

// Element is an element of the page shown, found by a CSS selector.
type Element struct {
	b   *Browser
	id  string
	css string // how it was found, for messages
}

type elementRef = map[string]string

// Find returns the first element matching the CSS selector css, failing the
// test when there is none.
func (b *Browser) Find(css string) *Element {
	b.t.Helper()
	var ref elementRef
	if err := b.command("POST", "/session/"+b.session+"/element", locate(css), &ref); err != nil {
		b.t.Fatalf("browser: find %q on %s: %v", css, b.URL(), err)
	}
	return &Element{b: b, id: ref[elementKey], css: css}
}

// FindAll returns every element matching the CSS selector css, in document
// order (none is not an error).
func (b *Browser) FindAll(css string) []*Element {
	b.t.Helper()
	var refs []elementRef
	b.do("POST", "/elements", locate(css), &refs)
	els := make([]*Element, len(refs))
	for i, r := range refs {
		els[i] = &Element{b: b, id: r[elementKey], css: css}
	}
	return els
}

// Has reports whether an element matches the CSS selector css.
func (b *Browser) Has(css string) bool {
	b.t.Helper()
	return len(b.FindAll(css)) > 0
}

func locate(css string) map[string]string {
	return map[string]string{"using": "css selector", "value": css}
}

// Text returns the visible text of the first element matching css.
func (b *Browser) Text(css string) string {
	b.t.Helper()
	return b.Find(css).Text()
}

// Fill empties the field matching css and types text into it.
func (b *Browser) Fill(css, text string) {
	b.t.Helper()
	e := b.Find(css)
	e.Clear()
	e.Type(text)
}

// Click clicks the first element matching css (see Element.Click).
func (b *Browser) Click(css string) {
	b.t.Helper()
	b.Find(css).Click()
}

// ClickAndWait clicks the link or button matching css and waits until the
// page it leads to has loaded (see Element.ClickAndWait).
func (b *Browser) ClickAndWait(css string) {
	b.t.Helper()
	b.Find(css).ClickAndWait()
}

func (e *Element) path(suffix string) string { return "/element/" + e.id + suffix }

// Click clicks the element in its middle, as a mouse does; the element must
// be visible and not covered by another.
func (e *Element) Click() {
	e.b.t.Helper()
	e.b.do("POST", e.path("/click"), map[string]any{}, nil)
}

// ClickAndWait clicks a link or a submit button and waits until the page it
// leads to has loaded, failing the test when none loads within 15 seconds.
// (A form is submitted after the click has returned, so Click alone may come
// back while the old page still shows.)
func (e *Element) ClickAndWait() {
	e.b.t.Helper()
	e.b.markPage()
	e.Click()
	e.b.waitForNewPage()
}

// markPage marks the page shown, for waitForNewPage to see it go.
func (b *Browser) markPage() {
	b.t.Helper()
	b.Exec(nil, "window.__browsertestOldPage = true")
}

// waitForNewPage waits until the page marked by markPage has been replaced
// by a new one that has finished loading.
func (b *Browser) waitForNewPage() {
	b.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var loaded bool
		err := b.exec("/execute/sync", &loaded, "return !window.__browsertestOldPage && document.readyState === 'complete'")
		if err == nil && loaded {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("browser: no new page loaded within 15 s (still at %s; last error %v)", b.URL(), err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Clear empties a field.
func (e *Element) Clear() {
	e.b.t.Helper()
	e.b.do("POST", e.path("/clear"), map[string]any{}, nil)
}

// Type types text into the element, after what it holds.
func (e *Element) Type(text string) {
	e.b.t.Helper()
	e.b.do("POST", e.path("/value"), map[string]string{"text": text}, nil)
}

// Text returns the element's visible text.
func (e *Element) Text() string {
	e.b.t.Helper()
	var s string
	e.b.do("GET", e.path("/text"), nil, &s)
	return s
}

// Attr returns the element's attribute name, "" when it has none.
func (e *Element) Attr(name string) string {
	e.b.t.Helper()
	var s *string
	e.b.do("GET", e.path("/attribute/"+url.PathEscape(name)), nil, &s)
	if s == nil {
		return ""
	}
	return *s
}

// Style returns the computed value of the CSS property prop.
func (e *Element) Style(prop string) string {
	e.b.t.Helper()
	var s string
	e.b.do("GET", e.path("/css/"+url.PathEscape(prop)), nil, &s)
	return s
}

// Tag returns the element's tag name in lower case.
func (e *Element) Tag() string {
	e.b.t.Helper()
	var s string
	e.b.do("GET", e.path("/name"), nil, &s)
	return s
}

// Is reports whether e and other are the same element.
func (e *Element) Is(other *Element) bool {
	e.b.t.Helper()
	var same bool
	e.b.Exec(&same, "return arguments[0] === arguments[1]", e, other)
	return same
}

// Describe returns a short description of the element for messages, like
// `a.skip-link "Hoppa till innehållet"`.
func (e *Element) Describe() string {
	e.b.t.Helper()
	var s string
	e.b.Exec(&s, describeJS+"return describe(arguments[0]);", e)
	return s
}

// describeJS defines describe(el): the tag, id and classes of an element and
// the start of its text.
const describeJS = `function describe(el) {
  if (!el || !el.tagName) return String(el);
  var s = el.tagName.toLowerCase();
  if (el.id) s += '#' + el.id;
  if (typeof el.className === 'string' && el.className.trim()) s += '.' + el.className.trim().split(/\s+/).join('.');
  var text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ');
  if (text) s += ' "' + text.slice(0, 40) + '"';
  return s;
}
`
