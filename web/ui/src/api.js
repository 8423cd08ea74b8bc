// The API client: JSON in and out, the error body turned into an ApiError, the bearer token added when the
// user signed in, and a reader of server-sent events over fetch (EventSource cannot send a token).

let tokenSource = async () => null;
let unauthorized = () => {};

/** configure sets where tokens come from and what a 401 does (sign in again). */
export function configure({ token, onUnauthorized }) {
  if (token) tokenSource = token;
  if (onUnauthorized) unauthorized = onUnauthorized;
}

/** ApiError is an answer >= 400, with the API's error body. */
export class ApiError extends Error {
  constructor(status, title, message) {
    super(message || title || `HTTP ${status}`);
    this.status = status;
    this.title = title;
  }
}

async function headers(extra) {
  const hs = { ...extra };
  const tok = await tokenSource();
  if (tok) hs.Authorization = `Bearer ${tok}`;
  return hs;
}

/** api calls the API at path; a body is sent as JSON. It returns parsed JSON, text, or null for 204. */
export async function api(path, { method = 'GET', body, accept = 'application/json', signal } = {}) {
  const hs = await headers({ Accept: accept });
  let payload;
  if (body !== undefined) {
    hs['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, { method, headers: hs, body: payload, signal });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(0, 'Network error', `The server cannot be reached (${err.message}).`);
  }
  if (!res.ok) {
    let b = null;
    try { b = await res.json(); } catch { /* not the error body */ }
    if (res.status === 401) unauthorized();
    throw new ApiError(res.status, b?.title || res.statusText, b?.message);
  }
  if (res.status === 204) return null;
  const ct = res.headers.get('Content-Type') || '';
  return ct.includes('json') ? res.json() : res.text();
}

/**
 * events reads the server-sent events at path until signal aborts, calling onEvent({event, data, id}) for
 * each and onState('open'|'retrying'|'unavailable') as the connection changes. It reconnects with
 * Last-Event-ID after a drop; a 404 or 501 means the server has no stream (the caller polls instead).
 */
export async function events(path, { onEvent, onState = () => {}, signal }) {
  let lastId = '';
  let delay = 500;
  while (!signal.aborted) {
    try {
      const hs = await headers({ Accept: 'text/event-stream' });
      if (lastId) hs['Last-Event-ID'] = lastId;
      const res = await fetch(path, { headers: hs, signal, cache: 'no-store' });
      if (res.status === 404 || res.status === 405 || res.status === 501) {
        onState('unavailable');
        return;
      }
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      onState('open');
      delay = 500;
      lastId = await readStream(res.body, signal, (ev) => {
        if (ev.id) lastId = ev.id;
        onEvent(ev);
      }) || lastId;
    } catch (err) {
      if (signal.aborted) return;
    }
    if (signal.aborted) return;
    onState('retrying');
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 10000);
  }
}

// readStream parses the text/event-stream format (WHATWG HTML, 9.2.6) from a byte stream.
async function readStream(body, signal, emit) {
  const reader = body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  let ev = { event: '', data: [], id: '' };
  const dispatch = () => {
    if (ev.data.length) emit({ event: ev.event || 'message', data: ev.data.join('\n'), id: ev.id });
    ev = { event: '', data: [], id: '' };
  };
  signal.addEventListener('abort', () => reader.cancel().catch(() => {}), { once: true });
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return '';
    buf += dec.decode(value, { stream: true });
    let nl;
    while ((nl = buf.search(/\r\n|\r|\n/)) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + (buf[nl] === '\r' && buf[nl + 1] === '\n' ? 2 : 1));
      if (line === '') { dispatch(); continue; }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let val = colon < 0 ? '' : line.slice(colon + 1);
      if (val.startsWith(' ')) val = val.slice(1);
      if (field === 'data') ev.data.push(val);
      else if (field === 'event') ev.event = val;
      else if (field === 'id') ev.id = val;
    }
  }
}
