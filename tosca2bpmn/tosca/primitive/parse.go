package primitive

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// YAML tags (short forms, as yaml.v3 reports them).
const (
	tagStr       = "!!str"
	tagInt       = "!!int"
	tagFloat     = "!!float"
	tagBool      = "!!bool"
	tagNull      = "!!null"
	tagTimestamp = "!!timestamp"
)

// maxAliasHops bounds how many aliases are followed from one node: yaml.v3 lets an anchor refer to a
// node that contains its own alias, and the reader must not loop on such input.
const maxAliasHops = 16

// Parse reads a value of a primitive TOSCA type from a YAML node. typeName is one of the names Kind
// accepts. The Go value is string, int64, float64, bool, Timestamp, nil (for null), Version, Range or
// ScalarUnit. Errors are *Error with the node's line and column.
func Parse(typeName string, n *yaml.Node) (any, error) {
	if n == nil {
		return nil, &Error{Msg: "no value", Err: ErrInvalidValue}
	}
	kind, ok := Kind(typeName)
	if !ok {
		return nil, errAt(n, ErrUnknownType, "unknown primitive type %q", typeName)
	}
	n, err := deref(n)
	if err != nil {
		return nil, err
	}
	v, perr := parseKind(kind, n)
	if perr != nil {
		return nil, perr
	}
	return v, nil
}

// parseKind reads a value of a canonical type from a node that is not an alias.
func parseKind(kind string, n *yaml.Node) (any, *Error) {
	if kind == TypeRange {
		return parseRange(n)
	}
	if n.Kind != yaml.ScalarNode {
		return nil, errAt(n, ErrInvalidValue, "%s is not %s", describeNode(n), article(kind))
	}
	switch kind {
	case TypeString:
		return parseString(n)
	case TypeInteger:
		return parseInteger(n)
	case TypeFloat:
		return parseFloat(n)
	case TypeBoolean:
		return parseBoolean(n)
	case TypeTimestamp:
		return parseTimestamp(n)
	case TypeNull:
		if n.ShortTag() != tagNull {
			return nil, errAt(n, ErrInvalidValue, "%s is not null", describeNode(n))
		}
		return nil, nil
	case TypeVersion:
		return parseVersion(n)
	default:
		return parseScalarUnit(kind, n)
	}
}

// deref follows aliases to the node they name and unwraps a document node.
func deref(n *yaml.Node) (*yaml.Node, *Error) {
	for hops := 0; n.Kind == yaml.AliasNode || n.Kind == yaml.DocumentNode; hops++ {
		if n.Kind == yaml.DocumentNode {
			if len(n.Content) != 1 {
				return nil, errAt(n, ErrInvalidValue, "empty document")
			}
			n = n.Content[0]
			continue
		}
		if n.Alias == nil || hops == maxAliasHops {
			return nil, errAt(n, ErrInvalidValue, "unresolvable alias *%s", n.Value)
		}
		n = n.Alias
	}
	return n, nil
}

func parseString(n *yaml.Node) (any, *Error) {
	if n.ShortTag() != tagStr {
		return nil, errAt(n, ErrInvalidValue, "%s is not a string (quote it)", describeNode(n))
	}
	return n.Value, nil
}

// describeNode names a node for messages: its text for a scalar, its kind otherwise.
func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case tagStr:
			return "string " + quoteText(n.Value)
		case tagNull:
			return "null"
		case tagInt:
			return "integer " + n.Value
		case tagFloat:
			return "float " + n.Value
		case tagBool:
			return "boolean " + n.Value
		case tagTimestamp:
			return "timestamp " + n.Value
		}
		return "value " + quoteText(n.Value)
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a map"
	case yaml.AliasNode:
		return "alias *" + n.Value
	}
	return "a document"
}

// quoteText quotes a text for a message, shortened so that a huge scalar does not flood the output.
func quoteText(s string) string {
	const limit = 80
	if len(s) > limit {
		cut := limit
		for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
			cut--
		}
		s = s[:cut] + "…"
	}
	return strconv.Quote(s)
}

// article prefixes a type name with "a" or "an" for messages.
func article(kind string) string {
	switch kind[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an " + kind
	}
	return "a " + kind
}
