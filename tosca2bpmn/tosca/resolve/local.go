package resolve

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// canonicalPath resolves symbolic links so that one file has one Location however it is reached.
func canonicalPath(abs, name string) (string, error) {
	p, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", fileError(name, err)
	}
	return p, nil
}

// readHead returns the first bytes of a regular file.
func readHead(abs, name string) ([]byte, error) {
	f, err := openRegular(abs, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, 4)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return head[:n], nil
}

// readFile reads a regular file no larger than maxSize.
func readFile(abs, name string, maxSize int64) ([]byte, error) {
	f, err := openRegular(abs, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if int64(len(data)) > maxSize {
		return nil, fmt.Errorf("%s: more than %d bytes: %w", name, maxSize, ErrTooLarge)
	}
	return data, nil
}

// openRegular opens a file, refusing directories and devices (reading /dev/zero would never end).
func openRegular(abs, name string) (*os.File, error) {
	f, err := os.Open(abs)
	if err != nil {
		return nil, fileError(name, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fileError(name, err)
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s: not a regular file: %w", name, ErrNotFound)
	}
	return f, nil
}

// isRegular reports whether abs is a regular file (following links).
func isRegular(abs string) bool {
	st, err := os.Stat(abs)
	return err == nil && st.Mode().IsRegular()
}

// FileDocument makes the Document of a local file whose content the caller already holds (a buffer being
// validated, a file piped in): Name is name as given, Location the canonical one Root would give the file, so
// that relative imports resolve beside it and loops through it are seen. The file need not exist.
func FileDocument(name string, data []byte) (Document, error) {
	abs, err := filepath.Abs(name)
	if err != nil {
		return Document{}, fmt.Errorf("%s: %w", name, err)
	}
	if p, err := filepath.EvalSymlinks(abs); err == nil {
		abs = p
	} else if d, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		abs = filepath.Join(d, filepath.Base(abs))
	}
	return Document{Location: loc{kind: kindFile, path: abs}.String(), Name: name, Data: data}, nil
}
