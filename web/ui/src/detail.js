// The deployment page: status and reason, outputs, and tabs for the plan with its live tokens, the topology,
// the resources, the log and the template. While an operation runs, the page follows the deployment's
// server-sent events (GET /deployments/{id}/events) and refreshes what changed; without a stream it polls.
import { h, replace, statusBadge, timeCell, isFinal, download, announce } from './dom.js';
import { api, events, ApiError } from './api.js';
import { PlanView } from './plan.js';
import { topology, nodeStates } from './topology.js';
import { analyse } from './template.js';
import { tabs } from './tabs.js';
import { Tokens } from './tokens.js';
import { selection } from './selection.js';

const POLL_MS = 500;
// The statuses a PUT accepts (API.md).
const updatable = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_FAILED']);
const POLL_STREAMING_MS = 5000;

/**
 * failedOperations reads the operations a failed deployment's reason names ("node X on provider P: OP failed:"),
 * so that the plan can point at the tasks that ran them.
 */
function failedOperations(d) {
  const ops = new Set();
  if (!d || !/FAILED$/.test(d.status)) return ops;
  for (const m of (d.statusReason || '').matchAll(/: ([a-z][\w-]*) failed:/g)) ops.add(m[1]);
  return ops;
}

/** detailPage renders deployment id into main; it returns its clean-up. */
export function detailPage(main, { id }) {
  const abort = new AbortController();
  const base = `/deployments/${encodeURIComponent(id)}`;
  const head = h('div', { class: 'summary' }, h('p', { role: 'status' }, 'Loading the deployment…'));
  const live = h('span', { class: 'live-state', 'aria-live': 'polite' });
  const outputs = h('section', { class: 'outputs', 'aria-labelledby': 'out-h' });
  const plan = new PlanView();
  const planState = h('p', { class: 'hint' }, 'Loading the plan…');
  const topo = h('div', { class: 'topology-panel' }, h('p', {}, 'Loading the topology…'));
  const resources = h('div', {}, h('p', {}, 'Loading the resources…'));
  const log = h('pre', { class: 'log', role: 'log', 'aria-label': 'Deployment log', tabindex: '0' }, '');
  const template = h('pre', { class: 'template-view', tabindex: '0', 'aria-label': 'Template' });
  const providersPanel = h('div', {}, h('p', {}, 'Loading the provider selection…'));
  let dep = null;
  let nodes = {};
  let states = {};
  let planXML = '';
  let templateText = '';
  let timer = 0;
  let pending = 0;
  let streaming = false;
  let lastStatus = '';
  let tokens = new Tokens();
  let drawPending = 0;

  const t = tabs([
    { key: 'plan', label: 'Plan', panel: [planState, plan.el] },
    { key: 'topology', label: 'Topology', panel: topo },
    { key: 'resources', label: 'Resources', panel: resources },
    { key: 'log', label: 'Log', panel: log },
    { key: 'template', label: 'Template', panel: template },
    { key: 'providers', label: 'Provider selection', panel: providersPanel },
  ], { label: 'Deployment views', selected: 'plan', onShow: (k) => { if (k === 'plan') setTimeout(() => plan.fit(), 0); } });

  main.replaceChildren(
    h('nav', { 'aria-label': 'Breadcrumb', class: 'crumbs' }, h('a', { href: '#/' }, 'Deployments'), ' › ', h('span', { class: 'mono' }, id)),
    h('div', { class: 'page-head' }, h('h1', {}, 'Deployment'), live),
    head, outputs, t.el);

  function renderHead() {
    const failed = /FAILED$/.test(dep.status);
    replace(head,
      h('dl', { class: 'facts-grid' },
        h('dt', {}, 'Status'), h('dd', {}, statusBadge(dep.status), isFinal(dep.status) ? null : h('span', { class: 'spinner', role: 'progressbar', 'aria-label': 'in progress' })),
        h('dt', {}, 'Id'), h('dd', { class: 'mono' }, dep.uuid),
        h('dt', {}, 'Provider'), h('dd', { 'data-testid': 'provider' }, dep.cloudProviderName || '—', dep.cloudProviderEndpoint?.deploymentType ? ` (${dep.cloudProviderEndpoint.deploymentType.toLowerCase()})` : ''),
        h('dt', {}, 'Created'), h('dd', {}, timeCell(dep.creationTime)),
        h('dt', {}, 'Updated'), h('dd', {}, timeCell(dep.updateTime)),
        dep.createdBy ? [h('dt', {}, 'Owner'), h('dd', {}, dep.createdBy.subject)] : null),
      dep.statusReason ? h('div', { class: `reason ${failed ? 'reason-bad' : ''}`, role: failed ? 'alert' : null },
        h('h2', {}, failed ? 'Why it failed' : 'Status reason'), h('pre', {}, dep.statusReason)) : null,
      h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: () => planXML && download(`deployment-${id}.bpmn`, planXML, 'application/xml'), disabled: !planXML }, 'Download BPMN'),
        h('button', { type: 'button', onclick: () => templateText && download(`deployment-${id}.yaml`, templateText, 'text/yaml'), disabled: !templateText }, 'Download template'),
        updatable.has(dep.status) ? h('a', { class: 'button', href: `#/deployments/${id}/update` }, 'Update…') : null,
        h('button', { type: 'button', class: 'danger', disabled: dep.status === 'DELETE_IN_PROGRESS', onclick: remove }, 'Delete…')));
  }

  function renderOutputs() {
    const entries = Object.entries(dep.outputs || {});
    replace(outputs, h('h2', { id: 'out-h' }, 'Outputs'),
      entries.length
        ? h('dl', { class: 'outputs-list' }, entries.map(([k, v]) => [h('dt', {}, k), h('dd', { class: 'mono', 'data-output': k }, typeof v === 'string' ? v : JSON.stringify(v))]))
        : h('p', { class: 'empty' }, isFinal(dep.status) ? 'This deployment has no outputs.' : 'Outputs appear when the deployment completes.'));
  }

  function renderResources(list) {
    states = nodeStates(list);
    replace(resources, list.length ? h('table', {},
      h('caption', { class: 'visually-hidden' }, 'Resources: one per node instance, in topological order'),
      h('thead', {}, h('tr', {}, ['Node', 'Type', 'State', 'Physical id', 'Updated'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, list.map((r) => h('tr', { 'data-node': r.toscaNodeName },
        h('td', {}, r.toscaNodeName), h('td', { class: 'mono' }, r.toscaNodeType),
        h('td', {}, h('span', { class: `state state-${r.state}` }, r.state.toLowerCase()),
          r.metadata?.error?.cause ? h('div', { class: 'reason-short error-text' }, `${r.metadata.error.operation || 'error'} on ${r.metadata.error.provider || '?'}: ${r.metadata.error.cause}`) : null),
        h('td', { class: 'mono' }, r.physicalId || '—'), h('td', {}, timeCell(r.updateTime))))))
      : h('p', { class: 'empty' }, 'No resources yet.'));
    replace(topo, topology(nodes, states));
  }

  // remove asks for confirmation in a modal dialog (focus moves into it, Escape cancels), then deletes.
  function remove() {
    const cancel = h('button', { type: 'button', value: 'cancel', onclick: () => dialog.close('cancel') }, 'Keep it');
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'del-h', 'aria-describedby': 'del-d' },
      h('h2', { id: 'del-h' }, 'Delete this deployment?'),
      h('p', { id: 'del-d' }, 'Every resource it created is disposed of on its provider, then the deployment is removed. This cannot be undone.'),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'danger', onclick: () => dialog.close('delete') }, 'Delete'), cancel));
    dialog.addEventListener('close', async () => {
      dialog.remove();
      if (dialog.returnValue !== 'delete') return;
      try {
        await api(base, { method: 'DELETE' });
        announce('Deletion started.');
        streamAbort?.abort();
        streamAbort = null;
        streaming = false;
        follow('live');
      } catch (err) {
        alertError(`The deployment cannot be deleted: ${err.message}`);
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  }

  function alertError(msg) {
    const prev = head.querySelector('.request-error');
    if (prev) prev.remove();
    head.append(h('p', { class: 'request-error error-text', role: 'alert' }, msg));
  }

  async function loadSelection() {
    try {
      const text = await api(`${base}/extrainfo`, { accept: 'text/plain', signal: abort.signal });
      replace(providersPanel, selection(typeof text === 'string' ? JSON.parse(text || '[]') : text));
    } catch (err) {
      if (err.name !== 'AbortError') replace(providersPanel, h('p', { class: 'error-text' }, `The provider selection cannot be read: ${err.message}`));
    }
  }

  async function loadOnce() {
    loadSelection();
    try {
      templateText = await api(`${base}/template`, { accept: 'text/plain', signal: abort.signal });
      template.replaceChildren(...templateText.split('\n').map((l, i) => h('span', { class: 'tl' }, h('span', { class: 'tn', 'aria-hidden': 'true' }, String(i + 1)), l, '\n')));
      nodes = analyse(templateText).nodes;
      replace(topo, topology(nodes, states));
    } catch (err) {
      if (err.name !== 'AbortError') replace(template, `The template cannot be read: ${err.message}`);
    }
    await loadPlan();
  }

  async function loadPlan() {
    try {
      planXML = await api(`${base}/bpmn`, { accept: 'application/xml', signal: abort.signal });
      await plan.load(planXML);
      planState.textContent = '';
    } catch (err) {
      if (err.name === 'AbortError') return;
      planState.textContent = err instanceof ApiError && err.status === 404
        ? 'This deployment has no plan yet.'
        : `The plan cannot be drawn: ${err.message}`;
    }
  }

  // refresh reads the deployment and what changes while it runs.
  async function refresh() {
    try {
      const [d, stats, res, text] = await Promise.all([
        api(base, { signal: abort.signal }),
        tokens.stats ? null : api(`${base}/statistics`, { signal: abort.signal }).catch(() => null),
        api(`${base}/resources?size=2000`, { signal: abort.signal }).catch(() => null),
        api(`${base}/log`, { accept: 'text/plain', signal: abort.signal }).catch(() => null),
      ]);
      dep = d;
      if (lastStatus && lastStatus !== d.status) announce(`Status: ${d.status.replaceAll('_', ' ').toLowerCase()}.`);
      if (isFinal(lastStatus) && !isFinal(d.status)) await loadPlan(); // an update brings a new plan
      if (lastStatus && lastStatus !== d.status) loadSelection(); // a retry on the next provider, or the end
      lastStatus = d.status;
      renderHead();
      renderOutputs();
      if (planXML) {
        planState.textContent = d.status === 'UPDATE_IN_PROGRESS'
          ? 'The update runs a plan of its own; this is the deployment plan, with its tokens.' : '';
      }
      if (tokens.stats) plan.update(tokens.stats, marks(d));
      else if (stats) plan.update(stats, marks(d));
      if (res) renderResources(res.content || []);
      if (text != null) {
        const atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
        log.textContent = text || '(nothing logged yet)';
        if (atEnd) log.scrollTop = log.scrollHeight;
      }
    } catch (err) {
      if (err.name === 'AbortError') return;
      if (err instanceof ApiError && err.status === 404) {
        stop();
        replace(head, h('p', { role: 'alert' }, 'This deployment does not exist (any more): it was deleted, or the link is wrong. ', h('a', { href: '#/' }, 'Back to the deployments')));
        return;
      }
      alertError(`The deployment cannot be refreshed: ${err.message}. Retrying…`);
    }
  }

  // schedule refreshes within ms, coalescing a burst of events into one refresh; an earlier request wins.
  let due = 0;
  let running = false;
  function schedule(ms) {
    const at = Date.now() + ms;
    if (pending && at >= due) return;
    clearTimeout(pending);
    due = at;
    pending = setTimeout(async () => {
      if (running) { pending = 0; schedule(100); return; }
      running = true;
      await refresh();
      running = false;
      pending = 0;
      if (dep && !isFinal(dep.status) && !abort.signal.aborted) {
        clearTimeout(timer);
        timer = setTimeout(() => schedule(0), streaming ? POLL_STREAMING_MS : POLL_MS);
      } else if (dep && isFinal(dep.status)) {
        // A live stream closes itself at the status event of the final step (sent after that step's journal
        // events); this only ends one that has not connected, or a server that never says.
        if (!streaming) streamAbort?.abort();
        else setTimeout(() => { if (mode === 'live') streamAbort?.abort(); }, 5000);
        live.textContent = '';
      }
    }, ms);
  }

  let streamAbort = null;
  let mode = '';
  let replay = null;
  let quiet = 0;
  // follow reads the deployment's events. While an operation runs ('live'), the stream starts at a snapshot of
  // the counts and drives the page until the final status. For a deployment already final ('replay'), it is read
  // from the journal's start (?lastEventId=0) for the errors thrown and the counts of the latest provider attempt,
  // which replace those of /statistics (summed over attempts) once the replay has been quiet for a moment.
  function follow(how = 'live') {
    if (how === 'live') schedule(0);
    if (streamAbort) return;
    mode = how;
    replay = how === 'replay' ? new Tokens() : null;
    const ctl = new AbortController();
    streamAbort = ctl;
    abort.signal.addEventListener('abort', () => ctl.abort(), { once: true });
    if (how === 'live') live.textContent = 'Live';
    events(`${base}/events${how === 'replay' ? '?lastEventId=0' : ''}`, {
      signal: ctl.signal,
      onEvent: how === 'live' ? onStreamEvent : onReplayEvent,
      onState: (st) => {
        streaming = st === 'open';
        live.dataset.state = st;
        if (how === 'live') live.textContent = { open: 'Live', retrying: 'Reconnecting…', unavailable: 'Refreshing twice a second' }[st] || '';
      },
    }).finally(() => {
      if (streamAbort === ctl) { streamAbort = null; streaming = false; }
    });
  }

  function onReplayEvent(ev) {
    let data;
    try { data = JSON.parse(ev.data); } catch { return; }
    if (ev.event === 'snapshot') replay.snapshot(data);
    else if (ev.event === 'journal') replay.journal(data);
    else return;
    clearTimeout(quiet);
    quiet = setTimeout(() => {
      if (!replay.stats) return;
      tokens = replay;
      streamAbort?.abort();
      draw();
    }, 2500);
  }

  // draw redraws the tokens at most once a frame, however many events arrive.
  function draw() {
    if (drawPending) return;
    drawPending = requestAnimationFrame(() => {
      drawPending = 0;
      plan.update(tokens.stats, marks(dep));
    });
  }

  function onStreamEvent(ev) {
    let data;
    try { data = JSON.parse(ev.data); } catch { return; }
    switch (ev.event) {
      case 'snapshot':
        tokens.snapshot(data);
        draw();
        schedule(0);
        break;
      case 'journal':
        if (tokens.journal(data)) draw();
        schedule(1000); // the log and the resources follow the steps
        break;
      case 'multi-instance':
        tokens.multiInstance(data);
        draw();
        break;
      case 'resource':
        schedule(300);
        break;
      case 'status':
        schedule(0);
        if (isFinal(data.status)) {
          // The journal events of the final step came before this status: the counts are complete.
          draw();
          streamAbort?.abort();
        }
        break;
      case 'end':
        schedule(0);
        break;
      default:
    }
  }

  // marks are what the plan shows beside the counts: the stream's live counters and errors, and where a
  // failed deployment failed.
  function marks(d) {
    return { mi: tokens.mi, errors: tokens.errors, failed: /FAILED$/.test(d?.status || ''), failedOps: failedOperations(d) };
  }

  function stop() {
    abort.abort();
    clearTimeout(timer);
    clearTimeout(pending);
    clearTimeout(quiet);
  }

  (async () => {
    await refresh();
    if (!dep) return;
    await loadOnce();
    await refresh();
    follow(isFinal(dep.status) ? 'replay' : 'live');
  })();
  return () => { stop(); plan.destroy(); };
}
