package bpmncheck

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync"
	"syscall"
)

// ErrInstall is wrapped by the error returned when the tool's npm dependencies cannot be installed.
var ErrInstall = errors.New("install bpmn-check")

// toolFiles are the files of ../shared/tools/bpmn-check copied into the cache; render/ is copied
// whole. Their content keys the cache directory, so a changed tool gets a fresh install.
var toolFiles = []string{"package.json", "package-lock.json", "validate.mjs"}

// readyMarker is written last into an installed cache directory.
const readyMarker = ".installed"

var (
	installMu  sync.Mutex
	installDir string
)

// Installed returns the cache directory holding the tool with its node_modules, running
// `npm ci` there first if no earlier run (of any process) did. Concurrent callers, in this
// process or others, wait on a lock file instead of installing twice.
func Installed(ctx context.Context) (string, error) {
	installMu.Lock()
	defer installMu.Unlock()
	if installDir != "" {
		return installDir, nil
	}
	src, err := toolDir()
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrInstall, err)
	}
	files, err := listToolFiles(src)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrInstall, err)
	}
	sum, err := hashFiles(src, files)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrInstall, err)
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrInstall, err)
	}
	dir := filepath.Join(base, "toscaflow", "bpmn-check-"+sum[:16])
	if err := installLocked(ctx, src, files, dir); err != nil {
		return "", fmt.Errorf("%w in %s: %w", ErrInstall, dir, err)
	}
	installDir = dir
	return dir, nil
}

// installLocked installs into dir under an exclusive lock on dir.lock. The install happens in
// a temporary sibling that is renamed into place, so a crash never leaves a half-installed dir.
func installLocked(ctx context.Context, src string, files []string, dir string) error {
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return err
	}
	lock, err := os.OpenFile(dir+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN) //nolint:errcheck // closing releases it anyway
	if _, err := os.Stat(filepath.Join(dir, readyMarker)); err == nil {
		return nil
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+".tmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for _, f := range files {
		if err := copyFile(filepath.Join(src, f), filepath.Join(tmp, f)); err != nil {
			return err
		}
	}
	// --prefer-offline: after the first install, npm's own cache serves the pinned tarballs.
	cmd := exec.CommandContext(ctx, "npm", "ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("npm ci: %w\n%s", err, out)
	}
	if err := os.WriteFile(filepath.Join(tmp, readyMarker), nil, 0o644); err != nil {
		return err
	}
	// A stale directory without its marker is the remains of an interrupted older layout.
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	return os.Rename(tmp, dir)
}

// listToolFiles returns the relative paths of the tool files to copy, in a stable order.
func listToolFiles(src string) ([]string, error) {
	files := append([]string(nil), toolFiles...)
	err := filepath.WalkDir(filepath.Join(src, "render"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, err := filepath.Rel(src, p)
			if err != nil {
				return err
			}
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list tool files: %w", err)
	}
	sort.Strings(files[len(toolFiles):])
	return files, nil
}

// hashFiles returns the hex SHA-256 of the names and contents of files.
func hashFiles(src string, files []string) (string, error) {
	h := sha256.New()
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", f, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func copyFile(from, to string) error {
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	// The shared tree is read-only; the copies must stay writable so the cache can be removed.
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, info.Mode().Perm()|0o200)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
