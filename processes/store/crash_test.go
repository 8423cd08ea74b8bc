package store_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/processes/store"
)

// crashEnv names the database a child process of TestCrash commits to until it is killed.
const crashEnv = "TOSCAFLOW_STORE_CRASH_DB"

// TestCrash kills (SIGKILL) a process in the middle of committing steps, at a random moment, and
// reopens its database: every step is there whole or not at all (the instance's version, its
// journal and its outbox agree), and the next step commits on top.
func TestCrash(t *testing.T) {
	if path := os.Getenv(crashEnv); path != "" {
		crashChild(path)
		return
	}
	for run := range 3 {
		t.Run(fmt.Sprint(run), func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "crash.db")
			child := exec.Command(os.Args[0], "-test.run=^TestCrash$")
			child.Env = append(os.Environ(), crashEnv+"="+path)
			out, err := child.StdoutPipe()
			require.NoError(t, err)
			require.NoError(t, child.Start())
			// Kill after a random number of commits, while the child keeps committing.
			lines, at := bufio.NewScanner(out), 5+rand.IntN(200)
			for n := 0; n < at && lines.Scan(); n++ {
			}
			require.NoError(t, child.Process.Kill())
			_ = child.Wait()

			s, err := store.Open(ctx, path, store.Options{})
			require.NoError(t, err)
			defer s.Close()
			in, err := s.Load(ctx, "c")
			require.NoError(t, err)
			require.GreaterOrEqual(t, in.Version, int64(at), "what the child reported committed is there")
			j, err := s.Journal(ctx, "c")
			require.NoError(t, err)
			assert.Len(t, j, int(in.Version), "one event per committed step")
			assert.Equal(t, in.Version, in.Seq+1)
			rows, err := s.PendingOutbox(ctx, 1_000_000)
			require.NoError(t, err)
			assert.Len(t, rows, int(in.Version)-1, "one command per step after the first")
			require.NoError(t, s.Commit(ctx, withCommand(increment(in), in.Version)))
		})
	}
}

// crashChild commits steps to path forever, printing a line after each commit.
func crashChild(path string) {
	ctx := context.Background()
	s, err := store.Open(ctx, path, store.Options{Clock: enginetest.NewFakeClock(enginetest.Epoch)})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := s.Commit(ctx, create("c")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(1)
	for {
		in, err := s.Load(ctx, "c")
		if err == nil {
			err = s.Commit(ctx, withCommand(increment(in), in.Version))
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(in.Version + 1)
	}
}

// withCommand adds a command to m, numbered n.
func withCommand(m *engine.Mutation, n int64) *engine.Mutation {
	m.Commands = append(m.Commands, engine.Command{ID: fmt.Sprintf("c/%d-1", n), Instance: "c", Type: "compute"})
	return m
}
