// The new-deployment page: the template (typed, pasted, or loaded from a YAML file or a CSAR), validated as
// it changes with the problems shown at their lines, the inputs form, the provider and the limits.
import { h, id, announce } from './dom.js';
import { api, ApiError } from './api.js';
import { Editor } from './editor.js';
import { InputsForm } from './inputs.js';
import { analyse, readCSAR, problemsOf, problemsInMessage, withProvider } from './template.js';

const DRAFT = 'toscaflow.draft';

/**
 * newPage renders the page into main; go(hash) navigates. With update (a deployment id) it updates that
 * deployment instead (PUT): its template is loaded, and the inputs left empty keep their values.
 */
export function newPage(main, { go, update }) {
  const inputs = new InputsForm();
  const status = h('p', { class: 'validity', role: 'status', 'aria-live': 'polite' }, 'Paste or write a TOSCA template, or load one from a file.');
  let seq = 0;
  let timer = 0;
  let lastValid = null;

  const editor = new Editor({
    label: 'TOSCA template (YAML)',
    onChange: (text) => {
      if (!update) sessionStorage.setItem(DRAFT, text);
      clearTimeout(timer);
      timer = setTimeout(() => validate(text), 500);
    },
  });

  async function validate(text) {
    const mine = ++seq;
    const local = analyse(text);
    inputs.set(local.inputs, { update: !!update });
    if (!text.trim()) {
      editor.setProblems([]);
      status.textContent = 'Paste or write a TOSCA template, or load one from a file.';
      lastValid = null;
      return;
    }
    if (local.problems.length) {
      editor.setProblems(local.problems);
      status.textContent = 'The YAML cannot be read: see the problems below.';
      status.className = 'validity bad';
      lastValid = false;
      return;
    }
    status.textContent = 'Validating…';
    status.className = 'validity busy';
    try {
      const v = await api('/templates/validate', { method: 'POST', body: { template: text } });
      if (mine !== seq) return;
      const problems = problemsOf(v);
      editor.setProblems(problems);
      lastValid = v.valid;
      status.className = `validity ${v.valid ? 'ok' : 'bad'}`;
      status.textContent = v.valid
        ? `The template is valid${v.nodeTemplates != null ? ` (${v.nodeTemplates} node template${v.nodeTemplates === 1 ? '' : 's'})` : ''}.`
        : 'The template has problems: see them at their lines.';
    } catch (err) {
      if (mine !== seq) return;
      // A server without /templates/validate: the deployment request will validate.
      status.className = 'validity';
      status.textContent = err instanceof ApiError && err.status === 404
        ? 'This server cannot validate before deploying; problems will show when you deploy.'
        : `Validation failed: ${err.message}`;
      lastValid = null;
    }
  }

  const fileId = id('file');
  const file = h('input', {
    type: 'file', id: fileId, class: 'visually-hidden', accept: '.yaml,.yml,.zip,.csar,application/zip,text/yaml',
    onchange: async () => {
      const f = file.files[0];
      if (!f) return;
      if (!f) return;
      try {
        const text = /\.(zip|csar)$/i.test(f.name) ? readCSAR(await f.arrayBuffer()).text : await f.text();
        editor.value = text;
        if (!update) sessionStorage.setItem(DRAFT, text);
        announce(`Loaded ${f.name}.`);
        await validate(text);
      } catch (err) {
        status.className = 'validity bad';
        status.textContent = err.message;
      }
      file.value = '';
    },
  });

  const providers = h('select', { id: id('provider'), name: 'provider' }, h('option', { value: '' }, 'Automatic (the best-ranked provider that fits)'));
  const providerNote = h('p', { class: 'hint' }, 'Automatic: providers are ranked by SLA priority and health, and a failed attempt moves on to the next one. A chosen provider is written into the template as a placement policy.');
  api('/providers').then((list) => {
    const items = Array.isArray(list) ? list : (list?.providers || []);
    for (const p of items) {
      if (!p.name) continue;
      const where = [p.location?.country, p.location?.site, p.region].filter(Boolean).join(' ');
      const facts = [p.services?.[0]?.platform, where, p.health].filter((x) => typeof x === 'string' && x);
      providers.append(h('option', { value: p.name }, facts.length ? `${p.name} (${facts.join(', ')})` : p.name));
    }
    if (!items.length) providerNote.textContent = 'This server lists no providers: the deployment goes to the best-ranked one.';
  }).catch(() => { providerNote.textContent = 'The providers cannot be listed: the deployment goes to the best-ranked one.'; });

  const num = (label, name, hint, attrs = {}) => {
    const fid = id(name);
    return h('div', { class: 'field field-text' },
      h('label', { for: fid, class: 'field-label' }, label),
      h('input', { id: fid, name, type: 'number', min: 1, step: 1, inputmode: 'numeric', 'aria-describedby': `${fid}-hint`, ...attrs }),
      h('p', { class: 'hint', id: `${fid}-hint` }, hint));
  };
  const timeout = num('Timeout (minutes)', 'timeoutMins', 'The whole deployment fails after this long. Empty: the server default.');
  const provTimeout = num('Timeout per provider (minutes)', 'providerTimeoutMins', 'At most the timeout; an attempt on one provider fails after this long.');
  const retries = num('Providers to try at most', 'maxProvidersRetry', 'How many providers are tried, in rank order, before giving up.');
  const keepId = id('keep');
  const keep = h('div', { class: 'field field-check' },
    h('input', { type: 'checkbox', id: keepId, name: 'keepLastAttempt' }),
    h('label', { for: keepId, class: 'field-label' }, 'Keep the last failed attempt for debugging (not cleaned up)'));
  const formError = h('div', { class: 'form-error', role: 'alert', tabindex: '-1' });
  const label = update ? 'Update' : 'Deploy';
  const submit = h('button', { type: 'submit', class: 'primary' }, label);

  const form = h('form', {
    class: 'new-deployment', novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      formError.textContent = '';
      const text = editor.value;
      if (!text.trim()) {
        formError.textContent = 'Write or load a template first.';
        editor.textarea.focus();
        return;
      }
      const { parameters, invalid } = inputs.values();
      if (invalid) {
        formError.textContent = 'Some inputs are not valid: see the messages under them.';
        invalid.focus();
        return;
      }
      const body = { template: providers.value ? withProvider(text, providers.value) : text, parameters };
      for (const f of [timeout, provTimeout, retries]) {
        const inp = f.querySelector('input');
        if (inp.value.trim() !== '') body[inp.name] = Number(inp.value);
      }
      if (body.timeoutMins && body.providerTimeoutMins && body.providerTimeoutMins > body.timeoutMins) {
        formError.textContent = 'The timeout per provider must be at most the timeout.';
        provTimeout.querySelector('input').focus();
        return;
      }
      if (keep.querySelector('input').checked) body.keepLastAttempt = true;
      submit.disabled = true;
      submit.textContent = update ? 'Updating…' : 'Deploying…';
      submit.setAttribute('aria-busy', 'true');
      try {
        const d = update
          ? await api(`/deployments/${encodeURIComponent(update)}`, { method: 'PUT', body })
          : await api('/deployments', { method: 'POST', body });
        if (!update) sessionStorage.removeItem(DRAFT);
        announce(update ? 'Update started.' : 'Deployment created.');
        go(`#/deployments/${d.uuid || update}`);
      } catch (err) {
        const ps = problemsInMessage(err.message);
        if (ps.length) editor.setProblems(ps);
        formError.replaceChildren(h('strong', {}, err.status ? `${err.title} (${err.status}): ` : ''), ps.length ? 'the template has problems, shown at their lines.' : err.message);
        formError.focus();
      } finally {
        submit.disabled = false;
        submit.textContent = label;
        submit.removeAttribute('aria-busy');
      }
    },
  },
  h('section', { 'aria-labelledby': 'tpl-h' },
    h('h2', { id: 'tpl-h' }, '1. Template'),
    h('div', { class: 'toolbar' },
      file, h('label', { for: fileId, class: 'button' }, 'Load a file…'),
      h('span', { class: 'hint' }, 'YAML (.yaml, .yml) or a CSAR archive (.zip, .csar): its entry definitions are loaded.')),
    editor.el, status),
  h('section', { 'aria-labelledby': 'inp-h' }, h('h2', { id: 'inp-h' }, '2. Inputs'), inputs.el),
  h('section', { 'aria-labelledby': 'prov-h' },
    h('h2', { id: 'prov-h' }, update ? '3. Limits' : '3. Provider and limits'),
    update ? null : h('div', { class: 'field field-text' }, h('label', { for: providers.id, class: 'field-label' }, 'Provider'), providers, providerNote),
    h('div', { class: 'grid3' }, timeout, provTimeout, retries), update ? null : keep),
  formError,
  h('div', { class: 'actions' }, submit, h('a', { href: update ? `#/deployments/${update}` : '#/', class: 'button secondary' }, 'Cancel')));

  if (update) {
    main.replaceChildren(
      h('nav', { 'aria-label': 'Breadcrumb', class: 'crumbs' }, h('a', { href: '#/' }, 'Deployments'), ' › ',
        h('a', { href: `#/deployments/${update}`, class: 'mono' }, update), ' › update'),
      h('h1', {}, 'Update deployment'),
      h('p', { class: 'hint' }, 'Change the template or give new values to inputs; inputs left empty keep their values. Only a deployment that completed (or whose last update failed) can be updated.'),
      form);
    api(`/deployments/${encodeURIComponent(update)}/template`, { accept: 'text/plain' }).then((text) => {
      editor.value = text;
      validate(text);
    }).catch((err) => {
      formError.textContent = `The deployment's template cannot be read: ${err.message}`;
    });
  } else {
    main.replaceChildren(h('h1', {}, 'New deployment'), form);
    const draft = sessionStorage.getItem(DRAFT);
    if (draft) {
      editor.value = draft;
      validate(draft);
    }
  }
  editor.textarea.focus();
  return () => clearTimeout(timer);
}
