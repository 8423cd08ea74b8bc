// Unit tests of reading templates in the browser (node --test; run by TestJavaScriptUnits).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zipSync, strToU8 } from 'fflate';
import { analyse, readCSAR, problemsInMessage, withProvider } from '../src/template.js';
import { check, constraintText } from '../src/inputs.js';

const tmpl = `tosca_definitions_version: tosca_simple_yaml_1_3
topology_template:
  inputs:
    cpus: { type: integer, default: 2, constraints: [ { valid_values: [ 1, 2 ] } ], description: " CPUs " }
    name: { type: string }
    opt: { type: string, required: false }
  node_templates:
    app:
      type: tosca.nodes.SoftwareComponent
      requirements:
        - host: vm
        - db: { node: store, relationship: tosca.relationships.ConnectsTo }
    vm: { type: tosca.nodes.Compute }
    store: { type: tosca.nodes.Database }
`;

test('inputs, nodes and requirements are read', () => {
  const a = analyse(tmpl);
  assert.deepEqual(a.problems, []);
  assert.equal(a.inputs.cpus.type, 'integer');
  assert.equal(a.inputs.cpus.default, 2);
  assert.equal(a.inputs.cpus.description, 'CPUs');
  assert.equal(a.inputs.name.required, true);
  assert.equal(a.inputs.name.hasDefault, false);
  assert.equal(a.inputs.opt.required, false);
  assert.deepEqual(a.nodes.app.requirements, [{ name: 'host', node: 'vm' }, { name: 'db', node: 'store' }]);
});

test('a YAML syntax error is a problem at its line', () => {
  const a = analyse('a: 1\nb: [\n');
  assert.ok(a.problems.length > 0);
  assert.ok(a.problems[0].line >= 2, JSON.stringify(a.problems));
});

test('problems are found in a POST error message', () => {
  const msg = 'invalid deployment request: template.yaml:37:26: node "shop": get_attribute: no; x; template.yaml:53:13: node template "server": unknown node type "tosca.nodes.Compuet"';
  assert.deepEqual(problemsInMessage(msg), [
    { line: 37, column: 26, message: 'node "shop": get_attribute: no; x' },
    { line: 53, column: 13, message: 'node template "server": unknown node type "tosca.nodes.Compuet"' },
  ]);
  assert.deepEqual(problemsInMessage('ProviderTimeout must be <= Timeout'), []);
});

test('a chosen provider becomes a placement policy', () => {
  const out = analyse(withProvider(tmpl, 'sim-b'));
  assert.deepEqual(out.problems, []);
  const again = withProvider(`topology_template:\n  node_templates:\n    vm: { type: tosca.nodes.Compute }\n  policies:\n    - other: { type: tosca.policies.Scaling }\n`, 'p');
  assert.match(again, /- other:/);
  assert.match(again, /dashboard_provider_choice:\n\s+type: tosca.policies.Placement\n\s+metadata:\n\s+provider: p\n\s+targets:\n\s+- vm/);
});

test('a CSAR gives its entry definitions', () => {
  const meta = zipSync({ 'TOSCA-Metadata/TOSCA.meta': strToU8('TOSCA-Meta-File-Version: 1.1\nEntry-Definitions: defs/main.yaml\n'), 'defs/main.yaml': strToU8('a: 1\n') });
  assert.deepEqual(readCSAR(meta), { name: 'defs/main.yaml', text: 'a: 1\n' });
  const root = zipSync({ 'only.yml': strToU8('b: 2\n'), 'files/x.sh': strToU8('') });
  assert.equal(readCSAR(root).name, 'only.yml');
  assert.throws(() => readCSAR(zipSync({ 'a.yaml': strToU8(''), 'b.yaml': strToU8('') })), /names no entry definitions/);
  assert.throws(() => readCSAR(strToU8("not a zip")), /not a readable CSAR/);
});

test('constraints are checked and said', () => {
  const def = (constraints) => ({ constraints });
  assert.equal(check(3, def([{ in_range: [1, 5] }])), '');
  assert.equal(check(9, def([{ in_range: [1, 5] }])), 'must be between 1 and 5');
  assert.equal(check(9, def([{ in_range: [1, 'UNBOUNDED'] }])), '');
  assert.equal(check('b', def([{ valid_values: ['a', 'c'] }])), 'must be one of a, c');
  assert.equal(check('ab', def([{ min_length: 3 }])), 'must be at least 3 long');
  assert.equal(check('x@y', def([{ pattern: '[^@]+@[^@]+' }])), '');
  assert.equal(check('xy', def([{ pattern: '[^@]+@[^@]+' }])), 'must match the pattern [^@]+@[^@]+');
  assert.equal(check(2, def([{ greater_than: 2 }])), 'must be greater than 2');
  assert.equal(constraintText({ less_or_equal: 4 }), 'at most 4');
});
