package tosca

import "github.com/toscaflow/toscaflow/tosca2bpmn/tosca/primitive"

// Constraint is one constraint clause (TOSCA 1.3, 3.6.3), parsed by the primitive package.
type Constraint = primitive.Constraint

// Value is an assigned or default value, validated against its definition. Data is the evaluated
// value, one of:
//   - a primitive: string, int64, float64, bool, nil, primitive.Timestamp, primitive.Version,
//     primitive.Range, primitive.ScalarUnit;
//   - []any or map[string]any of such values (lists, maps and complex data types);
//   - *Function, where the value is an intrinsic function that could not be evaluated statically
//     (get_attribute, get_operation_output, get_artifact, or anything depending on them).
//
// Lists and maps may hold *Function elements.
type Value struct {
	Type string // the TOSCA type it was validated as; "" when no definition applies
	Data any
	Pos  Pos
}

// IsStatic reports whether the value holds no function anywhere.
func (v *Value) IsStatic() bool {
	return v != nil && isStatic(v.Data)
}

func isStatic(d any) bool {
	switch x := d.(type) {
	case *Function:
		return false
	case []any:
		for _, e := range x {
			if !isStatic(e) {
				return false
			}
		}
	case map[string]any:
		for _, e := range x {
			if !isStatic(e) {
				return false
			}
		}
	}
	return true
}

// Function is an intrinsic function kept as a typed expression (TOSCA 1.3, 4.3–4.8) because its
// result is known only at deployment time, e.g. {get_attribute: [server, private_address]}.
// Entity-relative arguments have been checked: Args[0] of get_attribute is a node template name or
// SELF/SOURCE/TARGET/HOST, and Node (when not nil) is the node it designates statically.
type Function struct {
	Name string // concat, join, token, get_input, get_property, get_attribute, get_operation_output, get_nodes_of_type, get_artifact
	Args []any  // static values or nested *Function
	Pos  Pos

	// Node is the node template the function refers to (get_attribute, get_property,
	// get_operation_output, get_artifact), resolved from SELF/SOURCE/TARGET/HOST or a name when that
	// is possible statically. For HOST it is the host found by following HostedOn.
	Node *NodeTemplate
	// Capability or requirement name when the path goes through one ("" otherwise).
	Via string
}

// Functions lists the intrinsic function names the reader recognizes.
var Functions = []string{"concat", "join", "token", "get_input", "get_property", "get_attribute",
	"get_operation_output", "get_nodes_of_type", "get_artifact"}

func isFunctionName(s string) bool {
	for _, f := range Functions {
		if f == s {
			return true
		}
	}
	return false
}
