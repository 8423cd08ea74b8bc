//go:build unix && !linux

package k8stest

import "syscall"

// sysProcAttr puts a component in a process group of its own. Without Pdeathsig, a component outlives a test
// binary that is killed (SIGKILL); t.Cleanup stops it in every other case.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
