package primitive

import "testing"

func TestParseVersion(t *testing.T) {
	runParseCases(t, []parseCase{
		{name: "major minor as float", typ: "version", in: "1.0", want: Version{Major: 1, Minor: 0, Text: "1.0"}},
		{name: "minor 10 kept from text", typ: "version", in: "1.10", want: Version{Major: 1, Minor: 10, Text: "1.10"}},
		{name: "fix", typ: "version", in: "2.3.4", want: Version{Major: 2, Minor: 3, Fix: 4, Text: "2.3.4"}},
		{name: "qualifier", typ: "version", in: "1.2.3.beta", want: Version{1, 2, 3, "beta", 0, "1.2.3.beta"}},
		{name: "full", typ: "version", in: "1.2.3.beta-4", want: Version{1, 2, 3, "beta", 4, "1.2.3.beta-4"}},
		{name: "quoted", typ: "version", in: "'18.0.3'", want: Version{18, 0, 3, "", 0, "18.0.3"}},
		{name: "major alone like tosca-parser", typ: "version", in: "2", want: Version{Major: 2, Text: "2"}},
		{name: "tosca prefix", typ: "tosca.version", in: "1.0", want: Version{Major: 1, Text: "1.0"}},
		{name: "tosca colon prefix", typ: "tosca:version", in: "1.1", want: Version{Major: 1, Minor: 1, Text: "1.1"}},
		{name: "qualifier without fix", typ: "version", in: "1.2.beta", err: "expected <major>.<minor>[.<fix>[.<qualifier>[-<build>]]]"},
		{name: "build without qualifier", typ: "version", in: "1.2.3-4", err: "is not a version"},
		{name: "letters", typ: "version", in: "one.two", err: `string "one.two" is not a version`},
		{name: "trailing dot", typ: "version", in: "'1.2.'", err: "is not a version"},
		{name: "negative", typ: "version", in: "-1.0", err: "is not a version"},
		{name: "five parts", typ: "version", in: "1.2.3.4.5", err: "is not a version"},
		{name: "qualifier with dash only", typ: "version", in: "1.2.3.beta-", err: "is not a version"},
		{name: "too large", typ: "version", in: "'99999999999.0'", err: "a component is too large"},
		{name: "boolean", typ: "version", in: "true", err: "boolean true is not a version"},
		{name: "null", typ: "version", in: "~", err: "null is not a version"},
		{name: "list", typ: "version", in: "[1, 0]", err: "a list is not a version"},
	})
}
