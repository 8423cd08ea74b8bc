// Reading a template in the browser: its inputs (for the inputs form), its node templates and their
// requirements (for the topology view), and the entry definitions of a CSAR. The server stays the judge of
// validity (POST /templates/validate); this only needs to be good enough to draw forms and pictures.
import { parseDocument, LineCounter, isSeq } from 'yaml';
import { unzipSync, strFromU8 } from 'fflate';

/**
 * analyse parses YAML text. It returns {inputs, nodes, problems}: inputs by name ({type, description,
 * default, required, constraints, entry_schema}), nodes by name ({type, requirements: [{name, node}]}),
 * and YAML syntax problems ({line, column, message}).
 */
export function analyse(text) {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  const problems = doc.errors.map((e) => {
    const p = lc.linePos(e.pos?.[0] ?? 0);
    return { line: p.line, column: p.col, message: e.message.split('\n')[0], source: 'yaml' };
  });
  let js = {};
  try {
    js = doc.toJS({ maxAliasCount: 1000 }) || {};
  } catch {
    js = {};
  }
  const topo = isObject(js) && isObject(js.topology_template) ? js.topology_template : {};
  return { inputs: readInputs(topo.inputs), nodes: readNodes(topo.node_templates), problems, meta: js.metadata || {} };
}

function isObject(v) { return v != null && typeof v === 'object' && !Array.isArray(v); }

function readInputs(raw) {
  const out = {};
  if (!isObject(raw)) return out;
  for (const [name, def] of Object.entries(raw)) {
    const d = isObject(def) ? def : {};
    out[name] = {
      type: typeof d.type === 'string' ? d.type : 'string',
      description: typeof d.description === 'string' ? d.description.trim() : '',
      default: d.default,
      hasDefault: 'default' in d,
      // TOSCA: a parameter is required unless it says otherwise.
      required: d.required !== false,
      constraints: Array.isArray(d.constraints) ? d.constraints.filter(isObject) : [],
      entrySchema: isObject(d.entry_schema) ? d.entry_schema.type : (typeof d.entry_schema === 'string' ? d.entry_schema : ''),
    };
  }
  return out;
}

function readNodes(raw) {
  const out = {};
  if (!isObject(raw)) return out;
  for (const [name, def] of Object.entries(raw)) {
    const d = isObject(def) ? def : {};
    const reqs = [];
    for (const r of Array.isArray(d.requirements) ? d.requirements : []) {
      if (!isObject(r)) continue;
      for (const [rn, target] of Object.entries(r)) {
        const node = typeof target === 'string' ? target : (isObject(target) && typeof target.node === 'string' ? target.node : '');
        if (node) reqs.push({ name: rn, node });
      }
    }
    out[name] = { type: typeof d.type === 'string' ? d.type : '', requirements: reqs };
  }
  return out;
}

/**
 * readCSAR returns {name, text} of a CSAR's entry definitions: the Entry-Definitions of
 * TOSCA-Metadata/TOSCA.meta, else the one YAML file at the archive's root (TOSCA 1.3, 4.2).
 */
export function readCSAR(bytes) {
  let files;
  try {
    files = unzipSync(new Uint8Array(bytes));
  } catch (err) {
    throw new Error(`This file is not a readable CSAR (zip) archive: ${err.message}`);
  }
  const meta = files['TOSCA-Metadata/TOSCA.meta'];
  let entry = '';
  if (meta) {
    const m = /^Entry-Definitions:\s*(.+?)\s*$/m.exec(strFromU8(meta));
    if (m) entry = m[1];
  } else {
    const roots = Object.keys(files).filter((n) => !n.includes('/') && /\.ya?ml$/i.test(n));
    if (roots.length === 1) [entry] = roots;
  }
  if (!entry || !files[entry]) {
    throw new Error('The CSAR names no entry definitions (TOSCA-Metadata/TOSCA.meta Entry-Definitions, or one YAML file at its root).');
  }
  return { name: entry, text: strFromU8(files[entry]) };
}

/** problemsOf turns the API's problems (or the lines of an error message) into {line, column, message}. */
export function problemsOf(validation) {
  return (validation.problems || []).map((p) => ({
    line: p.line || 0, column: p.column || 0, warning: !!p.warning,
    message: p.entity ? `${p.entity}: ${p.message}` : p.message,
  }));
}

/** problemsInMessage finds FILE:LINE:COL: message parts in an error message of POST /deployments. */
export function problemsInMessage(msg) {
  const out = [];
  const re = /(?:^|;\s+|\n\s*|:\s+)[\w./-]+\.ya?ml:(\d+):(\d+):\s+/g;
  const marks = [];
  let m;
  while ((m = re.exec(msg))) marks.push({ at: m.index, end: re.lastIndex, line: +m[1], column: +m[2] });
  marks.forEach((mk, i) => {
    const text = msg.slice(mk.end, i + 1 < marks.length ? marks[i + 1].at : undefined).trim().replace(/;$/, '');
    out.push({ line: mk.line, column: mk.column, message: text });
  });
  return out;
}

/**
 * withProvider returns the template with a placement policy that sends the deployment to provider (a request
 * names no provider in the INDIGO API: a template does, through tosca.policies.Placement metadata).
 */
export function withProvider(text, provider) {
  const doc = parseDocument(text);
  const nodes = doc.getIn(['topology_template', 'node_templates']);
  const first = nodes?.items?.[0]?.key;
  const policy = doc.createNode({
    dashboard_provider_choice: {
      type: 'tosca.policies.Placement',
      metadata: { provider },
      targets: first != null ? [String(first.value ?? first)] : [],
    },
  });
  const policies = doc.getIn(['topology_template', 'policies']);
  if (isSeq(policies)) policies.items.push(policy);
  else doc.setIn(['topology_template', 'policies'], doc.createNode([policy]));
  return doc.toString({ lineWidth: 0 });
}
