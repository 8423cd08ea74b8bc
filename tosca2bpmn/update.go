package tosca2bpmn

import (
	"encoding/json"
	"slices"

	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
)

// Changes are the differences between two classified templates, unit by unit (a unit is known by its id and
// kind: a unit whose kind changed is removed and added).
type Changes struct {
	// Added are units of the new template only, Changed units of both whose data differ (in the new
	// template's form), Removed units of the old template only; each in dependency order.
	Added, Changed, Removed []*Unit
}

// Diff compares two classified templates.
func Diff(before, after *Topology) Changes {
	var c Changes
	old := map[string]*Unit{}
	for _, u := range before.Units {
		old[u.ID] = u
	}
	kept := map[string]bool{}
	for _, u := range after.Units {
		o := old[u.ID]
		switch {
		case o == nil || o.Kind != u.Kind:
			c.Added = append(c.Added, u)
		case !sameData(o, u):
			c.Changed = append(c.Changed, u)
			kept[u.ID] = true
		default:
			kept[u.ID] = true
		}
	}
	for _, u := range before.Units {
		if !kept[u.ID] {
			c.Removed = append(c.Removed, u)
		}
	}
	return c
}

// sameData compares the descriptors of two units, dependencies aside (a new dependency on a unit that
// already runs changes nothing to deploy).
func sameData(a, b *Unit) bool {
	da, db := Descriptor(a), Descriptor(b)
	for _, k := range []string{"requires", "dependents"} {
		delete(da, k)
		delete(db, k)
	}
	ja, err1 := json.Marshal(da)
	jb, err2 := json.Marshal(db)
	return err1 == nil && err2 == nil && slices.Equal(ja, jb)
}

// TranslateUpdate turns the change from the template old to the template new into an update plan: the
// process "update" first removes the units that are gone (as the undeploy plan does, dependents first), then
// applies the others in one "Apply Node" multi-instance subprocess: added units are deployed as by Translate
// (with retries and rollback), changed units are updated in place (update-deployment-unit, update-resource,
// or configure for a package). Dependencies on units that are not part of a phase are already satisfied, so
// each phase only waits for units of its own.
func TranslateUpdate(old, new *tosca.ServiceTemplate, opts Options) (*bpmn.Definitions, error) {
	before, err := Classify(old, opts)
	if err != nil {
		return nil, err
	}
	after, err := Classify(new, opts)
	if err != nil {
		return nil, err
	}
	c := Diff(before, after)
	applied := append(slices.Clone(c.Added), c.Changed...)
	vars := map[string]any{
		"removed": phase(c.Removed, nil),
		"applied": phase(applied, c.Changed),
	}
	d := newDefinitions(new)
	p, err := newProcess(d, processID(opts, "update"), planName("Update", d), vars)
	if err != nil {
		return nil, err
	}
	b := newBuilder(p)
	main := b.in(&p.FlowElementsContainer)
	main.start("start", "Update requested")
	rm := main.sub("remove_node", "Remove Node")
	rm.LoopCharacteristics = multiInstance("removed", "unit")
	removeBody(b.in(&rm.FlowElementsContainer), "")
	ap := main.sub("apply_node", "Apply Node")
	ap.LoopCharacteristics = multiInstance("applied", "unit")
	deployBody(b.in(&ap.FlowElementsContainer), ap, true)
	main.end("end", "Updated")
	main.chain("main", "start", "remove_node", "apply_node", "end")
	removalFailed(main, "Update failed")
	rollback(main, "apply_node")
	return finish(d, nil)
}

// phase returns the descriptors of units with their dependencies cut to the units of the phase, and the
// change of each: "update" for the units of changed, "add" otherwise.
func phase(units, changed []*Unit) []any {
	in := map[string]bool{}
	for _, u := range units {
		in[u.ID] = true
	}
	isChanged := map[*Unit]bool{}
	for _, u := range changed {
		isChanged[u] = true
	}
	within := func(us []*Unit) []any {
		out := []any{}
		for _, u := range us {
			if in[u.ID] {
				out = append(out, u.ID)
			}
		}
		return out
	}
	out := make([]any, len(units))
	for i, u := range units {
		d := Descriptor(u)
		d["requires"], d["dependents"] = within(u.Requires), within(u.Dependents)
		d["change"] = "add"
		if isChanged[u] {
			d["change"] = "update"
		}
		out[i] = d
	}
	return out
}
