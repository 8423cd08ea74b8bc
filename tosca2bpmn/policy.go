package tosca2bpmn

import (
	"time"

	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/primitive"
)

// PolicyType is the policy type that overrides the deployment options for the nodes it targets. A template
// defines it (it is toscaflow's, not normative) as:
//
//	policy_types:
//	  toscaflow.policies.Provisioning:
//	    derived_from: tosca.policies.Root
//	    properties:
//	      check_period: { type: scalar-unit.time, required: false }
//	      timeout:      { type: scalar-unit.time, required: false }
//	      retries:      { type: integer, required: false, constraints: [ { greater_or_equal: 0 } ] }
//
// and applies it with targets (node templates or groups; none means every node). A unit takes the values of
// the last policy, in source order, that targets any of its nodes; properties left out keep the options'.
const PolicyType = "toscaflow.policies.Provisioning"

// Provisioning is how one unit is waited for and retried.
type Provisioning struct {
	CheckPeriod time.Duration
	Timeout     time.Duration
	Retries     int
}

// applyProvisioning sets every unit's provisioning from opts and the Provisioning policies of st.
func applyProvisioning(st *tosca.ServiceTemplate, t *Topology, opts Options) {
	base := Provisioning{CheckPeriod: opts.CheckPeriod, Timeout: opts.Timeout, Retries: opts.Retries}
	for _, u := range t.Units {
		u.Provisioning = base
	}
	for _, p := range st.Policies {
		if !p.IsDerivedFrom(PolicyType) {
			continue
		}
		targets := map[*Unit]bool{}
		for _, n := range p.TargetNodes {
			targets[t.ByNode[n.Name]] = true
		}
		for _, g := range p.TargetGroups {
			for _, n := range g.Members {
				targets[t.ByNode[n.Name]] = true
			}
		}
		all := len(p.TargetNodes) == 0 && len(p.TargetGroups) == 0
		for _, u := range t.Units {
			if all || targets[u] {
				u.Provisioning.override(p.Properties)
			}
		}
	}
}

// override applies the properties of one policy.
func (pv *Provisioning) override(props map[string]*tosca.Value) {
	if d, ok := duration(props["check_period"]); ok {
		pv.CheckPeriod = d
	}
	if d, ok := duration(props["timeout"]); ok {
		pv.Timeout = d
	}
	if v := props["retries"]; v != nil {
		if n, ok := v.Data.(int64); ok && n >= 0 {
			pv.Retries = int(n)
		}
	}
}

// duration reads a scalar-unit.time value (its Value is in seconds); a string is read as a Go duration.
func duration(v *tosca.Value) (time.Duration, bool) {
	if v == nil {
		return 0, false
	}
	switch x := v.Data.(type) {
	case primitive.ScalarUnit:
		if x.Value > 0 {
			return time.Duration(x.Value * float64(time.Second)), true
		}
	case string:
		if d, err := time.ParseDuration(x); err == nil && d > 0 {
			return d, true
		}
	}
	return 0, false
}
