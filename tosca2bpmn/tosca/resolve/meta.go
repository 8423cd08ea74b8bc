package resolve

import (
	"bytes"
	"fmt"
	"strings"
)

// metaPath is where a CSAR keeps its metadata (TOSCA Simple Profile 1.3, 4.2.1.1 CSAR Meta File).
const metaPath = "TOSCA-Metadata/TOSCA.meta"

// The keys TOSCA 1.3, 4.2.1.1 requires in the first block of TOSCA.meta.
const (
	keyMetaVersion = "TOSCA-Meta-File-Version"
	keyCSARVersion = "CSAR-Version"
	keyCreatedBy   = "Created-By"
	keyEntry       = "Entry-Definitions"
)

var requiredMetaKeys = []string{keyMetaVersion, keyCSARVersion, keyCreatedBy, keyEntry}

// metaBlock is one block of TOSCA.meta: "Key: value" lines up to a blank line. Keys compare without regard to
// case, as archives in the field write "Created-by".
type metaBlock map[string]string

// get returns the value of key, ignoring case.
func (b metaBlock) get(key string) (string, bool) {
	v, ok := b[strings.ToLower(key)]
	return v, ok
}

// parseMeta reads TOSCA.meta: blocks of "Key: value" lines separated by blank lines, in the manner of a JAR
// manifest (a line starting with a space continues the value above). Full-line "#" comments and quoted values
// are accepted because tosca-parser reads the file as YAML. Anything else is an error naming the line, so that a
// file written "Key, value" is refused (tosca-parser: the metadata "does not contain valid YAML content").
func parseMeta(data []byte) ([]metaBlock, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var (
		blocks  []metaBlock
		cur     metaBlock
		lastKey string
	)
	for i, line := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") {
		n := i + 1
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			cur, lastKey = nil, ""
			continue
		case strings.HasPrefix(trimmed, "#"):
			continue
		case line[0] == ' ' || line[0] == '\t':
			if lastKey == "" {
				return nil, fmt.Errorf("line %d: continuation without a key", n)
			}
			cur[lastKey] += trimmed
			continue
		}
		key, value, ok := splitMetaLine(line)
		if !ok {
			return nil, fmt.Errorf("line %d: %q is not \"Key: value\"", n, trimmed)
		}
		if cur == nil {
			cur = metaBlock{}
			blocks = append(blocks, cur)
		}
		lk := strings.ToLower(key)
		if _, dup := cur[lk]; dup {
			return nil, fmt.Errorf("line %d: key %q repeated in its block", n, key)
		}
		cur[lk] = value
		lastKey = lk
	}
	if len(blocks) == 0 {
		return nil, fmt.Errorf("no \"Key: value\" line")
	}
	return blocks, nil
}

// splitMetaLine splits "Key: value". A key is letters, digits, '-', '_' and '.'; the colon is followed by a
// space or ends the line.
func splitMetaLine(line string) (key, value string, ok bool) {
	key, value, ok = strings.Cut(line, ":")
	if !ok || key == "" || (value != "" && value[0] != ' ' && value[0] != '\t') {
		return "", "", false
	}
	for _, c := range key {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return "", "", false
		}
	}
	value = strings.TrimSpace(value)
	if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') && value[len(value)-1] == value[0] {
		value = value[1 : len(value)-1]
	}
	return key, value, true
}
