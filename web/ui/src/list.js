// The deployments list: status, provider, times, a filter, paging, refreshed every few seconds while the
// page is shown (and at once when the tab becomes visible again).
import { h, replace, id, statusBadge, timeCell } from './dom.js';
import { api } from './api.js';

const PAGE = 20;
const REFRESH_MS = 3000;

/** listPage renders the page into main; it returns its clean-up. */
export function listPage(main) {
  let page = 0;
  let timer = 0;
  let stopped = false;
  const filterId = id('filter');
  const statusId = id('status');
  const mineId = id('mine');
  const filter = h('input', { id: filterId, type: 'search', placeholder: 'id, provider, status or reason', oninput: () => render() });
  const statusSel = h('select', { id: statusId, onchange: () => render() },
    h('option', { value: '' }, 'Any status'),
    ['IN_PROGRESS', 'COMPLETE', 'FAILED'].map((s) => h('option', { value: s }, s.replace('_', ' ').toLowerCase())));
  const mine = h('input', { id: mineId, type: 'checkbox', onchange: () => { page = 0; load(); } });
  const body = h('tbody');
  const table = h('table', { class: 'deployments', 'aria-describedby': 'list-caption' },
    h('caption', { id: 'list-caption', class: 'visually-hidden' }, 'Deployments, newest first'),
    h('thead', {}, h('tr', {}, ['Deployment', 'Status', 'Provider', 'Created', 'Updated'].map((c) => h('th', { scope: 'col' }, c)))),
    body);
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
  const state = h('p', { class: 'list-state', role: 'status' }, 'Loading deployments…');
  let data = { content: [], page: { totalElements: 0, totalPages: 0, number: 0 } };

  function matches(d) {
    const q = filter.value.trim().toLowerCase();
    if (statusSel.value && !d.status.endsWith(statusSel.value)) return false;
    if (!q) return true;
    return [d.uuid, d.status, d.cloudProviderName, d.statusReason].some((x) => (x || '').toLowerCase().includes(q));
  }

  function render() {
    const rows = data.content.filter(matches);
    replace(body, rows.map((d) => h('tr', { 'data-id': d.uuid },
      h('td', {}, h('a', { href: `#/deployments/${d.uuid}`, class: 'mono' }, d.uuid),
        d.statusReason ? h('div', { class: 'reason-short' }, d.statusReason.split('\n')[0].slice(0, 140)) : null),
      h('td', {}, statusBadge(d.status)),
      h('td', {}, d.cloudProviderName || '—'),
      h('td', {}, timeCell(d.creationTime)),
      h('td', {}, timeCell(d.updateTime)))));
    const total = data.page.totalElements;
    if (!total) {
      replace(state, 'No deployments yet. ', h('a', { href: '#/new' }, 'Create your first deployment'), '.');
    } else if (!rows.length) {
      replace(state, 'No deployment on this page matches the filter.');
    } else {
      replace(state, `${total} deployment${total === 1 ? '' : 's'}${rows.length < data.content.length ? `, ${rows.length} shown by the filter` : ''}.`);
    }
    table.hidden = !rows.length;
    const pages = data.page.totalPages;
    replace(pager, pages > 1 ? [
      h('button', { type: 'button', disabled: page === 0, onclick: () => { page -= 1; load(); } }, '← Newer'),
      h('span', {}, ` Page ${page + 1} of ${pages} `),
      h('button', { type: 'button', disabled: page >= pages - 1, onclick: () => { page += 1; load(); } }, 'Older →'),
    ] : []);
  }

  async function load() {
    clearTimeout(timer);
    try {
      const q = new URLSearchParams({ page: String(page), size: String(PAGE), sort: 'createdAt,desc' });
      if (mine.checked) q.set('createdBy', 'me');
      data = await api(`/deployments?${q}`);
      if (page > 0 && page >= data.page.totalPages) {
        page = Math.max(0, data.page.totalPages - 1);
        return load();
      }
      render();
    } catch (err) {
      replace(state, h('span', { class: 'error-text' }, `The deployments cannot be listed: ${err.message}`));
    }
    if (!stopped && !document.hidden) timer = setTimeout(load, REFRESH_MS);
  }
  const onVisible = () => { if (!document.hidden && !stopped) load(); };
  document.addEventListener('visibilitychange', onVisible);

  main.replaceChildren(
    h('div', { class: 'page-head' }, h('h1', {}, 'Deployments'), h('a', { href: '#/new', class: 'button primary' }, 'New deployment')),
    h('div', { class: 'filters', role: 'search' },
      h('div', { class: 'field field-text' }, h('label', { for: filterId, class: 'field-label' }, 'Filter'), filter),
      h('div', { class: 'field field-text' }, h('label', { for: statusId, class: 'field-label' }, 'Status'), statusSel),
      h('div', { class: 'field field-check' }, mine, h('label', { for: mineId, class: 'field-label' }, 'Only mine'))),
    state, table, pager);
  load();
  return () => {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisible);
  };
}
