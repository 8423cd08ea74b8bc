package k8stest

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBinDir(t *testing.T) {
	tests := []struct {
		name     string
		override string
		xdg      string
		want     string
	}{
		{name: "override", override: "/opt/k8s", xdg: "/x", want: "/opt/k8s"},
		{name: "XDG cache", xdg: "/x", want: "/x/toscaflow/k8s/v" + Version},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(BinDirEnv, tc.override)
			t.Setenv("XDG_CACHE_HOME", tc.xdg)
			got, err := BinDir()
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestCheckBinaries(t *testing.T) {
	complete := func(t *testing.T) string {
		dir := t.TempDir()
		for _, name := range binaries {
			require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o755))
		}
		return dir
	}
	tests := []struct {
		name    string
		spoil   func(t *testing.T, dir string)
		missing []string
	}{
		{name: "complete", spoil: func(*testing.T, string) {}},
		{name: "absent", spoil: func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, "kwok")))
			require.NoError(t, os.Remove(filepath.Join(dir, "etcd")))
		}, missing: []string{"etcd", "kwok"}},
		{name: "empty, as a build killed midway leaves it", spoil: func(t *testing.T, dir string) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, "kube-apiserver"), nil, 0o755))
		}, missing: []string{"kube-apiserver"}},
		{name: "not executable", spoil: func(t *testing.T, dir string) {
			require.NoError(t, os.Chmod(filepath.Join(dir, "kube-scheduler"), 0o644))
		}, missing: []string{"kube-scheduler"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := complete(t)
			tc.spoil(t, dir)
			err := CheckBinaries(dir)
			if tc.missing == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrNoBinaries)
			var me *MissingError
			require.True(t, errors.As(err, &me))
			assert.Equal(t, tc.missing, me.Missing)
			assert.Contains(t, err.Error(), BuildScript, "the message says how to get the binaries")
		})
	}
	t.Run("no directory", func(t *testing.T) {
		err := CheckBinaries(filepath.Join(t.TempDir(), "none"))
		var me *MissingError
		require.True(t, errors.As(err, &me))
		assert.Len(t, me.Missing, len(binaries))
	})
}

// TestBuildScriptVersions checks that .ci/k8s-build.sh builds the versions this package expects, in the
// directory BinDir names.
func TestBuildScriptVersions(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot(t), BuildScript))
	require.NoError(t, err)
	script := string(data)
	for name, want := range map[string]string{"K8S_VERSION": Version, "ETCD_VERSION": EtcdVersion,
		"KWOK_VERSION": KwokVersion} {
		m := regexp.MustCompile(`(?m)^` + name + `=(\S+)$`).FindStringSubmatch(script)
		require.NotNil(t, m, "%s sets %s", BuildScript, name)
		assert.Equal(t, want, m[1], name)
	}
	assert.Contains(t, script, BinDirEnv)
	assert.Contains(t, script, `${XDG_CACHE_HOME:-$HOME/.cache}/toscaflow/k8s/v$K8S_VERSION`)
}

// repoRoot walks up from the working directory to the directory holding go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, dir, parent, "go.mod not found above the working directory")
		dir = parent
	}
}
