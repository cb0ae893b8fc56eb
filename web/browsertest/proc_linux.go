package browsertest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// driverWatch is the small shell chromedriver runs under on Linux. Killing
// chromedriver alone leaves its Chromium running (reparented to init), so
// the parent death signal goes to the shell instead, which then kills the
// whole process group: itself, chromedriver and every Chromium.
const driverWatch = `trap 'kill -KILL 0' TERM HUP INT; "$0" "$@" & wait`

// driverCommand returns the command that runs chromedriver with args.
func driverCommand(path string, args ...string) *exec.Cmd {
	return exec.Command("/bin/sh", append([]string{"-c", driverWatch, path}, args...)...)
}

// setParentDeathSignal has Linux signal the watching shell when the test
// binary dies (a panic, a -timeout, a kill), so no browser outlives its tests.
func setParentDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGTERM }

// groupProcesses returns the live processes (pid and name) of process group
// pgid, read from /proc; zombies waiting to be reaped do not count.
func groupProcesses(pgid int) []string {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var left []string
	for _, f := range stats {
		data, err := os.ReadFile(f)
		if err != nil {
			continue // ended meanwhile
		}
		// pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
		s := string(data)
		end := strings.LastIndexByte(s, ')')
		start := strings.IndexByte(s, '(')
		if end < 0 || start < 0 {
			continue
		}
		fields := strings.Fields(s[end+1:])
		if len(fields) < 3 || fields[0] == "Z" || fields[0] == "X" {
			continue
		}
		if g, err := strconv.Atoi(fields[2]); err != nil || g != pgid {
			continue
		}
		left = append(left, strings.TrimSpace(s[:start])+" "+s[start+1:end])
	}
	return left
}
