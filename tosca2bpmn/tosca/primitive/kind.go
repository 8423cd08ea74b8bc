package primitive

import "strings"

// Canonical names of the primitive types (TOSCA 1.3, 3.3).
const (
	TypeString       = "string"
	TypeInteger      = "integer"
	TypeFloat        = "float"
	TypeBoolean      = "boolean"
	TypeTimestamp    = "timestamp"
	TypeNull         = "null"
	TypeVersion      = "version"
	TypeRange        = "range"
	TypeSize         = "scalar-unit.size"
	TypeTime         = "scalar-unit.time"
	TypeFrequency    = "scalar-unit.frequency"
	TypeBitrate      = "scalar-unit.bitrate"
	typeList         = "list"
	typeMap          = "map"
	toscaDotPrefix   = "tosca."
	toscaColonPrefix = "tosca:"
)

var canonicalTypes = map[string]bool{
	TypeString: true, TypeInteger: true, TypeFloat: true, TypeBoolean: true, TypeTimestamp: true,
	TypeNull: true, TypeVersion: true, TypeRange: true, TypeSize: true, TypeTime: true,
	TypeFrequency: true, TypeBitrate: true,
}

// Kind maps a primitive type name as written in a template to its canonical name: "tosca.version",
// "tosca:version" and "version" all give "version". ok is false when the name is not a primitive type.
// The "tosca." and "tosca:" forms are the type URI and qualified name the specification gives
// (TOSCA 1.0, 3.2.2 version, 3.2.3 range, 3.2.6 scalar-unit); they are accepted for every primitive.
func Kind(typeName string) (canonical string, ok bool) {
	name := typeName
	if rest, found := strings.CutPrefix(name, toscaDotPrefix); found {
		name = rest
	} else if rest, found := strings.CutPrefix(name, toscaColonPrefix); found {
		name = rest
	}
	if canonicalTypes[name] {
		return name, true
	}
	return "", false
}

// IsPrimitive reports whether typeName names a primitive type (see Kind).
func IsPrimitive(typeName string) bool {
	_, ok := Kind(typeName)
	return ok
}

// isScalarUnit reports whether a canonical type is one of the scalar-unit types.
func isScalarUnit(kind string) bool {
	return kind == TypeSize || kind == TypeTime || kind == TypeFrequency || kind == TypeBitrate
}

// isOrdered reports whether values of a canonical type can be compared with <, > (TOSCA 1.3, 3.6.3:
// "scalar comparable" types).
func isOrdered(kind string) bool {
	switch kind {
	case TypeInteger, TypeFloat, TypeTimestamp, TypeVersion:
		return true
	}
	return isScalarUnit(kind)
}
