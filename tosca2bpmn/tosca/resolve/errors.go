package resolve

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error returned by this package wraps one of them (test with errors.Is), and names the
// location it concerns.
var (
	// ErrNotFound: the file, archive entry, mirrored file or URL does not exist (HTTP 404 and 410 included).
	ErrNotFound = errors.New("not found")
	// ErrTooLarge: a file is larger than Options.MaxSize, or an archive exceeds its total size or entry bounds.
	ErrTooLarge = errors.New("too large")
	// ErrInvalidCSAR: an archive is not a valid CSAR; the error is a *CSARError that says why.
	ErrInvalidCSAR = errors.New("invalid CSAR")
	// ErrNoMirror: a URL matches no mirror and the resolver has no HTTP client.
	ErrNoMirror = errors.New("no mirror for URL and network access is off")
	// ErrUnsafePath: a reference escapes where it must stay (the archive, the mirror directory), or a remote
	// document tries to read local files.
	ErrUnsafePath = errors.New("unsafe path")
	// ErrFetch: an HTTP fetch failed for another reason than 404 (status, connection, deadline: see the chain).
	ErrFetch = errors.New("fetch failed")
	// ErrBadReference: a reference or mirror specification cannot be parsed.
	ErrBadReference = errors.New("bad reference")
)

// CSARReason classifies why an archive is not a valid CSAR (TOSCA Simple Profile 1.3, 4.2 TOSCA Cloud Service
// Archive), following the checks of the OpenStack tosca-parser so that verdicts agree with it.
type CSARReason int

// The reasons an archive is refused.
const (
	// NotZip: the file is named like an archive (.zip, .csar) but is not a zip file.
	NotZip CSARReason = iota + 1
	// NoMetadata: no TOSCA-Metadata/TOSCA.meta and the single root YAML cannot stand in for it (a
	// tosca_simple_yaml_1_0 template: archives without metadata came with later versions).
	NoMetadata
	// MetadataNotKeyValue: TOSCA.meta is not a "Key: value" document.
	MetadataNotKeyValue
	// MissingMetadataKey: TOSCA.meta lacks a required key of its first block.
	MissingMetadataKey
	// EntryDefinitionsMissing: the Entry-Definitions file is not in the archive.
	EntryDefinitionsMissing
	// RootYAMLCount: no TOSCA.meta and not exactly one YAML file at the archive root.
	RootYAMLCount
	// UnsafeEntry: an entry name is absolute, contains "..", a backslash or a NUL (zip-slip).
	UnsafeEntry
	// TooBig: more entries than allowed, or a total uncompressed size above the bound (zip bomb).
	TooBig
	// Corrupt: an entry cannot be read: bad data, a checksum mismatch, more data than its header declares,
	// or a compression method (or encryption) Go does not read.
	Corrupt
)

var reasonNames = map[CSARReason]string{
	NotZip:                  "not a zip file",
	NoMetadata:              "no TOSCA-Metadata/TOSCA.meta",
	MetadataNotKeyValue:     "TOSCA.meta is not key: value",
	MissingMetadataKey:      "missing TOSCA.meta key",
	EntryDefinitionsMissing: "Entry-Definitions file missing",
	RootYAMLCount:           "not exactly one root YAML",
	UnsafeEntry:             "unsafe entry name",
	TooBig:                  "archive too big",
	Corrupt:                 "corrupt entry",
}

// String names the reason.
func (r CSARReason) String() string {
	if s, ok := reasonNames[r]; ok {
		return s
	}
	return fmt.Sprintf("CSARReason(%d)", int(r))
}

// CSARError says why an archive is not a valid CSAR. It unwraps to ErrInvalidCSAR, and also to ErrTooLarge
// when Reason is TooBig.
type CSARError struct {
	Archive string     // the archive as the user named it
	Reason  CSARReason // the class of the problem
	Detail  string     // the message, in the words of tosca-parser where it has one
}

// Error implements error.
func (e *CSARError) Error() string {
	return fmt.Sprintf("invalid CSAR %q: %s", e.Archive, e.Detail)
}

// Unwrap lets errors.Is find ErrInvalidCSAR (and ErrTooLarge for a zip bomb).
func (e *CSARError) Unwrap() []error {
	if e.Reason == TooBig {
		return []error{ErrInvalidCSAR, ErrTooLarge}
	}
	return []error{ErrInvalidCSAR}
}
