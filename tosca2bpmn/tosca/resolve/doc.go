// Package resolve finds the bytes of TOSCA documents for the parser: the root document the user names and
// every import, from local files, CSAR archives (TOSCA Simple Profile 1.3, 4.2) and http(s) URLs.
//
// Every document gets a canonical Location, one per file, by which the parser detects import loops and against
// which relative references resolve:
//
//	file:///abs/dir/a.yaml                          a local file (symbolic links resolved)
//	zip:///abs/app.csar!/Definitions/main.yaml      an entry of a CSAR; relative imports stay in the archive
//	https://host/path/x.yaml                        a URL, fetched or mirrored; relative imports stay URLs
//
// A document from a URL may import only URLs, never local files, and a reference inside an archive may not
// leave it ("../" above its root or an absolute path): both are ErrUnsafePath.
//
// # CSAR
//
// An archive is recognised by content (a zip signature) whatever its extension; a file named .zip or .csar
// that is not a zip is an invalid CSAR. The main template is the Entry-Definitions of
// TOSCA-Metadata/TOSCA.meta (a "Key: value" file whose first block must hold TOSCA-Meta-File-Version,
// CSAR-Version, Created-By and Entry-Definitions; keys ignore case; CSAR-Version 2.x needs no
// TOSCA-Meta-File-Version), else the single .yaml/.yml file at the
// archive root, which may not be a tosca_simple_yaml_1_0 template. These rules and the messages follow the
// OpenStack tosca-parser; every refusal is a *CSARError that unwraps to ErrInvalidCSAR. Archives are read in
// place, never extracted; entry names that are absolute, contain "..", a backslash or a NUL, or repeat are
// refused (zip-slip), as are archives with more than Options.MaxEntries entries or more than
// Options.MaxArchiveTotal bytes uncompressed (zip bombs), and any entry above Options.MaxSize.
//
// # Mirrors
//
// Options.Mirrors (the --mirror URL=DIR flag of the command line, see ParseMirror) maps an http(s) URL prefix to
// a local directory. A URL under the prefix is read from the directory, the rest of its path (without query or
// fragment) taken as a relative path there; a prefix naming a whole URL may map to a file. The mirror is
// authoritative: a file missing from it is ErrNotFound, never fetched. Rules:
//
//   - a prefix matches at a path-segment boundary: "https://h/a" covers "https://h/a/x.yaml", not "https://h/ab";
//   - a path segment that is exactly "*" matches any one segment, so that every ref of a repository maps to one
//     directory: "https://raw.githubusercontent.com/indigo-dc/tosca-types/*/=/srv/indigo" serves
//     ".../tosca-types/master/custom_types.yaml" and ".../tosca-types/v4.0.0/custom_types.yaml" from
//     /srv/indigo/custom_types.yaml;
//   - when several prefixes match, the one covering the longest part of the URL wins, then the one with fewer
//     "*";
//   - the rest of the path may not leave the directory (ErrUnsafePath).
//
// # Fetching
//
// A URL no mirror covers is fetched with Options.Client, never when it is nil (ErrNoMirror): each request has
// the deadline Options.FetchTimeout and a body bounded by Options.MaxSize, 404 and 410 are ErrNotFound. Bodies
// are kept in memory for the life of the Resolver and, with Options.CacheDir, in an on-disk cache keyed by the
// SHA-256 of the URL, written atomically and used while younger than Options.CacheMaxAge (0: for ever).
package resolve
