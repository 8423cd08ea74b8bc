//go:build linux

package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// killableServer is `toscaflow serve` as a child process on a free loopback port.
type killableServer struct {
	t                       *testing.T
	bin, data, simCfg, logs string
	bus                     string // the --bus URL; empty: the in-process bus
	base                    string
	cmd                     *exec.Cmd
	exited                  chan error
	starts                  int
}

func (s *killableServer) start() {
	s.t.Helper()
	require.Nil(s.t, s.cmd, "the previous server still runs")
	addr := freeLoopbackAddr(s.t)
	logf, err := os.Create(s.logFile(s.starts))
	require.NoError(s.t, err)
	s.starts++
	args := []string{"serve", "--data", s.data, "--listen", addr, "--sim-config", s.simCfg,
		"--check-period", "50ms", "--log-level", "debug"}
	if s.bus != "" {
		// With the default ack wait: what a killed server's broker held unacked comes back after it (the
		// republish from the outbox is a duplicate the stream drops).
		args = append(args, "--bus", s.bus)
	}
	cmd := exec.Command(s.bin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	// The kernel kills the child if the test process dies without running its clean-ups.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	require.NoError(s.t, cmd.Start())
	exited := make(chan error, 1)
	go func() {
		exited <- cmd.Wait()
		logf.Close()
	}()
	s.cmd, s.exited, s.base = cmd, exited, "http://"+addr
	s.t.Cleanup(s.kill)
}

func (s *killableServer) logFile(start int) string {
	return filepath.Join(s.logs, fmt.Sprintf("serve-%03d.log", start))
}

// waitReady polls /healthz until the server answers 200; the server dying first fails the test.
func (s *killableServer) waitReady() {
	s.t.Helper()
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for tick := time.NewTicker(10 * time.Millisecond); ; <-tick.C {
		select {
		case err := <-s.exited:
			s.exited <- err
			s.dumpLogs()
			s.t.Fatalf("toscaflow serve exited before it was ready: %v", err)
		default:
		}
		if resp, err := client.Get(s.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				tick.Stop()
				return
			}
		}
		if time.Now().After(deadline) {
			s.dumpLogs()
			s.t.Fatal("toscaflow serve was not ready within 30s")
		}
	}
}

// kill sends SIGKILL (no clean shutdown of any kind) and reaps the process. It does nothing when no
// process runs, so that it doubles as the test's clean-up.
func (s *killableServer) kill() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	err := <-s.exited
	s.cmd = nil
	var exit *exec.ExitError
	if errors.As(err, &exit) && !exit.Exited() {
		return // killed by the signal, as intended
	}
	s.t.Errorf("toscaflow serve ended on its own before the kill: %v", err)
	s.dumpLogs()
}

// dumpLogs logs the tail of the last server's output.
func (s *killableServer) dumpLogs() {
	data, err := os.ReadFile(s.logFile(s.starts - 1))
	if err != nil {
		return
	}
	if len(data) > 8000 {
		data = data[len(data)-8000:]
	}
	s.t.Logf("last server's log (%d starts):\n%s", s.starts, data)
}

// countInLogs counts the lines of every server's log that contain all of words.
func (s *killableServer) countInLogs(words ...string) int {
	n := 0
	for i := range s.starts {
		data, err := os.ReadFile(s.logFile(i))
		if err != nil {
			continue
		}
	lines:
		for line := range strings.Lines(string(data)) {
			for _, w := range words {
				if !strings.Contains(line, w) {
					continue lines
				}
			}
			n++
		}
	}
	return n
}

func buildToscaflow(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("the go tool is not on PATH")
		}
		t.Skip("the go tool is not on PATH")
	}
	bin := filepath.Join(t.TempDir(), "toscaflow")
	// Without the symbol table and DWARF: linking is most of the build, and the tests need neither.
	out, err := exec.Command(goTool, "build", "-ldflags=-s -w", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}
