package tosca2bpmn_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/enginetest"
	"github.com/toscaflow/toscaflow/tosca2bpmn"
)

// outcome is what the scripted cloud answers to one command.
type outcome struct {
	errorCode string // a BPMN error
	notReady  bool   // status tasks: not ready yet
}

// script decides the outcome of the n-th call (1-based) of operation for unit.
type script func(unit, operation string, n int) outcome

// cloud is a scripted dispatcher: it answers the plan's commands like the broker would, and logs
// "operation unit" for every command, in order.
type cloud struct {
	t       *testing.T
	h       *enginetest.Harness
	script  script
	calls   map[string]int
	log     []string
	process string
}

func runPlan(t *testing.T, defs *bpmn.Definitions, s script) (*cloud, string) {
	t.Helper()
	data, err := bpmnxml.Marshal(defs) // through XML, as plans are stored
	require.NoError(t, err)
	h := enginetest.New(t, string(data))
	vars, err := tosca2bpmn.StartVariables(defs, "dep-1")
	require.NoError(t, err)
	c := &cloud{t: t, h: h, script: s, calls: map[string]int{}, process: defs.Processes()[0].ID}
	id := h.Start(c.process, vars)
	c.drain()
	return c, id
}

// drain answers commands until none is left.
func (c *cloud) drain() {
	c.t.Helper()
	for range 1000 {
		cmds := c.h.Rec.Take()
		if len(cmds) == 0 {
			return
		}
		for _, cmd := range cmds {
			c.answer(cmd)
		}
	}
	c.t.Fatal("the plan keeps sending commands")
}

// advance moves the fake clock, fires the timers and answers what follows.
func (c *cloud) advance(d time.Duration) {
	c.h.Advance(d)
	c.drain()
}

func (c *cloud) answer(cmd engine.Command) {
	c.t.Helper()
	ctx := c.h.Ctx
	unit, _ := cmd.Variables["unit"].(map[string]any)
	id, _ := unit["id"].(string)
	op := cmd.Headers["operation"]
	require.NotContains(c.t, cmd.Variables, "units", "a job carries its unit, not every unit")
	if cmd.Kind == engine.CommandSend {
		recipient, _ := cmd.Variables["recipient"].(string)
		c.log = append(c.log, fmt.Sprintf("notify %s>%s", id, recipient))
		key := fmt.Sprint(cmd.Variables["deployment"]) + "/" + id + "/" + recipient
		_, err := c.h.Engine.CorrelateMessage(ctx, engine.Message{Name: cmd.Headers["message"], CorrelationKey: key, TTL: time.Hour})
		require.NoError(c.t, err)
		require.NoError(c.t, c.h.Engine.CompleteTask(ctx, cmd.ID, nil))
		return
	}
	require.Equal(c.t, engine.CommandService, cmd.Kind)
	require.NotEmpty(c.t, op, "operation of %s", cmd.Element)
	require.Equal(c.t, services[op], cmd.Type, "the broker routes %s of %s to the wrong service", op, cmd.Element)
	require.NotNil(c.t, unit, "the node data travels with %s", cmd.Element)
	c.log = append(c.log, op+" "+id)
	c.calls[op+" "+id]++
	o := c.script(id, op, c.calls[op+" "+id])
	var err error
	switch {
	case o.errorCode != "":
		err = c.h.Engine.FailTask(ctx, cmd.ID, engine.Failure{ErrorCode: o.errorCode, Message: op + " failed"})
	default:
		var out map[string]any
		if cmd.Headers["operation"] == "get-deployment-unit-status" || cmd.Headers["operation"] == "get-resource-status" {
			out = map[string]any{"ready": !o.notReady}
		}
		err = c.h.Engine.CompleteTask(ctx, cmd.ID, out)
	}
	// A reply to a job that was cancelled meanwhile (a timer interrupted it) finds nothing, as with the broker.
	if !errors.Is(err, engine.ErrNotFound) {
		require.NoError(c.t, err)
	}
}

// services are the service types of the operations (tf:service), as the broker sees them in Command.Type.
var services = map[string]string{
	"create-deployment-unit": "container-cluster", "get-deployment-unit-status": "container-cluster",
	"configure-deployment-unit": "container-cluster", "dispose-deployment-unit": "container-cluster",
	"update-deployment-unit": "container-cluster",
	"create-resource":        "cloud", "get-resource-status": "cloud", "configure-resource": "cloud",
	"delete-resource": "cloud", "update-resource": "cloud",
	"create": "software", "configure": "software", "start": "software", "stop": "software", "delete": "software",
}

// ops returns the logged entries for unit (or every entry when unit is empty) that start with one of ops.
func (c *cloud) ops(unit string, ops ...string) []string {
	var out []string
	for _, l := range c.log {
		for _, op := range ops {
			if len(l) > len(op) && l[:len(op)+1] == op+" " && (unit == "" || l == op+" "+unit) {
				out = append(out, l)
			}
		}
	}
	return out
}

func index(log []string, entry string) int { return slices.Index(log, entry) }

func wordpressPlan(t *testing.T, retries int) *bpmn.Definitions {
	t.Helper()
	defs, err := tosca2bpmn.Translate(parseFile(t, example(t, "wordpress-mysql.yaml")),
		tosca2bpmn.Options{CheckPeriod: 10 * time.Second, Timeout: 5 * time.Minute, Retries: retries})
	require.NoError(t, err)
	return defs
}

func succeed(string, string, int) outcome { return outcome{} }

func TestRunDeployCompletes(t *testing.T) {
	c, id := runPlan(t, wordpressPlan(t, 2), succeed)
	assert.Equal(t, engine.StatusCompleted, c.h.Status(id), c.h.String(id))
	want := []string{
		"create-deployment-unit mysql_runtime", "get-deployment-unit-status mysql_runtime",
		"configure-deployment-unit mysql_runtime", "notify mysql_runtime>wordpress_runtime",
		"create-deployment-unit wordpress_runtime", "get-deployment-unit-status wordpress_runtime",
		"configure-deployment-unit wordpress_runtime",
	}
	assert.Equal(t, want, c.log, "WordPress waits until MySQL is configured and has notified it")
	assert.Empty(t, c.ops("", "dispose-deployment-unit"))
}

func TestRunDeployWaitsForStatus(t *testing.T) {
	// MySQL is not ready at its first two checks: the plan checks again every check period.
	c, id := runPlan(t, wordpressPlan(t, 2), func(unit, op string, n int) outcome {
		return outcome{notReady: unit == "mysql_runtime" && op == "get-deployment-unit-status" && n <= 2}
	})
	assert.Equal(t, []string{"create-deployment-unit mysql_runtime", "get-deployment-unit-status mysql_runtime"}, c.log)
	c.advance(9 * time.Second)
	assert.Len(t, c.ops("mysql_runtime", "get-deployment-unit-status"), 1, "the check period has not passed")
	c.advance(time.Second)
	assert.Len(t, c.ops("mysql_runtime", "get-deployment-unit-status"), 2)
	assert.Empty(t, c.ops("wordpress_runtime", "create-deployment-unit"), "WordPress still waits for MySQL")
	c.advance(10 * time.Second)
	assert.Equal(t, engine.StatusCompleted, c.h.Status(id), c.h.String(id))
	assert.Less(t, index(c.log, "notify mysql_runtime>wordpress_runtime"), index(c.log, "create-deployment-unit wordpress_runtime"))
}

func TestRunDeployRetries(t *testing.T) {
	tests := []struct {
		name   string
		script script
		want   []string // the WordPress unit's commands
	}{
		{
			name: "a create error disposes of what it may have made and creates again",
			script: func(unit, op string, n int) outcome {
				if unit == "wordpress_runtime" && op == "create-deployment-unit" && n == 1 {
					return outcome{errorCode: "CREATE_FAILED"}
				}
				return outcome{}
			},
			// the failed create may have made the unit (its reply lost): it is disposed of before the next attempt
			want: []string{"create-deployment-unit", "dispose-deployment-unit", "create-deployment-unit",
				"get-deployment-unit-status", "configure-deployment-unit"},
		},
		{
			name: "a status error disposes of the unit and creates it again",
			script: func(unit, op string, n int) outcome {
				if unit == "wordpress_runtime" && op == "get-deployment-unit-status" && n == 1 {
					return outcome{errorCode: "STATUS_FAILED"}
				}
				return outcome{}
			},
			want: []string{"create-deployment-unit", "get-deployment-unit-status", "dispose-deployment-unit",
				"create-deployment-unit", "get-deployment-unit-status", "configure-deployment-unit"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, id := runPlan(t, wordpressPlan(t, 2), tc.script)
			assert.Equal(t, engine.StatusCompleted, c.h.Status(id), c.h.String(id))
			var got []string
			for _, l := range c.ops("wordpress_runtime", "create-deployment-unit", "get-deployment-unit-status",
				"dispose-deployment-unit", "configure-deployment-unit") {
				got = append(got, l[:len(l)-len(" wordpress_runtime")])
			}
			assert.Equal(t, tc.want, got)
			assert.Empty(t, c.ops("mysql_runtime", "dispose-deployment-unit"))
		})
	}
}

func TestRunDeployFails(t *testing.T) {
	t.Run("retries exhausted: escalation, rollback, error end", func(t *testing.T) {
		c, id := runPlan(t, wordpressPlan(t, 2), func(unit, op string, n int) outcome {
			if unit == "wordpress_runtime" && op == "get-deployment-unit-status" {
				return outcome{errorCode: "STATUS_FAILED"}
			}
			return outcome{}
		})
		in := c.h.Instance(id)
		assert.Equal(t, engine.StatusFailed, in.Status, c.h.String(id))
		require.NotNil(t, in.Error)
		assert.Equal(t, tosca2bpmn.CodeDeploymentFailed, in.Error.Code)
		assert.Len(t, c.ops("wordpress_runtime", "create-deployment-unit"), 3, "one creation and two retries")
		assert.Len(t, c.ops("wordpress_runtime", "dispose-deployment-unit"), 3, "every failed attempt is disposed of")
		assert.Equal(t, "dispose-deployment-unit mysql_runtime", c.log[len(c.log)-1], "the rollback disposes of MySQL")
		assert.Contains(t, c.h.Completed(id), "unit_failed")
		assert.Contains(t, c.h.Completed(id), "rolled_back")
	})
	t.Run("timeout: the unit is disposed of, escalation, rollback", func(t *testing.T) {
		c, id := runPlan(t, wordpressPlan(t, 2), func(unit, op string, n int) outcome {
			return outcome{notReady: unit == "wordpress_runtime" && op == "get-deployment-unit-status"}
		})
		c.advance(4 * time.Minute)
		assert.Equal(t, engine.StatusActive, c.h.Status(id))
		c.advance(time.Minute)
		in := c.h.Instance(id)
		assert.Equal(t, engine.StatusFailed, in.Status, c.h.String(id))
		assert.Equal(t, []string{"dispose-deployment-unit wordpress_runtime", "dispose-deployment-unit mysql_runtime"},
			c.ops("", "dispose-deployment-unit"))
		assert.Contains(t, c.h.Completed(id), "du_timed_out")
		assert.Len(t, c.ops("wordpress_runtime", "create-deployment-unit"), 1, "a timeout is not retried")
		assert.Empty(t, in.Timers)
	})
}

// chain is three deployment units, each requiring the previous one.
const chain = header + `
topology_template:
  node_templates:
    r1: { type: tosca.nodes.Container.Runtime }
    r2:
      type: tosca.nodes.Container.Runtime
      requirements: [ { dependency: r1 } ]
    r3:
      type: tosca.nodes.Container.Runtime
      requirements: [ { dependency: r2 } ]
    side:
      type: tosca.nodes.Compute
    app:
      type: tosca.nodes.SoftwareComponent
      requirements: [ { host: side } ]
`

func TestRunRollbackInReverse(t *testing.T) {
	defs, err := tosca2bpmn.Translate(parseYAML(t, chain), tosca2bpmn.Options{Retries: -1})
	require.NoError(t, err)
	c, id := runPlan(t, defs, func(unit, op string, n int) outcome {
		if unit == "r3" && op == "create-deployment-unit" {
			return outcome{errorCode: "QUOTA"}
		}
		return outcome{}
	})
	assert.Equal(t, engine.StatusFailed, c.h.Status(id), c.h.String(id))
	undo := c.ops("", "dispose-deployment-unit", "delete-resource", "stop", "delete")
	require.Len(t, undo, 6, "log: %v", c.log)
	// r3's failed create is disposed of first (it may have made the unit); r1, r2, side and app were
	// created, and their undo runs in reverse order of completion.
	assert.Equal(t, 0, index(undo, "dispose-deployment-unit r3"), "log: %v", c.log)
	assert.Less(t, index(undo, "dispose-deployment-unit r2"), index(undo, "dispose-deployment-unit r1"))
	assert.Less(t, index(undo, "stop app"), index(undo, "delete app"))
	assert.Less(t, index(undo, "delete app"), index(undo, "delete-resource side"), "the package goes before its host")
	assert.Len(t, c.ops("r3", "dispose-deployment-unit"), 1, "r3's failed create is disposed of once")
}

func TestRunUndeploy(t *testing.T) {
	defs, err := tosca2bpmn.TranslateUndeploy(parseFile(t, example(t, "wordpress-mysql.yaml")), tosca2bpmn.Options{})
	require.NoError(t, err)
	c, id := runPlan(t, defs, succeed)
	assert.Equal(t, engine.StatusCompleted, c.h.Status(id), c.h.String(id))
	assert.Equal(t, []string{"dispose-deployment-unit wordpress_runtime", "notify wordpress_runtime>mysql_runtime",
		"dispose-deployment-unit mysql_runtime"}, c.log, "dependents first")
}

func TestRunResourcesAndPackages(t *testing.T) {
	st := parseYAML(t, header+`
topology_template:
  node_templates:
    server:
      type: tosca.nodes.Compute
    web:
      type: tosca.nodes.WebServer
      requirements: [ { host: server } ]
    app:
      type: tosca.nodes.WebApplication
      requirements: [ { host: web } ]
`)
	defs, err := tosca2bpmn.Translate(st, tosca2bpmn.Options{})
	require.NoError(t, err)
	c, id := runPlan(t, defs, succeed)
	assert.Equal(t, engine.StatusCompleted, c.h.Status(id), c.h.String(id))
	assert.Equal(t, []string{
		"create-resource server", "get-resource-status server", "configure-resource server", "notify server>web",
		"create web", "configure web", "start web", "notify web>app",
		"create app", "configure app", "start app",
	}, c.log, "each package is installed once its host is ready")
}
