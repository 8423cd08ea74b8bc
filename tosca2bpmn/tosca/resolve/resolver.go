package resolve

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Document is one TOSCA file to parse.
type Document struct {
	// Location is canonical and unique per file: "file:///abs/a.yaml", "https://host/x.yaml",
	// "zip:///abs/app.csar!/Definitions/main.yaml". The parser uses it for loop detection; Import resolves
	// relative references against it.
	Location string
	// Name is what to print in problems: the path as the user gave it, the URL, or "app.csar!/Definitions/main.yaml".
	Name string
	// Data is the content.
	Data []byte
}

// Resolver finds the bytes of TOSCA documents. It is safe for concurrent use. It keeps what it fetched (and
// small archives) in memory for its life, so that one parse reads each thing once: make one per parse or
// batch, not one per process.
type Resolver struct {
	opts    Options
	mirrors mirrorSet
	client  *http.Client

	mu           sync.Mutex
	fetched      map[string][]byte   // URL → body, fetched or read from the cache during this Resolver's life
	probed       map[string]bool     // URL → whether it answered a probe (Exists)
	archives     map[string]*archive // absolute path → archive kept in memory (see archive)
	archiveBytes int64               // the size of the archives kept
}

// New checks the options and returns a Resolver.
func New(opts Options) (*Resolver, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	ms, err := compileMirrors(opts.Mirrors)
	if err != nil {
		return nil, err
	}
	return &Resolver{opts: opts, mirrors: ms, client: opts.Client, fetched: map[string][]byte{},
		probed: map[string]bool{}, archives: map[string]*archive{}}, nil
}

// Root opens what the user named: a YAML file, or a CSAR (zip, detected by content, any extension), in which
// case the document is its entry definitions (TOSCA-Metadata/TOSCA.meta Entry-Definitions, else the single YAML
// at the archive root). name may also be a file:// or http(s) URL of a YAML document.
func (r *Resolver) Root(ctx context.Context, name string) (Document, error) {
	if err := ctx.Err(); err != nil {
		return Document{}, err
	}
	switch refScheme(name) {
	case "http", "https", "file":
		l, err := resolveRef(loc{kind: kindFile, path: "/"}, "", name)
		if err != nil {
			return Document{}, err
		}
		if l.kind == kindURL {
			return r.load(ctx, l, name)
		}
		return r.rootFile(l.path, name)
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return Document{}, fmt.Errorf("%s: %w", name, err)
	}
	return r.rootFile(abs, name)
}

// rootFile opens a local file as a YAML document or, when it is an archive, as a CSAR.
func (r *Resolver) rootFile(abs, name string) (Document, error) {
	abs, err := canonicalPath(abs, name)
	if err != nil {
		return Document{}, err
	}
	head, err := readHead(abs, name)
	if err != nil {
		return Document{}, err
	}
	ext := strings.ToLower(filepath.Ext(abs))
	if !isZip(head) && ext != ".zip" && ext != ".csar" {
		data, err := readFile(abs, name, r.opts.MaxSize)
		if err != nil {
			return Document{}, err
		}
		return Document{Location: loc{kind: kindFile, path: abs}.String(), Name: name, Data: data}, nil
	}
	a, err := r.archive(abs, name)
	if err != nil {
		return Document{}, err
	}
	defer a.close()
	entry, err := entryDefinitions(a, r.opts.MaxSize)
	if err != nil {
		return Document{}, err
	}
	data, err := a.read(entry, r.opts.MaxSize)
	if err != nil {
		return Document{}, err
	}
	l := loc{kind: kindZip, path: abs, entry: entry}
	return Document{Location: l.String(), Name: name + "!/" + entry, Data: data}, nil
}

// Import resolves ref as written in an imports entry (relative path, absolute path, or URL) against the
// document that contains it. repositoryURL is non-empty when the import names a repository: ref is then
// relative to it. A relative ref inside a CSAR stays inside that CSAR; inside a fetched or mirrored document it
// resolves against the document's URL (and thus through the mirror).
func (r *Resolver) Import(ctx context.Context, from Document, repositoryURL, ref string) (Document, error) {
	if err := ctx.Err(); err != nil {
		return Document{}, err
	}
	fl, err := parseLocation(from.Location)
	if err != nil {
		return Document{}, err
	}
	to, err := resolveRef(fl, repositoryURL, ref)
	if err != nil {
		return Document{}, fmt.Errorf("import %q: %w", ref, err)
	}
	return r.load(ctx, to, importName(from, fl, to, repositoryURL, ref))
}

// Exists reports whether a relative artifact file exists beside the document (inside its CSAR when it is in
// one). A URL exists when its mirror file does, or, with a client, when it answers HEAD with 2xx.
func (r *Resolver) Exists(ctx context.Context, from Document, ref string) bool {
	fl, err := parseLocation(from.Location)
	if err != nil {
		return false
	}
	to, err := resolveRef(fl, "", ref)
	if err != nil {
		return false
	}
	switch to.kind {
	case kindZip:
		a, err := r.archive(to.path, to.path)
		if err != nil {
			return false
		}
		defer a.close()
		return a.exists(to.entry)
	case kindURL:
		file, mirrored, err := r.mirrors.lookup(to.url)
		switch {
		case err != nil:
			return false
		case mirrored:
			return isRegular(file)
		}
		u := to.url.String()
		r.mu.Lock()
		_, ok := r.fetched[u]
		r.mu.Unlock()
		if _, cached := r.cached(u); ok || cached {
			return true
		}
		return r.client != nil && r.probe(ctx, u)
	default:
		return isRegular(to.path)
	}
}

// load reads the document at l, named name in messages.
func (r *Resolver) load(ctx context.Context, l loc, name string) (Document, error) {
	var (
		data []byte
		err  error
	)
	switch l.kind {
	case kindFile:
		// A local file may itself be a CSAR; its Location is then the archive entry's.
		return r.rootFile(l.path, name)
	case kindZip:
		var a *archive
		if a, err = r.archive(l.path, archiveName(name, l.path)); err == nil {
			data, err = a.read(l.entry, r.opts.MaxSize)
			a.close()
		}
	case kindURL:
		data, err = r.loadURL(ctx, l)
	}
	if err != nil {
		return Document{}, err
	}
	return Document{Location: l.String(), Name: name, Data: data}, nil
}

// loadURL reads a URL from its mirror when one covers it (the mirror is authoritative: a file missing there is
// ErrNotFound, never fetched), else through fetch.
func (r *Resolver) loadURL(ctx context.Context, l loc) ([]byte, error) {
	file, mirrored, err := r.mirrors.lookup(l.url)
	if err != nil {
		return nil, err
	}
	if mirrored {
		data, err := readFile(file, file, r.opts.MaxSize)
		if err != nil {
			return nil, fmt.Errorf("%s (mirrored): %w", l.url, err)
		}
		return data, nil
	}
	return r.fetch(ctx, l.url.String())
}

// importName is the Name of an imported document: the URL, the archive as the user named it plus the entry,
// or for a local file the path beside the importing document's Name.
func importName(from Document, fl, to loc, repositoryURL, ref string) string {
	switch to.kind {
	case kindURL:
		return to.url.String()
	case kindZip:
		return archiveName(from.Name, to.path) + "!/" + to.entry
	}
	if fl.kind == kindFile && repositoryURL == "" && refScheme(ref) == "" && !filepath.IsAbs(ref) && from.Name != "" {
		return filepath.Join(filepath.Dir(from.Name), filepath.FromSlash(ref))
	}
	return to.path
}

// archiveName is the archive part of a Name "app.csar!/entry", or fallback when name has none.
func archiveName(name, fallback string) string {
	if i := strings.Index(name, "!/"); i >= 0 {
		return name[:i]
	}
	return fallback
}

// maxKeptArchives bounds the bytes of archives one Resolver keeps in memory.
const maxKeptArchives = 128 << 20

// archive opens the archive at abs, named name in messages. An archive small enough to be read into memory is
// kept and reused while the file keeps its size and modification time, so that a CSAR is read and checked
// once per parse, not once per import. The caller closes what it gets (a no-op for a kept archive).
func (r *Resolver) archive(abs, name string) (*archive, error) {
	st, err := os.Stat(abs)
	if err != nil {
		return nil, fileError(name, err)
	}
	r.mu.Lock()
	kept, ok := r.archives[abs]
	r.mu.Unlock()
	if ok && kept.size == st.Size() && kept.mod.Equal(st.ModTime()) {
		a := *kept
		a.name = name
		return &a, nil
	}
	a, err := openArchive(abs, name, r.opts.MaxEntries, r.opts.MaxArchiveTotal, maxMemoryArchive)
	if err != nil {
		return nil, err
	}
	if a.closer == nil {
		r.mu.Lock()
		if old, ok := r.archives[abs]; ok {
			r.archiveBytes -= old.size
		}
		if r.archiveBytes+a.size <= maxKeptArchives {
			r.archives[abs] = a
			r.archiveBytes += a.size
		}
		r.mu.Unlock()
	}
	return a, nil
}
