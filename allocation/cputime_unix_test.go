//go:build unix

package allocation

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time (user and system) the process has used so
// far. A benchmark on a shared machine reports it per operation besides the
// wall time, which other processes inflate.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
