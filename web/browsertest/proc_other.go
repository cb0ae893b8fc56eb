//go:build unix && !linux

package browsertest

import "syscall"

func setParentDeathSignal(*syscall.SysProcAttr) {}
