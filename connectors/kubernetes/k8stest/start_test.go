package k8stest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeBinaries writes a binary directory whose etcd is the shell script etcd and whose other programs exit
// at once: enough to see how a start fails, without Kubernetes.
func fakeBinaries(t *testing.T, etcd string) string {
	t.Helper()
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("k8stest: no /bin/sh for the fake binaries")
	}
	dir := t.TempDir()
	for _, name := range binaries {
		script := "#!/bin/sh\nexit 1\n"
		if name == "etcd" {
			script = "#!/bin/sh\n" + etcd
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755))
	}
	return dir
}

// TestStartFailures checks that a start that fails says which component and why (its log's last lines),
// and leaves nothing running.
func TestStartFailures(t *testing.T) {
	tally := filepath.Join(t.TempDir(), "starts")
	tests := []struct {
		name    string
		etcd    string
		timeout time.Duration
		want    []string
		is      error
		starts  int
	}{
		{name: "component exits", etcd: "echo 'cannot open the data directory' >&2\nexit 3\n",
			timeout: time.Minute, want: []string{"etcd exited", "exit status 3", "cannot open the data directory"}},
		{name: "component never ready", etcd: "echo 'still thinking'\nexec sleep 600\n",
			timeout: time.Second, want: []string{"etcd not ready", "deadline exceeded", "still thinking"},
			is: context.DeadlineExceeded},
		{name: "port taken, every attempt", etcd: "echo x >> " + tally + "\necho 'listen tcp 127.0.0.1:1: bind: address already in use' >&2\nexit 1\n",
			timeout: time.Minute, want: []string{"address already in use"}, is: errPortTaken, starts: startAttempts},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bin := fakeBinaries(t, tc.etcd)
			ctx, cancel := context.WithTimeout(context.Background(), tc.timeout)
			defer cancel()
			dir := filepath.Join(t.TempDir(), "work")
			c, err := StartIn(ctx, bin, dir)
			require.Error(t, err)
			t.Logf("the error: %v", err)
			assert.Nil(t, c)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
			if tc.starts > 0 {
				data, err := os.ReadFile(tally)
				require.NoError(t, err)
				assert.Equal(t, tc.starts, strings.Count(string(data), "x\n"), "starts of etcd")
			}
		})
	}
}

// TestStartStopsWhatItStarted checks that a start that fails stops the components it had started.
func TestStartStopsWhatItStarted(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	bin := fakeBinaries(t, "echo $$ > "+pidFile+"\nexec sleep 600\n")
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	_, err := StartIn(ctx, bin, filepath.Join(t.TempDir(), "work"))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	data, err := os.ReadFile(pidFile)
	require.NoError(t, err)
	var pid int
	_, err = fmt.Sscan(strings.TrimSpace(string(data)), &pid)
	require.NoError(t, err)
	assert.True(t, errors.Is(syscall.Kill(pid, 0), syscall.ESRCH), "etcd (pid %d) is stopped", pid)
}

func TestStartWithoutBinaries(t *testing.T) {
	_, err := StartIn(context.Background(), t.TempDir(), filepath.Join(t.TempDir(), "work"))
	require.ErrorIs(t, err, ErrNoBinaries)
}
