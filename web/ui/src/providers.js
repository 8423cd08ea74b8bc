// The providers page (GET /providers): each provider of the catalogue with where it is, its services and their
// health, and its SLAs with what their groups use of the quotas; refreshed every few seconds while shown, like
// the deployments list, so that a service going down shows without a reload.
import { h, replace } from './dom.js';
import { api } from './api.js';

const REFRESH_MS = 5000;
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** formatBytes writes a byte count with a binary unit ("2 GiB", "1.5 MiB"), as the catalogue writes quotas. */
export function formatBytes(n) {
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return '';
  let i = 0;
  while (n >= 1024 && i < UNITS.length - 1) {
    n /= 1024;
    i += 1;
  }
  return `${Number.isInteger(n) ? n : Number(n.toFixed(1))} ${UNITS[i]}`;
}

/** percent writes an availability (0..1) as a percentage with at most one decimal. */
export function percent(a) {
  if (typeof a !== 'number' || !Number.isFinite(a)) return '—';
  return `${Number((a * 100).toFixed(1))} %`;
}

/** locationText joins a provider's region and location (country, site) into one line, or '—'. */
export function locationText(p) {
  const loc = [p.location?.site, p.location?.country].filter(Boolean).join(', ');
  return [p.region, loc].filter(Boolean).join(' · ') || '—';
}

/** platforms lists a provider's distinct service platforms, in catalogue order. */
export function platforms(p) {
  return [...new Set((p.services || []).map((s) => s.platform).filter(Boolean))];
}

// The quotas of an SLA, in the order the catalogue documents them; bytes are what inUse counts RAM and
// storage in, while the quota keeps the catalogue's own words ("8 GiB").
const QUOTAS = [
  { key: 'instances', label: 'Instances', use: (n) => String(n) },
  { key: 'vcpus', label: 'vCPUs', use: (n) => String(n) },
  { key: 'ram', label: 'RAM', use: formatBytes },
  { key: 'storage', label: 'Storage', use: formatBytes },
];

/**
 * quotaRows is what an SLA allows and what is used of it: one {label, used, limit} per quota set in the SLA or
 * used by its groups; used is '' when the server does not report usage, limit 'no limit' when unset.
 */
export function quotaRows(sla) {
  const q = sla.quotas || {};
  const inUse = sla.inUse;
  return QUOTAS.filter(({ key }) => q[key] || inUse?.[key]).map(({ key, label, use }) => ({
    label,
    used: inUse ? use(inUse[key] || 0) : '',
    limit: q[key] ? String(q[key]) : 'no limit',
  }));
}

/** healthBadge shows a health state (healthy, unhealthy, unknown) in words and a colour. */
export function healthBadge(state) {
  const kind = { healthy: 'ok', unhealthy: 'bad' }[state] || 'other';
  return h('span', { class: `status status-${kind}`, 'data-health': state || 'unknown' }, state || 'unknown');
}

function lastCheck(health) {
  const t = health?.lastCheck ? new Date(health.lastCheck) : null;
  const when = t && !Number.isNaN(t.getTime())
    ? h('time', { datetime: t.toISOString() }, t.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }))
    : '—';
  return [when, health?.lastError ? h('div', { class: 'error-text' }, health.lastError) : null];
}

function servicesTable(p, headingId) {
  if (!p.services?.length) return h('p', { class: 'empty' }, 'This provider lists no services.');
  return h('table', { class: 'services', 'aria-labelledby': headingId },
    h('thead', {}, h('tr', {}, ['Type', 'Platform', 'Endpoint', 'Health', 'Availability', 'Checks', 'Last check'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, p.services.map((s, i) => h('tr', { 'data-service': String(i) },
      // An entry with no type offers every service its platform's connector announces.
      h('td', {}, s.type || 'any'),
      h('td', {}, s.platform || '—'),
      h('td', {}, s.endpoint ? h('span', { class: 'mono' }, s.endpoint) : '—'),
      h('td', {}, healthBadge(s.health?.state)),
      h('td', {}, percent(s.health?.availability)),
      h('td', {}, String(s.health?.checks ?? 0)),
      h('td', {}, lastCheck(s.health))))));
}

function slaBlock(sla, p) {
  const rows = quotaRows(sla);
  const groups = sla.userGroups?.length ? sla.userGroups.join(', ') : 'every group';
  return h('div', { class: 'sla', 'data-sla': sla.id },
    h('h4', {}, `SLA ${sla.id}`),
    h('dl', { class: 'facts-grid' },
      h('dt', {}, 'User groups'), h('dd', {}, groups),
      h('dt', {}, 'Priority'), h('dd', {}, String(sla.priority ?? 0)),
      h('dt', {}, 'Deployments'), h('dd', {}, String(sla.deployments ?? 0))),
    rows.length
      ? h('table', { class: 'quotas' },
        h('caption', { class: 'visually-hidden' }, `Quotas of SLA ${sla.id} on ${p.name}`),
        h('thead', {}, h('tr', {}, ['Quota', 'In use', 'Limit'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, r.label), h('td', {}, r.used || '—'), h('td', {}, r.limit)))))
      : h('p', { class: 'hint' }, 'No quotas: the SLA does not limit what its groups deploy.'));
}

/** providerSection renders one provider of GET /providers. */
export function providerSection(p) {
  const base = `provider-${p.name.replace(/[^\w-]/g, '_')}`;
  const plats = platforms(p);
  return h('section', { class: 'provider', 'data-provider': p.name, 'aria-labelledby': base },
    h('h2', { id: base }, p.name, ' ', healthBadge(p.health)),
    p.description ? h('p', {}, p.description) : null,
    h('dl', { class: 'facts-grid' },
      h('dt', {}, plats.length > 1 ? 'Platforms' : 'Platform'), h('dd', {}, plats.join(', ') || '—'),
      h('dt', {}, 'Region and location'), h('dd', {}, locationText(p)),
      h('dt', {}, 'Tags'), h('dd', {}, p.tags?.length ? p.tags.join(', ') : '—'),
      h('dt', {}, 'Availability'), h('dd', {}, percent(p.availability), h('span', { class: 'hint' }, ' (its least available service, over the health window)'))),
    h('h3', { id: `${base}-services` }, 'Services'),
    servicesTable(p, `${base}-services`),
    h('h3', {}, 'SLAs'),
    p.slas?.length ? p.slas.map((s) => slaBlock(s, p)) : h('p', { class: 'empty' }, 'No SLA: no user group may deploy here.'));
}

/** providersPage renders the page into main; it returns its clean-up. */
export function providersPage(main) {
  let timer = 0;
  let stopped = false;
  const state = h('p', { class: 'list-state', role: 'status' }, 'Loading providers…');
  const list = h('div', { class: 'providers' });
  // The status is a live region: it is rewritten only when its words change, so that a refresh that changes
  // nothing is not read out again.
  const say = (text, bad = false) => {
    if (state.textContent === text && state.classList.contains('error-text') === bad) return;
    state.classList.toggle('error-text', bad);
    state.textContent = text;
  };

  async function load() {
    clearTimeout(timer);
    try {
      const data = await api('/providers');
      if (stopped) return;
      const ps = data?.providers || [];
      const down = ps.filter((p) => p.health === 'unhealthy').length;
      say(ps.length
        ? `${ps.length} provider${ps.length === 1 ? '' : 's'}${down ? `, ${down} unhealthy` : ''}.`
        : 'The catalogue lists no provider: nothing can be deployed until the administrator adds one.');
      replace(list, ps.map(providerSection));
    } catch (err) {
      if (stopped) return;
      const why = err.status === 404 ? 'this server has no provider catalogue' : err.message;
      say(`The providers cannot be listed: ${why}`, true);
      // Health that can no longer be read is not shown as if it were current.
      replace(list);
    }
    if (!stopped && !document.hidden) timer = setTimeout(load, REFRESH_MS);
  }
  const onVisible = () => { if (!document.hidden && !stopped) load(); };
  document.addEventListener('visibilitychange', onVisible);

  main.replaceChildren(h('div', { class: 'page-head' }, h('h1', {}, 'Providers')), state, list);
  load();
  return () => {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisible);
  };
}
