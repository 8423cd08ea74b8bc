package resolve

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"
)

// Defaults of Options.
const (
	DefaultMaxSize         = 10 << 20  // 10 MiB per file
	DefaultMaxArchiveTotal = 512 << 20 // 512 MiB uncompressed in all entries of one archive
	DefaultMaxEntries      = 10000     // entries in one archive
	DefaultFetchTimeout    = 30 * time.Second
)

// Options configures a Resolver. Zero values take the defaults above.
type Options struct {
	// Mirrors maps URL prefixes to local directories (offline mirror); the longest prefix wins. A "*" path
	// segment in a prefix matches any one segment (see the package documentation).
	Mirrors map[string]string
	// CacheDir is where fetched URLs are cached ("" = no disk cache).
	CacheDir string
	// CacheMaxAge is how long a cached body is used before it is fetched again (0 = for ever: offline first).
	CacheMaxAge time.Duration
	// Client fetches URLs no mirror covers. nil = no network: such a URL is an ErrNoMirror.
	Client *http.Client
	// FetchTimeout bounds each HTTP request (default 30 s).
	FetchTimeout time.Duration
	// MaxSize refuses any file, archive entry or fetched body larger than this (default 10 MiB).
	MaxSize int64
	// MaxArchiveTotal refuses an archive whose entries add up to more bytes uncompressed (default 512 MiB).
	MaxArchiveTotal int64
	// MaxEntries refuses an archive with more entries (default 10000).
	MaxEntries int
	// Now is the clock for cache ages (default time.Now).
	Now func() time.Time
}

// withDefaults fills the zero values.
func (o Options) withDefaults() Options {
	if o.MaxSize == 0 {
		o.MaxSize = DefaultMaxSize
	}
	if o.MaxArchiveTotal == 0 {
		o.MaxArchiveTotal = DefaultMaxArchiveTotal
	}
	if o.MaxEntries == 0 {
		o.MaxEntries = DefaultMaxEntries
	}
	if o.FetchTimeout == 0 {
		o.FetchTimeout = DefaultFetchTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Validate reports every problem of the options at once.
func (o Options) Validate() error {
	var errs []error
	if o.MaxSize < 0 || o.MaxArchiveTotal < 0 || o.MaxEntries < 0 || o.FetchTimeout < 0 || o.CacheMaxAge < 0 {
		errs = append(errs, errors.New("resolve options: negative limit"))
	}
	if _, err := compileMirrors(o.Mirrors); err != nil {
		errs = append(errs, err)
	}
	for prefix, dir := range o.Mirrors {
		if _, err := os.Stat(dir); dir != "" && err != nil {
			errs = append(errs, fmt.Errorf("mirror %q: %w", prefix, err))
		}
	}
	return errors.Join(errs...)
}
