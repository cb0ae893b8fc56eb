package browsertest

import "syscall"

// setParentDeathSignal has Linux end chromedriver when the test binary dies
// (a panic or a timeout), so no driver outlives its tests.
func setParentDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }
