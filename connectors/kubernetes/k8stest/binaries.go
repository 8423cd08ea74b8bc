package k8stest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Versions of what .ci/k8s-build.sh builds (a test checks that the script says the same).
const (
	// Version is the Kubernetes release of kube-apiserver, kube-controller-manager, kube-scheduler and kubectl,
	// matching the k8s.io/client-go v0.37.2 that go.mod requires.
	Version = "1.37.2"
	// EtcdVersion is the etcd server release.
	EtcdVersion = "3.6.16"
	// KwokVersion is the kwok release that fakes nodes and pods.
	KwokVersion = "0.8.0"
)

// BinDirEnv names the environment variable that overrides BinDir.
const BinDirEnv = "TOSCAFLOW_K8S_BIN"

// BuildScript is the script that builds the binaries, named in the message of a test that skips without them.
const BuildScript = ".ci/k8s-build.sh"

// binaries are the files a complete build holds: the programs and kwok's stage configuration.
var binaries = []string{"etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl", "kwok",
	kwokStages}

// kwokStages is kwok's configuration of how fake nodes and pods move through their states.
const kwokStages = "kwok-stages.yaml"

// ErrNoBinaries is returned (wrapped in a *MissingError) when the binaries are not built.
var ErrNoBinaries = errors.New("kubernetes test binaries not found")

// MissingError lists the files a binary directory lacks.
type MissingError struct {
	Dir     string
	Missing []string
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("%v in %s (missing %s): run %s", ErrNoBinaries, e.Dir, strings.Join(e.Missing, ", "),
		BuildScript)
}

func (e *MissingError) Unwrap() error { return ErrNoBinaries }

// BinDir is where the binaries are: $TOSCAFLOW_K8S_BIN when set, else
// ${XDG_CACHE_HOME:-$HOME/.cache}/toscaflow/k8s/v<Version>, as .ci/k8s-build.sh writes them.
func BinDir() (string, error) {
	if d := os.Getenv(BinDirEnv); d != "" {
		return d, nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("kubernetes test binaries: %w", err)
	}
	return filepath.Join(cache, "toscaflow", "k8s", "v"+Version), nil
}

// CheckBinaries returns nil when dir holds every binary (executable) and kwok's stages, else a *MissingError.
func CheckBinaries(dir string) error {
	var missing []string
	for _, name := range binaries {
		fi, err := os.Stat(filepath.Join(dir, name))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			missing = append(missing, name)
		case err != nil:
			return fmt.Errorf("kubernetes test binaries: %w", err)
		case fi.Size() == 0, name != kwokStages && fi.Mode().Perm()&0o111 == 0:
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return &MissingError{Dir: dir, Missing: missing}
	}
	return nil
}
