//go:build unix

package browsertest

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup puts chromedriver in a process group of its own, so that
// stopping it also stops the Chromium it started.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	setParentDeathSignal(cmd.SysProcAttr)
}

func killProcessGroup(cmd *exec.Cmd) {
	if cmd.Process == nil {
		return
	}
	// ESRCH (the group is gone already) is the outcome wanted; the caller
	// checks afterwards that no process of the group is left.
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
