package connectors_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
)

// readUnits reads descriptors as tosca2bpmn.Descriptor wrote them for an example of docs/examples (the
// plan's start variable units, after a JSON round trip).
func readUnits(t *testing.T, file string) map[string]map[string]any {
	t.Helper()
	raw, err := os.ReadFile(file)
	require.NoError(t, err)
	var ds []map[string]any
	require.NoError(t, json.Unmarshal(raw, &ds))
	out := map[string]map[string]any{}
	for _, d := range ds {
		out[d["id"].(string)] = d
	}
	return out
}

func TestDecodeDeploymentUnit(t *testing.T) {
	ds := readUnits(t, "testdata/wordpress-mysql.units.json")
	u, err := connectors.DecodeUnit(ds["wordpress_runtime"])
	require.NoError(t, err)
	assert.Equal(t, connectors.KindDeploymentUnit, u.Kind)
	assert.Equal(t, "tosca.nodes.Container.Runtime", u.Node.Type)
	assert.Equal(t, []string{"mysql_runtime"}, u.Requires)
	require.Len(t, u.Containers, 1)
	wp := u.Containers[0]
	assert.Equal(t, "wordpress", wp.Name)
	assert.Equal(t, "library/wordpress:6", wp.Image, "no repository URL in the descriptor: the file alone")
	assert.Equal(t, []string{"mysql"}, wp.ConnectsTo)
	require.Len(t, u.Volumes, 1)
	v := u.Volumes[0]
	assert.Equal(t, "wordpress_volume", v.Name)
	assert.Equal(t, "wordpress", v.Container)
	assert.Equal(t, "/var/www/html", v.Location)
	assert.Equal(t, "10 GiB", v.Size)
	assert.Equal(t, int64(10<<30), v.SizeBytes)
	assert.Equal(t, []string{"wordpress_runtime", "wordpress", "wordpress_volume"}, u.Names())
}

func TestDecodePackageAndResource(t *testing.T) {
	ds := readUnits(t, "testdata/webapp-on-compute.units.json")
	server, err := connectors.DecodeUnit(ds["server"])
	require.NoError(t, err)
	assert.Equal(t, connectors.KindCloudResource, server.Kind)
	assert.Equal(t, connectors.ServiceCompute, connectors.ServiceOf("cloud", server))

	shop, err := connectors.DecodeUnit(ds["shop"])
	require.NoError(t, err)
	assert.Equal(t, connectors.KindPackage, shop.Kind)
	assert.Equal(t, "web_server", shop.Host)
	assert.Equal(t, connectors.ServiceSoftware, connectors.ServiceOf("software", shop))
	create := shop.Node.Operations["create"]
	assert.Equal(t, "scripts/deploy_shop.sh", create.Primary)
	assert.Equal(t, map[string]any{"args": []any{"HOST", "public_address"}, "function": "get_attribute", "node": "server"},
		create.Inputs["server_ip"], "functions are left for deployment time")
}

func TestDecodeContainer(t *testing.T) {
	d := map[string]any{
		"id": "rt", "kind": "deployment-unit", "node": map[string]any{"name": "rt"},
		"containers": []any{map[string]any{
			"name": "app",
			"artifacts": map[string]any{"image": map[string]any{"file": "library/nginx:1", "repository": "hub",
				"repository_url": "https://registry.example.org/v2/", "type": "tosca.artifacts.Deployment.Image.Docker"}},
			"properties":   map[string]any{"port": int64(80), "ports": []any{float64(8080)}},
			"capabilities": map[string]any{"admin": map[string]any{"properties": map[string]any{"port": 9000.0, "protocol": "udp"}}},
			"operations": map[string]any{"create": map[string]any{"inputs": map[string]any{
				"MODE": "prod", "WORKERS": 4.0, "DEBUG": false, "HOST": map[string]any{"function": "get_attribute"}}}},
		}},
		"volumes": []any{map[string]any{"node": map[string]any{"name": "v", "properties": map[string]any{"size": "nonsense"}}}},
	}
	_, err := connectors.DecodeUnit(d)
	require.ErrorIs(t, err, connectors.ErrDescriptor, "a size that is not a size")
	delete(d, "volumes")
	u, err := connectors.DecodeUnit(d)
	require.NoError(t, err)
	c := u.Containers[0]
	assert.Equal(t, "registry.example.org/v2/library/nginx:1", c.Image)
	assert.Equal(t, map[string]string{"MODE": "prod", "WORKERS": "4", "DEBUG": "false"}, c.Env)
	assert.Equal(t, []connectors.Port{{Name: "port", Port: 80, Protocol: "tcp"}, {Name: "port-8080", Port: 8080, Protocol: "tcp"},
		{Name: "admin", Port: 9000, Protocol: "udp"}}, c.Ports)

	_, err = connectors.DecodeUnit(map[string]any{"kind": "package"})
	assert.ErrorIs(t, err, connectors.ErrDescriptor)
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		bad  bool
	}{
		{in: "10 GiB", want: 10 << 30},
		{in: "500MB", want: 500e6},
		{in: "1.5 kib", want: 1536},
		{in: "2 TB", want: 2e12},
		{in: "12", bad: true},
		{in: "GiB", bad: true},
		{in: "3 parsecs", bad: true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := connectors.ParseSize(tc.in)
			if tc.bad {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}
