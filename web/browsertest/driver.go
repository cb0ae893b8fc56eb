// Package browsertest drives a headless Chromium over the WebDriver protocol
// for GNS's browser tests: open pages, fill in and submit forms, press keys,
// read what the page shows, collect the browser console's errors, take
// screenshots and run the axe-core accessibility checks.
//
// It is a test helper: only _test.go files import it, so neither it nor the
// vendored axe-core ends up in the gns binary. It needs Debian's chromium and
// chromium-driver packages; without them a test is skipped, except under CI
// (the environment variable CI set), where it fails, so the browser tests
// never stop running there unnoticed.
package browsertest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// installHint says how to get what the browser tests need.
const installHint = "apt-get install chromium chromium-driver"

// driverPaths and browserPaths are where chromedriver and Chromium are looked
// for, in order: on PATH first, then where Debian puts them.
var (
	driverPaths  = []string{"chromedriver", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"}
	browserPaths = []string{"chromium", "chromium-browser", "/usr/bin/chromium", "/usr/lib/chromium/chromium"}
)

// Tools returns the paths of chromedriver and Chromium, or an error naming
// the one that is missing.
func Tools() (driver, browser string, err error) {
	driver, derr := lookPath(driverPaths)
	browser, berr := lookPath(browserPaths)
	if err := errors.Join(derr, berr); err != nil {
		return "", "", err
	}
	return driver, browser, nil
}

func lookPath(candidates []string) (string, error) {
	for _, c := range candidates {
		if p, err := exec.LookPath(c); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s not found", candidates[0])
}

// Require returns the paths of chromedriver and Chromium. When either is
// missing it skips the test with a message saying how to install them, or,
// when the environment variable CI is set, fails it.
func Require(t testing.TB) (driver, browser string) {
	t.Helper()
	driver, browser, err := Tools()
	if err == nil {
		return driver, browser
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("browser tests cannot run in CI: %v (%s)", err, installHint)
	}
	t.Skipf("browser test skipped: %v; install them with `%s` to run it (CI always does)", err, installHint)
	return "", ""
}

// chromedriver is one running chromedriver process.
type chromedriver struct {
	url  string
	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan struct{}
}

// startDriver starts chromedriver on a free loopback port and waits until it
// says it is ready. A port taken between choosing and binding it is retried.
func startDriver(path string) (*chromedriver, error) {
	var err error
	for range 3 {
		var d *chromedriver
		if d, err = tryStartDriver(path); err == nil {
			return d, nil
		}
	}
	return nil, err
}

func tryStartDriver(path string) (*chromedriver, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	out := &lockedBuffer{}
	cmd := driverCommand(path, "--port="+strconv.Itoa(port), "--allowed-ips=127.0.0.1")
	cmd.Stdout, cmd.Stderr = out, out
	ownProcessGroup(cmd)
	d := &chromedriver{url: fmt.Sprintf("http://127.0.0.1:%d", port), cmd: cmd, out: out, done: make(chan struct{})}
	// The parent death signal is tied to the thread that starts the process,
	// not to the test binary: start and wait on a thread kept for the purpose,
	// so the signal comes when the binary dies and not when Go retires a thread.
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- fmt.Errorf("start chromedriver: %w", err)
			return
		}
		started <- nil
		_ = cmd.Wait() // how chromedriver ended shows in its output, which the caller reports
		close(d.done)
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-d.done:
			return nil, fmt.Errorf("chromedriver exited at start: %s", out.String())
		default:
		}
		resp, err := http.Get(d.url + "/status")
		if err == nil {
			_ = resp.Body.Close() // the status line is all that is read
			if resp.StatusCode == http.StatusOK {
				return d, nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	d.stop()
	return nil, fmt.Errorf("chromedriver did not answer within 15 s: %s", out.String())
}

// stop ends chromedriver and every process it started (Chromium too, should
// a session still be open).
func (d *chromedriver) stop() {
	killProcessGroup(d.cmd)
	select {
	case <-d.done:
	case <-time.After(5 * time.Second):
	}
}

// pgid returns chromedriver's process group, which holds every Chromium it
// started.
func (d *chromedriver) pgid() int { return d.cmd.Process.Pid }

// shared is the one chromedriver of the test binary: started by the first
// New, used by every browser test (each with a session, so a Chromium, of
// its own) and stopped by Stop.
var shared struct {
	mu sync.Mutex
	d  *chromedriver
}

// sharedDriver returns the test binary's chromedriver, starting it the first
// time (and again should it have died).
func sharedDriver(path string) (*chromedriver, error) {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.d != nil {
		select {
		case <-shared.d.done:
			shared.d = nil
		default:
			return shared.d, nil
		}
	}
	d, err := startDriver(path)
	if err != nil {
		return nil, err
	}
	shared.d = d
	return d, nil
}

// Stop ends the test binary's chromedriver and every Chromium it started,
// by killing their process group. Main calls it after the tests; should the
// test binary die before (a panic, a -timeout), Linux ends the group through
// the parent death signal instead (see ownProcessGroup).
func Stop() error {
	shared.mu.Lock()
	d := shared.d
	shared.d = nil
	shared.mu.Unlock()
	if d == nil {
		return nil
	}
	d.stop()
	return waitGroupGone(d.pgid(), 10*time.Second)
}

// Main runs the tests of a package that uses the browser and then stops the
// browser (see Stop) and exits with the tests' status, failed too when a
// process of the browser is left. Call it from TestMain, after any setup:
//
//	func TestMain(m *testing.M) { browsertest.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	if err := Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// waitGroupGone waits until no live process is left in process group pgid
// (where the system can tell), or fails after timeout.
func waitGroupGone(pgid int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		left := groupProcesses(pgid)
		if len(left) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("browser processes left in process group %d after %s: %v", pgid, timeout, left)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// lockedBuffer collects chromedriver's output for error messages.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
