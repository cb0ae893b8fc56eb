//go:build !linux

package browsertest

import "os/exec"

// driverCommand returns the command that runs chromedriver with args.
func driverCommand(path string, args ...string) *exec.Cmd { return exec.Command(path, args...) }

// groupProcesses cannot list a process group's processes outside Linux
// without more tools: it reports none.
func groupProcesses(int) []string { return nil }
