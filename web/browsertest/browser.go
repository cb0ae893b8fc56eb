package browsertest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Viewport is a window size the pages are checked at.
type Viewport struct {
	Name          string // used in screenshot file names
	Width, Height int
}

// The viewports of the browser tests: a desktop screen, a common laptop,
// the common 768×1024 tablet held upright (the narrowest tablet width) and
// on its side, and a phone.
var (
	Desktop         = Viewport{Name: "desktop", Width: 1280, Height: 900}
	Laptop          = Viewport{Name: "laptop-1366", Width: 1366, Height: 768}
	Tablet          = Viewport{Name: "tablet", Width: 768, Height: 1024}
	TabletLandscape = Viewport{Name: "tablet-landscape", Width: 1024, Height: 768}
	Phone           = Viewport{Name: "phone-390", Width: 390, Height: 844}
)

// Keys for Browser.Press, as the WebDriver protocol names them.
const (
	Tab   = "\uE004"
	Enter = "\uE007"
	Shift = "\uE008"
)

// Browser is one headless Chromium session of one test, started by New and
// ended when the test ends. Its methods fail the test when the browser does
// not do what was asked (an element is missing, the driver answers with an
// error), so a test reads as a list of steps.
type Browser struct {
	t        testing.TB
	base     string
	driver   *chromedriver
	session  string
	client   *http.Client
	viewport Viewport
}

// elementKey is the key of an element reference in the WebDriver protocol.
const elementKey = "element-6066-11e4-a52e-4f735466cecf"

// New opens a headless Chromium of viewport vp for one test, with relative
// paths resolved against baseURL (an httptest server's URL). The test
// binary's one chromedriver is started by the first New and serves every
// test; each test gets a WebDriver session of its own, a Chromium with an
// empty profile, so cookies and storage are never shared between tests and
// tests may run in parallel. The session ends when the test ends; the
// chromedriver when the binary does (see Main and Stop). Without
// chromedriver and Chromium the test is skipped (failed in CI, see Require).
func New(t testing.TB, baseURL string, vp Viewport) *Browser {
	t.Helper()
	driverPath, browserPath := Require(t)
	d, err := sharedDriver(driverPath)
	if err != nil {
		t.Fatal(err)
	}
	return newSession(t, d, browserPath, baseURL, vp)
}

// newSession opens a Chromium session on chromedriver d, ended when the test
// ends.
func newSession(t testing.TB, d *chromedriver, browserPath, baseURL string, vp Viewport) *Browser {
	t.Helper()
	b := &Browser{t: t, base: strings.TrimSuffix(baseURL, "/"), driver: d, client: &http.Client{Timeout: 60 * time.Second}, viewport: vp}
	caps := map[string]any{
		"browserName": "chrome",
		"goog:chromeOptions": map[string]any{
			"binary": browserPath,
			"args": []string{
				"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				fmt.Sprintf("--window-size=%d,%d", vp.Width, vp.Height), "--force-device-scale-factor=1",
				"--lang=sv-SE", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-default-apps", "--disable-extensions", "--disable-sync",
			},
		},
		// The browser's console, read back with ConsoleErrors.
		"goog:loggingPrefs":       map[string]string{"browser": "ALL"},
		"timeouts":                map[string]int{"pageLoad": 30000, "script": 30000, "implicit": 0},
		"unhandledPromptBehavior": "dismiss",
	}
	var created struct {
		SessionID string `json:"sessionId"`
	}
	if err := b.command("POST", "/session", map[string]any{"capabilities": map[string]any{"alwaysMatch": caps}}, &created); err != nil {
		t.Fatalf("start Chromium: %v\nchromedriver said: %s", err, d.out.String())
	}
	b.session = created.SessionID
	t.Cleanup(b.close)
	b.emulate(vp)
	return b
}

// close ends the session, and with it the session's Chromium.
func (b *Browser) close() {
	if b.session != "" {
		// A session that cannot be ended ends with chromedriver's process
		// group when the tests end (see Main).
		_ = b.command("DELETE", "/session/"+b.session, nil, nil)
	}
}

// Error is an error answer of the WebDriver protocol.
type Error struct {
	Code    string `json:"error"` // e.g. "no such element"
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Code + ": " + firstLine(e.Message) }

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// command sends one WebDriver command and decodes the answer's value into
// out (when not nil).
func (b *Browser) command(method, path string, body, out any) error {
	var r io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, b.driver.url+path, r)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.client.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	var answer struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(data, &answer); err != nil {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	if resp.StatusCode != http.StatusOK {
		var e Error
		if json.Unmarshal(answer.Value, &e) == nil && e.Code != "" {
			return &e
		}
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(answer.Value, out)
}

// do runs a command of this session and fails the test when it fails.
func (b *Browser) do(method, path string, body, out any) {
	b.t.Helper()
	if err := b.command(method, "/session/"+b.session+path, body, out); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

// Open loads a page: a path on the server under test, or a whole URL.
func (b *Browser) Open(path string) {
	b.t.Helper()
	b.do("POST", "/url", map[string]string{"url": b.resolve(path)}, nil)
}

func (b *Browser) resolve(path string) string {
	if strings.Contains(path, "://") {
		return path
	}
	return b.base + path
}

// URL returns the address of the page shown.
func (b *Browser) URL() string {
	b.t.Helper()
	var u string
	b.do("GET", "/url", nil, &u)
	return u
}

// Path returns the path and query of the page shown, without the server's
// address.
func (b *Browser) Path() string {
	b.t.Helper()
	u, err := url.Parse(b.URL())
	if err != nil {
		b.t.Fatal(err)
	}
	return u.RequestURI()
}

// Title returns the page's title.
func (b *Browser) Title() string {
	b.t.Helper()
	var title string
	b.do("GET", "/title", nil, &title)
	return title
}

// Resize changes the window to viewport vp.
func (b *Browser) Resize(vp Viewport) {
	b.t.Helper()
	b.do("POST", "/window/rect", map[string]int{"width": vp.Width, "height": vp.Height}, nil)
	b.emulate(vp)
	b.viewport = vp
}

// emulate makes the page's viewport exactly vp: Chromium keeps a window at
// least 500 px wide, and the window's height includes its own frame, so a
// phone's 390×844 is set as the page's metrics instead (as DevTools'
// device mode does), without the zooming out of a mobile browser so that a
// page too wide for the phone shows as one.
func (b *Browser) emulate(vp Viewport) {
	b.t.Helper()
	b.cdp("Emulation.setDeviceMetricsOverride", map[string]any{"width": vp.Width, "height": vp.Height, "deviceScaleFactor": 1, "mobile": false}, nil)
}

// Viewport returns the viewport the browser was last set to.
func (b *Browser) Viewport() Viewport { return b.viewport }

// Exec runs JavaScript in the page as the body of a function (arguments in
// arguments[0...]; elements are passed and returned as *Element) and decodes
// what it returns into out, when out is not nil.
func (b *Browser) Exec(out any, script string, args ...any) {
	b.t.Helper()
	if err := b.exec("/execute/sync", out, script, args...); err != nil {
		b.t.Fatalf("browser script: %v", err)
	}
}

func (b *Browser) exec(endpoint string, out any, script string, args ...any) error {
	sent := make([]any, len(args))
	for i, a := range args {
		sent[i] = a
		if e, ok := a.(*Element); ok {
			sent[i] = map[string]string{elementKey: e.id}
		}
	}
	var raw json.RawMessage
	if err := b.command("POST", "/session/"+b.session+endpoint, map[string]any{"script": script, "args": sent}, &raw); err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if e, ok := out.(**Element); ok {
		var ref map[string]string
		if err := json.Unmarshal(raw, &ref); err != nil || ref[elementKey] == "" {
			return fmt.Errorf("script returned %s, not an element", raw)
		}
		*e = &Element{b: b, id: ref[elementKey], css: "(from script)"}
		return nil
	}
	return json.Unmarshal(raw, out)
}

// Press presses and releases keys in turn, as a person at the keyboard does,
// on whatever element has the focus. Each argument is one key, or keys held
// down together written one after the other, e.g. Press(Shift+Tab). (Text is
// typed into a field with Fill or Element.Type.)
func (b *Browser) Press(keys ...string) {
	b.t.Helper()
	var actions []map[string]string
	for _, k := range keys {
		var held []string
		for _, r := range k {
			held = append(held, string(r))
		}
		for _, h := range held {
			actions = append(actions, map[string]string{"type": "keyDown", "value": h})
		}
		for i := len(held) - 1; i >= 0; i-- {
			actions = append(actions, map[string]string{"type": "keyUp", "value": held[i]})
		}
	}
	b.do("POST", "/actions", map[string]any{"actions": []any{map[string]any{"type": "key", "id": "keyboard", "actions": actions}}}, nil)
	b.do("DELETE", "/actions", nil, nil)
}

// PressAndWait presses keys as Press does, the last of which submits a form
// or follows a link, and waits until the page it leads to has loaded.
func (b *Browser) PressAndWait(keys ...string) {
	b.t.Helper()
	b.markPage()
	b.Press(keys...)
	b.waitForNewPage()
}

// Active returns the element that has the focus.
func (b *Browser) Active() *Element {
	b.t.Helper()
	var ref map[string]string
	b.do("GET", "/element/active", nil, &ref)
	return &Element{b: b, id: ref[elementKey], css: "(focused element)"}
}

// Screenshot saves the whole page (not only the visible part) as a PNG in
// OutputDir, named after name and the viewport, and returns the file's path.
func (b *Browser) Screenshot(name string) string {
	b.t.Helper()
	var metrics struct {
		CSSContentSize struct{ Width, Height float64 } `json:"cssContentSize"`
	}
	b.cdp("Page.getLayoutMetrics", nil, &metrics)
	w, h := metrics.CSSContentSize.Width, metrics.CSSContentSize.Height
	w, h = max(w, float64(b.viewport.Width)), min(max(h, float64(b.viewport.Height)), 8000) // at least the screen; a runaway page stays a sane picture
	var shot struct{ Data string }
	b.cdp("Page.captureScreenshot", map[string]any{
		"format": "png", "captureBeyondViewport": true,
		"clip": map[string]any{"x": 0, "y": 0, "width": w, "height": h, "scale": 1},
	}, &shot)
	png, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	dir := OutputDir(b.t)
	file := filepath.Join(dir, safeName(b.viewport.Name+"-"+name)+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	return file
}

// cdp sends a command of the Chrome DevTools protocol through chromedriver.
func (b *Browser) cdp(cmd string, params, out any) {
	b.t.Helper()
	if params == nil {
		params = map[string]any{}
	}
	b.do("POST", "/goog/cdp/execute", map[string]any{"cmd": cmd, "params": params}, out)
}

var unsafeChars = regexp.MustCompile(`[^a-zA-Z0-9._-]+`)

func safeName(s string) string { return strings.Trim(unsafeChars.ReplaceAllString(s, "-"), "-") }

// OutputDir returns the folder screenshots are written to,
// testoutput/screenshots at the root of the module, creating it if need be.
func OutputDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("browsertest: no go.mod above the working folder")
		}
		dir = parent
	}
	out := filepath.Join(dir, "testoutput", "screenshots")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	return out
}

// Download is a file fetched by Browser.Download.
type Download struct {
	Status      int
	ContentType string
	// Disposition is the Content-Disposition header, which names the file
	// (attachment; filename="...").
	Disposition string
	Body        []byte
}

const downloadJS = `var done = arguments[arguments.length - 1];
fetch(arguments[0], {credentials: 'same-origin'}).then(function (r) {
  return r.arrayBuffer().then(function (buf) {
    var bytes = new Uint8Array(buf), s = '';
    for (var i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    done({status: r.status, type: r.headers.get('Content-Type') || '', disposition: r.headers.get('Content-Disposition') || '', body: btoa(s)});
  });
}, function (e) { done({error: String(e)}); });`

// Download fetches what the link matching css points to as the page's own
// script would, with the browser's cookies (the logged-in session), and
// returns it: for checking a PDF or a file export a page offers without
// Chromium's download handling.
func (b *Browser) Download(css string) Download {
	b.t.Helper()
	href := b.Find(css).Attr("href")
	if href == "" {
		b.t.Fatalf("browser: %q has no href to download", css)
	}
	var r struct {
		Status      int    `json:"status"`
		Type        string `json:"type"`
		Disposition string `json:"disposition"`
		Body        string `json:"body"`
		Error       string `json:"error"`
	}
	if err := b.exec("/execute/async", &r, downloadJS, href); err != nil {
		b.t.Fatalf("browser: download %s: %v", href, err)
	}
	if r.Error != "" {
		b.t.Fatalf("browser: download %s: %s", href, r.Error)
	}
	body, err := base64.StdEncoding.DecodeString(r.Body)
	if err != nil {
		b.t.Fatalf("browser: download %s: %v", href, err)
	}
	return Download{Status: r.Status, ContentType: r.Type, Disposition: r.Disposition, Body: body}
}
