package bpmncheck

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrNotFound is wrapped by the errors of the locating functions when a directory is absent.
var ErrNotFound = errors.New("not found")

// RepoRoot returns the directory holding go.mod, walking up from the working directory.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("repository root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("repository root: go.mod %w above the working directory", ErrNotFound)
		}
		dir = parent
	}
}

// SharedDir returns the project's read-only shared inputs: $TOSCAFLOW_SHARED, else
// <repo root>/../shared.
func SharedDir() (string, error) {
	if d := os.Getenv("TOSCAFLOW_SHARED"); d != "" {
		return d, nil
	}
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	d := filepath.Join(filepath.Dir(root), "shared")
	if _, err := os.Stat(d); err != nil {
		return "", fmt.Errorf("shared directory %s: %w (set TOSCAFLOW_SHARED)", d, ErrNotFound)
	}
	return d, nil
}

// ArtifactDir returns (and creates) the directory for test artifacts such as screenshots:
// $TOSCAFLOW_ARTIFACTS, else <repo root>/testout, which git ignores.
func ArtifactDir() (string, error) {
	d := os.Getenv("TOSCAFLOW_ARTIFACTS")
	if d == "" {
		root, err := RepoRoot()
		if err != nil {
			return "", err
		}
		d = filepath.Join(root, "testout")
	}
	if err := os.MkdirAll(d, 0o755); err != nil {
		return "", fmt.Errorf("artifact directory: %w", err)
	}
	return d, nil
}

// XSDPath returns the path of the BPMN 2.0 schema in the shared directory.
func XSDPath() (string, error) {
	shared, err := SharedDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(shared, "bpmn", "xsd", "BPMN20.xsd"), nil
}

// toolDir returns the bpmn-check tool in the shared directory.
func toolDir() (string, error) {
	shared, err := SharedDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(shared, "tools", "bpmn-check"), nil
}
