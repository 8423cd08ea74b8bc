// The provider selection of a deployment, from its extrainfo (GET /deployments/{id}/extrainfo): every candidate
// provider with its rank, whether it was kept, and why.
import { h } from './dom.js';

/** selection renders the providerSelection entries of an extrainfo array. */
export function selection(extra) {
  const entries = (Array.isArray(extra) ? extra : []).filter((e) => e && e.providerSelection).map((e) => e.providerSelection);
  if (!entries.length) return h('p', { class: 'empty' }, 'No provider selection is recorded for this deployment.');
  return entries.map((sel, i) => {
    const cands = [...(sel.candidates || [])].sort((a, b) => (a.rank || 1e9) - (b.rank || 1e9));
    return h('div', {},
      entries.length > 1 ? h('h3', {}, `Selection ${i + 1}`) : null,
      sel.request?.services ? h('p', { class: 'hint' }, `Needed: ${sel.request.services.join(', ')}`) : null,
      h('table', { class: 'selection' },
        h('caption', { class: 'visually-hidden' }, 'Candidate providers, best ranked first'),
        h('thead', {}, h('tr', {}, ['Rank', 'Provider', 'Platform', 'Kept', 'Health', 'Why'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, cands.map((c) => h('tr', { 'data-provider': c.provider },
          h('td', {}, c.rank ? String(c.rank) : '—'),
          h('td', {}, c.provider),
          h('td', {}, c.platform || ''),
          h('td', {}, c.kept ? 'yes' : h('strong', { class: 'error-text' }, 'no')),
          h('td', {}, c.health || ''),
          h('td', {}, (c.reasons || []).join('; ')))))));
  });
}
