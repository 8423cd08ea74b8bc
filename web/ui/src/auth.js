// Sign-in with OpenID Connect: the authorization-code flow with PKCE (RFC 7636, S256) as a public client.
// The access token is kept in sessionStorage (this tab only) until it expires; nothing is sent anywhere
// but to the issuer's token endpoint and, as a bearer token, to this server's API.

const PENDING = 'toscaflow.signin';
const TOKEN = 'toscaflow.token';

let settings = null;
let discovery = null;

function b64url(bytes) {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function random(n = 32) {
  return b64url(crypto.getRandomValues(new Uint8Array(n)));
}

async function discover() {
  if (discovery) return discovery;
  const url = `${settings.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`The sign-in service (${settings.issuer}) did not answer its discovery document (HTTP ${res.status}).`);
  discovery = await res.json();
  return discovery;
}

// redirectURI is the dashboard's page itself: register ORIGIN/ui/ as the client's redirect URI.
function redirectURI() {
  return `${location.origin}/ui/`;
}

function claims(jwt) {
  try {
    const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(decodeURIComponent(escape(atob(part))));
  } catch {
    return {};
  }
}

/** enabled is whether the server wants a signed-in user. */
export function enabled() { return !!settings; }

/**
 * init reads the dashboard's auth settings and, when the browser comes back from the issuer with a code,
 * exchanges it for tokens (checking the state it sent). It throws an Error with a readable message when the
 * sign-in failed.
 */
export async function init(auth) {
  settings = auth || null;
  if (!settings) return;
  const url = new URL(location.href);
  const code = url.searchParams.get('code');
  const error = url.searchParams.get('error');
  if (!code && !error) return;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', redirectURI() + (pending?.hash || ''));
  if (error) throw new Error(`Sign-in failed: ${url.searchParams.get('error_description') || error}`);
  if (!pending || pending.state !== url.searchParams.get('state')) {
    throw new Error('Sign-in failed: the answer does not belong to a sign-in started here. Please sign in again.');
  }
  const d = await discover();
  const res = await fetch(d.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code, redirect_uri: redirectURI(),
      client_id: settings.clientId, code_verifier: pending.verifier,
    }),
  });
  const tok = await res.json().catch(() => ({}));
  if (!res.ok || !tok.access_token) {
    throw new Error(`Sign-in failed: ${tok.error_description || tok.error || `HTTP ${res.status}`}`);
  }
  const id = tok.id_token ? claims(tok.id_token) : {};
  if (tok.id_token && id.nonce !== pending.nonce) throw new Error('Sign-in failed: the ID token does not match this sign-in.');
  const who = id.preferred_username || id.name || id.email || id.sub || claims(tok.access_token).sub || 'signed in';
  sessionStorage.setItem(TOKEN, JSON.stringify({
    access: tok.access_token, who, idToken: tok.id_token || '',
    expires: Date.now() + 1000 * (Number(tok.expires_in) || 300),
  }));
}

function stored() {
  const t = JSON.parse(sessionStorage.getItem(TOKEN) || 'null');
  if (!t || t.expires - 10000 < Date.now()) return null;
  return t;
}

/** token is the access token to send, or null. */
export async function token() { return stored()?.access || null; }

/** user names the signed-in user, or null. */
export function user() { return stored()?.who || null; }

/** signIn sends the browser to the issuer; it comes back to this page with a code. */
export async function signIn() {
  const d = await discover();
  const verifier = random(48);
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const pending = { verifier, state: random(16), nonce: random(16), hash: location.hash };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const q = new URLSearchParams({
    response_type: 'code', client_id: settings.clientId, redirect_uri: redirectURI(),
    scope: (settings.scopes || ['openid']).join(' '), state: pending.state, nonce: pending.nonce,
    code_challenge: challenge, code_challenge_method: 'S256',
  });
  location.assign(`${d.authorization_endpoint}?${q}`);
}

/** signOut forgets the token, and ends the issuer's session when it offers to. */
export async function signOut() {
  const t = stored();
  sessionStorage.removeItem(TOKEN);
  const d = await discover().catch(() => null);
  if (d?.end_session_endpoint) {
    const q = new URLSearchParams({ post_logout_redirect_uri: redirectURI(), client_id: settings.clientId });
    if (t?.idToken) q.set('id_token_hint', t.idToken);
    location.assign(`${d.end_session_endpoint}?${q}`);
    return;
  }
  location.reload();
}
