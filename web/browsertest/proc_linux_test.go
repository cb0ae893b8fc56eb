package browsertest

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hasBrowser reports whether processes holds a Chromium.
func hasBrowser(processes []string) bool {
	for _, p := range processes {
		if strings.Contains(p, "chrom") && !strings.Contains(p, "chromedriver") {
			return true
		}
	}
	return false
}

func TestStopLeavesNoBrowserProcess(t *testing.T) {
	t.Parallel()
	driverPath, browserPath := Require(t)
	d, err := startDriver(driverPath)
	if err != nil {
		t.Fatal(err)
	}
	defer d.stop()
	srv := testServer()
	defer srv.Close()
	b := newSession(t, d, browserPath, srv.URL, Desktop)
	b.Open("/good")
	if running := groupProcesses(d.pgid()); !hasBrowser(running) {
		t.Fatalf("process group %d holds %v, want chromedriver and Chromium", d.pgid(), running)
	}
	d.stop()
	if err := waitGroupGone(d.pgid(), 10*time.Second); err != nil {
		t.Error(err)
	}
}

// killedChild is set in the environment of the test binary run as a child
// by TestKilledTestBinaryLeavesNoBrowser.
const killedChild = "GNS_BROWSERTEST_KILLED_CHILD"

// TestKilledTestBinaryLeavesNoBrowser runs this test binary again as a child
// that opens the shared browser and then dies by SIGKILL, with no chance to
// clean up (as a -timeout panic or an OOM kill would leave it), and checks
// that the browser's process group goes with it.
func TestKilledTestBinaryLeavesNoBrowser(t *testing.T) {
	if os.Getenv(killedChild) != "" {
		srv := testServer()
		b := New(t, srv.URL, Desktop)
		b.Open("/good")
		pgid := shared.d.pgid()
		fmt.Printf("pgid=%d %q\n", pgid, groupProcesses(pgid))
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {}
	}
	t.Parallel()
	Require(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledTestBinaryLeavesNoBrowser$", "-test.count=1")
	cmd.Env = append(os.Environ(), killedChild+"=1")
	out, err := cmd.Output()
	if status, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !status.Signaled() {
		t.Fatalf("the child test binary ended with %v, want killed:\n%s", err, out)
	}
	var pgid int
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "pgid="); ok {
			pgid, _ = strconv.Atoi(strings.Fields(rest)[0])
			if !strings.Contains(rest, "chromium") {
				t.Errorf("before it was killed the child's browser group held %s, want Chromium", rest)
			}
		}
	}
	if pgid == 0 {
		t.Fatalf("the child did not say its browser's process group:\n%s", out)
	}
	if err := waitGroupGone(pgid, 10*time.Second); err != nil {
		t.Error(err)
	}
}
