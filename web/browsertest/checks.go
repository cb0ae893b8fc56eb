package browsertest

import (
	_ "embed"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// CheckPage runs the checks every page must pass: no errors in the browser
// console (except, when given, the page's own answer having one of the HTTP
// statuses allowStatus), no axe-core violation of WCAG 2.1 A and AA, and no
// sideways scrolling at the viewport's width. It then saves a screenshot
// named name (see Screenshot).
func (b *Browser) CheckPage(name string, allowStatus ...int) {
	b.t.Helper()
	b.CheckConsole(allowStatus...)
	b.CheckAxe()
	b.CheckFitsWidth()
	b.Screenshot(name)
}

// CheckFitsWidth fails the test when the page is wider than the window, so
// that reading it takes scrolling sideways.
func (b *Browser) CheckFitsWidth() {
	b.t.Helper()
	var widths struct{ Page, View int }
	b.Exec(&widths, "return {Page: document.documentElement.scrollWidth, View: document.documentElement.clientWidth}")
	if widths.Page > widths.View {
		b.t.Errorf("%s at %s is %d px wide, more than the window's %d px: it scrolls sideways", b.Path(), b.viewport.Name, widths.Page, widths.View)
	}
}

// LogEntry is one message of the browser console.
type LogEntry struct {
	Level     string `json:"level"`  // SEVERE for errors, WARNING, INFO, DEBUG
	Source    string `json:"source"` // console-api, javascript, network, security ...
	Message   string `json:"message"`
	Timestamp int64  `json:"timestamp"`
}

// ConsoleErrors returns the errors written to the browser console since the
// last call: script errors, console.error, resources that failed to load
// and content security policy violations. (They are read from chromedriver's
// log endpoint, which the session's goog:loggingPrefs switch on.)
func (b *Browser) ConsoleErrors() []LogEntry {
	b.t.Helper()
	var all []LogEntry
	b.do("POST", "/se/log", map[string]string{"type": "browser"}, &all)
	var errs []LogEntry
	for _, e := range all {
		if e.Level == "SEVERE" {
			errs = append(errs, e)
		}
	}
	return errs
}

// documentStatus matches Chromium's console line for a page that answered
// with an error status.
var documentStatus = regexp.MustCompile(`^(\S+) - Failed to load resource: the server responded with a status of (\d+)`)

// CheckConsole fails the test for every error in the browser console since
// the last look. Chromium also logs a page whose own answer has an error
// status; a form shown again with its errors answers 400 or 401 on purpose,
// so those statuses can be allowed for the page itself (never for the style
// sheet, images or scripts it loads).
func (b *Browser) CheckConsole(allowStatus ...int) {
	b.t.Helper()
	page := b.URL()
	for _, e := range b.ConsoleErrors() {
		if m := documentStatus.FindStringSubmatch(e.Message); m != nil && e.Source == "network" && m[1] == page {
			status, _ := strconv.Atoi(m[2])
			if contains(allowStatus, status) {
				continue
			}
		}
		b.t.Errorf("browser console error on %s (%s): %s", page, e.Source, e.Message)
	}
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// axeSource is axe-core, vendored under testdata/axe (see its README).
//
//go:embed testdata/axe/axe.min.js
var axeSource string

// AxeTags are the axe-core rule sets checked: WCAG 2.0 and 2.1, levels A
// and AA.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// Violation is a rule of axe-core that the page breaks, and where.
type Violation struct {
	ID      string          `json:"id"` // e.g. color-contrast
	Impact  string          `json:"impact"`
	Help    string          `json:"help"`
	HelpURL string          `json:"helpUrl"`
	Nodes   []ViolationNode `json:"nodes"`
}

// ViolationNode is one element that breaks a rule.
type ViolationNode struct {
	Target  string `json:"target"` // a CSS selector of the element
	HTML    string `json:"html"`
	Summary string `json:"summary"` // what to fix
}

const axeRunJS = `var done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']}).then(function (r) {
  done({violations: r.violations.map(function (v) {
    return {id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl, nodes: v.nodes.map(function (n) {
      return {target: n.target.map(String).join(' '), html: n.html, summary: n.failureSummary || ''};
    })};
  })});
}, function (e) { done({error: String(e)}); });`

// Axe runs axe-core's WCAG 2.1 A and AA rules (AxeTags) on the page shown
// and returns the violations.
func (b *Browser) Axe() ([]Violation, error) {
	b.t.Helper()
	var loaded bool
	if err := b.exec("/execute/sync", &loaded, "return typeof window.axe === 'object'"); err != nil {
		return nil, err
	}
	if !loaded {
		if err := b.exec("/execute/sync", nil, axeSource); err != nil {
			return nil, fmt.Errorf("load axe-core: %w", err)
		}
	}
	var result struct {
		Violations []Violation `json:"violations"`
		Error      string      `json:"error"`
	}
	if err := b.exec("/execute/async", &result, axeRunJS, AxeTags); err != nil {
		return nil, fmt.Errorf("run axe-core: %w", err)
	}
	if result.Error != "" {
		return nil, fmt.Errorf("axe-core: %s", result.Error)
	}
	return result.Violations, nil
}

// CheckAxe fails the test when axe-core finds the page breaking a WCAG 2.1
// A or AA rule, listing each rule and the elements that break it.
func (b *Browser) CheckAxe() {
	b.t.Helper()
	vs, err := b.Axe()
	if err != nil {
		b.t.Fatalf("accessibility check on %s: %v", b.Path(), err)
	}
	if len(vs) > 0 {
		b.t.Errorf("accessibility (WCAG 2.1 AA) on %s at %s:\n%s", b.Path(), b.viewport.Name, FormatViolations(vs))
	}
}

// FormatViolations writes violations as a readable list: each rule with its
// impact, what it asks for and where to read more, then each element that
// breaks it and what to fix.
func FormatViolations(vs []Violation) string {
	var s strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&s, "- %s (%s): %s\n  %s\n", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&s, "  * %s\n    %s\n", n.Target, truncate(n.HTML, 200))
			for _, line := range strings.Split(strings.TrimSpace(n.Summary), "\n") {
				fmt.Fprintf(&s, "    %s\n", strings.TrimSpace(line))
			}
		}
	}
	return s.String()
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// FocusStop is an element reached with the Tab key and how its focus shows.
type FocusStop struct {
	Element      string  // e.g. a.skip-link "Hoppa till innehållet"
	InMain       bool    // inside the page's main element
	Outline      string  // computed outline: style, width and colour
	OutlineWidth float64 // in CSS pixels; 0 when the outline style is none
	// Contrast is the least contrast ratio between the outline's colour and
	// what lies around it on the page.
	Contrast float64
	seen     bool // reached before in this TabThrough
}

// focusJS describes the focused element: what it is, whether it is in main,
// its outline, and the outline's contrast with the colours just outside it
// (the element's surroundings on each side, found with elementsFromPoint), or
// with the element's own background when the outline is drawn inside it.
const focusJS = describeJS + `
function rgb(c) { var m = c.match(/[\d.]+/g) || [0, 0, 0, 0]; return m.map(Number); }
function lum(c) { return [0, 1, 2].reduce(function (s, i) {
  var v = c[i] / 255; v = v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  return s + [0.2126, 0.7152, 0.0722][i] * v; }, 0); }
function ratio(a, b) { var x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); }
function background(el) {
  for (; el && el.nodeType === 1; el = el.parentElement) {
    var c = rgb(getComputedStyle(el).backgroundColor);
    if (c.length < 4 || c[3] > 0) return c;
  }
  return [255, 255, 255];
}
var el = document.activeElement;
if (!el || el === document.body || el === document.documentElement) return null;
var seen = !!window.__tabSeen && __tabSeen.has(el);
if (window.__tabSeen) __tabSeen.add(el);
var cs = getComputedStyle(el), width = cs.outlineStyle === 'none' ? 0 : parseFloat(cs.outlineWidth) || 0;
var r = el.getBoundingClientRect(), offset = parseFloat(cs.outlineOffset) || 0, out = width + offset + 2, colour = rgb(cs.outlineColor);
var points = [[r.left - out, r.top + r.height / 2], [r.right + out, r.top + r.height / 2], [r.left + r.width / 2, r.top - out], [r.left + r.width / 2, r.bottom + out]];
var least = Infinity;
// An outline drawn inside the element (a negative offset) lies on the element's own background.
if (width + offset <= 0) points = [];
points.forEach(function (p) {
  if (p[0] < 0 || p[1] < 0 || p[0] >= innerWidth || p[1] >= innerHeight) return;
  var under = document.elementsFromPoint(p[0], p[1]).filter(function (u) { return u !== el && !el.contains(u); })[0];
  least = Math.min(least, ratio(colour, background(under || document.body)));
});
if (least === Infinity) least = ratio(colour, background(width + offset <= 0 ? el : el.parentElement));
return {element: describe(el), inMain: !!el.closest('main'), outline: cs.outlineStyle + ' ' + cs.outlineWidth + ' ' + cs.outlineColor, width: width, contrast: least, seen: seen};`

// Focused describes the element that has the focus, or returns nil when no
// element has it.
func (b *Browser) Focused() *FocusStop {
	b.t.Helper()
	var s *struct {
		Element  string  `json:"element"`
		InMain   bool    `json:"inMain"`
		Outline  string  `json:"outline"`
		Width    float64 `json:"width"`
		Contrast float64 `json:"contrast"`
		Seen     bool    `json:"seen"`
	}
	b.Exec(&s, focusJS)
	if s == nil {
		return nil
	}
	return &FocusStop{Element: s.Element, InMain: s.InMain, Outline: s.Outline, OutlineWidth: s.Width, Contrast: s.Contrast, seen: s.Seen}
}

// TabThrough presses Tab until the focus leaves the page or comes back to an
// element it reached before (at most limit times), and returns each element
// reached, in order. Call it on a freshly opened page, where Tab starts from
// the top.
func (b *Browser) TabThrough(limit int) []FocusStop {
	b.t.Helper()
	b.Exec(nil, "window.__tabSeen = new WeakSet();")
	var stops []FocusStop
	for range limit {
		b.Press(Tab)
		f := b.Focused()
		if f == nil || f.seen {
			break
		}
		stops = append(stops, *f)
	}
	return stops
}

// CheckFocusVisible tabs through a freshly opened page and fails the test for every
// element whose focus does not show: an outline at least 2 px wide whose
// colour has a contrast of at least 3:1 with what is around it (WCAG 2.1
// 1.4.11 and 2.4.7).
func (b *Browser) CheckFocusVisible() {
	b.t.Helper()
	stops := b.TabThrough(200)
	if len(stops) == 0 {
		b.t.Errorf("focus on %s: Tab reaches no element", b.Path())
	}
	for _, f := range stops {
		if f.OutlineWidth < 2 || f.Contrast < 3 {
			b.t.Errorf("focus on %s: %s shows no clear focus: outline %s, contrast %.2f:1 (want at least 2px and 3:1)", b.Path(), f.Element, f.Outline, f.Contrast)
		}
	}
}
