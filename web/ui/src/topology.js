// The topology view: the node templates of the TOSCA template as boxes in layers (what a node requires is
// drawn below it, so hosts are under what they host), its requirements as arrows, each box coloured by the
// state of its resources. Beside the picture, the same graph as a list for screen readers.
import { h, svg } from './dom.js';

const W = 190;
const H = 54;
const GX = 36;
const GY = 70;

function levels(nodes) {
  const level = {};
  const visiting = new Set();
  const depth = (n) => {
    if (level[n] != null) return level[n];
    if (visiting.has(n) || !nodes[n]) return 0;
    visiting.add(n);
    let d = 0;
    for (const r of nodes[n].requirements) if (nodes[r.node]) d = Math.max(d, depth(r.node) + 1);
    visiting.delete(n);
    level[n] = d;
    return d;
  };
  Object.keys(nodes).forEach(depth);
  return level;
}

const rank = { ERROR: 5, DELETING: 4, CREATING: 3, CONFIGURING: 3, STARTING: 3, STOPPING: 3, INITIAL: 2, CREATED: 1, CONFIGURED: 1, STARTED: 0, STOPPED: 0 };

/** topology draws nodes ({name: {type, requirements}}) with states ({nodeName: state}). */
export function topology(nodes, states = {}) {
  const names = Object.keys(nodes);
  if (!names.length) return h('p', { class: 'empty' }, 'The template has no node templates.');
  const level = levels(nodes);
  const maxLevel = Math.max(...Object.values(level));
  const rows = [];
  for (const n of names) (rows[maxLevel - level[n]] ||= []).push(n);
  const widest = Math.max(...rows.map((r) => r.length));
  const width = widest * (W + GX) + GX;
  const height = rows.length * (H + GY) + GY / 2;
  const pos = {};
  rows.forEach((row, y) => {
    const offset = (width - row.length * (W + GX) + GX) / 2;
    row.forEach((n, x) => { pos[n] = { x: offset + x * (W + GX), y: GY / 2 + y * (H + GY) }; });
  });
  const edges = [];
  for (const n of names) {
    for (const r of nodes[n].requirements) {
      const a = pos[n];
      const b = pos[r.node];
      if (!b) continue;
      const x1 = a.x + W / 2;
      const y1 = a.y + H;
      const x2 = b.x + W / 2;
      const y2 = b.y;
      edges.push(svg('g', { class: `topo-edge topo-${r.name === 'host' ? 'host' : 'dep'}` },
        svg('line', { x1, y1, x2, y2: y2 - 3, 'marker-end': 'url(#topo-arrow)' }),
        svg('text', { x: (x1 + x2) / 2 + 4, y: (y1 + y2) / 2, class: 'topo-label' }, r.name)));
    }
  }
  const boxes = names.map((n) => {
    const st = states[n] || '';
    const cls = st === 'ERROR' ? 'bad' : (['STARTED', 'CONFIGURED', 'CREATED'].includes(st) ? 'ok' : (st ? 'busy' : 'none'));
    const type = nodes[n].type.split('.').slice(-2).join('.');
    return svg('g', { class: `topo-node topo-${cls}`, 'data-node': n, 'data-state': st, transform: `translate(${pos[n].x},${pos[n].y})` },
      svg('title', {}, `${n}: ${nodes[n].type}${st ? `, ${st}` : ''}`),
      svg('rect', { width: W, height: H, rx: 6 }),
      svg('text', { x: 10, y: 20, class: 'topo-name' }, n),
      svg('text', { x: 10, y: 38, class: 'topo-type' }, type),
      st ? svg('text', { x: W - 8, y: 20, class: 'topo-state', 'text-anchor': 'end' }, st.toLowerCase()) : null);
  });
  const picture = svg('svg', { class: 'topology', viewBox: `0 0 ${width} ${height}`, width, height, 'aria-hidden': 'true' },
    svg('defs', {}, svg('marker', { id: 'topo-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse' },
      svg('path', { d: 'M 0 0 L 10 5 L 0 10 z' }))),
    edges, boxes);
  const list = h('ul', { class: 'visually-hidden' }, names.map((n) => h('li', {},
    `${n} (${nodes[n].type})${states[n] ? `, ${states[n].toLowerCase()}` : ''}`,
    nodes[n].requirements.length ? `: requires ${nodes[n].requirements.map((r) => `${r.name} ${r.node}`).join(', ')}` : '')));
  return h('div', { class: 'topology-wrap' }, picture, list);
}

/** nodeStates reduces resources to the least advanced state per node (ERROR wins). */
export function nodeStates(resources) {
  const out = {};
  for (const r of resources) {
    const cur = out[r.toscaNodeName];
    if (!cur || (rank[r.state] ?? 2) > (rank[cur] ?? 2)) out[r.toscaNodeName] = r.state;
  }
  return out;
}
