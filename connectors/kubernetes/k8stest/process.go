package k8stest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"
)

// process is one component of the cluster: a program running in a process group of its own, its output
// in a log file of the work directory.
type process struct {
	name string
	cmd  *exec.Cmd
	log  string
	// exited is closed once the program has exited; err is then how.
	exited chan struct{}
	err    error
}

// stopGrace is how long a component may take to exit after SIGTERM before its group is killed.
const stopGrace = 10 * time.Second

// startProcess starts bin with args, logging to dir/<name>.log. The program is the leader of a new process
// group (so that stopping it stops anything it started) and is killed when the test binary dies.
func startProcess(dir, name, bin string, args ...string) (*process, error) {
	logPath := filepath.Join(dir, name+".log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = sysProcAttr()
	p := &process{name: name, cmd: cmd, log: logPath, exited: make(chan struct{})}
	if err := spawn(cmd); err != nil {
		_ = logFile.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() {
		p.err = cmd.Wait()
		_ = logFile.Close()
		close(p.exited)
	}()
	return p, nil
}

// spawnRequests carries the starts to the one goroutine that performs them.
var (
	spawnOnce     sync.Once
	spawnRequests chan spawnRequest
)

type spawnRequest struct {
	cmd  *exec.Cmd
	done chan error
}

// spawn starts cmd from one goroutine locked to its OS thread for the life of the test binary. Pdeathsig is
// sent when the thread that started a child exits, not the process: the Go runtime may end an idle thread,
// which would kill a component in the middle of a test. A thread that never ends makes Pdeathsig mean "when
// the test binary dies".
func spawn(cmd *exec.Cmd) error {
	spawnOnce.Do(func() {
		spawnRequests = make(chan spawnRequest)
		go func() {
			runtime.LockOSThread() // never unlocked: the thread lives as long as the process
			for r := range spawnRequests {
				r.done <- r.cmd.Start()
			}
		}()
	})
	done := make(chan error, 1)
	spawnRequests <- spawnRequest{cmd: cmd, done: done}
	return <-done
}

// running tells whether the process has not exited yet.
func (p *process) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// exitError says how a process ended, with the tail of its log.
func (p *process) exitError() error {
	return fmt.Errorf("%s exited (%v)%s", p.name, p.err, p.tail())
}

// stop sends SIGTERM to the process group, then SIGKILL when it has not exited within grace. It returns
// an error only when the group could not be killed; how the program exited is not an error (SIGTERM is).
func (p *process) stop(grace time.Duration) error {
	pgid := p.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case <-p.exited:
	case <-timer.C:
		if err := syscall.Kill(-pgid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
			return fmt.Errorf("stop %s: %w", p.name, err)
		}
		<-p.exited
	}
	// The leader has exited; anything left in its group goes too.
	if err := syscall.Kill(-pgid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("stop %s: %w", p.name, err)
	}
	return nil
}

// logTailLines is how many lines of a component's log an error quotes.
const logTailLines = 15

// tail returns the last lines of the process's log, prefixed for an error message ("" when empty).
func (p *process) tail() string {
	data, err := os.ReadFile(p.log)
	if err != nil || len(data) == 0 {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > logTailLines {
		lines = lines[len(lines)-logTailLines:]
	}
	return fmt.Sprintf("; last lines of %s:\n\t%s", p.log, strings.Join(lines, "\n\t"))
}
