// Small DOM helpers: every page is built with h(), which never parses HTML, so that text from the API or a
// template (names, messages, logs) cannot inject markup.

/** h creates an element with attributes (on* keys add listeners) and children (strings become text). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

/** append adds children (nested arrays flattened, null and false skipped). */
export function append(el, children) {
  for (const c of [children].flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** replace empties el and fills it with children. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** svg creates an SVG element with attributes. */
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v != null) el.setAttribute(k, String(v));
  for (const c of children.flat(Infinity)) if (c != null) el.append(c instanceof Node ? c : String(c));
  return el;
}

let uid = 0;
/** id returns a fresh element id with a prefix, to tie labels to their fields. */
export function id(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** announce says msg to screen readers through the page's polite live region. */
export function announce(msg) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  // A fresh text node after a tick, so that the same message twice is read twice.
  setTimeout(() => { region.textContent = msg; }, 30);
}

/** download saves text as a file named name. */
export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const statusClass = {
  COMPLETE: 'ok', IN_PROGRESS: 'busy', FAILED: 'bad',
};

/** statusBadge shows a deployment status with a colour and its words. */
export function statusBadge(status) {
  const kind = Object.entries(statusClass).find(([k]) => (status || '').endsWith(k));
  return h('span', { class: `status status-${kind ? kind[1] : 'other'}`, 'data-status': status },
    (status || 'UNKNOWN').replaceAll('_', ' ').toLowerCase());
}

/** isFinal is whether a deployment status ends its current operation. */
export function isFinal(status) {
  return /_(COMPLETE|FAILED)$/.test(status || '') || status === 'UNKNOWN';
}

/** apiTimeToDate parses the API's yyyy-MM-ddTHH:mm+0000. */
export function apiTimeToDate(s) {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)/.exec(s || '');
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5])) : null;
}

/** timeCell renders an API time as a <time> with the local date and time. */
export function timeCell(s) {
  const d = apiTimeToDate(s);
  if (!d) return '';
  return h('time', { datetime: d.toISOString() }, d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }));
}
