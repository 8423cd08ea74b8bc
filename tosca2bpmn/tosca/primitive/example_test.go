package primitive_test

import (
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/primitive"
)

func ExampleParseConstraint() {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte("clause: {in_range: [1, 65535]}\nport: 70000\nmem: 512 mb\n"), &doc); err != nil {
		panic(err)
	}
	m := doc.Content[0].Content
	c, err := primitive.ParseConstraint("integer", m[1])
	if err != nil {
		panic(err)
	}
	port, err := primitive.Parse("integer", m[3])
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Check(port))

	mem, err := primitive.Parse("tosca.scalar-unit.size", m[5])
	if err != nil {
		panic(err)
	}
	fmt.Println(primitive.Format(mem), mem.(primitive.ScalarUnit).Value)

	_, err = primitive.Parse("boolean", m[3])
	fmt.Println(err)
	// Output:
	// value 70000 is not in_range [1, 65535]
	// 512 MB 5.12e+08
	// 2:7: integer 70000 is not a boolean
}
