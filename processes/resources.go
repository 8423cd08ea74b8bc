package processes

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"time"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/tosca2bpmn"
)

// opStates are the resource states one operation of a plan moves its unit's resources through:
// while the command is out, and once it succeeded. Status checks change no state.
type opStates struct {
	verb  string // for the log: "Creating mysql_runtime"
	doing string
	done  string
}

var operationStates = map[connectors.Operation]opStates{
	connectors.OpCreateDeploymentUnit:    {"Creating deployment unit", StateCreating, StateCreated},
	connectors.OpCreateResource:          {"Creating cloud resource", StateCreating, StateCreated},
	connectors.OpCreatePackage:           {"Installing package", StateCreating, StateCreated},
	connectors.OpConfigureDeploymentUnit: {"Configuring deployment unit", StateConfiguring, StateConfigured},
	connectors.OpConfigureResource:       {"Configuring cloud resource", StateConfiguring, StateConfigured},
	connectors.OpConfigurePackage:        {"Configuring package", StateConfiguring, StateConfigured},
	connectors.OpStartPackage:            {"Starting package", StateStarting, StateStarted},
	connectors.OpStopPackage:             {"Stopping package", StateStopping, StateStopped},
	connectors.OpUpdateDeploymentUnit:    {"Updating deployment unit", StateConfiguring, StateConfigured},
	connectors.OpUpdateResource:          {"Updating cloud resource", StateConfiguring, StateConfigured},
	// Once deleted a resource is back where it started: nothing of it exists on the provider.
	connectors.OpDisposeDeploymentUnit: {"Disposing of deployment unit", StateDeleting, StateInitial},
	connectors.OpDeleteResource:        {"Deleting cloud resource", StateDeleting, StateInitial},
	connectors.OpDeletePackage:         {"Removing package", StateDeleting, StateInitial},
}

func isStatus(op connectors.Operation) bool {
	return op == connectors.OpDeploymentUnitStatus || op == connectors.OpResourceStatus
}

func isCreate(op connectors.Operation) bool {
	return op == connectors.OpCreateDeploymentUnit || op == connectors.OpCreateResource || op == connectors.OpCreatePackage
}

// unitNodes returns the id of a unit descriptor and the names of its nodes: the main node, the
// containers and the volumes of a deployment unit.
func unitNodes(unit map[string]any) (string, []string) {
	id, _ := unit["id"].(string)
	names := []string{id}
	if n, ok := unit["node"].(map[string]any); ok {
		if name, _ := n["name"].(string); name != "" && name != id {
			names = append(names, name)
		}
	}
	for _, c := range asList(unit["containers"]) {
		if name, _ := c["name"].(string); name != "" {
			names = append(names, name)
		}
	}
	for _, v := range asList(unit["volumes"]) {
		if n, ok := v["node"].(map[string]any); ok {
			if name, _ := n["name"].(string); name != "" {
				names = append(names, name)
			}
		}
	}
	return id, names
}

func asList(v any) []map[string]any {
	var out []map[string]any
	switch l := v.(type) {
	case []any:
		for _, e := range l {
			if m, ok := e.(map[string]any); ok {
				out = append(out, m)
			}
		}
	case []map[string]any:
		out = l
	}
	return out
}

// nodeResources returns the resources of a deployment by node name.
func (s *Service) nodeResources(ctx context.Context, deployment string) (map[string]*store.Resource, error) {
	page, err := s.st.Resources(ctx, deployment, store.ResourceFilter{}, store.Page{Size: store.MaxPageSize})
	if err != nil {
		return nil, err
	}
	out := make(map[string]*store.Resource, len(page.Items))
	for _, r := range page.Items {
		out[r.NodeName] = r
	}
	return out, nil
}

// unitResources returns the resources of a unit's nodes by node name: a reply or a command concerns
// one unit, and reading the whole deployment's resources (decoding each one's metadata) for it was a
// large part of a step of a big deployment.
func (s *Service) unitResources(ctx context.Context, deployment string, names []string) (map[string]*store.Resource, error) {
	out := make(map[string]*store.Resource, len(names))
	if len(names) == 0 {
		return out, nil
	}
	res, err := s.st.NodeResources(ctx, deployment, names)
	if err != nil {
		return nil, err
	}
	for _, r := range res {
		out[r.NodeName] = r
	}
	return out, nil
}

// started marks the resources of a command's unit as being worked on.
func (s *Service) started(ctx context.Context, cmd engine.Command) error {
	op := connectors.Operation(cmd.Headers["operation"])
	states, ok := operationStates[op]
	if !ok {
		return nil
	}
	deployment := deploymentOf(cmd.Variables)
	unit, _ := cmd.Variables["unit"].(map[string]any)
	id, names := unitNodes(unit)
	provider, err := s.st.ProviderOf(ctx, deployment)
	if err != nil {
		return err
	}
	if tosca2bpmn.IsCreateCleanup(cmd.Element) {
		// The unit's resources keep their ERROR: the failed create stays the story of its nodes.
		return s.st.AppendLog(ctx, deployment, fmt.Sprintf("Disposing of what the failed create of %s may have made on %s",
			id, provider.Name))
	}
	res, err := s.unitResources(ctx, deployment, names)
	if err != nil {
		return err
	}
	for _, name := range names {
		if r := res[name]; r != nil {
			if err := s.st.SetResourceState(ctx, deployment, r.UUID, states.doing, ""); err != nil {
				return err
			}
		}
	}
	line := fmt.Sprintf("%s %s on %s", states.verb, id, provider.Name)
	if cmd.Retries > 0 {
		line += fmt.Sprintf(" (attempt %d)", cmd.Retries+1)
	}
	return s.st.AppendLog(ctx, deployment, line)
}

// recorded applies a reply to the resources of the unit it is about: states, physical ids and the
// TOSCA attributes the connector reported (kept per node for get_attribute), or ERROR with the cause.
func (s *Service) recorded(ctx context.Context, deployment string, unit map[string]any, r esb.Reply) error {
	op := connectors.Operation(r.Operation)
	id, names := unitNodes(unit)
	provider := r.Provider
	if provider == "" {
		provider = s.cfg.Provider
	}
	if rerr := r.Error; rerr != nil {
		cause := fmt.Sprintf("%s: %s", rerr.Class, rerr.Message)
		failure := map[string]any{"unit": id, "operation": string(op), "provider": provider, "cause": cause,
			"at": s.clock.Now().UTC().Format(time.RFC3339Nano)}
		res, err := s.unitResources(ctx, deployment, names)
		if err != nil {
			return err
		}
		for _, name := range names {
			if x := res[name]; x != nil {
				x.State = StateError
				x.Metadata = withMeta(x.Metadata, map[string]any{"error": failure})
				if err := s.st.PutResource(ctx, x); err != nil {
					return err
				}
			}
		}
		return s.st.AppendLog(ctx, deployment, fmt.Sprintf("%s of %s failed on %s: %s", op, id, provider, cause))
	}
	var out map[string]any
	if len(r.Outputs) > 0 {
		if err := jsonUnmarshal(r.Outputs, &out); err != nil {
			return fmt.Errorf("outputs of %s: %w", r.CommandID, err)
		}
	}
	attrs, _ := out[connectors.AttributesOutput].(map[string]any)
	states, known := operationStates[op]
	var res map[string]*store.Resource
	if known || len(attrs) > 0 { // a status check reporting no attributes changes no resource
		var err error
		if res, err = s.unitResources(ctx, deployment, names); err != nil {
			return err
		}
	}
	for _, name := range names {
		x := res[name]
		if x == nil {
			continue
		}
		a, hasAttrs := attrs[name].(map[string]any)
		prev, _ := x.Metadata["attributes"].(map[string]any)
		if !known && (!hasAttrs || reportsNothingNew(prev, a)) {
			continue // a status check that reported nothing new of this node: nothing to write
		}
		if hasAttrs {
			x.Metadata = withMeta(x.Metadata, map[string]any{"attributes": withMeta(prev, a)})
		}
		switch {
		case known && states.done == StateInitial:
			// Nothing of it is left on the provider: neither an id nor attributes. After a failed create
			// the state stays ERROR, with the failure.
			x.PhysicalID = ""
			if !tosca2bpmn.IsCreateCleanup(r.Element) {
				x.State = StateInitial
			}
			delete(x.Metadata, "attributes")
		case known:
			x.State = states.done
			if isCreate(op) {
				// A new attempt succeeded: an earlier failure is no longer the story of this node.
				x.PhysicalID = physicalID(out, attrs, name, id)
				delete(x.Metadata, "error")
			}
		}
		if err := s.st.PutResource(ctx, x); err != nil {
			return err
		}
	}
	switch {
	case isStatus(op):
		if ready, _ := out["ready"].(bool); ready {
			return s.st.AppendLog(ctx, deployment, fmt.Sprintf("%s is ready on %s", id, provider))
		}
		return nil
	case known:
		return s.st.AppendLog(ctx, deployment, fmt.Sprintf("%s: %s done", id, op))
	}
	return nil
}

// physicalID is a node's id on the provider: the tosca_id the connector gave the node, else the id of
// what it created for the unit.
func physicalID(out, attrs map[string]any, node, unit string) string {
	if a, ok := attrs[node].(map[string]any); ok {
		if id, _ := a["tosca_id"].(string); id != "" {
			return id
		}
	}
	id, _ := out["id"].(string)
	if node != unit && id != "" {
		return id + "/" + node
	}
	return id
}

// reportsNothingNew tells whether the attributes a connector reported are all known already, with
// the same values: the status checks of a unit report the same attributes again and again.
func reportsNothingNew(known, reported map[string]any) bool {
	for k, v := range reported {
		if kv, ok := known[k]; !ok || !reflect.DeepEqual(kv, v) {
			return false
		}
	}
	return true
}

func withMeta(m, add map[string]any) map[string]any {
	out := make(map[string]any, len(m)+len(add))
	maps.Copy(out, m)
	maps.Copy(out, add)
	return out
}
