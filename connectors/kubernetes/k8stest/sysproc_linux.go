package k8stest

import "syscall"

// sysProcAttr puts a component in a process group of its own and has the kernel kill it when the thread that
// started it (see spawn) dies, that is when the test binary dies, however it dies.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
