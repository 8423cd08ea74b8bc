package resolve

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"time"
)

// zipMagic are the signatures a zip file starts with: a local file header, or the end of central directory
// of an empty archive.
var zipMagic = [][]byte{[]byte("PK\x03\x04"), []byte("PK\x05\x06")}

// isZip reports whether head (the first bytes of a file) starts like a zip archive.
func isZip(head []byte) bool {
	for _, m := range zipMagic {
		if bytes.HasPrefix(head, m) {
			return true
		}
	}
	return false
}

// maxMemoryArchive is the largest archive read whole into memory (and kept by the Resolver between calls);
// larger ones are read in place from the file, reopened per call.
const maxMemoryArchive = 32 << 20

// archive is an opened zip file whose entry names have been checked and indexed. After openArchive it is
// read-only, so copies may share its maps across goroutines.
type archive struct {
	name   string               // as the user named it, for messages
	closer io.Closer            // the open file when read in place; nil when the archive is in memory
	size   int64                // of the file when opened, to tell a changed file from a cached archive
	mod    time.Time            // modification time of the file when opened
	files  map[string]*zip.File // cleaned entry name → file entry (directories excluded)
	dirs   map[string]bool      // cleaned directory names, explicit or implied by a file below them
}

// openArchive opens the zip at abs (named name in messages) and checks it against the bounds: entry names
// that could escape a directory when extracted (zip-slip), more entries than maxEntries, a declared total
// size above maxTotal (zip bomb). Go's reader also refuses an entry whose data exceeds its declared size.
// An archive of at most inMemory bytes is read whole; a larger one is read in place and must be closed.
func openArchive(abs, name string, maxEntries int, maxTotal, inMemory int64) (*archive, error) {
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
	a := &archive{name: name, size: st.Size(), mod: st.ModTime(), files: map[string]*zip.File{}, dirs: map[string]bool{".": true}}
	var ra io.ReaderAt = f
	if st.Size() <= inMemory {
		// One read instead of a system call per directory record; the Resolver then keeps the archive.
		data, err := io.ReadAll(io.LimitReader(f, inMemory+1))
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("read archive %q: %w", name, err)
		}
		ra = bytes.NewReader(data)
		a.size = int64(len(data))
	} else {
		a.closer = f
	}
	z, err := zip.NewReader(ra, a.size)
	if err != nil {
		a.close()
		if errors.Is(err, zip.ErrFormat) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, &CSARError{Archive: name, Reason: NotZip, Detail: "not a valid zip file"}
		}
		return nil, fmt.Errorf("open archive %q: %w", name, err)
	}
	if err := a.index(z, maxEntries, maxTotal); err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

// index checks every entry and fills files and dirs.
func (a *archive) index(z *zip.Reader, maxEntries int, maxTotal int64) error {
	if len(z.File) > maxEntries {
		return &CSARError{Archive: a.name, Reason: TooBig, Detail: fmt.Sprintf("%d entries, more than the %d allowed", len(z.File), maxEntries)}
	}
	var total uint64
	for _, zf := range z.File {
		clean, err := entryName(zf.Name)
		if err != nil {
			return &CSARError{Archive: a.name, Reason: UnsafeEntry, Detail: err.Error()}
		}
		total += zf.UncompressedSize64
		if total > uint64(maxTotal) {
			return &CSARError{Archive: a.name, Reason: TooBig, Detail: fmt.Sprintf("entries add up to more than %d bytes uncompressed", maxTotal)}
		}
		if strings.HasSuffix(zf.Name, "/") || zf.FileInfo().IsDir() {
			a.dirs[clean] = true
			continue
		}
		if _, dup := a.files[clean]; dup || a.dirs[clean] {
			// Two entries of one name are read differently by different tools: refuse the ambiguity.
			return &CSARError{Archive: a.name, Reason: UnsafeEntry, Detail: fmt.Sprintf("entry %q appears twice", zf.Name)}
		}
		a.files[clean] = zf
		for d := path.Dir(clean); d != "."; d = path.Dir(d) {
			a.dirs[d] = true
		}
	}
	return nil
}

// entryName cleans a zip entry name and refuses names that would escape the extraction directory.
func entryName(name string) (string, error) {
	switch {
	case name == "":
		return "", fmt.Errorf("entry with an empty name")
	case strings.ContainsAny(name, "\\\x00"):
		return "", fmt.Errorf("entry %q: backslash or NUL in name", name)
	case strings.HasPrefix(name, "/") || (len(name) > 1 && name[1] == ':'):
		return "", fmt.Errorf("entry %q: absolute path", name)
	}
	for _, seg := range strings.Split(name, "/") {
		if seg == ".." {
			return "", fmt.Errorf("entry %q: \"..\" in path", name)
		}
	}
	return path.Clean(name), nil
}

// close releases the archive file, if it is read in place.
func (a *archive) close() {
	if a.closer != nil {
		a.closer.Close()
	}
}

// read returns the content of the file entry name, refusing one larger than maxSize.
func (a *archive) read(name string, maxSize int64) ([]byte, error) {
	zf, ok := a.files[name]
	if !ok {
		what := "no such entry"
		if a.dirs[name] {
			what = "a directory, not a file"
		}
		return nil, fmt.Errorf("%s!/%s: %s: %w", a.name, name, what, ErrNotFound)
	}
	if zf.UncompressedSize64 > uint64(maxSize) {
		return nil, fmt.Errorf("%s!/%s: %d bytes, more than %d: %w", a.name, name, zf.UncompressedSize64, maxSize, ErrTooLarge)
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, a.readError(name, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxSize+1))
	if err != nil {
		return nil, a.readError(name, err)
	}
	if int64(len(data)) > maxSize {
		return nil, fmt.Errorf("%s!/%s: more than %d bytes: %w", a.name, name, maxSize, ErrTooLarge)
	}
	return data, nil
}

// readError classifies an error reading entry name: what the zip reader refuses is a corrupt archive.
func (a *archive) readError(name string, err error) error {
	if errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrChecksum) || errors.Is(err, zip.ErrAlgorithm) ||
		errors.Is(err, io.ErrUnexpectedEOF) {
		return &CSARError{Archive: a.name, Reason: Corrupt, Detail: fmt.Sprintf("entry %q: %v", name, err)}
	}
	return fmt.Errorf("%s!/%s: %w", a.name, name, err)
}

// exists reports whether name is a file entry.
func (a *archive) exists(name string) bool {
	_, ok := a.files[name]
	return ok
}

// fileError wraps an error from the file system, classifying "does not exist".
func fileError(name string, err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s: %w", name, ErrNotFound)
	}
	return fmt.Errorf("%s: %w", name, err)
}
