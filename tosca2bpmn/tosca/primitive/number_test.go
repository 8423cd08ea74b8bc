package primitive

import (
	"math"
	"testing"
)

func TestParseString(t *testing.T) {
	runParseCases(t, []parseCase{
		{name: "plain", typ: "string", in: "hello world", want: "hello world"},
		{name: "single quoted", typ: "string", in: "'123'", want: "123"},
		{name: "double quoted", typ: "string", in: `"true"`, want: "true"},
		{name: "empty quoted", typ: "string", in: `""`, want: ""},
		{name: "yes is a string in YAML 1.2", typ: "string", in: "yes", want: "yes"},
		{name: "literal block", typ: "string", in: "|\n  line1\n  line2", want: "line1\nline2\n"},
		{name: "tosca prefix", typ: "tosca.string", in: "x", want: "x"},
		{name: "integer is not a string", typ: "string", in: "123456789", err: "integer 123456789 is not a string (quote it)"},
		{name: "float is not a string", typ: "string", in: "1.0", err: "float 1.0 is not a string"},
		{name: "boolean is not a string", typ: "string", in: "true", err: "boolean true is not a string"},
		{name: "null is not a string", typ: "string", in: "~", err: "null is not a string"},
		{name: "list is not a string", typ: "string", in: "[a]", err: "a list is not a string"},
		{name: "map is not a string", typ: "string", in: "{a: b}", err: "a map is not a string"},
		{name: "date is not a string", typ: "string", in: "2001-12-14", err: "timestamp 2001-12-14 is not a string"},
	})
}

func TestParseInteger(t *testing.T) {
	runParseCases(t, []parseCase{
		{name: "decimal", typ: "integer", in: "42", want: int64(42)},
		{name: "zero", typ: "integer", in: "0", want: int64(0)},
		{name: "negative", typ: "integer", in: "-17", want: int64(-17)},
		{name: "plus sign", typ: "integer", in: "+17", want: int64(17)},
		{name: "octal 1.2", typ: "integer", in: "0o17", want: int64(15)},
		{name: "hex", typ: "integer", in: "0x1F", want: int64(31)},
		{name: "hex lower", typ: "integer", in: "0xff", want: int64(255)},
		{name: "negative hex", typ: "integer", in: "-0x10", want: int64(-16)},
		{name: "binary 1.1", typ: "integer", in: "0b101", want: int64(5)},
		{name: "underscores", typ: "integer", in: "1_000_000", want: int64(1000000)},
		{name: "max int64", typ: "integer", in: "9223372036854775807", want: int64(math.MaxInt64)},
		{name: "min int64", typ: "integer", in: "-9223372036854775808", want: int64(math.MinInt64)},
		{name: "quoted like tosca-parser", typ: "integer", in: "'-1'", want: int64(-1)},
		{name: "double quoted", typ: "integer", in: `"8080"`, want: int64(8080)},
		{name: "tosca colon prefix", typ: "tosca:integer", in: "3", want: int64(3)},
		{name: "leading zero is ambiguous", typ: "integer", in: "010", err: "integer 010 is ambiguous: a leading zero is octal in YAML 1.1 and decimal in YAML 1.2; write 0o10 for octal"},
		{name: "quoted leading zero", typ: "integer", in: "'0777'", err: "leading zero"},
		{name: "overflow", typ: "integer", in: "9223372036854775808", err: "integer 9223372036854775808 is out of the 64-bit integer range"},
		{name: "hex overflow", typ: "integer", in: "0x1FFFFFFFFFFFFFFFF", err: `string "0x1FFFFFFFFFFFFFFFF" is out of the 64-bit integer range`},
		{name: "word", typ: "integer", in: "two", err: `string "two" is not an integer`},
		{name: "quoted word", typ: "integer", in: "'two'", err: `string "two" is not an integer`},
		{name: "quoted double sign", typ: "integer", in: "'--1'", err: `string "--1" is not an integer`},
		{name: "quoted empty", typ: "integer", in: "''", err: `string "" is not an integer`},
		{name: "float", typ: "integer", in: "1.5", err: "float 1.5 is not an integer"},
		{name: "float with zero fraction", typ: "integer", in: "1.0", err: "float 1.0 is not an integer"},
		{name: "boolean", typ: "integer", in: "true", err: "boolean true is not an integer"},
		{name: "null", typ: "integer", in: "null", err: "null is not an integer"},
		{name: "list", typ: "integer", in: "[1]", err: "a list is not an integer"},
		{name: "block scalar", typ: "integer", in: "|\n  12", err: "is not an integer"},
	})
}

func TestParseFloat(t *testing.T) {
	runParseCases(t, []parseCase{
		{name: "decimal", typ: "float", in: "12.3", want: 12.3},
		{name: "negative", typ: "float", in: "-0.1", want: -0.1},
		{name: "exponent", typ: "float", in: "1.5e3", want: 1500.0},
		{name: "negative exponent", typ: "float", in: "15E-1", want: 1.5},
		{name: "leading dot", typ: "float", in: ".5", want: 0.5},
		{name: "trailing dot", typ: "float", in: "5.", want: 5.0},
		{name: "integer is a float", typ: "float", in: "7", want: 7.0},
		{name: "hex integer", typ: "float", in: "0x10", want: 16.0},
		{name: "infinity", typ: "float", in: ".inf", want: math.Inf(1)},
		{name: "negative infinity", typ: "float", in: "-.Inf", want: math.Inf(-1)},
		{name: "quoted", typ: "float", in: "'2.5'", want: 2.5},
		{name: "underscores", typ: "float", in: "1_000.5", want: 1000.5},
		{name: "nan refused", typ: "float", in: ".nan", err: "float .nan is not accepted as a float: NaN is not comparable"},
		{name: "overflow", typ: "float", in: "1e400", err: `string "1e400" is out of the 64-bit float range`},
		{name: "word", typ: "float", in: "fast", err: `string "fast" is not a float`},
		{name: "quoted word", typ: "float", in: "'1.2.3'", err: `string "1.2.3" is not a float`},
		{name: "boolean", typ: "float", in: "false", err: "boolean false is not a float"},
		{name: "null", typ: "float", in: "~", err: "null is not a float"},
		{name: "map", typ: "float", in: "{a: 1}", err: "a map is not a float"},
	})
}

func TestParseBoolean(t *testing.T) {
	runParseCases(t, []parseCase{
		{name: "true", typ: "boolean", in: "true", want: true},
		{name: "True", typ: "boolean", in: "True", want: true},
		{name: "TRUE", typ: "boolean", in: "TRUE", want: true},
		{name: "false", typ: "boolean", in: "false", want: false},
		{name: "False as in the INDIGO examples", typ: "boolean", in: "False", want: false},
		{name: "yaml 1.1 yes", typ: "boolean", in: "yes", want: true},
		{name: "yaml 1.1 No", typ: "boolean", in: "No", want: false},
		{name: "yaml 1.1 on", typ: "boolean", in: "on", want: true},
		{name: "yaml 1.1 OFF", typ: "boolean", in: "OFF", want: false},
		{name: "quoted true like tosca-parser", typ: "boolean", in: `"true"`, want: true},
		{name: "quoted mixed case", typ: "boolean", in: "'FaLsE'", want: false},
		{name: "explicit tag", typ: "boolean", in: "!!bool yes", want: true},
		{name: "quoted yes is a string", typ: "boolean", in: "'yes'", err: `string "yes" is not a boolean`},
		{name: "y is not a boolean", typ: "boolean", in: "y", err: `string "y" is not a boolean`},
		{name: "explicit string tag", typ: "boolean", in: "!!str true", err: `string "true" is not a boolean`},
		{name: "integer", typ: "boolean", in: "1", err: "integer 1 is not a boolean"},
		{name: "null", typ: "boolean", in: "null", err: "null is not a boolean"},
		{name: "list", typ: "boolean", in: "[true]", err: "a list is not a boolean"},
	})
}

func TestParseNull(t *testing.T) {
	runParseCases(t, []parseCase{
		{name: "null", typ: "null", in: "null", want: nil},
		{name: "tilde", typ: "null", in: "~", want: nil},
		{name: "empty", typ: "null", in: "", want: nil},
		{name: "quoted null is a string", typ: "null", in: "'null'", err: `string "null" is not null`},
		{name: "zero", typ: "null", in: "0", err: "integer 0 is not null"},
		{name: "list", typ: "null", in: "[]", err: "a list is not a null"},
	})
}

func TestParseUnknownType(t *testing.T) {
	for _, typ := range []string{"list", "map", "tosca.datatypes.Root", "", "tosca.", "Integer", "tosca.tosca.integer"} {
		t.Run(typ, func(t *testing.T) {
			_, err := Parse(typ, valueNode(t, "1"))
			requireError(t, err, ErrUnknownType, valueLine, valueColumn, "unknown primitive type")
		})
	}
}
